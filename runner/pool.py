"""Worker pools that stop at once when the command is interrupted.

``concurrent.futures.ProcessPoolExecutor`` leaves the pool to end by itself: on ``with`` exit it waits
for its workers. A SIGINT to the main process alone (``kill -INT``, ``timeout``, a batch system; a
terminal's Ctrl-C goes to every process of the group) could interrupt the main thread inside the pool's
own bookkeeping, and then the main process waited at exit for workers that waited for work: measured
here, 2 of about 30 interrupted ``run -n 12 -j 2`` and 2 of 16 interrupted sweeps hung for good.

So workers ignore SIGINT (the main process alone decides, and says what was kept), and on any exception
the main process terminates its workers before the pool is shut down. What they had finished is on disk
(every replication and every sweep run is written atomically); what they were running is recomputed by
the next run of the same command. And a worker forked by the main process ends with it
(:func:`end_with_parent`): killed alone, the main process leaves no worker behind.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ProcessPoolExecutor

__all__ = ["end_with_parent", "ignore_interrupts", "start_worker", "stop_workers"]

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def ignore_interrupts() -> None:
    """In a worker: leave SIGINT to the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def end_with_parent() -> None:
    """In a worker forked by the main process: end when the main process ends, however it ends.

    A worker forked by ``vardkedja run`` holds the run's lock with it (``flock`` belongs to the open
    file, which a fork shares), so workers left running by a run killed alone (SIGKILL, the OOM killer,
    a batch system's time limit) kept the folder locked, waiting for work that never came: the same
    command was refused until someone found and killed them. The kernel now sends them SIGKILL when
    their parent ends (Linux ``PR_SET_PDEATHSIG``; elsewhere this does nothing). What they had finished
    is on disk; a replication they were writing is in a hidden folder the next run removes.
    """
    parent = os.getppid()  # the main process, or a fork server that ends with it
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent:
        os._exit(1)  # the parent ended before the request was made


def start_worker() -> None:
    """A pool worker's initializer: SIGINT left to the main process, and no life after it."""
    ignore_interrupts()
    end_with_parent()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and terminate the workers now (the main process is leaving)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # shutdown(wait=False) forgets the thread that settles the futures: keep it, to wait for it below
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():  # pragma: no cover - a worker that does not end on SIGTERM
            process.kill()
            process.join(timeout=5)
    if manager is not None:
        # it marks the work the workers had as failed with the pool; on return nothing is pending
        manager.join(timeout=10)
