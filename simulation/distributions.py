"""Named probability distributions for every duration and count in the model.

A scenario names a distribution for each duration (``{dist = "lognormal", median = 4, mean = 6}``);
this module validates those specs and draws from them. Durations are whole days: draws are rounded
to the nearest day and clipped at a lower bound by :meth:`Distribution.sample_days`.

Parameters are refused rather than cast or clipped: non-finite numbers (inf, nan) anywhere, and
durations beyond :data:`MAX_DAYS` (a hundred years), so that every draw fits a whole number of days.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "MAX_DAYS",
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Geometric",
    "LogNormal",
    "Poisson",
]


if TYPE_CHECKING:  # numpy is imported where draws are made: validating a file needs none of it
    import numpy as np

MAX_DAYS = 36_500
"""The longest duration a scenario may describe (a hundred years), and the longest horizon."""
MAX_SIGMA = 5.0
"""Largest lognormal sigma: beyond it draws span hundreds of orders of magnitude."""
MAX_WEIGHT = 1e9

DayValue = Annotated[float, Field(ge=0, le=MAX_DAYS)]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Return ``n`` draws as floats."""
        raise NotImplementedError

    def expected(self) -> float:
        """Return the distribution's mean (before rounding to days)."""
        raise NotImplementedError

    def sample_days(self, rng: np.random.Generator, n: int, minimum: int = 0) -> np.ndarray:
        """Return ``n`` draws rounded to whole days, each at least ``minimum``."""
        import numpy as np

        draws = np.rint(self.sample(rng, n)).astype(np.int64)
        return np.maximum(draws, minimum)

    def sample_day(self, rng: np.random.Generator, minimum: int = 0) -> int:
        """One draw in whole days, at least ``minimum``: ``sample_days(rng, 1, minimum)[0]``.

        The same number from the same place in the stream (numpy draws a scalar as it draws an array
        of one; ``round`` rounds half to even like ``np.rint``), at a sixth of the cost of an array.
        """
        return max(round(self._one(rng)), minimum)

    def _one(self, rng: np.random.Generator) -> float:
        return float(self.sample(rng, 1)[0])


class Fixed(_Dist):
    """Always the same value."""

    dist: Literal["fixed"]
    value: DayValue

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # noqa: D102
        import numpy as np

        return np.full(n, self.value, dtype=float)

    def _one(self, rng: np.random.Generator) -> float:
        return self.value

    def expected(self) -> float:  # noqa: D102
        return self.value


class Geometric(_Dist):
    """Number of trials to the first success (support 1, 2, ...), given by ``p`` or ``mean``."""

    dist: Literal["geometric"]
    p: Annotated[float, Field(gt=0, le=1)] | None = None
    mean_: float | None = Field(default=None, ge=1, le=MAX_DAYS, alias="mean")

    @model_validator(mode="after")
    def _one_of(self) -> Geometric:
        if (self.p is None) == (self.mean_ is None):
            raise ValueError("geometric needs exactly one of p or mean")
        if self.p is not None and self.p < 1 / MAX_DAYS:
            raise ValueError(f"geometric p at least 1/{MAX_DAYS} (a mean of at most {MAX_DAYS} days)")
        return self

    @property
    def prob(self) -> float:
        """Success probability per trial."""
        return self.p if self.p is not None else 1.0 / float(self.mean_)  # type: ignore[arg-type]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # noqa: D102
        return rng.geometric(self.prob, n).astype(float)

    def _one(self, rng: np.random.Generator) -> float:
        return float(rng.geometric(self.prob))

    def expected(self) -> float:  # noqa: D102
        return 1.0 / self.prob


class Exponential(_Dist):
    """Exponential with the given mean."""

    dist: Literal["exponential"]
    mean_: float = Field(gt=0, le=MAX_DAYS, alias="mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # noqa: D102
        return rng.exponential(self.mean_, n)

    def _one(self, rng: np.random.Generator) -> float:
        return rng.exponential(self.mean_)

    def expected(self) -> float:  # noqa: D102
        return self.mean_


class Poisson(_Dist):
    """Poisson with the given mean."""

    dist: Literal["poisson"]
    mean_: float = Field(ge=0, le=MAX_DAYS, alias="mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # noqa: D102
        return rng.poisson(self.mean_, n).astype(float)

    def _one(self, rng: np.random.Generator) -> float:
        return float(rng.poisson(self.mean_))

    def expected(self) -> float:  # noqa: D102
        return self.mean_


class LogNormal(_Dist):
    """Lognormal, given either by ``median`` and ``mean`` or by ``mu`` and ``sigma`` (of the log)."""

    dist: Literal["lognormal"]
    median: Annotated[float, Field(gt=0, le=MAX_DAYS)] | None = None
    mean_: float | None = Field(default=None, gt=0, le=MAX_DAYS, alias="mean")
    mu: Annotated[float, Field(ge=-50, le=math.log(MAX_DAYS))] | None = None
    """At most ln(36500) = 10.5: the median draw is then a hundred years."""
    sigma: Annotated[float, Field(ge=0, le=MAX_SIGMA)] | None = None

    @model_validator(mode="after")
    def _params(self) -> LogNormal:
        by_median = self.median is not None or self.mean_ is not None
        by_mu = self.mu is not None or self.sigma is not None
        if by_median == by_mu:
            raise ValueError("lognormal needs either median and mean, or mu and sigma")
        if by_median:
            if self.median is None or self.mean_ is None:
                raise ValueError("lognormal needs both median and mean")
            if self.mean_ < self.median:
                raise ValueError("lognormal mean must be at least its median")
            if self.log_params[1] > MAX_SIGMA:
                raise ValueError(
                    f"lognormal mean at most {math.exp(MAX_SIGMA**2 / 2):.3g} times its median "
                    f"(sigma <= {MAX_SIGMA:g})"
                )
        elif self.mu is None or self.sigma is None:
            raise ValueError("lognormal needs both mu and sigma")
        return self

    @property
    def log_params(self) -> tuple[float, float]:
        """(mu, sigma) of the underlying normal."""
        if self.mu is not None and self.sigma is not None:
            return self.mu, self.sigma
        mu = math.log(self.median)  # type: ignore[arg-type]
        # mean = exp(mu + sigma^2 / 2)  =>  sigma = sqrt(2 ln(mean / median))
        sigma = math.sqrt(2.0 * math.log(self.mean_ / self.median))  # type: ignore[operator]
        return mu, sigma

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # noqa: D102
        mu, sigma = self.log_params
        return rng.lognormal(mu, sigma, n)

    def _one(self, rng: np.random.Generator) -> float:
        mu, sigma = self.log_params
        return rng.lognormal(mu, sigma)

    def expected(self) -> float:  # noqa: D102
        mu, sigma = self.log_params
        return math.exp(mu + sigma * sigma / 2.0)


class Empirical(_Dist):
    """A finite set of values with weights (normalised here)."""

    dist: Literal["empirical"]
    values: Annotated[list[Annotated[float, Field(le=MAX_DAYS)]], Field(min_length=1)]
    weights: list[Annotated[float, Field(ge=0, le=MAX_WEIGHT)]] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError("empirical weights must have as many entries as values")
            if sum(self.weights) <= 0:
                raise ValueError("empirical weights must not all be zero")
        if min(self.values) < 0:
            raise ValueError("empirical values must be non-negative")
        return self

    @property
    def probabilities(self) -> np.ndarray:
        """Normalised weights."""
        import numpy as np

        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights, float)
        return w / w.sum()

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # noqa: D102
        import numpy as np

        cum = np.cumsum(self.probabilities)
        idx = np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(self.values) - 1)
        return np.asarray(self.values, dtype=float)[idx]

    def expected(self) -> float:  # noqa: D102
        import numpy as np

        return float(np.dot(self.probabilities, self.values))


Distribution = Annotated[
    Fixed | Geometric | Exponential | Poisson | LogNormal | Empirical,
    Field(discriminator="dist"),
]
"""A distribution spec as written in a scenario; the ``dist`` key picks the family."""
