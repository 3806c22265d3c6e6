"""The day-indexed event calendar on which patients' next steps are scheduled.

A bucket queue: one list of ``(handler, argument)`` per day, so scheduling and running an event cost O(1).
Mesa's own event list (a heap of event objects) measured about 30 µs per event, too slow for the
million-odd patient events of a national year; Mesa's ``schedule_recurring`` is still used for the few
recurring organisational events (meeting forums).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["EventCalendar"]


class EventCalendar:
    """Events by day over ``[0, horizon)``; an event for today or the past runs at once."""

    __slots__ = ("_due", "day", "horizon")

    def __init__(self, horizon: int) -> None:
        """An empty calendar; ``day`` is -1 until the first day starts."""
        self.horizon = horizon
        self.day = -1
        self._due: list[list[tuple[Callable[[Any], None], Any]]] = [[] for _ in range(horizon + 1)]

    def at(self, day: int, handler: Callable[[Any], None], arg: Any) -> None:
        """Run ``handler(arg)`` on ``day``; now if that day is today or past, never past the horizon."""
        if day <= self.day:
            handler(arg)
        elif day < self.horizon:
            self._due[day].append((handler, arg))

    def run_due(self, day: int) -> None:
        """Make ``day`` today and run its events, including those they add for today."""
        self.day = day
        due = self._due[day]
        i = 0
        while i < len(due):
            handler, arg = due[i]
            handler(arg)
            i += 1
        self._due[day] = []
