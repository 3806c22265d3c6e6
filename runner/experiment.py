"""Replications of one scenario: seeds, parallel execution, storage on disk, resume and aggregation.

Layout of a run folder (``results/<scenario>/<name>/``)::

    scenario.json            the fully resolved scenario that ran (provenance)
    replications/rep-0000/   one folder per replication, written atomically:
        summary.json         the single-run summary contract (docs/OUTPUTS.md)
        daily.parquet ...    its tables, one Parquet file each (zstd)
        manifest.json        replication, seed, scenario sha256, version, sha256 of every file above
    summary.json             aggregate: metrics {mean, ci_low, ci_high, n} + per-replication summaries
    daily.parquet/ ...       each table of all replications, as a Parquet dataset: a folder holding
                             the replications' files (rep-0000.parquet, ...; hard links, so no copy)
                             that ``pandas.read_parquet`` reads as one table (scenario, replication
                             and seed columns), in replication order

Nothing lost, nothing mixed:

- A run holds a lock beside its folder (``.<name>.lock``, ``fcntl.flock``: the kernel releases it when
  the process dies, however it dies, so a lock is never stale); a second run into the same folder is
  refused with :class:`RunLockedError`.
- It works in a staging folder beside the destination (``.<name>.partial/``) and renames it into
  place only when everything, figures included, is written. Until then the destination holds the
  previous complete run, or nothing. What a run killed while replacing a folder left beside it
  (``.<name>.old-<pid>``) is put right by the next run into the same parent folder.
- Each replication is written to a temporary folder inside the staging folder and renamed when
  complete, with a manifest. An interrupted run leaves finished replications in the staging folder;
  the same command again verifies and reuses them (and those of an earlier complete run in the
  destination), recomputes any that are damaged or belong to another run (with a note), and runs
  the missing ones.

Seeds are derived from the base seed with ``numpy.random.SeedSequence``, so replication ``i`` gets the
same seed whatever the number of processes or replications.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import math
import multiprocessing
import os
import re
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from runner.fsmodes import MACHINE, work_dir_beside, writer_gone
from runner.pool import start_worker, stop_workers
from runner.single import TABLES, prepare_heap, release_run
from simulation.scenario import MAX_SEED, Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_REPLICATIONS",
    "ExperimentResult",
    "FolderLock",
    "ResultsFolderError",
    "RunLockedError",
    "aggregate_metrics",
    "check_destination",
    "interval",
    "kept_replications",
    "publish",
    "remove_abandoned_swaps",
    "replication_seeds",
    "run_experiment",
    "scenario_digest",
    "scenario_sha256",
    "verify_replication",
]

MAX_REPLICATIONS = 10_000
MANIFEST = "manifest.json"
REPLICATION_FILES = ("summary.json", *(f"{name}.parquet" for name in TABLES))
REPLICATION_FORMAT = 2
"""What a replication folder holds, numbered in its manifest; one of another number is recomputed, not
reused. 2 (27 Nov 2026): its summary carries the figures per kommun and hospital that
``by_kommun.csv`` and ``by_hospital.csv`` are combined from; 1 (no number): before them. Raise it
whenever a replication's files change in a way an older replication cannot serve (a summary key
the run's outputs read, a gap kind): the summaries are combined strictly, not with defaults."""
# Each table of a replication is encoded once, as Parquet, by the process that ran it, and the run's
# tables are folders of those files (hard links). Until 26 Nov 2026 a replication wrote Arrow IPC files
# and the run stacked them into one Parquet file per table: a second encoding, in the main process
# after every replication had finished (about 50 ms a nordost replication, serial), which made an extra
# replication cost 17 % more than its simulation and was most of what `-j 2` could not share. Writing a
# nordost replication's six tables as Parquet (zstd) takes about 40 ms, 16 ms of it the conversion from
# pandas; the Arrow files took about 42 ms; the files are 334 kB against 586 kB.


class ResultsFolderError(ValueError):
    """A results folder that cannot take this run (it holds another scenario or seed, or is no folder)."""


class RunLockedError(ResultsFolderError):
    """Another run is writing into the same folder."""


def replication_seeds(base_seed: int, n: int) -> list[int]:
    """Seeds for replications ``0..n-1``: replication 0 runs ``base_seed`` itself (so a single run is
    exactly the seed asked for); the others get independent seeds spawned from it. Replication i's
    seed never depends on n."""
    children = np.random.SeedSequence(base_seed).spawn(n)
    derived = [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]
    return [base_seed, *derived[1:]][:n]


def scenario_sha256(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario (sorted JSON): identifies exactly what ran."""
    text = json.dumps(scenario.fingerprint(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_digest(scenario: Scenario) -> str:
    """A short hash of the resolved scenario (the first 10 hex digits of :func:`scenario_sha256`)."""
    return scenario_sha256(scenario)[:10]


def interval(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """Mean and 95 % t-interval over replications. With one value there is no interval (``ci_low``
    and ``ci_high`` are ``None``), not one of width 0 that reads as certainty."""
    xs = np.array([v for v in values if v is not None], dtype=float)
    n = len(xs)
    if n == 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "n": 0}
    mean = float(xs.mean())
    if n == 1:
        return {"mean": mean, "ci_low": None, "ci_high": None, "n": 1}
    # Student's t quantile: scipy.special.stdtrit is what scipy.stats.t.ppf computes, without the
    # 1-2 s import of scipy.stats (only here: a single run needs no interval).
    from scipy.special import stdtrit

    half = float(stdtrit(n - 1, 0.975) * xs.std(ddof=1) / math.sqrt(n))
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n": n}


def aggregate_metrics(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Map every numeric key of the summary contract to its mean and 95 % interval.

    ``gap_events`` (a mapping by kind) is aggregated per kind. One replication: no interval (``None``).
    """
    from simulation.contract import SUMMARY_KEYS

    out: dict[str, Any] = {}
    for key in SUMMARY_KEYS:
        first = summaries[0].get(key)
        if isinstance(first, dict):
            out[key] = {sub: interval(s[key].get(sub) for s in summaries) for sub in first}
        else:
            out[key] = interval(s.get(key) for s in summaries)
    return out


@dataclass
class ExperimentResult:
    """Where an experiment's results are, its aggregate summary, and what was reused or redone."""

    folder: Path
    summary: dict[str, Any]
    ran: int
    reused: int
    notes: list[str] = field(default_factory=list)
    """One line each: replications found damaged or foreign and recomputed, stale staging discarded."""


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n")
    os.replace(tmp, path)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# The lock and the destination


def _cannot_write(folder: Path, exc: OSError) -> ResultsFolderError:
    return ResultsFolderError(f"{folder}: cannot write there ({exc.strerror or exc}); choose another --out")


class FolderLock:
    """An exclusive lock on a results folder, held in ``.<name>.lock`` beside it.

    ``fcntl.flock`` is released by the kernel when its process ends, even by SIGKILL, so a lock left
    by a dead run never blocks (no stale locks); the file records the holder's pid for the message.
    Forked workers share the lock, and end with the main process (``runner.pool.end_with_parent``).
    """

    def __init__(self, folder: Path, shown: Path | None = None) -> None:
        self.folder = folder
        self.shown = shown or folder  # the folder as the user named it, for messages
        self.path = folder.parent / f".{folder.name}.lock"
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        for _ in range(10):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            except OSError as exc:  # named by the folder, not by the lock file beside it
                raise _cannot_write(self.shown, exc) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise RunLockedError(
                    f"{self.shown}: another vardkedja command (pid {holder}) is writing into this folder; "
                    "wait for it to finish or choose another --out/--name"
                ) from None
            try:  # the holder before us may have removed the file after we opened it: retry
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
                return self
            os.close(fd)
        raise RunLockedError(f"{self.folder}: could not take the lock {self.path}")  # pragma: no cover

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:  # pragma: no cover
                pass
            os.close(self._fd)
            self._fd = None


def check_destination(folder: Path, digest: str | None = None, base_seed: int | None = None) -> None:
    """Refuse a destination that cannot take this run, before anything is written.

    Allowed: a folder that does not exist, an empty folder, or a run folder of the same scenario and
    seed (then its replications are reused). Raises :class:`ResultsFolderError` with one line.
    """
    if folder.exists() and not folder.is_dir():
        raise ResultsFolderError(f"{folder}: exists and is not a folder; choose another --out")
    if Path.cwd().resolve().is_relative_to(folder.resolve()):
        raise ResultsFolderError(
            f"{folder}: is the current folder or one above it; choose a new folder for the results"
        )
    if folder.is_dir():
        meta_path = folder / "scenario.json"
        if not meta_path.is_file():
            if any(folder.iterdir()):
                raise ResultsFolderError(
                    f"{folder}: not empty and not a vardkedja results folder; choose another --out"
                )
            return
        try:
            old = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            old = {}
        if digest is not None and (old.get("digest") != digest or old.get("base_seed") != base_seed):
            raise ResultsFolderError(
                f"{folder}: holds results of another scenario or seed "
                f"(digest {old.get('digest')}, seed {old.get('base_seed')}); choose another --out/--name"
            )
    # The nearest existing ancestor must be a folder we may write in.
    probe = folder.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ResultsFolderError(f"{folder}: {probe} is not a folder; choose another --out")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ResultsFolderError(f"{folder}: {probe} is not writable; choose another --out")


# ---------------------------------------------------------------------------------------------
# One replication on disk

_WORKER_SCENARIO: Scenario | None = None


def _init_worker(scenario: Scenario, several: bool = True, worker: bool = False) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = scenario
    if worker:
        start_worker()
    if several:  # a process that runs more than one replication frees each model after its run
        prepare_heap()


def _replication_job(seed: int, replication: int, rep_dir: str, sha: str) -> dict[str, Any]:
    """Run one replication and write its folder atomically (in a worker process or in-process)."""
    from runner.single import run_one
    from simulation.contract import package_version

    assert _WORKER_SCENARIO is not None
    result = run_one(_WORKER_SCENARIO, seed, replication)
    release_run()  # the model is gone with run_one; its tables are in result
    final = Path(rep_dir)
    tmp = work_dir_beside(final)
    try:
        files: dict[str, str] = {}
        for name in TABLES:
            data = _parquet_bytes(result.tables[name])
            (tmp / f"{name}.parquet").write_bytes(data)
            files[f"{name}.parquet"] = hashlib.sha256(data).hexdigest()
        text = json.dumps(result.summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        (tmp / "summary.json").write_bytes(text.encode())
        files["summary.json"] = hashlib.sha256(text.encode()).hexdigest()
        manifest = {
            "replication": replication,
            "seed": seed,
            "scenario_sha256": sha,
            "format": REPLICATION_FORMAT,
            "version": package_version(),
            "files": dict(sorted(files.items())),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        try:
            os.replace(tmp, final)
        except OSError as exc:
            # A worker orphaned by a killed run may have finished the same replication first.
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or verify_replication(
                final, replication, seed, sha
            ):
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result.summary


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as a Parquet file (zstd; converted in one thread: a worker keeps to its core).

    Dictionary encoding for the text columns only, and min/max statistics for the numeric ones (what
    a reader filters on: replication, day, the LUS step days): for a nordost replication's six tables
    334 kB instead of 366 kB, and about 12 % less time to write (dictionaries and statistics of the
    true/false and text columns bought nothing)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
    text = [f.name for f in table.schema if pa.types.is_large_string(f.type) or pa.types.is_string(f.type)]
    numeric = [f.name for f in table.schema if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", use_dictionary=text, write_statistics=numeric)
    return sink.getvalue().to_pybytes()


def verify_replication(rep_dir: Path, replication: int, seed: int, sha: str) -> str | None:
    """Why ``rep_dir`` cannot be reused for this replication, or None if it can.

    It can when its manifest names this replication, seed and scenario, holds the files this version
    writes in this version's format (:data:`REPLICATION_FORMAT`), and every file's sha256 matches.
    """
    try:
        manifest = json.loads((rep_dir / MANIFEST).read_text())
    except FileNotFoundError:
        return "has no manifest"
    except (OSError, ValueError):
        return "has a damaged manifest"
    if not isinstance(manifest, dict):
        return "has a damaged manifest"
    if (
        manifest.get("seed") != seed
        or manifest.get("scenario_sha256") != sha
        or manifest.get("replication") != replication
    ):
        return "belongs to another run (seed or scenario differ)"
    files = manifest.get("files")
    if not isinstance(files, dict):
        return "has a damaged manifest"
    if set(files) != set(REPLICATION_FILES):  # e.g. the Arrow IPC tables of versions before 26 Nov 2026
        return "holds other files than this version writes"
    if manifest.get("format", 1) != REPLICATION_FORMAT:
        return "was written in an older format by an earlier vardkedja (manifest format number differs)"
    for name in REPLICATION_FILES:
        try:
            if _sha256_file(rep_dir / name) != files[name]:
                return f"has a damaged {name} (checksum differs)"
        except OSError:
            return f"is missing {name}"
    return None


def _link_file(src: Path, dst: Path) -> None:
    """``dst`` the same file as ``src`` (a hard link), or a copy where the file system has no links."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _link_or_copy(src: Path, dst: Path) -> None:
    """Copy a finished replication folder, by hard links where the file system allows."""
    tmp = work_dir_beside(dst)
    try:
        for f in src.iterdir():
            _link_file(f, tmp / f.name)
        os.replace(tmp, dst)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# ---------------------------------------------------------------------------------------------
# The experiment


def _staging(folder: Path) -> Path:
    """Where a run into ``folder`` works until it is complete."""
    return folder.parent / f".{folder.name}.partial"


def kept_replications(folder: Path) -> int:
    """How many finished replications an interrupted run (or comparison) into ``folder`` left for the
    same command to reuse."""
    return sum(1 for p in _staging(Path(folder)).glob("**/replications/rep-*") if p.is_dir())


def run_experiment(
    scenario: Scenario,
    folder: Path,
    replications: int = 1,
    base_seed: int | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    before_publish: Callable[[Path], Any] | None = None,
    reuse: Path | None = None,
    while_running: Callable[[], object] | None = None,
) -> ExperimentResult:
    """Run (or finish) ``replications`` replications of ``scenario`` into ``folder``.

    Replications already complete (in ``folder``, in the staging folder an interrupted run left, or
    in the run folder ``reuse``, which is only read) are verified against their manifests and reused;
    a folder holding another scenario or seed is refused rather than mixed. ``before_publish(staging)``
    may add files (figures) before the staging folder is renamed into place. ``while_running()``, if
    given, runs in this process while worker processes simulate (not at all when the replications run
    here): work for the time this process would otherwise only wait, such as the figures' imports.
    Returns where the results are and what was reused.
    """
    given = Path(folder)
    # "out/." and "a/../out" name the folder "out"; a link names the folder it points to (renaming
    # the link itself replaced it with a folder and left the old link behind)
    folder = Path(os.path.realpath(given))
    remove_abandoned_swaps(folder.parent)
    base_seed = scenario.seed if base_seed is None else base_seed
    if not 0 <= base_seed <= MAX_SEED:
        raise ValueError(f"seed {base_seed} outside [0, 2**63 - 1]")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValueError(f"replications {replications} outside [1, {MAX_REPLICATIONS}]")
    seeds = replication_seeds(base_seed, replications)
    sha = scenario_sha256(scenario)
    digest = sha[:10]
    check_destination(folder, digest, base_seed)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(given, exc) from None
    with FolderLock(folder, given):
        staging = _staging(folder)
        try:
            result = _run_in(
                staging, folder, scenario, seeds, base_seed, sha, jobs, progress, reuse, while_running
            )
            if before_publish is not None:
                before_publish(staging)
            kept = publish(staging, folder)
            if kept:
                result.notes.append(f"{given}: kept what was not the run's own: {', '.join(kept)}")
        except BaseException:
            # Keep finished replications for the next attempt; a staging folder without any is noise.
            if staging.is_dir() and not any((staging / "replications").glob("rep-*")):
                shutil.rmtree(staging, ignore_errors=True)
            raise
    result.folder = given
    return result


def _run_in(
    staging: Path,
    folder: Path,
    scenario: Scenario,
    seeds: list[int],
    base_seed: int,
    sha: str,
    jobs: int,
    progress: Callable[[int, int], None] | None,
    reuse: Path | None = None,
    while_running: Callable[[], object] | None = None,
) -> ExperimentResult:
    from simulation.contract import package_version

    replications = len(seeds)
    digest = sha[:10]
    notes: list[str] = []
    meta = {"digest": digest, "base_seed": base_seed, "scenario": scenario.fingerprint()}
    if staging.is_dir():
        try:
            old = json.loads((staging / "scenario.json").read_text())
        except (OSError, ValueError):
            old = {}
        if old.get("digest") != digest or old.get("base_seed") != base_seed:
            notes.append(f"{staging}: left by an interrupted run of another scenario or seed; discarded")
            shutil.rmtree(staging)
    staging.mkdir(exist_ok=True)
    _write_json(staging / "scenario.json", meta)
    rep_root = staging / "replications"
    rep_root.mkdir(exist_ok=True)
    for stale in rep_root.glob(".rep-*"):  # leftovers of an interrupted replication
        _remove(stale)
    for extra in rep_root.glob("rep-*"):
        if not extra.name[4:].isdigit() or int(extra.name[4:]) >= replications:
            shutil.rmtree(extra)  # not part of this run: never mixed into it
    summaries: dict[int, dict[str, Any]] = {}
    todo: list[int] = []
    redone: dict[tuple[str, str], list[int]] = {}  # (where, why) -> its replications: one note each
    for i, seed in enumerate(seeds):
        rep = rep_root / f"rep-{i:04d}"
        earlier = folder / "replications" / rep.name
        if not rep.exists() and earlier.is_dir():
            why = verify_replication(earlier, i, seed, sha)
            if why is None:
                _link_or_copy(earlier, rep)
            else:
                redone.setdefault((f"in {folder}", why), []).append(i)
        if not rep.exists() and reuse is not None and (reuse / "replications" / rep.name).is_dir():
            other = reuse / "replications" / rep.name
            if verify_replication(other, i, seed, sha) is None:  # else simply not reused
                _link_or_copy(other, rep)
        elif rep.exists():
            why = verify_replication(rep, i, seed, sha)
            if why is not None:
                redone.setdefault(("of the interrupted run", why), []).append(i)
                shutil.rmtree(rep)
        if rep.exists():
            summaries[i] = json.loads((rep / "summary.json").read_text())
        else:
            todo.append(i)
    notes += [_recomputed(which, where, why) for (where, why), which in redone.items()]
    reused = len(summaries)
    finished = reused
    if progress:
        progress(finished, replications)
    jobs = max(1, min(jobs, len(todo)))
    if jobs == 1:
        _init_worker(scenario, several=len(todo) > 1)
        for i in todo:
            summaries[i] = _replication_job(seeds[i], i, str(rep_root / f"rep-{i:04d}"), sha)
            finished += 1
            if progress:
                progress(finished, replications)
    else:
        import simulation.metrics  # noqa: F401 - imported once here, inherited by forked workers
        import simulation.model  # noqa: F401

        # Freeze the parent's heap before forking: a worker's collections then skip the inherited
        # objects instead of writing to every one of them, which copied the parent's pages into each
        # worker (the advice of the gc.freeze documentation).
        prepare_heap()
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(scenario, True, True)
        ) as pool:
            futures = {
                pool.submit(_replication_job, seeds[i], i, str(rep_root / f"rep-{i:04d}"), sha): i
                for i in todo
            }
            try:
                if replications > 1:
                    # the interval's quantile (aggregate_metrics), imported while the workers simulate
                    # rather than after them: it shares the cores with them instead of waiting alone
                    import scipy.special  # noqa: F401
                if while_running is not None:
                    while_running()
                for fut in as_completed(futures):
                    summaries[futures[fut]] = fut.result()
                    finished += 1
                    if progress:
                        progress(finished, replications)
            except BaseException:
                stop_workers(pool)
                # what the workers were writing when they were stopped (they are gone now)
                for stale in rep_root.glob(".rep-*"):
                    _remove(stale)
                raise
    ordered = [summaries[i] for i in range(replications)]
    _link_tables(staging, replications)
    summary = {
        "scenario": scenario.name,
        "seed": base_seed,
        "version": package_version(),
        "scenario_digest": digest,
        "replications": replications,
        "replication_seeds": seeds,
        "metrics": aggregate_metrics(ordered),
        "runs": ordered,
    }
    if replications == 1:
        # A single run's summary is also the flat single-run contract.
        summary = {**ordered[0], **summary, "seed": ordered[0]["seed"]}
    _write_json(staging / "summary.json", summary)
    return ExperimentResult(folder, summary, ran=len(todo), reused=reused, notes=notes)


def _recomputed(which: list[int], where: str, why: str) -> str:
    """One note for the replications recomputed for the same reason (a folder of an older version
    gave one line per replication)."""
    if len(which) == 1:
        return f"replication {which[0]} {where} {why}: recomputed"
    shown = ", ".join(map(str, which[:5])) + (", ..." if len(which) > 5 else "")
    return f"{len(which)} replications {where} ({shown}): each {why}; recomputed"


RUN_ENTRIES = frozenset(
    {"figures", "replications", "summary.json", "scenario.json"}
    | {"by_kommun.csv", "by_hospital.csv", "results.xlsx"}
    | {f"{table}.parquet" for table in TABLES}
)
"""What a run writes at the top of its folder (anything else there is the user's, and is kept)."""


def publish(staging: Path, folder: Path) -> list[str]:
    """Rename the complete staging folder into place (replacing an earlier complete run).

    Files and folders the user put into the earlier run's folder (notes, an analysis of their own)
    are moved into the new one, not deleted with the earlier run; their names are returned. The
    earlier run waits beside it as ``.<name>.old-<pid>`` meanwhile (see :func:`remove_abandoned_swaps`).
    """
    if not folder.exists():
        os.rename(staging, folder)
        return []
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    os.rename(folder, old)
    os.rename(staging, folder)
    return _finish_swap(old, folder)


def _finish_swap(old: Path, folder: Path) -> list[str]:
    """Move what the user put into the earlier run ``old`` into ``folder`` and remove ``old``; return
    the names moved."""
    kept = []
    for entry in sorted(old.iterdir()):
        if entry.name in RUN_ENTRIES or entry.name.startswith(".") or (folder / entry.name).exists():
            continue
        os.rename(entry, folder / entry.name)
        kept.append(entry.name)
    shutil.rmtree(old, ignore_errors=True)
    return kept


_SWAP = re.compile(r"\.(?P<name>.+)\.old-(?P<pid>\d+)")
"""The name :func:`publish` gives the earlier run it replaces (what ``compare`` recognises too)."""


def remove_abandoned_swaps(parent: Path) -> list[Path]:
    """Finish what a run killed while replacing a folder in ``parent`` left there; return those folders.

    A run replacing ``<name>`` renames the earlier run to ``.<name>.old-<pid>``, renames the new run
    into place, moves the user's own files across and deletes the earlier run (:func:`publish`).
    Killed in the middle (SIGKILL, the OOM killer, a power cut), it left that folder for good. Once
    process ``<pid>`` has ended on this machine (:func:`runner.fsmodes.writer_gone`) and nothing holds
    ``<name>``'s lock, the swap is finished as that run would have: with ``<name>`` in place, the
    user's files move into it and the earlier run is deleted; with ``<name>`` missing (killed between
    the two renames) the earlier run goes back, as the destination held it until the new one was
    complete. A folder whose process is alive, or whose name is being written, is left alone.
    """
    removed = []
    try:
        entries = sorted(parent.iterdir())
    except OSError:  # none yet, or not ours to list: what cannot take the run is said by its check
        return []
    for entry in entries:
        found = _SWAP.fullmatch(entry.name)
        if found is None or entry.is_symlink() or not entry.is_dir():
            continue
        # no machine in the name (compare's runs know it as it is): a pid is looked up here, and the
        # folder's lock guards a run of another machine writing into it on a shared disk
        if not writer_gone(MACHINE, int(found["pid"])):
            continue
        folder = parent / found["name"]
        try:
            with FolderLock(folder):
                if not os.path.lexists(folder):
                    os.rename(entry, folder)
                elif folder.is_dir() and not folder.is_symlink():
                    _finish_swap(entry, folder)
                else:  # something else took the name since: the earlier run is only in the way
                    shutil.rmtree(entry, ignore_errors=True)
        except (ResultsFolderError, OSError):  # being written now, or not ours to change: left
            continue
        removed.append(entry)
    return removed


def _remove(path: Path) -> None:
    """Remove a folder or a file if it is there (a leftover; a table of versions before 26 Nov 2026 was
    a file, and their stacked table's ``.tmp`` too)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _link_tables(folder: Path, replications: int) -> None:
    """Make each table of the run a Parquet dataset: a folder ``<table>.parquet/`` holding every
    replication's file as ``rep-0000.parquet``, ... (hard links where the file system allows, else
    copies). Each folder is built under a hidden name and renamed into place whole; what an
    interrupted attempt left, or a single file of versions before 26 Nov 2026, is replaced."""
    for name in TABLES:
        final = folder / f"{name}.parquet"
        for stale in folder.glob(f".{name}.parquet.*"):  # left by an interrupted attempt (or version)
            _remove(stale)
        tmp = work_dir_beside(final)
        try:
            for i in range(replications):
                _link_file(
                    folder / "replications" / f"rep-{i:04d}" / f"{name}.parquet", tmp / f"rep-{i:04d}.parquet"
                )
            _remove(final)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
