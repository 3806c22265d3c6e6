"""Common random numbers (ODD §5.3, §7.11 item 14): a change of rules leaves every new arrival as it was,
so that a paired comparison measures the rule and not a different set of patients."""

from __future__ import annotations

from pathlib import Path

from runner.single import run_one
from simulation.scenario import load_scenario

NORDOST = Path(__file__).resolve().parents[2] / "scenarios" / "nordost.toml"
WHO = ["kommun", "vardcentral", "support", "home_health_care"]


def test_new_arrivals_are_the_same_people_when_a_rule_changes():
    base = run_one(load_scenario(NORDOST, days=120), 2019).tables["episodes"]
    sip = run_one(load_scenario(NORDOST, ["rules.sip_call_rate=0.95"], days=120), 2019).tables["episodes"]
    assert not base["sip_called"].equals(sip["sip_called"])  # the rule did change what happened
    for day in (5, 20, 60, 100):
        a, b = (
            t[(t["admitted"] == day) & t["readmission_of"].isna()][WHO].reset_index(drop=True)
            for t in (base, sip)
        )
        assert len(a) > 20
        assert a.equals(b), day
