"""One patient's journey through the eight LUS steps, read from the model's records as of a given day.

The teaching app and notebooks follow one patient: which organisation did what on which day, where the
patient waited and which gap they fell into. This module reads that from an :class:`Episode` and the gap
log; it adds no rule of its own and holds no words (the teaching layer translates the keys).

The steps are those of the Stockholm common routine (../shared/DOMAIN.md, "The law and the process"):

1. skicka inskrivningsmeddelande (the ward), 2. utse fast vårdkontakt (the vårdcentral),
3. planera inför utskrivning (the kommun), 4. kalla till SIP (the vårdcentral),
5. meddela utskrivningsklar (the ward), 6. informera vid utskrivning (the ward),
7. upprätta SIP (vårdcentral and kommun), 8. följa upp och avsluta SIP (the vårdcentral).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from simulation.chain import NEVER, Episode
from simulation.gaps import GapEvent, GapKind

__all__ = ["STEP_KEYS", "JourneyStep", "StepStatus", "follow", "journey", "ready_days", "wants_all_steps"]

STEP_KEYS = (
    "admission_notice",
    "care_contact",
    "planning",
    "sip_call",
    "ready",
    "discharge_information",
    "sip_meeting",
    "follow_up",
)
"""The eight LUS steps in the routine's order (step n is ``STEP_KEYS[n - 1]``)."""

_GAP_STEP = {
    GapKind.UNNOTIFIED_DISCHARGE: 1,
    GapKind.NO_CARE_CONTACT: 2,
    GapKind.NEEDS_MISJUDGED: 3,
    GapKind.SIP_NOT_CALLED: 4,
    GapKind.SUPPORT_NOT_IN_PLACE: 6,
    GapKind.UNINFORMED_AT_DISCHARGE: 6,
    GapKind.SIP_NOT_HELD: 7,
    GapKind.READMITTED_AFTER_GAP: 8,
}
"""The step a gap kind belongs to (the step that was missed or went wrong)."""


class StepStatus(StrEnum):
    """Where a step stands on the day the journey is read."""

    DONE = "done"
    WAITING = "waiting"
    """Not done yet, and it still can be."""
    MISSED = "missed"
    """The chance has passed (or a gap was recorded at this step)."""
    NOT_NEEDED = "not_needed"
    """This patient does not need it (e.g. no SIP when only one receiver is involved)."""


@dataclass(frozen=True)
class JourneyStep:
    """One LUS step of one episode, as of a given day."""

    number: int
    key: str
    actor: str
    """The organisation whose step it is."""
    status: StepStatus
    day: int | None
    """The day it was done (None if not done)."""
    gap_events: tuple[GapEvent, ...] = ()
    """The gap events recorded at this step: each says between which two organisations it opened
    (one step can fail towards the kommun and the vårdcentral alike)."""

    @property
    def gaps(self) -> tuple[GapKind, ...]:
        """The kinds of the gap events recorded at this step (one per event)."""
        return tuple(ev.kind for ev in self.gap_events)


def wants_all_steps(ep: Episode) -> bool:
    """Whether every one of the eight steps applies to this episode (kommun, vårdcentral and a SIP)."""
    return bool(ep.needs_kommun and ep.home_health_care and ep.sip_eligible)


def follow(episodes: Sequence[Episode], from_day: int) -> Episode | None:
    """The first episode admitted on or after ``from_day`` to which all eight steps apply, else None."""
    for ep in episodes:
        if ep.admitted >= from_day and ep.readmission_of < 0 and wants_all_steps(ep):
            return ep
    return None


def _on(value: int, today: int) -> int | None:
    return value if value != NEVER and value <= today else None


def journey(ep: Episode, today: int, gap_events: Iterable[GapEvent] = ()) -> list[JourneyStep]:
    """The eight steps of ``ep`` as they stand at the end of ``today``.

    ``gap_events`` may be the whole gap log: only this episode's events up to ``today`` are used.
    """
    ward = ep.ward.name
    kommun = ep.patient.kommun.name
    vc = ep.patient.vardcentral.name
    at_step: dict[int, list[GapEvent]] = {}
    for ev in gap_events:
        if ev.episode_id == ep.episode_id and ev.day <= today:
            at_step.setdefault(_GAP_STEP[ev.kind], []).append(ev)
    gone = _on(ep.discharged, today) is not None
    sip_over = _on(ep.sip_outcome, today) is not None

    def step(number: int, actor: str, needed: bool, day: int | None, too_late: bool) -> JourneyStep:
        events = tuple(at_step.get(number, ()))
        if not needed:
            status = StepStatus.NOT_NEEDED
        elif day is not None:
            status = StepStatus.DONE
        else:
            status = StepStatus.MISSED if too_late or events else StepStatus.WAITING
        return JourneyStep(number, STEP_KEYS[number - 1], actor, status, day, events)

    notified = [d for d in (ep.kommun_informed, ep.vc_informed) if _on(d, today) is not None]
    notice_day = _on(ep.notice_sent, today)
    if notice_day is None and notified:
        notice_day = min(notified)  # found by phone or recovered: the receiver knows
    followed_up = _on(ep.follow_up, today)
    return [
        step(1, ward, ep.lus, notice_day, gone),
        step(2, vc, ep.home_health_care, _on(ep.care_contact, today), gone),
        step(3, kommun, ep.needs_kommun, _on(ep.planned, today), gone),
        step(4, vc, ep.sip_eligible, _on(ep.sip_called, today), sip_over),
        step(5, ward, True, _on(ep.ready_notice, today) if ep.lus else _on(ep.ready, today), gone),
        step(6, ward, ep.lus, _on(ep.discharged, today), False),
        step(7, vc, ep.sip_eligible, _on(ep.sip_held, today), sip_over),
        step(8, vc, ep.sip_eligible, followed_up, sip_over and _on(ep.sip_held, today) is None),
    ]


def ready_days(ep: Episode, today: int) -> int:
    """Days the patient has stayed in hospital as utskrivningsklar so far (0 before they are ready)."""
    ready = _on(ep.ready, today)
    if ready is None:
        return 0
    end = _on(ep.discharged, today)
    return (today if end is None else end) - ready
