"""Hypothesis strategies: random small scenarios as plain dicts for ``scenario_from_dict``."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Probabilities on a 1/1000 grid (0 and 1 included) or any float in [0, 1], subnormals included
# (a subnormal daily chance once crashed the model: see test_tiny_recovery_probability_runs).
probability = st.integers(0, 1000).map(lambda i: i / 1000) | st.floats(0.0, 1.0)
fraction = st.sampled_from([0.0, 0.25, 0.5, 1.0]) | probability


@st.composite
def small_scenarios(draw: st.DrawFn, min_days: int = 60, max_days: int = 150) -> dict[str, Any]:
    """1-3 kommuner, 1-4 wards on 1-2 hospitals, capacities including zero, random probabilities."""
    n_k = draw(st.integers(1, 3))
    n_w = draw(st.integers(1, 4))
    n_h = draw(st.integers(1, min(2, n_w)))
    kommuner = [f"K{i}" for i in range(n_k)]
    hospitals = [f"H{i}" for i in range(n_h)]
    # Every hospital gets a ward (the scenario requires kommuner's hospitals to have wards).
    ward_hosp = hospitals + [draw(st.sampled_from(hospitals)) for _ in range(n_w - n_h)]
    wards: dict[str, Any] = {}
    for i, h in enumerate(ward_hosp):
        wards[f"W{i}"] = {
            "hospital": h,
            "beds": draw(st.integers(0, 25)),
            "serves": draw(st.lists(st.sampled_from(kommuner), unique=True, max_size=n_k)),
            "coordinator_capacity": draw(st.integers(0, 6)),
            "notice_reliability": draw(probability),
            "notice_late_probability": draw(probability),
            "initial_occupancy": draw(probability),
            "initial_ready_share": draw(probability),
        }
        if draw(st.booleans()):
            wards[f"W{i}"]["coordinator_roster"] = draw(st.lists(fraction, min_size=7, max_size=7))
    kommun: dict[str, Any] = {}
    vardcentral: dict[str, Any] = {}
    for k in kommuner:
        used = draw(st.lists(st.sampled_from(hospitals), min_size=1, unique=True))
        pop65 = draw(st.integers(0, 4000))
        kommun[k] = {
            "population": pop65 * 5,
            "population_65plus": pop65,
            "hospitals": {h: draw(st.floats(0.1, 1.0)) for h in used},
            "assessor_capacity": draw(st.integers(0, 5)),
            "home_help_starts_per_day": draw(st.integers(0, 5)),
            "short_term_places": draw(st.integers(0, 8)),
            "care_home_places": draw(st.integers(0, 8)),
            "initial_place_occupancy": draw(probability),
            "active_search_probability": draw(probability),
            "integrated_primary_care": draw(st.booleans()),
        }
        for j in range(draw(st.integers(1, 2))):
            vardcentral[f"{k}-vc{j}"] = {
                "kommun": k,
                "listed_share": draw(st.floats(0.1, 1.0)),
                "tasks_per_day": draw(st.integers(0, 6)),
                "answer_reliability": draw(probability),
                "sip_call_rate": draw(probability),
            }
    support = {s: draw(st.floats(0.0, 1.0)) for s in ("none", "home_help", "short_term", "care_home")}
    if sum(support.values()) <= 0:
        support["none"] = 1.0
    days = draw(st.integers(min_days, max_days))
    forced: dict[str, Any] = {}
    if draw(st.booleans()):
        forced["max_wait_days"] = draw(st.integers(0, 20))
    if draw(st.booleans()):
        forced["bed_pressure_occupancy"] = draw(st.floats(0.5, 1.0))
    return {
        "name": "random",
        "start_date": draw(st.sampled_from(["2019-01-01", "2019-04-15", "2020-06-15", "2021-12-20"])),
        "days": days,
        "warmup_days": draw(st.integers(0, days // 3)),
        "rules": {
            "misplacement_probability": draw(probability),
            "sip_call_rate": draw(st.none() | probability),
            "wait_for_care_contact_days": draw(st.none() | st.integers(0, 3)),
            "digital_meetings": draw(st.booleans()),
            "payment_threshold_days": draw(st.integers(0, 5)),
            "forced_discharge": forced,
        },
        "weekend_staffing": {
            role: draw(fraction)
            for role in (
                "ward_coordinator",
                "vardcentral",
                "assessor",
                "home_health_care",
                "home_help_starts",
                "place_intake",
            )
        },
        "patients": {
            "admissions_per_1000_65plus": 270.0,
            "kommun_support": support,
            "home_health_care_with_support": draw(probability),
            "home_health_care_without_support": draw(probability),
            "readmission_30d": draw(st.floats(0.0, 0.5)),
            "readmission_delay_days": {"dist": "empirical", "values": [1.0, 3.0, 7.0, 14.0]},
        },
        "relationships": {
            "initial_strength": draw(probability),
            "unfamiliar_strength": draw(probability),
            "growth": draw(st.floats(0.0, 0.2)),
            "forums": [{"members": [kommuner[0], "W0"], "every_days": draw(st.integers(1, 30))}],
        },
        "durations": {
            # Short stays so that places turn over (and readmitted residents outlive their place).
            "short_term_stay_days": {"dist": "lognormal", "median": 5.0, "mean": 7.0},
            "care_home_stay_days": {"dist": "lognormal", "median": 20.0, "mean": 30.0},
        },
        "hospital": {h: {} for h in hospitals},
        "ward": wards,
        "kommun": kommun,
        "vardcentral": vardcentral,
    }
