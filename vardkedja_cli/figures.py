"""Figures for runs and comparisons (matplotlib, PNG and SVG), drawn from the files a run wrote.

Each function takes one or more run folders (see ``runner.experiment``) and writes into ``out``; none of
them runs the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

__all__ = [
    "FIGURES",
    "discharges_by_weekday",
    "gap_network",
    "gaps_by_kind",
    "ready_days_distribution",
    "ready_over_time",
    "run_figures",
]

FIGURES = {
    "ready_over_time": "Utskrivningsklara patients in beds per day (mean over replications; band: "
    "middle 95 % of replications)",
    "ready_days": "Days utskrivningsklar per LUS episode",
    "weekday_discharges": "Discharges by weekday (LUS patients and others)",
    "gaps_by_kind": "Gap events by kind (per 100 discharges)",
    "gap_network": "Gap events on the network of organisations "
    "(edge width = gap events, colour = relationship strength at the end)",
}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _save(fig: plt.Figure, out: Path, name: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = out / f"{name}.{ext}"
        fig.savefig(
            path,
            dpi=110 if ext == "png" else None,
            bbox_inches="tight",
            metadata={"Date": None} if ext == "svg" else None,
        )
        paths.append(path)
    plt.close(fig)
    return paths


def _label(folder: Path) -> str:
    return json.loads((folder / "summary.json").read_text())["scenario"]


def _first_run(folder: Path) -> dict:
    s = json.loads((folder / "summary.json").read_text())
    return (s.get("runs") or [s])[0]


def _warmup(folder: Path) -> int:
    return int(_first_run(folder)["warmup_days"])


def ready_over_time(folders: list[Path], out: Path) -> list[Path]:
    """Daily utskrivningsklara patients in beds: mean over replications and the band within which
    95 % of replications lie. Scenarios that start on different dates share a day-of-run axis."""
    fig, ax = plt.subplots(figsize=(9, 4))
    starts = {_first_run(f)["start_date"] for f in folders}
    by_date = len(starts) == 1
    for folder in folders:
        daily = pd.read_parquet(
            folder / "daily.parquet", columns=["replication", "day", "date", "ready_in_beds"]
        )
        wide = daily.pivot(index="day", columns="replication", values="ready_in_beds")
        if by_date:
            x = pd.to_datetime(daily.drop_duplicates("day").set_index("day")["date"]).loc[wide.index]
        else:
            x = pd.Series(wide.index, index=wide.index)
        line = ax.plot(x, wide.mean(axis=1), label=_label(folder), lw=1.5)[0]
        if wide.shape[1] > 1:
            lo, hi = wide.quantile(0.025, axis=1), wide.quantile(0.975, axis=1)
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
        w0 = _warmup(folder)
        if w0 > 0:
            ax.axvspan(x.iloc[0], x.iloc[min(w0, len(x) - 1)], color="0.9", zorder=0)
    ax.set_ylabel("patients utskrivningsklara in beds")
    ax.set_xlabel("" if by_date else "day of the run (the scenarios start on different dates)")
    ax.set_title(
        "Utskrivningsklara patients in beds per day: mean over replications, band = middle 95 % "
        "of replications (grey: warm-up)",
        fontsize=9,
    )
    ax.legend(loc="upper left", fontsize=8)
    if by_date:
        fig.autofmt_xdate()
    return _save(fig, out, "ready_over_time")


def _lus_episodes(folder: Path) -> pd.DataFrame:
    ep = pd.read_parquet(folder / "episodes.parquet")
    w0 = _warmup(folder)
    done = ep[ep["discharged"].notna() & (ep["discharged"] >= w0)]
    return done


def ready_days_distribution(folders: list[Path], out: Path) -> list[Path]:
    """Histogram of days utskrivningsklar per LUS episode (share of episodes)."""
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / len(folders)
    for i, folder in enumerate(folders):
        ep = _lus_episodes(folder)
        lus = ep[(ep["support"] != "none") | ep["home_health_care"]]
        days = lus["ready_days"].astype(int).clip(upper=15)
        share = days.value_counts(normalize=True).sort_index()
        ax.bar(
            share.index + i * width - 0.4 + width / 2,
            share.values,
            width=width,
            label=_label(folder),
        )
    ax.set_xticks(range(16), [str(i) for i in range(15)] + ["15+"])
    ax.set_xlabel("days utskrivningsklar before discharge")
    ax.set_ylabel("share of LUS episodes")
    ax.set_title(FIGURES["ready_days"], fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, out, "ready_days")


def discharges_by_weekday(folders: list[Path], out: Path) -> list[Path]:
    """Discharges per weekday, LUS patients (coordinated) and others, per replication."""
    fig, axes = plt.subplots(1, len(folders), figsize=(4 * len(folders) + 1, 3.6), squeeze=False, sharey=True)
    for ax, folder in zip(axes[0], folders, strict=True):
        ep = _lus_episodes(folder)
        n_rep = max(1, ep["replication"].nunique())
        start = pd.Timestamp(_first_run(folder)["start_date"])
        weekday = (start + pd.to_timedelta(ep["discharged"].astype(int), unit="D")).dt.weekday
        lus = (ep["support"] != "none") | ep["home_health_care"]
        counts_lus = weekday[lus].value_counts().reindex(range(7), fill_value=0) / n_rep
        counts_other = weekday[~lus].value_counts().reindex(range(7), fill_value=0) / n_rep
        ax.bar(WEEKDAYS, counts_other.values, label="no support needed", color="0.7")
        ax.bar(
            WEEKDAYS,
            counts_lus.values,
            bottom=counts_other.values,
            label="LUS patients",
            color="tab:blue",
        )
        ax.set_title(_label(folder), fontsize=9)
    axes[0][0].set_ylabel("discharges per replication")
    axes[0][0].legend(fontsize=8)
    fig.suptitle(FIGURES["weekday_discharges"], fontsize=10)
    return _save(fig, out, "weekday_discharges")


def gaps_by_kind(folders: list[Path], out: Path) -> list[Path]:
    """Gap events per 100 discharges by kind, mean and 95 % interval over replications."""
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(folders)
    kinds: list[str] = []
    for i, folder in enumerate(folders):
        s = json.loads((folder / "summary.json").read_text())
        runs = s.get("runs") or [s]
        kinds = list(runs[0]["gaps_per_100_discharges_by_kind"])
        vals = np.array([[r["gaps_per_100_discharges_by_kind"][k] or 0.0 for k in kinds] for r in runs])
        mean = vals.mean(axis=0)
        err = 1.96 * vals.std(axis=0, ddof=1) / np.sqrt(len(runs)) if len(runs) > 1 else None
        x = np.arange(len(kinds)) + i * width - 0.4 + width / 2
        ax.bar(x, mean, width=width, yerr=err, capsize=2, label=_label(folder))
    ax.set_xticks(range(len(kinds)), [k.replace("_", "\n") for k in kinds], fontsize=8)
    ax.set_ylabel("gap events per 100 discharges")
    ax.set_title(FIGURES["gaps_by_kind"], fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, out, "gaps_by_kind")


def gap_network(folder: Path, out: Path, max_edges: int = 80, name: str = "gap_network") -> list[Path]:
    """The organisations as a network: wards | kommuner | vårdcentraler, gaps drawn on the edges."""
    rel = pd.read_parquet(folder / "relationships.parquet")
    gaps = pd.read_parquet(folder / "gap_events.parquet")
    w0 = _warmup(folder)
    gaps = gaps[gaps["day"] >= w0]
    n_rep = max(1, rel["replication"].nunique())
    strength = rel.groupby(["org_a", "org_b"])["strength_end"].mean()
    kinds = dict(zip(rel["org_a"], rel["kind_a"], strict=False)) | dict(
        zip(rel["org_b"], rel["kind_b"], strict=False)
    )
    counts = gaps.groupby(["org_a", "org_b"]).size() / n_rep
    g = nx.Graph()
    for (a, b), n in counts.sort_values(ascending=False).head(max_edges).items():
        s = strength.get((a, b), strength.get((b, a), np.nan))
        if g.has_edge(a, b):
            g[a][b]["gaps"] += n
        else:
            g.add_edge(a, b, gaps=n, strength=s)
    fig, ax = plt.subplots(figsize=(10, 7))
    if g.number_of_edges() == 0:
        ax.text(0.5, 0.5, "no gap events", ha="center", va="center")
        ax.axis("off")
        return _save(fig, out, name)
    layer = {"ward": 0, "kommun": 1, "vardcentral": 2}
    for node in g.nodes:
        g.nodes[node]["layer"] = layer.get(kinds.get(node, "kommun"), 1)
    pos = nx.multipartite_layout(g, subset_key="layer")
    widths = np.array([d["gaps"] for _, _, d in g.edges(data=True)])
    colours = [d["strength"] for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(
        g,
        pos,
        ax=ax,
        width=0.5 + 6 * widths / widths.max(),
        edge_color=colours,
        edge_cmap=plt.cm.RdYlGn,
        edge_vmin=0.0,
        edge_vmax=1.0,
    )
    node_colour = {0: "tab:red", 1: "tab:blue", 2: "tab:green"}
    nx.draw_networkx_nodes(
        g, pos, ax=ax, node_size=60, node_color=[node_colour[g.nodes[n]["layer"]] for n in g.nodes]
    )
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=6)
    sm = plt.cm.ScalarMappable(cmap=plt.cm.RdYlGn, norm=plt.Normalize(0, 1))
    fig.colorbar(sm, ax=ax, label="relationship strength (end of run)", shrink=0.6)
    ax.set_title(
        "Wards (left) | kommuner (middle) | vårdcentraler (right): gap events per replication on each edge",
        fontsize=10,
    )
    ax.axis("off")
    return _save(fig, out, name)


def run_figures(folder: Path) -> list[Path]:
    """All figures of one run folder, into ``folder/figures``."""
    out = folder / "figures"
    paths = []
    paths += ready_over_time([folder], out)
    paths += ready_days_distribution([folder], out)
    paths += discharges_by_weekday([folder], out)
    paths += gaps_by_kind([folder], out)
    paths += gap_network(folder, out)
    return paths
