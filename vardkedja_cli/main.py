"""The ``vardkedja`` command: run, validate, show and compare scenarios.

Bad input (a scenario file with an unknown key, a wrong type or an impossible value) ends with one line
on stderr naming the file, the key and what is allowed, and exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from runner.experiment import ResultsFolderError
from simulation.scenario import Scenario, ScenarioError, load_scenario, resolve_scenario_dict
from vardkedja_cli.headline import aggregate_headline, headline

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A problem with the command line or its files, reported as one line."""


def _load(path: str, days: int | None = None) -> Scenario:
    overrides: dict[str, Any] = {}
    if days is not None:
        if days < 1:
            raise UsageError(f"--days: {days} is not allowed; expected a whole number >= 1")
        overrides["days"] = days
        # keep the warm-up inside a shortened horizon
        data = resolve_scenario_dict(path)
        warmup = int(data.get("warmup_days", 0))
        if warmup >= days:
            overrides["warmup_days"] = 0
    return load_scenario(path, **overrides)


def _default_folder(scenario: Scenario, name: str | None, seed: int, digest: str) -> Path:
    label = name or f"s{seed}-{digest}"
    if not re.fullmatch(r"[\w.\-]+", label):
        raise UsageError(f"--name: {label!r} is not allowed; expected letters, digits, '.', '-', '_'")
    return Path("results") / scenario.name / label


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario (with replications) and write its results."""
    from runner.experiment import run_experiment, scenario_digest

    if args.replications < 1:
        raise UsageError(f"--replications: {args.replications} is not allowed; expected >= 1")
    if args.jobs < 1:
        raise UsageError(f"--jobs: {args.jobs} is not allowed; expected >= 1")
    scenario = _load(args.scenario, args.days)
    seed = scenario.seed if args.seed is None else args.seed
    if seed < 0:
        raise UsageError(f"--seed: {seed} is not allowed; expected a whole number >= 0")
    folder = (
        Path(args.out) if args.out else _default_folder(scenario, args.name, seed, scenario_digest(scenario))
    )
    bar = _Bar(args.replications)
    try:
        result = run_experiment(scenario, folder, args.replications, seed, args.jobs, progress=bar.update)
    except KeyboardInterrupt:
        bar.close()
        print(
            f"interrupted: finished replications are kept in {folder}; "
            "run the same command again to finish the rest",
            file=sys.stderr,
        )
        return 130
    finally:
        bar.close()
    if args.replications == 1:
        print(headline(result.summary))
    else:
        print(aggregate_headline(result.summary))
    if not args.no_plots:
        from vardkedja_cli.figures import run_figures

        run_figures(folder)
    print(f"results: {folder}")
    return 0


class _Bar:
    def __init__(self, total: int) -> None:
        self.total = total
        self._bar: Any = None
        if total > 1:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="rep", desc="replications", file=sys.stderr, disable=None)

    def update(self, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.n = done
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario files without running them."""
    bad = 0
    for path in args.scenarios:
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            bad += 1
        else:
            print(
                f"{path}: ok ({s.name}: {len(s.kommun)} kommuner, {len(s.vardcentral)} "
                f"vårdcentraler, {len(s.ward)} wards, {sum(w.beds for w in s.ward.values())} beds)"
            )
    return EXIT_BAD_INPUT if bad else 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the fully resolved scenario (after inheritance and defaults)."""
    scenario = load_scenario(args.scenario)
    # None means "off" and is the default wherever it is allowed, so it is left out.
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(_to_toml(data))
    return 0


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return v
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if v is None:
        return '"none"'
    raise TypeError(type(v))


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_\-]+", k) else json.dumps(k, ensure_ascii=False)


def _to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Render resolved scenario data as TOML: plain keys first, then arrays of tables, then tables."""
    scalars: list[str] = []
    arrays: list[str] = []
    tables: list[str] = []
    for k, v in data.items():
        name = f"{prefix}{_toml_key(k)}"
        if (
            isinstance(v, dict)
            and "dist" not in v
            and v
            and any(isinstance(x, (dict, list)) for x in v.values())
        ):
            tables += ["", f"[{name}]", _to_toml(v, name + ".")]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for item in v:
                arrays += ["", f"[[{name}]]"]
                arrays += [f"{_toml_key(a)} = {_toml_value(b)}" for a, b in item.items()]
        else:
            scalars.append(f"{_toml_key(k)} = {_toml_value(v)}")
    return "\n".join(scalars + arrays + tables).strip("\n")


def cmd_compare(args: argparse.Namespace) -> int:
    """Run several scenarios with common random numbers and compare them side by side."""
    from vardkedja_cli.compare import compare

    if args.replications < 1:
        raise UsageError(f"--replications: {args.replications} is not allowed; expected >= 1")
    scenarios = [_load(p, args.days) for p in args.scenarios]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise UsageError(f"compare: scenario names must differ, got {', '.join(names)}")
    seed = args.seed if args.seed is not None else scenarios[0].seed
    out = (
        Path(args.out)
        if args.out
        else Path("results") / "compare" / ("-vs-".join(names) + f"-s{seed}-n{args.replications}")
    )
    compare(scenarios, out, args.replications, seed, args.jobs, plots=not args.no_plots)
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit the baseline (optional) and write docs/calibration.md."""
    from runner.calibration import fit_support_share, set_fitted_value, write_calibration_doc

    scenario_dir = Path(args.scenario_dir)
    trace = None
    if args.fit:
        base = load_scenario(scenario_dir / "nordost-2019.toml")
        value, trace = fit_support_share(base, args.replications, args.seed, args.jobs)
        set_fitted_value(scenario_dir / "nordost-2019.toml", value)
        print(f"fitted patients.kommun_support.none = {value}")
    out = write_calibration_doc(scenario_dir, Path(args.out), args.replications, args.seed, args.jobs, trace)
    for (name, key), ok in out["verdicts"].items():
        print(f"{name:22s} {key:28s} {'in range' if ok else 'OUT OF RANGE'}")
    print(f"calibration document: {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(
        prog="vardkedja",
        description="Simulate the Swedish discharge chain for older patients (LUS).",
    )
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a scenario and write its results")
    r.add_argument("scenario", help="scenario TOML file")
    r.add_argument("--seed", type=int, help="base seed (default: the scenario's seed)")
    r.add_argument("--days", type=int, help="simulate this many days instead")
    r.add_argument("--replications", "-n", type=int, default=1, help="independent replications")
    r.add_argument("--jobs", "-j", type=int, default=1, help="worker processes")
    r.add_argument("--out", help="results folder (default results/<scenario>/<name>)")
    r.add_argument("--name", help="run name inside results/<scenario>/ (default from seed+scenario)")
    r.add_argument("--no-plots", action="store_true", help="skip the figures")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check scenario files without running them")
    v.add_argument("scenarios", nargs="+")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("show", help="print the fully resolved scenario")
    s.add_argument("scenario")
    s.add_argument("--format", choices=("toml", "json"), default="toml")
    s.set_defaults(func=cmd_show)

    c = sub.add_parser("compare", help="compare scenarios side by side (common random numbers)")
    c.add_argument("scenarios", nargs="+", help="two or more scenario files; the first is the base")
    c.add_argument("--seed", type=int)
    c.add_argument("--days", type=int)
    c.add_argument("--replications", "-n", type=int, default=10)
    c.add_argument("--jobs", "-j", type=int, default=1)
    c.add_argument("--out", help="comparison folder (default results/compare/<names>)")
    c.add_argument("--no-plots", action="store_true")
    c.set_defaults(func=cmd_compare)

    k = sub.add_parser("calibrate", help="fit the baseline and write docs/calibration.md")
    k.add_argument("--fit", action="store_true", help="refit patients.kommun_support.none first")
    k.add_argument("--replications", "-n", type=int, default=10)
    k.add_argument("--seed", type=int, default=2019)
    k.add_argument("--jobs", "-j", type=int, default=1)
    k.add_argument("--scenario-dir", default="scenarios")
    k.add_argument("--out", default="docs/calibration.md")
    k.set_defaults(func=cmd_calibrate)

    from vardkedja_cli.sweep_cmd import add_commands as add_sweep_commands

    add_sweep_commands(sub)  # sweep, analyze
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``vardkedja`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ScenarioError, UsageError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ResultsFolderError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
