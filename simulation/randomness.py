"""Buffered draws from a random stream: many small draws cost as little as one large one.

numpy's Generator produces the same sequence whether values are drawn one call at a time or in
chunks, so handing out slices of a pre-drawn chunk changes no result, only the cost per draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["BufferedDraws", "geometric_days"]


class BufferedDraws:
    """Values from ``sampler(n)`` (one stream's draws) handed out in order, ``chunk`` drawn at once."""

    __slots__ = ("_buffer", "_chunk", "_pos", "_sampler")

    def __init__(self, sampler: Callable[[int], np.ndarray], chunk: int = 4096) -> None:
        """Draw lazily from ``sampler``."""
        self._sampler = sampler
        self._chunk = chunk
        self._buffer: list[Any] = []
        self._pos = 0

    def take(self, n: int) -> list[Any]:
        """The next ``n`` values of the stream, as a Python list."""
        if self._pos + n > len(self._buffer):
            rest = self._buffer[self._pos :]
            self._buffer = rest + self._sampler(max(self._chunk, n - len(rest))).tolist()
            self._pos = 0
        out = self._buffer[self._pos : self._pos + n]
        self._pos += n
        return out


def geometric_days(u: float, mean: float) -> int:
    """Whole days 0, 1, 2, ... with the given mean (geometric), by inverse transform of the uniform ``u``."""
    if mean <= 0.0:
        return 0
    return int(math.log1p(-u) / math.log1p(-1.0 / (1.0 + mean)))
