"""What travels along the discharge chain, and what each organisation offers the others.

This module is the chain's shared vocabulary, imported by every organisation and by nothing they define:

- the patient's record: :class:`Patient` (the person, from first admission until the chain ends) and
  :class:`Episode` (one hospital stay, with the day each LUS step happened, ``NEVER`` when it did not);
- :class:`EpisodeDraws`, the random numbers drawn for an episode at admission (common random numbers:
  a lever moves outcomes only through thresholds), released when the patient's chain ends;
- the roles (:class:`KommunRole`, :class:`VardcentralRole`, :class:`WardRole`): what one organisation
  may ask of another. The agents in ``kommun.py``, ``vardcentral.py`` and ``ward.py`` fill these roles,
  so no agent module imports another.

Patients are not Mesa agents: they never act on their own but on scheduled events and in organisations'
queues, and a national year has half a million of them (see docs/ODD.md, "Design choices").
"""

from __future__ import annotations

from enum import IntEnum
from functools import partial
from typing import NamedTuple, Protocol

__all__ = [
    "NEVER",
    "N_CORE",
    "READMISSION_WINDOW_DAYS",
    "CoreDraws",
    "Episode",
    "EpisodeDraws",
    "KommunRole",
    "Location",
    "Patient",
    "RowSource",
    "Support",
    "VardcentralRole",
    "WardRole",
]

NEVER = -(10**9)
"""Marks a step that did not happen (kept as an int so that episode tables stay integer-typed)."""

READMISSION_WINDOW_DAYS = 30
"""Readmissions are modelled, and counted, within this many days of discharge (Socialstyrelsen's
30-day unplanned readmission indicator)."""


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


class KommunRole(Protocol):
    """What the chain asks of a kommun (implemented by :class:`simulation.kommun.Kommun`)."""

    name: str
    index: int
    integrated: bool
    ready_count: int
    search_probability: float
    vardcentraler: list[VardcentralRole]

    def receive_admission_notice(self, ep: Episode) -> None:
        """Take the inskrivningsmeddelande: the case enters the assessors' planning queue."""
        ...

    def find_unnotified(self, ep: Episode) -> None:
        """Learn by phone of a resident the ward never registered."""
        ...

    def receive_ready_notice(self, ep: Episode, day: int) -> None:
        """Take the utskrivningsklar notice: arrange the start of support."""
        ...

    def can_receive(self, ep: Episode, day: int) -> bool:
        """Whether the support the patient needs is in place on ``day``."""
        ...

    def receive_patient(self, ep: Episode, day: int, in_place: bool) -> None:
        """The patient leaves hospital: start home help or take a place (if support is in place)."""
        ...


class VardcentralRole(Protocol):
    """What the chain asks of a vårdcentral (implemented by :class:`simulation.vardcentral.Vardcentral`)."""

    name: str
    index: int
    kommun: KommunRole
    home_health_left: int

    def receive_admission_notice(self, ep: Episode) -> None:
        """Take the inskrivningsmeddelande: a fast vårdkontakt is to be named."""
        ...

    def hear_of_admission(self, ep: Episode) -> None:
        """Learn by phone of a patient the ward never registered."""
        ...

    def receive_ready_notice(self, ep: Episode) -> None:
        """Take the utskrivningsklar notice: a SIP is to be called."""
        ...

    def start_home_health(self) -> bool:
        """Take one of today's home health care starts; False when none is left."""
        ...

    def follow_up_after_discharge(self, ep: Episode, day: int) -> None:
        """After discharge: hold the SIP that was called (LUS steps 7-8)."""
        ...


class WardRole(Protocol):
    """What the chain asks of a ward (implemented by :class:`simulation.ward.Ward`)."""

    name: str
    index: int
    hospital: str
    beds: int
    serves: frozenset[str]
    in_bed: dict[int, Episode]
    free: int


class Patient:
    """An older person moving through the discharge chain: who they are and where they are."""

    __slots__ = (
        "episode",
        "held_place",
        "home_health_care",
        "kommun",
        "location",
        "lus",
        "needs_kommun",
        "readmission_pending",
        "sip_eligible",
        "support",
        "unique_id",
        "vardcentral",
    )

    def __init__(
        self,
        unique_id: int,
        kommun: KommunRole,
        vardcentral: VardcentralRole,
        support: Support,
        home_health_care: bool,
    ) -> None:
        """Create a patient resident in ``kommun`` and listed at ``vardcentral`` (needs fixed for life)."""
        self.unique_id = unique_id
        self.kommun = kommun
        self.vardcentral = vardcentral
        self.support = support
        self.home_health_care = home_health_care
        """Needs home health care from the vårdcentral after discharge (the vårdcentral must act)."""
        self.needs_kommun = support != Support.NONE
        """Whether the kommun must have support in place at discharge."""
        self.sip_eligible = home_health_care and self.needs_kommun
        """Both the vårdcentral and the kommun are involved: coordinated planning (SIP) is needed."""
        self.lus = home_health_care or self.needs_kommun
        """Under the discharge law: someone (kommun or vårdcentral) must receive the patient."""
        self.location = Location.HOME
        self.episode: Episode | None = None
        self.held_place: Location | None = None
        """A short-term or care-home place this patient holds while in hospital."""
        self.readmission_pending = False

    def holds_needed_place(self) -> bool:
        """Whether the patient still holds the kind of place they need (kept while in hospital)."""
        held = self.held_place
        if held is None:
            return False
        return (held == Location.SHORT_TERM and self.support == Support.SHORT_TERM) or (
            held == Location.CARE_HOME and self.support == Support.CARE_HOME
        )


class EpisodeDraws(NamedTuple):
    """The random numbers drawn for one episode at admission, each from its purpose's own stream.

    One row of a block of draws (see ``admissions.Admissions.draw_block``), its values Python floats
    and ints. Every episode uses the first :data:`N_CORE` fields (:class:`CoreDraws`); the rest only an
    episode under the discharge law uses (someone must receive the patient), so only such an episode
    gets its whole row (:meth:`CoreDraws.full`). Every admission draws the whole row all the same.
    """

    # used by every episode
    vardcentral_choice: float
    support: float
    home_health: float
    hospital_choice: float
    ward_choice: float
    misplacement: float
    readmit: float
    doctor: float
    los: int
    readmit_delay: int
    # used only under the discharge law
    notice: float
    notice_late: float
    recover_kommun: float
    recover_vardcentral: float
    answer: float
    sip_call: float
    sip_held: float
    handover: float
    info: float
    voice: float
    misjudged: float
    planning: float
    notice_delay: int
    sip_delay: int
    lead_days: int
    follow_up_delay: int


N_CORE = 10
"""The fields of :class:`EpisodeDraws` every episode uses (its first ones)."""


class RowSource(Protocol):
    """Where the rest of a row of draws is kept until it is needed (``randomness.ColumnBlock``)."""

    def row(self, i: int) -> tuple[float | int, ...]:
        """The values of row ``i``, as Python numbers."""
        ...


class CoreDraws(NamedTuple):
    """The draws every episode uses (the first fields of :class:`EpisodeDraws`), and where the rest are.

    Turning every row of 26 numbers into Python objects was a large share of the admission path;
    an episode outside the discharge law (most of them) needs only these ten.
    """

    vardcentral_choice: float
    support: float
    home_health: float
    hospital_choice: float
    ward_choice: float
    misplacement: float
    readmit: float
    doctor: float
    los: int
    readmit_delay: int
    rest: RowSource
    at: int

    def full(self) -> EpisodeDraws:
        """The episode's whole row: these values and the rest from the block they were drawn in."""
        return _new_episode_draws(self[:N_CORE] + self.rest.row(self.at))


_new_episode_draws = partial(tuple.__new__, EpisodeDraws)


class Episode:
    """One hospital stay of one patient, with the day each LUS step happened."""

    __slots__ = (
        "admitted",
        "care_contact",
        "contact_requests",
        "discharged",
        "draws",
        "episode_id",
        "first_gap_edge",
        "follow_up",
        "forced",
        "gaps",
        "home_health_care",
        "kommun_informed",
        "lus",
        "misjudged",
        "misplaced",
        "needs_kommun",
        "notice_sent",
        "patient",
        "patient_id",
        "payment_days",
        "planned",
        "planning_started",
        "readmission_delay",
        "readmission_draw",
        "readmission_of",
        "readmitted",
        "ready",
        "ready_notice",
        "sip_called",
        "sip_eligible",
        "sip_held",
        "sip_outcome",
        "sip_pending",
        "support_from",
        "vc_informed",
        "vc_silent",
        "waiting",
        "ward",
    )

    def __init__(
        self,
        episode_id: int,
        patient: Patient,
        ward: WardRole,
        admitted: int,
        draws: EpisodeDraws | CoreDraws,
    ) -> None:
        """Open an episode of ``patient`` on ``ward`` on day ``admitted``."""
        self.episode_id = episode_id
        self.patient_id = patient.unique_id
        self.patient = patient
        self.ward = ward
        self.draws: EpisodeDraws | CoreDraws | None = draws
        """This episode's random numbers (the whole row under LUS); None once nothing can use them."""
        self.readmission_draw = draws.readmit
        """The uniform that decides a readmission at discharge (kept when the draws are released)."""
        self.readmission_delay = draws.readmit_delay
        """Days from discharge to that readmission."""
        self.misplaced = False
        self.misjudged = False
        """The kommun planned without the patient's voice and misjudged the needs at home."""
        self.readmission_of = -1
        self.needs_kommun = patient.needs_kommun
        self.home_health_care = patient.home_health_care
        self.sip_eligible = patient.sip_eligible
        self.lus = patient.lus
        """Whether the episode falls under the discharge law (some receiver must act)."""
        self.admitted = admitted
        self.notice_sent = NEVER
        self.kommun_informed = NEVER
        self.vc_informed = NEVER
        self.care_contact = NEVER
        self.contact_requests = 0
        """Times the vårdcentral has looked at the care-contact request."""
        self.vc_silent = False
        self.planning_started = NEVER
        self.planned = NEVER
        self.ready = NEVER
        self.ready_notice = NEVER
        self.support_from = NEVER
        """The first day the kommun can have support in place (known once it has the ready notice)."""
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
    def in_hospital(self) -> bool:
        """Whether the patient is still in a bed on this episode."""
        return self.discharged == NEVER
