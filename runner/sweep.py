"""Running a sweep: one worker function, three ways to call it (local processes, Dask, array jobs).

:func:`run_task` runs one (point, replication) of a prepared sweep and writes its row file itself
(``runner.sweep_store``), so every executor produces the same files: the local one (``jobs`` processes,
or the calling process when ``jobs == 1``), Dask (:func:`run_dask`, any ``distributed`` scheduler; the
workers must see the sweep folder, e.g. a shared file system) and array jobs (:func:`run_point`, one
point per job of a SLURM array). At most a small, bounded number of runs is in flight at a time, and the
main process keeps no rows, so its memory does not grow with the number of runs.

Rerunning a sweep after a crash or a SIGKILL removes temporary files left behind, skips every run whose
file exists and runs the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from runner.design import SweepError, SweepSpec, merge_settings
from runner.experiment import scenario_digest
from runner.pool import ignore_interrupts, stop_workers
from runner.single import prepare_heap, release_run
from runner.sweep_store import (
    RunTask,
    SweepContext,
    clean_stale,
    done_runs,
    open_sweep,
    task,
    tasks,
    write_manifest,
    write_row,
)
from simulation import DischargeModel, scenario_from_dict, summarise
from simulation.contract import package_version

__all__ = [
    "SweepResult",
    "metric_row",
    "prepare",
    "run_dask",
    "run_local",
    "run_point",
    "run_sweep",
    "run_task",
    "run_tasks",
    "runs_per_task",
]

Progress = Callable[[int], None]
"""Called with the number of runs just finished (for a progress bar)."""


def metric_row(summary: dict[str, Any], metrics: list[str]) -> dict[str, float | None]:
    """The chosen metrics of a run's summary as floats (``gap_events.<kind>`` reads the nested count)."""
    out: dict[str, float | None] = {}
    for m in metrics:
        head, _, sub = m.partition(".")
        value = summary.get(head)
        if sub:
            value = value.get(sub) if isinstance(value, dict) else None
        out[m] = None if value is None else float(value)
    return out


def run_task(context: SweepContext, t: RunTask) -> tuple[int, int]:
    """Run one (point, replication) and write its row file; return (point, replication).

    The scenario is the base with the point's settings deep-merged in, validated by the schema. The
    run's model is freed before it returns (``runner.single.release_run``), so that a worker running
    one run after another holds one model at a time.
    """
    prepare_heap()
    write_row(context, _run_row(context, t))
    release_run()
    return t.point, t.replication


def _run_row(context: SweepContext, t: RunTask) -> dict[str, Any]:
    scenario = scenario_from_dict(merge_settings(context.base_data, t.settings), f"point {t.point}")
    summary = summarise(DischargeModel(scenario, seed=t.seed).run())
    row: dict[str, Any] = {
        "sweep_id": context.sweep_id,
        "scenario": scenario.name,
        "point": t.point,
        "replication": t.replication,
        "seed": t.seed,
        "scenario_digest": scenario_digest(scenario),
    }
    for p in context.parameters:
        row[p["name"]] = t.values[p["name"]]
    row.update(metric_row(summary, context.metrics))
    row["version"] = context.version
    return row


# -- local processes ----------------------------------------------------------------------------------

_CONTEXT: SweepContext | None = None


def _init_worker(context: SweepContext, main_pid: int) -> None:
    global _CONTEXT
    _CONTEXT = context
    ignore_interrupts()
    # Workers are children of the fork server, not of the sweep: if the sweep process is killed alone
    # (SIGKILL, the OOM killer), nobody would tell them. They leave when it is gone.
    threading.Thread(target=_exit_with, args=(main_pid,), daemon=True, name="exit-with-sweep").start()


def _exit_with(pid: int) -> None:
    while True:
        time.sleep(1.0)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pragma: no cover - the pid was reused by another user's process
            os._exit(1)


def _run_in_worker(t: RunTask) -> tuple[int, int]:
    assert _CONTEXT is not None, "worker not initialised"
    return run_task(_CONTEXT, t)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork from a clean server that has the model imported once (cheap workers, no fork of threads)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["runner.sweep"])
    return ctx


def run_local(
    context: SweepContext, todo: Iterator[RunTask], jobs: int = 1, progress: Progress | None = None
) -> int:
    """Run ``todo`` in this process (``jobs == 1``) or in ``jobs`` worker processes; return runs done.

    At most ``2 * jobs`` runs are submitted at a time, so a sweep of any size keeps memory flat.
    """
    n = 0
    if jobs <= 1:
        for t in todo:
            run_task(context, t)
            n += 1
            if progress:
                progress(1)
        return n
    window = 2 * jobs
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_pool_context(),
        initializer=_init_worker,
        initargs=(context, os.getpid()),
    ) as pool:
        pending: set[Future[tuple[int, int]]] = set()
        try:
            for t in todo:
                pending.add(pool.submit(_run_in_worker, t))
                if len(pending) >= window:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in finished:
                        f.result()
                        n += 1
                        if progress:
                            progress(1)
            for f in _drain(pending):
                f.result()
                n += 1
                if progress:
                    progress(1)
        except BaseException:
            stop_workers(pool)
            raise
    return n


def _drain(pending: set[Future[Any]]) -> Iterator[Future[Any]]:
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from finished


# -- Dask ---------------------------------------------------------------------------------------------


def connect(scheduler: str) -> Any:
    """A ``distributed.Client`` of the scheduler at ``scheduler`` (:class:`SweepError` if unreachable)."""
    from distributed import Client

    try:
        # connect timeout: Dask config distributed.comm.timeouts.connect (env DASK_DISTRIBUTED__COMM__...)
        return Client(scheduler)
    except (OSError, ValueError, TypeError) as exc:
        raise SweepError(f"--scheduler: cannot reach {scheduler} ({exc})") from None


def run_tasks(context: SweepContext, batch: list[RunTask]) -> list[tuple[int, int]]:
    """Several runs one after another (one Dask task); each writes its own row file as it finishes."""
    return [run_task(context, t) for t in batch]


MAX_RUNS_PER_TASK = 4
"""Most runs one Dask task carries (see :func:`run_dask`)."""


def runs_per_task(remaining: int, threads: int) -> int:
    """How many of the ``remaining`` runs the next Dask task carries: fewer as the sweep nears its end.

    Every Dask task costs the scheduler, the client and the worker's event loop some milliseconds of
    CPU (here about 30 ms a task in all, 4-5 % of a one-year nordost run, on the cores the runs need).
    A task of several runs pays that once; but the last tasks must be short, or one worker finishes
    its batch while the others idle. So a task takes an eighth of the remaining runs per thread, at
    most :data:`MAX_RUNS_PER_TASK` and at least one (guided self-scheduling): with 2 threads, batches
    of 4 until 64 runs remain, then 3, 2 and, for the last 32, single runs.
    """
    return max(1, min(MAX_RUNS_PER_TASK, remaining // (8 * max(1, threads))))


def run_dask(
    context: SweepContext,
    todo: Iterator[RunTask],
    scheduler: str | Any,
    progress: Progress | None = None,
    in_flight: int | None = None,
    remaining: int | None = None,
) -> int:
    """Run ``todo`` on a Dask cluster (``tcp://HOST:PORT`` or a ``distributed.Client``); return runs done.

    The context is scattered to the workers once; at most ``in_flight`` tasks (default: twice the
    cluster's threads) are submitted at a time. A task carries one run or a few (:func:`runs_per_task`,
    when ``remaining``, the number of runs in ``todo``, is given; one run each otherwise); each run
    writes its row file when it finishes, so a killed sweep loses only the runs in progress. The
    workers write the row files, so they must see ``context.runs_dir`` (made absolute here: a relative
    folder would be read relative to each worker's own working directory).
    """
    from distributed import Client, as_completed

    # the workers' working directory is not ours: they must be given where the rows go in full
    context = replace(context, runs_dir=str(Path(context.runs_dir).resolve()))
    own = not isinstance(scheduler, Client)
    client = connect(scheduler) if own else scheduler
    try:
        threads = sum(client.nthreads().values()) or 1
        if in_flight is None:
            in_flight = 2 * threads
        [ctx] = client.scatter([context], broadcast=True)
        n = 0
        todo = iter(todo)
        left = remaining

        def submit() -> Any | None:
            nonlocal left
            k = 1 if left is None else runs_per_task(left, threads)
            batch = _take(todo, k)
            if not batch:
                return None
            if left is not None:
                left -= len(batch)
            first = batch[0]
            key = f"runs-{context.sweep_id}-{first.point}-{first.replication}-{len(batch)}"
            return client.submit(run_tasks, ctx, batch, pure=False, key=key)

        queue = as_completed([f for f in (submit() for _ in range(in_flight)) if f is not None])
        for fut in queue:
            done = fut.result()
            fut.release()
            n += len(done)
            if progress:
                progress(len(done))
            nxt = submit()
            if nxt is not None:
                queue.add(nxt)
        return n
    finally:
        if own:
            client.close()


def _take(it: Iterator[RunTask], n: int) -> list[RunTask]:
    out = []
    for t in it:
        out.append(t)
        if len(out) >= n:
            break
    return out


# -- the sweep ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    """What a call to :func:`run_sweep` did."""

    folder: Path
    sweep_id: str
    total: int
    reused: int
    ran: int
    stale_removed: int
    seconds: float


def prepare(spec: SweepSpec, folder: Path) -> dict[str, Any]:
    """Create (or check and reuse) the sweep folder and its manifest; return the manifest."""
    return write_manifest(Path(folder), spec, package_version())


def run_sweep(
    spec: SweepSpec,
    folder: Path,
    jobs: int = 1,
    scheduler: str | Any | None = None,
    progress_start: Callable[[int, int], Progress] | None = None,
) -> SweepResult:
    """Run (or finish) ``spec`` into ``folder``: local processes, or Dask when ``scheduler`` is given.

    ``progress_start(total, already_done)`` may return a callback told of every finished run.
    """
    t0 = time.perf_counter()
    # absolute before anything is sent anywhere: a Dask worker (or a forked one, started before a
    # notebook changed folder) would write a relative folder relative to its own working directory
    folder = Path(folder).resolve()
    if isinstance(scheduler, str):  # reached before anything is written
        client = connect(scheduler)
        try:
            return run_sweep(spec, folder, jobs, client, progress_start)
        finally:
            client.close()
    prepare(spec, folder)
    manifest, context = open_sweep(folder)
    stale = clean_stale(folder)
    done = done_runs(folder, manifest["sweep_id"])
    total = manifest["n_points"] * manifest["replications"]
    reused = sum(1 for p, r in done if p < manifest["n_points"] and r < manifest["replications"])
    progress = progress_start(total, reused) if progress_start else None
    todo = tasks(manifest, done)
    if scheduler is not None:
        ran = run_dask(context, todo, scheduler, progress, remaining=total - reused)
    else:
        ran = run_local(context, todo, jobs, progress)
    return SweepResult(folder, manifest["sweep_id"], total, reused, ran, stale, time.perf_counter() - t0)


def run_point(folder: Path, point: int, replication: int | None = None) -> int:
    """Array-job mode: run the missing replications of one point (or one replication) of a prepared sweep.

    Returns how many runs it made. Stale temporary files are left alone: other jobs of the array may be
    writing theirs in the same folder right now.
    """
    folder = Path(folder)
    manifest, context = open_sweep(folder)
    n_points, n_reps = manifest["n_points"], manifest["replications"]
    if not 0 <= point < n_points:
        raise SweepError(
            f"--index: {point} is not allowed; expected 0 to {n_points - 1} (the sweep's points)"
        )
    reps = range(n_reps) if replication is None else [replication]
    if replication is not None and not 0 <= replication < n_reps:
        raise SweepError(f"--replication: {replication} is not allowed; expected 0 to {n_reps - 1}")
    done = done_runs(folder, manifest["sweep_id"], {point})
    n = 0
    for r in reps:
        if (point, r) not in done:
            run_task(context, task(manifest, point, r))
            n += 1
    return n
