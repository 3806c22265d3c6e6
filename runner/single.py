"""Run one replication of one scenario and hold what it produced."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from simulation import Scenario

__all__ = ["TABLES", "RunResult", "prepare_heap", "release_run", "run_one"]

TABLES = ("daily", "episodes", "gap_events", "ward_daily", "kommun_daily", "relationships")
"""The tables every run writes, one Parquet file each."""


_FROZEN_IN: int | None = None


def prepare_heap() -> None:
    """Before a process's runs: put what is alive now (modules, the scenario) out of the collector's way.

    ``gc.freeze`` after one collection, once per process (a forked worker freezes again), so that the
    collection after each run (:func:`release_run`) looks only at what runs made. For processes that
    run several models: a worker, or a loop of replications or sweep runs.
    """
    global _FROZEN_IN
    if _FROZEN_IN != os.getpid():
        gc.collect()
        gc.freeze()
        _FROZEN_IN = os.getpid()


def release_run() -> None:
    """After a run whose model is no longer referenced: free the model now, in a :func:`prepare_heap` process.

    A finished model is cyclic garbage of about 10^5 objects (agents and the model refer to each other).
    Left alone, the collector frees it during the next model's construction, so a process running one
    model after another held two at a time. Collecting the young generations, where the model's objects
    usually still are, right after the run does the same work earlier (nordost-2019, 16 runs in one
    process: peak 324 MB -> about 200 MB, collector time +10 ms a run, within this machine's noise). A
    process that runs one model and exits (``vardkedja run`` with one replication) skips it.
    """
    if _FROZEN_IN == os.getpid():
        gc.collect(1)


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
