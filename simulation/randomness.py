"""Buffered draws from random streams: many small draws cost as little as one large one.

numpy's Generator produces the same sequence whether values are drawn one call at a time or in
chunks, so handing out slices of a pre-drawn chunk changes no result, only the cost per draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

import numpy as np

__all__ = ["BufferedRows", "ColumnBlock", "geometric_days"]


class ColumnBlock:
    """Columns drawn but not yet turned into Python numbers: one row's values when asked for.

    Neighbouring columns of one dtype share a 2-D array, so a row costs one ``tolist`` per dtype; the
    values are those the columns' own ``tolist`` would give.
    """

    __slots__ = ("_groups",)

    def __init__(self, columns: Sequence[np.ndarray]) -> None:
        """Keep ``columns`` (equal lengths) until rows of them are asked for."""
        groups: list[np.ndarray] = []
        run: list[np.ndarray] = []
        for col in columns:
            if run and col.dtype != run[0].dtype:
                groups.append(np.column_stack(run))
                run = []
            run.append(col)
        if run:
            groups.append(np.column_stack(run))
        self._groups = groups

    def row(self, i: int) -> list[Any]:
        """Row ``i``: one value from each column, in order (Python floats and ints)."""
        out: list[Any] = []
        for g in self._groups:
            out += g[i].tolist()
        return out


class BufferedRows:
    """Rows of values, one from each sampler (each drawing from its own stream), handed out in order.

    ``samplers[j](m)`` draws ``m`` values of column ``j``; ``chunk`` rows are drawn at once, every
    column alike, and each row is made by ``make`` from a tuple of its values (Python floats and ints).
    Column ``j``'s values are those of ``samplers[j]`` in order, however the rows are taken.

    With ``eager = k``, only the first ``k`` columns are turned into Python numbers at once; the tuple
    given to ``make`` then holds those ``k`` values, the :class:`ColumnBlock` of the other columns and
    the row's index in it (whose ``row`` gives the rest of the row when it is needed).
    """

    __slots__ = ("_buffer", "_chunk", "_eager", "_make", "_pos", "_samplers")

    def __init__(
        self,
        samplers: Sequence[Callable[[int], np.ndarray]],
        make: Callable[[tuple[Any, ...]], Any],
        chunk: int = 4096,
        eager: int | None = None,
    ) -> None:
        """Draw lazily from ``samplers``."""
        self._samplers = list(samplers)
        self._make = make
        self._chunk = chunk
        self._eager = len(self._samplers) if eager is None else eager
        self._buffer: list[Any] = []
        self._pos = 0

    def take(self, n: int) -> list[Any]:
        """The next ``n`` rows."""
        if self._pos + n > len(self._buffer):
            rest = self._buffer[self._pos :]
            m = max(self._chunk, n - len(rest))
            drawn = [sampler(m) for sampler in self._samplers]
            k = self._eager
            columns: list[Any] = [c.tolist() for c in drawn[:k]]
            if k < len(drawn):
                columns += [repeat(ColumnBlock(drawn[k:]), m), range(m)]
            self._buffer = rest + list(map(self._make, zip(*columns, strict=False)))
            self._pos = 0
        out = self._buffer[self._pos : self._pos + n]
        self._pos += n
        return out


def geometric_days(u: float, mean: float) -> int:
    """Whole days 0, 1, 2, ... with the given mean (geometric), by inverse transform of the uniform ``u``."""
    if mean <= 0.0:
        return 0
    return int(math.log1p(-u) / math.log1p(-1.0 / (1.0 + mean)))
