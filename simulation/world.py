"""What the organisations of one run share.

The scenario, the calendars, the relationships, the gap log, the random streams, the episode register
and the day's counters.

The model (the conductor) owns one :class:`World` and hands it to every organisation it builds; the
organisations act on it and on each other, never on the model.
"""

from __future__ import annotations

import numpy as np

from simulation.calendar import Calendar
from simulation.chain import Episode, Patient
from simulation.events import EventCalendar
from simulation.gaps import GapKind, GapLog
from simulation.relationships import RelationshipNetwork
from simulation.scenario_schema import Scenario

__all__ = ["STREAMS", "World"]

STREAMS = (
    "arrivals",
    "vardcentral_choice",
    "support",
    "home_health",
    "hospital_choice",
    "ward_choice",
    "misplacement",
    "notice",
    "notice_late",
    "notice_delay",
    "recovery_kommun",
    "recovery_vardcentral",
    "answer",
    "sip_call",
    "sip_held",
    "sip_delay",
    "follow_up",
    "readmission",
    "readmission_delay",
    "treatment",
    "planning",
    "act_speed",
    "chase",
    "places",
    "turnover",
    "initial",
    "support_lead",
    "doctor",
    "handover",
    "discharge_info",
    "answer_retry",
    "community",
    "voice",
    "misjudged",
)
"""Named random streams, each spawned from the model seed; new streams are only ever appended."""


def _spawn(entropy: int | list[int]) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(entropy).spawn(len(STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children, strict=True)}


class World:
    """The shared state of one run (see the module docstring)."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        """Set up the calendars, streams and logs for ``scenario`` run with ``seed``."""
        self.scenario = scenario
        self.rules = scenario.rules
        self.horizon = scenario.days
        self.warmup = scenario.warmup_days
        self.calendar = Calendar(scenario.start_date, scenario.days)
        self.events = EventCalendar(scenario.days)
        self.network = RelationshipNetwork(scenario.relationships)
        self.gaps = GapLog()
        self.streams = _spawn(seed)
        # Readmitted patients draw their episode's numbers from streams of their own, so that new
        # arrivals get the same numbers in two scenarios even when readmissions differ.
        self.readmit_streams = _spawn([seed, 1])
        self._seed = seed
        self._own_streams: dict[str, np.random.Generator] = {}
        self.episodes: list[Episode] = []
        """Every episode of the run, in order of admission."""
        self.next_patient_id = 0
        """The id the next new patient gets (set by the model after the organisations are built)."""
        self.readmissions_due: list[Episode] = []
        """Earlier episodes whose patient is readmitted today."""
        self.discharges_today = 0
        self.forced_today = 0
        self.kommun_payment_days = np.zeros((scenario.days, len(scenario.kommun)), dtype=np.int32)

    def own_stream(self, name: str) -> np.random.Generator:
        """A stream of its own for ``name`` (e.g. a new organisation kind), independent of ``STREAMS``.

        Derived from the seed and the name, so adding one leaves every other stream's draws unchanged.
        """
        rng = self._own_streams.get(name)
        if rng is None:
            entropy = [self._seed, 2, *name.encode()]
            rng = self._own_streams[name] = np.random.default_rng(np.random.SeedSequence(entropy))
        return rng

    @property
    def day(self) -> int:
        """Today (-1 before the first day)."""
        return self.events.day

    def gap(self, ep: Episode, kind: GapKind, org_a: str, org_b: str, day: int, count: bool = True) -> None:
        """Record that ``ep`` fell into a gap of ``kind`` between ``org_a`` and ``org_b``."""
        self.gaps.record(day, ep, kind, org_a, org_b)
        if count:
            ep.gaps += 1
            if ep.first_gap_edge is None:
                ep.first_gap_edge = (org_a, org_b)

    def queue_readmission(self, ep: Episode) -> None:
        """The patient of ``ep`` comes back to hospital today (admitted with today's admissions)."""
        self.readmissions_due.append(ep)

    def end_chain(self, patient: Patient) -> None:
        """The patient's chain ends once no place is held and no readmission is to come."""
        if patient.held_place is None and not patient.readmission_pending:
            patient.episode = None
