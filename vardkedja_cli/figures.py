"""Figures for runs and comparisons, drawn from the files a run wrote (none of them runs the model).

- Every band and error bar is the Student-t 95 % confidence interval of the mean over replications; with
  one replication there is none, and the figure says so.
- Figures are drawn once (constrained layout, no ``bbox_inches="tight"``), as PNG, and as SVG only when
  asked. The same inputs give byte-identical files: no dates or software versions in the metadata, a
  fixed SVG hash salt, and no random layout (the gap network places every organisation from the
  scenario's structure, so it is in the same place in every scenario).
- matplotlib is imported only where a figure is drawn, and with its Agg canvas directly (pyplot, and so
  the user's backend, is never touched). With several processes (:func:`draw`) that is never the
  calling process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulation.gaps import GapKind
from vardkedja_cli.i18n import t

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from runner.pool import PreparedPool

__all__ = [
    "FIGURE_NAMES",
    "caption",
    "discharges_by_weekday",
    "draw",
    "gap_network",
    "gaps_by_kind",
    "import_drawing",
    "prepare_workers",
    "ready_days_distribution",
    "ready_over_time",
    "run_figures",
]

FIGURE_NAMES = ("ready_over_time", "ready_days", "weekday_discharges", "gaps_by_kind", "gap_network")
GAP_KINDS = tuple(kind.value for kind in GapKind)
LABEL_PT = 9  # no label smaller than this
SVG_SALT = "vardkedja"


def caption(name: str, n: int, lang: str = "en") -> str:
    """The caption of figure ``name`` for ``n`` replications (names the interval, or its absence)."""
    base = t(lang, f"fig.{name}")
    if name == "gap_network":
        return base
    return f"{base} ({_ci_note(n, lang)})"


def _ci_note(n: int, lang: str) -> str:
    return t(lang, "ci.name", n=n) if n >= 2 else t(lang, "ci.one_rep")


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, out: Path, name: str, svg: bool, lang: str = "en") -> list[Path]:
    """Write ``name.png`` (and ``name.svg``) reproducibly; the figure is drawn once per format.

    In Swedish the axes' numbers get a decimal comma (0,5), as every other number of the outputs.
    """
    import matplotlib

    if lang == "sv":
        _decimal_comma(fig)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png"]
    fig.savefig(paths[0], format="png", dpi=110, metadata={"Software": None})
    if svg:
        paths.append(out / f"{name}.svg")
        with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
            fig.savefig(paths[1], format="svg", metadata={"Date": None, "Creator": None})
    return paths


def _decimal_comma(fig: Figure) -> None:
    """Tick labels of ``fig``'s plain number axes (and colour bars) with a decimal comma."""
    from matplotlib.ticker import ScalarFormatter

    class Comma(ScalarFormatter):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return super().__call__(x, pos).replace(".", ",")

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(Comma())


def _t975(n: int) -> float:
    """The 0.975 quantile of Student's t with n - 1 degrees of freedom (n >= 2)."""
    from scipy.special import stdtrit

    return float(stdtrit(n - 1, 0.975))


def _mean_ci(values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Mean over axis 0 and the half-width of its 95 % t-interval (None with one replication)."""
    n = values.shape[0]
    mean = values.mean(axis=0)
    if n < 2:
        return mean, None
    return mean, _t975(n) * values.std(axis=0, ddof=1) / np.sqrt(n)


def _yerr(mean: np.ndarray, half: np.ndarray | None) -> np.ndarray | None:
    """Error bars of the interval, the lower end cut at 0 (every plotted quantity is >= 0)."""
    if half is None:
        return None
    return np.vstack([mean - np.maximum(mean - half, 0.0), half])


def _summary(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "summary.json").read_text())


def _runs(folder: Path) -> list[dict[str, Any]]:
    s = _summary(folder)
    return s.get("runs") or [s]


def _label(folder: Path) -> str:
    return str(_summary(folder)["scenario"])


def _warmup(folder: Path) -> int:
    return int(_runs(folder)[0]["warmup_days"])


def ready_over_time(folders: list[Path], out: Path, lang: str = "en", svg: bool = False) -> list[Path]:
    """Utskrivningsklara patients in beds per day: mean over replications and its 95 % t-interval.

    Scenarios that start on different dates share a day-of-run axis.
    """
    import pandas as pd

    fig = _figure(9, 4.2)
    ax = fig.add_subplot()
    starts = {_runs(f)[0]["start_date"] for f in folders}
    by_date = len(starts) == 1
    n_min = None
    for i, folder in enumerate(folders):
        daily = pd.read_parquet(folder / "daily.parquet", columns=["replication", "day", "ready_in_beds"])
        wide = daily.pivot(index="day", columns="replication", values="ready_in_beds").sort_index()
        values = wide.to_numpy(dtype=float).T
        n_min = values.shape[0] if n_min is None else min(n_min, values.shape[0])
        if by_date:
            x = np.datetime64(next(iter(starts)), "D") + wide.index.to_numpy().astype("timedelta64[D]")
        else:
            x = wide.index.to_numpy()
        mean, half = _mean_ci(values)
        colour = f"C{i}"
        ax.plot(x, mean, label=_label(folder), lw=1.5, color=colour)
        if half is not None:
            ax.fill_between(x, np.maximum(mean - half, 0.0), mean + half, color=colour, alpha=0.25, lw=0)
        w0 = _warmup(folder)
        if w0 > 0 and i == 0:
            ax.axvspan(x[0], x[min(w0, len(x) - 1)], color="0.9", zorder=0)
    ax.set_ylabel(t(lang, "fig.ready_over_time.y"), fontsize=LABEL_PT + 1)
    if by_date:
        from matplotlib.dates import AutoDateLocator, DateFormatter

        ax.xaxis.set_major_locator(AutoDateLocator(maxticks=8))
        ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    else:
        ax.set_xlabel(t(lang, "fig.ready_over_time.x_days"), fontsize=LABEL_PT + 1)
    note = _ci_note(n_min or 1, lang)
    warm = f"; {t(lang, 'fig.warmup')}" if _warmup(folders[0]) > 0 else ""
    ax.set_title(f"{t(lang, 'fig.ready_over_time')}\n({note}{warm})", fontsize=LABEL_PT + 1)
    ax.tick_params(labelsize=LABEL_PT)
    ax.legend(loc="upper left", fontsize=LABEL_PT)
    return _save(fig, out, "ready_over_time", svg, lang)


def _done_episodes(folder: Path, columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    run = _runs(folder)[0]
    w0, horizon = int(run["warmup_days"]), int(run["days"])
    ep = pd.read_parquet(folder / "episodes.parquet", columns=["replication", "discharged", *columns])
    return ep[ep["discharged"].notna() & (ep["discharged"] >= w0) & (ep["discharged"] < horizon)]


def _replication_ids(folder: Path) -> list[int]:
    return [int(r.get("replication", i)) for i, r in enumerate(_runs(folder))]


def ready_days_distribution(
    folders: list[Path], out: Path, lang: str = "en", svg: bool = False
) -> list[Path]:
    """Share of LUS episodes by days utskrivningsklar (0..14, 15+): mean and 95 % t-interval."""
    fig = _figure(8.5, 4.2)
    ax = fig.add_subplot()
    width = 0.8 / len(folders)
    n_min = None
    for i, folder in enumerate(folders):
        ep = _done_episodes(folder, ["support", "home_health_care", "ready_days"])
        lus = ep[(ep["support"] != "none") | ep["home_health_care"]]
        reps = _replication_ids(folder)
        bins = lus["ready_days"].astype(int).clip(upper=15)
        counts = bins.groupby([lus["replication"], bins]).size().unstack(fill_value=0)
        counts = counts.reindex(index=reps, columns=range(16), fill_value=0).to_numpy(dtype=float)
        totals = counts.sum(axis=1, keepdims=True)
        shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
        mean, half = _mean_ci(shares)
        n_min = len(reps) if n_min is None else min(n_min, len(reps))
        x = np.arange(16) + i * width - 0.4 + width / 2
        ax.bar(x, mean, width=width, yerr=_yerr(mean, half), capsize=2, label=_label(folder), color=f"C{i}")
    ax.set_xticks(range(16), [str(i) for i in range(15)] + ["15+"])
    ax.set_xlabel(t(lang, "fig.ready_days.x"), fontsize=LABEL_PT + 1)
    ax.set_ylabel(t(lang, "fig.ready_days.y"), fontsize=LABEL_PT + 1)
    ax.set_title(caption("ready_days", n_min or 1, lang), fontsize=LABEL_PT + 1)
    ax.tick_params(labelsize=LABEL_PT)
    ax.legend(fontsize=LABEL_PT)
    return _save(fig, out, "ready_days", svg, lang)


def discharges_by_weekday(folders: list[Path], out: Path, lang: str = "en", svg: bool = False) -> list[Path]:
    """Discharges per weekday and replication, LUS patients and others; error bar on the total."""
    import pandas as pd

    fig = _figure(4 * len(folders) + 1, 3.8)
    axes = fig.subplots(1, len(folders), squeeze=False, sharey=True)[0]
    days = t(lang, "fig.weekdays").split(",")
    n_min = None
    for ax, folder in zip(axes, folders, strict=True):
        ep = _done_episodes(folder, ["support", "home_health_care"])
        reps = _replication_ids(folder)
        start = np.datetime64(_runs(folder)[0]["start_date"], "D")
        dates = start + ep["discharged"].astype(int).to_numpy().astype("timedelta64[D]")
        weekday = pd.Series((dates.astype(np.int64) + 3) % 7, index=ep.index)  # 1970-01-01: a Thursday
        lus = (ep["support"] != "none") | ep["home_health_care"]

        lus_counts, other_counts = (
            _per_replication(weekday[m], ep["replication"][m], reps) for m in (lus, ~lus)
        )
        total_mean, half = _mean_ci(lus_counts + other_counts)
        other_mean = other_counts.mean(axis=0)
        ax.bar(days, other_mean, label=t(lang, "fig.weekday.other"), color="0.7")
        ax.bar(days, total_mean - other_mean, bottom=other_mean, label=t(lang, "fig.weekday.lus"), color="C0")
        if half is not None:
            ax.errorbar(
                days, total_mean, yerr=_yerr(total_mean, half), fmt="none", ecolor="black", capsize=2, lw=1
            )
        ax.set_title(_label(folder), fontsize=LABEL_PT + 1)
        ax.tick_params(labelsize=LABEL_PT)
        n_min = len(reps) if n_min is None else min(n_min, len(reps))
    axes[0].set_ylabel(t(lang, "fig.weekday.y"), fontsize=LABEL_PT + 1)
    axes[0].legend(fontsize=LABEL_PT)
    # wrapped to the figure: one run's 5 in cut both ends off its title
    title = _wrap(caption("weekday_discharges", n_min or 1, lang), _chars(fig, LABEL_PT + 1))
    fig.suptitle(title, fontsize=LABEL_PT + 1)
    return _save(fig, out, "weekday_discharges", svg, lang)


def _per_replication(weekday: pd.Series, replication: pd.Series, reps: list[int]) -> np.ndarray:
    """Counts per replication (rows, in ``reps`` order) and weekday (7 columns)."""
    c = weekday.groupby([replication, weekday]).size().unstack(fill_value=0)
    return c.reindex(index=reps, columns=range(7), fill_value=0).to_numpy(dtype=float)


def gaps_by_kind(folders: list[Path], out: Path, lang: str = "en", svg: bool = False) -> list[Path]:
    """Gap events per 100 discharges by kind: mean and 95 % t-interval over replications.

    Horizontal bars, the kinds named on the left: below vertical bars the longer names ran into each
    other ("not informed at discharge", "needs misjudged without the patient's voice").
    """
    fig = _figure(9.5, 1.6 + 0.42 * len(GAP_KINDS) * max(1.0, len(folders) / 2))
    ax = fig.add_subplot()
    height = 0.8 / len(folders)
    n_min = None
    for i, folder in enumerate(folders):
        runs = _runs(folder)
        vals = np.array(
            [[r["gaps_per_100_discharges_by_kind"].get(k) or 0.0 for k in GAP_KINDS] for r in runs],
            dtype=float,
        )
        mean, half = _mean_ci(vals)
        n_min = len(runs) if n_min is None else min(n_min, len(runs))
        y = np.arange(len(GAP_KINDS)) + i * height - 0.4 + height / 2
        ax.barh(
            y, mean, height=height, xerr=_yerr(mean, half), capsize=2, label=_label(folder), color=f"C{i}"
        )
    labels = [_wrap(t(lang, f"gap.{k}"), 30) for k in GAP_KINDS]
    ax.set_yticks(range(len(GAP_KINDS)), labels)
    ax.invert_yaxis()  # the first kind (the first step of the chain) at the top
    ax.set_xlabel(t(lang, "fig.gaps_by_kind.y"), fontsize=LABEL_PT + 1)
    ax.set_title(caption("gaps_by_kind", n_min or 1, lang), fontsize=LABEL_PT + 1)
    ax.tick_params(labelsize=LABEL_PT)
    ax.legend(fontsize=LABEL_PT, loc="lower right")
    return _save(fig, out, "gaps_by_kind", svg, lang)


def _chars(fig: Figure, points: float) -> int:
    """About how many characters of a ``points``-size text fit across ``fig`` (an average glyph of
    DejaVu Sans is about 0.6 em wide)."""
    return int(fig.get_figwidth() * 72 / (0.6 * points))


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=False))


def gap_network(
    folder: Path,
    out: Path,
    lang: str = "en",
    svg: bool = False,
    name: str = "gap_network",
    top: int = 40,
) -> list[Path]:
    """Where patients fall between the chairs: gap events on the edges between organisations.

    Three fixed columns from the scenario's structure, each sorted: wards (by hospital, then name) |
    vårdcentraler, one node per kommun | kommuner. Every organisation has its place whether or not it
    had gaps, so the figure of every scenario with the same organisations looks the same. Only the
    ``top`` edges with the most gap events are drawn. Edge width = gap events per replication in the
    window; colour = mean relationship strength at the end over the edges the line stands for.
    """
    import pandas as pd
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    resolved = json.loads((folder / "scenario.json").read_text())["scenario"]
    run = _runs(folder)[0]
    n_rep = len(_runs(folder))
    w0, horizon = int(run["warmup_days"]), int(run["days"])
    wards = sorted(resolved["ward"], key=lambda w: (resolved["ward"][w]["hospital"], w))
    kommuner = sorted(resolved["kommun"])
    vc_kommun = {v: d["kommun"] for v, d in resolved["vardcentral"].items()}
    node: dict[str, tuple[str, str]] = {w: ("ward", w) for w in wards}
    node |= {k: ("kommun", k) for k in kommuner}
    node |= {v: ("vc", k) for v, k in vc_kommun.items()}

    def column(items: list[str], kind: str, x: float) -> dict[tuple[str, str], tuple[float, float]]:
        return {(kind, it): (x, 1.0 - (j + 0.5) / len(items)) for j, it in enumerate(items)}

    pos = column(wards, "ward", 0.0) | column(kommuner, "vc", 1.0) | column(kommuner, "kommun", 2.0)

    gaps = pd.read_parquet(folder / "gap_events.parquet", columns=["day", "org_a", "org_b"])
    gaps = gaps[(gaps["day"] >= w0) & (gaps["day"] < horizon)]
    gaps = gaps[gaps["org_a"].isin(node) & gaps["org_b"].isin(node)]
    pair = pd.DataFrame({"a": gaps["org_a"].map(node), "b": gaps["org_b"].map(node)})
    counts = pair.groupby(["a", "b"]).size() / n_rep
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    total = len(counts)
    shown = counts.head(top)

    rel = pd.read_parquet(folder / "relationships.parquet", columns=["org_a", "org_b", "strength_end"])
    rel = rel[rel["org_a"].isin(node) & rel["org_b"].isin(node)]
    ra, rb = rel["org_a"].map(node), rel["org_b"].map(node)
    strength = pd.concat(
        [
            pd.DataFrame({"a": ra, "b": rb, "s": rel["strength_end"]}),
            pd.DataFrame({"a": rb, "b": ra, "s": rel["strength_end"]}),
        ]
    )
    strength = strength.groupby(["a", "b"])["s"].mean()

    fig = _figure(10, 8)
    ax = fig.add_subplot()
    ax.set_xlim(-0.6, 2.55)
    ax.set_ylim(-0.04, 1.1)
    ax.axis("off")
    cmap = colormaps["RdYlGn"]
    norm = Normalize(0.0, 1.0)
    top_gaps = float(shown.max()) if len(shown) else 0.0

    def width(v: float) -> float:
        return 0.6 + 7.0 * v / top_gaps if top_gaps else 0.6

    if len(shown):
        segments = [[pos[a], pos[b]] for a, b in shown.index]
        colours = [
            cmap(norm(float(s))) if not np.isnan(s := strength.get((a, b), np.nan)) else (0.5, 0.5, 0.5, 1.0)
            for a, b in shown.index
        ]
        ax.add_collection(
            LineCollection(
                segments,
                linewidths=[width(v) for v in shown.to_numpy()],
                colors=colours,
                alpha=0.8,
                zorder=1,
                capstyle="round",
            )
        )
    else:
        ax.text(1.0, 0.5, t(lang, "fig.gap_network.none"), ha="center", va="center", fontsize=LABEL_PT + 3)
    colour_of = {"ward": "tab:red", "vc": "tab:green", "kommun": "tab:blue"}
    for kind in ("ward", "vc", "kommun"):
        pts = [xy for (k, _), xy in pos.items() if k == kind]
        ax.scatter(
            [p[0] for p in pts],
            [p[1] for p in pts],
            s=45,
            color=colour_of[kind],
            zorder=3,
            edgecolors="white",
        )
    box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    for (kind, label), (x, y) in pos.items():
        if kind == "ward":
            ax.text(x - 0.04, y, label, ha="right", va="center", fontsize=LABEL_PT, zorder=4, bbox=box)
        elif kind == "kommun":
            ax.text(x + 0.04, y, label, ha="left", va="center", fontsize=LABEL_PT, zorder=4, bbox=box)
        else:
            text = t(lang, "fig.gap_network.vc_group", kommun=label)
            ax.text(x, y + 0.022, text, ha="center", va="bottom", fontsize=LABEL_PT, zorder=4, bbox=box)
    for x, key in ((0.0, "fig.wards"), (1.0, "fig.vardcentraler"), (2.0, "fig.kommuner")):
        ax.text(x, 1.045, t(lang, key), ha="center", va="bottom", fontsize=LABEL_PT + 2, weight="bold")
    fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.5, label=t(lang, "fig.gap_network.strength")
    )
    if top_gaps:
        examples = sorted({_nice(top_gaps), _nice(top_gaps / 2), _nice(top_gaps / 8)}, reverse=True)
        handles = [Line2D([], [], color="0.4", lw=width(v), label=_g(v, lang)) for v in examples if v > 0]
        ax.legend(
            handles=handles,
            title=t(lang, "fig.gap_network.width"),
            loc="lower center",
            bbox_to_anchor=(0.5, -0.09),
            ncol=len(handles),
            fontsize=LABEL_PT,
            title_fontsize=LABEL_PT,
            frameon=False,
        )
    sub = t(lang, "fig.gap_network.sub", shown=len(shown), total=total)
    ax.set_title(f"{t(lang, 'fig.gap_network')}: {_label(folder)}\n{_wrap(sub, 120)}", fontsize=LABEL_PT + 1)
    return _save(fig, out, name, svg, lang)


def _g(v: float, lang: str) -> str:
    """``v`` in its shortest form, with a decimal comma in Swedish."""
    return f"{v:g}".replace(".", ",") if lang == "sv" else f"{v:g}"


def _nice(v: float) -> float:
    """``v`` rounded to one or two significant digits (legend values)."""
    if v <= 0:
        return 0.0
    exp = np.floor(np.log10(v))
    return float(np.round(v / 10**exp, 1) * 10**exp) if v < 10 else float(round(v))


def run_figures(
    folder: Path,
    lang: str = "en",
    svg: bool = False,
    jobs: int = 1,
    meanwhile: Callable[[], object] | None = None,
    workers: PreparedPool | None = None,
) -> list[Path]:
    """All figures of one run folder, into ``folder/figures``, drawn by up to ``jobs`` processes
    (``meanwhile`` and ``workers``: see :func:`draw`)."""
    out = folder / "figures"
    return draw(
        [
            (ready_over_time, ([folder], out, lang, svg)),
            (ready_days_distribution, ([folder], out, lang, svg)),
            (discharges_by_weekday, ([folder], out, lang, svg)),
            (gaps_by_kind, ([folder], out, lang, svg)),
            (gap_network, (folder, out, lang, svg)),
        ],
        jobs,
        meanwhile,
        workers,
    )


Drawing = tuple[Callable[..., list[Path]], tuple[Any, ...]]
"""One figure to draw: a figure function of this module and its arguments."""

# Relative cost of drawing each figure of a run, for sharing them out (measured on 27 Nov 2026, one
# and eight replications of nordost-2019: the gap network 0.34-0.47 s, the distribution of ready days
# 0.24-0.29 s, weekday discharges and gaps by kind 0.18-0.27 s, the time series 0.18-0.26 s). The old
# weights (the time series 2, the network 1.5) gave one process 0.84 s and the other 0.39 s.
_COST = {
    "gap_network": 2.0,
    "ready_days_distribution": 1.3,
    "discharges_by_weekday": 1.1,
    "gaps_by_kind": 1.1,
}


def prepare_workers(jobs: int, intervals: bool = True) -> PreparedPool | None:
    """Processes to draw figures later, made now: the first imports matplotlib (and what the figures read
    with) while this process goes on, on a core that is otherwise idle while one replication runs.
    ``None`` with one job (the figures are then drawn by this process). ``intervals``: whether the
    figures will have intervals to draw (more than one replication). Pass it to :func:`draw`; close it
    if it is not used."""
    if jobs < 2:
        return None
    from runner.pool import PreparedPool

    return PreparedPool(partial(import_drawing, intervals))


def import_drawing(intervals: bool = True) -> None:
    """What drawing needs, imported once in the process its workers are forked from (or, in ``run``
    with a replication for every core, in the main process while the replications' workers simulate).

    ``scipy.special`` (the t quantile of the intervals) only if there will be intervals: it is 0.3 s of
    the 1.1 s, and with one replication the figures wait for this process after the run.
    """
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.collections  # noqa: F401
    import matplotlib.dates  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    if intervals:
        import scipy.special  # noqa: F401


def draw(
    drawings: list[Drawing],
    jobs: int = 1,
    meanwhile: Callable[[], object] | None = None,
    workers: PreparedPool | None = None,
) -> list[Path]:
    """Draw ``drawings``, in this process or shared among up to ``jobs`` processes; their paths, in order.

    With ``jobs`` >= 2 the figures are shared out by cost among ``jobs`` processes forked from one that
    imported matplotlib (``workers`` from :func:`prepare_workers`, made earlier so that it is ready by
    now, or made here); this process draws none of them and imports matplotlib only if it has not
    already (``run`` with a replication for every core imports it here, :func:`import_drawing`, so
    that the processes made here inherit it). A figure is
    independent of the others (each reads its run folder and writes its own files), and matplotlib
    draws the same bytes in any process, so the files do not depend on ``jobs``. ``meanwhile()``, if
    given, runs in this process while they draw. ``workers`` is closed on return.
    """
    groups = _share(drawings, min(jobs, len(drawings)))
    if len(groups) < 2:
        if workers is not None:
            workers.close()
        if meanwhile is not None:
            meanwhile()
        return [path for paths in _draw_each(drawings) for path in paths]
    if workers is None:
        workers = prepare_workers(len(groups))
        assert workers is not None
    drawn = workers.map(_draw_each, [[drawings[i] for i in group] for group in groups], meanwhile)
    done = {
        i: paths
        for group, each in zip(groups, drawn, strict=True)
        for i, paths in zip(group, each, strict=True)
    }
    return [path for i in range(len(drawings)) for path in done[i]]


def _draw_each(drawings: list[Drawing]) -> list[list[Path]]:
    """Draw ``drawings`` here, one after the other: the paths of each."""
    return [function(*args) for function, args in drawings]


def _share(drawings: list[Drawing], k: int) -> list[list[int]]:
    """Indices of ``drawings`` in ``k`` groups of about equal cost (the dearest first, to the cheapest group).

    Ties go to the lower group, so the split is always the same.
    """
    if k < 2:
        return [list(range(len(drawings)))]
    groups: list[list[int]] = [[] for _ in range(k)]
    load = [0.0] * k
    order = sorted(range(len(drawings)), key=lambda i: -_COST.get(drawings[i][0].__name__, 1.0))
    for i in order:
        g = load.index(min(load))
        groups[g].append(i)
        load[g] += _COST.get(drawings[i][0].__name__, 1.0)
    return [sorted(g) for g in groups if g]
