"""The scenario's building blocks: bounds, constrained number types, and the system-wide sections.

Rules, weekend staffing, the patient mix, relationships, SIP, durations, capacity factors, demand from
people at home and the patient's voice. Every value is checked once, here, at the edge; non-finite
numbers are refused everywhere. The organisation tables are in ``organisation_specs.py``, the whole
scenario in ``scenario_schema.py``, reading files in ``scenario.py``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.distributions import (
    MAX_DAYS,
    Distribution,
    Empirical,
    Fixed,
    Geometric,
    LogNormal,
)

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
NAME_PATTERN = re.compile(r"[\w\-][\w.\-]{0,79}")

Probability = Annotated[float, Field(ge=0, le=1)]
NonNegFloat = Annotated[float, Field(ge=0, le=MAX_FACTOR)]
NonNegInt = Annotated[int, Field(ge=0, le=MAX_PER_DAY)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Places = Annotated[int, Field(ge=0, le=MAX_PLACES)]
RosterFractions = Annotated[list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=7, max_length=7)]
"""Staffing by weekday, Monday first, as a fraction of full weekday capacity (0 = nobody)."""


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message is one line fit for a user."""


def check_name(name: str) -> str:
    """Return ``name`` if it is safe as a folder name (:data:`NAME_RULE`), else raise ValueError."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ValueError(NAME_RULE)
    return name


class Strict(BaseModel):
    """Base of every scenario section: unknown keys refused, values frozen once checked."""

    # Non-finite numbers (inf, nan) are refused everywhere: they would run and print "Infinity".
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class KeyedError(ValueError):
    """A cross-reference problem at ``key`` (raised inside validators, reported as one line)."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        super().__init__(f"{key}: {value!r} is not allowed; expected {allowed}")
        self.key, self.value, self.allowed = key, value, allowed


def one_of(names: Any) -> str:
    """'one of: a, b, c' (the first eight, sorted) for an error message."""
    names = sorted(names)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"one of: {shown}"


def closest(word: str, names: Any) -> str | None:
    """The one of ``names`` that ``word`` most likely misspells, or None (for "did you mean").

    Compared as :mod:`difflib` does, after folding case and accents, so that "Taby" and "taby" find
    "Täby" (folded, they are the same word) and "Osteraker" finds "Österåker".
    """
    folded: dict[str, str] = {}
    for name in sorted(names):
        folded.setdefault(_fold(name), name)
    close = difflib.get_close_matches(_fold(word), folded, n=1)
    return folded[close[0]] if close else None


def _fold(word: str) -> str:
    """``word`` without case or accents (å -> a, ö -> o)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class WeekendStaffing(Strict):
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


class ForcedDischarge(Strict):
    """When the ward discharges a ready patient whose receivers are not ready (a gap)."""

    max_wait_days: Days | None = None
    """Discharge anyway after this many days as utskrivningsklar (None = never)."""
    bed_pressure_occupancy: Probability | None = None
    """Discharge the longest-waiting patient when ward occupancy is at or above this (None = never)."""


class Rules(Strict):
    """System-wide rules and levers."""

    payment_threshold_days: Days = 3
    payment_price_sek: Annotated[float, Field(ge=0, le=MAX_PRICE_SEK)] = 7800.0
    payment_days: Literal["staffed", "calendar"] = "staffed"
    """Which days after the threshold the kommun pays for while it is not ready: "staffed", only days
    the ward has a coordinator and could have discharged but for the kommun (a lower bound); or
    "calendar", every day, as the law and the regional agreements count them (DOMAIN.md)."""
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


class PatientMix(Strict):
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


class Forum(Strict):
    """A mötesplats: organisations that meet every ``every_days`` days."""

    members: Annotated[list[str], Field(min_length=2)]
    every_days: Annotated[int, Field(ge=1, le=MAX_DAYS)] = 30
    boost: Probability = 0.05


class Relationships(Strict):
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
    """Chance that a handled message is acted on today across a ward–vårdcentral handover of quality 0
    (1 at quality 1; linear in between)."""
    chase_probability: Probability = 0.8
    """Daily chance, times the handover's quality, that the ward (on a staffed day) chases a silent
    vårdcentral while the patient waits after the ready notice."""
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


class SipRules(Strict):
    """SIP meetings after discharge and their follow-up."""

    held_probability_digital: Probability = 0.9
    held_probability_physical: Probability = 0.7
    meeting_delay_days: Distribution = Empirical(dist="empirical", values=[3.0, 5.0, 7.0, 10.0, 14.0])
    follow_up_days: Distribution = Fixed(dist="fixed", value=30.0)


class Durations(Strict):
    """Durations not tied to one organisation."""

    notice_delay_days: Distribution = Geometric(dist="geometric", mean=1.5)
    """Delay of a late admission notice."""
    planning_days: Distribution = Geometric(dist="geometric", mean=1.5)
    """Assessor's planning time once a case is taken (before the relationship factor)."""
    support_lead_days: Distribution = Fixed(dist="fixed", value=0.0)
    """Days after the ready notice before the kommun's support can start (arranging the start)."""
    short_term_stay_days: Distribution = LogNormal(dist="lognormal", median=14.0, mean=21.0)
    care_home_stay_days: Distribution = LogNormal(dist="lognormal", median=600.0, mean=800.0)


class CapacityFactors(Strict):
    """Multipliers on every kommun's capacity (for what-if questions about capacity)."""

    assessor: NonNegFloat = 1.0
    home_help_starts: NonNegFloat = 1.0
    short_term_places: NonNegFloat = 1.0
    care_home_places: NonNegFloat = 1.0


class PatientVoice(Strict):
    """Whether the older person (and relatives) take part in planning (seed 000, seed 002)."""

    participation: Probability = 1.0
    """Chance that the patient takes part in the planning of their discharge."""
    misjudged_without_voice: Probability = 0.0
    """Chance that needs at home are misjudged when the patient does not take part."""


class CommunityDemand(Strict):
    """People at home who also need the kommun's home help and short-term places.

    A second arrival stream beside the hospital's (a design assumption), so that capacity levers act
    on everyone who competes for the places, not only on hospital patients.
    """

    home_help_per_1000_65plus: NonNegFloat = 0.0
    """New home-help clients coming from home, a year per 1,000 inhabitants aged 65+."""
    short_term_per_1000_65plus: NonNegFloat = 0.0
    """Short-term stays requested from home, a year per 1,000 inhabitants aged 65+."""
