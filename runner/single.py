"""Run one replication of one scenario and hold what it produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from simulation import Scenario

__all__ = ["TABLES", "RunResult", "run_one"]

TABLES = ("daily", "episodes", "gap_events", "ward_daily", "kommun_daily", "relationships")
"""The tables every run writes, one Parquet file each."""


@dataclass
class RunResult:
    """The summary and tables of one run, each table tagged with scenario, replication and seed."""

    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def run_one(scenario: Scenario, seed: int, replication: int = 0) -> RunResult:
    """Run ``scenario`` with ``seed`` to its horizon and collect the summary and tables."""
    # The model (Mesa, pandas) is imported here, not with this module, so that a command can start
    # other work (figure workers, argument checks) before paying for those imports.
    from simulation.metrics import (
        daily_table,
        episode_table,
        gap_table,
        kommun_daily_table,
        relationship_table,
        summarise,
        ward_daily_table,
    )
    from simulation.model import DischargeModel

    model = DischargeModel(scenario, seed=seed).run()
    summary = summarise(model)
    summary["replication"] = replication
    tables = {
        "daily": daily_table(model),
        "episodes": episode_table(model),
        "gap_events": gap_table(model),
        "ward_daily": ward_daily_table(model),
        "kommun_daily": kommun_daily_table(model),
        "relationships": relationship_table(model),
    }
    for df in tables.values():
        df.insert(0, "seed", seed)
        df.insert(0, "replication", replication)
        df.insert(0, "scenario", scenario.name)
    return RunResult(summary, tables)
