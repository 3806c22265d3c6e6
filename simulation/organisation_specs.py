"""The organisation tables of a scenario: one ``*Spec`` per organisation kind.

The agents built from them are in ``ward.py``, ``kommun.py``, ``vardcentral.py``, ``kluster.py``,
``fou.py`` and ``region.py``; the registry of kinds is ``organisations.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from simulation.parameters import (
    MAX_BEDS,
    MAX_POPULATION,
    KeyedError,
    NonNegFloat,
    NonNegInt,
    Places,
    Probability,
    RosterFractions,
    Strict,
    one_of,
)


class OrganisationSpec(Strict):
    """Base of an organisation kind's scenario table entry."""

    needed_when_new: ClassVar[tuple[str, ...]] = ()
    """Keys with a default that a new organisation of this kind must still be given (the scenario's
    checks refuse the default): with the required keys, what a misspelt name's table is told it lacks."""

    def check_references(self, name: str, scenario: Any) -> None:
        """Raise :class:`KeyedError` if this entry names what ``scenario`` lacks (default: nothing)."""


class HospitalSpec(OrganisationSpec):
    """An acute or geriatric hospital; its wards are listed under ``[ward.*]``."""

    description: str = ""


class WardSpec(OrganisationSpec):
    """A hospital ward (avdelning) with its vårdsamordnare."""

    hospital: str
    beds: Annotated[int, Field(ge=0, le=MAX_BEDS)]
    serves: list[str] = Field(default_factory=list)
    """Kommuner whose residents this ward usually treats (its home patients)."""
    coordinator_capacity: NonNegInt = 6
    """Coordinated discharges (patients needing support) the vårdsamordnare can complete a day."""
    coordinator_roster: RosterFractions | None = None
    """Staffing by weekday; None = weekdays full, weekends from ``weekend_staffing.ward_coordinator``."""
    notice_reliability: Probability = 0.95
    """Probability that an admission notice is registered and reaches the receivers."""
    notice_late_probability: Probability = 0.1
    """Probability that a sent notice is late (after 24 h)."""
    initial_occupancy: Probability = 0.85
    initial_ready_share: Probability = 0.05
    """Share of the initially occupied beds held by patients already utskrivningsklar and waiting."""
    staff_turnover_per_year: NonNegFloat = 4.0
    """New faces a year; each weakens this ward's relationships by ``relationships.turnover_loss``."""


class VardcentralSpec(OrganisationSpec):
    """A vårdcentral (primary care centre), which names fast vårdkontakt and calls SIP."""

    kommun: str
    listed_share: Annotated[float, Field(gt=0)] = 1.0
    """Relative weight of this vårdcentral among its kommun's residents (normalised per kommun)."""
    tasks_per_day: NonNegInt = 8
    """LUS tasks (care-contact requests, SIP calls) it handles on a fully staffed day."""
    roster: RosterFractions | None = None
    answer_reliability: Probability = 0.85
    """Probability that a request it handles is answered with a named fast vårdkontakt."""
    sip_call_rate: Probability = 0.5
    """Probability that the fast vårdkontakt calls a SIP for a patient who needs one."""
    home_health_starts_per_day: NonNegInt = 3
    """New home health care patients it can start on a fully staffed day."""
    staff_turnover_per_year: NonNegFloat = 3.0


class KommunSpec(OrganisationSpec):
    """A municipality: needs assessors, home help, short-term and care-home places."""

    needed_when_new = ("hospitals",)  # empty by default, and refused empty (scenario_schema)

    population: Annotated[int, Field(ge=0, le=MAX_POPULATION)]
    population_65plus: Annotated[int, Field(ge=0, le=MAX_POPULATION)]
    hospitals: dict[str, Probability] = Field(default_factory=dict)
    """Share of the kommun's admissions going to each hospital (normalised); at least one."""
    assessor_capacity: NonNegInt = 4
    """New cases the biståndshandläggare take on a fully staffed day."""
    assessor_roster: RosterFractions | None = None
    home_help_starts_per_day: NonNegInt = 4
    home_help_roster: RosterFractions | None = None
    short_term_places: Places = 20
    care_home_places: Places = 40
    place_intakes_per_day: NonNegInt = 3
    """New residents short-term and care-home places can take on a fully staffed day."""
    place_intake_roster: RosterFractions | None = None
    initial_place_occupancy: Probability = 0.85
    active_search_probability: Probability = 0.0
    """Daily probability that the kommun finds an unnotified resident by phoning the wards itself."""
    integrated_primary_care: bool = False
    """Kommun and its vårdcentraler are one organisation (the Norrtälje model)."""
    staff_turnover_per_year: NonNegFloat = 4.0


class KlusterSpec(OrganisationSpec):
    """A kommun's kluster of vårdcentraler with its klusterledare (seed 002)."""

    kommun: str
    """The kommun whose vårdcentraler form the kluster (geografiska kommunkluster)."""
    leader_drive: Probability = 0.5
    """Chance that a vårdcentral attends a meeting; a driven leader gets everyone there (1.0)."""
    every_days: Annotated[int, Field(ge=1, le=365)] = 14
    start_day: Annotated[int, Field(ge=0, le=36500)] = 0
    """The day of the first meeting."""
    boost: Probability = 0.1
    """Strengthening of each attending vårdcentral's relationship with the kommun and the others."""
    routine_after_meetings: Annotated[int, Field(ge=1, le=1000)] = 3
    """Meetings a vårdcentral attends before it shares an established routine with the kommun."""

    def check_references(self, name: str, scenario: Any) -> None:
        """The kommun must exist."""
        if self.kommun not in scenario.kommun:
            raise KeyedError(f"kluster.{name}.kommun", self.kommun, one_of(scenario.kommun))


class FoUSpec(OrganisationSpec):
    """A regional R&D unit (FoU) linking local meeting forums (seed 003)."""

    forums: list[Annotated[int, Field(ge=0)]] = Field(default_factory=list)
    """Indices into ``relationships.forums`` of the forums it links (empty = all of them)."""
    project_probability: Probability = 0.25
    """Chance that a forum meeting spins off a concrete project establishing shared routines."""
    spread_probability: Probability = 0.5
    """Chance that the unit carries a project to each other linked forum."""

    def check_references(self, name: str, scenario: Any) -> None:
        """The forums it links must exist."""
        n = len(scenario.relationships.forums)
        for i, f in enumerate(self.forums):
            if f >= n:
                raise KeyedError(f"fou.{name}.forums[{i}]", f, f"an index below {n}")


class AgreementSpec(Strict):
    """An agreement made at region level that local pairs take up as a shared routine."""

    day: Annotated[int, Field(ge=0, le=36500)] = 0
    """The day the region adopts it."""
    covers: list[Literal["ward_kommun", "ward_vardcentral", "kommun_vardcentral"]] = Field(
        default_factory=lambda: ["ward_kommun", "ward_vardcentral", "kommun_vardcentral"]
    )
    subregional_delay_days: Annotated[int, Field(ge=0, le=3650)] = 30
    """Days until it reaches the subregional level (the HSF areas)."""
    local_days: Annotated[float, Field(ge=0, le=3650)] = 60.0
    """Mean further days until a local pair takes it up."""
    fidelity: Probability = 0.6
    """Share of the local pairs that take it up as agreed."""
    kommuner_in_forum: bool = True
    """Whether the kommuner took part in the forum that made it."""
    left_out_fidelity: Probability = 0.5
    """Factor on the take-up chance of pairs with a kommun when kommuner were left out."""
    left_out_delay_factor: Annotated[float, Field(ge=1, le=100)] = 2.0
    """Factor on their days to take it up."""


class RegionSpec(OrganisationSpec):
    """The regional level and the agreements it makes for the local chain (seeds 001, 002)."""

    agreements: list[AgreementSpec] = Field(default_factory=list)


ORGANISATION_TABLES: dict[str, tuple[type[OrganisationSpec], bool]] = {
    "hospital": (HospitalSpec, True),
    "ward": (WardSpec, True),
    "kommun": (KommunSpec, True),
    "vardcentral": (VardcentralSpec, True),
    "kluster": (KlusterSpec, False),
    "fou": (FoUSpec, False),
    "region": (RegionSpec, False),
}
"""Every organisation table a scenario may have (``[kluster."Name"]`` …): its spec, and whether a
scenario must have at least one entry. A new kind adds its spec above and one line here."""
