"""``vardkedja sweep``: run a sweep file, report its progress, prepare it for array jobs, run one point.

    vardkedja sweep SWEEP.toml [--days D] [--samples N] [--replications R] [--jobs J]
                               [--scheduler tcp://HOST:PORT] [--out DIR]
    vardkedja sweep status DIR
    vardkedja sweep prepare SWEEP.toml [--days D] [--samples N] [--replications R] --out DIR
    vardkedja sweep run-one DIR --index I [--replication R]

Bad input (the sweep file, a flag, a folder holding another sweep) gives one line per problem on stderr
and exit code 2, before anything runs.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

# main imports this module only inside build_parser, once it is loaded itself: no import cycle
from vardkedja_cli.main import _jobs, _Parser, _path, cores

__all__ = ["add_commands"]

EXIT_BAD_INPUT = 2
_ACTIONS = ("status", "prepare", "run-one")


def add_commands(sub: Any) -> None:
    """Register ``sweep`` and ``analyze`` on the main parser's subcommands."""
    s = sub.add_parser(
        "sweep",
        help="run a parameter sweep (or: sweep status DIR, sweep prepare, sweep run-one)",
        description=__doc__.split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    s.add_argument("rest", nargs=argparse.REMAINDER)
    s.set_defaults(func=cmd_sweep)

    a = sub.add_parser("analyze", help="sensitivity indices and plots of a finished sweep")
    a.add_argument("folder", help="sweep folder (the --out of `vardkedja sweep`)")
    a.add_argument("--out", type=_path, help="where to write (default DIR/analysis)")
    a.add_argument("--metric", action="append", help="analyse only this metric (repeatable)")
    a.set_defaults(func=cmd_analyze)


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A sub-command parser whose errors are one line and exit code 2, as the main command's."""
    return _Parser(prog=prog, description=description)


def _sweep_file_arguments(p: argparse.ArgumentParser) -> None:
    """The sweep file and what may replace its values: the same for ``sweep`` and ``sweep prepare``."""
    p.add_argument("sweep", help="sweep TOML file (see sweeps/ and docs/SWEEPS.md)")
    p.add_argument("--days", type=int, help="simulate this many days per run (default: the sweep file's)")
    p.add_argument(
        "--samples", type=int, help="base samples of an LHS/Sobol/Morris design (default: the sweep file's)"
    )
    p.add_argument(
        "--replications", "-n", type=int, help="replications per point (default: the sweep file's)"
    )


def _run_parser() -> argparse.ArgumentParser:
    p = _parser("vardkedja sweep", "Run a sweep file.")
    _sweep_file_arguments(p)
    p.add_argument(
        "--jobs", "-j", type=int, help=f"local worker processes (default: every core, {cores()} here)"
    )
    p.add_argument("--scheduler", help="run on a Dask cluster: tcp://HOST:PORT of its scheduler")
    p.add_argument("--out", type=_path, help="sweep folder (default results/sweeps/<sweep name>)")
    return p


def _prepare_parser() -> argparse.ArgumentParser:
    p = _parser("vardkedja sweep prepare", "Check a sweep and write its folder for array jobs.")
    _sweep_file_arguments(p)
    p.add_argument("--out", type=_path, required=True, help="sweep folder (shared by every job of the array)")
    return p


def _run_one_parser() -> argparse.ArgumentParser:
    p = _parser("vardkedja sweep run-one", "Run the replications of one point of a prepared sweep.")
    p.add_argument("folder")
    p.add_argument("--index", type=int, required=True, help="point index (e.g. $SLURM_ARRAY_TASK_ID)")
    p.add_argument("--replication", type=int, help="only this replication")
    return p


def _status_parser() -> argparse.ArgumentParser:
    p = _parser("vardkedja sweep status", "Progress of a sweep folder.")
    p.add_argument("folder")
    return p


def cmd_sweep(args: argparse.Namespace) -> int:
    rest = list(args.rest)
    if not rest or rest[0] in ("-h", "--help"):
        _run_parser().print_help()
        print("\nalso: vardkedja sweep status DIR | prepare SWEEP.toml --out DIR | run-one DIR --index I")
        return 0 if rest else EXIT_BAD_INPUT
    action, parser = {
        "status": (_status, _status_parser),
        "prepare": (_prepare, _prepare_parser),
        "run-one": (_run_one, _run_one_parser),
    }.get(rest[0], (_run, _run_parser))
    try:
        parsed = parser().parse_args(rest[1:] if rest[0] in _ACTIONS else rest)
    except SystemExit as exc:  # --help (0), or a one-line argument error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        return action(parsed)
    except _sweep_error() as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT


def _load(a: argparse.Namespace) -> Any:
    from runner.design import load_sweep

    spec = load_sweep(a.sweep, days=a.days, samples=a.samples, replications=a.replications)
    if spec.warmup_dropped:  # as `vardkedja run --days` says it
        print(
            f"note: {a.sweep}: {spec.days} days is not longer than the warm-up of "
            f"{spec.warmup_dropped} days; every run counts from day 0 (no warm-up)",
            file=sys.stderr,
        )
    return spec


def _run(a: argparse.Namespace) -> int:
    from runner.sweep import run_sweep

    if a.jobs is None:
        a.jobs = cores()
    if a.jobs < 1:
        raise _sweep_error()(f"--jobs: {a.jobs} is not allowed; expected a whole number >= 1")
    if a.scheduler is not None and not a.scheduler.strip():
        raise _sweep_error()("--scheduler: expected an address such as tcp://HOST:8786")
    spec = _load(a)
    if a.scheduler is None:  # local processes: more than the cores is cut to them, with a note
        a.jobs = _jobs(a.jobs)
    folder = Path(a.out) if a.out else Path("results") / "sweeps" / spec.name
    bar = _Bar()
    try:
        result = run_sweep(spec, folder, jobs=a.jobs, scheduler=a.scheduler, progress_start=bar.start)
    except KeyboardInterrupt:
        bar.close()
        print(
            f"interrupted: finished runs are kept in {folder}; run the same command again to finish the rest",
            file=sys.stderr,
        )
        return 130
    finally:
        bar.close()
    print(
        f"sweep {spec.name} ({result.sweep_id}): {spec.design.kind}, {spec.n_points} points x "
        f"{spec.replications} replications = {result.total} runs; ran {result.ran}, reused {result.reused}"
        + (f", removed {result.stale_removed} unfinished" if result.stale_removed else "")
        + f" ({result.seconds:.1f} s)"
    )
    print(
        f"results: {folder / 'runs'}  (pandas.read_parquet of that folder; "
        f"next: vardkedja analyze {shlex.quote(str(folder))})"
    )
    return 0


def _prepare(a: argparse.Namespace) -> int:
    from runner.sweep import prepare

    spec = _load(a)
    prepare(spec, Path(a.out))
    print(
        f"prepared {a.out}: {spec.n_points} points x {spec.replications} replications; "
        f"run each point with: vardkedja sweep run-one {shlex.quote(a.out)} --index I  "
        f"(I = 0..{spec.n_points - 1})"
    )
    return 0


def _run_one(a: argparse.Namespace) -> int:
    from runner.sweep import run_point

    n = run_point(Path(a.folder), a.index, a.replication)
    print(f"point {a.index}: ran {n} run(s)")
    return 0


def _status(a: argparse.Namespace) -> int:
    from runner.sweep_store import status

    s = status(Path(a.folder))
    pct = 100.0 * s.done / s.total if s.total else 100.0
    print(
        f"sweep {s.name} ({s.sweep_id}), {s.design} design: "
        f"{s.n_points} points x {s.replications} replications"
    )
    print(
        f"runs done: {s.done} of {s.total} ({pct:.1f} %); "
        f"points complete: {s.points_complete} of {s.n_points}"
    )
    if s.stale:
        print(f"unfinished temporary files: {s.stale} (left by a killed sweep; a rerun removes them)")
    if s.extra:
        print(f"run files outside the current design: {s.extra}")
    if s.foreign:
        print(
            f"row files of another sweep: {s.foreign} (not counted; a rerun makes those in the design again)"
        )
    print("complete" if s.done == s.total else "incomplete: run the same sweep command again to finish it")
    return 0


class _Bar:
    """tqdm on stderr: runs done, throughput and ETA (off when stderr is not a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int, done: int) -> Any:
        from tqdm import tqdm

        self._bar = tqdm(
            total=total, initial=done, unit="run", desc="sweep", file=sys.stderr, disable=None, smoothing=0.1
        )
        return self._bar.update

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def cmd_analyze(args: argparse.Namespace) -> int:
    from vardkedja_cli.analyze import analyze

    try:
        out = analyze(Path(args.folder), Path(args.out) if args.out else None, args.metric)
    except _sweep_error() as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(out.summary)
    print(f"analysis: {out.folder} (report.html, ranking.csv, indices.csv, figures)")
    return 0


def _sweep_error() -> type[Exception]:
    """The sweep layer's error class, imported when first needed (it brings pandas and pyarrow)."""
    from runner.design import SweepError

    return SweepError
