"""The model configured as a plain discrete-time queue, checked against the formula.

Configuration: one kommun and one ward with unlimited beds and coordinators; every patient needs
home help only; fixed 3-day treatment; notices always on time; planning takes 0 days and
assessors are unlimited; everyone works every day; one home-help start a day; flat arrival
weights; no readmission, misplacement, forced discharge or relationship dynamics.

Within a day (model.py, top): (1) patients admitted 3 days ago become ready; (3) the kommun can
start one home-help client; (4) the ward discharges the longest-waiting ready patient if a start
is left; (5) admissions; (6) the ready patients still in beds are counted. A patient admitted on
day d is notified on d, planned on d+1 (planning time 0) and ready on d+3, so planning never
binds. With A_t ~ Poisson(lam) patients becoming ready on day t and one discharge a day, the
number waiting after step (1) is Q'_t = Q_{t-1} + A_t and the end-of-day count is
Q_t = Q'_t - 1{Q'_t > 0} = max(Q_{t-1} + A_t - 1, 0).

Stationary mean, from Q_t^2 = (Q_{t-1} + A_t - 1)^2 - 1{Q_{t-1} + A_t = 0} with
P(Q_{t-1} + A_t = 0) = 1 - lam (flow balance): E[Q] = lam^2 / (2 (1 - lam)). By Little's law the
mean number of days as utskrivningsklar (discharge day minus ready day) is W = E[Q] / lam =
lam / (2 (1 - lam)). For lam = 0.7: E[Q] = 0.8167, W = 1.1667.

Tolerance. The queue is strongly autocorrelated: 300 replications of the recursion with numpy
(19,500 days after 500 warm-up days, lam = 0.7) gave a relative standard deviation of the run
mean of 5.1 % against the true-lam formula, and 3.6 % against the formula evaluated at the run's
own arrival rate (which removes the arrival-count noise). Pooling 3 runs gives standard errors of
about 3.0 % and 2.1 %; the tolerances below, 12 % and 8 %, are about 4 standard errors. An error
in the within-day ordering would be far larger: a discharge one day late adds 1 day to W (+86 %),
counting before discharges adds lam to E[Q] (+86 %).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest
from builders import run_model

from simulation import summarise

LAM = 0.7
DAYS, WARMUP = 20_000, 500
SEEDS = [11, 12, 13]
ROLES = (
    "ward_coordinator",
    "vardcentral",
    "assessor",
    "home_health_care",
    "home_help_starts",
    "place_intake",
)


def queue_scenario(lam: float = LAM, days: int = DAYS, warmup: int = WARMUP) -> dict[str, Any]:
    """The discharge chain reduced to a discrete-time single-server queue with arrival rate lam."""
    return {
        "name": "md1",
        "start_date": "2019-01-07",
        "days": days,
        "warmup_days": warmup,
        "rules": {
            "misplacement_probability": 0.0,
            "notice_reliability": 1.0,
            "forced_discharge": {},
        },
        "weekend_staffing": dict.fromkeys(ROLES, 1.0),
        "patients": {
            # population_65plus * rate / 1000 / 365 = 1000 * (lam * 365) / 1000 / 365 = lam
            "admissions_per_1000_65plus": lam * 365.0,
            "weekday_weights": [1.0] * 7,
            "holiday_weight": 1.0,
            "treatment_days": {"dist": "fixed", "value": 3.0},
            "kommun_support": {"none": 0.0, "home_help": 1.0, "short_term": 0.0, "care_home": 0.0},
            "home_health_care_with_support": 0.0,
            "home_health_care_without_support": 0.0,
            "readmission_30d": 0.0,
        },
        "relationships": {"enable_growth": False, "enable_turnover": False, "enable_forums": False},
        "durations": {"planning_days": {"dist": "fixed", "value": 0.0}},
        "hospital": {"H": {}},
        "ward": {
            "W": {
                "hospital": "H",
                "beds": 100_000,
                "serves": ["K"],
                "coordinator_capacity": 100_000,
                "notice_reliability": 1.0,
                "notice_late_probability": 0.0,
                "initial_occupancy": 0.0,
                "staff_turnover_per_year": 0.0,
            }
        },
        "kommun": {
            "K": {
                "population": 5000,
                "population_65plus": 1000,
                "hospitals": {"H": 1.0},
                "assessor_capacity": 100_000,
                "home_help_starts_per_day": 1,
                "staff_turnover_per_year": 0.0,
            }
        },
        "vardcentral": {"V": {"kommun": "K", "staff_turnover_per_year": 0.0}},
    }


def mean_queue(lam: float) -> float:
    return lam**2 / (2 * (1 - lam))


def mean_wait(lam: float) -> float:
    return lam / (2 * (1 - lam))


@pytest.fixture(scope="module")
def runs() -> list[Any]:
    return [run_model(queue_scenario(), seed) for seed in SEEDS]


def test_model_follows_the_queue_recursion_exactly(runs: list[Any]) -> None:
    # Independent of any formula: rebuild Q_t = max(Q_{t-1} + A_t - 1, 0) from the days the
    # episodes became ready and compare with the ward's recorded end-of-day counts, day by day.
    for m in runs:
        arrivals = Counter(ep.ready for ep in m.episodes)
        q, expected = 0, np.empty(m.horizon, dtype=np.int64)
        for t in range(m.horizon):
            q = max(q + arrivals.get(t, 0) - 1, 0)
            expected[t] = q
        assert np.array_equal(expected, m.ward_ready[:, 0])
        # FIFO, one a day: nobody is skipped, nobody leaves before being ready.
        done = sorted((ep for ep in m.episodes if ep.discharged >= 0), key=lambda e: e.discharged)
        assert all(a.discharged < b.discharged for a, b in zip(done, done[1:], strict=False))
        assert all(a.ready <= b.ready for a, b in zip(done, done[1:], strict=False))
        assert all(ep.ready == ep.admitted + 3 for ep in m.episodes if ep.admitted + 3 < m.horizon)


def test_mean_waiting_and_ready_days_match_the_formula(runs: list[Any]) -> None:
    window = DAYS - WARMUP
    summaries = [summarise(m) for m in runs]
    assert all(s["gap_events_total"] == 0 and s["forced_discharges"] == 0 for s in summaries)
    # Arrival rate: 3 x 19,500 Poisson days, standard error 0.5 %.
    lam_hat = sum(s["admissions"] for s in summaries) / (len(runs) * window)
    assert lam_hat == pytest.approx(LAM, rel=0.02)
    q_hat = sum(s["ready_bed_days"] for s in summaries) / (len(runs) * window)
    w_hat = float(np.mean([s["mean_ready_days"] for s in summaries]))
    assert q_hat == pytest.approx(mean_queue(lam_hat), rel=0.08)
    assert w_hat == pytest.approx(mean_wait(lam_hat), rel=0.08)
    assert q_hat == pytest.approx(mean_queue(LAM), rel=0.12)
    assert w_hat == pytest.approx(mean_wait(LAM), rel=0.12)


def test_queue_with_lighter_load() -> None:
    # lam = 0.5: E[Q] = 0.25, W = 0.5. One run of 9,800 days after warm-up: 400 replications of
    # the recursion gave a relative standard deviation of 4.5 % (plug-in lam); 18 % is 4 of them.
    lam, days, warmup = 0.5, 10_000, 200
    m = run_model(queue_scenario(lam=lam, days=days, warmup=warmup), 5)
    s = summarise(m)
    lam_hat = s["admissions"] / (days - warmup)
    assert lam_hat == pytest.approx(lam, rel=0.04)
    assert s["ready_bed_days"] / (days - warmup) == pytest.approx(mean_queue(lam_hat), rel=0.18)
    assert s["mean_ready_days"] == pytest.approx(mean_wait(lam_hat), rel=0.18)
