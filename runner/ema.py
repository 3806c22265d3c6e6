"""The model for the EMA Workbench: uncertainties and levers from the schema, outcomes from the summary.

:func:`ema_model` returns an ``ema_workbench.Model`` whose uncertainties and levers are scenario values
named by key paths (as ``--set`` takes them). Their bounds come from the schema (``Field(ge=, le=)``, e.g.
probabilities 0–1), so they are not typed twice; a value the schema leaves open above (a capacity, a
multiplier) needs its bounds given. Whole-number fields become ``IntegerParameter``. Outcomes are summary
metrics (``runner.design.METRICS``)::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from runner.ema import ema_model

    model = ema_model(
        "scenarios/nordost-2019.toml",
        uncertainties={"admissions": "patients.admissions_per_1000_65plus"},
        levers={"sip_call_rate": "rules.sip_call_rate", "weekend_assessors": "weekend_staffing.assessor"},
        bounds={"patients.admissions_per_1000_65plus": (220, 320)},
        outcomes=["ready_bed_days", "gaps_per_100_discharges"],
        days=90,
    )
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=4, policies=2, evaluator=evaluator)

EMA names must be Python identifiers: parameters get the names given (or the key path with every other
character replaced by ``_``), outcomes ``gap_events.sip_not_called`` become ``gap_events__sip_not_called``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from runner.design import METRICS, SweepError, merge_settings
from runner.levers import Lever, LeverError, lever
from runner.sweep import metric_row
from simulation import DischargeModel, scenario_from_dict, summarise
from simulation.scenario import resolve_scenario_dict

__all__ = ["ScenarioFunction", "ema_model", "identifier"]

Targets = Mapping[str, str | Sequence[str]] | Sequence[str]


def identifier(text: str) -> str:
    """``text`` as a Python identifier (EMA parameter and outcome names must be)."""
    name = re.sub(r"\W", "_", text.replace(".", "__"))
    return name if name and not name[0].isdigit() else f"_{name}"


class ScenarioFunction:
    """The function EMA calls: parameter values in, summary outcomes out (picklable)."""

    def __init__(
        self,
        base_data: dict[str, Any],
        source: str,
        targets: dict[str, list[Lever]],
        outcomes: dict[str, str],
    ) -> None:
        self.base_data = base_data
        self.source = source
        self.targets = targets
        self.outcomes = outcomes

    def __call__(self, seed: int = 1, **values: Any) -> dict[str, float | None]:
        settings: dict[str, Any] = {}
        for name, value in values.items():
            for lv in self.targets[name]:
                settings[lv.key] = int(round(value)) if lv.kind is int else float(value)
        scenario = scenario_from_dict(merge_settings(self.base_data, settings), self.source)
        summary = summarise(DischargeModel(scenario, seed=int(seed)).run())
        row = metric_row(summary, list(self.outcomes.values()))
        return {ema: row[metric] for ema, metric in self.outcomes.items()}


def _targets(spec: Targets) -> dict[str, list[str]]:
    if isinstance(spec, Mapping):
        return {identifier(n): [k] if isinstance(k, str) else list(k) for n, k in spec.items()}
    return {identifier(k): [k] for k in spec}


def ema_model(
    base: str | Path,
    uncertainties: Targets = (),
    levers: Targets = (),
    outcomes: Sequence[str] = ("ready_bed_days", "ready_bed_share", "gaps_per_100_discharges"),
    bounds: Mapping[str, tuple[float, float]] | None = None,
    days: int | None = None,
    seed: int = 1,
    name: str = "vardkedja",
) -> Any:
    """An ``ema_workbench.Model`` of the scenario file ``base``.

    ``uncertainties`` and ``levers`` are key paths, or ``{name: key path or [key paths]}`` (one value set
    into several fields). ``bounds`` gives ``(low, high)`` per key path where the schema has none (or to
    narrow it). Raises :class:`~runner.design.SweepError` (one line per problem) for an unknown key, a
    missing bound or an unknown metric.
    """
    from ema_workbench import Constant, IntegerParameter, Model, RealParameter, ScalarOutcome

    bounds = dict(bounds or {})
    data = resolve_scenario_dict(base)
    if days is not None:
        data["days"] = int(days)
        if int(data.get("warmup_days", 0)) >= int(days):
            data["warmup_days"] = 0
    problems: list[str] = []
    groups: dict[str, dict[str, list[str]]] = {
        "uncertainties": _targets(uncertainties),
        "levers": _targets(levers),
    }
    resolved: dict[str, list[Lever]] = {}
    params: dict[str, list[Any]] = {"uncertainties": [], "levers": []}
    for group, named in groups.items():
        for pname, keys in named.items():
            found: list[Lever] = []
            for k in keys:
                try:
                    found.append(lever(k, data))
                except LeverError as exc:
                    problems.append(f"{base}: {k}: {exc}")
            if len(found) != len(keys):
                continue
            # several fields set together: the tightest of their bounds
            lows = [bounds[k][0] if k in bounds else lv.lower for k, lv in zip(keys, found, strict=True)]
            highs = [
                bounds[k][1] if k in bounds else lv.natural_upper for k, lv in zip(keys, found, strict=True)
            ]
            lo = max((v for v in lows if v is not None), default=None)
            hi = min((v for v in highs if v is not None), default=None)
            if lo is None or hi is None:
                problems.append(
                    f"{base}: {keys[0]}: the schema gives no {'lower' if lo is None else 'upper'} "
                    "bound; pass bounds={key: (low, high)}"
                )
                continue
            if not lo < hi:
                problems.append(f"{base}: {keys[0]}: bounds ({lo}, {hi}) are empty; expected low < high")
                continue
            resolved[pname] = found
            if all(lv.kind is int for lv in found):
                params[group].append(IntegerParameter(pname, int(lo), int(hi)))
            else:
                params[group].append(RealParameter(pname, float(lo), float(hi)))
    outcome_names: dict[str, str] = {}
    for m in outcomes:
        if m not in METRICS:
            problems.append(f"outcomes: {m!r} is not a summary metric; one of: {', '.join(METRICS)}")
        outcome_names[identifier(m)] = m
    if problems:
        raise SweepError("\n".join(problems))
    model = Model(name, function=ScenarioFunction(data, str(base), resolved, outcome_names))
    model.uncertainties = params["uncertainties"]
    model.levers = params["levers"]
    model.outcomes = [ScalarOutcome(n) for n in outcome_names]
    model.constants = [Constant("seed", int(seed))]
    return model
