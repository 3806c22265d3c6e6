"""Adding an organisation kind is a recipe (docs/ODD.md, "Extending the model").

This toy kind, an äldreombud (an ombudsman for older people) per kommun, is defined only here: its agent
class, its scenario table (a subclass of the scenario with one more table) and its registration (the
model's ``kinds`` and ``day_order``). Each morning it phones the wards and finds its kommun's residents
whom no admission notice ever reached, so fewer patients go home without the kommun knowing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from builders import small_scenario_dict
from pydantic import BaseModel, ConfigDict

from simulation import DischargeModel, summarise
from simulation.chain import NEVER
from simulation.organisation import Organisation
from simulation.organisations import DAY_ORDER, KINDS
from simulation.scenario import Scenario
from simulation.ward import Ward


class OmbudSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kommun: str
    calls_per_day: int = 5


class ToyScenario(Scenario):
    ombud: dict[str, OmbudSpec] = {}


class Ombud(Organisation):
    table = "ombud"

    def connect(self, by_name: Mapping[str, Any]) -> None:
        self.kommun = by_name[self.spec.kommun]
        self.wards = [o for o in by_name.values() if isinstance(o, Ward)]
        self.found = 0

    def work(self, day: int) -> None:
        calls = self.spec.calls_per_day
        for w in self.wards:
            for ep in list(w.in_bed.values()):
                if calls == 0:
                    return
                if ep.patient.kommun is self.kommun and ep.needs_kommun and ep.kommun_informed == NEVER:
                    self.kommun.find_unnotified(ep)
                    self.found += 1
                    calls -= 1


def _run(with_ombud: bool, seed: int) -> tuple[DischargeModel, dict]:
    data = small_scenario_dict(days=150, rules={"notice_reliability": 0.6})
    if with_ombud:
        data["ombud"] = {"Ombud K1": {"kommun": "K1"}, "Ombud K2": {"kommun": "K2"}}
    scenario = ToyScenario.model_validate(data)
    m = DischargeModel(scenario, seed=seed, kinds=(*KINDS, Ombud), day_order=(Ombud, *DAY_ORDER)).run()
    return m, summarise(m)


def test_a_kind_defined_outside_the_package_is_built_scheduled_and_acts():
    m, s = _run(True, seed=4)
    ombud = m.agents_by_type[Ombud]
    assert len(ombud) == 2 and sum(o.found for o in ombud) > 10
    base_m, base = _run(False, seed=4)
    assert Ombud not in base_m.agents_by_type
    # fewer discharges the kommun never heard of (100 -> 52 with this seed)
    assert s["gap_events"]["unnotified_discharge"] < 0.75 * base["gap_events"]["unnotified_discharge"]


def test_the_extra_table_is_validated_like_any_other():
    data = small_scenario_dict()
    data["ombud"] = {"X": {"kommun": "K1", "calls_per_dya": 3}}
    try:
        ToyScenario.model_validate(data)
    except ValueError as exc:
        assert "calls_per_dya" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a misspelt key in the new table was accepted")
