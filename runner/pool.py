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

:class:`PreparedPool` forks its first worker early, so that it imports what the tasks need on a core
that would otherwise be idle while the main process works; its other workers are forked from it.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["PreparedPool", "end_with_parent", "ignore_interrupts", "start_worker", "stop_workers"]

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


class PreparedPool:
    """Worker processes forked from one that got ready while the main process worked.

    Made before a long piece of work (a run's simulation), it forks one process at once, which runs
    ``prepare`` (imports matplotlib, say) on a core that would otherwise be idle. :meth:`map` later hands
    it the tasks: it runs the first itself and forks a worker for each of the others, which inherit
    what it prepared. The main process runs none of them: it is free for other work meanwhile, and never
    imports what the tasks need. One :meth:`map` per pool; :meth:`close` whenever it is not needed.

    Like the other pools here, its processes ignore SIGINT, end with their parent, and are terminated at
    once when the main process leaves on an exception.
    """

    def __init__(self, prepare: Callable[[], object]) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, self._conn, prepare), name="vardkedja-prepared"
        )
        self._process.start()
        child.close()
        # Before multiprocessing's own exit handler, which waits for its child processes: a pool
        # still open when the main process leaves on an error must not keep it waiting.
        atexit.register(self.close)

    def map(
        self,
        function: Callable[[Any], Any],
        tasks: Sequence[Any],
        meanwhile: Callable[[], object] | None = None,
    ) -> list[Any]:
        """``[function(task) for task in tasks]``, each task in a process of its own (``meanwhile()`` runs
        here while they work). The first exception of a task is raised here, after every process is gone.
        """
        try:
            self._talk(self._conn.send, (function, list(tasks)))
            if meanwhile is not None:
                meanwhile()
            ok, value = self._talk(self._conn.recv)
        except BaseException:
            self.close()
            raise
        self.close()
        if not ok:
            raise value
        return value

    @staticmethod
    def _talk(step: Callable[..., Any], *args: Any) -> Any:
        try:
            return step(*args)
        except (EOFError, BrokenPipeError, ConnectionResetError):  # killed (OOM killer, kill -9)
            raise BrokenProcessPool("a prepared worker process ended unexpectedly") from None

    def close(self) -> None:
        """End the pool's processes now (finished, not needed, or the main process is leaving)."""
        atexit.unregister(self.close)
        if self._process.pid is not None and self._process.exitcode is None:
            if not self._conn.closed:
                self._conn.close()  # an idle server reads EOF and leaves; a busy one is terminated
            self._process.join(timeout=0.05)
            if self._process.exitcode is None:
                self._process.terminate()  # its workers end with it (end_with_parent)
                self._process.join(timeout=5)
            if self._process.exitcode is None:  # pragma: no cover - a process that ignores SIGTERM
                self._process.kill()
                self._process.join(timeout=5)
        if not self._conn.closed:
            self._conn.close()


def _serve(conn: Connection, parent_end: Connection, prepare: Callable[[], object]) -> None:
    """The first process of a :class:`PreparedPool`: prepare, then run the tasks it is sent."""
    parent_end.close()  # its copy of the main process's end: else it never reads the end of the pipe
    start_worker()
    unprepared: Exception | None = None
    try:
        prepare()
    except Exception as exc:  # said by the main process when it hands over the tasks
        unprepared = exc
    try:
        function, tasks = conn.recv()
    except EOFError:  # the main process needs it no more
        return
    pool = None
    try:
        if unprepared is not None:
            raise unprepared
        futures = []
        if len(tasks) > 1:
            # forked from here, the workers inherit what ``prepare`` imported
            pool = ProcessPoolExecutor(
                max_workers=len(tasks) - 1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=start_worker,
            )
            futures = [pool.submit(function, task) for task in tasks[1:]]
        results = [function(tasks[0])] + [future.result() for future in futures]
        reply: tuple[bool, Any] = (True, results)
    except BaseException as exc:  # the main process raises it
        if pool is not None:
            stop_workers(pool)
            pool = None
        reply = (False, exc)
    if pool is not None:
        pool.shutdown()
    try:
        conn.send(reply)
    except Exception as exc:  # an exception that cannot be pickled: say what it was
        conn.send((False, RuntimeError(f"{reply[1]!r} ({exc})")))
