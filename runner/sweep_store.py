"""A sweep's folder: its manifest and one Parquet file per finished run.

Layout::

    DIR/manifest.json              what the sweep is (design matrix, parameters, base scenario, version,
                                   the sweep file's text); written atomically
    DIR/runs/p000012-r0001.parquet one row: run (point 12, replication 1); written to a hidden temporary
                                   file and renamed, so a run is done exactly when its file exists
    DIR/runs/.p000012-r0001.*.tmp  a run being written (or left by a killed sweep; removed on resume)

``pandas.read_parquet(DIR / "runs")`` reads every finished run (pyarrow skips names starting with '.');
every file has the same columns and types (:func:`row_schema`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from runner.design import SEED_MAX, SweepError, SweepSpec, run_seed
from runner.fsmodes import file_mode, writer_gone, writer_tag

__all__ = [
    "MANIFEST",
    "RUNS",
    "RunTask",
    "SweepContext",
    "SweepStatus",
    "clean_stale",
    "done_runs",
    "open_sweep",
    "read_manifest",
    "row_schema",
    "run_file",
    "status",
    "tasks",
    "write_manifest",
    "write_row",
]

MANIFEST = "manifest.json"
RUNS = "runs"
_RUN_NAME = re.compile(r"p(\d{6,})-r(\d{4,})\.parquet")


def run_file(point: int, replication: int) -> str:
    """The file name of run (point, replication)."""
    return f"p{point:06d}-r{replication:04d}.parquet"


@dataclass(frozen=True)
class SweepContext:
    """What every run of a sweep shares (sent once to each worker)."""

    sweep_id: str
    name: str
    base_data: dict[str, Any]
    parameters: list[dict[str, Any]]
    """Name, keys and kind of each parameter (columns of the rows, in order)."""
    metrics: list[str]
    version: str
    runs_dir: str
    """Absolute (:func:`open_sweep`): workers elsewhere, or in another working directory, write here."""


@dataclass(frozen=True)
class RunTask:
    """One run: small, so that sending it to a worker costs nothing."""

    point: int
    replication: int
    seed: int
    values: dict[str, int | float]
    """Parameter values as applied."""
    settings: dict[str, Any]
    """Key-path settings of the point."""


def row_schema(context: SweepContext) -> pa.Schema:
    """The columns and types of every row file of a sweep."""
    fields = [
        pa.field("sweep_id", pa.string()),
        pa.field("scenario", pa.string()),
        pa.field("point", pa.int64()),
        pa.field("replication", pa.int64()),
        pa.field("seed", pa.int64()),
        pa.field("scenario_digest", pa.string()),
    ]
    for p in context.parameters:
        fields.append(pa.field(p["name"], pa.int64() if p["kind"] == "int" else pa.float64()))
    fields += [pa.field(m, pa.float64()) for m in context.metrics]
    fields.append(pa.field("version", pa.string()))
    return pa.schema(fields)


def temp_file_beside(final: Path) -> tuple[int, str]:
    """A new temporary file beside ``final`` (to be renamed to it), with the mode ``open`` would give.

    ``mkstemp`` makes it 0600, which the file kept when renamed into place: on a shared server a
    colleague could list a sweep's rows but not read them.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.{writer_tag()}.", suffix=".tmp", dir=final.parent)
    os.fchmod(fd, file_mode())
    return fd, tmp


def write_row(context: SweepContext, row: dict[str, Any]) -> Path:
    """Write one run's row to its file atomically (temporary file in the same folder, then rename)."""
    runs = Path(context.runs_dir)
    final = runs / run_file(int(row["point"]), int(row["replication"]))
    schema = row_schema(context)
    table = pa.Table.from_pylist([row], schema=schema)
    fd, tmp = temp_file_beside(final)
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(table, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return final


def _write_json(path: Path, data: Any) -> None:
    fd, tmp = temp_file_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def manifest_data(spec: SweepSpec, version: str) -> dict[str, Any]:
    """The manifest of ``spec`` (JSON-able)."""
    return {
        "sweep_id": spec.sweep_id(),
        "name": spec.name,
        "description": spec.description,
        "version": version,
        "sweep_file": str(spec.path),
        "sweep_text": spec.text,
        "base_scenario": str(spec.base_path),
        "base_digest": spec.identity()["base_digest"],
        "base_data": spec.base_data,
        "seed": spec.seed,
        "replications": spec.replications,
        "days": spec.days,
        "warmup_days": spec.warmup_days,
        "metrics": list(spec.metrics),
        "design": spec.identity()["design"],
        "parameters": spec.identity()["parameters"],
        "problem": spec.problem(),
        "n_points": spec.n_points,
        "design_matrix": spec.matrix.tolist(),
        "points": [
            {"values": spec.point_values(i), "settings": spec.point_settings(i)} for i in range(spec.n_points)
        ],
    }


def write_manifest(folder: Path, spec: SweepSpec, version: str) -> dict[str, Any]:
    """Create ``folder`` for ``spec``, or reuse it if it holds the same sweep.

    A folder holding another sweep is refused (:class:`SweepError`; for the same file run with other
    settings, the message names what differs). The same sweep with more replications is the same sweep:
    the manifest is updated, finished runs stay. Fewer replications than the folder holds are refused:
    the runs beyond them would stay in ``runs/`` (a reader of the folder gets them) but out of the design
    (``analyze`` would leave them out).
    """
    data = manifest_data(spec, version)
    path = folder / MANIFEST
    if path.exists():
        try:
            old = read_manifest(folder)
        except SweepError as exc:
            raise SweepError(f"{exc}; choose another --out") from None
        if old.get("sweep_id") != data["sweep_id"]:
            differs = [k for k in _SETTINGS if old.get(k) != data.get(k)]
            if "base_digest" in differs and _same_base(old.get("base_data"), data["base_data"]):
                differs.remove("base_digest")  # the digest holds days and warm-up, named on their own
            same_file = old.get("name") == data.get("name") and differs
            what = (
                "; it differs in " + ", ".join(_change(k, old.get(k), data.get(k)) for k in differs)
                if same_file
                else ""
            )
            flags = _flags_of(old, data, differs) if same_file else None
            give = f"give {flags} to finish it, or " if flags else ""
            raise SweepError(
                f"{folder}: holds another sweep ({old.get('name')}, id {old.get('sweep_id')}; this one is "
                f"{data['sweep_id']}{what}); {give}choose another --out"
            )
        if int(old.get("replications", 0)) > data["replications"]:
            have, want = old["replications"], data["replications"]
            if spec.replications_flag:
                # either spelling may have been typed: `-n 2` was echoed as "--replications 2"
                raise SweepError(
                    f"{folder}: holds this sweep with {have} replications; -n/--replications {want} would "
                    f"leave the others out of the design; give -n/--replications {have} or more, or "
                    "another --out"
                )
            # the user typed no --replications: the number is the file's (a folder prepared with -n 4,
            # finished with `vardkedja sweep FILE --out DIR` as docs/SWEEPS.md §4 says)
            raise SweepError(
                f"{folder}: replications: the folder holds this sweep with {have}, the sweep file says "
                f"{want} (fewer would leave the others out of the design); give -n {have} or more, or "
                "another --out"
            )
        if old.get("version") != version:
            raise SweepError(
                f"{folder}: was made by vardkedja {old.get('version')}, this is {version}; "
                "choose another --out so the rows of two versions are not mixed"
            )
        if old == data:
            return old
    elif folder.exists():
        _check_fresh(folder)
    (folder / RUNS).mkdir(parents=True, exist_ok=True)
    _write_json(path, data)
    return data


_MANIFEST_TEMP = re.compile(re.escape(f".{MANIFEST}.") + r".+\.tmp")
"""A manifest being written (:func:`temp_file_beside`), or left by a writer killed while writing it."""


def _check_fresh(folder: Path) -> None:
    """Accept an existing ``folder`` without a manifest as a new sweep's, or refuse it (:class:`SweepError`).

    It may hold only what a sweep killed before its manifest was in place leaves: temporary manifest
    files (those whose writer is gone are removed here; a live writer's is its own) and an empty
    ``runs/``. Rows without a manifest are refused: nothing says which sweep they belong to.
    """
    entries = list(folder.iterdir())
    temps = [p for p in entries if _MANIFEST_TEMP.fullmatch(p.name) and p.is_file()]
    runs = folder / RUNS
    if any(p != runs and p not in temps for p in entries) or (runs.exists() and not runs.is_dir()):
        raise SweepError(f"{folder}: exists and is not a sweep folder (no {MANIFEST}); choose another --out")
    if runs.exists():
        rows = [p for p in runs.iterdir() if _RUN_NAME.fullmatch(p.name)]
        if rows:
            raise SweepError(
                f"{folder}: holds runs ({len(rows)} row files in {RUNS}/) but no {MANIFEST}: nothing says "
                "which sweep they belong to; choose another --out"
            )
        if any(runs.iterdir()):
            raise SweepError(
                f"{folder}: exists and is not a sweep folder (no {MANIFEST}); choose another --out"
            )
    cutoff = time.time() - STALE_AFTER_S
    for p in temps:
        try:
            if _writer_gone(p.name) or p.stat().st_mtime < cutoff:
                p.unlink(missing_ok=True)
        except FileNotFoundError:  # its writer just renamed it into place
            pass


_SETTINGS = ("base_scenario", "base_digest", "days", "warmup_days", "seed", "design", "parameters", "metrics")
"""Manifest entries that make a sweep another sweep (named when a folder holds the same file's other run)."""

_LABELS = {"base_digest": ("the base scenario's contents", "digest ")}
"""How a setting is named in that message where its key would not say it, and what its values are."""


def _same_base(old: Any, new: dict[str, Any]) -> bool:
    """Whether two manifests' base data differ only in the sweep's own days and warm-up."""
    if not isinstance(old, dict):
        return False
    own = ("days", "warmup_days")
    return {k: v for k, v in old.items() if k not in own} == {k: v for k, v in new.items() if k not in own}


def _change(key: str, old: Any, new: Any) -> str:
    label, unit = _LABELS.get(key, (key, ""))
    if key == "design" and _samples_alone(old, new):
        return f"design samples ({old['samples']} there, {new['samples']} here)"
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return label
    return f"{label} ({unit}{old} there, {new} here)"


def _samples_alone(old: Any, new: Any) -> bool:
    """Whether two manifests' designs differ in their base samples alone (``--samples``)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    return old.get("samples") != new.get("samples") and {**old, "samples": None} == {**new, "samples": None}


def _flags_of(old: dict[str, Any], new: dict[str, Any], differs: list[str]) -> str | None:
    """The flags that make this command the folder's sweep, when the differences are only what flags set
    (``--days``, ``--samples``; the warm-up follows ``--days``): ``--days 60``, with ``-n 4`` when the
    folder holds more replications than this command asks for. None when a difference is the file's.

    A folder prepared with ``--days 60`` and run without it was refused naming ``days (60 there, 365
    here)``, and the user was left to work out which flag that was.
    """
    flags = []
    settled = set()
    if "days" in differs:
        flags.append(f"--days {old['days']}")
        settled |= {"days", "warmup_days"}
    if "design" in differs and _samples_alone(old.get("design"), new.get("design")):
        flags.append(f"--samples {old['design']['samples']}")
        settled.add("design")
    if not flags or set(differs) - settled:
        return None
    if int(old.get("replications", 0)) > new["replications"]:
        flags.append(f"-n {old['replications']}")
    return " ".join(flags)


_MANIFEST_KEYS = (
    "sweep_id", "name", "version", "base_scenario", "base_data", "seed", "replications", "days",
    "warmup_days", "metrics", "design", "parameters", "problem", "n_points", "design_matrix", "points",
)  # fmt: skip
"""Entries every sweep's manifest has (a run's replication folder has a manifest.json too)."""


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a sweep folder (:class:`SweepError` if there is none, it is not a sweep's, or its
    parts do not fit together, as after a hand edit)."""
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SweepError(f"{folder}: not a sweep folder (no {MANIFEST})") from None
    except json.JSONDecodeError as exc:
        raise SweepError(f"{path}: not valid JSON ({exc})") from None
    missing = [k for k in _MANIFEST_KEYS if k not in data] if isinstance(data, dict) else ["sweep_id"]
    if missing:
        raise SweepError(f"{folder}: not a sweep folder (its {MANIFEST} is not a sweep's: no {missing[0]})")
    mismatch = _mismatch(data)
    if mismatch:
        raise SweepError(f"{folder}: damaged: its {MANIFEST} does not match its design ({mismatch})")
    return data


def _whole(value: Any, low: int, high: int | None = None) -> bool:
    """Whether ``value`` is a whole number (not a bool) in [low, high]."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return low <= value and (high is None or value <= high)


def _mismatch(m: dict[str, Any]) -> str | None:
    """What in a manifest does not fit the rest of it (a hand-edited ``n_points`` of 99 over a design of
    8 points ended ``sweep run-one --index 50`` in an IndexError); None if it is whole."""
    if not _whole(m["n_points"], 1):
        return f"n_points is {m['n_points']!r}, not a whole number >= 1"
    if not _whole(m["replications"], 1):
        return f"replications is {m['replications']!r}, not a whole number >= 1"
    if not _whole(m["seed"], 0, SEED_MAX):
        return f"seed is {m['seed']!r}, not a whole number in [0, 2**63 - 1]"
    if not isinstance(m["design"], dict) or not isinstance(m["metrics"], list):
        return "design or metrics is not what a sweep writes"
    params = m["parameters"]
    if not isinstance(params, list) or not all(
        isinstance(p, dict)
        and isinstance(p.get("name"), str)
        and isinstance(p.get("keys"), list)
        and p.get("kind") in ("int", "float")
        for p in params
    ):
        return "parameters is not what a sweep writes"
    n = m["n_points"]
    for key in ("points", "design_matrix"):
        if not isinstance(m[key], list) or len(m[key]) != n:
            listed = len(m[key]) if isinstance(m[key], list) else 0
            return f"n_points is {n}, but {key} has {listed} entries"
    names = {p["name"] for p in params}
    for i, (point, row) in enumerate(zip(m["points"], m["design_matrix"], strict=True)):
        if not isinstance(row, list) or len(row) != len(params):
            return f"design_matrix row {i} does not have one value per parameter"
        if (
            not isinstance(point, dict)
            or not isinstance(point.get("settings"), dict)
            or not isinstance(point.get("values"), dict)
            or set(point["values"]) != names
        ):
            return f"point {i} does not have one value per parameter"
    return None


def open_sweep(folder: Path) -> tuple[dict[str, Any], SweepContext]:
    """The manifest and the worker context of a prepared sweep folder."""
    m = read_manifest(folder)
    ctx = SweepContext(
        sweep_id=m["sweep_id"],
        name=m["name"],
        base_data=m["base_data"],
        parameters=[{"name": p["name"], "keys": p["keys"], "kind": p["kind"]} for p in m["parameters"]],
        metrics=m["metrics"],
        version=m["version"],
        runs_dir=str((Path(folder) / RUNS).resolve()),
    )
    return m, ctx


def task(manifest: dict[str, Any], point: int, replication: int) -> RunTask:
    """The task of run (point, replication)."""
    p = manifest["points"][point]
    return RunTask(
        point, replication, run_seed(manifest["seed"], point, replication), p["values"], p["settings"]
    )


def tasks(manifest: dict[str, Any], skip: set[tuple[int, int]]):
    """Every run of the sweep not in ``skip``, point by point (a generator: nothing is held)."""
    for point in range(manifest["n_points"]):
        for rep in range(manifest["replications"]):
            if (point, rep) not in skip:
                yield task(manifest, point, rep)


def done_runs(
    folder: Path, sweep_id: str | None = None, points: set[int] | None = None
) -> set[tuple[int, int]]:
    """(point, replication) of every finished run in the folder (of ``points`` only, if given).

    With ``sweep_id``, only runs whose row carries it: a row file of another sweep (copied in, or left
    by one whose manifest is gone) is not this sweep's run, and the run is made again over it.
    """
    return _scan_runs(folder, sweep_id, points)[0]


def _scan_runs(
    folder: Path, sweep_id: str | None = None, points: set[int] | None = None
) -> tuple[set[tuple[int, int]], int]:
    """The finished runs of :func:`done_runs`, and how many row files it left out as another sweep's."""
    out = set()
    foreign = 0
    runs = Path(folder) / RUNS
    if not runs.exists():
        return out, foreign
    with os.scandir(runs) as it:
        for entry in it:
            m = _RUN_NAME.fullmatch(entry.name)
            if not m or (points is not None and int(m.group(1)) not in points):
                continue
            if sweep_id is not None and _row_sweep_id(entry.path) != sweep_id:
                foreign += 1
                continue
            out.add((int(m.group(1)), int(m.group(2))))
    return out, foreign


def _row_sweep_id(path: str) -> str | None:
    """The ``sweep_id`` of a row file, from its footer's statistics (0.2 ms a file here; reading the
    column took 3 ms); None if the file has none or cannot be read."""
    try:
        meta = pq.read_metadata(path)
        i = meta.schema.to_arrow_schema().get_field_index("sweep_id")
        if i < 0 or meta.num_row_groups == 0:
            return None
        stats = meta.row_group(0).column(i).statistics
        if stats is not None and stats.has_min_max and stats.min == stats.max:
            return str(stats.min)
        ids = set(pq.read_table(path, columns=["sweep_id"]).column(0).to_pylist())
        return ids.pop() if len(ids) == 1 else None
    except (OSError, pa.ArrowException):
        return None


STALE_AFTER_S = 600.0
"""A row's temporary file lives for the milliseconds of its write (the run is computed before it is
opened); one older than this was left by a killed writer. A younger one is removed only when its
writer, a process of this machine, has ended: others may be another writer's at work (array jobs on
other nodes, or a second ``sweep`` into the same folder)."""


_TEMP_WRITER = re.compile(r"\.([0-9a-f]{8})-(\d+)\.[^.]+\.tmp$")


def _writer_gone(name: str) -> bool:
    """Whether the temporary file ``name`` was written by a process of this machine that has ended
    (another machine's, array jobs on a shared disk: only its age tells)."""
    found = _TEMP_WRITER.search(name)
    return found is not None and writer_gone(found.group(1), int(found.group(2)))


def _stale_temps(folder: Path) -> list[Path]:
    """Temporary row files whose writer is gone: a process of this machine that has ended, or any
    writer's file older than ``STALE_AFTER_S``."""
    runs = Path(folder) / RUNS
    if not runs.exists():
        return []
    cutoff = time.time() - STALE_AFTER_S
    found = []
    for p in runs.glob(".p*.tmp"):
        try:
            if _writer_gone(p.name) or p.stat().st_mtime < cutoff:
                found.append(p)
        except FileNotFoundError:  # its writer just renamed it into place
            pass
    return found


def clean_stale(folder: Path) -> int:
    """Remove temporary files left by killed writers (older than ``STALE_AFTER_S``); return how many."""
    found = _stale_temps(folder)
    for p in found:
        p.unlink(missing_ok=True)
    return len(found)


@dataclass(frozen=True)
class SweepStatus:
    """Progress of a sweep folder."""

    sweep_id: str
    name: str
    design: str
    n_points: int
    replications: int
    done: int
    points_complete: int
    stale: int
    extra: int
    """Run files outside the design (e.g. replications beyond the current count)."""
    foreign: int = 0
    """Row files of another sweep (not counted as done; a rerun makes those in the design again)."""

    @property
    def total(self) -> int:
        return self.n_points * self.replications


def status(folder: Path) -> SweepStatus:
    """How far the sweep in ``folder`` has come."""
    m = read_manifest(folder)
    runs, foreign = _scan_runs(folder, m["sweep_id"])
    n, r = m["n_points"], m["replications"]
    inside = {(p, q) for p, q in runs if p < n and q < r}
    per_point: dict[int, int] = {}
    for p, _ in inside:
        per_point[p] = per_point.get(p, 0) + 1
    stale = len(_stale_temps(folder))
    return SweepStatus(
        sweep_id=m["sweep_id"],
        name=m["name"],
        design=m["design"]["kind"],
        n_points=n,
        replications=r,
        done=len(inside),
        points_complete=sum(1 for c in per_point.values() if c == r),
        stale=stale,
        extra=len(runs) - len(inside),
        foreign=foreign,
    )
