"""The EMA Workbench driving vardkedja: deep uncertainty about demand, levers the region controls.

Uncertainties and levers are scenario values named by their key paths (as `vardkedja run --set` takes
them); their bounds come from the scenario schema where it has them (probabilities 0-1) and from
``bounds`` where it does not. Outcomes are summary metrics. Run from the repository root:

    uv run python examples/ema_workbench_levers.py                 # 8 scenarios x 4 policies, 90 days
    uv run python examples/ema_workbench_levers.py --scenarios 50 --policies 10 --days 365 --jobs 2

It prints the experiments and, per policy, the mean outcomes over the uncertainty scenarios.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> int:
    """Run the experiments and print them."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", type=int, default=8, help="uncertainty samples (Latin hypercube)")
    ap.add_argument("--policies", type=int, default=4, help="lever samples")
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--jobs", type=int, default=1, help="> 1: EMA's MultiprocessingEvaluator")
    args = ap.parse_args()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional packages it lacks
        from ema_workbench import MultiprocessingEvaluator, SequentialEvaluator, perform_experiments

    from runner.ema import ema_model

    model = ema_model(
        ROOT / "scenarios" / "nordost-2019.toml",
        uncertainties={
            "admissions": "patients.admissions_per_1000_65plus",  # demand: no schema bound above
            "readmission_risk": "patients.readmission_30d",  # a probability: 0-1 from the schema
            "turnover_loss": "relationships.turnover_loss",
        },
        levers={
            "weekend_staffing": [
                "weekend_staffing.ward_coordinator",
                "weekend_staffing.vardcentral",
                "weekend_staffing.assessor",
                "weekend_staffing.home_health_care",
            ],
            "sip_call_rate": "rules.sip_call_rate",
            "home_help_capacity": "capacity.home_help_starts",
        },
        bounds={
            "patients.admissions_per_1000_65plus": (220.0, 330.0),
            "patients.readmission_30d": (0.05, 0.13),  # Socialstyrelsen: 5-13 % by region (DOMAIN.md)
            "relationships.turnover_loss": (0.0, 0.15),
            "capacity.home_help_starts": (0.5, 2.0),
        },
        outcomes=[
            "ready_bed_days",
            "ready_bed_share",
            "gaps_per_100_discharges",
            "gap_events.sip_not_called",
        ],
        days=args.days,
        seed=2019,
    )
    evaluator = (
        MultiprocessingEvaluator(model, n_processes=args.jobs)
        if args.jobs > 1
        else SequentialEvaluator(model)
    )
    with evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=args.scenarios, policies=args.policies, evaluator=evaluator
        )
    import pandas as pd

    table = experiments.drop(columns=["model"]).assign(**outcomes)
    pd.set_option("display.width", 160)
    print(table.round(3).to_string(index=False))
    levers = ["weekend_staffing", "sip_call_rate", "home_help_capacity"]
    by_policy = table.groupby(["policy", *levers])[list(outcomes)].mean().round(3)
    print("\nmean over the uncertainty scenarios, per policy:")
    print(by_policy.sort_values("ready_bed_days").to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
