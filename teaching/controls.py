"""The app's controls, generated from the scenario schema: what each one changes, its range and its value.

A control names scenario key paths (the paths ``--set`` and sweeps take). ``*`` in a path stands for
every organisation of that table (``kommun.*.integrated_primary_care``). Its range comes from the schema
(:mod:`runner.levers`: a probability runs from 0 to 1); where the schema has only a guard against typos
(a capacity factor may be up to 1,000) the control says how far the slider goes. Its starting value is
the scenario's own (for an organisation value, the mean over the organisations), so no default is typed
twice: change a scenario file and the app follows.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from runner.levers import lever
from simulation.parameters import WeekendStaffing

__all__ = ["CONTROLS", "Control", "Range"]


@dataclass(frozen=True)
class Range:
    """A slider's range and step."""

    low: float
    high: float
    step: float
    whole: bool

    def snap(self, value: float) -> float:
        """The slider position nearest ``value``: a slider shows and reports only its own steps.

        A value between steps (the mean turnover of a scenario, 3.4167) would be moved to the nearest
        step by the browser's slider, which then reports the move as the teacher's change.
        """
        steps = round((min(max(value, self.low), self.high) - self.low) / self.step)
        return round(min(self.low + steps * self.step, self.high), 10)


@dataclass(frozen=True)
class Control:
    """One slider or switch of the app."""

    name: str
    """Its id and label key (``ctl.<name>``)."""
    keys: tuple[str, ...]
    """Key paths it sets, ``*`` standing for every organisation of a table."""
    switch: bool = False
    """A switch (on/off) instead of a slider."""
    fallback: str | None = None
    """Where the starting value comes from when the key is unset (a rule that, unset, leaves each
    organisation its own value)."""
    slider_max: float | None = None
    """The slider's end where the schema's bound is a guard, not a meaning."""
    step: float = 0.05

    def expand(self, scenario: Any) -> list[str]:
        """The concrete key paths this control sets in ``scenario``."""
        out = []
        for key in self.keys:
            table, _, rest = key.partition(".*.")
            if rest:
                out += [f'{table}."{name}".{rest}' for name in getattr(scenario, table)]
            else:
                out.append(key)
        return out

    def value(self, scenario: Any) -> float | bool:
        """The control's value in ``scenario`` (mean over organisations; a switch is on if all are)."""
        values = [_get(scenario, key) for key in self.expand(scenario)]
        values = [v for v in values if v is not None]
        if not values and self.fallback is not None:
            values = [_get(scenario, key) for key in Control("", (self.fallback,)).expand(scenario)]
        if self.switch:
            return bool(values) and all(bool(v) for v in values)
        return round(float(statistics.fmean(values)), 4)

    def position(self, scenario: Any) -> float:
        """Where the slider stands for ``scenario``: its value, on the slider's steps."""
        return self.range(scenario).snap(float(self.value(scenario)))

    def range(self, scenario: Any) -> Range:
        """The slider's range, from the schema (a switch: 0 to 1)."""
        if self.switch:
            return Range(0.0, 1.0, 1.0, True)
        lev = lever(self.expand(scenario)[0])
        high = lev.natural_upper if lev.natural_upper is not None else self.slider_max
        if high is None:
            raise ValueError(f"{self.name}: the schema has no meaningful upper bound; give slider_max")
        whole = lev.kind is int
        return Range(float(lev.lower or 0.0), float(high), 1.0 if whole else self.step, whole)

    def settings(self, scenario: Any, value: float | bool) -> dict[str, Any]:
        """The key-path settings that give this control ``value`` in ``scenario``."""
        if self.switch:
            value = bool(value)
        else:
            value = int(round(value)) if self.range(scenario).whole else float(value)
        return dict.fromkeys(self.expand(scenario), value)


def _get(obj: Any, key: str) -> Any:
    from simulation.scenario import parse_key_path

    for part in parse_key_path(key):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


_WEEKEND_ROLES = tuple(WeekendStaffing.model_fields)
"""Every role the schema gives a weekend staffing level (a new role gets its slider by itself)."""

CONTROLS: tuple[Control, ...] = (
    *(Control(f"weekend_staffing.{role}", (f"weekend_staffing.{role}",)) for role in _WEEKEND_ROLES),
    Control("rules.sip_call_rate", ("rules.sip_call_rate",), fallback="vardcentral.*.sip_call_rate"),
    Control("relationships.initial_strength", ("relationships.initial_strength",)),
    Control(
        "staff_turnover_per_year",
        (
            "ward.*.staff_turnover_per_year",
            "vardcentral.*.staff_turnover_per_year",
            "kommun.*.staff_turnover_per_year",
        ),
        slider_max=24.0,
        step=0.5,
    ),
    Control("capacity.home_help_starts", ("capacity.home_help_starts",), slider_max=3.0, step=0.1),
    Control("relationships.enable_forums", ("relationships.enable_forums",), switch=True),
    Control("integrated_primary_care", ("kommun.*.integrated_primary_care",), switch=True),
)
"""The controls the issue asks for: weekend staffing per role, the SIP call rate, relationship strength,
turnover, home-help capacity, forums and the integrated organisation on or off."""
