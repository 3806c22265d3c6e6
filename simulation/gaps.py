"""Gap events: a patient falling between the chairs (organisatoriska mellanrum).

Each event is typed and names the two organisations on either side of the gap, so that gaps can be
counted per edge of the organisation network.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

__all__ = ["GapEvent", "GapKind", "GapLog"]


class GapKind(StrEnum):
    """The kinds of organisational gap the model records."""

    UNNOTIFIED_DISCHARGE = "unnotified_discharge"
    """Discharged while a needed receiver (kommun or vårdcentral) never learned of the admission."""
    NO_CARE_CONTACT = "no_care_contact"
    """Discharged needing primary care but without a named fast vårdkontakt."""
    SUPPORT_NOT_IN_PLACE = "support_not_in_place"
    """Discharged (forced) before the receiver's support was in place."""
    UNINFORMED_AT_DISCHARGE = "uninformed_at_discharge"
    """LUS step 6 failed: the information at discharge did not reach a receiver who knew of the stay."""
    NEEDS_MISJUDGED = "needs_misjudged"
    """Planned without the older person's own voice, the needs at home were misjudged."""
    SIP_NOT_CALLED = "sip_not_called"
    """Needed a SIP (vårdcentral and kommun both involved) but none was called: between the
    vårdcentral and the kommun, or between the ward and the vårdcentral when the ward never told it."""
    SIP_NOT_HELD = "sip_not_held"
    """A SIP was called but the meeting was never held."""
    READMITTED_AFTER_GAP = "readmitted_after_gap"
    """Readmitted within 30 days of a discharge that had a gap."""


class GapEvent(NamedTuple):
    """One patient falling into one gap, between ``org_a`` and ``org_b``."""

    day: int
    episode_id: int
    patient_id: int
    kind: GapKind
    org_a: str
    org_b: str


class GapLog:
    """The append-only log of gap events of one run."""

    def __init__(self) -> None:
        """Start an empty log."""
        self.events: list[GapEvent] = []
        self.today: dict[GapKind, int] = dict.fromkeys(GapKind, 0)

    def record(self, day: int, episode: object, kind: GapKind, org_a: str, org_b: str) -> None:
        """Append an event for ``episode`` (which must have ``episode_id`` and ``patient_id``)."""
        self.events.append(
            GapEvent(day, episode.episode_id, episode.patient_id, kind, org_a, org_b)  # type: ignore[attr-defined]
        )
        self.today[kind] += 1

    def reset_today(self) -> None:
        """Zero the per-day counters (called at the start of each day)."""
        for kind in self.today:
            self.today[kind] = 0
