"""Worker pools stop at once when the command is interrupted (runner.pool)."""

from __future__ import annotations

import multiprocessing
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


def _gone_within(pids: list[int], seconds: float) -> bool:
    """Whether every process of ``pids`` has ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


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
    assert _gone_within(pids, 20)


def test_a_worker_of_a_fork_server_pool_is_not_taken_for_an_orphan():
    """Under forkserver (Python 3.14's default on Linux) a worker's parent is the fork server, not
    the main process: start_worker must not take that for a parent that has died."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=start_worker) as pool:
        assert pool.submit(os.getpid).result(timeout=60) != os.getpid()


# PreparedPool: workers forked from a process that got ready while the main process worked

_READY: list[str] = []


def _get_ready() -> None:
    _READY.append(f"prepared in {os.getpid()}")


def _where(task: int) -> tuple[int, int, int, list[str]]:
    """The task, the process that ran it, that process's parent, and what it inherited as prepared."""
    return task, os.getpid(), os.getppid(), list(_READY)


def test_a_prepared_pool_runs_each_task_in_a_process_that_inherited_the_preparation():
    from runner.pool import PreparedPool

    pool = PreparedPool(_get_ready)
    results = pool.map(_where, [10, 11, 12])
    assert [r[0] for r in results] == [10, 11, 12]  # in order
    first = results[0][1]
    assert first != os.getpid() and results[0][2] == os.getpid()  # the first task: the prepared process
    assert all(r[1] != first and r[2] == first for r in results[1:])  # the others: workers forked from it ...
    assert all(r[3] == [f"prepared in {first}"] for r in results)  # ... inherit its preparation once
    assert _READY == []  # none of it here
    assert multiprocessing.active_children() == []


def test_meanwhile_runs_here_while_the_pool_works(tmp_path):
    from runner.pool import PreparedPool

    here: list[int] = []
    assert PreparedPool(_get_ready).map(_where, [1], meanwhile=lambda: here.append(os.getpid()))[0][0] == 1
    assert here == [os.getpid()]


def _fail_if_odd(task: int) -> int:
    if task % 2:
        raise ValueError(f"task {task} is odd")
    return task


def test_a_task_s_error_is_raised_here_and_no_process_is_left():
    from runner.pool import PreparedPool

    with pytest.raises(ValueError, match="task 1 is odd"):
        PreparedPool(_get_ready).map(_fail_if_odd, [0, 1, 2])
    assert multiprocessing.active_children() == []


def _slow(task: tuple[str, float]) -> int:
    """Note this process's pid in the folder ``task[0]``, then sleep ``task[1]`` seconds."""
    from pathlib import Path

    (Path(task[0]) / str(os.getpid())).touch()
    time.sleep(task[1])
    return os.getpid()


def _interrupt_when_all_are_busy(folder, n: int) -> None:
    deadline = time.monotonic() + 30
    while len(list(folder.iterdir())) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    raise KeyboardInterrupt


def test_an_interrupt_here_ends_the_busy_pool_at_once(tmp_path):
    """Ctrl-C (here: KeyboardInterrupt in ``meanwhile``) while the workers are a minute from done."""
    from runner.pool import PreparedPool

    pool = PreparedPool(_get_ready)
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        pool.map(
            _slow, [(str(tmp_path), 60.0)] * 3, meanwhile=lambda: _interrupt_when_all_are_busy(tmp_path, 3)
        )
    assert time.monotonic() - t0 < 30
    assert multiprocessing.active_children() == []
    pids = [int(p.name) for p in tmp_path.iterdir()]
    assert len(pids) == 3 and pool._process.pid in pids
    # the prepared process's own workers end with it (end_with_parent): none sleeps on
    assert _gone_within(pids, 20)


def test_a_pool_closed_unused_ends_its_process():
    from runner.pool import PreparedPool

    pool = PreparedPool(_get_ready)
    pool.close()
    assert pool._process.exitcode is not None
    pool.close()  # twice is harmless
    assert multiprocessing.active_children() == []


def test_a_prepared_process_killed_from_outside_is_one_broken_pool_error():
    from concurrent.futures import BrokenExecutor

    from runner.pool import PreparedPool

    pool = PreparedPool(_get_ready)
    os.kill(pool._process.pid, signal.SIGKILL)
    pool._process.join(timeout=30)
    with pytest.raises(BrokenExecutor):
        pool.map(_where, [1, 2])
    assert multiprocessing.active_children() == []


_ORPHAN_PREPARED = """
import sys, threading, time
from pathlib import Path
from runner.pool import PreparedPool
import tests.unit.test_pool as t
folder = Path(sys.argv[1])
def say_when_busy():
    while len(list(folder.iterdir())) < 3:
        time.sleep(0.05)
    print(" ".join(p.name for p in folder.iterdir()), flush=True)
threading.Thread(target=say_when_busy, daemon=True).start()
PreparedPool(t._get_ready).map(t._slow, [(str(folder), 120.0)] * 3)
"""


def test_a_prepared_pool_ends_when_the_main_process_is_killed_alone(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-c", _ORPHAN_PREPARED, str(tmp_path)]
    main = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, text=True)
    assert main.stdout is not None
    pids = [int(p) for p in main.stdout.readline().split()]
    assert len(pids) == 3 and all(_alive(p) for p in pids)  # the prepared process and its two workers
    main.kill()
    main.wait(timeout=30)
    assert _gone_within(pids, 20)


def _cannot_prepare() -> None:
    import vardkedja_no_such_module  # noqa: F401


def test_a_preparation_that_fails_is_raised_here_when_the_tasks_are_handed_over(capfd):
    from runner.pool import PreparedPool

    with pytest.raises(ModuleNotFoundError, match="vardkedja_no_such_module"):
        PreparedPool(_cannot_prepare).map(_where, [1, 2])
    assert "Traceback" not in capfd.readouterr().err  # one error, here, not a second from the process
    assert multiprocessing.active_children() == []


_LEFT_OPEN = """
import sys
from runner.pool import PreparedPool
import tests.unit.test_pool as t
pool = PreparedPool(t._get_ready)
print(pool._process.pid, flush=True)
raise SystemExit("an error before the pool is used or closed")
"""


def test_a_pool_left_open_does_not_keep_the_main_process_from_ending():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", _LEFT_OPEN], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1 and "an error before" in proc.stderr
    assert not _alive(int(proc.stdout.split()[0]))
