"""Buffered draws from random streams: many small draws cost as little as one large one.

numpy's Generator produces the same sequence whether values are drawn one call at a time or in
chunks, so handing out slices of a pre-drawn chunk changes no result, only the cost per draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["BufferedRows", "geometric_days"]


class BufferedRows:
    """Rows of values, one from each sampler (each drawing from its own stream), handed out in order.

    ``samplers[j](m)`` draws ``m`` values of column ``j``; ``chunk`` rows are drawn at once, every
    column alike, and each row is made by ``make`` from a tuple of its values (Python floats and ints).
    Column ``j``'s values are those of ``samplers[j]`` in order, however the rows are taken.
    """

    __slots__ = ("_buffer", "_chunk", "_make", "_pos", "_samplers")

    def __init__(
        self,
        samplers: Sequence[Callable[[int], np.ndarray]],
        make: Callable[[tuple[Any, ...]], Any],
        chunk: int = 4096,
    ) -> None:
        """Draw lazily from ``samplers``."""
        self._samplers = list(samplers)
        self._make = make
        self._chunk = chunk
        self._buffer: list[Any] = []
        self._pos = 0

    def take(self, n: int) -> list[Any]:
        """The next ``n`` rows."""
        if self._pos + n > len(self._buffer):
            rest = self._buffer[self._pos :]
            m = max(self._chunk, n - len(rest))
            columns = [sampler(m).tolist() for sampler in self._samplers]
            self._buffer = rest + list(map(self._make, zip(*columns, strict=True)))
            self._pos = 0
        out = self._buffer[self._pos : self._pos + n]
        self._pos += n
        return out


def geometric_days(u: float, mean: float) -> int:
    """Whole days 0, 1, 2, ... with the given mean (geometric), by inverse transform of the uniform ``u``."""
    if mean <= 0.0:
        return 0
    return int(math.log1p(-u) / math.log1p(-1.0 / (1.0 + mean)))
