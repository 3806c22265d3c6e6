"""vardkedja's model: the LUS discharge chain for older patients as an agent-based simulation.

This package is the model and nothing else: no CLI, plots or web code. Typical use::

    from simulation import DischargeModel, load_scenario, summarise
    model = DischargeModel(load_scenario("scenarios/nordost.toml"), seed=1).run()
    print(summarise(model)["ready_bed_days"])

Names are imported on first use (PEP 562), so ``import simulation.scenario`` (validating a file)
does not import Mesa, pandas or scipy. Mesa itself is imported without its eager spaces
(scipy.spatial) and its slow logger naming: ``simulation.mesa_startup``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from simulation.mesa_startup import install

install()  # before any module of the model imports Mesa: see simulation/mesa_startup.py

if TYPE_CHECKING:
    from simulation.contract import SUMMARY_KEYS
    from simulation.gaps import GapEvent, GapKind
    from simulation.metrics import summarise
    from simulation.model import DischargeModel
    from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict

_WHERE = {
    "GapEvent": "simulation.gaps",
    "GapKind": "simulation.gaps",
    "SUMMARY_KEYS": "simulation.contract",
    "summarise": "simulation.metrics",
    "DischargeModel": "simulation.model",
    "Scenario": "simulation.scenario",
    "ScenarioError": "simulation.scenario",
    "load_scenario": "simulation.scenario",
    "scenario_from_dict": "simulation.scenario",
}

__all__ = [
    "SUMMARY_KEYS",
    "DischargeModel",
    "GapEvent",
    "GapKind",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "scenario_from_dict",
    "summarise",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
