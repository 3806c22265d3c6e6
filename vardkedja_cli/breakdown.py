"""Results per kommun and per hospital, derived from the tables and summaries a run already wrote.

Each row is a mean over the run's replications (``n``). The window is the summary's:
``[warmup_days, days)``. Definitions (``docs/OUTPUTS.md`` §1.1):

- ``ready_bed_days``: utskrivningsklara bed-days in the window (per kommun: its residents, from
  ``ready_bed_days_by_kommun``; per hospital: the sum over its wards of ``ready_bed_days_by_ward``);
- ``ready_bed_days_per_1000_65plus`` (kommun only): annualised, per 1,000 residents aged 65+;
- ``mean_ready_days_indicator``: the official indicator over the group's LUS episodes discharged in the
  window with at least one day utskrivningsklar (a replication without such episodes is left out);
- ``gaps_<kind>``, ``gaps_total``: gap events in the window whose episode belongs to the group
  (the patient's home kommun; the hospital of the episode);
- ``payment_sek``: per kommun its payment liability in the window (``payment_sek_by_kommun``); per
  hospital the liability for the episodes discharged from it in the window, whole stays.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.gaps import GapKind

__all__ = ["GAP_KINDS", "breakdowns", "write_breakdowns"]

GAP_KINDS = tuple(kind.value for kind in GapKind)
"""Every gap kind the model records, in the model's order (one list: simulation.gaps)."""


def _runs(folder: Path) -> list[dict[str, Any]]:
    s = json.loads((folder / "summary.json").read_text())
    return s.get("runs") or [s]


def breakdowns(folder: Path) -> dict[str, pd.DataFrame]:
    """``{"kommun": ..., "hospital": ...}``: one row per organisation, means over replications."""
    runs = _runs(folder)
    n = len(runs)
    scenario = runs[0]["scenario"]
    w0, horizon = int(runs[0]["warmup_days"]), int(runs[0]["days"])
    resolved = json.loads((folder / "scenario.json").read_text())["scenario"]
    price = float(resolved["rules"]["payment_price_sek"])
    ward_hospital = {w: d["hospital"] for w, d in resolved["ward"].items()}
    kommuner = sorted(resolved["kommun"])
    hospitals = sorted(resolved["hospital"])

    ep = pd.read_parquet(
        folder / "episodes.parquet",
        columns=[
            "replication",
            "episode_id",
            "kommun",
            "hospital",
            "support",
            "home_health_care",
            "payment_days",
            "discharged",
            "ready_days",
        ],
    )
    gaps = pd.read_parquet(
        folder / "gap_events.parquet", columns=["replication", "day", "episode_id", "kind"]
    )
    gaps = gaps[(gaps["day"] >= w0) & (gaps["day"] < horizon)]
    gaps = gaps.merge(
        ep[["replication", "episode_id", "kommun", "hospital"]], on=["replication", "episode_id"]
    )
    done = ep[ep["discharged"].notna() & (ep["discharged"] >= w0) & (ep["discharged"] < horizon)]
    lus = done[(done["support"] != "none") | done["home_health_care"]]
    indicator_eps = lus[lus["ready_days"] >= 1]

    def indicator(by: str, names: list[str]) -> pd.Series:
        per_rep = indicator_eps.groupby([by, "replication"])["ready_days"].mean().astype(float)
        return per_rep.groupby(level=0).mean().reindex(names)

    def gap_counts(by: str, names: list[str]) -> pd.DataFrame:
        counts = gaps.groupby([by, "kind"]).size().unstack(fill_value=0)
        counts = counts.reindex(index=names, columns=list(GAP_KINDS), fill_value=0) / n
        counts.columns = [f"gaps_{k}" for k in counts.columns]
        counts["gaps_total"] = counts.sum(axis=1)
        return counts

    def mean_of(field: str, names: list[str]) -> pd.Series:
        return pd.Series({k: sum(float(r[field].get(k) or 0.0) for r in runs) / n for k in names})

    def per_1000(k: str) -> float | None:
        vals = [
            r["ready_bed_days_per_1000_65plus_by_kommun"].get(k)
            for r in runs
            if r.get("ready_bed_days_per_1000_65plus_by_kommun")
        ]
        vals = [float(v) for v in vals if v is not None]
        return sum(vals) / len(vals) if vals else None

    kommun = pd.DataFrame(
        {
            "scenario": scenario,
            "kommun": kommuner,
            "ready_bed_days": mean_of("ready_bed_days_by_kommun", kommuner).to_numpy(),
            "ready_bed_days_per_1000_65plus": [per_1000(k) for k in kommuner],
            "mean_ready_days_indicator": indicator("kommun", kommuner).to_numpy(dtype=float),
        }
    )
    kommun = pd.concat([kommun, gap_counts("kommun", kommuner).reset_index(drop=True)], axis=1)
    kommun["payment_sek"] = mean_of("payment_sek_by_kommun", kommuner).to_numpy()
    kommun["n"] = n

    hospital_ready = dict.fromkeys(hospitals, 0.0)
    for r in runs:
        for w, days in r["ready_bed_days_by_ward"].items():
            hospital_ready[ward_hospital[w]] += float(days) / n
    payment = done.groupby("hospital")["payment_days"].sum().reindex(hospitals, fill_value=0) * price / n
    hospital = pd.DataFrame(
        {
            "scenario": scenario,
            "hospital": hospitals,
            "ready_bed_days": [hospital_ready[h] for h in hospitals],
            "mean_ready_days_indicator": indicator("hospital", hospitals).to_numpy(dtype=float),
        }
    )
    hospital = pd.concat([hospital, gap_counts("hospital", hospitals).reset_index(drop=True)], axis=1)
    hospital["payment_sek"] = payment.to_numpy(dtype=float)
    hospital["n"] = n
    return {"kommun": kommun, "hospital": hospital}


def write_breakdowns(folder: Path, out: Path | None = None) -> dict[str, pd.DataFrame]:
    """Write ``by_kommun.csv`` and ``by_hospital.csv`` of one run folder into ``out`` (default: it)."""
    tables = breakdowns(folder)
    out = out or folder
    for kind, df in tables.items():
        df.to_csv(out / f"by_{kind}.csv", index=False)
    return tables
