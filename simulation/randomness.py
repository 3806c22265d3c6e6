"""Buffered draws from random streams: many small draws cost as little as one large one.

numpy's Generator produces the same sequence whether values are drawn one call at a time or in
chunks, so handing out slices of a pre-drawn chunk changes no result, only the cost per draw.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

import numpy as np

__all__ = ["BufferedRows", "ColumnBlock", "geometric_days"]


_STRUCT_CODES = {("f", 8): "d", ("i", 8): "q", ("i", 4): "i"}
"""numpy dtypes (kind, size) that ``struct`` reads back as exactly the Python numbers of ``tolist``."""


class ColumnBlock:
    """Columns drawn but not yet turned into Python numbers: one row's values when asked for.

    Neighbouring columns of one dtype share a row-major block of bytes, read a row at a time by
    ``struct`` (a float64 or int64 read back is the Python float or int ``tolist`` gives); another
    dtype keeps its 2-D array and is read with ``tolist``.
    """

    __slots__ = ("_groups",)

    def __init__(self, columns: Sequence[np.ndarray]) -> None:
        """Keep ``columns`` (equal lengths) until rows of them are asked for."""
        runs: list[list[np.ndarray]] = []
        for col in columns:
            if runs and col.dtype == runs[-1][0].dtype:
                runs[-1].append(col)
            else:
                runs.append([col])
        groups: list[tuple[struct.Struct, bytes, int] | np.ndarray] = []
        for run in runs:
            block = np.column_stack(run)
            code = _STRUCT_CODES.get((block.dtype.kind, block.dtype.itemsize))
            if code is None:
                groups.append(block)
            else:
                fmt = struct.Struct(f"={len(run)}{code}")
                groups.append((fmt, block.tobytes(), fmt.size))
        self._groups = groups

    def row(self, i: int) -> tuple[Any, ...]:
        """Row ``i``: one value from each column, in order (Python floats and ints)."""
        out: tuple[Any, ...] = ()
        for g in self._groups:
            if isinstance(g, tuple):
                fmt, data, size = g
                out += fmt.unpack_from(data, i * size)
            else:
                out += tuple(g[i].tolist())
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
