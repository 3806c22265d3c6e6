"""Sweep benchmark: the same 200-run sweep of nordost-2019 (one simulated year per run) on every executor.

Runs a Latin-hypercube sweep of the four levers of ``sweeps/levers-sobol.toml`` (100 points x 2
replications) with 1 local worker, 2 local workers and a Dask ``LocalCluster`` of 2 worker processes,
checks that the three give byte-identical run files, and reports runs per minute, the speed-up over one
worker, and the sweep machinery's overhead per run against the bare model (``DischargeModel(...).run()``
and ``summarise`` on a prepared scenario, in this process, for the first ``--bare`` runs of the same
design). Also the main process's memory before and after each sweep.

    uv run python benchmarks/sweep.py                     # ~17 minutes on a quiet 2-core machine
    uv run python benchmarks/sweep.py --runs 40 --days 90 --rounds 1 # a quick look
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SWEEP = """
name = "bench"
base = "{base}"
seed = 2026
replications = 2
days = {days}
[design]
kind = "lhs"
samples = {points}
seed = 11
[[parameter]]
name = "weekend_staffing"
keys = ["weekend_staffing.ward_coordinator", "weekend_staffing.vardcentral",
        "weekend_staffing.assessor", "weekend_staffing.home_health_care"]
range = [0.0, 1.0]
[[parameter]]
name = "sip_call_rate"
key = "rules.sip_call_rate"
range = [0.2, 1.0]
[[parameter]]
name = "relationship_strength"
key = "relationships.initial_strength"
range = [0.2, 1.0]
[[parameter]]
name = "home_help_capacity"
key = "capacity.home_help_starts"
range = [0.5, 2.0]
"""


DASK_THROUGHPUT = {
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "5s",
    "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "1s",
    "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "1s",
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _spin(n: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - t


def _two_core_ceiling(n: int = 8_000_000, rounds: int = 3) -> float:
    """The speed-up two processes can have on this machine at best: a pure-Python loop run alone, then
    in two processes at once (alternating, ``rounds`` times); returns alone / together per process.

    On a VM whose two cores share caches or a physical core, two busy processes each run slower than
    one alone, and no executor can beat that.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    alone = together = 0.0
    with ctx.Pool(2) as pool:
        for _ in range(rounds):
            alone += _spin(n)
            together += max(pool.map(_spin, [n, n]))
    return 2.0 * alone / together


def _paired_overhead(pairs: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Relative overhead of the second of each (bare, sweep) pair and its 95 % t-interval.

    The overhead is mean(sweep) / mean(bare) - 1; its interval is that of the mean paired difference
    (sweep - bare), divided by mean(bare). Pairs cancel the machine's drift, the interval shows what is
    left of its noise.
    """
    from runner.experiment import interval  # the project's Student-t interval of a mean

    diff = interval(s - b for b, s in pairs)
    mean_bare = statistics.fmean(b for b, _ in pairs)
    return diff["mean"] / mean_bare, diff["ci_low"] / mean_bare, diff["ci_high"] / mean_bare


def _pct(o: tuple[float, float, float]) -> str:
    return f"{100 * o[0]:+.1f} % [{100 * o[1]:+.1f}, {100 * o[2]:+.1f}]"


def _machinery_parts(ctx: object, todo: list, folder: Path) -> dict[str, float]:
    """Seconds per run of each thing the sweep's worker function does besides the model, timed alone.

    Building the point's scenario (merge and validate), its digest, writing the row file (Parquet,
    fsync, rename) and the collection of the young generations after a run (``release_run``).
    """
    from runner.design import merge_settings
    from runner.experiment import scenario_digest
    from runner.sweep_store import write_row
    from simulation import scenario_from_dict

    folder.mkdir()
    ctx = dataclasses.replace(ctx, runs_dir=str(folder))
    row = {"sweep_id": ctx.sweep_id, "scenario": "bench", "seed": 0, "scenario_digest": "0" * 16}
    row |= {p["name"]: 0.5 for p in ctx.parameters} | {m: 1.0 for m in ctx.metrics}
    row["version"] = ctx.version
    sc = scenario_from_dict(merge_settings(ctx.base_data, todo[0].settings))
    steps = {
        "scenario": lambda t: scenario_from_dict(merge_settings(ctx.base_data, t.settings), "p"),
        "digest": lambda t: scenario_digest(sc),
        "row file": lambda t: write_row(ctx, row | {"point": t.point, "replication": t.replication}),
        "gc.collect(1)": lambda t: gc.collect(1),
    }
    out = {}
    for name, step in steps.items():
        t0 = time.perf_counter()
        for t in todo:
            step(t)
        out[name] = (time.perf_counter() - t0) / len(todo)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runs", type=int, default=200, help="runs in the sweep (even; 2 replications per point)"
    )
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--bare", type=int, default=40, help="runs timed with the bare model")
    ap.add_argument(
        "--rounds", type=int, default=3, help="turns of each executor (rotating order; a multiple of 3)"
    )
    ap.add_argument("--dask-defaults", action="store_true", help="Dask workers with Dask's default settings")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    from dask import config as dask_config
    from distributed import LocalCluster

    from runner.design import load_sweep, merge_settings
    from runner.sweep import prepare, run_sweep, run_task
    from runner.sweep_store import open_sweep, task
    from simulation import DischargeModel, scenario_from_dict, summarise

    tmp = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    try:
        path = tmp / "bench.toml"
        base = (ROOT / "scenarios" / "nordost-2019.toml").as_posix()
        path.write_text(SWEEP.format(base=base, days=args.days, points=args.runs // 2), encoding="utf-8")
        spec = load_sweep(path)
        n = spec.n_runs
        print(f"sweep: {spec.n_points} points x 2 replications = {n} runs of {args.days} days (nordost-2019)")

        # The machinery's overhead per run, measured on the same runs, alternating the bare model
        # (a prepared scenario: no merge, no validation, no files) with the sweep's worker function,
        # so that a busy machine slows both alike; CPU time (this process) is the steadier figure.
        # Each timed part ends by collecting its own garbage (a finished model is cyclic garbage of
        # ~10^5 objects): without that, the collection of one part's model lands in whichever part
        # allocates next, and the comparison measures where the collector happened to run.
        prepare(spec, tmp / "overhead")
        manifest, ctx = open_sweep(tmp / "overhead")
        todo = [task(manifest, p, r) for p in range(spec.n_points) for r in range(2)][: args.bare]
        pairs: list[tuple[float, float, float, float]] = []  # bare wall, bare CPU, sweep wall, sweep CPU

        def bare_run(t: object) -> tuple[float, float]:
            sc = scenario_from_dict(merge_settings(ctx.base_data, t.settings))
            w, c = time.perf_counter(), time.process_time()
            summarise(DischargeModel(sc, seed=t.seed).run())
            gc.collect()
            return time.perf_counter() - w, time.process_time() - c

        def sweep_run(t: object) -> tuple[float, float]:
            w, c = time.perf_counter(), time.process_time()
            run_task(ctx, t)
            gc.collect()
            return time.perf_counter() - w, time.process_time() - c

        gc.collect()
        for i, t in enumerate(todo):
            # alternate which goes first, so that a drift in the machine's speed favours neither
            if i % 2 == 0:
                bw, bc = bare_run(t)
                sw, sc_ = sweep_run(t)
            else:
                sw, sc_ = sweep_run(t)
                bw, bc = bare_run(t)
            pairs.append((bw, bc, sw, sc_))
        n_pairs = len(todo)
        bare, bare_cpu, sweep_mean, sweep_cpu = (statistics.fmean(col) for col in zip(*pairs, strict=True))
        overhead_wall = _paired_overhead([(b, s) for b, _, s, _ in pairs])
        overhead_cpu = _paired_overhead([(b, s) for _, b, _, s in pairs])
        parts = _machinery_parts(ctx, todo, tmp / "parts")
        parts_total = sum(parts.values())
        print(
            f"bare model {bare:.3f} s/run (CPU {bare_cpu:.3f}); worker function {sweep_mean:.3f} s/run "
            f"(CPU {sweep_cpu:.3f}): overhead {_pct(overhead_wall)} wall, {_pct(overhead_cpu)} CPU "
            f"(mean of {n_pairs} alternating pairs, 95 % t-interval)\n"
            f"the machinery's own parts, timed alone: "
            + ", ".join(f"{name} {1000 * v:.1f} ms" for name, v in parts.items())
            + f" = {1000 * parts_total:.1f} ms/run, {100 * parts_total / bare:.1f} % of the bare model"
        )

        ceiling = _two_core_ceiling()
        print(f"this machine's two-process ceiling (pure-Python loop alone vs two at once): {ceiling:.2f}x")
        results: dict[str, dict[str, float]] = {}

        def timed(label: str, rnd: int, **kw: object) -> None:
            out = tmp / f"{label}-{rnd}"
            rss0 = _rss_mb()
            t, c = time.perf_counter(), time.process_time()
            r = run_sweep(spec, out, **kw)
            wall = time.perf_counter() - t
            cpu = time.process_time() - c  # this process only: all of it with one local worker
            assert r.ran == n, (label, r)
            res = results.setdefault(
                label, {"seconds": 0.0, "rounds": 0, "cpu_main": 0.0, "rss_before_mb": rss0}
            )
            res["seconds"] += wall
            res["rounds"] += 1
            res["cpu_main"] += cpu
            res["rss_after_mb"] = _rss_mb()
            res.setdefault("round_seconds", []).append(round(wall, 1))  # type: ignore[attr-defined]
            print(f"{label} (round {rnd + 1}): {wall:.1f} s, {60.0 * n / wall:.1f} runs/min", flush=True)

        def dask(rnd: int) -> None:
            # Throughput settings for Dask (docs/SWEEPS.md §4): no statistical profiler sampling every
            # worker thread each 10 ms; the system monitor every 5 s instead of 0.5 s; the event-loop
            # health check every 1 s instead of 20 ms and the nannies' memory check every 1 s instead
            # of 0.1 s (an idle LocalCluster here: 8.8 % of a core in the main process and 6.5 % in
            # each worker with Dask's defaults, 1.4 % and 0.5 % with these). --dask-defaults: Dask's own.
            if not args.dask_defaults:
                os.environ.update(DASK_THROUGHPUT)
                dask_config.refresh()
            t = time.perf_counter()
            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            ) as cluster:
                start = time.perf_counter() - t
                timed("dask-2", rnd, scheduler=cluster.scheduler_address)
            results["dask-2"]["cluster_start_s"] = start

        # The machine's speed drifts over minutes (other work on the host), so the executors take turns
        # in rotating rounds (1, 2, Dask, then 2, Dask, 1, then Dask, 1, 2, ...) and each figure is
        # their mean: over three rounds every executor has had every place in the order once, so a
        # drift, linear or not, favours none (mirrored rounds, 1, 2, Dask, Dask, 2, 1, cancelled only
        # a linear drift and always gave Dask the middle places).
        order = [
            lambda r: timed("local-1", r, jobs=1),
            lambda r: timed("local-2", r, jobs=2),
            dask,
        ]
        for rnd in range(args.rounds):
            k = rnd % len(order)
            for run in order[k:] + order[:k]:
                run(rnd)
        for res in results.values():
            k = res["rounds"]
            res["seconds"] /= k
            res["runs_per_min"] = 60.0 * n / res["seconds"]
            res["per_run"] = res["seconds"] / n
            res["cpu_per_run_main"] = res.pop("cpu_main") / (k * n)

        files = [
            {p.name: p.read_bytes() for p in sorted((folder / "runs").iterdir())}
            for folder in sorted(tmp.glob("*-[0-9]*"))
        ]
        identical = len(files) == 3 * args.rounds and all(f == files[0] for f in files)
        one = results["local-1"]
        overhead = one["per_run"] / bare - 1.0  # whole sweep (start-up included) vs the bare model
        lines = [
            "",
            f"| executor | wall (mean of {args.rounds}) | each round | runs/min | speed-up vs 1 worker "
            "| main RSS before → after |",
            "|---|---|---|---|---|---|",
        ]
        for label, r in results.items():
            lines.append(
                f"| {label} | {r['seconds']:.1f} s | {' / '.join(f'{x} s' for x in r['round_seconds'])} "
                f"| {r['runs_per_min']:.1f} | "
                f"{one['seconds'] / r['seconds']:.2f}x | "
                f"{r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} MB |"
            )
        lines += [
            "",
            f"overhead per run (target < 5 %): {_pct(overhead_wall)} wall, {_pct(overhead_cpu)} CPU "
            f"(mean of {n_pairs} alternating pairs, 95 % t-interval); the machinery's own parts timed alone "
            f"{1000 * parts_total:.1f} ms/run = {100 * parts_total / bare:.1f} %; whole 1-worker sweep "
            f"{one['per_run']:.3f} s/run vs bare {bare:.3f}: "
            f"{100 * overhead:+.1f} %; its CPU {one['cpu_per_run_main']:.3f} s/run vs {bare_cpu:.3f}",
            f"this machine's two-process ceiling (a pure-Python loop alone vs two at once): {ceiling:.2f}x",
            f"Dask LocalCluster start: {results['dask-2']['cluster_start_s']:.1f} s (not in its wall time)",
            f"run files identical on all three executors: {identical}",
        ]
        best = max(r["runs_per_min"] for r in results.values())
        lines.append(
            f"10,000 runs: {10000 / best / 60:.1f} h here at {best:.0f} runs/min; on 10 such nodes "
            f"(Dask, 2 workers each) about {10000 / (10 * results['dask-2']['runs_per_min']):.0f} min"
        )
        print("\n".join(lines))
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "bare_s": bare,
                        "overhead_paired_wall": overhead_wall,
                        "overhead_paired_cpu": overhead_cpu,
                        "machinery_parts_s": parts,
                        "overhead": overhead,
                        "two_process_ceiling": ceiling,
                        "identical": identical,
                        **results,
                    },
                    indent=2,
                )
            )
        return 0 if identical else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
