"""The simulation calendar: day indices, weekdays and Swedish public holidays.

Day 0 is the scenario's start date. Swedish public holidays (and the de facto holidays Midsummer Eve,
Christmas Eve and New Year's Eve, when almost all offices are closed) count as weekend days: rosters
use their weekend staffing on them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = ["Calendar", "easter_sunday", "swedish_holidays"]


def easter_sunday(year: int) -> dt.date:
    """Return Easter Sunday of ``year`` (Gregorian calendar, anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday_from(first: dt.date, weekday: int) -> dt.date:
    """The first date on or after ``first`` that falls on ``weekday`` (Monday = 0)."""
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def swedish_holidays(year: int) -> dict[dt.date, str]:
    """Return Sweden's public holidays and de facto holidays of ``year``, by date."""
    easter = easter_sunday(year)
    days = {
        dt.date(year, 1, 1): "Nyårsdagen",
        dt.date(year, 1, 6): "Trettondedag jul",
        easter - dt.timedelta(days=2): "Långfredagen",
        easter: "Påskdagen",
        easter + dt.timedelta(days=1): "Annandag påsk",
        dt.date(year, 5, 1): "Första maj",
        easter + dt.timedelta(days=39): "Kristi himmelsfärdsdag",
        easter + dt.timedelta(days=49): "Pingstdagen",
        dt.date(year, 6, 6): "Sveriges nationaldag",
        _first_weekday_from(dt.date(year, 6, 19), 4): "Midsommarafton",
        _first_weekday_from(dt.date(year, 6, 20), 5): "Midsommardagen",
        _first_weekday_from(dt.date(year, 10, 31), 5): "Alla helgons dag",
        dt.date(year, 12, 24): "Julafton",
        dt.date(year, 12, 25): "Juldagen",
        dt.date(year, 12, 26): "Annandag jul",
        dt.date(year, 12, 31): "Nyårsafton",
    }
    return days


class Calendar:
    """Dates, weekdays and day types for the days ``0 .. days-1`` from ``start``."""

    def __init__(self, start: dt.date, days: int) -> None:
        """Precompute the day types for the whole horizon (plus a margin for look-ahead)."""
        self.start = start
        self.days = days
        span = days + 400  # look-ahead for events scheduled past the horizon
        self.dates = [start + dt.timedelta(days=i) for i in range(span)]
        holidays: dict[dt.date, str] = {}
        for year in range(start.year, self.dates[-1].year + 1):
            holidays.update(swedish_holidays(year))
        self.weekday = np.array([d.weekday() for d in self.dates], dtype=np.int8)
        self.holiday = np.array([d in holidays for d in self.dates], dtype=bool)
        # A "weekend day" for rosters: Saturday, Sunday or a (de facto) public holiday.
        self.off_day = (self.weekday >= 5) | self.holiday
        self.off_day_list: list[bool] = self.off_day.tolist()
        # Python lists for the per-day look-ups on the hot path (numpy scalar indexing is slow).
        self.weekday_list: list[int] = self.weekday.tolist()
        self.holiday_list: list[bool] = self.holiday.tolist()
        self.roster_day: list[int] = [
            6 if h else w for w, h in zip(self.weekday_list, self.holiday_list, strict=True)
        ]
        """The roster column that applies on each day: its weekday (Monday = 0), Sunday's (6) on a holiday."""

    def is_off(self, day: int) -> bool:
        """Whether ``day`` is a weekend day or holiday (rosters use weekend staffing)."""
        return self.off_day_list[day]

    def date(self, day: int) -> dt.date:
        """Calendar date of day index ``day``."""
        return self.dates[day]
