"""One behaviour per mechanism from the sources (issue "Mechanisms from the sources"), on the small
synthetic scenario of builders.py: each check compares two settings over common seeds."""

from __future__ import annotations

from typing import Any

from builders import deep_merge, run_model, run_summaries, small_scenario_dict

from simulation.chain import NEVER
from simulation.relationships import RelationshipNetwork
from simulation.scenario import Relationships

SEEDS = [1, 2]
SLOW_START = {"relationships": {"support_start_days_weak": 8.0, "support_start_days_strong": 0.0}}


def _small(**overrides: Any) -> dict[str, Any]:
    return deep_merge(small_scenario_dict(days=150, warmup_days=20), overrides)


def _total(runs: list[dict], key: str, sub: str | None = None) -> float:
    return sum(s[key][sub] if sub else s[key] for s in runs)


def _routines(m) -> set[frozenset[str]]:
    return {frozenset((a, b)) for a, b, d in m.network.graph.edges(data=True) if d["routine"]}


def test_a_routine_makes_up_for_a_weak_relationship_and_survives_turnover():
    net = RelationshipNetwork(Relationships(routine_effect=0.7, turnover_loss=0.5))
    for org in ("W", "K"):
        net.add_org(org, "x")
    net.connect("W", "K", 0.2)
    assert net.quality("W", "K") == 0.2
    net.establish_routine("W", "K")
    assert abs(net.quality("W", "K") - (1 - 0.8 * 0.3)) < 1e-12
    net.turnover("W")
    assert net.strength("W", "K") == 0.1 and net.has_routine("W", "K")


def test_support_starts_sooner_across_a_stronger_relationship():
    def runs(strength: float) -> list[dict]:
        rel = {**SLOW_START["relationships"], "initial_strength": strength}
        return run_summaries(_small(relationships=rel), SEEDS)

    assert _total(runs(1.0), "ready_bed_days") < 0.7 * _total(runs(0.1), "ready_bed_days")


def test_routines_at_the_start_speed_the_kommun_up():
    data = _small(relationships={**SLOW_START["relationships"], "initial_strength": 0.2})
    without = run_summaries(data, SEEDS)
    with_routine = run_summaries(deep_merge(data, {"relationships": {"routines_ward_kommun": True}}), SEEDS)
    assert _total(with_routine, "ready_bed_days") < 0.8 * _total(without, "ready_bed_days")


def test_payment_only_for_days_the_ward_could_have_discharged():
    # The kommun never plans (no assessors); coordinators are off at weekends: no payment then.
    m = run_model(_small(kommun={"K1": {"assessor_capacity": 0}, "K2": {"assessor_capacity": 0}}), 3)
    off = m.calendar.off_day[: m.horizon]
    assert m.kommun_payment_days.sum() > 0
    assert m.kommun_payment_days[off].sum() == 0


def test_calendar_payment_days_charge_every_day_after_the_threshold_and_change_nothing_else():
    # rules.payment_days = "calendar": the law's count (DOMAIN.md: the kommun pays per day after the
    # threshold); the days off are charged too, and the chain itself runs exactly as before.
    data = _small(kommun={"K1": {"assessor_capacity": 0}, "K2": {"assessor_capacity": 0}})
    staffed = run_model(data, 3)
    calendar = run_model(deep_merge(data, {"rules": {"payment_days": "calendar"}}), 3)
    off = calendar.calendar.off_day[: calendar.horizon]
    assert calendar.kommun_payment_days[off].sum() > 0
    on = ~off
    assert (calendar.kommun_payment_days[on] == staffed.kommun_payment_days[on]).all()
    assert (calendar.ward_ready == staffed.ward_ready).all()  # the same patients wait the same days
    assert (calendar.ward_discharges == staffed.ward_discharges).all()
    pairs = list(zip(calendar.episodes, staffed.episodes, strict=True))
    assert all(c.payment_days >= s.payment_days for c, s in pairs)
    assert sum(c.payment_days for c, _ in pairs) > sum(s.payment_days for _, s in pairs)


def test_sip_not_called_is_the_wards_gap_when_it_never_told_the_vardcentral():
    data = _small(
        rules={"notice_reliability": 0.0},
        relationships={"informal_recovery_per_day": 0.0},
        patients={
            "kommun_support": {"none": 0.0, "home_help": 1.0, "short_term": 0.0, "care_home": 0.0},
            "home_health_care_with_support": 1.0,
        },
        kommun={"K1": {"active_search_probability": 1.0}, "K2": {"active_search_probability": 1.0}},
    )
    m = run_model(data, 2)
    episodes = {ep.episode_id: ep for ep in m.episodes}
    untold = 0
    for g in (g for g in m.gaps.events if g.kind == "sip_not_called"):
        ep = episodes[g.episode_id]
        if ep.vc_informed == NEVER:
            untold += 1
            assert (g.org_a, g.org_b) == (ep.ward.name, ep.patient.vardcentral.name)
        else:
            assert (g.org_a, g.org_b) == (ep.patient.vardcentral.name, ep.patient.kommun.name)
    assert untold > 100


def test_a_reminder_gets_unanswered_requests_answered():
    base = _small(
        rules={"wait_for_care_contact_days": 3},
        relationships={"chase_probability": 0.0},
        defaults={"vardcentral": {"answer_reliability": 0.3}},
    )
    never = run_summaries(base, SEEDS)
    retried = run_summaries(deep_merge(base, {"rules": {"care_contact_retry_days": 1}}), SEEDS)
    assert _total(retried, "gap_events", "no_care_contact") < 0.8 * _total(
        never, "gap_events", "no_care_contact"
    )


def test_information_at_discharge_can_fail_and_fails_less_across_strong_relationships():
    assert _total(run_summaries(_small(), SEEDS), "gap_events", "uninformed_at_discharge") == 0
    fail = {"rules": {"discharge_info_failure": 0.8}}
    weak = run_summaries(_small(**fail, relationships={"initial_strength": 0.1}), SEEDS)
    strong = run_summaries(_small(**fail, relationships={"initial_strength": 0.9}), SEEDS)
    assert _total(weak, "gap_events", "uninformed_at_discharge") > 3 * _total(
        strong, "gap_events", "uninformed_at_discharge"
    )


def test_demand_from_home_competes_for_places_so_more_places_help():
    busy = _small(
        community={"short_term_per_1000_65plus": 40.0, "home_help_per_1000_65plus": 60.0},
        patients={"kommun_support": {"none": 0.6, "home_help": 0.2, "short_term": 0.2, "care_home": 0.0}},
    )
    tight = run_summaries(busy, SEEDS)
    roomy = run_summaries(
        deep_merge(busy, {"capacity": {"short_term_places": 2.0, "home_help_starts": 2.0}}), SEEDS
    )
    assert _total(roomy, "ready_bed_days") < 0.8 * _total(tight, "ready_bed_days")
    m = run_model(busy, 1)
    assert sum(k.community_served for k in m.kommuner) > 100


def test_a_driven_klusterledare_gets_every_vardcentral_to_the_meetings_and_formalises_routines():
    kl = {"KL1": {"kommun": "K1", "leader_drive": 1.0, "every_days": 10, "routine_after_meetings": 2}}
    m = run_model(_small(kluster=kl), 1)
    (kluster,) = m.agents_by_type[next(t for t in m.agents_by_type if t.__name__ == "Kluster")]
    assert kluster.meetings == 15 and kluster.attended == {"V1a": 15, "V1b": 15}
    assert {frozenset(("V1a", "K1")), frozenset(("V1b", "K1"))} <= _routines(m)
    assert frozenset(("V2a", "K2")) not in _routines(m)
    idle = run_model(_small(kluster={"KL1": {**kl["KL1"], "leader_drive": 0.0}}), 1)
    assert frozenset(("V1a", "K1")) not in _routines(idle)


def test_a_kluster_meets_on_working_days_keeping_its_cycle():
    """A meeting due on a Saturday, Sunday or public holiday is held on the next working day; the cycle
    keeps to the due days (weekly from a Saturday: every meeting on the Monday after, or later)."""
    from simulation.model import DischargeModel
    from simulation.scenario import scenario_from_dict

    probe = DischargeModel(scenario_from_dict(_small()), seed=1)
    cal = probe.world.calendar
    saturday = next(d for d in range(7) if cal.date(d).weekday() == 5)
    kl = {"KL1": {"kommun": "K1", "leader_drive": 1.0, "every_days": 7, "start_day": saturday}}
    m = DischargeModel(scenario_from_dict(_small(kluster=kl)), seed=1)
    (kluster,) = m.agents_by_type[next(t for t in m.agents_by_type if t.__name__ == "Kluster")]
    held: list[int] = []
    while m.running:
        before = kluster.meetings
        m.step()
        if kluster.meetings > before:
            held.append(m.steps - 1)
    expected = []
    for due in range(saturday, m.horizon, 7):
        day = due
        while cal.is_off(day):
            day += 1
        if day < m.horizon:
            expected.append(day)
    assert held == expected and len(held) > 10
    assert not any(cal.is_off(d) for d in held)
    assert sum(cal.date(d).weekday() == 0 for d in held) >= len(held) - 2  # Mondays, but after a holiday


FORUMS = [
    {"members": ["K1", "W1"], "every_days": 30, "boost": 0.05},
    {"members": ["K2", "W2"], "every_days": 30, "boost": 0.05},
]


def test_an_rd_unit_turns_forums_into_routines_and_carries_them_between_forums():
    alone = run_model(_small(relationships={"forums": FORUMS}), 1)
    assert frozenset(("K1", "W1")) not in _routines(alone)
    linked = run_model(
        _small(
            relationships={"forums": FORUMS},
            fou={"F": {"forums": [0], "project_probability": 1.0, "spread_probability": 0.0}},
        ),
        1,
    )
    assert frozenset(("K1", "W1")) in _routines(linked) and frozenset(("K2", "W2")) not in _routines(linked)
    spread = run_model(
        _small(
            relationships={"forums": FORUMS},
            fou={"F": {"forums": [0, 1], "project_probability": 1.0, "spread_probability": 1.0}},
        ),
        1,
    )
    assert {frozenset(("K1", "W1")), frozenset(("K2", "W2"))} <= _routines(spread)


def test_a_regional_agreement_reaches_the_pairs_it_covers_and_less_so_without_the_kommuner():
    agreement = {"day": 0, "subregional_delay_days": 5, "local_days": 1.0, "fidelity": 1.0}
    m = run_model(_small(region={"R": {"agreements": [agreement]}}), 1)
    assert {frozenset(("W1", "K1")), frozenset(("W1", "V1a")), frozenset(("K2", "V2b"))} <= _routines(m)
    out = {**agreement, "kommuner_in_forum": False, "left_out_fidelity": 0.0}
    m_out = run_model(_small(region={"R": {"agreements": [out]}}), 1)
    assert frozenset(("W1", "V1a")) in _routines(m_out)
    assert not ({frozenset(("W1", "K1")), frozenset(("K1", "V1a"))} & _routines(m_out))


def test_needs_are_misjudged_only_when_the_patient_has_no_voice():
    heard = run_model(_small(patient_voice={"participation": 1.0, "misjudged_without_voice": 1.0}), 1)
    assert not any(ep.misjudged for ep in heard.episodes)
    unheard = run_model(_small(patient_voice={"participation": 0.0, "misjudged_without_voice": 1.0}), 1)
    planned = [ep for ep in unheard.episodes if ep.planned != NEVER]
    assert planned and all(ep.misjudged for ep in planned)
