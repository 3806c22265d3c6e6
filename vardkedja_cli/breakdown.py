"""Results per kommun and per hospital, combined from the summaries a run already wrote.

Each row is a mean over the run's replications (``n``) of the figures each replication has
(:func:`replication_values`); a comparison gives the same figures their intervals and paired differences
(``comparison_by_kommun.csv``: :func:`vardkedja_cli.compare.tidy_breakdown`). The window is the summary's:
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

__all__ = ["COLUMNS", "GAP_KINDS", "breakdown_rows", "breakdowns", "replication_values", "write_breakdowns"]

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


COLUMNS = {
    "kommun": (
        "ready_bed_days",
        "ready_bed_days_per_1000_65plus",
        "mean_ready_days_indicator",
        *(f"gaps_{kind}" for kind in GAP_KINDS),
        "gaps_total",
        "payment_sek",
    ),
    "hospital": (
        "ready_bed_days",
        "mean_ready_days_indicator",
        *(f"gaps_{kind}" for kind in GAP_KINDS),
        "gaps_total",
        "payment_sek",
    ),
}
"""The figures per kommun and per hospital, in the tables' order (the metrics of ``comparison_by_*``)."""


def replication_values(folder: Path) -> dict[str, dict[str, dict[str, list[float | None]]]]:
    """``{"kommun": {name: {column: values}}, "hospital": ...}``: every figure of :data:`COLUMNS` per
    organisation, one value per replication in replication order (the rows' means, and their intervals
    and paired differences in a comparison, are computed from these).

    Bed-days and payment of a replication without the figure count as 0; the indicator and the figure
    per 1,000 inhabitants 65+ are None where a replication has none (no episode with a ready day; no
    inhabitant aged 65+).
    """
    runs = _runs(folder)
    resolved = json.loads((folder / "scenario.json").read_text())["scenario"]
    ward_hospital = {w: d["hospital"] for w, d in resolved["ward"].items()}

    def each(key: str, name: str) -> list[float | None]:
        return [None if (v := r[key].get(name)) is None else float(v) for r in runs]

    def summed(key: str, name: str) -> list[float | None]:  # a run without the figure counts as 0
        return [float(r[key].get(name) or 0.0) for r in runs]

    def gaps(group: str, name: str) -> dict[str, list[float | None]]:
        counts = [r[f"gap_events_by_{group}"][name] for r in runs]
        return {
            **{f"gaps_{kind}": [float(c[kind]) for c in counts] for kind in GAP_KINDS},
            "gaps_total": [float(sum(c[kind] for kind in GAP_KINDS)) for c in counts],
        }

    hospital_ready = [
        {
            h: sum(int(days) for w, days in r["ready_bed_days_by_ward"].items() if ward_hospital[w] == h)
            for h in resolved["hospital"]
        }
        for r in runs
    ]
    values: dict[str, dict[str, dict[str, list[float | None]]]] = {"kommun": {}, "hospital": {}}
    for k in sorted(resolved["kommun"]):
        values["kommun"][k] = {
            "ready_bed_days": summed("ready_bed_days_by_kommun", k),
            "ready_bed_days_per_1000_65plus": each("ready_bed_days_per_1000_65plus_by_kommun", k),
            "mean_ready_days_indicator": each("mean_ready_days_indicator_by_kommun", k),
            **gaps("kommun", k),
            "payment_sek": summed("payment_sek_by_kommun", k),
        }
    for h in sorted(resolved["hospital"]):
        values["hospital"][h] = {
            "ready_bed_days": [float(ready[h]) for ready in hospital_ready],
            "mean_ready_days_indicator": each("mean_ready_days_indicator_by_hospital", h),
            **gaps("hospital", h),
            "payment_sek": summed("payment_sek_by_hospital", h),
        }
    return values


def breakdown_rows(folder: Path) -> dict[str, list[Row]]:
    """``{"kommun": [...], "hospital": [...]}``: one row (a dict, columns in order) per organisation,
    each figure the mean of its :func:`replication_values` that are not None."""
    scenario = _runs(folder)[0]["scenario"]
    tables: dict[str, list[Row]] = {}
    for kind, organisations in replication_values(folder).items():
        tables[kind] = [
            {
                "scenario": scenario,
                kind: name,
                **{column: _mean(figures[column]) for column in COLUMNS[kind]},
                "n": len(figures["ready_bed_days"]),
            }
            for name, figures in organisations.items()
        ]
    return tables


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
