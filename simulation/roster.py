"""Rosters: how much of an organisation's weekday capacity is at work on a given day."""

from __future__ import annotations

from simulation.calendar import Calendar

__all__ = ["Roster"]


class Roster:
    """Staffing by weekday (Monday first) as fractions of full capacity; holidays use Sunday's."""

    __slots__ = ("fractions",)

    def __init__(self, fractions: list[float]) -> None:
        """Use the seven given fractions (0 = nobody at work)."""
        if len(fractions) != 7:
            raise ValueError("a roster has seven weekdays")
        self.fractions = [float(f) for f in fractions]

    @classmethod
    def weekdays_with_weekend(cls, weekend: float) -> Roster:
        """Full staffing Monday to Friday, ``weekend`` on Saturdays, Sundays and holidays."""
        return cls([1.0, 1.0, 1.0, 1.0, 1.0, weekend, weekend])

    @classmethod
    def from_spec(cls, custom: list[float] | None, weekend: float) -> Roster:
        """An organisation's own roster where its scenario entry gives one, else weekdays + ``weekend``."""
        return cls(custom) if custom is not None else cls.weekdays_with_weekend(weekend)

    def fraction(self, calendar: Calendar, day: int) -> float:
        """Fraction of full staffing at work on ``day``."""
        return self.fractions[calendar.roster_day[day]]

    def staffed(self, calendar: Calendar, day: int) -> bool:
        """Whether anyone is at work on ``day``."""
        return self.fraction(calendar, day) > 0.0

    def capacity(self, calendar: Calendar, day: int, full: int) -> int:
        """Whole units of work possible on ``day`` given ``full`` on a fully staffed day.

        Anyone at work can do at least one unit, so a small weekend staff is never rounded to zero.
        """
        return _units(self.fractions[calendar.roster_day[day]], full)

    def by_roster_day(self, full: int) -> list[int]:
        """:meth:`capacity` for each roster day (Monday first; index it with ``Calendar.roster_day``).

        For an organisation's daily loop: a list lookup instead of a call per organisation and day.
        """
        return [_units(f, full) for f in self.fractions]

    def combined(self, other: Roster) -> Roster:
        """The roster of two staffs sharing one rota (the larger fraction each day)."""
        return Roster([max(a, b) for a, b in zip(self.fractions, other.fractions, strict=True)])


def _units(fraction: float, full: int) -> int:
    """Whole units of work with ``fraction`` of the staff at work (at least one if anyone is)."""
    if fraction <= 0.0 or full <= 0:
        return 0
    return max(1, round(full * fraction))
