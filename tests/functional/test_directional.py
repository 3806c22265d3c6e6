"""Directional checks from the domain (DOMAIN.md): each compares two configurations of the same
small scenario over common seeds (3 seeds x 240 days)."""

from __future__ import annotations

from typing import Any

import pytest
from builders import run_summaries, small_scenario_dict

SEEDS = [1, 2, 3]
HORIZON = {"days": 240, "warmup_days": 30}
# Everyone but the two roles under test works weekends, so only those two differ.
OTHERS_ON = {"assessor": 1.0, "home_health_care": 1.0, "home_help_starts": 1.0, "place_intake": 1.0}


def _pair(low: dict[str, Any], high: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    return (
        run_summaries(small_scenario_dict(**HORIZON, **low), SEEDS),
        run_summaries(small_scenario_dict(**HORIZON, **high), SEEDS),
    )


def _total(summaries: list[dict[str, Any]], key: str) -> float:
    return sum(s[key] for s in summaries)


def test_weekend_staffing_of_coordinators_and_vardcentraler() -> None:
    # Seed 002: ward coordinators and vårdcentraler did not work weekends, so few patients needing
    # coordinated planning went home on weekends.
    off, on = _pair(
        {"weekend_staffing": {**OTHERS_ON, "ward_coordinator": 0.0, "vardcentral": 0.0}},
        {"weekend_staffing": {**OTHERS_ON, "ward_coordinator": 1.0, "vardcentral": 1.0}},
    )
    for s_off, s_on in zip(off, on, strict=True):
        assert s_off["lus_discharges"] > 300 and s_on["lus_discharges"] > 300
        assert s_off["weekend_lus_discharge_share"] < 0.02
        # With everyone at work, weekends (about 2/7 of days plus holidays) get their share.
        assert 0.2 < s_on["weekend_lus_discharge_share"] < 0.45
        assert s_off["ready_bed_days"] > 1.5 * s_on["ready_bed_days"]
        assert s_off["mean_ready_days"] > s_on["mean_ready_days"]


def test_more_sip_calls_fewer_sip_not_called_gaps() -> None:
    low, high = _pair({"rules": {"sip_call_rate": 0.1}}, {"rules": {"sip_call_rate": 0.9}})
    for s_low, s_high in zip(low, high, strict=True):
        assert s_high["gap_events"]["sip_not_called"] < 0.5 * s_low["gap_events"]["sip_not_called"]
        assert s_high["sip_rate"] > s_low["sip_rate"]
        assert s_high["gap_events_total"] < s_low["gap_events_total"]
        # The SIP is held after discharge: it does not change who waits in a bed.
        assert s_high["sip_eligible_discharges"] == pytest.approx(s_low["sip_eligible_discharges"], rel=0.1)


def test_stronger_relationships_fewer_gaps_and_ready_bed_days() -> None:
    # "Relationships carry the chain": informal recovery of missed notices, faster replies from
    # vårdcentraler, chasing, and faster planning. Planning is made slower here so that it matters.
    common = {"durations": {"planning_days": {"dist": "geometric", "mean": 3.0}}}
    weak, strong = _pair(
        {**common, "relationships": {"initial_strength": 0.1}},
        {**common, "relationships": {"initial_strength": 0.9}},
    )
    for s_weak, s_strong in zip(weak, strong, strict=True):
        assert s_strong["gap_events_total"] < s_weak["gap_events_total"]
        assert s_strong["gap_events"]["no_care_contact"] <= s_weak["gap_events"]["no_care_contact"]
        assert s_strong["mean_relationship_strength_end"] > s_weak["mean_relationship_strength_end"]
    assert _total(strong, "ready_bed_days") < 0.95 * _total(weak, "ready_bed_days")
    assert _total(strong, "gap_events_total") < 0.97 * _total(weak, "gap_events_total")


@pytest.mark.parametrize(("fewer", "more"), [(1, 2), (2, 6)])
def test_more_home_help_capacity_fewer_ready_bed_days(fewer: int, more: int) -> None:
    def starts(n: int) -> dict[str, Any]:
        return {"kommun": {k: {"home_help_starts_per_day": n} for k in ("K1", "K2")}}

    low, high = _pair(starts(fewer), starts(more))
    for s_low, s_high in zip(low, high, strict=True):
        assert s_high["ready_bed_days"] < s_low["ready_bed_days"]
        assert s_high["mean_ready_days"] < s_low["mean_ready_days"]
        assert s_high["payment_days"] <= s_low["payment_days"]


def test_capacity_factor_scales_home_help_like_the_kommun_setting() -> None:
    # capacity.home_help_starts multiplies every kommun's home-help starts.
    via_factor = run_summaries(
        small_scenario_dict(
            **HORIZON,
            capacity={"home_help_starts": 2.0},
            kommun={k: {"home_help_starts_per_day": 1} for k in ("K1", "K2")},
        ),
        SEEDS[:1],
    )
    direct = run_summaries(
        small_scenario_dict(**HORIZON, kommun={k: {"home_help_starts_per_day": 2} for k in ("K1", "K2")}),
        SEEDS[:1],
    )
    assert via_factor[0]["ready_bed_days"] == direct[0]["ready_bed_days"]
    assert via_factor[0]["gap_events"] == direct[0]["gap_events"]
