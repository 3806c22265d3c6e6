"""What simulation.in_force says is in force is what the model's organisations use."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import DischargeModel, load_scenario
from simulation.in_force import overrides

ROOT = Path(__file__).resolve().parents[2]

INTEGRATED = """extends = "nordost"
name = "integrated"
[kommun."Norrtälje"]
integrated_primary_care = true
assessor_roster = [1, 1, 1, 1, 1, 0.5, 0.5]
[vardcentral."Norrtälje vc 1"]
roster = [1, 1, 1, 1, 1, 0, 0.25]
[relationships.strengths]
"Norrtälje vc 1|Norrtälje" = 0.3
"Täby|Täby vc 1" = 0.4
"""


@pytest.fixture
def integrated(tmp_path):
    path = tmp_path / "integrated.toml"
    path.write_text(INTEGRATED, encoding="utf-8")
    return load_scenario(path, ["rules.sip_call_rate=0.9", "rules.notice_reliability=0.7"])


def test_every_override_is_the_value_the_model_uses(integrated):
    model = DischargeModel(integrated, seed=1)
    orgs = model.organisations
    found = overrides(integrated)
    assert {o.path[0] for o in found} == {"ward", "vardcentral", "relationships"}
    for o in found:
        if o.path[0] == "ward":
            assert orgs[o.path[1]].notice_reliability == o.in_force == 0.7
        elif o.path[2] == "sip_call_rate":
            assert orgs[o.path[1]].sip_call_rate == o.in_force == 0.9
        elif o.path[2] == "roster":
            assert orgs[o.path[1]].roster.fractions == o.in_force == [1.0] * 5 + [0.5, 0.5]
        else:
            a, b = o.path[2].split("|")
            strength = model.initial_strengths.get((a, b), model.initial_strengths.get((b, a)))
            assert strength == o.in_force == 1.0
    paths = {o.path for o in found}
    assert ("relationships", "strengths", "Täby|Täby vc 1") not in paths  # Täby is not integrated
    assert ("vardcentral", "Norrtälje vc 1", "roster") in paths
    assert ("relationships", "strengths", "Norrtälje vc 1|Norrtälje") in paths


def test_a_scenario_without_rules_or_integration_overrides_nothing():
    base = load_scenario(ROOT / "scenarios" / "nordost.toml")
    assert base.rules.sip_call_rate is None and overrides(base) == []
