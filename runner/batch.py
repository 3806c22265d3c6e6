"""The model for ``mesa.batch_run``: key-path keyword parameters in, one summary row per run out.

``mesa.batch_run`` builds ``model_cls(**parameters, seed=...)``, steps it and returns, with the default
``data_collection_period=-1``, the *last* row of ``model.datacollector``. For
:class:`~simulation.DischargeModel` that row is the last day's counters, not what the run measured.
:class:`BatchModel` takes the scenario file and key-path settings as keyword arguments and, when the run
ends, puts the run's summary metrics (``runner.design.METRICS``) into a data collector of their own, so
that the row ``batch_run`` returns is the summary::

    from mesa.batchrunner import batch_run
    from runner.batch import BatchModel

    rows = batch_run(
        BatchModel,
        parameters={"base": "scenarios/nordost-2019.toml", "days": 90,
                    "rules.sip_call_rate": [0.3, 0.9]},
        rng=[1, 2], max_steps=400, display_progress=False,
    )

``max_steps`` must be at least the scenario's ``days`` (the summary is collected on the last day). The
day-by-day table stays available as ``model.daily_collector``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa

from runner.design import METRICS
from runner.sweep import metric_row
from simulation import DischargeModel, scenario_from_dict, summarise
from simulation.scenario import resolve_scenario_dict

__all__ = ["BatchModel"]


class BatchModel(DischargeModel):
    """A :class:`~simulation.DischargeModel` built from a scenario file and key-path settings."""

    def __init__(
        self,
        base: str | Path = "scenarios/nordost-2019.toml",
        seed: int | None = None,
        days: int | None = None,
        warmup_days: int | None = None,
        **settings: Any,
    ) -> None:
        data = resolve_scenario_dict(base, settings)
        if days is not None:
            data["days"] = int(days)
            if warmup_days is None and int(data.get("warmup_days", 0)) >= int(days):
                data["warmup_days"] = 0
        if warmup_days is not None:
            data["warmup_days"] = int(warmup_days)
        scenario = scenario_from_dict(data, str(base))
        super().__init__(scenario, seed)
        self.daily_collector = self.datacollector
        self.summary: dict[str, Any] | None = None

    def step(self) -> None:
        """One day; on the last, the summary becomes the data collector's (only) row."""
        super().step()
        if not self.running and self.summary is None:
            self.summary = summarise(self)
            row = metric_row(self.summary, list(METRICS))
            reporters: dict[str, Any] = {"seed": "seed", "scenario": lambda m: m.params.name}
            reporters.update({name: _reader(name) for name in row})
            self._summary_row = row
            self.datacollector = mesa.DataCollector(model_reporters=reporters)
            self.datacollector.collect(self)


def _reader(name: str) -> Any:
    return lambda m: m._summary_row[name]
