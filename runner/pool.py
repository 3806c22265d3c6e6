"""Worker pools that stop at once when the command is interrupted.

``concurrent.futures.ProcessPoolExecutor`` leaves the pool to end by itself: on ``with`` exit it waits
for its workers. A SIGINT to the main process alone (``kill -INT``, ``timeout``, a batch system; a
terminal's Ctrl-C goes to every process of the group) could interrupt the main thread inside the pool's
own bookkeeping, and then the main process waited at exit for workers that waited for work: measured
here, 2 of about 30 interrupted ``run -n 12 -j 2`` and 2 of 16 interrupted sweeps hung for good.

So workers ignore SIGINT (the main process alone decides, and says what was kept), and on any exception
the main process terminates its workers before the pool is shut down. What they had finished is on disk
(every replication and every sweep run is written atomically); what they were running is recomputed by
the next run of the same command.
"""

from __future__ import annotations

import signal
from concurrent.futures import ProcessPoolExecutor

__all__ = ["ignore_interrupts", "stop_workers"]


def ignore_interrupts() -> None:
    """In a worker: leave SIGINT to the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
