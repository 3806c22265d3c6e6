"""The scenario: a typed, validated, immutable description of one simulation experiment.

A scenario is written in TOML (see ``scenarios/nordost.toml``) and checked once, here, at the edge.
Organisations are tables keyed by name (``[kommun."Täby"]``) so that a variant file can extend a base
scenario (``extends = "nordost.toml"``) and override a single value of a single organisation.
``[defaults.<kind>]`` tables give values that every organisation of that kind gets unless it sets
its own. Every problem is reported as one line naming the file, the key path, the value and what is
allowed (:class:`ScenarioError`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from simulation.distributions import (
    MAX_DAYS,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Geometric,
    LogNormal,
    Poisson,
)

__all__ = [
    "MAX_DAYS",
    "MAX_SEED",
    "NAME_RULE",
    "SHIPPED_DIR",
    "CapacityFactors",
    "CommunityDemand",
    "FoUSpec",
    "ForcedDischarge",
    "Forum",
    "HospitalSpec",
    "KlusterSpec",
    "KommunSpec",
    "PatientMix",
    "AgreementSpec",
    "PatientVoice",
    "RegionSpec",
    "Relationships",
    "Rules",
    "Scenario",
    "ScenarioError",
    "SipRules",
    "VardcentralSpec",
    "WardSpec",
    "WeekendStaffing",
    "check_name",
    "load_scenario",
    "parse_key_path",
    "parse_setting",
    "resolve_scenario_dict",
    "scenario_from_dict",
    "settings_tree",
]

# Upper bounds: far beyond anything real (Sweden has 10.6 million inhabitants and about 20,000 hospital
# beds), but they keep a typo such as 1e12 from running out of memory or overflowing a day counter.
MAX_SEED = 2**63 - 1
"""Seeds fit int64 (Parquet columns)."""
MAX_POPULATION = 20_000_000
MAX_BEDS = 100_000
MAX_PER_DAY = 100_000
"""Capacities per day (cases, starts, tasks, intakes)."""
MAX_PLACES = 1_000_000
MAX_FACTOR = 1_000.0
"""Multipliers, weights and rates without a natural bound."""
MAX_PRICE_SEK = 1_000_000.0
MAX_FILE_BYTES = 10_000_000
"""A scenario file is text of a few kilobytes; anything this large is not one."""
NAME_RULE = "letters (å, ä, ö too), digits, '-', '_' and '.', at most 80, not starting with '.'"
_NAME = re.compile(r"[\w\-][\w.\-]{0,79}")

Probability = Annotated[float, Field(ge=0, le=1)]
NonNegFloat = Annotated[float, Field(ge=0, le=MAX_FACTOR)]
NonNegInt = Annotated[int, Field(ge=0, le=MAX_PER_DAY)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Places = Annotated[int, Field(ge=0, le=MAX_PLACES)]
Roster = Annotated[list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=7, max_length=7)]
"""Staffing by weekday, Monday first, as a fraction of full weekday capacity (0 = nobody)."""


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message is one line fit for a user."""


def check_name(name: str) -> str:
    """Return ``name`` if it is safe as a folder name (:data:`NAME_RULE`), else raise ValueError."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(NAME_RULE)
    return name


class _Strict(BaseModel):
    # Non-finite numbers (inf, nan) are refused everywhere: they would run and print "Infinity".
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class HospitalSpec(_Strict):
    """An acute or geriatric hospital; its wards are listed under ``[ward.*]``."""

    description: str = ""


class WardSpec(_Strict):
    """A hospital ward (avdelning) with its vårdsamordnare."""

    hospital: str
    beds: Annotated[int, Field(ge=0, le=MAX_BEDS)]
    serves: list[str] = Field(default_factory=list)
    """Kommuner whose residents this ward usually treats (its home patients)."""
    coordinator_capacity: NonNegInt = 6
    """Coordinated discharges (patients needing support) the vårdsamordnare can complete a day."""
    coordinator_roster: Roster | None = None
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


class VardcentralSpec(_Strict):
    """A vårdcentral (primary care centre), which names fast vårdkontakt and calls SIP."""

    kommun: str
    listed_share: Annotated[float, Field(gt=0)] = 1.0
    """Relative weight of this vårdcentral among its kommun's residents (normalised per kommun)."""
    tasks_per_day: NonNegInt = 8
    """LUS tasks (care-contact requests, SIP calls) it handles on a fully staffed day."""
    roster: Roster | None = None
    answer_reliability: Probability = 0.85
    """Probability that a request it handles is answered with a named fast vårdkontakt."""
    sip_call_rate: Probability = 0.5
    """Probability that the fast vårdkontakt calls a SIP for a patient who needs one."""
    home_health_starts_per_day: NonNegInt = 3
    """New home health care patients it can start on a fully staffed day."""
    staff_turnover_per_year: NonNegFloat = 3.0


class KommunSpec(_Strict):
    """A municipality: needs assessors, home help, short-term and care-home places."""

    population: Annotated[int, Field(ge=0, le=MAX_POPULATION)]
    population_65plus: Annotated[int, Field(ge=0, le=MAX_POPULATION)]
    hospitals: dict[str, Probability] = Field(default_factory=dict)
    """Share of the kommun's admissions going to each hospital (normalised)."""
    assessor_capacity: NonNegInt = 4
    """New cases the biståndshandläggare take on a fully staffed day."""
    assessor_roster: Roster | None = None
    home_help_starts_per_day: NonNegInt = 4
    home_help_roster: Roster | None = None
    short_term_places: Places = 20
    care_home_places: Places = 40
    place_intakes_per_day: NonNegInt = 3
    """New residents short-term and care-home places can take on a fully staffed day."""
    place_intake_roster: Roster | None = None
    initial_place_occupancy: Probability = 0.85
    active_search_probability: Probability = 0.0
    """Daily probability that the kommun finds an unnotified resident by phoning the wards itself."""
    integrated_primary_care: bool = False
    """Kommun and its vårdcentraler are one organisation (the Norrtälje model)."""
    staff_turnover_per_year: NonNegFloat = 4.0


class WeekendStaffing(_Strict):
    """Weekend and holiday staffing per role, as a fraction of weekday capacity (0 = nobody).

    ``ward_doctor`` is the exception: a per-patient probability (there is no doctor capacity).
    """

    ward_doctor: Probability = 1.0
    """Chance that a patient whose treatment ends on a weekend day or holiday is declared
    utskrivningsklar that day (else on the next working day: no ward round)."""
    ward_coordinator: Probability = 0.0
    vardcentral: Probability = 0.0
    assessor: Probability = 0.0
    home_health_care: Probability = 0.0
    home_help_starts: Probability = 0.5
    place_intake: Probability = 0.5


class ForcedDischarge(_Strict):
    """When the ward discharges a ready patient whose receivers are not ready (a gap)."""

    max_wait_days: Days | None = None
    """Discharge anyway after this many days as utskrivningsklar (None = never)."""
    bed_pressure_occupancy: Probability | None = None
    """Discharge the longest-waiting patient when ward occupancy is at or above this (None = never)."""


class Rules(_Strict):
    """System-wide rules and levers."""

    payment_threshold_days: Days = 3
    payment_price_sek: Annotated[float, Field(ge=0, le=MAX_PRICE_SEK)] = 7800.0
    digital_meetings: bool = True
    misplacement_probability: Probability = 0.02
    """Probability that an admission is placed on a non-home ward even when the home ward has room."""
    misplaced_notice_factor: Probability = 0.7
    """Notice reliability on an unfamiliar ward, as a factor of the ward's own reliability."""
    sip_call_rate: Probability | None = None
    """Overrides every vårdcentral's own SIP call rate when set."""
    notice_reliability: Probability | None = None
    """Overrides every ward's notice reliability when set."""
    wait_for_care_contact_days: Days | None = 1
    """Days after the ready notice the ward waits for a silent vårdcentral before discharging
    without a fast vårdkontakt (a gap); None = wait until one is named."""
    forced_discharge: ForcedDischarge = ForcedDischarge()
    care_contact_retry_days: Annotated[int, Field(ge=1, le=365)] | None = None
    """Days after which a vårdcentral looks again at a care-contact request it left unanswered (a
    reminder in the IT system); None = it is never looked at again (only the ward's chasing helps)."""
    discharge_info_failure: Probability = 0.0
    """Chance that the information at discharge (LUS step 6) fails to reach a receiver across a
    handover of quality 0; it falls with quality (times 1 - quality)."""


class PatientMix(_Strict):
    """Who is admitted and what they need after discharge."""

    admissions_per_1000_65plus: NonNegFloat = 270.0
    """Hospital admissions a year per 1,000 inhabitants aged 65+."""
    weekday_weights: Annotated[list[NonNegFloat], Field(min_length=7, max_length=7)] = Field(
        default_factory=lambda: [1.15, 1.1, 1.05, 1.05, 1.0, 0.85, 0.8]
    )
    holiday_weight: NonNegFloat = 0.85
    treatment_days: Distribution = LogNormal(dist="lognormal", median=4.0, mean=5.5)
    kommun_support: dict[Literal["none", "home_help", "short_term", "care_home"], NonNegFloat] = Field(
        default_factory=lambda: {
            "none": 0.55,
            "home_help": 0.3,
            "short_term": 0.1,
            "care_home": 0.05,
        }
    )
    home_health_care_with_support: Probability = 0.5
    """Probability of needing home health care from the vårdcentral when the kommun is involved."""
    home_health_care_without_support: Probability = 0.1
    readmission_30d: Probability = 0.08
    readmission_gap_factor: NonNegFloat = 1.8
    """Readmission risk multiplier after a discharge with at least one gap."""
    readmission_delay_days: Distribution = Empirical(
        dist="empirical", values=[float(v) for v in range(1, 31)]
    )

    @model_validator(mode="after")
    def _support_sums(self) -> PatientMix:
        if sum(self.kommun_support.values()) <= 0:
            raise ValueError("kommun_support weights must not all be zero")
        if sum(self.weekday_weights) <= 0:
            raise ValueError("weekday_weights must not all be zero")
        return self


class Forum(_Strict):
    """A mötesplats: organisations that meet every ``every_days`` days."""

    members: Annotated[list[str], Field(min_length=2)]
    every_days: Annotated[int, Field(ge=1, le=MAX_DAYS)] = 30
    boost: Probability = 0.05


class Relationships(_Strict):
    """How working relationships between organisations start, act and change."""

    initial_strength: Probability = 0.6
    """Between organisations that usually work together."""
    unfamiliar_strength: Probability = 0.2
    """Between a ward and a kommun or vårdcentral it does not usually serve."""
    strengths: dict[str, Probability] = Field(default_factory=dict)
    """Explicit edge strengths, keyed ``"A|B"``."""
    informal_recovery_per_day: Probability = 0.3
    """Daily chance that a missed notice is caught by phone, times the relationship strength."""
    act_speed_floor: Probability = 0.4
    """Chance that a handled message is acted on today at strength 0 (1 at strength 1)."""
    chase_probability: Probability = 0.8
    """Daily chance, times strength, that the ward (on a staffed day) chases a silent vårdcentral
    while the patient waits after the ready notice."""
    planning_slowdown: NonNegFloat = 1.0
    """Planning takes (1 + slowdown * (1 - quality)) times its drawn duration."""
    support_start_days_weak: Annotated[float, Field(ge=0, le=365)] = 0.0
    """Mean days, after the ready notice, until the kommun has support in place across a handover of
    quality 0 (on top of ``durations.support_lead_days``, a floor)."""
    support_start_days_strong: Annotated[float, Field(ge=0, le=365)] = 0.0
    """The same across a handover of quality 1; in between the mean is linear in quality."""
    sip_call_floor: Probability = 1.0
    """A SIP is called with chance ``sip_call_rate * (floor + (1 - floor) * quality)`` of the
    vårdcentral–kommun handover (1 = the relationship does not matter)."""
    routine_effect: Probability = 0.7
    """How much of a weak relationship a shared routine makes up for (quality, see relationships.py)."""
    routines_ward_kommun: bool = False
    """Wards and the kommuner they serve start with an established discharge routine."""
    routines_ward_vardcentral: bool = False
    """Wards and the vårdcentraler of the kommuner they serve start with one."""
    routines_kommun_vardcentral: bool = False
    """Kommuner and their vårdcentraler start with one."""
    routines: list[str] = Field(default_factory=list)
    """Further pairs with an established routine at the start, keyed ``"A|B"``."""
    growth: Probability = 0.02
    turnover_loss: Probability = 0.05
    forums: list[Forum] = Field(default_factory=list)
    enable_growth: bool = True
    enable_turnover: bool = True
    enable_forums: bool = True


class SipRules(_Strict):
    """SIP meetings after discharge and their follow-up."""

    held_probability_digital: Probability = 0.9
    held_probability_physical: Probability = 0.7
    meeting_delay_days: Distribution = Empirical(dist="empirical", values=[3.0, 5.0, 7.0, 10.0, 14.0])
    follow_up_days: Distribution = Fixed(dist="fixed", value=30.0)


class Durations(_Strict):
    """Durations not tied to one organisation."""

    notice_delay_days: Distribution = Geometric(dist="geometric", mean=1.5)
    """Delay of a late admission notice."""
    planning_days: Distribution = Geometric(dist="geometric", mean=1.5)
    """Assessor's planning time once a case is taken (before the relationship factor)."""
    support_lead_days: Distribution = Fixed(dist="fixed", value=0.0)
    """Days after the ready notice before the kommun's support can start (arranging the start)."""
    short_term_stay_days: Distribution = LogNormal(dist="lognormal", median=14.0, mean=21.0)
    care_home_stay_days: Distribution = LogNormal(dist="lognormal", median=600.0, mean=800.0)


class CapacityFactors(_Strict):
    """Multipliers on every kommun's capacity (for what-if questions about capacity)."""

    assessor: NonNegFloat = 1.0
    home_help_starts: NonNegFloat = 1.0
    short_term_places: NonNegFloat = 1.0
    care_home_places: NonNegFloat = 1.0


class KlusterSpec(_Strict):
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


class FoUSpec(_Strict):
    """A regional R&D unit (FoU) linking local meeting forums (seed 003)."""

    forums: list[Annotated[int, Field(ge=0)]] = Field(default_factory=list)
    """Indices into ``relationships.forums`` of the forums it links (empty = all of them)."""
    project_probability: Probability = 0.25
    """Chance that a forum meeting spins off a concrete project establishing shared routines."""
    spread_probability: Probability = 0.5
    """Chance that the unit carries a project to each other linked forum."""


class AgreementSpec(_Strict):
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


class RegionSpec(_Strict):
    """The regional level and the agreements it makes for the local chain (seeds 001, 002)."""

    agreements: list[AgreementSpec] = Field(default_factory=list)


class PatientVoice(_Strict):
    """Whether the older person (and relatives) take part in planning (seed 000, seed 002)."""

    participation: Probability = 1.0
    """Chance that the patient takes part in the planning of their discharge."""
    misjudged_without_voice: Probability = 0.0
    """Chance that needs at home are misjudged when the patient does not take part."""
    misjudged_readmission_factor: Annotated[float, Field(ge=1, le=100)] = 1.5
    """Readmission risk multiplier when needs were misjudged."""


class CommunityDemand(_Strict):
    """People at home who also need the kommun's home help and short-term places.

    A second arrival stream beside the hospital's (as in the IPACS model), so that capacity levers act
    on everyone who competes for the places, not only on hospital patients.
    """

    home_help_per_1000_65plus: NonNegFloat = 0.0
    """New home-help clients coming from home, a year per 1,000 inhabitants aged 65+."""
    short_term_per_1000_65plus: NonNegFloat = 0.0
    """Short-term stays requested from home, a year per 1,000 inhabitants aged 65+."""


class Scenario(_Strict):
    """One fully resolved scenario: every organisation, rule and distribution."""

    name: Annotated[str, AfterValidator(check_name)]
    """Also the results folder's name: restricted to :data:`NAME_RULE`."""
    description: str = ""
    start_date: dt.date = dt.date(2019, 1, 1)
    days: Annotated[int, Field(ge=1, le=MAX_DAYS)] = 365
    warmup_days: Days = 0
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] = 1
    rules: Rules = Rules()
    weekend_staffing: WeekendStaffing = WeekendStaffing()
    patients: PatientMix = PatientMix()
    relationships: Relationships = Relationships()
    sip: SipRules = SipRules()
    durations: Durations = Durations()
    capacity: CapacityFactors = CapacityFactors()
    community: CommunityDemand = CommunityDemand()
    hospital: dict[str, HospitalSpec]
    ward: dict[str, WardSpec]
    kommun: dict[str, KommunSpec]
    vardcentral: dict[str, VardcentralSpec]
    kluster: dict[str, KlusterSpec] = Field(default_factory=dict)
    fou: dict[str, FoUSpec] = Field(default_factory=dict)
    region: dict[str, RegionSpec] = Field(default_factory=dict)
    patient_voice: PatientVoice = PatientVoice()
    sources: dict[str, str] = Field(default_factory=dict)
    """Optional machine-readable sources, keyed by parameter path."""

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        for kind in _REQUIRED_KINDS:
            if not getattr(self, kind):
                raise _KeyedError(kind, {}, f"at least one {kind} (a table [{kind}.<name>])")
        if self.warmup_days >= self.days:
            raise _KeyedError("warmup_days", self.warmup_days, f"less than days ({self.days})")
        for name, ward in self.ward.items():
            if ward.hospital not in self.hospital:
                raise _KeyedError(f"ward.{name}.hospital", ward.hospital, _one_of(self.hospital))
            for i, k in enumerate(ward.serves):
                if k not in self.kommun:
                    raise _KeyedError(f"ward.{name}.serves[{i}]", k, _one_of(self.kommun))
        for name, vc in self.vardcentral.items():
            if vc.kommun not in self.kommun:
                raise _KeyedError(f"vardcentral.{name}.kommun", vc.kommun, _one_of(self.kommun))
        has_vc = {vc.kommun for vc in self.vardcentral.values()}
        for name, k in self.kommun.items():
            if not k.hospitals:
                raise _KeyedError(f"kommun.{name}.hospitals", "{}", "at least one hospital share")
            for h in k.hospitals:
                if h not in self.hospital:
                    raise _KeyedError(f"kommun.{name}.hospitals.{h}", h, _one_of(self.hospital))
                if not any(w.hospital == h for w in self.ward.values()):
                    raise _KeyedError(f"kommun.{name}.hospitals.{h}", h, "a hospital with wards")
            if sum(k.hospitals.values()) <= 0:
                raise _KeyedError(f"kommun.{name}.hospitals", k.hospitals, "shares summing to > 0")
            if name not in has_vc:
                raise _KeyedError(f"kommun.{name}", name, "a kommun with at least one vardcentral")
            if k.population_65plus > k.population:
                raise _KeyedError(
                    f"kommun.{name}.population_65plus", k.population_65plus, "at most population"
                )
        for name, kl in self.kluster.items():
            if kl.kommun not in self.kommun:
                raise _KeyedError(f"kluster.{name}.kommun", kl.kommun, _one_of(self.kommun))
        for name, unit in self.fou.items():
            for i, f in enumerate(unit.forums):
                if f >= len(self.relationships.forums):
                    raise _KeyedError(
                        f"fou.{name}.forums[{i}]", f, f"an index below {len(self.relationships.forums)}"
                    )
        orgs = set(self.ward) | set(self.kommun) | set(self.vardcentral)
        dup = (set(self.ward) & set(self.kommun)) | (set(self.ward) & set(self.vardcentral))
        dup |= set(self.kommun) & set(self.vardcentral)
        if dup:
            raise _KeyedError("ward/kommun/vardcentral", sorted(dup)[0], "names unique across kinds")
        for i, forum in enumerate(self.relationships.forums):
            for j, m in enumerate(forum.members):
                if m not in orgs:
                    raise _KeyedError(
                        f"relationships.forums[{i}].members[{j}]",
                        m,
                        "a ward, kommun or vardcentral",
                    )
        for key in self.relationships.strengths:
            parts = key.split("|")
            if len(parts) != 2 or not all(p in orgs for p in parts):
                raise _KeyedError(
                    f"relationships.strengths.{key}", key, '"A|B" with A and B organisation names'
                )
        for i, key in enumerate(self.relationships.routines):
            parts = key.split("|")
            if len(parts) != 2 or not all(p in orgs for p in parts):
                raise _KeyedError(
                    f"relationships.routines[{i}]", key, '"A|B" with A and B organisation names'
                )
        return self

    def fingerprint(self) -> dict[str, Any]:
        """The resolved scenario as plain JSON-able data (for provenance)."""
        return self.model_dump(mode="json", by_alias=True)


class _KeyedError(ValueError):
    def __init__(self, key: str, value: Any, allowed: str) -> None:
        super().__init__(f"{key}: {value!r} is not allowed; expected {allowed}")
        self.key, self.value, self.allowed = key, value, allowed


def _one_of(names: Any) -> str:
    names = sorted(names)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"one of: {shown}"


# ---------------------------------------------------------------------------------------------
# Loading: TOML -> inheritance -> defaults -> validation, with one-line errors.

_SPECS: dict[str, type[BaseModel]] = {
    "hospital": HospitalSpec,
    "ward": WardSpec,
    "kommun": KommunSpec,
    "vardcentral": VardcentralSpec,
    "kluster": KlusterSpec,
    "fou": FoUSpec,
    "region": RegionSpec,
}
_ORG_KINDS = tuple(_SPECS)
_REQUIRED_KINDS = ("hospital", "ward", "kommun", "vardcentral")
"""The kinds a scenario must have at least one of (the others are optional structures)."""


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        # A distribution ({dist = ...}) is one value: a variant replaces it whole.
        if isinstance(value, dict) and "dist" not in value and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


SHIPPED_DIR = Path(__file__).resolve().parent.parent / "scenarios"
"""The shipped scenarios, which ``extends = "<name>"`` refers to by name."""


def _read_toml(path: Path, chain: tuple[Path, ...], shown: str | None = None) -> dict[str, Any]:
    """Read one scenario file and, recursively, the files it extends.

    ``extends`` names a shipped scenario (``"nordost-2019"``) or a ``.toml`` file relative to this
    file's folder (``"nordost-2019.toml"``, ``"../base.toml"``); absolute paths are refused. Whatever
    it names must parse as a scenario (known top-level keys only); a file that does not is refused
    without quoting any of its contents.
    """
    shown = shown or str(path)
    data = _parse_file(path, shown)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    parent_path = _extends_target(path, parent, shown)
    if parent_path in chain:
        cycle = " -> ".join(p.name for p in (*chain, parent_path))
        raise ScenarioError(f"{shown}: extends: circular inheritance ({cycle})")
    if not parent_path.is_file():
        raise ScenarioError(f"{shown}: extends: {parent!r} not found (looked for {parent_path})")
    base = _read_toml(parent_path, (*chain, parent_path))
    unknown = set(base) - set(Scenario.model_fields) - {"defaults"}
    if unknown:
        raise ScenarioError(
            f"{shown}: extends: {parent!r} is not a scenario file "
            f"({len(unknown)} top-level keys a scenario does not have)"
        )
    base.pop("name", None)  # a variant is its own scenario
    base.pop("description", None)
    return _deep_merge(base, data)


def _parse_file(path: Path, shown: str) -> dict[str, Any]:
    """The TOML data of ``path``; every way a file can be unreadable is one ScenarioError line."""
    try:
        if path.is_dir():
            raise ScenarioError(f"{shown}: is a folder; expected a scenario .toml file")
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(f"{shown}: file not found") from None
    except OSError as exc:
        raise ScenarioError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{shown}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not a scenario file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{shown}: not a text file in UTF-8 (byte {exc.start}); expected a scenario .toml file"
        ) from None
    if "\x00" in text:
        raise ScenarioError(f"{shown}: a binary file; expected a scenario .toml file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{shown}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ScenarioError(f"{shown}: not valid TOML (nested too deeply)") from None


def _extends_target(path: Path, parent: Any, shown: str) -> Path:
    allowed = 'the name of a shipped scenario ("nordost-2019") or a relative path to a .toml file'
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{shown}: extends: {parent!r} is not allowed; expected {allowed}")
    if _NAME.fullmatch(parent) and not parent.endswith(".toml"):
        target = SHIPPED_DIR / f"{parent}.toml"
        if target.is_file():
            return target.resolve()
        if not Path(parent).suffix:
            names = sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))
            raise ScenarioError(
                f"{shown}: extends: {parent!r} is not a shipped scenario; expected {_one_of(names)}"
            )
    rel = Path(parent)
    if rel.is_absolute() or parent.startswith("~") or rel.suffix != ".toml" or "\x00" in parent:
        raise ScenarioError(f"{shown}: extends: {parent!r} is not allowed; expected {allowed}")
    return (path.parent / rel).resolve()


def resolve_scenario_dict(
    path: str | Path, settings: Mapping[str, Any] | Iterable[str] = ()
) -> dict[str, Any]:
    """Read a scenario file, following ``extends``; merge ``settings``; apply ``[defaults.*]``.

    ``settings`` are key-path settings (:func:`settings_tree`). The result is not yet validated.
    """
    path = Path(path)
    data = _read_toml(path.resolve(), (path.resolve(),), str(path))
    data.setdefault("name", path.stem)
    tree = settings_tree(settings)
    if tree:
        data = _deep_merge(data, tree)
    return _apply_defaults(data, str(path))


def parse_key_path(key: str) -> tuple[str, ...]:
    """Split a dotted key path as TOML does (``kommun."Täby".assessor_capacity``).

    Raises :class:`ScenarioError` for a key that is not a dotted TOML key.
    """
    try:
        tree = tomllib.loads(f"{key} = 0")
    except tomllib.TOMLDecodeError:
        raise ScenarioError(
            f"{key!r} is not a key path; expected names joined by '.', "
            'quoted where they hold spaces or dots (kommun."Täby".assessor_capacity)'
        ) from None
    parts: list[str] = []
    node: Any = tree
    while isinstance(node, dict):
        (name, node), *_ = node.items()
        parts.append(name)
    return tuple(parts)


def parse_setting(text: str) -> tuple[tuple[str, ...], Any]:
    """Parse one ``key.path=value`` setting; the value is read as TOML, else taken as a string."""
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise ScenarioError(f"--set {text!r}: expected key.path=value")
    path = parse_key_path(key)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word: a string
    return path, value


def settings_tree(settings: Mapping[str, Any] | Iterable[str]) -> dict[str, Any]:
    """Nested data from settings: ``{"rules.sip_call_rate": 0.9}`` or ``["rules.sip_call_rate=0.9"]``.

    Later settings of the same key win. The result is deep-merged into a scenario's data, so a setting
    changes one value and leaves its neighbours alone.
    """
    if isinstance(settings, Mapping):
        items = [(parse_key_path(k), v) for k, v in settings.items()]
    else:
        items = [parse_setting(t) for t in settings]
    tree: dict[str, Any] = {}
    for path, value in items:
        node = tree
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = value
    return tree


def _apply_defaults(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Merge ``[defaults.<kind>]`` into every organisation of that kind.

    Each default is validated once, here, and reported at ``defaults.<kind>.<key>`` (where the user
    wrote it), not once per organisation that inherits it.
    """
    defaults = data.pop("defaults", {}) or {}
    if not isinstance(defaults, dict):
        raise ScenarioError(f"{source}: defaults: expected a table of organisation kinds")
    problems: list[str] = []
    for kind, values in defaults.items():
        if kind not in _ORG_KINDS:
            hint = difflib.get_close_matches(kind, _ORG_KINDS, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ScenarioError(
                f"{source}: defaults.{kind}: unknown organisation kind; allowed: "
                f"{', '.join(_ORG_KINDS)}{extra}"
            )
        if not isinstance(values, dict):
            raise ScenarioError(f"{source}: defaults.{kind}: expected a table of keys and values")
        problems += [f"{source}: {p}" for p in _check_defaults(kind, values)]
        orgs = data.get(kind, {})
        if isinstance(orgs, dict):
            data[kind] = {n: ({**values, **org} if isinstance(org, dict) else org) for n, org in orgs.items()}
    if problems:
        raise ScenarioError("\n".join(dict.fromkeys(problems)))
    return data


_ADAPTERS: dict[tuple[str, str], TypeAdapter[Any]] = {}


def _check_defaults(kind: str, values: dict[str, Any]) -> list[str]:
    spec: type[BaseModel] = _SPECS[kind]
    problems = []
    for key, value in values.items():
        field = spec.model_fields.get(key)
        if field is None:
            close = difflib.get_close_matches(str(key), _keys(spec), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"defaults.{kind}.{key}: unknown key{hint}; allowed keys: {', '.join(_keys(spec))}"
            )
            continue
        adapter = _ADAPTERS.get((kind, key))
        if adapter is None:
            ann: Any = field.annotation
            if field.metadata:
                ann = Annotated[(ann, *field.metadata)]  # type: ignore[valid-type]
            adapter = TypeAdapter(ann, config=ConfigDict(allow_inf_nan=False))
            _ADAPTERS[(kind, key)] = adapter
        try:
            adapter.validate_python(value)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(_describe({**err, "loc": ("defaults", kind, key, *err["loc"])}))
    return problems


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate plain data as a :class:`Scenario`.

    Raises :class:`ScenarioError` with one line per problem, each naming ``source`` and the key path.
    """
    if "defaults" in data:
        data = _apply_defaults(dict(data), source)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = dict.fromkeys(f"{source}: {_describe(err)}" for err in exc.errors())
        raise ScenarioError("\n".join(lines)) from None
    except _KeyedError as exc:  # pragma: no cover - pydantic wraps ValueErrors, kept for safety
        raise ScenarioError(f"{source}: {exc}") from None


def load_scenario(
    path: str | Path, settings: Mapping[str, Any] | Iterable[str] = (), **overrides: Any
) -> Scenario:
    """Load, resolve and validate a scenario file.

    ``settings`` are key-path settings (:func:`settings_tree`); ``overrides`` are top-level keys
    (``days=90``). Both are deep-merged: a setting changes one value, never a whole table.
    """
    tree = settings_tree(settings)
    if overrides:
        tree = _deep_merge(tree, overrides)
    data = resolve_scenario_dict(path, tree)
    return scenario_from_dict(data, str(path))


def _model_for_path(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of ``loc`` (for spelling suggestions)."""
    model: Any = Scenario
    for part in loc[:-1]:
        if model is None:
            return None
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            if isinstance(part, int) or model in (None,):
                continue
            # an organisation name inside dict[str, Org]
            continue
        ann = field.annotation
        model = _inner_model(ann)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(ann: Any) -> Any:
    args = getattr(ann, "__args__", ())
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for a in args:
        found = _inner_model(a)
        if found is not None:
            return found
    return None


def _describe(err: Any) -> str:
    """One problem of a validation error as 'key.path: value is not allowed; expected ...'."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _DIST_TAGS))
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    ctx = err.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, _KeyedError):
        return str(inner)
    etype = err["type"]
    value = err.get("input")
    if etype == "extra_forbidden":
        tag = next((p for p in err["loc"] if isinstance(p, str) and p in _DIST_TAGS), None)
        model = _DIST_CLASSES[tag] if tag else _model_for_path(loc)
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(str(loc[-1]), _keys(model), n=1)
            if close:
                hint = f" (did you mean {close[0]!r}?)"
        allowed = f"; allowed keys: {', '.join(_keys(model))}" if model else ""
        return f"{key}: unknown key{hint}{allowed}"
    if etype == "missing":
        return f"{key}: required key is missing"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if etype == "union_tag_invalid" or etype == "union_tag_not_found":
        return f"{key}: {value!r} is not a distribution; expected dist = one of {', '.join(_DIST_TAGS)}"
    shown = repr(value) if not isinstance(value, dict) else "{...}"
    return f"{key}: {shown} is not allowed; expected {_plain(msg)}"


_DIST_TAGS = ("fixed", "geometric", "exponential", "poisson", "lognormal", "empirical")
_DIST_CLASSES: dict[str, type[BaseModel]] = {
    "fixed": Fixed,
    "geometric": Geometric,
    "exponential": Exponential,
    "poisson": Poisson,
    "lognormal": LogNormal,
    "empirical": Empirical,
}


def _keys(model: type[BaseModel]) -> list[str]:
    """The keys a scenario file may use for ``model`` (aliases where fields have them)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _plain(msg: str) -> str:
    msg = msg.replace("Input should be ", "").replace("Input ", "")
    return msg[0].lower() + msg[1:] if msg else msg
