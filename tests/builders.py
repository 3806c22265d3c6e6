"""Helpers shared by the test tiers: small synthetic scenarios as plain dicts, and model runners.

Imported by ``conftest.py`` (which puts this directory on ``sys.path``) and by test modules.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from simulation import DischargeModel, scenario_from_dict, summarise
from simulation.chain import NEVER

REPO = Path(__file__).resolve().parent.parent
NORDOST = REPO / "scenarios" / "nordost.toml"


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``override`` merged in.

    Nested tables are merged; everything else, including distribution specs (tables with a ``dist``
    key), is replaced whole.
    """
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and "dist" not in value:
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def small_scenario_dict(**overrides: Any) -> dict[str, Any]:
    """One hospital, two wards, two kommuner with two vårdcentraler each, about 8 admissions a day.

    Capacities are sized so that the chain works but queues do form; ``overrides`` are deep-merged.
    """
    base: dict[str, Any] = {
        "name": "small",
        "start_date": "2019-01-07",  # a Monday
        "days": 120,
        "warmup_days": 20,
        "seed": 7,
        "rules": {"misplacement_probability": 0.02, "forced_discharge": {"max_wait_days": 30}},
        "durations": {
            "short_term_stay_days": {"dist": "lognormal", "median": 10.0, "mean": 14.0},
            "care_home_stay_days": {"dist": "lognormal", "median": 60.0, "mean": 90.0},
        },
        "patients": {
            "kommun_support": {
                "none": 0.65,
                "home_help": 0.25,
                "short_term": 0.07,
                "care_home": 0.03,
            },
            "home_health_care_with_support": 0.6,
            "home_health_care_without_support": 0.1,
        },
        "hospital": {"H": {}},
        "ward": {
            "W1": {"hospital": "H", "beds": 35, "serves": ["K1"], "coordinator_capacity": 6},
            "W2": {"hospital": "H", "beds": 35, "serves": ["K2"], "coordinator_capacity": 6},
        },
        "kommun": {
            "K1": {
                "population": 30000,
                "population_65plus": 6000,
                "hospitals": {"H": 1.0},
                "assessor_capacity": 4,
                "home_help_starts_per_day": 3,
                "short_term_places": 14,
                "care_home_places": 25,
            },
            "K2": {
                "population": 25000,
                "population_65plus": 5000,
                "hospitals": {"H": 1.0},
                "assessor_capacity": 4,
                "home_help_starts_per_day": 3,
                "short_term_places": 12,
                "care_home_places": 22,
            },
        },
        "vardcentral": {
            "V1a": {"kommun": "K1", "tasks_per_day": 4},
            "V1b": {"kommun": "K1", "tasks_per_day": 4},
            "V2a": {"kommun": "K2", "tasks_per_day": 4},
            "V2b": {"kommun": "K2", "tasks_per_day": 4},
        },
    }
    return deep_merge(base, overrides)


def run_model(data: dict[str, Any], seed: int) -> DischargeModel:
    """Validate ``data`` and run it to the horizon with ``seed``."""
    return DischargeModel(scenario_from_dict(data), seed=seed).run()


def run_summaries(data: dict[str, Any], seeds: list[int]) -> list[dict[str, Any]]:
    """Summaries of ``data`` for each seed."""
    return [summarise(run_model(data, s)) for s in seeds]


def clipped_ready_days(model: DischargeModel) -> int:
    """Bed-days as utskrivningsklar summed over episodes, counted on days in [warmup, horizon).

    A patient counts on day d when ready on or before d and not yet discharged at the end of d.
    """
    w0, h = model.warmup, model.horizon
    total = 0
    for ep in model.episodes:
        if ep.ready == NEVER:
            continue
        end = h if ep.discharged == NEVER else min(ep.discharged, h)
        total += max(0, end - max(ep.ready, w0))
    return total
