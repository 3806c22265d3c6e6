"""Buffered rows of draws hand out each stream's numbers in order, however many are taken at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.chain import N_CORE, CoreDraws, EpisodeDraws
from simulation.randomness import BufferedRows, ColumnBlock


def _samplers(seed: int) -> list:
    a, b = np.random.default_rng([seed, 0]), np.random.default_rng([seed, 1])
    return [lambda m: a.random(m), lambda m: b.integers(0, 100, m)]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    takes=st.lists(st.integers(0, 40), min_size=1, max_size=30),
    chunk=st.integers(1, 25),
)
def test_rows_are_the_streams_in_order(seed: int, takes: list[int], chunk: int) -> None:
    rows = BufferedRows(_samplers(seed), tuple, chunk=chunk)
    got = [row for n in takes for row in rows.take(n)]
    assert [len(rows.take(0))] == [0]
    total = sum(takes)
    a, b = np.random.default_rng([seed, 0]), np.random.default_rng([seed, 1])
    expected = list(zip(a.random(total).tolist(), b.integers(0, 100, total).tolist(), strict=True))
    assert got == expected
    assert all(type(x) is float and type(y) is int for x, y in got)  # Python numbers, not numpy scalars


def _four(seed: int) -> list:
    a, b, c, e = (np.random.default_rng([seed, j]) for j in range(4))
    return [
        lambda m: a.random(m),
        lambda m: b.integers(0, 100, m),
        lambda m: c.random(m),
        lambda m: e.random(m) < 0.5,
    ]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    takes=st.lists(st.integers(0, 40), min_size=1, max_size=30),
    chunk=st.integers(1, 25),
    eager=st.integers(0, 3),
)
def test_rows_made_lazily_are_the_same_rows(seed: int, takes: list[int], chunk: int, eager: int) -> None:
    """Columns past ``eager`` stay in numpy until asked for; the whole row is what eager rows would be."""
    lazy = BufferedRows(_four(seed), tuple, chunk=chunk, eager=eager)
    got = []
    for n in takes:
        for row in lazy.take(n):
            *first, block, at = row
            assert len(first) == eager
            got.append((*first, *block.row(at)))
    eager_rows = BufferedRows(_four(seed), tuple, chunk=chunk)
    expected = [row for n in takes for row in eager_rows.take(n)]
    assert got == expected
    assert all([type(x) for x in r] == [float, int, float, bool] for r in got)  # as tolist gives them


def test_core_draws_are_the_first_fields_of_a_row() -> None:
    """``CoreDraws.full()`` joins its values and the rest of the row by position: the names must agree."""
    assert CoreDraws._fields[:N_CORE] == EpisodeDraws._fields[:N_CORE]
    assert CoreDraws._fields[N_CORE:] == ("rest", "at")
    rest = ColumnBlock([np.array([0.25, 0.5]), np.array([3, 4])])
    n_rest = len(EpisodeDraws._fields) - N_CORE
    columns = [np.full(2, 0.1 * j) for j in range(N_CORE)] + [np.arange(2.0) + j for j in range(n_rest)]
    block = ColumnBlock(columns[N_CORE:])
    core = CoreDraws(*[c[1].item() for c in columns[:N_CORE]], block, 1)
    assert tuple(core.full()) == tuple(c[1].item() for c in columns)
    assert rest.row(1) == (0.5, 4)
