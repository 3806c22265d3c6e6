"""What the teaching app runs: a scenario with the class's changes, and the model that remembers a day.

:class:`Setup` is everything that decides a run: the scenario file, the changed controls, the seed, the
lesson. :class:`TeachingModel` is the discharge model built from it, plus what the app shows and the
model does not keep: the running gap count per edge, today's gaps (to flash), discharges by weekday and
the patient followed through the eight steps. It adds no rule: the chain is :class:`DischargeModel`'s.

Mesa's SolaraViz rebuilds a model from its parameters when the user presses Reset, so the model takes
one parameter, the :class:`Setup`, and reads the class's current choices from it.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from simulation.chain import Episode
from simulation.gaps import GapEvent
from simulation.journey import follow
from simulation.model import DischargeModel
from simulation.scenario import SHIPPED_DIR, Scenario, load_scenario
from teaching.chain_picture import Layout, layout
from teaching.controls import CONTROLS

__all__ = ["LESSONS", "Lesson", "Setup", "TeachingModel"]

LESSONS_FILE = Path(__file__).with_name("lessons.toml")


@dataclass(frozen=True)
class Lesson:
    """A pre-set situation of the lesson mode (see lessons.toml)."""

    name: str
    scenario: str
    start_day: int = 0
    end_day: int | None = None
    """The last day the class watches: the lesson is over when the model has simulated it."""
    no_relationships: tuple[str, ...] = ()
    follow_ward: str | None = None

    @property
    def path(self) -> Path:
        """The shipped scenario file."""
        return SHIPPED_DIR / f"{self.scenario}.toml"


def _lessons() -> dict[str, Lesson]:
    with LESSONS_FILE.open("rb") as f:
        data = tomllib.load(f)
    lessons = {
        name: Lesson(name, **{k: tuple(v) if isinstance(v, list) else v for k, v in spec.items()})
        for name, spec in data.items()
    }
    for lesson in lessons.values():
        if lesson.end_day is not None and lesson.end_day <= lesson.start_day:
            raise ValueError(
                f"{LESSONS_FILE}: {lesson.name}.end_day = {lesson.end_day}: "
                f"must be after start_day ({lesson.start_day})"
            )
    return lessons


LESSONS: dict[str, Lesson] = _lessons()


@dataclass(frozen=True)
class Setup:
    """Everything that decides a run in the app."""

    scenario_path: Path
    seed: int | None = None
    """None: the scenario's own seed."""
    changed: dict[str, Any] = field(default_factory=dict)
    """Controls the class has moved, by control name, and their values."""
    lesson: str | None = None
    run_to: int = -1
    """Run silently through this day (the day before the lesson starts, or today when a control
    changes; -1: not at all)."""
    count_from: int = 0
    """The day the class started watching: gaps and discharges are counted from it."""

    @classmethod
    def for_lesson(cls, name: str, seed: int | None = None) -> Setup:
        """The setup of lesson ``name`` (its scenario, unchanged)."""
        lesson = LESSONS[name]
        return cls(lesson.path, seed, {}, name, lesson.start_day - 1, lesson.start_day)

    def base(self) -> Scenario:
        """The scenario as written, with the lesson's own changes."""
        return load_scenario(self.scenario_path, self._lesson_settings())

    def _lesson_settings(self) -> dict[str, Any]:
        lesson = LESSONS.get(self.lesson) if self.lesson else None
        if lesson is None or not lesson.no_relationships:
            return {}
        return dict(_no_relationships(self.scenario_path, lesson.no_relationships))

    def scenario(self) -> Scenario:
        """The scenario with the class's changes (key-path settings, validated like ``--set``)."""
        base = self.base()
        settings = self._lesson_settings()
        by_name = {c.name: c for c in CONTROLS}
        for name, value in self.changed.items():
            settings.update(by_name[name].settings(base, value))
        return load_scenario(self.scenario_path, settings)

    def with_control(self, name: str, value: Any, base: Scenario, today: int) -> Setup:
        """A copy with control ``name`` at ``value``.

        The control is dropped from the changes when ``value`` is the scenario's own value, or the
        slider's position for it (a slider cannot stand between its steps).
        """
        changed = dict(self.changed)
        control = next(c for c in CONTROLS if c.name == name)
        if value == control.value(base) or (not control.switch and value == control.position(base)):
            changed.pop(name, None)
        else:
            changed[name] = value
        return replace(self, changed=changed, run_to=today)


@functools.cache
def _no_relationships(path: Path, orgs: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """Settings that start every relationship of ``orgs`` at strength 0 (a new ward knows nobody).

    The usual partners are the model's own (a ward's kommuner and their vårdcentraler), so they are
    read from a model built once for the scenario.
    """
    probe = DischargeModel(load_scenario(path), 0)
    return tuple(
        (f'relationships.strengths."{org}|{partner}"', 0.0)
        for org in orgs
        for partner in sorted(probe.network.partners(org))
    )


class TeachingModel(DischargeModel):
    """The discharge model of a :class:`Setup`, with what the app shows day by day."""

    def __init__(self, setup: Setup) -> None:
        """Build the model of ``setup`` and run it silently up to ``setup.run_to``."""
        scenario = setup.scenario()
        super().__init__(scenario, setup.seed)
        self.setup = setup
        self.lesson = LESSONS.get(setup.lesson) if setup.lesson else None
        self.layout: Layout = layout(scenario)
        self.edge_gaps: Counter[tuple[str, str]] = Counter()
        self.gaps_by_kind: Counter[str] = Counter()
        self.flashing: list[tuple[str, str]] = []
        self.weekday_discharges = [0] * 7
        self.followed: Episode | None = None
        self.followed_gaps: list[GapEvent] = []
        """The gap events of the patient followed (the journey needs only theirs)."""
        self._follow_from = setup.count_from
        self._seen_gaps = 0
        self._seen_episodes = 0
        self.lesson_over = False
        """The lesson's end day is simulated: ``running`` is then False, so Mesa's play stops there."""
        target = setup.run_to
        # a run up to a day after the lesson's end (a control moved there) goes on through its end
        while (self.running or self.lesson_over) and self.day < target and self.steps < self.horizon:
            self.step()

    def step(self) -> None:
        """One simulated day, then the app's running counts."""
        super().step()
        if self.day < 0 or self.steps > self.horizon:
            return
        end = self.lesson.end_day if self.lesson else None
        if end is not None and self.day >= end and not self.lesson_over:
            # Mesa's SolaraViz reads ``running`` after each step and stops playing when it is False;
            # DischargeModel.step does not read it, so a day stepped by hand still simulates
            self.lesson_over = True
            self.running = False
        events = self.gaps.events
        new = events[self._seen_gaps :]
        self._seen_gaps = len(events)
        if self.day < self.setup.count_from:
            return
        self.flashing = [(e.org_a, e.org_b) for e in new]
        for e in new:
            key = (e.org_a, e.org_b) if e.org_a <= e.org_b else (e.org_b, e.org_a)
            self.edge_gaps[key] += 1
            self.gaps_by_kind[e.kind.value] += 1
        self.weekday_discharges[self.date.weekday()] += self.world.discharges_today
        if self.followed is None and self.day >= self._follow_from:
            self._pick_patient()
        elif self.followed is not None:
            followed = self.followed.episode_id
            self.followed_gaps += [e for e in new if e.episode_id == followed]

    def _pick_patient(self) -> None:
        fresh = self.episodes[self._seen_episodes :]
        self._seen_episodes = len(self.episodes)
        ward = self.lesson.follow_ward if self.lesson else None
        if ward is not None:
            fresh = [ep for ep in fresh if ep.ward.name == ward]
        self.followed = follow(fresh, self._follow_from)

    @property
    def date(self) -> dt.date:
        """Today's date."""
        return self.calendar.date(max(self.day, 0))

    @property
    def payment_days(self) -> int:
        """Days of betalningsansvar since the class started watching (kommuner's payment liability).

        Counted from ``count_from``, as the gaps beside it: the lesson's silent days before its start
        were in it (a lesson opened on "0 gaps so far" beside 208 payment days "so far").
        """
        start = max(self.setup.count_from, 0)
        return int(self.kommun_payment_days[start : max(self.day + 1, 0)].sum())

    @property
    def ready_series(self) -> list[int]:
        """Utskrivningsklara patients in beds, each day so far."""
        return list(self.datacollector.model_vars.get("ready_in_beds", []))
