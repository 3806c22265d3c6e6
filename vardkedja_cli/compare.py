"""Side-by-side comparison of scenarios, opening with the answer.

Every scenario runs the same replications with the same seeds (common random numbers: the model draws
each patient's random numbers from per-purpose streams at admission, so a changed lever moves results
through thresholds, not by reshuffling). Differences to the first scenario are therefore paired per
replication, and their interval is narrower than the intervals of the two means.

``compare`` writes everything, the scenarios' runs included, into ``.<out>.partial`` beside ``out`` and
renames it into place when every file is complete (whether an existing ``out`` may be replaced is the
command's decision); an earlier comparison it replaces waits beside it as ``.<out>.old-<pid>`` meanwhile,
as a run's does (:func:`runner.experiment.remove_abandoned_swaps` puts right what a killed one left).
Nothing is written elsewhere.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from runner.experiment import (
    FolderLock,
    ResultsFolderError,
    check_destination,
    interval,
    kept_replications,
    publish,
    run_experiment,
    scenario_digest,
)
from simulation import SUMMARY_KEYS, Scenario
from simulation.contract import package_version
from simulation.in_force import Override, overrides
from vardkedja_cli.answer import answers, terminal_lines
from vardkedja_cli.breakdown import COLUMNS as BREAKDOWN_METRICS
from vardkedja_cli.breakdown import GAP_KINDS, breakdowns, replication_values
from vardkedja_cli.i18n import MESSAGES, bracket, number, t

if TYPE_CHECKING:
    from runner.pool import PreparedPool

__all__ = [
    "COLUMNS",
    "DISPLAY",
    "METRICS",
    "compare",
    "display_table",
    "effective_values",
    "interval_cell",
    "parameter_label",
    "scenario_differences",
    "tidy_breakdown",
    "tidy_table",
]

COLUMNS = ("scenario", "metric", "mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high", "n")
"""The columns of ``comparison.csv`` (and of the comparison sheet of ``comparison.xlsx``)."""

METRICS = tuple(
    m
    for key in SUMMARY_KEYS
    for m in ([f"gap_events.{k}" for k in GAP_KINDS] if key == "gap_events" else [key])
)
"""Every metric of the summary contract; ``gap_events`` as one metric per kind."""

DISPLAY: list[tuple[str, float, int]] = [
    # key, scale, decimals: the rows of the report's table
    ("ready_bed_days", 1.0, 0),
    ("ready_bed_share", 100.0, 2),
    ("mean_ready_days", 1.0, 2),
    ("mean_ready_days_indicator", 1.0, 2),
    ("same_day_discharge_share", 100.0, 1),
    ("weekend_discharge_share", 100.0, 1),
    ("gaps_per_100_discharges", 1.0, 2),
    ("sip_rate", 100.0, 1),
    ("readmission_30d_rate", 100.0, 1),
    ("payment_sek", 1e-6, 2),
    ("admissions", 1.0, 0),
    ("discharges", 1.0, 0),
    ("turned_away", 1.0, 0),
]
_NON_NEGATIVE = {key for key, _, _ in DISPLAY}  # every displayed metric is a count, share or amount


def _value(run: dict[str, Any], metric: str) -> float | None:
    if metric.startswith("gap_events."):
        v = run["gap_events"].get(metric.split(".", 1)[1])
    else:
        v = run.get(metric)
    return None if v is None else float(v)


def _paired(values: list[float | None], base: list[float | None] | None) -> dict[str, Any]:
    """``values``' mean and 95 % t-interval over replications; with ``base`` (the first scenario's values
    of the same metric, replication by replication), the paired difference to it and its interval
    (pairs where either is missing are left out); ``n`` = replications with a value."""
    iv = interval(values)
    row = {
        "mean": iv["mean"],
        "ci_low": iv["ci_low"],
        "ci_high": iv["ci_high"],
        "diff": None,
        "diff_low": None,
        "diff_high": None,
        "n": iv["n"],
    }
    if base is not None:
        d = interval(
            (v - b) if v is not None and b is not None else None for v, b in zip(values, base, strict=True)
        )
        row.update(diff=d["mean"], diff_low=d["ci_low"], diff_high=d["ci_high"])
    return row


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    """``rows`` with ``columns``: the numbers as floats (missing as NaN, empty in CSV), ``n`` as int."""
    df = pd.DataFrame(rows, columns=list(columns))
    for c in columns[-7:-1]:
        df[c] = df[c].astype(float)
    df["n"] = df["n"].astype(int)
    return df


def tidy_table(summaries: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per scenario and metric: mean and 95 % t-interval over replications; for every scenario
    after the first, the paired difference to the first with its interval. ``n`` = replications with a
    value. Missing numbers are NaN (empty in CSV)."""
    base_runs = summaries[0]["runs"]
    rows = []
    for i, s in enumerate(summaries):
        for metric in METRICS:
            values = [_value(r, metric) for r in s["runs"]]
            base = [_value(r, metric) for r in base_runs] if i > 0 else None
            rows.append({"scenario": s["scenario"], "metric": metric, **_paired(values, base)})
    return _frame(rows, COLUMNS)


def _breakdown_columns(kind: str) -> tuple[str, ...]:
    """The columns of ``comparison_by_<kind>.csv``: :data:`COLUMNS` with the organisation after the
    scenario."""
    return (COLUMNS[0], kind, *COLUMNS[1:])


def tidy_breakdown(
    names: list[str], values: list[dict[str, dict[str, list[float | None]]]], kind: str
) -> pd.DataFrame:
    """``comparison_by_<kind>.csv``: as :func:`tidy_table`, one row per scenario, organisation and figure
    of :data:`vardkedja_cli.breakdown.COLUMNS` (``kind`` is ``kommun`` or ``hospital``).

    ``values[i]`` are scenario ``names[i]``'s figures per organisation and replication
    (:func:`vardkedja_cli.breakdown.replication_values`); an organisation's difference is paired with
    the same organisation's figure in the first scenario (none if that has no such organisation).
    """
    rows = []
    for i, (name, organisations) in enumerate(zip(names, values, strict=True)):
        for organisation, figures in organisations.items():
            base = values[0].get(organisation) if i > 0 else None
            for metric in BREAKDOWN_METRICS[kind]:
                paired = _paired(figures[metric], base[metric] if base is not None else None)
                rows.append({"scenario": name, kind: organisation, "metric": metric, **paired})
    return _frame(rows, _breakdown_columns(kind))


def interval_cell(
    mean: float, low: float, high: float, scale: float, dec: int, lang: str, sign: bool = False
) -> str:
    """A table's cell: ``mean`` (times ``scale``, ``dec`` decimals) and its interval ``[low, high]``;
    the mean alone where there is no interval (one replication), "n/a" where there is no mean."""
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return t(lang, "value.none")
    text = number(mean * scale, dec, lang, sign=sign)
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return text
    return f"{text} " + bracket(
        number(low * scale, dec, lang, sign=sign), number(high * scale, dec, lang, sign=sign), lang
    )


def display_table(
    tidy: pd.DataFrame, names: list[str], lang: str = "en"
) -> tuple[list[str], list[list[str]]]:
    """The report's table: a row per displayed metric, a column per scenario (mean [interval]) and per
    later scenario (paired difference to the first). Returns header and rows as plain text."""
    header = [t(lang, "report.col.metric"), *names]
    header += [t(lang, "report.col.diff", variant=n, base=names[0]) for n in names[1:]]
    rows = []
    indexed = tidy.set_index(["scenario", "metric"])
    scenarios = list(dict.fromkeys(tidy["scenario"]))
    for key, scale, dec in DISPLAY:
        row = [t(lang, f"label.{key}")]
        for s in scenarios:
            r = indexed.loc[(s, key)]
            low = (
                max(r["ci_low"], 0.0) if key in _NON_NEGATIVE and not math.isnan(r["ci_low"]) else r["ci_low"]
            )
            row.append(interval_cell(r["mean"], low, r["ci_high"], scale, dec, lang))
        for s in scenarios[1:]:
            r = indexed.loc[(s, key)]
            diff = interval_cell(r["diff"], r["diff_low"], r["diff_high"], scale, dec, lang, sign=True)
            if scale == 100.0 and diff != t(lang, "value.none"):  # a difference of shares shown in %
                diff += f" {t(lang, 'unit.pp')}"
            row.append(diff)
        rows.append(row)
    return header, rows


# ---------------------------------------------------------------------------------------------
# What differs between scenarios, as the values in force


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict) and "dist" not in data:  # a distribution is one value
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: data}


def _show(v: Any, lang: str) -> str:
    """A parameter value as a reader wants to see it."""
    if isinstance(v, dict) and "dist" in v:
        args = ", ".join(f"{k}={_show(x, lang)}" for k, x in v.items() if k != "dist")
        return f"{v['dist']}({args})"
    if isinstance(v, bool):  # "true" in English, as in the file; "ja" in Swedish
        return t(lang, "value.true" if v else "value.false")
    if isinstance(v, float):
        return f"{v:g}".replace(".", "," if lang == "sv" else ".")
    if isinstance(v, list):
        return "[" + ", ".join(_show(x, lang) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_show(x, lang)}" for k, x in v.items()) + "}"
    if v is None:
        return "-"
    return str(v)


def _values_of(values: list[Any], lang: str) -> str:
    distinct = sorted(set(values))
    if len(distinct) == 1:
        return _show(distinct[0], lang)
    return f"{_show(distinct[0], lang)}–{_show(distinct[-1], lang)}"


_ROSTER_WEEKEND = {
    "coordinator_roster": "ward_coordinator",
    "roster": "vardcentral",
    "assessor_roster": "assessor",
    "home_help_roster": "home_help_starts",
    "place_intake_roster": "place_intake",
}


def effective_values(scenario: Scenario, lang: str = "en") -> dict[str, tuple[Any, str]]:
    """Every parameter path of the resolved scenario → (what is compared, what is shown).

    Where the file leaves a value unset (None) the value in force is shown instead: a rule that
    defers to each organisation's own value shows those values ("0.6 (each vårdcentral's own)"); a
    default roster shows its weekend staffing; a rule that is off says "never". A value the scenario
    writes that something else overrides (:func:`simulation.in_force.overrides`) is marked with what
    overrides it: an organisation's own value under a rule, and a relationship strength between an
    integrated kommun and its own vårdcentral, as not in force; a vårdcentral's roster under an
    integrated kommun (one input of the rota they share) with the rota in force. What is compared is
    still the value as written: a change to it is listed, marked; a change of what overrides it is
    listed where that is set.
    """
    flat = _flatten(scenario.fingerprint())
    out: dict[str, tuple[Any, str]] = {}
    marks = {".".join(o.path): o for o in overrides(scenario)}
    weekend = scenario.weekend_staffing.model_dump()
    for path, value in flat.items():
        parts = path.split(".")
        shown = _show(value, lang)
        compared: Any = value
        if value is None:
            if path == "rules.sip_call_rate":
                own = [vc.sip_call_rate for vc in scenario.vardcentral.values()]
                shown = t(lang, "eff.own_vc", value=_values_of(own, lang))
                compared = "own"  # a change of the own values is listed under the organisations
            elif path == "rules.notice_reliability":
                own = [w.notice_reliability for w in scenario.ward.values()]
                shown = t(lang, "eff.own_ward", value=_values_of(own, lang))
                compared = "own"
            elif path in (
                "rules.forced_discharge.max_wait_days",
                "rules.forced_discharge.bed_pressure_occupancy",
            ):
                shown = t(lang, "eff.never")
            elif path == "rules.wait_for_care_contact_days":
                shown = t(lang, "eff.until_named")
            elif parts[-1] in _ROSTER_WEEKEND and len(parts) == 3:
                w = weekend[_ROSTER_WEEKEND[parts[-1]]]
                shown = t(lang, "eff.default_roster", weekend=_show(float(w), lang))
                compared = "default roster"  # its weekend value is weekend_staffing's, shown there
        elif path in marks:
            shown = _marked(shown, marks[path], lang)
        out[path] = (compared, shown)
    return out


def _marked(shown: str, override: Override, lang: str) -> str:
    """``shown`` (a value the scenario writes) marked with what overrides it and, where the line that
    sets it does not show it, the value in force."""
    by = ".".join(override.by)
    in_force = _show(override.in_force, lang)
    if override.by[0] == "rules":  # the rule's own line shows its value
        return t(lang, "eff.overridden", value=shown, rule=".".join(override.by[1:]))
    if override.by[-1] == "integrated_primary_care":
        if override.path[-1] == "roster":
            return t(lang, "eff.integrated_roster", value=shown, by=by, in_force=in_force)
        if override.path[:2] == ("relationships", "strengths"):
            return t(lang, "eff.integrated_strength", value=shown, by=by, in_force=in_force)
    return t(lang, "eff.overridden_by", value=shown, by=by, in_force=in_force)


def scenario_differences(base: Scenario, other: Scenario, lang: str = "en") -> list[tuple[str, str, str]]:
    """Parameter paths whose values in force differ: ``(path, base value, other value)`` as text.

    The same change to every organisation of one kind reads as one line (``vardcentral.*.key``); the
    same change to some of them names them.
    """
    a, b = effective_values(base, lang), effective_values(other, lang)
    skip = {"name", "description", "sources"}
    missing = (None, "-")
    changed = [
        (k, a.get(k, missing), b.get(k, missing))
        for k in sorted(set(a) | set(b))
        if k.split(".")[0] not in skip and a.get(k, missing)[0] != b.get(k, missing)[0]
    ]
    out: list[tuple[str, str, str]] = []
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for path, (_, old), (_, new) in changed:
        parts = path.split(".")
        if parts[0] in ("kommun", "vardcentral", "ward", "hospital") and len(parts) == 3:
            groups.setdefault((parts[0], parts[2], old, new), []).append(parts[1])
        else:
            out.append((path, old, new))
    for (kind, key, old, new), names in groups.items():
        total = len(getattr(other, kind))
        if len(names) == total and total > 1:
            label = f"{kind}.*.{key} ({t(lang, 'eff.every', kind=t(lang, f'kind.{kind}'), n=total)})"
        elif len(names) == 1:
            label = f"{kind}.{names[0]}.{key}"
        else:
            label = f"{kind}.{{{', '.join(names)}}}.{key}"
        out.append((label, old, new))
    return sorted(out, key=_difference_order)


_ORGANISATIONS = ("ward", "hospital", "vardcentral", "kommun")
_NAMED = (*_ORGANISATIONS, "kluster", "fou", "region")  # tables keyed by an organisation's name


def parameter_label(path: str, lang: str = "en") -> str | None:
    """What a reader calls the parameter at ``path`` (a path of :func:`scenario_differences`), or None.

    The label is the catalogue's ``param.<path>`` with the organisation's name left out
    (``kommun.Täby.assessor_roster`` and ``kommun.*.assessor_roster (all 6 kommuner)`` are
    ``param.kommun.assessor_roster``); below a labelled key (``patients.kommun_support.none``,
    ``relationships.strengths.A|B``) the key's label. The path stays beside it where it is shown: it is
    what ``--set`` and the scenario files say.
    """
    parts = path.split(" (", 1)[0].split(".")  # the grouped path's "(all 6 kommuner)" is no key
    if parts[0] in _NAMED and len(parts) >= 3:
        candidates = [f"{parts[0]}.{part}" for part in reversed(parts[2:])]
    else:
        candidates = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    for key in candidates:
        if f"param.{key}" in MESSAGES[lang]:
            return t(lang, f"param.{key}")
    return None


def _difference_order(item: tuple[str, str, str]) -> tuple[int, str]:
    """The scenario-wide rules and levers first, then per-organisation values, then the structure
    (kluster, forums): listed alphabetically, the pandemic's 40 kluster lines hid its changed rules."""
    section = item[0].split(".")[0]
    return (1 if section in _ORGANISATIONS else 2 if section == "kluster" else 0), item[0]


# ---------------------------------------------------------------------------------------------
# The command


def compare(
    scenarios: list[Scenario],
    out: Path,
    replications: int,
    seed: int,
    jobs: int = 1,
    plots: bool = True,
    lang: str = "en",
    svg: bool = False,
    progress: Callable[[int, int], None] | None = None,
    settings: list[str] | None = None,
    workers: PreparedPool | None = None,
    finished: Callable[[], None] | None = None,
    while_running: Callable[[], object] | None = None,
) -> Path:
    """Run (or reuse) every scenario's replications and write the comparison into ``out``.

    Everything is written inside ``out``: each scenario's run folder is ``out/runs/<scenario>/``. The
    comparison is built in ``.<out>.partial`` beside it (kept when interrupted with finished
    replications, so the same command resumes; removed when it holds none and this command made it)
    and renamed into place when complete, as a run is: an earlier comparison in ``out`` is replaced
    then, the files the user put into it (not the comparison's own) moved into the new one.
    Replications of an earlier ``vardkedja run`` of the same scenario and seed
    (``results/<scenario>/s<seed>-<digest>``) are verified and reused by hard links; that folder is
    only read. ``progress(done, total)`` is called as replications finish,
    counted over all scenarios. ``settings`` are the ``--set`` settings given for every scenario (as
    written), recorded in the report and ``summary.json``. ``workers`` draw the figures
    (:func:`vardkedja_cli.figures.prepare_workers`, made before the replications run).
    ``finished()`` is called when the comparison is in place, before anything is printed (the command
    closes its progress bar there: lines printed while it stood were written onto its end).
    ``while_running()`` runs while a scenario's worker processes simulate (see
    :func:`runner.experiment.run_experiment`); imports, say, which cost nothing the second time.
    The terminal gets the answer first, then what was run or reused, then the folder.
    """
    out = Path(os.path.realpath(out))  # a link names the folder it points to (see run_experiment)
    staging = out.parent / f".{out.name}.partial"
    try:
        staging.mkdir(parents=True)
        made = True
    except FileExistsError:  # an interrupted comparison's, to resume (or a concurrent one's)
        made = False
    except OSError as exc:
        raise ResultsFolderError(
            f"{out}: cannot write there ({exc.strerror or exc}); choose another --out"
        ) from None
    # a second compare into the same folder is refused, never mixed in
    with FolderLock(out), _discard_if_nothing_kept(staging, out, made):
        folders = []
        ran: list[str] = []  # said after the answer
        notes: list[str] = []
        total = len(scenarios) * replications
        notes += _discard_other_scenarios(staging / "runs", [sc.name for sc in scenarios])
        for k, sc in enumerate(scenarios):
            digest = scenario_digest(sc)
            folder = staging / "runs" / sc.name
            notes += _discard_other_run(folder, digest, seed)
            step = None
            if progress is not None:

                def step(done: int, _: int, offset: int = k * replications) -> None:
                    progress(offset + done, total)

            earlier = Path("results") / sc.name / f"s{seed}-{digest}"
            result = run_experiment(
                sc,
                folder,
                replications,
                seed,
                jobs,
                progress=step,
                reuse=earlier if earlier.is_dir() else None,
                while_running=while_running,
            )
            folders.append(result.folder)
            ran.append(t(lang, "term.ran", name=sc.name, ran=result.ran, reused=result.reused))
            notes += result.notes  # replications recomputed, work of another scenario discarded
        summaries = [json.loads((f / "summary.json").read_text()) for f in folders]
        for s in summaries:
            if "runs" not in s:  # a one-replication folder
                s["runs"] = [s]
        shutil.rmtree(staging / "figures", ignore_errors=True)  # an interrupted attempt's, if any
        shown = [Path("runs") / sc.name for sc in scenarios]  # inside the comparison: it can be moved
        data = _write_all(
            staging,
            scenarios,
            summaries,
            folders,
            shown,
            replications,
            seed,
            plots,
            lang,
            svg,
            settings or [],
            jobs,
            workers,
        )
        kept = publish(staging, out)
        if kept:
            notes.append(f"{out}: kept what was not the comparison's own: {', '.join(kept)}")
        if finished is not None:
            finished()
        print("\n".join(terminal_lines(data["sentences"])))
        print()
        print("\n".join(ran))
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        print(t(lang, "term.comparison", folder=out))
    return out


@contextmanager
def _discard_if_nothing_kept(staging: Path, out: Path, made: bool) -> Iterator[None]:
    """On any error or Ctrl-C, remove ``staging`` if this command made it and no replication in it
    finished: "nothing to keep" then leaves nothing behind. Entered under the lock, so a concurrent
    comparison's staging folder is never touched."""
    try:
        yield
    except BaseException:
        if made and not kept_replications(out):
            shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_all(
    tmp: Path,
    scenarios: list[Scenario],
    summaries: list[dict[str, Any]],
    folders: list[Path],
    shown: list[Path],
    replications: int,
    seed: int,
    plots: bool,
    lang: str,
    svg: bool,
    settings: list[str],
    jobs: int = 1,
    workers: PreparedPool | None = None,
) -> dict[str, Any]:
    from vardkedja_cli import export, report

    names = [s.name for s in scenarios]
    tidy = tidy_table(summaries)
    told = answers(summaries, lang)
    by = {
        kind: pd.concat([breakdowns(f)[kind] for f in folders], ignore_index=True)
        for kind in ("kommun", "hospital")
    }
    values = [replication_values(f) for f in folders]
    by_tidy = {
        kind: tidy_breakdown(names, [v[kind] for v in values], kind) for kind in ("kommun", "hospital")
    }
    differences = {
        sc.name: [
            {"path": p, "base": a, "value": b} for p, a, b in scenario_differences(scenarios[0], sc, lang)
        ]
        for sc in scenarios[1:]
    }
    provenance = [
        {
            "scenario": sc.name,
            "description": sc.description,
            "scenario_digest": scenario_digest(sc),
            "version": s.get("version"),
            "seed": s.get("seed"),
            "replication_seeds": s.get("replication_seeds", [s.get("seed")]),
            "folder": str(f),
        }
        for sc, s, f in zip(scenarios, summaries, shown, strict=True)
    ]
    data = {
        "base": names[0],
        "settings": settings,
        "scenarios": provenance,
        "seed": seed,
        "replications": replications,
        "days": scenarios[0].days,
        "warmup_days": scenarios[0].warmup_days,
        "version": package_version(),
        "lang": lang,
        # fixed English for programs, whatever lang (docs/OUTPUTS.md §5.3); one replication has none
        "interval": t("en", "ci.about" if replications >= 2 else "ci.about_one"),
        "sentences": [a["sentence"] for a in told],
        "answers": told,
        "metrics": _records(tidy),
        # the rows of comparison_by_kommun.csv and comparison_by_hospital.csv
        **{f"metrics_by_{kind}": _records(df) for kind, df in by_tidy.items()},
        "differences": differences,
    }
    export.write_tables(tmp, tidy, by, data, by_tidy)
    figures: list[tuple[str, str]] = []
    if plots:
        figures = _figures(tmp, scenarios, folders, replications, lang, svg, jobs, workers)
    report.write_reports(tmp, scenarios, summaries, tidy, by_tidy, data, figures, lang)
    (tmp / "summary.json").write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    return data


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-able dicts, NaN as None."""
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in df.astype(object).to_dict(orient="records")
    ]


def _figures(
    out: Path,
    scenarios: list[Scenario],
    folders: list[Path],
    n: int,
    lang: str,
    svg: bool,
    jobs: int = 1,
    workers: PreparedPool | None = None,
) -> list[tuple[str, str]]:
    from vardkedja_cli import figures as fg

    fig_dir = out / "figures"
    drawings: list[fg.Drawing] = [
        (fg.ready_over_time, (folders, fig_dir, lang, svg)),
        (fg.ready_days_distribution, (folders, fig_dir, lang, svg)),
        (fg.discharges_by_weekday, (folders, fig_dir, lang, svg)),
        (fg.gaps_by_kind, (folders, fig_dir, lang, svg)),
    ]
    figures = [(name, fg.caption(name, n, lang)) for name in fg.FIGURE_NAMES if name != "gap_network"]
    for i, (sc, folder) in enumerate(zip(scenarios, folders, strict=True)):
        name = f"gap_network_{i + 1}"
        drawings.append((fg.gap_network, (folder, fig_dir, lang, svg, name)))
        figures.append((name, f"{fg.caption('gap_network', n, lang)}: {sc.name}"))
    fg.draw(drawings, jobs, workers=workers)
    return figures


def _discard_other_run(folder: Path, digest: str, seed: int) -> list[str]:
    """Remove a scenario's run from the comparison's work folder if it is of another scenario or seed,
    and say so: the note, as a list of one line (or none).

    An interrupted comparison of the same scenario names with other settings (``--set``, ``--days``,
    ``--seed`` into the same ``--out``) leaves it; it is the comparison's own work, not a run of the
    user's. Whether it is another run is :func:`runner.experiment.check_destination`'s decision, as for
    ``run``. The note is worded as :func:`runner.experiment.run_experiment`'s for an unfinished run's
    staging folder discarded for the same reason: a scenario whose runs had all finished was discarded
    without a word while the next one's note said so.
    """
    try:
        check_destination(folder, digest, seed)
    except ResultsFolderError:
        shutil.rmtree(folder)
        return [f"{folder}: left by an interrupted run of another scenario or seed; discarded"]
    return []


def _discard_other_scenarios(runs: Path, names: list[str]) -> list[str]:
    """Remove from the comparison's work folder ``runs`` what scenarios it does not compare left there,
    with a note for each run (one line each).

    An interrupted ``compare A B`` resumed as ``compare A C`` into the same folder published B's run
    (or its unfinished staging folder) inside the comparison of A and C. What a run into
    ``runs/<name>`` makes beside it (``.<name>.partial``, ``.<name>.lock``, ``.<name>.old-<pid>``) is
    that scenario's; this comparison holds the lock of the whole folder, so nothing else is at work in
    it.
    """
    if not runs.is_dir():
        return []
    ours = set(names)
    notes = []
    for entry in sorted(runs.iterdir()):
        name = entry.name
        if name in ours:
            continue
        if name.startswith("."):
            base, _, kind = name[1:].rpartition(".")
            if base in ours and (kind in ("partial", "lock") or re.fullmatch(r"old-\d+", kind)):
                continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
            if not name.startswith(".") or name.endswith(".partial"):
                notes.append(f"{entry}: left by an interrupted comparison of other scenarios; discarded")
        else:
            entry.unlink()
    return notes
