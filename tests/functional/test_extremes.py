"""Extreme values: zero capacity, zero beds, nobody or everybody needing coordinated care."""

from __future__ import annotations

import pytest
from builders import run_model, small_scenario_dict

from simulation import DischargeModel, scenario_from_dict, summarise
from simulation.chain import NEVER

SEEDS = [1, 2]
NO_SUPPORT = {"none": 1.0, "home_help": 0.0, "short_term": 0.0, "care_home": 0.0}
ALL_SUPPORT = {"none": 0.0, "home_help": 0.6, "short_term": 0.3, "care_home": 0.1}


@pytest.mark.parametrize("seed", SEEDS)
def test_no_assessors_and_no_forced_discharge_beds_fill(seed: int) -> None:
    data = small_scenario_dict(
        days=150,
        rules={
            "forced_discharge": {"max_wait_days": None, "bed_pressure_occupancy": None},
            "notice_reliability": 1.0,
            "misplaced_notice_factor": 1.0,
        },
        ward={w: {"notice_late_probability": 0.0} for w in ("W1", "W2")},
        kommun={"K1": {"assessor_capacity": 0}, "K2": {"assessor_capacity": 0}},
    )
    m = run_model(data, seed)
    s = summarise(m)
    kommun_cases = [ep for ep in m.episodes if ep.needs_kommun]
    assert kommun_cases
    # Nobody needing the kommun is planned for, and nobody needing it leaves.
    assert all(ep.planned == NEVER for ep in kommun_cases)
    assert all(ep.discharged == NEVER for ep in kommun_cases)
    # They pile up until every bed is taken and new patients are turned away.
    for w in m.wards:
        assert m.ward_occupied[-1, w.index] == w.beds
        assert sum(1 for ep in w.in_bed.values() if ep.needs_kommun) >= w.beds - 3
    assert s["turned_away"] > 100
    assert s["ready_bed_share"] > 0.5
    assert s["payment_days"] > 0
    assert s["forced_discharges"] == 0


def test_no_assessors_only_unnotified_kommun_cases_leave() -> None:
    # With the usual notice reliability some admissions are never registered: those patients leave
    # when ready, but always through a gap, never as a coordinated discharge.
    data = small_scenario_dict(
        days=120,
        rules={"forced_discharge": {"max_wait_days": None}, "notice_reliability": 0.8},
        kommun={"K1": {"assessor_capacity": 0}, "K2": {"assessor_capacity": 0}},
    )
    m = run_model(data, 3)
    left = [ep for ep in m.episodes if ep.needs_kommun and ep.discharged != NEVER]
    assert left
    for ep in left:
        assert ep.kommun_informed == NEVER and ep.gaps >= 1 and not ep.forced


@pytest.mark.parametrize("seed", SEEDS)
def test_zero_beds_everyone_turned_away(seed: int) -> None:
    data = small_scenario_dict(days=90, ward={"W1": {"beds": 0}, "W2": {"beds": 0}})
    m = run_model(data, seed)
    s = summarise(m)
    assert m.episodes == []
    assert s["admissions"] == s["discharges"] == 0
    assert s["ready_bed_days"] == s["occupied_bed_days"] == 0
    assert s["gap_events_total"] == 0
    # About 8.1 arrivals a day over the 70 days after warm-up, all turned away.
    expected = (6000 + 5000) * 270 / 1000 / 365 * 70
    assert s["turned_away"] == pytest.approx(expected, rel=0.15)


@pytest.mark.parametrize("seed", SEEDS)
def test_nobody_needing_care_no_ready_bed_days_no_gaps(seed: int) -> None:
    data = small_scenario_dict(
        days=120,
        patients={"kommun_support": NO_SUPPORT, "home_health_care_without_support": 0.0},
    )
    m = run_model(data, seed)
    s = summarise(m)
    assert s["discharges"] > 500
    assert s["ready_bed_days"] == 0
    assert s["gap_events_total"] == 0 and all(v == 0 for v in s["gap_events"].values())
    assert s["lus_discharges"] == 0 and s["sip_eligible_discharges"] == 0
    assert s["payment_days"] == 0
    # Everyone admitted goes home the day they are ready, weekends included.
    assert all(ep.discharged == ep.ready for ep in m.episodes if ep.discharged != NEVER and not ep.lus)
    assert all(not ep.lus for ep in m.episodes if ep.admitted > 0)
    assert 0.15 < s["weekend_discharge_share"] < 0.4


def test_nobody_needing_care_no_lus_episodes_even_at_start() -> None:
    # Regression: initially ready occupants were always made LUS patients (home health care
    # forced on), even when the patient mix has nobody needing care.
    data = small_scenario_dict(
        days=30,
        warmup_days=0,
        patients={"kommun_support": NO_SUPPORT, "home_health_care_without_support": 0.0},
    )
    m = run_model(data, 1)
    assert not any(ep.lus for ep in m.episodes)
    assert summarise(m)["lus_discharges"] == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_everybody_needing_coordination_every_discharge_is_sip_eligible(seed: int) -> None:
    data = small_scenario_dict(
        days=120,
        patients={"kommun_support": ALL_SUPPORT, "home_health_care_with_support": 1.0},
        kommun={
            k: {
                "assessor_capacity": 10,
                "home_help_starts_per_day": 8,
                "short_term_places": 60,
                "care_home_places": 60,
            }
            for k in ("K1", "K2")
        },
    )
    m = run_model(data, seed)
    s = summarise(m)
    assert s["discharges"] > 300
    assert s["sip_eligible_discharges"] == s["discharges"] == s["lus_discharges"]
    assert all(ep.sip_eligible for ep in m.episodes)
    # Every SIP-eligible discharge either has a SIP outcome or is still waiting for the call.
    window = [ep for ep in m.episodes if m.warmup <= ep.discharged < m.horizon - 30]
    assert all(ep.sip_outcome != NEVER or ep.sip_called != NEVER or ep.sip_pending for ep in window)


def test_zero_admission_rate_is_an_empty_but_valid_run() -> None:
    data = small_scenario_dict(
        days=60,
        patients={"admissions_per_1000_65plus": 0.0},
        ward={"W1": {"initial_occupancy": 0.0}, "W2": {"initial_occupancy": 0.0}},
    )
    m = run_model(data, 1)
    s = summarise(m)
    assert m.episodes == [] and s["admissions"] == 0 and s["turned_away"] == 0
    assert s["ready_bed_share"] is None and s["mean_ready_days"] is None


def test_tiny_recovery_probability_runs() -> None:
    # Regression: validation accepts 1e-310, and the geometric delay once overflowed to
    # int(inf) (OverflowError) for such a subnormal daily chance.
    data = small_scenario_dict(
        days=30,
        rules={"notice_reliability": 0.0},
        relationships={"informal_recovery_per_day": 1e-310},
    )
    m = DischargeModel(scenario_from_dict(data), seed=1).run()
    # A chance of 1e-310 a day is never: nobody is found by phone.
    # (patients in beds before day 0 were registered by design, so only later admissions count)
    assert all(ep.kommun_informed == NEVER for ep in m.episodes if ep.admitted > 0)


def test_treatment_longer_than_the_calendar_does_not_crash() -> None:
    data = small_scenario_dict(
        days=60, warmup_days=0, patients={"treatment_days": {"dist": "fixed", "value": 500}}
    )
    m = run_model(data, 1)
    assert all(ep.ready == NEVER for ep in m.episodes if ep.admitted > 0)
