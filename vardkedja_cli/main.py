"""The ``vardkedja`` command: run, validate, show and compare scenarios; sweeps; the teaching app.

Bad input (a scenario file with an unknown key, a wrong type or an impossible value; an argument out
of range; a results folder that cannot take the run) ends with one line on stderr naming the file or
option, the key as written and what is allowed, and exit code 2 — never a traceback, and nothing
written. Heavy libraries (pandas, matplotlib, scipy, Mesa) are imported only by the commands that
need them, so ``--help``, ``--version`` and ``validate`` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from simulation.scenario import Scenario

# pydantic scans every installed package's entry points for its plugins when the first scenario class
# is made: about 50 ms of a 0.3 s `validate`, for plugins vardkedja does not use. Setting
# PYDANTIC_DISABLE_PLUGINS to anything else (even empty) before starting vardkedja loads them again.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_BAD_INPUT = 2
MAX_SEED = 2**63 - 1  # simulation.scenario.MAX_SEED (not imported: --help stays light)
MAX_DAYS = 36_500  # simulation.distributions.MAX_DAYS
MAX_REPLICATIONS = 10_000  # runner.experiment.MAX_REPLICATIONS


class UsageError(Exception):
    """A problem with the command line or its files, reported as one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (not the usage block) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default, unless it says the default itself or has none."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=100)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return super()._get_help_string(action) or text


def _path(text: str) -> str:
    """A path argument (``--out``): an empty one (an unset shell variable) is refused, not taken
    as the default."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty; give a path, or leave the option out for its default")
    return text


def _whole(low: int, high: int, what: str = "a whole number") -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not allowed; expected {what} from {low} to {high}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not allowed; expected {what} from {low} to {high}")
        return value

    return parse


def _safe_name(text: str) -> str:
    from simulation.scenario import NAME_RULE, check_name

    try:
        return check_name(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; expected {NAME_RULE}") from None


# ---------------------------------------------------------------------------------------------
# Loading scenarios with --days and --set


def _load(
    path: str,
    days: int | None = None,
    settings: list[str] | None = None,
    notes: list[tuple[str, dict[str, Any]]] | None = None,
) -> Scenario:
    """Load a scenario file with ``--days`` and ``--set`` applied.

    Errors in the file name the file; errors a ``--set`` introduced name ``--set <key>``. What the
    user should know about a valid result (a warm-up dropped by a short ``--days``) is appended to
    ``notes`` (a message key and its fields), for the command to print with its result.
    """
    from simulation.scenario import ScenarioError, load_scenario, resolve_scenario_dict, settings_tree

    settings = settings or []
    try:
        tree = settings_tree(settings)
    except ScenarioError as exc:
        msg = str(exc)
        raise UsageError(msg if msg.startswith("--set") else f"--set {msg}") from None
    overrides: dict[str, Any] = {}
    if days is not None:
        overrides["days"] = days
        # keep the warm-up inside a shortened horizon
        data = resolve_scenario_dict(path, tree)
        warmup = data.get("warmup_days", 0)
        if isinstance(warmup, int) and warmup >= days:
            overrides["warmup_days"] = 0
            if notes is not None:
                notes.append(("term.no_warmup", {"path": path, "days": days, "warmup": warmup}))
    if not settings:
        return load_scenario(path, **overrides)
    load_scenario(path, **overrides)  # the file's own problems, named as the file's
    _known_organisations(path, settings)
    try:
        return load_scenario(path, settings, **overrides)
    except ScenarioError as exc:
        lines = [_blame_setting(line, path, settings) for line in str(exc).splitlines()]
        raise UsageError("\n".join(lines)) from None


def _known_organisations(path: str, settings: list[str]) -> None:
    """Refuse a ``--set`` that names an organisation the scenario does not have.

    ``--set kommun.Taby.population=1000`` (for Täby) made a new kommun and was then refused for the
    keys it lacked ("kommun.Taby.population_65plus: required key is missing"); a key a new kommun
    did not need made one silently. Organisations are added in a scenario file, where all their
    keys are written together.
    """
    import unicodedata

    from simulation.organisation_specs import ORGANISATION_TABLES
    from simulation.parameters import closest, one_of
    from simulation.scenario import parse_key_path, resolve_scenario_dict

    data = resolve_scenario_dict(path)
    for text in settings:
        written = unicodedata.normalize("NFC", text.partition("=")[0].strip())
        keys = parse_key_path(written)
        table = data.get(keys[0]) if keys[0] in ORGANISATION_TABLES else None
        if len(keys) < 2 or not isinstance(table, dict) or keys[1] in table:
            continue
        close = closest(keys[1], table)  # case and accents folded: "taby" finds "Täby"
        hint = f" (did you mean {close!r}?)" if close else ""
        raise UsageError(
            f"--set {written}: {path} has no {keys[0]} {keys[1]!r}{hint}; expected {one_of(table)} "
            "(a new organisation is added in a scenario file)"
        )


def _blame_setting(line: str, path: str, settings: list[str]) -> str:
    """Rewrite ``<file>: key.path: problem`` as ``--set <key as written>: problem``."""
    from simulation.scenario import parse_key_path

    rest = line[len(path) + 2 :] if line.startswith(f"{path}: ") else line
    key, _, problem = rest.partition(": ")
    for text in reversed(settings):
        written = text.partition("=")[0].strip()
        dotted = ".".join(parse_key_path(written))
        if key == dotted:
            return f"--set {written}: {problem}"
        # a problem inside what the setting wrote, or at a part of its path (--set nonexistent.x=1)
        if key.startswith((dotted + ".", dotted + "[")) or dotted.startswith(key + "."):
            return f"--set {written}: {rest}"
    return f"{path} with --set {' '.join(settings)}: {rest}"


def cores() -> int:
    """The cores this process may run on (a batch system's allocation, not the whole machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1  # pragma: no cover - macOS, Windows


def _jobs(requested: int | None, what: str = "--jobs", lang: str = "en") -> int:
    """``--jobs`` as given, cut to the cores with a note; not given: every core."""
    cores_here = cores()
    if requested is None:
        return cores_here
    if requested > cores_here:
        from vardkedja_cli.i18n import t

        word = t(lang, "term.core" if cores_here == 1 else "term.cores")
        note = t(lang, "term.jobs_cut", what=what, requested=requested, n=cores_here, cores=word)
        print(note, file=sys.stderr)
        return cores_here
    return requested


def _notes_on_degenerate(scenario: Scenario, lang: str = "en") -> list[str]:
    """Settings that run but give figures that look like a failure (one line each, in ``lang``)."""
    from vardkedja_cli.i18n import t

    notes = []
    stuck = sorted(n for n, w in scenario.ward.items() if w.coordinator_capacity == 0)
    if stuck:
        forced = scenario.rules.forced_discharge
        how = t(
            lang,
            "term.no_coordinator_forced"
            if forced.max_wait_days is not None or forced.bed_pressure_occupancy is not None
            else "term.no_coordinator_never",
        )
        shown = ", ".join(stuck[:3]) + (", ..." if len(stuck) > 3 else "")
        notes.append(t(lang, "term.no_coordinator", n=len(stuck), shown=shown, how=how))
    return notes


# ---------------------------------------------------------------------------------------------
# Commands


def _default_folder(scenario: Scenario, name: str | None, seed: int, digest: str) -> Path:
    root = Path("results").resolve()
    folder = (root / scenario.name / (name or f"s{seed}-{digest}")).resolve()
    if not folder.is_relative_to(root):  # names are checked; this is the belt to those braces
        raise UsageError(f"--name: {name!r} would write outside {root}")
    return Path("results") / scenario.name / (name or f"s{seed}-{digest}")


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario (with replications) and write its results."""
    from runner.experiment import check_destination, remove_abandoned_swaps, run_experiment, scenario_digest

    if args.out and args.name:  # --name was ignored without a word
        raise UsageError("--name: not used with --out, which names the folder itself; give one of them")
    notes: list[tuple[str, dict[str, Any]]] = []
    scenario = _load(args.scenario, args.days, args.set, notes)
    seed = scenario.seed if args.seed is None else args.seed
    digest = scenario_digest(scenario)
    folder = Path(args.out) if args.out else _default_folder(scenario, args.name, seed, digest)
    remove_abandoned_swaps(Path(os.path.realpath(folder)).parent)  # before the check: it may put one back
    check_destination(folder, digest, seed)
    jobs = _jobs(args.jobs, lang=getattr(args, "lang", "en"))
    for note in _notes_on_degenerate(scenario, args.lang):
        print(note, file=sys.stderr)
    bar = _Bar(args.replications, args.lang)
    workers = None
    while_running = None
    if not args.no_plots and args.replications < jobs:
        from vardkedja_cli.figures import prepare_workers

        # A core has no replication to run: a process forked now imports matplotlib there while this
        # one simulates (see figures.draw).
        workers = prepare_workers(jobs, intervals=args.replications > 1)
    elif not args.no_plots and jobs > 1:
        from vardkedja_cli.figures import import_drawing

        # Every core runs replications: a process importing matplotlib beside them would take its
        # time from theirs, and import pandas and pyarrow again. This process, which only waits for
        # the workers, imports it once; the figures' processes are forked from it afterwards.
        while_running = import_drawing

    def before_publish(staging: Path) -> None:
        from functools import partial

        from vardkedja_cli.breakdown import write_breakdowns

        if args.no_plots:
            write_breakdowns(staging, lang=args.lang)
            return
        from vardkedja_cli.figures import run_figures

        # the tables per kommun and hospital are written while other processes draw the figures
        tables = partial(write_breakdowns, staging, lang=args.lang)
        run_figures(staging, args.lang, args.svg, jobs, tables, workers)

    try:
        result = run_experiment(
            scenario,
            folder,
            args.replications,
            seed,
            jobs,
            progress=bar.update,
            before_publish=before_publish,
            while_running=while_running,
        )
    except KeyboardInterrupt:
        return _interrupted(args, folder, bar)
    finally:
        bar.close()
        if workers is not None:
            workers.close()
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    from vardkedja_cli.headline import aggregate_headline, headline
    from vardkedja_cli.i18n import t

    for key, fields in notes:  # said with the result, never before an error
        print(t(args.lang, key, **fields), file=sys.stderr)

    if result.reused == 1 == args.replications:  # not "reused 1 of 1 replications"
        print(t(args.lang, "term.reused_one"), file=sys.stderr)
    elif result.reused:
        reused = t(args.lang, "term.reused", reused=result.reused, n=args.replications, ran=result.ran)
        print(reused, file=sys.stderr)

    if args.replications == 1:
        print(headline(result.summary, args.lang))
    else:
        print(aggregate_headline(result.summary, args.lang))
    print(t(args.lang, "term.results", folder=folder))
    return 0


def _interrupted(args: argparse.Namespace, folder: Path, bar: _Bar) -> int:
    """Ctrl-C during a run or comparison into ``folder``: say what is kept for the same command."""
    bar.close()
    from runner.experiment import kept_replications
    from vardkedja_cli.i18n import t

    said = "term.interrupted" if kept_replications(folder) else "term.interrupted_early"
    print(t(args.lang, said, folder=folder), file=sys.stderr)
    return 130


class _Bar:
    """The replications' progress bar on stderr, labelled in ``lang`` (off when stderr is not a terminal)."""

    def __init__(self, total: int, lang: str = "en") -> None:
        self.total = total
        self._bar: Any = None
        if total > 1 and sys.stderr is not None:  # None: started with stderr closed (2>&-)
            from tqdm import tqdm

            from vardkedja_cli.i18n import t

            unit, desc = t(lang, "term.bar_unit"), t(lang, "term.bar")
            self._bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=None)

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
    from simulation.scenario import ScenarioError, load_scenario

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
    """Print the fully resolved scenario (after inheritance and defaults), marking the values that
    something overrides and those ``--set`` changed (:mod:`vardkedja_cli.show`)."""
    from vardkedja_cli.show import as_json, as_toml, set_paths

    scenario = _load(args.scenario, None, args.set)
    changed = set_paths(scenario, _load(args.scenario), args.set) if args.set else []
    # None means "off" and is the default wherever it is allowed, so it is left out.
    if args.format == "json":
        print(as_json(scenario, changed))
    else:
        print(as_toml(scenario, changed), end="")
    return 0


def _compare_folder(scenarios: list[Scenario], seed: int, n: int, settings: list[str]) -> Path:
    """A new folder under results/compare: an earlier comparison is never overwritten.

    The name carries the days simulated, always (as it carries the seed and replications, whether
    given or not): a 30-day comparison and a year's were ``…-n10`` and ``…-n10-2``, read as the same
    comparison made twice, and a year's comparison took up the staging folder an interrupted 30-day
    one had left under the same name (discarding its runs).

    With ``--set`` it also carries ``-set<digest>``, 8 hex digits of the scenarios as the settings
    made them: comparisons with different settings were ``…-d365`` and ``…-d365-2``, told apart by
    nothing but the order they ran in. The digest is of the resolved scenarios, not of the words
    given, so ``rules.sip_call_rate=0.9`` and ``rules.sip_call_rate = 0.90`` name the same folder.
    """
    import hashlib

    names = [s.name for s in scenarios]
    label = "-vs-".join(names)
    if len(label) > 120:  # file names have a limit (255 bytes); keep it readable and unique
        label = f"{names[0]}-vs-{len(names) - 1}-others-{hashlib.sha256(label.encode()).hexdigest()[:8]}"
    name = f"{label}-s{seed}-n{n}-d{scenarios[0].days}"
    if settings:
        from runner.experiment import scenario_sha256

        resolved = "\n".join(scenario_sha256(s) for s in scenarios)
        name += f"-set{hashlib.sha256(resolved.encode()).hexdigest()[:8]}"
    base = Path("results") / "compare" / name
    folder, k = base, 1
    while folder.exists():
        k += 1
        folder = base.with_name(f"{base.name}-{k}")
    return folder


def cmd_compare(args: argparse.Namespace) -> int:
    """Run several scenarios with common random numbers and compare them side by side."""
    if len(args.scenarios) < 2:
        raise UsageError(
            f"compare: {len(args.scenarios)} scenario given; expected two or more "
            "(the first is the base; use 'vardkedja run' for one)"
        )
    notes: list[tuple[str, dict[str, Any]]] = []
    scenarios = [_load(p, args.days, args.set, notes) for p in args.scenarios]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise UsageError(f"compare: scenario names must differ, got {', '.join(names)}")
    if len({(s.days, s.warmup_days) for s in scenarios}) > 1:
        # totals over 200 days against totals over 365 read as a change the rules made
        periods = "; ".join(f"{s.name}: {s.days} days, warm-up {s.warmup_days}" for s in scenarios)
        raise UsageError(
            f"compare: the scenarios measure periods of different length ({periods}); give --days D "
            "to run them all over D days, or make days and warmup_days the same in the files"
        )
    seed = args.seed if args.seed is not None else scenarios[0].seed
    jobs = _jobs(args.jobs, lang=getattr(args, "lang", "en"))
    from runner.experiment import check_destination, remove_abandoned_swaps

    replace = False
    if args.out:
        out = Path(args.out)
        # before --out is judged: a compare --force killed while replacing it left the earlier comparison
        # beside it, and may have left --out without one; it goes back, and --force replaces it
        remove_abandoned_swaps(Path(os.path.realpath(out)).parent)
        if out.exists() and not out.is_dir():
            raise UsageError(f"--out: {out} exists and is not a folder; choose another --out")
        if out.is_dir() and any(out.iterdir()):
            if not args.force:
                raise UsageError(
                    f"--out: {out} holds an earlier comparison or other files; choose another --out "
                    "or add --force to replace it"
                )
            # comparison.csv is a comparison's alone (a run folder has a summary.json too)
            if not (out / "comparison.csv").is_file():
                raise UsageError(f"--out: {out} is not a comparison folder; --force replaces only those")
            replace = True  # once the new comparison is complete
    else:
        out = _compare_folder(scenarios, seed, args.replications, list(args.set or []))
        # what a run killed while replacing a folder here left (a comparison's own runs: run_experiment)
        remove_abandoned_swaps(Path(os.path.realpath(out)).parent)
    if not replace:
        check_destination(out)
    from vardkedja_cli.compare import compare

    bar = _Bar(len(scenarios) * args.replications, args.lang)
    workers = None
    while_running = None
    if not args.no_plots and args.replications < jobs:
        from vardkedja_cli.figures import prepare_workers

        # imports matplotlib while the replications run, on a core they leave idle
        workers = prepare_workers(jobs, intervals=args.replications > 1)
    elif not args.no_plots and jobs > 1:
        from vardkedja_cli.figures import import_drawing

        # every core runs replications: imported here while this process waits for them (see cmd_run)
        while_running = import_drawing
    try:
        compare(
            scenarios,
            out,
            args.replications,
            seed,
            jobs,
            not args.no_plots,
            args.lang,
            args.svg,
            bar.update,
            settings=list(args.set or []),
            workers=workers,
            finished=bar.close,
            while_running=while_running,
        )
    except KeyboardInterrupt:
        return _interrupted(args, out, bar)
    finally:
        bar.close()
        if workers is not None:
            workers.close()
    from vardkedja_cli.i18n import t

    for key, fields in notes:  # said with the result, never before an error
        print(t(args.lang, key, **fields), file=sys.stderr)
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit the baseline (optional) and write docs/calibration.md (in ``--lang``)."""
    from tqdm import tqdm

    from runner.calibration import (
        FITTED_KEY,
        PROGRESS,
        fit_support_share,
        run_calibration,
        set_fitted_value,
    )
    from simulation.scenario import load_scenario
    from vardkedja_cli.calibration_doc import write_calibration_doc
    from vardkedja_cli.i18n import t

    lang = args.lang
    scenario_dir = Path(args.scenario_dir)
    jobs = _jobs(args.jobs, lang=lang)
    trace = None
    unit, desc = t(lang, "cal.term.bar_unit"), t(lang, "cal.term.bar")
    bar = tqdm(unit=unit, desc=desc, file=sys.stderr, disable=None)
    PROGRESS.append(bar.update)
    if args.fit:
        base = load_scenario(scenario_dir / "nordost-2019.toml")
        value, trace = fit_support_share(base, args.replications, args.seed, jobs)
        set_fitted_value(scenario_dir / "nordost-2019.toml", value)
        print(t(lang, "cal.term.fitted", param=FITTED_KEY, value=value))
    cal = run_calibration(scenario_dir, args.replications, args.seed, jobs)
    write_calibration_doc(cal, Path(args.out), lang, trace)
    from vardkedja_cli.calibration_figures import dose_response_figure

    figure = Path(args.out).parent / "figures" / "relationship-dose-response.png"
    dose_response_figure(cal.dose, figure, lang)
    PROGRESS.remove(bar.update)
    bar.close()
    for (name, key), ok in cal.verdicts.items():
        print(f"{name:22s} {key:28s} {t(lang, 'cal.term.in_range' if ok else 'cal.term.out_of_range')}")
    print(t(lang, "cal.term.document", path=args.out))
    return 0


def _add_lang_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--lang", choices=("en", "sv"), default="en", help=f"language of {what}")


def _add_output_options(p: argparse.ArgumentParser) -> None:
    _add_lang_option(p, "the terminal, headline, figures and (compare) report")
    p.add_argument("--svg", action="store_true", help="also write figures as SVG (PNG always)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vardkedja")
    except PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked (importlib.metadata costs a third of --help's start)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"vardkedja {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = _Parser(
        prog="vardkedja",
        description="Simulate the Swedish discharge chain for older patients (LUS).",
        formatter_class=_Help,
    )
    p.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    seed = _whole(0, MAX_SEED)
    days = _whole(1, MAX_DAYS)
    reps = _whole(1, MAX_REPLICATIONS)
    jobs = _whole(1, 10_000)
    jobs_help = f"worker processes, at most the cores (default: every core, {cores()} here)"
    set_help = "change one value of the scenario, e.g. --set rules.sip_call_rate=0.9 (repeatable)"

    r = sub.add_parser("run", help="run a scenario and write its results", formatter_class=_Help)
    r.add_argument("scenario", help="scenario TOML file")
    r.add_argument("--seed", type=seed, help="base seed (default: the scenario's seed)")
    r.add_argument("--days", type=days, help="simulate this many days instead (default: the scenario's)")
    r.add_argument("--set", action="append", default=[], metavar="KEY.PATH=VALUE", help=set_help)
    r.add_argument("--replications", "-n", type=reps, default=1, help="independent replications")
    r.add_argument("--jobs", "-j", type=jobs, help=jobs_help)
    r.add_argument("--out", type=_path, help="results folder (default: results/<scenario>/<name>)")
    r.add_argument(
        "--name", type=_safe_name, help="run name inside results/<scenario>/ (default: s<seed>-<digest>)"
    )
    r.add_argument("--no-plots", action="store_true", help="skip the figures")
    _add_output_options(r)
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check scenario files without running them", formatter_class=_Help)
    v.add_argument("scenarios", nargs="+", help="scenario TOML files")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("show", help="print the fully resolved scenario", formatter_class=_Help)
    s.add_argument("scenario", help="scenario TOML file")
    s.add_argument("--set", action="append", default=[], metavar="KEY.PATH=VALUE", help=set_help)
    s.add_argument(
        "--format",
        choices=("toml", "json"),
        default="toml",
        help="output format; a value something overrides, or that --set changed, is marked: in TOML by "
        'a comment after it, in JSON under the top-level key "_notes"',
    )
    s.set_defaults(func=cmd_show)

    c = sub.add_parser(
        "compare", help="compare scenarios side by side (common random numbers)", formatter_class=_Help
    )
    c.add_argument("scenarios", nargs="+", help="two or more scenario files; the first is the base")
    c.add_argument("--seed", type=seed, help="base seed (default: the first scenario's seed)")
    c.add_argument("--days", type=days, help="simulate this many days instead (default: the scenarios')")
    c.add_argument(
        "--set", action="append", default=[], metavar="KEY.PATH=VALUE", help=set_help + ", every scenario"
    )
    c.add_argument("--replications", "-n", type=reps, default=10, help="replications per scenario")
    c.add_argument("--jobs", "-j", type=jobs, help=jobs_help)
    c.add_argument(
        "--out",
        type=_path,
        help="comparison folder (default: a new folder results/compare/<names>-s<seed>-n<n>-d<days>, "
        "and -set<digest> of the scenarios as --set made them)",
    )
    c.add_argument("--force", action="store_true", help="replace an earlier comparison in --out")
    c.add_argument("--no-plots", action="store_true", help="skip the figures")
    _add_output_options(c)
    c.set_defaults(func=cmd_compare)

    k = sub.add_parser(
        "calibrate", help="fit the baseline and write docs/calibration.md", formatter_class=_Help
    )
    k.add_argument("--fit", action="store_true", help="refit relationships.support_start_days_weak first")
    k.add_argument("--replications", "-n", type=reps, default=10, help="replications per evaluation")
    k.add_argument("--seed", type=seed, default=2019, help="base seed")
    k.add_argument("--jobs", "-j", type=jobs, help=jobs_help)
    k.add_argument("--scenario-dir", default="scenarios", help="folder with nordost-2019.toml and variants")
    k.add_argument("--out", type=_path, default="docs/calibration.md", help="calibration document to write")
    _add_lang_option(k, "the calibration document, its figure and the terminal")
    k.set_defaults(func=cmd_calibrate)

    from vardkedja_cli.app_cmd import add_command as add_app_command
    from vardkedja_cli.sweep_cmd import add_commands as add_sweep_commands

    add_app_command(sub)  # app

    add_sweep_commands(sub)  # sweep, analyze
    p._sweep_func = sub.choices["sweep"].get_default("func")  # type: ignore[attr-defined]
    return p


# Commands that leave nothing for the interpreter's exit to do: every file written and closed, every
# worker process joined (not `sweep`, whose Dask client and semaphores have exit handlers, nor `app`).
_QUICK_EXIT = {"run", "compare", "calibrate", "validate", "show"}
_finished: list[str] = []  # the command :func:`_main` ran to its end, for :func:`entry`


def entry() -> None:
    """The ``vardkedja`` console script: :func:`main`, then out without tearing the interpreter down.

    After a run, the interpreter's own exit (freeing pandas', pyarrow's and matplotlib's objects one
    by one, for a process about to end) took about 0.2 s here, a tenth of the command. After the
    commands in ``_QUICK_EXIT`` there is nothing else left to do at exit: the output streams are
    flushed, and the process ends at once with its exit code.
    """
    if sys.stdout is not None:  # None: started with stdout closed (>&-)
        sys.stdout = _NamedStream(sys.stdout, "standard output")
    if sys.stderr is None:  # started with stderr closed (2>&-): print(file=None) wrote into stdout
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    code = main()
    if _finished and _finished[-1] in _QUICK_EXIT:
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:  # None: started with it closed
                    stream.flush()
            except (OSError, ValueError):  # a reader that left: the interpreter's exit says nothing either
                pass
        os._exit(code)
    sys.exit(code)


class _NamedStream:
    """A text stream whose write errors name it: ``vardkedja run > /dev/full`` says "standard output:
    No space left on device" rather than an error that reads as if the results were not written. A
    closed pipe stays a :class:`BrokenPipeError` (``| head``: a quiet exit)."""

    def __init__(self, stream: Any, name: str) -> None:
        self._stream = stream
        self._name = name

    def _named(self, exc: OSError) -> OSError:
        if isinstance(exc, BrokenPipeError) or exc.filename:
            return exc
        return OSError(exc.errno, exc.strerror, self._name)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._named(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._named(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``vardkedja`` command (in-process: tests and scripts call it)."""
    try:
        code = _main(argv)
        if sys.stdout is not None:  # None: started with stdout closed (>&-)
            sys.stdout.flush()  # a closed pipe shows here, not as a message at interpreter exit
        return code
    except BrokenPipeError:
        # `vardkedja ... | head`: the reader left. Say nothing more, exit quietly (as head expects).
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor (tests)
            pass
        return 0


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] == "sweep":  # its own sub-commands and --help (argparse would take --help)
            args = argparse.Namespace(func=parser._sweep_func, rest=argv[1:], command="sweep")
        else:
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a one-line argument error
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    from simulation.scenario import ScenarioError

    try:
        code = int(args.func(args))
        _finished.append(args.command)
        return code
    except (ScenarioError, UsageError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        from runner.experiment import ResultsFolderError

        if not isinstance(exc, ResultsFolderError):
            raise
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"vardkedja {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        # A worker killed from outside (the OOM killer, kill -9): the pool can do no more work. Every
        # replication, sweep run or figure finished before it is on disk or redone by the next run.
        # (concurrent.futures is imported only here: `validate` and `--help` never need it.)
        from concurrent.futures import BrokenExecutor

        if not isinstance(exc, BrokenExecutor):
            raise
        from vardkedja_cli.i18n import t

        print(t(getattr(args, "lang", "en"), "term.worker_died", command=args.command), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    entry()
