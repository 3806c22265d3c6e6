"""Patients and their hospital episodes.

A :class:`Patient` is a Mesa agent that lives from its first admission until its chain of care ends
(discharged with no readmission to come). Each hospital stay is an :class:`Episode`, which records the
day every LUS step happened (``NEVER`` when it did not) and the random numbers drawn for it at admission,
so that a change of one lever moves outcomes only through thresholds (common random numbers).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from simulation.kommun import Kommun
    from simulation.vardcentral import Vardcentral
    from simulation.ward import Ward

__all__ = ["NEVER", "Episode", "Location", "Patient", "Support"]

NEVER = -(10**9)
"""Marks a step that did not happen (kept as an int so that episode tables stay integer-typed)."""


class Support(IntEnum):
    """The kommun's support a patient needs after discharge."""

    NONE = 0
    HOME_HELP = 1
    SHORT_TERM = 2
    CARE_HOME = 3


class Location(IntEnum):
    """Where a patient is at the end of a day."""

    WARD = 0
    HOME = 1
    SHORT_TERM = 2
    CARE_HOME = 3


class Patient(mesa.Agent):
    """An older person moving through the discharge chain."""

    def __init__(
        self,
        model: mesa.Model,
        kommun: Kommun,
        vardcentral: Vardcentral,
        support: Support,
        home_health_care: bool,
    ) -> None:
        """Create a patient resident in ``kommun`` and listed at ``vardcentral``."""
        super().__init__(model)
        self.kommun = kommun
        self.vardcentral = vardcentral
        self.support = support
        self.home_health_care = home_health_care
        self.location = Location.HOME
        self.episode: Episode | None = None
        self.held_place: Location | None = None
        """A short-term or care-home place this patient holds while in hospital."""
        self.readmission_pending = False

    def remove(self) -> None:
        """Leave the model: deregister from Mesa's agent sets.

        Mesa's own ``remove`` also walks the agent's datasets; patients have none unless a caller
        adds one, and this runs once per patient, so the plain path is taken when it can be.
        """
        if self._datasets:
            super().remove()
            return
        try:
            self.model.deregister_agent(self)
        except KeyError:  # already removed
            pass

    @property
    def needs_kommun(self) -> bool:
        """Whether the kommun must have support in place at discharge."""
        return self.support != Support.NONE

    @property
    def sip_eligible(self) -> bool:
        """Both the vårdcentral and the kommun are involved: coordinated planning (SIP) is needed."""
        return self.home_health_care and self.support != Support.NONE


class Episode:
    """One hospital stay of one patient, with the day each LUS step happened."""

    __slots__ = (
        "episode_id",
        "patient_id",
        "patient",
        "ward",
        "misplaced",
        "readmission_of",
        "needs_kommun",
        "needs_vc",
        "sip_eligible",
        "admitted",
        "notice_sent",
        "kommun_informed",
        "vc_informed",
        "care_contact",
        "vc_silent",
        "planning_started",
        "planned",
        "ready",
        "ready_notice",
        "sip_called",
        "sip_pending",
        "discharged",
        "forced",
        "sip_held",
        "sip_outcome",
        "follow_up",
        "readmitted",
        "payment_days",
        "gaps",
        "first_gap_edge",
        "waiting",
        "u_answer",
        "u_sip_call",
        "u_sip_held",
        "u_readmit",
        "u_recover_k",
        "u_recover_v",
        "planning_draw",
        "sip_delay",
        "follow_up_delay",
        "readmit_delay",
        "lead_days",
    )

    def __init__(self, episode_id: int, patient: Patient, ward: Ward, admitted: int) -> None:
        """Open an episode of ``patient`` on ``ward`` on day ``admitted``."""
        self.episode_id = episode_id
        self.patient_id = patient.unique_id
        self.patient = patient
        self.ward = ward
        self.misplaced = False
        self.readmission_of = -1
        self.needs_kommun = patient.needs_kommun
        self.needs_vc = patient.home_health_care
        self.sip_eligible = patient.sip_eligible
        self.admitted = admitted
        self.notice_sent = NEVER
        self.kommun_informed = NEVER
        self.vc_informed = NEVER
        self.care_contact = NEVER
        self.vc_silent = False
        self.planning_started = NEVER
        self.planned = NEVER
        self.ready = NEVER
        self.ready_notice = NEVER
        self.sip_called = NEVER
        self.sip_pending = False
        self.discharged = NEVER
        self.forced = False
        self.sip_held = NEVER
        self.sip_outcome = NEVER
        self.follow_up = NEVER
        self.readmitted = NEVER
        self.payment_days = 0
        self.gaps = 0
        self.first_gap_edge: tuple[str, str] | None = None
        self.waiting = False

    @property
    def lus(self) -> bool:
        """Whether the episode falls under the discharge law (some receiver must act)."""
        return self.needs_kommun or self.needs_vc

    @property
    def in_hospital(self) -> bool:
        """Whether the patient is still in a bed on this episode."""
        return self.discharged == NEVER
