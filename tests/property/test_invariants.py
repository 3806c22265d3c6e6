"""Invariants over random small scenarios: nobody lost or duplicated, capacities respected,
bed-day accounting identities, Little's law, reproducibility."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest
from builders import NORDOST, clipped_ready_days, deep_merge, run_model, small_scenario_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import small_scenarios

from simulation import DischargeModel, scenario_from_dict, summarise
from simulation.chain import NEVER
from simulation.metrics import daily_table, episode_table, gap_table, ward_daily_table

PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _check_day(m: DischargeModel) -> None:
    """Everything that must hold at the end of every day."""
    day = m.day
    beds = Counter()
    patients_in_bed = Counter()
    for w in m.wards:
        assert 0 <= len(w.in_bed) <= w.beds, (day, w.name, len(w.in_bed), w.beds)
        assert w.free == w.beds - len(w.in_bed), (day, w.name, w.free)  # the kept count of free beds
        ready_here = 0
        for eid, ep in w.in_bed.items():
            assert eid == ep.episode_id
            assert ep.ward is w
            assert ep.discharged == NEVER, (day, eid, "discharged but still in a bed")
            assert ep.admitted <= day
            beds[eid] += 1
            patients_in_bed[ep.patient_id] += 1
            if ep.ready != NEVER:
                assert ep.ready <= day
                ready_here += 1
        assert w.ready_count == ready_here, (day, w.name, w.ready_count, ready_here)
        assert all(ep.waiting and ep.in_hospital for ep in w.waiting)
    assert all(n == 1 for n in beds.values()), "an episode in two beds"
    assert all(n == 1 for n in patients_in_bed.values()), "a patient in two beds at once"
    for ep in m.episodes:
        if ep.admitted <= day and ep.discharged == NEVER:
            assert beds[ep.episode_id] == 1, (
                day,
                ep.episode_id,
                "admitted, not discharged, no bed",
            )
        if ep.discharged != NEVER:
            assert ep.ready != NEVER and ep.admitted <= ep.ready <= ep.discharged <= day
    for k in m.kommuner:
        assert k.short_term_used >= 0 and k.care_home_used >= 0, (day, k.name)
        assert k.ready_count == sum(
            1 for w in m.wards for ep in w.in_bed.values() if ep.patient.kommun is k and ep.ready != NEVER
        )


@PROPERTY
@given(small_scenarios())
def test_nobody_lost_or_duplicated_and_beds_within_capacity(data: dict[str, Any]) -> None:
    m = DischargeModel(scenario_from_dict(data), seed=11)
    n_initial = len(m.episodes)
    # Initially ready occupants the ward never registered leave before day 0 runs (not in the
    # daily counts).
    pre_discharged = {ep.episode_id for ep in m.episodes if ep.discharged != NEVER}
    for expected_day in range(m.horizon):
        m.step()
        assert m.day == expected_day
        _check_day(m)
    assert not m.running
    # Per-day admissions and discharges recorded per ward match the episodes (new admissions only:
    # the initial occupants were placed before day 0).
    admitted = Counter((ep.admitted, ep.ward.index) for ep in m.episodes[n_initial:])
    discharged = Counter(
        (ep.discharged, ep.ward.index)
        for ep in m.episodes
        if ep.discharged != NEVER and ep.episode_id not in pre_discharged
    )
    for d in range(m.horizon):
        for w in m.wards:
            assert m.ward_admissions[d, w.index] == admitted.get((d, w.index), 0)
            assert m.ward_discharges[d, w.index] == discharged.get((d, w.index), 0)


@PROPERTY
@given(small_scenarios(), st.integers(0, 2**31 - 1))
def test_places_within_capacity_without_readmissions(data: dict[str, Any], seed: int) -> None:
    data = deep_merge(data, {"patients": {"readmission_30d": 0.0}})
    m = DischargeModel(scenario_from_dict(data), seed=seed)
    for _ in range(m.horizon):
        m.step()
        for k in m.kommuner:
            assert 0 <= k.short_term_used <= k.short_term_capacity, (m.day, k.name)
            assert 0 <= k.care_home_used <= k.care_home_capacity, (m.day, k.name)


def test_places_within_capacity_when_held_place_ends_during_readmission() -> None:
    # Everyone needs a short-term place, is readmitted the next day and outlives the 3-day place
    # while in hospital; places are scarce. (Regression: the model once trusted the place held at
    # admission and took a second place without a capacity check.)
    data = small_scenario_dict(
        days=60,
        warmup_days=0,
        patients={
            "kommun_support": {"none": 0.0, "home_help": 0.0, "short_term": 1.0, "care_home": 0.0},
            "readmission_30d": 1.0,
            "readmission_delay_days": {"dist": "fixed", "value": 1.0},
            "treatment_days": {"dist": "fixed", "value": 6.0},
        },
        durations={"short_term_stay_days": {"dist": "fixed", "value": 3.0}},
        kommun={
            "K1": {"short_term_places": 2, "initial_place_occupancy": 0.0},
            "K2": {"short_term_places": 2, "initial_place_occupancy": 0.0},
        },
    )
    m = DischargeModel(scenario_from_dict(data), seed=3)
    worst = 0
    for _ in range(m.horizon):
        m.step()
        worst = max(worst, *(k.short_term_used - k.short_term_capacity for k in m.kommuner))
    assert worst <= 0, f"short-term places over capacity by {worst}"


@PROPERTY
@given(small_scenarios(), st.integers(0, 2**31 - 1))
def test_ready_and_occupied_bed_days_add_up_over_episodes(data: dict[str, Any], seed: int) -> None:
    m = DischargeModel(scenario_from_dict(data), seed=seed).run()
    s = summarise(m)
    assert clipped_ready_days(m) == s["ready_bed_days"] == int(m.ward_ready[m.warmup :].sum())
    assert sum(s["ready_bed_days_by_ward"].values()) == s["ready_bed_days"]
    assert sum(s["ready_bed_days_by_kommun"].values()) == s["ready_bed_days"]
    w0, h = m.warmup, m.horizon
    occupied = sum(
        max(0, (h if ep.discharged == NEVER else min(ep.discharged, h)) - max(ep.admitted, w0))
        for ep in m.episodes
    )
    assert occupied == s["occupied_bed_days"]
    wd = ward_daily_table(m)
    assert int(wd.loc[wd["day"] >= w0, "ready_in_beds"].sum()) == s["ready_bed_days"]
    assert (wd["occupied"] <= wd["beds"]).all()
    assert (wd["ready_in_beds"] <= wd["occupied"]).all()


@PROPERTY
@given(small_scenarios(), st.integers(0, 2**31 - 1))
def test_figures_per_organisation_add_up_to_the_run(data: dict[str, Any], seed: int) -> None:
    # by_kommun.csv and by_hospital.csv are combined from these alone: every gap event of the window
    # belongs to exactly one kommun and one hospital, and the indicator of a group is a mean of the
    # same waits the run's indicator averages.
    m = DischargeModel(scenario_from_dict(data), seed=seed).run()
    s = summarise(m)
    for group in ("kommun", "hospital"):
        by = s[f"gap_events_by_{group}"]
        for kind, total in s["gap_events"].items():
            assert sum(counts[kind] for counts in by.values()) == total
        indicator = [v for v in s[f"mean_ready_days_indicator_by_{group}"].values() if v is not None]
        if s["mean_ready_days_indicator"] is None:
            assert indicator == []
        else:
            assert min(indicator) <= s["mean_ready_days_indicator"] + 1e-9
            assert max(indicator) >= s["mean_ready_days_indicator"] - 1e-9
    assert set(s["gap_events_by_kommun"]) == set(s["ready_bed_days_by_kommun"])
    w0, h = m.warmup, m.horizon
    price = m.params.rules.payment_price_sek
    whole_stays = sum(ep.payment_days for ep in m.episodes if w0 <= ep.discharged < h) * price
    assert sum(s["payment_sek_by_hospital"].values()) == pytest.approx(whole_stays)


def test_littles_law_holds_over_a_long_run() -> None:
    # L = lambda * W: mean number of ready patients in beds per day equals the rate of (LUS)
    # patients becoming ready times their mean time as ready. Boundary episodes are O(W / T) of
    # the total.
    data = small_scenario_dict(days=2000, warmup_days=100)
    m = run_model(data, seed=5)
    s = summarise(m)
    window = m.horizon - m.warmup
    mean_waiting = s["ready_bed_days"] / window
    rate = s["lus_discharges"] / window
    assert mean_waiting > 0.5  # queues do form in this configuration
    assert mean_waiting == pytest.approx(rate * s["mean_ready_days"], rel=0.03)
    # And the same from the daily series and the episode table directly.
    et = episode_table(m)
    became_ready = et[(et["ready"] >= m.warmup) & (et["ready"] < m.horizon)]
    waits = (became_ready["discharged"].fillna(m.horizon) - became_ready["ready"]).astype(float)
    lam = len(became_ready) / window
    assert float(m.ward_ready[m.warmup :].sum(axis=1).mean()) == pytest.approx(lam * waits.mean(), rel=0.03)


def _all_tables(m: DischargeModel) -> dict[str, pd.DataFrame]:
    return {
        "episodes": episode_table(m),
        "gaps": gap_table(m),
        "daily": daily_table(m),
        "ward_daily": ward_daily_table(m),
    }


@settings(max_examples=20, deadline=None, database=None)
@given(small_scenarios(max_days=100), st.integers(0, 2**31 - 1))
def test_same_scenario_and_seed_give_identical_results(data: dict[str, Any], seed: int) -> None:
    a = DischargeModel(scenario_from_dict(data), seed=seed).run()
    b = DischargeModel(scenario_from_dict(deep_merge(data, {})), seed=seed).run()
    assert summarise(a) == summarise(b)
    ta, tb = _all_tables(a), _all_tables(b)
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


def test_stepping_day_by_day_equals_run() -> None:
    sc = scenario_from_dict(small_scenario_dict(days=90))
    a = DischargeModel(sc, seed=4).run()
    b = DischargeModel(sc, seed=4)
    while b.running:
        b.step()
    assert b.day == sc.days - 1
    assert summarise(a) == summarise(b)
    pd.testing.assert_frame_equal(episode_table(a), episode_table(b))


def test_seed_argument_overrides_the_scenario_seed() -> None:
    sc = scenario_from_dict(small_scenario_dict(days=60, seed=21))
    default = DischargeModel(sc).run()
    explicit = DischargeModel(sc, seed=21).run()
    assert default.seed == 21
    pd.testing.assert_frame_equal(episode_table(default), episode_table(explicit))


@pytest.mark.parametrize("seeds", [(1, 2), (3, 4), (10, 1000)])
def test_different_seeds_give_different_results(seeds: tuple[int, int]) -> None:
    sc = scenario_from_dict(small_scenario_dict(days=90))
    a, b = (DischargeModel(sc, seed=s).run() for s in seeds)
    sa, sb = summarise(a), summarise(b)
    assert (sa["admissions"], sa["ready_bed_days"], sa["gap_events_total"]) != (
        sb["admissions"],
        sb["ready_bed_days"],
        sb["gap_events_total"],
    )
    ea, eb = episode_table(a), episode_table(b)
    assert not (ea.shape == eb.shape and ea.equals(eb))
    assert not np.array_equal(a.ward_occupied, b.ward_occupied)


@PROPERTY
@given(small_scenarios(), st.integers(0, 2**31 - 1))
def test_a_finished_chain_keeps_only_its_record(data: dict[str, Any], seed: int) -> None:
    """Memory stays flat in simulated time: no patient agents, no draws once nothing can use them."""
    m = DischargeModel(scenario_from_dict(data), seed=seed).run()
    assert len(m.agents) == len(m.wards) + len(m.kommuner) + len(m.vardcentraler)
    for ep in m.episodes:
        done = ep.discharged != NEVER and (not ep.sip_eligible or ep.sip_outcome != NEVER)
        if done:
            assert ep.draws is None, (ep.episode_id, "finished episode still holds its draws")
        if ep.in_hospital:
            assert ep.draws is not None or not ep.lus  # outside LUS: used up at admission


_SCHEMAS: dict[str, Any] = {}


def _schemas(scenario: Any, seed: int) -> dict[str, Any]:
    import pyarrow as pa

    from runner.single import run_one

    tables = run_one(scenario, seed).tables
    return {name: pa.Table.from_pandas(df, preserve_index=False).schema for name, df in tables.items()}


@settings(max_examples=25, deadline=None, database=None)
@given(small_scenarios(min_days=1, max_days=12), st.integers(0, 2**31 - 1))
def test_every_table_has_the_same_column_types_in_every_run(data: dict[str, Any], seed: int) -> None:
    """A run's tables are stored one Parquet file per replication and read back as one dataset: a
    column typed null in a run without gaps (or without patients) could not be read beside a run
    with them. Small and empty runs must give the columns and types of a full nordost year."""
    from simulation import load_scenario

    reference = _SCHEMAS.setdefault("nordost", _schemas(load_scenario(NORDOST), 1))
    for name, schema in _schemas(scenario_from_dict(data), seed).items():
        assert schema.equals(reference[name], check_metadata=False), (name, schema, reference[name])
