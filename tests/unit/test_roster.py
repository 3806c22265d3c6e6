"""Rosters: capacity by day, rounding, weekend and holiday staffing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.calendar import Calendar
from simulation.roster import Roster

# Monday 7 January 2019 is day 0: days 0-4 Mon-Fri, 5 Saturday, 6 Sunday.
CAL = Calendar(dt.date(2019, 1, 7), 365)
CHRISTMAS_DAY = (dt.date(2019, 12, 25) - dt.date(2019, 1, 7)).days  # a Wednesday
MIDSUMMER_EVE = (dt.date(2019, 6, 21) - dt.date(2019, 1, 7)).days  # a Friday


def test_fraction_follows_weekday_monday_first() -> None:
    r = Roster([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
    assert [r.fraction(CAL, d) for d in range(7)] == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    assert r.fraction(CAL, 7) == 0.1


@pytest.mark.parametrize(
    ("full", "frac", "expected"),
    [
        (4, 1.0, 4),
        (4, 0.5, 2),
        (6, 0.5, 3),
        (7, 0.5, 4),  # round(3.5) = 4
        (5, 0.5, 2),  # round(2.5) = 2 (round half to even)
        (10, 0.26, 3),
        (10, 0.24, 2),
        (1, 0.1, 1),  # anyone at work does at least one unit
        (3, 0.01, 1),
        (4, 0.0, 0),
        (0, 1.0, 0),
        (0, 0.5, 0),
    ],
)
def test_capacity_rounding(full: int, frac: float, expected: int) -> None:
    r = Roster([frac] * 7)
    assert r.capacity(CAL, 2, full) == expected
    assert r.staffed(CAL, 2) == (frac > 0)


def test_weekdays_with_weekend() -> None:
    r = Roster.weekdays_with_weekend(0.25)
    assert [r.capacity(CAL, d, 8) for d in range(7)] == [8, 8, 8, 8, 8, 2, 2]
    off = Roster.weekdays_with_weekend(0.0)
    assert [off.staffed(CAL, d) for d in range(7)] == [True] * 5 + [False, False]


def test_holiday_uses_sundays_staffing() -> None:
    r = Roster([1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0])
    assert CAL.weekday[CHRISTMAS_DAY] == 2 and CAL.holiday[CHRISTMAS_DAY]
    assert r.fraction(CAL, CHRISTMAS_DAY) == 0.0
    assert r.capacity(CAL, CHRISTMAS_DAY, 6) == 0
    assert not r.staffed(CAL, MIDSUMMER_EVE)
    # Sunday at half staff: holidays get half staff, Saturdays their own fraction.
    r2 = Roster([1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.5])
    assert r2.capacity(CAL, CHRISTMAS_DAY, 6) == 3
    assert r2.capacity(CAL, 5, 6) == 0  # an ordinary Saturday
    assert r2.capacity(CAL, CHRISTMAS_DAY - 1, 6) == 3  # Christmas Eve, a Tuesday
    assert r2.capacity(CAL, CHRISTMAS_DAY - 2, 6) == 6  # Monday 23 December


def test_combined_takes_the_larger_fraction_each_day() -> None:
    a = Roster([1, 1, 1, 1, 1, 0, 0])
    b = Roster([0, 0.5, 1, 0, 0, 0.5, 0.2])
    assert a.combined(b).fractions == [1, 1, 1, 1, 1, 0.5, 0.2]


@pytest.mark.parametrize("n", [0, 6, 8])
def test_roster_needs_seven_days(n: int) -> None:
    with pytest.raises(ValueError, match="seven"):
        Roster([1.0] * n)


@settings(max_examples=100, deadline=None)
@given(
    fractions=st.lists(st.floats(0.0, 1.0), min_size=7, max_size=7),
    full=st.integers(0, 50),
)
def test_table_by_roster_day_is_the_capacity_of_every_day(fractions: list[float], full: int) -> None:
    """The organisations' daily lookup gives what ``capacity`` gives, holidays included."""
    r = Roster(fractions)
    table = r.by_roster_day(full)
    assert [table[CAL.roster_day[d]] for d in range(CAL.days)] == [
        r.capacity(CAL, d, full) for d in range(CAL.days)
    ]
