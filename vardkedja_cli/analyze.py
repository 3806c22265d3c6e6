"""``vardkedja analyze DIR``: which levers matter, from a finished sweep's rows.

Per metric, on the mean over replications at each design point:

- Sobol designs: SALib ``sobol.analyze``: first-order (S1) and total (ST) indices with 95 % bootstrap
  intervals; levers ranked by ST.
- Morris designs: SALib ``morris.analyze``: μ* (mean absolute elementary effect, with its 95 % interval)
  and σ; levers ranked by μ*.
- Grids and Latin hypercubes: metric-versus-parameter plots with each point's replication t-interval;
  levers ranked by |Spearman ρ| between the parameter and the point means, its p-value from a
  permutation test (exact on small designs, :func:`_spearman`).

A ranking the sweep is too small to support is marked not resolved, with the reason (:func:`_unresolved`).

Writes ``indices.csv``, ``ranking.csv``, ``points.csv`` (means and intervals per point), one PNG per
metric in ``figures/`` and ``report.md`` / ``report.html`` (markdown-it-py) into ``DIR/analysis`` (or
``--out``). Same rows give byte-identical files (fixed bootstrap seed, PNG without software/date stamps).
The folder holds exactly one analysis: it is written beside its place and replaces the earlier one
whole (:func:`_replacing`).
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow.dataset as ds  # noqa: E402

from runner.design import SweepError  # noqa: E402
from runner.fsmodes import remove_abandoned_work_dirs, work_dir_beside  # noqa: E402
from runner.sweep_store import RUNS, read_manifest, run_file, status, temp_file_beside  # noqa: E402
from vardkedja_cli.i18n import MESSAGES  # noqa: E402

__all__ = ["Analysis", "analyze", "point_means"]


@dataclass(frozen=True)
class Analysis:
    """Where the analysis went, its ranking table and a few lines for the terminal."""

    folder: Path
    ranking: pd.DataFrame
    summary: str


def point_means(runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Mean, 95 % t-interval and n over replications, per point and metric (long format)."""
    from scipy import stats

    rows = []
    for point, g in runs.groupby("point", sort=True):
        for m in metrics:
            xs = g[m].dropna().to_numpy(dtype=float)
            n = len(xs)
            mean = float(xs.mean()) if n else math.nan
            # one replication has no interval: NaN, not a zero-width "95 % interval" at the mean
            half = float(stats.t.ppf(0.975, n - 1) * xs.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
            rows.append(
                {
                    "point": int(point),
                    "metric": m,
                    "mean": mean,
                    "ci_low": mean - half,
                    "ci_high": mean + half,
                    "n": n,
                }
            )
    return pd.DataFrame(rows)


def _slug(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name)


def _save_png(fig: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


def _write_text(path: Path, text: str) -> None:
    fd, tmp = temp_file_beside(path)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


ANALYSIS_FILES = frozenset({"indices.csv", "ranking.csv", "points.csv", "report.md", "report.html"})
FIGURES = "figures"
"""What analyze writes: these files, and one PNG per metric in ``figures/``."""

_LEFTOVER = re.compile(r"\.(?:indices\.csv|ranking\.csv|points\.csv|report\.md|report\.html)\..+\.tmp")
"""A file's temporary copy left by a killed analyze of a version that wrote file by file in place."""


def _replaceable(out: Path) -> Path:
    """``out`` (where it links to, if a symbolic link) if analyze may replace it whole: it does not
    exist, or holds only what analyze writes. Else :class:`SweepError`: a folder with anything else in
    it (a sweep folder, the user's notes) is not replaced, nor emptied."""
    if out.is_symlink():
        out = out.resolve()
    if not out.exists():
        return out
    if not out.is_dir():
        raise SweepError(f"{out}: exists and is not a folder; choose another --out")
    foreign = []
    for entry in sorted(out.iterdir()):
        if entry.name == FIGURES and entry.is_dir() and not entry.is_symlink():
            foreign += [
                f"{FIGURES}/{f.name}"
                for f in sorted(entry.iterdir())
                if not (f.suffix == ".png" and f.is_file())
            ]
        elif not ((entry.name in ANALYSIS_FILES or _LEFTOVER.fullmatch(entry.name)) and entry.is_file()):
            foreign.append(entry.name)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise SweepError(
            f"{out}: holds what analyze does not write ({shown}); analyze replaces the folder whole: "
            "choose another --out, or move those away"
        )
    return out


@contextmanager
def _replacing(final: Path) -> Iterator[Path]:
    """A new hidden folder beside ``final`` to write an analysis into; when the block ends it replaces
    ``final`` whole (checked by :func:`_replaceable`).

    Written in place, an analysis of fewer metrics left the earlier one's figures beside its own, and an
    interrupted one left a mix of both. If the block raises, or is interrupted, the new folder is
    removed and ``final`` is as it was. What an analyze killed outright (SIGKILL, the OOM killer) left
    beside ``final`` is removed first: its hidden folders, named with its pid, once that process has
    ended (:func:`runner.fsmodes.remove_abandoned_work_dirs`); an analyze still at work keeps its own.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_work_dirs(final, (".tmp", ".old"))
    work = work_dir_beside(final, ".tmp")  # mkdtemp's 0700 would stay: colleagues could not open it
    old: Path | None = None
    try:
        yield work
        if final.exists():
            old = work_dir_beside(final, ".old")
            old.rmdir()  # a free name: renaming a folder onto an existing one fails outside POSIX
            os.rename(final, old)
        os.rename(work, final)
    except BaseException:
        if old is not None and old.exists() and not final.exists():
            os.rename(old, final)  # interrupted between the two renames: the earlier analysis goes back
        shutil.rmtree(work, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _load_runs(folder: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    st = status(folder)
    if st.done < st.total:
        raise SweepError(
            f"{folder}: {st.total - st.done} of {st.total} runs are missing; finish the sweep first "
            "(run the same vardkedja sweep command again)"
        )
    # the design's files only (all this sweep's: status counts no other): a file of another sweep or
    # outside the design may have other columns
    files = [
        str(folder / RUNS / run_file(p, r))
        for p in range(manifest["n_points"])
        for r in range(manifest["replications"])
    ]
    runs = ds.dataset(files, format="parquet").to_table().to_pandas()
    runs = runs[runs["sweep_id"] == manifest["sweep_id"]]
    return runs.sort_values(["point", "replication"]).reset_index(drop=True)


def analyze(folder: Path, out: Path | None = None, metrics: list[str] | None = None) -> Analysis:
    """Analyse the sweep in ``folder`` and write the results to ``out`` (default ``folder/analysis``)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    kept = list(manifest["metrics"])
    if metrics:
        for m in metrics:
            if m not in kept:
                raise SweepError(f"--metric: {m!r} is not in this sweep; one of: {', '.join(kept)}")
        kept = list(dict.fromkeys(metrics))
    runs = _load_runs(folder, manifest)
    out = _replaceable(Path(out) if out else folder / "analysis")

    kind = manifest["design"]["kind"]
    names = [p["name"] for p in manifest["parameters"]]
    problem = manifest["problem"]
    means = point_means(runs, kept)
    wide = means.pivot(index="point", columns="metric", values="mean").reindex(columns=kept)
    values = pd.DataFrame([p["values"] for p in manifest["points"]])[names]
    seed = int(manifest["design"]["seed"])
    # a lever that does not move (a one-level grid parameter) has no correlation: not ranked
    fixed = [n for n in names if kind in ("grid", "lhs") and np.ptp(values[n].to_numpy(dtype=float)) == 0]

    few = _too_few(manifest)
    index_rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}  # metric -> why it is not ranked
    for m in kept:
        y = wide[m].to_numpy(dtype=float)
        if not np.any(np.isfinite(y)):
            skipped[m] = "undefined at every point: the horizon is shorter than the metric needs"
            continue
        if not np.all(np.isfinite(y)):
            skipped[m] = "undefined at some points"
            continue
        if kind in ("grid", "lhs") and len(y) < MIN_RANK_POINTS:
            skipped[m] = str(few)
            continue
        if np.ptp(y) == 0:
            skipped[m] = (
                f"the same at every point of a sweep too small to say that no lever moves it: {few}"
                if few
                else "the same at every point: no lever moves it in this sweep"
            )
            continue
        if kind == "sobol":
            from SALib.analyze import sobol

            with _undefined_is_nan():
                res = sobol.analyze(
                    problem, y, calc_second_order=manifest["design"]["second_order"], seed=seed
                )
            for i, n in enumerate(names):
                index_rows.append(
                    {
                        "metric": m,
                        "parameter": n,
                        "S1": float(res["S1"][i]),
                        "S1_conf": float(res["S1_conf"][i]),
                        "ST": float(res["ST"][i]),
                        "ST_conf": float(res["ST_conf"][i]),
                    }
                )
        elif kind == "morris":
            from SALib.analyze import morris

            x = np.asarray(manifest["design_matrix"], dtype=float)
            with _undefined_is_nan():  # one trajectory: σ has no degrees of freedom
                res = morris.analyze(problem, x, y, num_levels=manifest["design"]["levels"], seed=seed)
            for i, n in enumerate(names):
                index_rows.append(
                    {
                        "metric": m,
                        "parameter": n,
                        "mu": float(res["mu"][i]),
                        "mu_star": float(res["mu_star"][i]),
                        "mu_star_conf": float(res["mu_star_conf"][i]),
                        "sigma": float(res["sigma"][i]),
                    }
                )
        else:
            for n in names:
                # undefined (written empty), not ρ = 0 and p = 1: that ranked it as a lever without effect
                rho, pval = (
                    (math.nan, math.nan) if n in fixed else _spearman(values[n].to_numpy(float), y, seed)
                )
                index_rows.append({"metric": m, "parameter": n, "spearman_rho": rho, "p_value": pval})
    indices = pd.DataFrame(index_rows)
    measure = {"sobol": "ST", "morris": "mu_star"}.get(kind, "abs_spearman_rho")
    ranking_rows = []
    for m in kept:
        if m in skipped:
            continue
        sub = indices[(indices["metric"] == m) & ~indices["parameter"].isin(fixed)].copy()
        sub["score"] = sub["spearman_rho"].abs() if measure == "abs_spearman_rho" else sub[measure]
        sub = sub.sort_values(["score", "parameter"], ascending=[False, True], kind="mergesort")
        for rank, (_, r) in enumerate(sub.iterrows(), start=1):
            ranking_rows.append(
                {
                    "metric": m,
                    "rank": rank,
                    "parameter": r["parameter"],
                    "measure": measure,
                    "value": r["score"],
                }
            )
    ranking = pd.DataFrame(ranking_rows, columns=["metric", "rank", "parameter", "measure", "value"])
    caution = {m: why for m in kept if m not in skipped and (why := _unresolved(indices, m, kind, few))}
    ranking["resolved"] = ~ranking["metric"].isin(list(caution))
    ranking["reason"] = [caution.get(m, "") for m in ranking["metric"]]

    fig_names = {m: f"{_slug(m)}.png" for m in kept if m not in skipped}
    not_ranked = "; ".join(f"{n} does not vary in this design" for n in fixed)
    lines = []
    for m in kept:
        if m in skipped:
            lines.append(f"{m}: not analysed ({skipped[m]})")
            continue
        order = ranking[ranking["metric"] == m]
        lines.append(
            f"{m}: "
            + " > ".join(f"{r.parameter} ({_fmt(r.value)})" for r in order.itertuples())
            + f"  [{measure}]"
            + (f"  NOT RESOLVED: {caution[m]}" if m in caution else "")
            + (f"  (not ranked: {not_ranked})" if not_ranked else "")
        )
    md = _report(
        manifest, kind, measure, indices, ranking, fig_names, skipped, len(runs), caution, not_ranked
    )

    with _replacing(out) as work:
        _write_text(work / "indices.csv", indices.to_csv(index=False))
        _write_text(work / "ranking.csv", ranking.to_csv(index=False))
        point_table = means.merge(values.rename_axis("point").reset_index(), on="point")
        _write_text(work / "points.csv", point_table.to_csv(index=False))
        (work / FIGURES).mkdir()
        for m, name in fig_names.items():
            figure = work / FIGURES / name
            if kind == "sobol":
                _plot_sobol(indices[indices["metric"] == m], m, figure)
            elif kind == "morris":
                _plot_morris(indices[indices["metric"] == m], m, figure)
            else:
                _plot_points(means[means["metric"] == m], values, names, m, figure)
        _write_text(work / "report.md", md)
        _write_text(work / "report.html", _html(md, manifest["name"]))
    return Analysis(out, ranking, "\n".join(lines))


def _title(metric: str) -> str:
    """A figure's title: the metric as the reports name it, with its column in the runs table."""
    en = MESSAGES["en"]
    head, _, kind = metric.partition(".")
    if kind and head in ("gap_events", "gaps_per_100_discharges_by_kind") and f"gap.{kind}" in en:
        base = en["label.gap_events_total" if head == "gap_events" else "label.gaps_per_100_discharges"]
        label: str | None = f"{base}: {en[f'gap.{kind}']}"
    else:
        label = en.get(f"label.{metric}")
    return f"{label} ({metric})" if label else metric


def _plot_sobol(ix: pd.DataFrame, metric: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 1.0 + 0.5 * len(ix)), layout="constrained")
    y = np.arange(len(ix))
    ax.barh(y - 0.2, ix["S1"], 0.4, xerr=ix["S1_conf"], label="first order S1", color="#4c72b0")
    ax.barh(y + 0.2, ix["ST"], 0.4, xerr=ix["ST_conf"], label="total ST", color="#dd8452")
    ax.set_yticks(y, ix["parameter"])
    ax.invert_yaxis()
    ax.set_xlabel("Sobol index (95 % interval)")
    ax.set_title(_title(metric))
    # below the axes: inside, it covered the largest bars (the levers that matter)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8)
    _save_png(fig, path)


def _plot_morris(ix: pd.DataFrame, metric: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.errorbar(ix["mu_star"], ix["sigma"], xerr=ix["mu_star_conf"], fmt="o", color="#4c72b0")
    for r in ix.itertuples():
        ax.annotate(
            str(r.parameter), (r.mu_star, r.sigma), textcoords="offset points", xytext=(4, 4), fontsize=8
        )
    ax.set_xlabel("μ* (mean |elementary effect|, 95 % interval)")
    ax.set_ylabel("σ (spread of effects: interaction or non-linearity)")
    ax.set_title(_title(metric))
    _save_png(fig, path)


def _plot_points(
    means: pd.DataFrame, values: pd.DataFrame, names: list[str], metric: str, path: Path
) -> None:
    d = means.set_index("point").join(values)
    fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 3.2), squeeze=False, sharey=True)
    for ax, n in zip(axes[0], names, strict=True):
        err = np.vstack([d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]])
        err = None if np.isnan(err).all() else np.nan_to_num(err)  # one replication: points alone
        ax.errorbar(d[n], d["mean"], yerr=err, fmt="o", ms=4, alpha=0.8, color="#4c72b0", capsize=2)
        ax.set_xlabel(n)
    axes[0][0].set_ylabel(f"{metric}\n(mean, 95 % t-interval over replications)")
    fig.suptitle(_title(metric))
    _save_png(fig, path)


UNDEFINED = "–"
"""A report's cell for a number that is undefined (NaN: the ρ of a lever that does not vary, a Morris σ
of one trajectory); ``indices.csv`` leaves it empty. "nan" read as a value the analysis computed."""


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return UNDEFINED if math.isnan(v) else f"{v:.3g}"
    return html.escape(str(v))


def _table(df: pd.DataFrame) -> str:
    head = "| " + " | ".join(df.columns) + " |"
    rule = "|" + "---|" * len(df.columns)
    body = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body])


MIN_BASE_SAMPLES = 4
"""Fewest base samples (Sobol N, Morris trajectories) whose bootstrap intervals mean anything: one
sample resamples to itself (an interval of zero width), two or three to a handful of distinct sets."""

MIN_RANK_POINTS = 3
"""Fewest points a Spearman correlation is computed on (grid, Latin hypercube)."""

MIN_SIGNIFICANT_POINTS = 5
"""Fewest points at which a Spearman correlation can be significant at 5 % (two-sided, exact: with
four points even a perfect ranking has p = 1/12)."""

SOBOL_BOUNDS = (-0.1, 1.1)
"""A Sobol index (a share of variance, in [0, 1]) outside these is sampling error, not a share."""

_ZERO = 1e-9
"""An interval narrower than this share of the metric's largest index has zero width (SALib's bootstrap
of one sample gives 0.0 or 1e-16)."""


SPEARMAN_EXACT_POINTS = 8
"""Most points whose Spearman p-value comes from every permutation (8! = 40320 of them; 9! took 2 s
per lever and metric)."""

SPEARMAN_PERMUTATION_POINTS = 500
"""Most points whose Spearman p-value comes from a permutation test; above, scipy's t-approximation
(its documentation calls that accurate only for more than 500 observations)."""

SPEARMAN_RESAMPLES = 9999
"""Random permutations for a permutation p-value between the exact and the asymptotic regime."""


def _spearman(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, float]:
    """Spearman ρ of ``x`` and ``y`` and its two-sided p-value under no association.

    The p-value is a permutation test's (:func:`scipy.stats.permutation_test`, pairings of ``y`` with
    ``x``'s ranks permuted): exact up to :data:`SPEARMAN_EXACT_POINTS` points, else from
    :data:`SPEARMAN_RESAMPLES` random permutations drawn from ``seed`` (the same files on a rerun);
    above :data:`SPEARMAN_PERMUTATION_POINTS` points, scipy's asymptotic one. The asymptotic p on
    small designs said ρ = 1 of three points had p = 0 and ρ = 0.9 of five p = 0.037 (exact: 0.33 and
    0.083).
    """
    from scipy import stats

    res = stats.spearmanr(x, y)
    n = len(x)
    if n > SPEARMAN_PERMUTATION_POINTS:
        return float(res.statistic), float(res.pvalue)
    y_ranks = stats.rankdata(y)

    def rho(x_ranks: np.ndarray, axis: int = -1) -> np.ndarray:
        return stats.pearsonr(x_ranks, y_ranks, axis=axis).statistic

    perm = stats.permutation_test(
        (stats.rankdata(x),),
        rho,
        permutation_type="pairings",
        vectorized=True,
        n_resamples=np.inf if n <= SPEARMAN_EXACT_POINTS else SPEARMAN_RESAMPLES,
        rng=np.random.default_rng(seed),
    )
    return float(res.statistic), float(perm.pvalue)


def _too_few(manifest: dict[str, Any]) -> str | None:
    """Why the sweep has too few samples to resolve any ranking, or None."""
    kind = manifest["design"]["kind"]
    if kind in ("sobol", "morris"):
        n = int(manifest["design"]["samples"])
        if n < MIN_BASE_SAMPLES:
            return f"too few base samples: {n}, and a bootstrap interval needs at least {MIN_BASE_SAMPLES}"
        return None
    n = int(manifest["n_points"])
    if n < MIN_SIGNIFICANT_POINTS:
        return (
            f"too few samples: {n} point{'s' if n != 1 else ''}, and a rank correlation can be "
            f"significant at 5 % only with {MIN_SIGNIFICANT_POINTS} or more"
        )
    return None


@contextmanager
def _undefined_is_nan() -> Iterator[None]:
    """SALib on too few samples: numpy's warnings (no degrees of freedom, 0/0) go; the NaNs they warn
    of stay, and :func:`_unresolved` reports them."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        # "Constant values encountered": a metric constant in a subset; the ranking says what follows
        warnings.simplefilter("ignore", UserWarning)
        yield


def _no_interval(ix: pd.DataFrame, pairs: list[tuple[str, str]]) -> bool:
    """Whether an index or its interval is missing or NaN, or a nonzero index has a zero-width interval."""
    for value, conf in pairs:
        if value not in ix or conf not in ix:
            return True
        v, c = ix[value].to_numpy(dtype=float), ix[conf].to_numpy(dtype=float)
        if not (np.isfinite(v).all() and np.isfinite(c).all()):
            return True
        tol = _ZERO * float(np.abs(v).max())
        if ((c <= tol) & (np.abs(v) > tol)).any():
            return True
    return False


def _unresolved(indices: pd.DataFrame, metric: str, kind: str, few: str | None = None) -> str | None:
    """Why the ranking of ``metric`` cannot be reported yet (too few samples), or None.

    Any design: too few samples (``few``, from :func:`_too_few`). Sobol: an index outside what a share
    of variance can be (S1 or ST outside :data:`SOBOL_BOUNDS` is sampling error); an interval missing, NaN or
    of zero width around a nonzero index; or the first two levers' ST intervals overlap. Morris: μ*, its
    interval or σ missing or NaN, a zero-width interval, or the first two μ* intervals overlap.
    Spearman: no lever's correlation is significant at 5 %.
    """
    if few:
        return few
    ix = indices[indices["metric"] == metric]
    if kind == "sobol":
        low, high = SOBOL_BOUNDS
        if ((ix[["S1", "ST"]] < low) | (ix[["S1", "ST"]] > high)).any(axis=None):
            # the bounds the check uses: "[0, 1]" was wrong for an index of 1.05, which passes
            return f"indices outside [{low:g}, {high:g}], too few samples"
        if _no_interval(ix, [("S1", "S1_conf"), ("ST", "ST_conf")]):
            return "an interval is missing or of zero width, too few samples"
        top = ix.sort_values("ST", ascending=False).head(2)
        if (
            len(top) == 2
            and top.iloc[0]["ST"] - top.iloc[0]["ST_conf"] <= top.iloc[1]["ST"] + top.iloc[1]["ST_conf"]
        ):
            return "the first two levers' intervals overlap"
    elif kind == "morris":
        if _no_interval(ix, [("mu_star", "mu_star_conf")]) or ix["sigma"].isna().any():
            return "an interval is missing or of zero width, or σ undefined, too few samples"
        top = ix.sort_values("mu_star", ascending=False).head(2)
        if len(top) == 2 and (
            top.iloc[0]["mu_star"] - top.iloc[0]["mu_star_conf"]
            <= top.iloc[1]["mu_star"] + top.iloc[1]["mu_star_conf"]
        ):
            return "the first two levers' intervals overlap"
    elif not (ix["p_value"] < 0.05).any():
        return "no lever's correlation is significant at 5 %"
    return None


def _report(
    manifest: dict[str, Any],
    kind: str,
    measure: str,
    indices: pd.DataFrame,
    ranking: pd.DataFrame,
    fig_names: dict[str, str],
    skipped: dict[str, str],
    n_runs: int,
    caution: dict[str, str],
    not_ranked: str = "",
) -> str:
    explain = {
        "sobol": "Sobol indices (SALib, Saltelli design): S1 = share of the metric's variance due to the "
        "lever alone, ST = including its interactions; 95 % bootstrap intervals. Levers ranked by ST.",
        "morris": "Morris elementary effects (SALib): μ* = mean absolute effect of moving the lever one step "
        "across its range, σ = how much that effect varies (interactions, non-linearity). Ranked by μ*.",
    }.get(
        kind,
        "Each point's mean over replications with its 95 % t-interval, against each parameter; levers "
        "ranked by |Spearman ρ| between the parameter and the point means.",
    )
    md = [
        f"# Sweep {manifest['name']}: which levers matter",
        "",
        f"{manifest.get('description', '')}".strip(),
        "",
        f"Design **{kind}**, {manifest['n_points']} points × {manifest['replications']} replications = "
        f"{n_runs} runs of `{Path(manifest['base_scenario']).name}` ({manifest['days']} days, warm-up "
        f"{manifest['warmup_days']}), sweep seed {manifest['seed']}, sweep id `{manifest['sweep_id']}`, "
        f"vardkedja {manifest['version']}.",
        "",
        explain,
        "",
        "## Parameters",
        "",
        _table(
            pd.DataFrame(
                [
                    {
                        "parameter": p["name"],
                        "key paths": ", ".join(p["keys"]),
                        "range / levels": (
                            ", ".join(f"{v:g}" for v in p["levels"])
                            if p["levels"]
                            else f"{p['low']:g} – {p['high']:g}"
                        ),
                        "type": p["kind"],
                    }
                    for p in manifest["parameters"]
                ]
            )
        ),
        "",
        "## Ranking",
        "",
    ]
    for m in fig_names:
        order = ranking[ranking["metric"] == m]
        md.append(
            f"- **{m}**: "
            + " > ".join(f"{r.parameter} ({_fmt(r.value)})" for r in order.itertuples())
            + (f" — *not resolved: {caution[m]}*" if m in caution else "")
        )
    if not_ranked and fig_names:
        md += [
            "",
            f"Not ranked: {not_ranked} (its correlation is undefined: {UNDEFINED} in the indices below, "
            "empty in indices.csv).",
        ]
    for m, why in skipped.items():
        md.append(f"- **{m}**: not analysed ({why})")
    if caution:
        md += [
            "",
            "A ranking marked *not resolved* is not a result: more samples (or replications) are needed "
            "before it can be reported.",
        ]
    md += ["", "## Indices", "", _table(indices) if len(indices) else "(none)", "", "## Figures", ""]
    for m, name in fig_names.items():
        md += [f"### {m}", "", f"![{m}](figures/{name})", ""]
    return "\n".join(md) + "\n"


def _html(markdown: str, title: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"
        "img{max-width:100%}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n{body}</body></html>\n"
    )
