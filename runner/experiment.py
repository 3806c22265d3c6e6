"""Replications of one scenario: seeds, parallel execution, storage on disk, resume and aggregation.

Layout of a run folder (``results/<scenario>/<name>/``)::

    scenario.json            the fully resolved scenario that ran (provenance)
    replications/rep-0000/   one folder per replication, written atomically:
        summary.json         the single-run summary contract (docs/OUTPUTS.md)
        daily.parquet ...    its tables
    summary.json             aggregate: metrics {mean, ci_low, ci_high, n} + per-replication summaries
    daily.parquet ...        all replications' tables stacked (scenario, replication, seed columns)

A replication folder appears only when complete (written to a temporary folder, then renamed), so an
interrupted run leaves only finished replications behind, and running again finishes the missing ones.
Seeds are derived from the base seed with ``numpy.random.SeedSequence``, so replication ``i`` gets the
same seed whatever the number of processes or replications.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from runner.single import TABLES, run_one
from simulation import SUMMARY_KEYS, Scenario, scenario_from_dict
from simulation.metrics import package_version

__all__ = [
    "ExperimentResult",
    "ResultsFolderError",
    "aggregate_metrics",
    "interval",
    "replication_seeds",
    "run_experiment",
    "scenario_digest",
]


class ResultsFolderError(ValueError):
    """A results folder that cannot take this run (it holds another scenario or seed)."""


def replication_seeds(base_seed: int, n: int) -> list[int]:
    """Seeds for replications ``0..n-1``: replication 0 runs ``base_seed`` itself (so a single run is
    exactly the seed asked for); the others get independent seeds spawned from it. Replication i's
    seed never depends on n."""
    children = np.random.SeedSequence(base_seed).spawn(n)
    derived = [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]
    return [base_seed, *derived[1:]][:n]


def scenario_digest(scenario: Scenario) -> str:
    """A short hash of the resolved scenario (identifies what ran)."""
    text = json.dumps(scenario.fingerprint(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def interval(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """Mean and 95 % t-interval over replications (``ci_low == ci_high == mean`` when n == 1)."""
    from scipy import stats

    xs = np.array([v for v in values if v is not None], dtype=float)
    n = len(xs)
    if n == 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "n": 0}
    mean = float(xs.mean())
    if n == 1:
        return {"mean": mean, "ci_low": mean, "ci_high": mean, "n": 1}
    half = float(stats.t.ppf(0.975, n - 1) * xs.std(ddof=1) / math.sqrt(n))
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n": n}


def aggregate_metrics(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Map every numeric key of the summary contract to its mean and 95 % interval.

    ``gap_events`` (a mapping by kind) is aggregated per kind.
    """
    out: dict[str, Any] = {}
    for key in SUMMARY_KEYS:
        first = summaries[0].get(key)
        if isinstance(first, dict):
            out[key] = {sub: interval(s[key].get(sub) for s in summaries) for sub in first}
        else:
            out[key] = interval(s.get(key) for s in summaries)
    return out


@dataclass
class ExperimentResult:
    """Where an experiment's results are, and its aggregate summary."""

    folder: Path
    summary: dict[str, Any]
    ran: int
    reused: int


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    os.replace(tmp, path)


def _replication_job(
    scenario_data: dict[str, Any], seed: int, replication: int, rep_dir: str
) -> dict[str, Any]:
    """Run one replication and write its folder atomically (runs in a worker process)."""
    scenario = scenario_from_dict(scenario_data)
    result = run_one(scenario, seed, replication)
    final = Path(rep_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        for name in TABLES:
            result.tables[name].to_parquet(tmp / f"{name}.parquet", index=False)
        _write_json(tmp / "summary.json", result.summary)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result.summary


def run_experiment(
    scenario: Scenario,
    folder: Path,
    replications: int = 1,
    base_seed: int | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ExperimentResult:
    """Run (or finish) ``replications`` replications of ``scenario`` into ``folder``.

    Replications already complete in ``folder`` are reused when they were made from the same resolved
    scenario; a folder holding another scenario is refused rather than mixed.
    """
    base_seed = scenario.seed if base_seed is None else base_seed
    seeds = replication_seeds(base_seed, replications)
    digest = scenario_digest(scenario)
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder / "scenario.json"
    meta = {"digest": digest, "base_seed": base_seed, "scenario": scenario.fingerprint()}
    if meta_path.exists():
        old = json.loads(meta_path.read_text())
        if old.get("digest") != digest or old.get("base_seed") != base_seed:
            raise ResultsFolderError(
                f"{folder}: holds results of another scenario or seed "
                f"(digest {old.get('digest')}, seed {old.get('base_seed')}); choose another --name"
            )
    else:
        _write_json(meta_path, meta)
    rep_root = folder / "replications"
    rep_root.mkdir(exist_ok=True)
    for stale in rep_root.glob(".rep-*"):  # leftovers of an interrupted replication
        shutil.rmtree(stale, ignore_errors=True)
    summaries: dict[int, dict[str, Any]] = {}
    todo: list[int] = []
    for i, seed in enumerate(seeds):
        done = rep_root / f"rep-{i:04d}" / "summary.json"
        if done.exists():
            s = json.loads(done.read_text())
            if s.get("seed") == seed:
                summaries[i] = s
                continue
            shutil.rmtree(done.parent)
        todo.append(i)
    reused = len(summaries)
    data = scenario.fingerprint()
    finished = reused
    if progress:
        progress(finished, replications)
    if jobs <= 1 or len(todo) <= 1:
        for i in todo:
            summaries[i] = _replication_job(data, seeds[i], i, str(rep_root / f"rep-{i:04d}"))
            finished += 1
            if progress:
                progress(finished, replications)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(_replication_job, data, seeds[i], i, str(rep_root / f"rep-{i:04d}")): i
                for i in todo
            }
            try:
                for fut in as_completed(futures):
                    summaries[futures[fut]] = fut.result()
                    finished += 1
                    if progress:
                        progress(finished, replications)
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
    ordered = [summaries[i] for i in range(replications)]
    _combine_tables(folder, replications)
    summary = {
        "scenario": scenario.name,
        "seed": base_seed,
        "version": package_version(),
        "scenario_digest": digest,
        "replications": replications,
        "replication_seeds": seeds,
        "metrics": aggregate_metrics(ordered),
        "runs": ordered,
    }
    if replications == 1:
        # A single run's summary is also the flat single-run contract.
        summary = {**ordered[0], **summary, "seed": ordered[0]["seed"]}
    _write_json(folder / "summary.json", summary)
    return ExperimentResult(folder, summary, ran=len(todo), reused=reused)


def _combine_tables(folder: Path, replications: int) -> None:
    """Stack every replication's tables into one Parquet file per table (written atomically)."""
    for name in TABLES:
        frames = [
            pd.read_parquet(folder / "replications" / f"rep-{i:04d}" / f"{name}.parquet")
            for i in range(replications)
        ]
        tmp = folder / f".{name}.parquet.tmp"
        pd.concat(frames, ignore_index=True).to_parquet(tmp, index=False)
        os.replace(tmp, folder / f"{name}.parquet")
