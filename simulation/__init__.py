"""vardkedja's model: the LUS discharge chain for older patients as an agent-based simulation.

This package is the model and nothing else: no CLI, plots or web code. Typical use::

    from simulation import DischargeModel, load_scenario, summarise
    model = DischargeModel(load_scenario("scenarios/nordost.toml"), seed=1).run()
    print(summarise(model)["ready_bed_days"])
"""

from simulation.gaps import GapEvent, GapKind
from simulation.metrics import SUMMARY_KEYS, summarise
from simulation.model import DischargeModel
from simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict

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
