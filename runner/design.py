"""A sweep file and its design: what to vary, over which ranges, at which points, with which seeds.

A sweep file (TOML, see ``sweeps/`` and ``docs/SWEEPS.md``) names a base scenario, parameters by their
key paths (the paths ``--set`` takes), ranges or levels, a design (full grid, Latin hypercube, Sobol/
Saltelli or Morris, the last three sampled with SALib), replications and the metrics to keep.
:func:`load_sweep` checks the whole file before anything runs; every problem is one line naming the sweep
file and the key as the user wrote it (:class:`SweepError`). Values are checked by the scenario schema
itself: the scenario is validated with every parameter at its range ends (or levels), then at every
point of the design.

Seeds: run (point, replication) of a sweep with seed S runs seed
``SeedSequence([S, point, replication])`` (64 bits masked to 63, so it fits an int64 column). A run's seed
depends on nothing else, so adding points or replications never changes the runs already done.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from runner.levers import LeverError, lever
from simulation import SUMMARY_KEYS, GapKind, ScenarioError, scenario_from_dict
from simulation.scenario import Scenario, parse_key_path, resolve_scenario_dict, settings_tree
from simulation.scenario_files import parse_text, read_text

__all__ = [
    "DESIGNS",
    "METRICS",
    "Design",
    "Parameter",
    "SweepError",
    "SweepSpec",
    "load_sweep",
    "merge_settings",
    "run_seed",
]

DESIGNS = ("grid", "lhs", "sobol", "morris")
"""Design names a sweep file may use (``[design] kind = ...``)."""

METRICS: tuple[str, ...] = (
    *(k for k in SUMMARY_KEYS if k != "gap_events"),
    *(f"gap_events.{kind.value}" for kind in GapKind),
)
"""Metrics a sweep can keep: the numeric keys of the summary contract, gap events flattened by kind."""

SEED_MAX = 2**63 - 1

ROW_COLUMNS = ("sweep_id", "scenario", "point", "replication", "seed", "scenario_digest", "version")
"""The columns of a run's row besides its parameters and metrics (a parameter may not take their names)."""

_TOP_KEYS = ("name", "description", "base", "seed", "replications", "days", "warmup_days", "metrics")
_DESIGN_KEYS = ("kind", "samples", "seed", "levels", "second_order")
_PARAM_KEYS = ("name", "key", "keys", "range", "levels", "steps")

_NOT_LEVERS = {
    "days": "is the sweep's own setting (days = in the sweep file, or --days), not a lever",
    "warmup_days": "is the sweep's own setting (warmup_days = in the sweep file), not a lever",
    "seed": "is the sweep's own setting (seed = in the sweep file; each run is seeded from it, its point "
    "and its replication), not a lever",
    "name": "is the base scenario's name (the rows' scenario column), not a lever",
    "description": "is the base scenario's description, not a lever",
    "extends": "is how a scenario file names its parent; the sweep's base = names the scenario, not a lever",
    "defaults": "is applied to the organisations when the base is read; vary an organisation's own key "
    '(kommun."Täby".assessor_capacity) or a capacity factor, not a lever',
}
"""Top-level scenario keys a parameter may not set, and why. A lever on ``days`` silently overrode the
sweep's days while the manifest and the report stated the sweep's; one on ``seed`` did nothing (each run
is seeded with its own run seed, :func:`run_seed`)."""


class SweepError(ValueError):
    """A sweep file, folder or option that cannot be used; one line per problem, fit for a user."""


def run_seed(sweep_seed: int, point: int, replication: int) -> int:
    """The seed of run (``point``, ``replication``) of a sweep seeded ``sweep_seed``: 63 bits."""
    hi, lo = np.random.SeedSequence([sweep_seed, point, replication]).generate_state(2, np.uint32)
    return ((int(hi) << 32) | int(lo)) & SEED_MAX


def merge_settings(base: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """``base`` (a resolved scenario dict) with key-path ``settings`` deep-merged in (``base`` untouched)."""
    out = copy.deepcopy(base)
    _merge_tree(out, settings_tree(settings))
    return out


def _merge_tree(node: dict[str, Any], tree: dict[str, Any]) -> None:
    """Deep-merge the nested settings ``tree`` into ``node`` in place (a distribution is replaced whole)."""
    for key, value in tree.items():
        if isinstance(value, dict) and isinstance(node.get(key), dict) and "dist" not in value:
            _merge_tree(node[key], value)
        else:
            node[key] = value


@dataclass(frozen=True)
class Parameter:
    """One swept quantity: a value applied to one or more key paths at once."""

    name: str
    keys: tuple[str, ...]
    kind: str
    """``"int"`` (values are rounded to whole numbers) or ``"float"``."""
    low: float | None = None
    high: float | None = None
    levels: tuple[float, ...] | None = None
    """Grid levels (given, or ``steps`` evenly spaced over the range)."""

    def apply(self, value: float) -> int | float:
        """The value put into the scenario: rounded for integer fields."""
        return int(round(value)) if self.kind == "int" else float(value)

    def settings(self, value: float) -> dict[str, Any]:
        """Key-path settings that put ``value`` into every target key."""
        v = self.apply(value)
        return {k: v for k in self.keys}


@dataclass(frozen=True)
class Design:
    """The sampling plan."""

    kind: str
    samples: int | None
    """Base samples N: Latin hypercube points; Sobol N (runs N·(D+2), or N·(2D+2) with second order);
    Morris trajectories (N·(D+1) points). None for a grid."""
    seed: int
    levels: int = 4
    """Morris grid levels."""
    second_order: bool = False


@dataclass
class SweepSpec:
    """A validated sweep: everything needed to run it, and its design matrix."""

    path: Path
    text: str
    name: str
    description: str
    base_path: Path
    base_data: dict[str, Any]
    """The resolved base scenario (after ``extends``, defaults and the sweep's days/warm-up)."""
    seed: int
    replications: int
    days: int
    warmup_days: int
    metrics: tuple[str, ...]
    design: Design
    parameters: tuple[Parameter, ...]
    matrix: np.ndarray = field(repr=False)
    """The design as sampled: one row per point, one column per parameter (before rounding)."""
    replications_flag: bool = False
    """Whether ``replications`` came from the command line (``-n``), not the file (for messages)."""
    warmup_dropped: int = 0
    """The base scenario's warm-up, when it did not fit in a horizon shortened by ``--days`` or the
    sweep file's ``days`` and the runs therefore have none (0 otherwise): said to the user."""

    @property
    def n_points(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def n_runs(self) -> int:
        return self.n_points * self.replications

    def point_values(self, point: int) -> dict[str, int | float]:
        """Parameter values of ``point`` as applied (integers rounded)."""
        row = self.matrix[point]
        return {p.name: p.apply(float(v)) for p, v in zip(self.parameters, row, strict=True)}

    def point_settings(self, point: int) -> dict[str, Any]:
        """Key-path settings of ``point``."""
        out: dict[str, Any] = {}
        for p, v in zip(self.parameters, self.matrix[point], strict=True):
            out.update(p.settings(float(v)))
        return out

    def problem(self) -> dict[str, Any]:
        """The SALib problem (names and bounds; grids use their lowest and highest level)."""
        bounds = []
        for p in self.parameters:
            if p.levels is not None:
                bounds.append([min(p.levels), max(p.levels)])
            else:
                bounds.append([p.low, p.high])
        return {
            "num_vars": len(self.parameters),
            "names": [p.name for p in self.parameters],
            "bounds": bounds,
        }

    def identity(self) -> dict[str, Any]:
        """What makes two sweeps the same sweep (replications may grow; everything else must match)."""
        return {
            "name": self.name,
            "base_digest": base_digest(self.base_data),
            "seed": self.seed,
            "days": self.days,
            "warmup_days": self.warmup_days,
            "metrics": list(self.metrics),
            "design": {
                "kind": self.design.kind,
                "samples": self.design.samples,
                "seed": self.design.seed,
                "levels": self.design.levels,
                "second_order": self.design.second_order,
            },
            "parameters": [
                {
                    "name": p.name,
                    "keys": list(p.keys),
                    "kind": p.kind,
                    "low": p.low,
                    "high": p.high,
                    "levels": None if p.levels is None else list(p.levels),
                }
                for p in self.parameters
            ],
        }

    def sweep_id(self) -> str:
        """A short hash of :meth:`identity`."""
        text = json.dumps(self.identity(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def base_digest(data: dict[str, Any]) -> str:
    """A short hash of a resolved scenario dict."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _iso(v: Any) -> str:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    raise TypeError(f"{type(v).__name__} in a scenario")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(float(v))


def load_sweep(
    path: str | Path,
    *,
    days: int | None = None,
    samples: int | None = None,
    replications: int | None = None,
) -> SweepSpec:
    """Read and check a sweep file; the keyword arguments override the file (command-line flags).

    Raises :class:`SweepError` naming every problem found, one line each, before anything runs.
    """
    path = Path(path)
    src = str(path)
    try:  # read as a scenario file is: 1e400 and 1e-400 quoted as written, Latin-1 named with its line
        text = read_text(path, src, what="sweep")
        data = parse_text(text, src)
    except ScenarioError as exc:
        raise SweepError(str(exc)) from None
    problems: list[str] = []

    def bad(key: str, msg: str) -> None:
        problems.append(f"{src}: {key}: {msg}")

    sweep_name = data.get("name", path.stem)
    if not isinstance(sweep_name, str) or not re.fullmatch(r"[\w\-][\w.\-]*", sweep_name):
        bad("name", f"{sweep_name!r} is not allowed; expected letters, digits, '.', '-', '_' (a folder name)")
        sweep_name = "sweep"
    top = {k for k in data if k not in (*_TOP_KEYS, "design", "parameter")}
    for k in sorted(top):
        bad(k, f"unknown key; allowed keys: {', '.join((*_TOP_KEYS, 'design', 'parameter'))}")

    # --- base scenario, days and warm-up -----------------------------------------------------------
    base_rel = data.get("base")
    if not isinstance(base_rel, str):
        raise SweepError(f"{src}: base: expected the base scenario file (a path relative to the sweep file)")
    base_path = (path.parent / base_rel).resolve()
    if not base_path.exists():
        raise SweepError(f"{src}: base: {base_rel!r} not found (looked for {base_path})")
    base_data = _read_base(src, base_rel, base_path)
    # plain JSON data (TOML dates become ISO strings, which the schema reads back), for the manifest
    base_data = json.loads(json.dumps(base_data, ensure_ascii=False, default=_iso))

    def whole(key: str, value: Any, minimum: int, flag: str | None = None) -> int | None:
        if value is None:
            return None
        where = flag or key
        if not _is_int(value) or value < minimum:
            if flag:
                problems.append(f"{flag}: {value!r} is not allowed; expected a whole number >= {minimum}")
            else:
                bad(where, f"{value!r} is not allowed; expected a whole number >= {minimum}")
            return None
        return int(value)

    warmup_dropped = 0
    file_days = whole("days", data.get("days"), 1)
    n_days = whole("days", days, 1, "--days") if days is not None else file_days
    warmup = whole("warmup_days", data.get("warmup_days"), 0)
    if n_days is not None:
        base_data["days"] = n_days
    if warmup is not None:
        base_data["warmup_days"] = warmup
    # keep the warm-up inside a horizon shortened by --days or by the file (as `vardkedja run --days`
    # does); a file that sets both days and warmup_days inconsistently is an error, reported below
    if (
        n_days is not None
        and (warmup is None or days is not None)
        and isinstance(base_data.get("warmup_days"), int)
        and base_data["warmup_days"] >= n_days
    ):
        warmup_dropped = base_data["warmup_days"]
        base_data["warmup_days"] = 0
    try:
        base_scenario = scenario_from_dict(copy.deepcopy(base_data), src)
    except ScenarioError as exc:
        raise SweepError(str(exc)) from None

    seed = data.get("seed", 1)
    if not _is_int(seed) or not 0 <= seed <= SEED_MAX:
        bad("seed", f"{seed!r} is not allowed; expected a whole number in [0, 2**63 - 1]")
        seed = 0
    n_reps = data.get("replications", 1)
    if replications is not None:
        if replications < 1:
            problems.append(f"-n/--replications: {replications} is not allowed; expected a whole number >= 1")
        n_reps = replications
    elif not _is_int(n_reps) or n_reps < 1:
        bad("replications", f"{n_reps!r} is not allowed; expected a whole number >= 1")
        n_reps = 1

    metrics = data.get("metrics", list(METRICS))
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str) for m in metrics):
        bad("metrics", f"{metrics!r} is not allowed; expected a list of metric names")
        metrics = list(METRICS)
    for m in metrics:
        if m not in METRICS:
            bad(f"metrics: {m!r}", f"unknown metric; allowed: {', '.join(METRICS)}")
    if len(set(metrics)) != len(metrics):
        bad("metrics", "a metric is named twice")

    # --- design ----------------------------------------------------------------------------------
    dsec = data.get("design", {})
    if not isinstance(dsec, dict):
        bad("design", "expected a table ([design])")
        dsec = {}
    for k in sorted(set(dsec) - set(_DESIGN_KEYS)):
        bad(f"design.{k}", f"unknown key; allowed keys: {', '.join(_DESIGN_KEYS)}")
    kind = dsec.get("kind", "grid")
    if kind not in DESIGNS:
        bad("design.kind", f"{kind!r} is not allowed; expected one of: {', '.join(DESIGNS)}")
        # the rest of the file is read by its design: checked against a guessed one, it gave lines
        # about grids to a user who wrote "sobel"
        raise SweepError("\n".join(dict.fromkeys(problems)))
    for k, only in (("levels", "morris"), ("second_order", "sobol")):
        if k in dsec and kind != only:
            bad(f"design.{k}", f"a {kind} design does not use {k} (only {only}); remove it")
    n_samples = dsec.get("samples")
    if samples is not None:
        n_samples = samples
        if kind == "grid":
            problems.append("--samples: a grid design has no samples (its points are the levels)")
    if kind == "grid":
        if dsec.get("samples") is not None:
            bad("design.samples", "a grid design has no samples (its points are the levels)")
        n_samples = None
    else:
        key = "--samples" if samples is not None else "design.samples"
        if not _is_int(n_samples) or n_samples < 1:
            msg = f"{n_samples!r} is not allowed; expected a whole number >= 1"
            problems.append(f"{key}: {msg}") if samples is not None else bad(key, msg)
            n_samples = 1
        elif kind == "sobol" and n_samples & (n_samples - 1):
            msg = f"{n_samples} is not allowed; expected a power of 2 (Sobol sequences balance at 2**k)"
            problems.append(f"{key}: {msg}") if samples is not None else bad(key, msg)
    # SALib 1.6 seeds a numpy Generator (any whole number >= 0), so the design takes every seed the
    # sweep does: a sweep seed of 2**32 or more gave "design.seed: ... is not allowed" to a file with no
    # design.seed, even for a grid, which has no random points at all
    design_seed = dsec.get("seed", seed)
    if not _is_int(design_seed) or not 0 <= design_seed <= SEED_MAX:
        bad("design.seed", f"{design_seed!r} is not allowed; expected a whole number in [0, 2**63 - 1]")
        design_seed = 0
    levels = dsec.get("levels", 4)
    if not _is_int(levels) or levels < 2 or (kind == "morris" and levels % 2):
        bad("design.levels", f"{levels!r} is not allowed; expected an even whole number >= 2 (Morris levels)")
        levels = 4
    second = dsec.get("second_order", False)
    if not isinstance(second, bool):
        bad("design.second_order", f"{second!r} is not allowed; expected true or false")
        second = False
    design = Design(kind, n_samples, int(design_seed), int(levels), bool(second))

    # --- parameters ------------------------------------------------------------------------------
    params_raw = data.get("parameter", [])
    if not isinstance(params_raw, list) or not params_raw:
        bad("parameter", "expected at least one [[parameter]] table")
        params_raw = []
    parameters: list[Parameter] = []
    for i, praw in enumerate(params_raw):
        where = f"parameter[{i}]"
        if not isinstance(praw, dict):
            bad(where, "expected a table")
            continue
        for k in sorted(set(praw) - set(_PARAM_KEYS)):
            bad(f"{where}.{k}", f"unknown key; allowed keys: {', '.join(_PARAM_KEYS)}")
        keys = praw.get("keys", [praw["key"]] if "key" in praw else None)
        if "key" in praw and "keys" in praw:
            bad(where, "give key or keys, not both")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            bad(where, 'expected key = "a.key.path" or keys = [...] (the paths --set takes)')
            continue
        empty = [i for i, k in enumerate(keys) if not k.strip()]
        if empty:
            written = f"{where}.key" if "key" in praw else f"{where}.keys[{empty[0]}]"
            bad(written, "is empty; expected a key path such as rules.sip_call_rate (the paths --set takes)")
            continue
        if "name" in praw:
            name = praw["name"]
            if not isinstance(name, str) or not name.strip():
                bad(
                    f"{where}.name",
                    f"{name!r} is not allowed; expected a name (the parameter's column in the rows)",
                )
                continue
        elif len(keys) == 1:
            name = keys[0]
        else:
            bad(where, "a parameter with several keys needs a name")
            continue
        ok = True
        kinds = set()
        for k in keys:
            owned = _not_a_lever(k)
            if owned:
                bad(k, owned)
                ok = False
                continue
            try:
                lv = lever(k, base_data)
            except LeverError as exc:
                bad(k, str(exc))
                ok = False
                continue
            kinds.add("int" if lv.kind is int else "float")
        if not ok:
            continue
        if len(kinds) > 1:
            bad(name, "its keys mix whole-number and decimal fields; split it into two parameters")
            continue
        pkind = kinds.pop()
        rng = praw.get("range")
        lv_list = praw.get("levels")
        steps = praw.get("steps")
        low = high = None
        levels_t: tuple[float, ...] | None = None
        if rng is not None:
            if not isinstance(rng, list) or len(rng) != 2 or not all(_is_number(v) for v in rng):
                bad(f"{name}.range", f"{rng!r} is not allowed; expected [low, high], two finite numbers")
                continue
            low, high = float(rng[0]), float(rng[1])
            if pkind == "int":
                low, high = float(round(low)), float(round(high))
            if low > high:
                bad(f"{name}.range", f"{rng!r} is inverted; expected low < high")
                continue
            if low == high:
                bad(f"{name}.range", f"{rng!r} is empty; expected low < high")
                continue
        if kind == "grid":
            if lv_list is not None:
                if rng is not None or steps is not None:
                    bad(name, "a grid parameter takes levels, or range with steps, not both")
                    continue
                if not isinstance(lv_list, list) or not lv_list or not all(_is_number(v) for v in lv_list):
                    bad(
                        f"{name}.levels",
                        f"{lv_list!r} is not allowed; expected a non-empty list of finite numbers",
                    )
                    continue
                if pkind == "int" and not all(float(v).is_integer() for v in lv_list):
                    bad(f"{name}.levels", f"{lv_list!r} is not allowed; {keys[0]} takes whole numbers")
                    continue
                if len(set(lv_list)) != len(lv_list):
                    bad(f"{name}.levels", f"{lv_list!r} repeats a level")
                    continue
                levels_t = tuple(float(v) for v in lv_list)
            elif rng is not None:
                if not _is_int(steps) or steps < 2:
                    given = "missing" if steps is None else f"{steps!r} is not allowed"
                    default = " (no [design] table: the design is a grid)" if "design" not in data else ""
                    bad(f"{name}.steps", f"{given}; a grid range needs steps >= 2{default}")
                    continue
                grid = np.linspace(low, high, steps)
                if pkind == "int":
                    grid = np.unique(np.round(grid))
                # 12 significant digits: linspace's 0.6000000000000001 as 0.6, so a reader's
                # rows[rows[key] == 0.6] finds the point
                levels_t = tuple(float(f"{v:.12g}") for v in grid)
            else:
                bad(name, "a grid parameter needs levels = [...] or range = [low, high] with steps")
                continue
        else:
            if lv_list is not None or steps is not None:
                bad(name, f"a {kind} design samples a range; give range = [low, high], not levels or steps")
                continue
            if rng is None:
                bad(name, f"a {kind} design needs range = [low, high]")
                continue
        parameters.append(Parameter(name, tuple(keys), pkind, low, high, levels_t))

    names = [p.name for p in parameters]
    for n in sorted({n for n in names if names.count(n) > 1}):
        bad(n, "two parameters share this name")
    for n in sorted(set(names) & (set(ROW_COLUMNS) | set(METRICS))):
        bad(n, "is a column every run's row has already; give the parameter another name")
    # compare the fields the keys name, not their spellings: kommun."Täby".x and kommun.Täby.x are one
    # field, and the second would silently overwrite the first at every point
    fields: dict[tuple[str, ...], str] = {}
    for k in (k for p in parameters for k in p.keys):
        path = parse_key_path(k)
        if path not in fields:
            fields[path] = k
        else:
            first = fields[path]
            bad(k, "set by two parameters" + ("" if first == k else f" (also as {first})"))
    if problems:
        raise SweepError("\n".join(dict.fromkeys(problems)))

    # --- every value the design can take must pass the scenario schema ----------------------------
    def refused(settings: dict[str, Any]) -> str | None:
        """The schema's first problem with ``settings`` (without the file name), or None."""
        try:
            scenario_from_dict(merge_settings(base_data, settings), src)
        except ScenarioError as exc:
            return str(exc).splitlines()[0].removeprefix(f"{src}: ")
        return None

    # one line per parameter (a keys = [...] lever out of range failed once per field), naming the
    # parameter and its key as written (the schema names the field: kommun.Täby.x for kommun."Täby".x)
    for p in parameters:
        for v in p.levels if p.levels is not None else (p.low, p.high):
            why = refused(p.settings(v))
            if why is not None:
                bad_at = f" (with {p.name} = {p.apply(v)})"
                problems.append(f"{src}: {_as_written(why, parameters, bad_at)}")
                break
    if not problems and len(parameters) > 1:  # the corners, for rules that tie values together
        for corner in ("lowest", "highest"):
            merged: dict[str, Any] = {}
            for p in parameters:
                vals = p.levels if p.levels is not None else (p.low, p.high)
                merged.update(p.settings(min(vals) if corner == "lowest" else max(vals)))
            why = refused(merged)
            if why is not None:
                problems.append(
                    f"{src}: {_as_written(why, parameters)} (every parameter at its {corner} value)"
                )
    if problems:
        raise SweepError("\n".join(dict.fromkeys(problems)))
    del base_scenario

    matrix = _sample(design, parameters)
    _check_points(src, base_data, parameters, matrix)
    return SweepSpec(
        path=path,
        text=text,
        name=sweep_name,
        description=str(data.get("description", "")),
        base_path=base_path,
        base_data=base_data,
        seed=int(seed),
        replications=int(n_reps),
        days=int(base_data.get("days", 365)),
        warmup_days=int(base_data.get("warmup_days", 0)),
        metrics=tuple(metrics),
        design=design,
        parameters=tuple(parameters),
        matrix=matrix,
        replications_flag=replications is not None,
        warmup_dropped=warmup_dropped,
    )


def _read_base(src: str, base_rel: str, base_path: Path) -> dict[str, Any]:
    """The scenario the sweep file's ``base`` names, resolved (``extends``, ``[defaults]``) and valid as
    it stands; otherwise :class:`SweepError`, one line naming the sweep file's ``base`` key.

    The scenario's own problems were reported as the sweep file's (``s.toml: hospital: required key is
    missing``, one line per key of a ``pyproject.toml``), which the user looked for in the wrong file.
    """
    where = f"{src}: base: {base_rel!r}"
    if base_path.is_dir():
        raise SweepError(f"{where} is a folder; expected a scenario .toml file")
    try:
        data = resolve_scenario_dict(base_path)
    except ScenarioError as exc:
        raise SweepError(f"{where} is not a scenario: {_first_problem(exc, base_path)}") from None
    unknown = sorted(set(data) - set(Scenario.model_fields))
    if unknown:
        what = " (it is a sweep file)" if {"parameter", "base"} <= set(unknown) else ""
        raise SweepError(
            f"{where} is not a scenario file{what}: it has top-level keys a scenario does not have "
            f"({', '.join(unknown)})"
        )
    try:  # checked as `vardkedja run` checks it, before the sweep's days and warm-up are applied
        scenario_from_dict(copy.deepcopy(data), str(base_path), strict=True)
    except ScenarioError as exc:
        raise SweepError(f"{where} is not a valid scenario: {_first_problem(exc, base_path)}") from None
    return data


def _first_problem(exc: ScenarioError, base_path: Path) -> str:
    """The first line of a scenario error without the base file's name, and how many lines follow."""
    lines = str(exc).splitlines()
    first = lines[0].removeprefix(f"{base_path}: ")
    if len(lines) == 1:
        return first
    validate = f"vardkedja validate {shlex.quote(str(base_path))}"  # pasted as it is shown
    return f"{first} (1 of {len(lines)} problems; {validate} lists them)"


def _not_a_lever(key: str) -> str | None:
    """Why ``key`` (as written) names a top-level setting a sweep parameter may not vary; else None."""
    try:
        head = parse_key_path(key)[0]
    except ScenarioError:
        return None  # lever() says what is wrong with it
    return _NOT_LEVERS.get(head)


def _as_written(why: str, parameters: list[Parameter], otherwise: str = "") -> str:
    """A schema problem (``field.path: message``) with its field named as the sweep file names it.

    The schema joins the field's path with dots (``kommun.Täby.assessor_capacity``); the user wrote
    ``kommun."Täby".assessor_capacity``, and a ``keys = [...]`` lever under its own name. A problem about
    a field no parameter names (a rule tying it to a swept one) gets ``otherwise`` appended.
    """
    for p in parameters:
        for k in p.keys:
            field = ".".join(parse_key_path(k)) + ": "
            if why.startswith(field):
                shown = k if p.name == k else f"{p.name} ({k})"
                return f"{shown}: {why.removeprefix(field)}"
    return why + otherwise


def _check_points(src: str, base: dict[str, Any], parameters: list[Parameter], matrix: np.ndarray) -> None:
    """Validate the scenario of every point of the design; :class:`SweepError` (one line) for the first
    point the schema refuses.

    Range ends and the all-low and all-high corners are checked before sampling; a rule that ties two
    swept values together (``population_65plus`` at most ``population``) can still fail at a point
    inside the ranges, and the sweep would stop there with runs written and never finish.
    """
    # merge_settings as the worker does it, without its costs: each key path parsed once, and the base
    # (plain JSON data) copied by json.loads, four times faster than copy.deepcopy here
    base_text = json.dumps(base, ensure_ascii=False)
    paths = {k: parse_key_path(k) for p in parameters for k in p.keys}
    failed: list[tuple[int, str]] = []
    for i, row in enumerate(matrix):
        tree: dict[str, Any] = {}
        for p, v in zip(parameters, row, strict=True):
            value = p.apply(float(v))
            for k in p.keys:
                *head, last = paths[k]
                node = tree
                for part in head:
                    node = node.setdefault(part, {})
                node[last] = value
        data = json.loads(base_text)
        _merge_tree(data, tree)
        try:
            scenario_from_dict(data, src)
        except ScenarioError as exc:
            failed.append((i, str(exc).splitlines()[0]))
    if failed:
        i, line = failed[0]
        point = zip(parameters, matrix[i], strict=True)
        values = ", ".join(f"{p.name} = {p.apply(float(v))}" for p, v in point)
        why = _as_written(line.removeprefix(f"{src}: "), parameters)
        more = f" ({len(failed)} of {len(matrix)} points fail; this is the first)" if len(failed) > 1 else ""
        raise SweepError(
            f"{src}: point {i} of the design ({values}): {why}{more}; narrow the ranges so that every "
            "combination is allowed"
        )


def _sample(design: Design, parameters: list[Parameter]) -> np.ndarray:
    """The design matrix: one row per point, in the order SALib's analysis expects."""
    if design.kind == "grid":
        rows = list(itertools.product(*(p.levels or () for p in parameters)))
        return np.array(rows, dtype=float).reshape(len(rows), len(parameters))
    problem = {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [[p.low, p.high] for p in parameters],
    }
    n = int(design.samples or 1)
    if design.kind == "lhs":
        from SALib.sample import latin

        return np.asarray(latin.sample(problem, n, seed=design.seed), dtype=float)
    if design.kind == "sobol":
        from SALib.sample import sobol

        return np.asarray(
            sobol.sample(problem, n, calc_second_order=design.second_order, seed=design.seed),
            dtype=float,
        )
    from SALib.sample import morris

    return np.asarray(morris.sample(problem, n, num_levels=design.levels, seed=design.seed), dtype=float)
