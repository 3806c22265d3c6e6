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
from concurrent.futures import ProcessPoolExecutor, as_completed
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

    def __init__(self, prepare: Callable[[], object], later: Callable[[], object] | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, self._conn, prepare, later), name="vardkedja-prepared"
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
            self._talk(self._conn.send, ("map", function, list(tasks)))
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

    def run_pool(
        self,
        function: Callable[..., Any],
        tasks: Sequence[tuple[Any, ...]],
        jobs: int,
        initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (),
        on_result: Callable[[int, Any], None] | None = None,
        meanwhile: Callable[[], object] | None = None,
    ) -> None:
        """``function(*task)`` for every task, in ``jobs`` workers forked from the prepared process (each
        started with ``initializer(*initargs)``, inherited through the fork, not pickled); ``on_result(i,
        value)`` here as each finishes, and ``meanwhile()`` here before the first. The prepared process
        runs ``later`` while its workers work. The pool stays open for a later :meth:`map`. The first
        exception of a task is raised here, after the workers are gone.
        """
        try:
            self._talk(self._conn.send, ("pool", function, list(tasks), jobs, initializer, initargs))
            if meanwhile is not None:
                meanwhile()
            while True:
                kind, index, value = self._talk(self._conn.recv)
                if kind == "done":
                    if on_result is not None:
                        on_result(index, value)
                elif kind == "end":
                    return
                else:
                    raise value
        except BaseException:
            self.close()
            raise

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


def _serve(
    conn: Connection,
    parent_end: Connection,
    prepare: Callable[[], object],
    later: Callable[[], object] | None = None,
) -> None:
    """The first process of a :class:`PreparedPool`: prepare, then run the tasks it is sent (``later``
    while the workers of a :meth:`~PreparedPool.run_pool` work, or else before a ``map``)."""
    parent_end.close()  # its copy of the main process's end: else it never reads the end of the pipe
    start_worker()
    unprepared: Exception | None = None
    try:
        prepare()
    except Exception as exc:  # said by the main process when it hands over the tasks
        unprepared = exc
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the main process needs it no more
            return
        if request[0] == "map":
            break
        _serve_pool(conn, *request[1:], unprepared=unprepared, later=later)
        later = None
    if later is not None and unprepared is None:
        _ready_later(later)
    _, function, tasks = request
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


def _serve_pool(
    conn: Connection,
    function: Callable[..., Any],
    tasks: list[tuple[Any, ...]],
    jobs: int,
    initializer: Callable[..., object] | None,
    initargs: tuple[Any, ...],
    unprepared: Exception | None,
    later: Callable[[], object] | None,
) -> None:
    """A :meth:`PreparedPool.run_pool` request, in the prepared process: fork the workers, run ``later``
    while they work, and send each result as it comes (then ``end``, or the first failure)."""
    pool = None
    try:
        if unprepared is not None:
            raise unprepared

        def begin(*args: Any) -> None:
            start_worker()
            if initializer is not None:
                initializer(*args)

        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=begin,
            initargs=initargs,
        )
        futures = {pool.submit(function, *task): i for i, task in enumerate(tasks)}
        if later is not None:
            _ready_later(later)
        for future in as_completed(futures):
            conn.send(("done", futures[future], future.result()))
        pool.shutdown()
        pool = None
        reply: tuple[str, int, Any] = ("end", -1, None)
    except BaseException as exc:  # the main process raises it
        if pool is not None:
            stop_workers(pool)
        reply = ("failed", -1, exc)
    try:
        conn.send(reply)
    except Exception as exc:  # an exception that cannot be pickled: say what it was
        conn.send(("failed", -1, RuntimeError(f"{reply[2]!r} ({exc})")))


def _ready_later(later: Callable[[], object]) -> None:
    """Run ``later`` (imports for a later request); a failure is met again, and said, where those imports
    are needed."""
    try:
        later()
    except Exception:
        pass
