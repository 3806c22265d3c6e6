"""Worker pools stop at once when the command is interrupted (runner.pool)."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from runner.pool import ignore_interrupts, start_worker, stop_workers


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has not been reaped yet but runs nothing
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] != "Z"


def test_a_worker_leaves_sigint_to_the_main_process():
    with ProcessPoolExecutor(max_workers=1, initializer=ignore_interrupts) as pool:
        pid = pool.submit(_pid_after, 0.0).result()
        slow = pool.submit(_pid_after, 1.0)
        time.sleep(0.3)
        os.kill(pid, signal.SIGINT)
        assert slow.result(timeout=30) == pid  # finished its work, no KeyboardInterrupt


def test_stop_workers_ends_busy_workers_and_cancels_the_queue():
    pool = ProcessPoolExecutor(max_workers=2, initializer=ignore_interrupts)
    pids = {pool.submit(_pid_after, 0.2).result() for _ in range(4)}
    busy = [pool.submit(_pid_after, 60.0) for _ in range(2)]
    queued = [pool.submit(_pid_after, 60.0) for _ in range(3)]
    time.sleep(0.5)
    t0 = time.monotonic()
    stop_workers(pool)
    pool.shutdown(wait=True)  # what `with` does on the way out: returns, does not wait for the work
    assert time.monotonic() - t0 < 10
    # nothing left pending: queued work cancelled, or failed with the pool (the executor hands a
    # worker's queue one call ahead, which can no longer be cancelled)
    assert all(f.done() for f in busy + queued)
    assert any(f.cancelled() for f in queued)
    for pid in pids:
        assert not _alive(pid)


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_stop_workers_on_a_pool_that_is_still_starting_or_idle(delay):
    pool = ProcessPoolExecutor(max_workers=2, initializer=ignore_interrupts)
    pool.submit(_pid_after, 0.0)
    time.sleep(delay)
    stop_workers(pool)
    pool.shutdown(wait=True)


_ORPHAN = """
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor
from runner.pool import start_worker
import tests.unit.test_pool as t
ctx = multiprocessing.get_context("fork")
pool = ProcessPoolExecutor(max_workers=2, mp_context=ctx, initializer=start_worker)
pids = {pool.submit(t._pid_after, 0.3).result() for _ in range(6)}
busy = [pool.submit(t._pid_after, 120.0) for _ in range(2)]
time.sleep(0.5)
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(120)
"""


def test_workers_end_when_the_main_process_is_killed_alone():
    """SIGKILL to the main process alone (the OOM killer, a batch system) leaves no worker behind:
    forked workers hold the run's lock, and one left waiting for work kept the folder locked."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    main = subprocess.Popen([sys.executable, "-c", _ORPHAN], cwd=root, stdout=subprocess.PIPE, text=True)
    assert main.stdout is not None
    pids = [int(p) for p in main.stdout.readline().split()]
    assert pids and all(_alive(p) for p in pids)  # busy with two minutes of work each
    main.kill()
    main.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def test_a_worker_of_a_fork_server_pool_is_not_taken_for_an_orphan():
    """Under forkserver (Python 3.14's default on Linux) a worker's parent is the fork server, not
    the main process: start_worker must not take that for a parent that has died."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=start_worker) as pool:
        assert pool.submit(os.getpid).result(timeout=60) != os.getpid()
