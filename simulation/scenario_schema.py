"""The whole scenario: every organisation, rule and distribution, checked against each other."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, create_model, model_validator

from simulation.distributions import (
    MAX_DAYS,
)
from simulation.organisation_specs import ORGANISATION_TABLES
from simulation.parameters import (
    MAX_SEED,
    CapacityFactors,
    CommunityDemand,
    Days,
    Durations,
    KeyedError,
    PatientMix,
    PatientVoice,
    Relationships,
    Rules,
    SipRules,
    Strict,
    WeekendStaffing,
    check_name,
    closest,
    one_of,
)

__all__ = ["Scenario"]


def _iso_date(value: Any) -> Any:
    """A date, also as its ISO text (``"2019-01-01"``, as JSON and many tools write it).

    The text has one meaning only, so it is taken even where a file's values are checked strictly.
    """
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time of day, such as 2019-01-01")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("a date such as 2019-01-01") from None
    return value


class _ScenarioBase(Strict):
    """Everything in a scenario but its organisation tables (added from ``ORGANISATION_TABLES``)."""

    name: Annotated[str, AfterValidator(check_name)]
    """Also the results folder's name: restricted to :data:`NAME_RULE`."""
    description: str = ""
    start_date: Annotated[dt.date, BeforeValidator(_iso_date)] = dt.date(2019, 1, 1)
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
    patient_voice: PatientVoice = PatientVoice()
    sources: dict[str, str] = Field(default_factory=dict)
    """Optional machine-readable sources, keyed by parameter path."""

    @model_validator(mode="after")
    def _references(self) -> Any:
        for kind, (_, required) in ORGANISATION_TABLES.items():
            if required and not getattr(self, kind):
                raise KeyedError(kind, {}, f"at least one {kind} (a table [{kind}.<name>])")
        if self.warmup_days >= self.days:
            raise KeyedError("warmup_days", self.warmup_days, f"less than days ({self.days})")
        for name, ward in self.ward.items():
            if ward.hospital not in self.hospital:
                raise KeyedError(f"ward.{name}.hospital", ward.hospital, one_of(self.hospital))
            for i, k in enumerate(ward.serves):
                if k not in self.kommun:
                    raise KeyedError(f"ward.{name}.serves[{i}]", k, one_of(self.kommun))
        with_wards = {ward.hospital for ward in self.ward.values()}
        for name in self.hospital:
            if name not in with_wards:  # it admits nobody: most often a misspelt name in a variant file
                close = closest(name, with_wards)
                hint = f" (did you mean {close!r}?)" if close else ""
                raise KeyedError(
                    f"hospital.{name}",
                    name,
                    f"a hospital with a ward (a ward with hospital = {name!r}){hint}",
                )
        for name, vc in self.vardcentral.items():
            if vc.kommun not in self.kommun:
                raise KeyedError(f"vardcentral.{name}.kommun", vc.kommun, one_of(self.kommun))
        has_vc = {vc.kommun for vc in self.vardcentral.values()}
        for name, k in self.kommun.items():
            if not k.hospitals:
                raise KeyedError(f"kommun.{name}.hospitals", "{}", "at least one hospital share")
            for h in k.hospitals:
                if h not in self.hospital:
                    raise KeyedError(f"kommun.{name}.hospitals.{h}", h, one_of(self.hospital))
                if not any(w.hospital == h for w in self.ward.values()):
                    raise KeyedError(f"kommun.{name}.hospitals.{h}", h, "a hospital with wards")
            if sum(k.hospitals.values()) <= 0:
                raise KeyedError(f"kommun.{name}.hospitals", k.hospitals, "shares summing to > 0")
            if name not in has_vc:
                raise KeyedError(f"kommun.{name}", name, "a kommun with at least one vardcentral")
            if k.population_65plus > k.population:
                raise KeyedError(
                    f"kommun.{name}.population_65plus", k.population_65plus, "at most population"
                )
        for kind in ORGANISATION_TABLES:
            for name, spec in getattr(self, kind).items():
                spec.check_references(name, self)
        orgs = set(self.ward) | set(self.kommun) | set(self.vardcentral)
        seen: dict[str, str] = {}
        for kind in ORGANISATION_TABLES:
            if kind == "hospital":  # hospitals are places, not agents: a ward may share their name
                continue
            for name in getattr(self, kind):
                if name in seen:
                    raise KeyedError(
                        f"{kind}.{name}", name, f"names unique across kinds (also a {seen[name]})"
                    )
                seen[name] = kind
        for i, forum in enumerate(self.relationships.forums):
            for j, m in enumerate(forum.members):
                if m not in orgs:
                    raise KeyedError(
                        f"relationships.forums[{i}].members[{j}]",
                        m,
                        "a ward, kommun or vardcentral",
                    )
        for key in self.relationships.strengths:
            parts = key.split("|")
            if len(parts) != 2 or not all(p in orgs for p in parts):
                raise KeyedError(
                    f"relationships.strengths.{key}", key, '"A|B" with A and B organisation names'
                )
        for i, key in enumerate(self.relationships.routines):
            parts = key.split("|")
            if len(parts) != 2 or not all(p in orgs for p in parts):
                raise KeyedError(f"relationships.routines[{i}]", key, '"A|B" with A and B organisation names')
        return self

    def fingerprint(self) -> dict[str, Any]:
        """The resolved scenario as plain JSON-able data (for provenance)."""
        return self.model_dump(mode="json", by_alias=True)


Scenario = create_model(  # the organisation tables come from one list, so a new kind is one entry
    "Scenario",
    __base__=_ScenarioBase,
    __module__=__name__,
    __doc__="One fully resolved scenario: every organisation, rule and distribution.",
    **{
        kind: (dict[str, spec], ...) if required else (dict[str, spec], Field(default_factory=dict))
        for kind, (spec, required) in ORGANISATION_TABLES.items()
    },
)
