"""A run's figures drawn by a worker process that gets ready while the model simulates.

Importing matplotlib costs about as much as simulating a nordost year, and drawing the five figures
twice that. ``vardkedja run`` therefore forks a figure worker just before the model runs (after
importing the model, so that the worker shares pandas): it imports matplotlib and draws one
throw-away figure (fonts and caches loaded) while the parent simulates on the other core, then waits
for the run folder and draws the figures. The figures are the same bytes as when drawn in the
command's own process (each figure is drawn on its own canvas from the run's files; nothing random,
nothing shared).

One worker, not one per figure group: measured on this 2-core machine while others used it, two
workers (each importing matplotlib) made a run 1.3 s slower than drawing in-process, one worker
was no slower; on an idle machine one worker hides the matplotlib import. ``FigureWorkers`` takes
other groups (each group one worker) where cores are to spare.

The workers never outlive the command: they ignore Ctrl-C (the command handles it), and a worker
whose parent is gone, however it went, reads the end of its pipe (or finds itself with another
parent) and exits.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from vardkedja_cli.figures import FIGURE_NAMES

__all__ = ["GROUPS", "FigureWorkers", "start_figure_workers"]

GROUPS: tuple[tuple[str, ...], ...] = (FIGURE_NAMES,)
"""The figures each worker draws (one worker: every figure)."""


def _warm_up() -> None:
    """Import what drawing needs and draw one small figure, so that fonts and caches are loaded."""
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    import vardkedja_cli.figures  # noqa: F401

    fig = Figure(figsize=(2, 1), layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar([0, 1], [1, 2])
    ax.set_title("warm-up", fontsize=9)
    canvas.draw()


def _serve(conn: Connection, inherited: list[Connection], parent: int) -> None:
    """A worker: warm up, wait for one job ``(folder, names, lang, svg)``, draw, answer, exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle
    for other in inherited:  # the parent's ends of the pipes (its own and the other workers')
        other.close()
    try:
        _warm_up()
    except Exception:  # noqa: S110 - drawing below reports the same problem, as the command's error
        pass
    try:
        # A parent that dies leaves its end open if a process it forked later (a replication
        # worker) still holds a copy: so also watch whether the parent is still ours.
        while not conn.poll(1.0):
            if os.getppid() != parent:  # orphaned: adopted by another process
                return
        job = conn.recv()
    except (EOFError, OSError):  # the parent is gone or gave up: nothing to draw
        return
    if job is None:
        return
    folder, names, lang, svg = job
    try:
        from vardkedja_cli.figures import run_figures

        paths = run_figures(Path(folder), lang, svg, names)
        answer: tuple[str, Any] = ("ok", [str(p) for p in paths])
    except Exception as exc:
        answer = ("error", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(answer)
    except (BrokenPipeError, OSError):
        pass


def _run_worker(conn: Connection, inherited: list[Connection], parent: int) -> None:
    try:
        _serve(conn, inherited, parent)
    except BaseException:  # never a traceback from a helper process
        pass
    finally:
        os._exit(0)  # no interpreter shutdown: nothing of the parent's (atexit, buffers) runs twice


class FigureWorkers:
    """Worker processes, one per group of figures (every name of ``FIGURE_NAMES`` in one group), started
    now and given their run folder later."""

    def __init__(self, groups: tuple[tuple[str, ...], ...] = GROUPS) -> None:
        ctx = multiprocessing.get_context("fork")
        self._workers: list[tuple[Any, Connection, tuple[str, ...]]] = []
        mine: list[Connection] = []
        try:
            for names in groups:
                here, there = ctx.Pipe()
                # The child closes every parent end it inherits, its own pipe's included: only then
                # does it read the end of its pipe when the parent closes it or dies.
                proc = ctx.Process(target=_run_worker, args=(there, [*mine, here], os.getpid()), daemon=True)
                proc.start()
                there.close()
                mine.append(here)
                self._workers.append((proc, here, names))
        except BaseException:
            self.close()
            raise

    def draw(self, folder: Path, lang: str = "en", svg: bool = False) -> list[Path]:
        """Draw every figure of ``folder`` (in ``folder/figures``); the paths in ``FIGURE_NAMES`` order.

        Raises RuntimeError naming the figure(s) a worker could not draw.
        """
        try:
            for _, conn, names in self._workers:
                conn.send((str(folder), names, lang, svg))
            drawn: list[Path] = []
            for proc, conn, names in self._workers:
                try:
                    status, payload = conn.recv()
                except (EOFError, OSError):
                    raise RuntimeError(
                        f"figures {', '.join(names)}: the drawing process (pid {proc.pid}) ended early"
                    ) from None
                if status != "ok":
                    raise RuntimeError(f"figures {', '.join(names)}: {payload}")
                drawn += [Path(p) for p in payload]
        finally:
            self.close()
        order = {name: i for i, name in enumerate(FIGURE_NAMES)}
        return sorted(drawn, key=lambda p: (order.get(p.stem, len(order)), p.suffix != ".png"))

    def close(self) -> None:
        """Tell the workers to stop (they exit at the end of their pipe) and wait for them."""
        for _, conn, _ in self._workers:
            conn.close()
        for proc, _, _ in self._workers:
            proc.join(timeout=10)
            if proc.is_alive():  # pragma: no cover - a worker stuck in drawing
                proc.kill()
                proc.join()
        self._workers = []


def start_figure_workers() -> FigureWorkers | None:
    """A figure worker where it pays (two or more cores, ``fork`` available), else None: draw in-process."""
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if sys.platform != "linux":  # fork after importing system frameworks is unsafe on macOS
        return None
    return FigureWorkers()
