"""Results per kommun and per hospital, combined from the summaries a run already wrote.

Each row is a mean over the run's replications (``n``). The window is the summary's:
``[warmup_days, days)``. Every replication's summary carries its own figures per organisation
(``simulation.metrics``); this module only averages them, so it reads no table and needs no pandas
to write its CSV files or its workbook (``results.xlsx``, by :mod:`vardkedja_cli.export`). Definitions
(``docs/OUTPUTS.md`` §1.1):

- ``ready_bed_days``: utskrivningsklara bed-days in the window (per kommun: its residents, from
  ``ready_bed_days_by_kommun``; per hospital: the sum over its wards of ``ready_bed_days_by_ward``);
- ``ready_bed_days_per_1000_65plus`` (kommun only): annualised, per 1,000 residents aged 65+;
- ``mean_ready_days_indicator``: the official indicator over the group's LUS episodes discharged in the
  window with at least one day utskrivningsklar (``mean_ready_days_indicator_by_<group>``; a
  replication without such episodes is left out);
- ``gaps_<kind>``, ``gaps_total``: gap events in the window whose episode belongs to the group
  (the patient's home kommun; the hospital of the episode): ``gap_events_by_<group>``;
- ``payment_sek``: per kommun its payment liability in the window (``payment_sek_by_kommun``); per
  hospital the liability for the episodes discharged from it in the window, whole stays
  (``payment_sek_by_hospital``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulation.gaps import GapKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GAP_KINDS", "breakdown_rows", "breakdowns", "write_breakdowns"]

GAP_KINDS = tuple(kind.value for kind in GapKind)
"""Every gap kind the model records, in the model's order (one list: simulation.gaps)."""

Row = dict[str, Any]


def _runs(folder: Path) -> list[dict[str, Any]]:
    s = json.loads((folder / "summary.json").read_text())
    return s.get("runs") or [s]


def _mean(values: list[float | None]) -> float | None:
    """The mean of the values that are not None (None if there are none)."""
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def breakdown_rows(folder: Path) -> dict[str, list[Row]]:
    """``{"kommun": [...], "hospital": [...]}``: one row (a dict, columns in order) per organisation."""
    runs = _runs(folder)
    n = len(runs)
    scenario = runs[0]["scenario"]
    resolved = json.loads((folder / "scenario.json").read_text())["scenario"]
    ward_hospital = {w: d["hospital"] for w, d in resolved["ward"].items()}
    names = {"kommun": sorted(resolved["kommun"]), "hospital": sorted(resolved["hospital"])}

    def each(key: str, name: str) -> list[Any]:
        return [r[key].get(name) for r in runs]

    def over_runs(key: str, name: str) -> float:  # a run without the figure counts as 0
        return sum(float(v or 0.0) for v in each(key, name)) / n

    def gaps(group: str, name: str) -> Row:
        counts = {kind: sum(r[f"gap_events_by_{group}"][name][kind] for r in runs) for kind in GAP_KINDS}
        return {
            **{f"gaps_{kind}": counts[kind] / n for kind in GAP_KINDS},
            "gaps_total": sum(counts.values()) / n,
        }

    hospital_ready = dict.fromkeys(names["hospital"], 0.0)
    for r in runs:
        for w, days in r["ready_bed_days_by_ward"].items():
            hospital_ready[ward_hospital[w]] += float(days) / n
    kommun = [
        {
            "scenario": scenario,
            "kommun": k,
            "ready_bed_days": over_runs("ready_bed_days_by_kommun", k),
            "ready_bed_days_per_1000_65plus": _mean(each("ready_bed_days_per_1000_65plus_by_kommun", k)),
            "mean_ready_days_indicator": _mean(each("mean_ready_days_indicator_by_kommun", k)),
            **gaps("kommun", k),
            "payment_sek": over_runs("payment_sek_by_kommun", k),
            "n": n,
        }
        for k in names["kommun"]
    ]
    hospital = [
        {
            "scenario": scenario,
            "hospital": h,
            "ready_bed_days": hospital_ready[h],
            "mean_ready_days_indicator": _mean(each("mean_ready_days_indicator_by_hospital", h)),
            **gaps("hospital", h),
            "payment_sek": over_runs("payment_sek_by_hospital", h),
            "n": n,
        }
        for h in names["hospital"]
    ]
    return {"kommun": kommun, "hospital": hospital}


def breakdowns(folder: Path) -> dict[str, pd.DataFrame]:
    """``{"kommun": ..., "hospital": ...}``: :func:`breakdown_rows` as data frames."""
    import pandas as pd

    frames = {}
    for kind, rows in breakdown_rows(folder).items():
        df = pd.DataFrame(rows)
        numbers = [c for c in df.columns if c not in ("scenario", kind, "n")]
        df[numbers] = df[numbers].astype(float)  # a column empty everywhere is NaN, not None
        frames[kind] = df
    return frames


def _cell(value: Any) -> Any:
    # as pandas writes them: None empty, floats by repr (the shortest text that reads back the same)
    return "" if value is None else repr(value) if isinstance(value, float) else value


def _about(folder: Path) -> list[tuple[str, Any]]:
    """What the run's workbook says it is: scenario, seeds, replications, horizon, version, digest."""
    summary = json.loads((folder / "summary.json").read_text())
    written = json.loads((folder / "scenario.json").read_text())
    resolved = written["scenario"]
    seeds = summary.get("replication_seeds", [summary["seed"]])
    return [
        ("scenario", summary["scenario"]),
        ("seed", written["base_seed"]),
        ("replications", len(seeds)),
        ("days", resolved["days"]),
        ("warmup_days", resolved["warmup_days"]),
        ("version", summary["version"]),
        ("scenario_digest", written["digest"]),
        ("replication_seeds", ", ".join(str(x) for x in seeds)),
    ]


def write_breakdowns(folder: Path, out: Path | None = None, lang: str = "en") -> dict[str, list[Row]]:
    """Write ``by_kommun.csv``, ``by_hospital.csv`` and ``results.xlsx`` of one run folder into ``out``
    (default: it).

    The CSV files are for programs (comma-separated, decimal point, UTF-8, English column names); the
    workbook holds the same rows for people who open them in Excel, whose Swedish settings read a CSV
    file wrongly (one column, "LidingÃ¶"): numbers as numbers, sheet names and headers in ``lang``.
    """
    from vardkedja_cli.export import write_breakdown_xlsx

    tables = breakdown_rows(folder)
    out = out or folder
    for kind, rows in tables.items():
        with open(out / f"by_{kind}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(list(rows[0]))
            writer.writerows([_cell(v) for v in row.values()] for row in rows)
    write_breakdown_xlsx(out / "results.xlsx", tables, _about(folder), lang)
    return tables
