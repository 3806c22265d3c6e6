"""Values in force that differ from what a scenario writes, because something else overrides them.

A vårdcentral's ``sip_call_rate`` is not the rate it calls SIPs at when ``rules.sip_call_rate`` is
set; a ward's ``notice_reliability`` likewise under ``rules.notice_reliability``; a kommun that runs
primary care itself (``integrated_primary_care``, the Norrtälje model) shares its assessors' rota with
its vårdcentraler and holds them at full relationship strength. The agents read the first two here
(:func:`sip_call_rate`, :func:`notice_reliability`); :func:`overrides` lists every such value of a
scenario, for whoever shows the scenario as written (``vardkedja show``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulation.organisation_specs import VardcentralSpec, WardSpec
    from simulation.scenario_schema import Scenario

__all__ = ["Override", "notice_reliability", "overrides", "sip_call_rate"]


@dataclass(frozen=True)
class Override:
    """A value the scenario writes that the model does not use as written."""

    path: tuple[str, ...]
    """Where the scenario writes it (``("vardcentral", "Täby vc 1", "sip_call_rate")``)."""
    in_force: Any
    """What the model uses instead."""
    by: tuple[str, ...]
    """The key path that makes it so (``("rules", "sip_call_rate")``)."""
    how: str = ""
    """How the value in force follows from it, where that is more than taking it."""


def sip_call_rate(scenario: Scenario, spec: VardcentralSpec) -> float:
    """The SIP call rate in force at a vårdcentral: the scenario-wide rule when set, else its own."""
    rule = scenario.rules.sip_call_rate
    return spec.sip_call_rate if rule is None else rule


def notice_reliability(scenario: Scenario, spec: WardSpec) -> float:
    """The notice reliability in force at a ward: the scenario-wide rule when set, else its own."""
    rule = scenario.rules.notice_reliability
    return spec.notice_reliability if rule is None else rule


def overrides(scenario: Scenario) -> list[Override]:
    """Every value ``scenario`` writes that the model does not use as written, in scenario order.

    Only values the scenario holds (not one left unset, None): what is shown can be marked.
    """
    out: list[Override] = []
    rules = scenario.rules
    integrated = {name for name, k in scenario.kommun.items() if k.integrated_primary_care}
    weekend = scenario.weekend_staffing
    for name, ward in scenario.ward.items():
        if rules.notice_reliability is not None:
            out.append(
                Override(
                    ("ward", name, "notice_reliability"),
                    notice_reliability(scenario, ward),
                    ("rules", "notice_reliability"),
                )
            )
    for name, vc in scenario.vardcentral.items():
        if rules.sip_call_rate is not None:
            out.append(
                Override(
                    ("vardcentral", name, "sip_call_rate"),
                    sip_call_rate(scenario, vc),
                    ("rules", "sip_call_rate"),
                )
            )
        if vc.roster is not None and vc.kommun in integrated:
            # one organisation, one rota (Vardcentral.connect): the larger staffing each day
            from simulation.roster import Roster  # here: numpy (its calendar's) is not needed otherwise

            assessors = Roster.from_spec(scenario.kommun[vc.kommun].assessor_roster, weekend.assessor)
            shared = Roster.from_spec(vc.roster, weekend.vardcentral).combined(assessors)
            out.append(
                Override(
                    ("vardcentral", name, "roster"),
                    shared.fractions,
                    ("kommun", vc.kommun, "integrated_primary_care"),
                    "one rota with the kommun's assessors, the larger staffing each day",
                )
            )
    own = {(vc.kommun, name) for name, vc in scenario.vardcentral.items() if vc.kommun in integrated}
    for key in scenario.relationships.strengths:
        a, _, b = key.partition("|")
        pair = (a, b) if (a, b) in own else (b, a) if (b, a) in own else None
        if pair is not None:  # an integrated kommun and its own vårdcentral (Kommun.usual_partners)
            out.append(
                Override(
                    ("relationships", "strengths", key),
                    1.0,
                    ("kommun", pair[0], "integrated_primary_care"),
                    "one organisation, at full strength",
                )
            )
    return out
