"""Distributions: sample means match expected(), parameterisations, day rounding, validation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from simulation.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Geometric,
    LogNormal,
    Poisson,
)

SPEC = TypeAdapter(Distribution)
N = 200_000


def _dist(spec: dict[str, Any]) -> Any:
    return SPEC.validate_python(spec)


@pytest.mark.parametrize(
    ("spec", "mean"),
    [
        ({"dist": "fixed", "value": 3.5}, 3.5),
        ({"dist": "geometric", "p": 0.25}, 4.0),
        ({"dist": "geometric", "mean": 1.5}, 1.5),
        ({"dist": "exponential", "mean": 2.5}, 2.5),
        ({"dist": "poisson", "mean": 3.2}, 3.2),
        ({"dist": "lognormal", "median": 4.0, "mean": 5.5}, 5.5),
        ({"dist": "lognormal", "mu": 1.0, "sigma": 0.5}, math.exp(1.0 + 0.125)),
        ({"dist": "empirical", "values": [1, 2, 10]}, 13 / 3),
        ({"dist": "empirical", "values": [2, 5, 10], "weights": [4, 4, 2]}, 0.4 * 2 + 0.4 * 5 + 2),
    ],
)
def test_sample_mean_matches_expected(spec: dict[str, Any], mean: float) -> None:
    d = _dist(spec)
    assert d.expected() == pytest.approx(mean, rel=1e-12)
    x = d.sample(np.random.default_rng(123), N)
    assert x.shape == (N,)
    assert (x >= 0).all()
    se = x.std() / math.sqrt(N)
    assert abs(x.mean() - mean) <= 5 * se + 1e-12  # 5 standard errors


def test_lognormal_median_mean_parameterisation() -> None:
    d = _dist({"dist": "lognormal", "median": 4.0, "mean": 5.5})
    mu, sigma = d.log_params
    assert mu == pytest.approx(math.log(4.0))
    assert sigma == pytest.approx(math.sqrt(2 * math.log(5.5 / 4.0)))
    x = d.sample(np.random.default_rng(1), N)
    assert np.median(x) == pytest.approx(4.0, rel=0.01)


def test_lognormal_mu_sigma_parameterisation() -> None:
    d = _dist({"dist": "lognormal", "mu": 2.0, "sigma": 0.3})
    assert d.log_params == (2.0, 0.3)
    x = d.sample(np.random.default_rng(2), N)
    assert np.log(x).mean() == pytest.approx(2.0, abs=0.005)
    assert np.log(x).std() == pytest.approx(0.3, rel=0.01)


def test_lognormal_with_equal_median_and_mean_is_degenerate() -> None:
    d = _dist({"dist": "lognormal", "median": 3.0, "mean": 3.0})
    assert d.log_params[1] == 0.0
    assert np.allclose(d.sample(np.random.default_rng(0), 10), 3.0)


def test_geometric_support_starts_at_one() -> None:
    x = _dist({"dist": "geometric", "p": 0.9}).sample(np.random.default_rng(0), 10_000)
    assert x.min() == 1.0 and np.all(x == np.round(x))


def test_empirical_draws_only_its_values_in_proportion() -> None:
    d = _dist({"dist": "empirical", "values": [3, 7], "weights": [1, 3]})
    assert np.allclose(d.probabilities, [0.25, 0.75])
    x = d.sample(np.random.default_rng(5), N)
    assert set(np.unique(x)) == {3.0, 7.0}
    assert (x == 7).mean() == pytest.approx(0.75, abs=0.005)


def test_sample_days_rounds_and_clips() -> None:
    rng = np.random.default_rng(0)
    assert Fixed(dist="fixed", value=2.4).sample_days(rng, 3).tolist() == [2, 2, 2]
    assert Fixed(dist="fixed", value=2.6).sample_days(rng, 2).tolist() == [3, 3]
    assert Fixed(dist="fixed", value=0.0).sample_days(rng, 2, minimum=1).tolist() == [1, 1]
    days = Exponential(dist="exponential", mean=0.7).sample_days(rng, 1000, minimum=1)
    assert days.dtype.kind == "i" and days.min() >= 1


def test_same_generator_state_gives_same_draws() -> None:
    d = _dist({"dist": "lognormal", "median": 4.0, "mean": 5.5})
    a = d.sample(np.random.default_rng(99), 50)
    b = d.sample(np.random.default_rng(99), 50)
    assert np.array_equal(a, b)


def test_constructors_are_the_same_families() -> None:
    assert isinstance(_dist({"dist": "poisson", "mean": 1}), Poisson)
    assert isinstance(_dist({"dist": "geometric", "p": 0.5}), Geometric)
    assert isinstance(_dist({"dist": "lognormal", "mu": 0, "sigma": 1}), LogNormal)
    assert isinstance(_dist({"dist": "empirical", "values": [1]}), Empirical)


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ({"dist": "geometric", "p": 0.5, "mean": 2.0}, "exactly one of p or mean"),
        ({"dist": "geometric"}, "exactly one of p or mean"),
        ({"dist": "geometric", "p": 0.0}, "greater than 0"),
        ({"dist": "geometric", "mean": 0.5}, "greater than or equal to 1"),
        ({"dist": "exponential", "mean": 0.0}, "greater than 0"),
        ({"dist": "poisson", "mean": -1.0}, "greater than or equal to 0"),
        ({"dist": "fixed", "value": -1.0}, "greater than or equal to 0"),
        ({"dist": "lognormal", "median": 4.0, "mean": 3.0}, "mean must be at least its median"),
        ({"dist": "lognormal", "median": 4.0}, "both median and mean"),
        ({"dist": "lognormal", "mu": 1.0}, "both mu and sigma"),
        ({"dist": "lognormal", "median": 4.0, "mean": 5.0, "mu": 1.0, "sigma": 1.0}, "either"),
        ({"dist": "lognormal"}, "either median and mean, or mu and sigma"),
        ({"dist": "lognormal", "mu": 1.0, "sigma": -0.1}, "greater than or equal to 0"),
        ({"dist": "empirical", "values": []}, "at least 1"),
        ({"dist": "empirical", "values": [1, 2], "weights": [1]}, "as many entries as values"),
        ({"dist": "empirical", "values": [1, 2], "weights": [0, 0]}, "must not all be zero"),
        ({"dist": "empirical", "values": [1, -2]}, "non-negative"),
        ({"dist": "fixed", "value": 1.0, "scale": 2.0}, "Extra inputs"),
        ({"dist": "weibull", "shape": 1.0}, "does not match any of the expected tags"),
    ],
)
def test_invalid_specs_are_rejected(spec: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        _dist(spec)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "fixed", "value": 2.5},
        {"dist": "geometric", "mean": 3.0},
        {"dist": "exponential", "mean": 4.5},
        {"dist": "poisson", "mean": 2.5},
        {"dist": "lognormal", "median": 10, "mean": 30},
        {"dist": "empirical", "values": [0.5, 1.5, 2.5, 3.5], "weights": [1, 2, 3, 4]},
    ],
)
@pytest.mark.parametrize("minimum", [0, 1, 3])
def test_sample_day_is_sample_days_of_one(spec: dict[str, Any], minimum: int) -> None:
    """A scalar draw gives the numbers arrays of one give, from the same stream (runs stay identical)."""
    d = _dist(spec)
    a, b = np.random.default_rng(11), np.random.default_rng(11)
    one = [d.sample_day(a, minimum) for _ in range(2000)]
    arrays = [d.sample_days(b, 1, minimum)[0] for _ in range(2000)]
    assert all(type(x) is int for x in one)
    assert one == [int(x) for x in arrays]
    assert a.random() == b.random()  # both streams are at the same place afterwards
