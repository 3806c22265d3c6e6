"""Tables for the people who use the numbers: CSV (tidy, numeric) and Excel (openpyxl).

``comparison.csv`` and the ``comparison`` sheet of ``comparison.xlsx`` hold the same rows and numbers;
the workbook adds a sheet per breakdown (kommun, hospital), the answer sentences and the provenance.
Office files are made reproducible: no creation or modification dates in their properties and fixed
timestamps in the zip container, so the same inputs give the same bytes.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from vardkedja_cli.i18n import t

__all__ = ["make_reproducible", "write_tables", "write_xlsx"]

_PERCENT = {
    "ready_bed_share",
    "same_day_discharge_share",
    "weekend_discharge_share",
    "sip_rate",
    "readmission_30d_rate",
}
_COUNT = {"ready_bed_days", "admissions", "discharges", "turned_away", "payment_sek"}


def write_tables(out: Path, tidy: pd.DataFrame, by: dict[str, pd.DataFrame], data: dict[str, Any]) -> None:
    """``comparison.csv``, ``by_kommun.csv``, ``by_hospital.csv`` and ``comparison.xlsx`` into ``out``."""
    tidy.to_csv(out / "comparison.csv", index=False)
    for kind, df in by.items():
        df.to_csv(out / f"by_{kind}.csv", index=False)
    write_xlsx(out / "comparison.xlsx", tidy, by, data)


def _number_format(metric: str) -> str:
    if metric in _PERCENT:
        return "0.00%"
    if metric in _COUNT or metric.startswith("gap_events."):
        return "#,##0.0"
    return "#,##0.000"


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def _sheet(wb: Any, title: str, df: pd.DataFrame, formats: dict[str, str], freeze: str) -> Any:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.append(list(df.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in df.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for j, col in enumerate(df.columns, start=1):
        fmt = formats.get(col)
        letter = ws.cell(row=1, column=j).column_letter
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
        ws.column_dimensions[letter].width = min(max(10, width + 2), 60)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    ws.freeze_panes = freeze
    return ws


def _format_by_metric(ws: Any, df: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Give the cells of ``columns`` (those ``df`` has) in each row the number format of its metric."""
    found = [j for j, c in enumerate(df.columns, start=1) if c in columns]
    for r, metric in enumerate(df["metric"], start=2):
        fmt = _number_format(metric)
        for c in found:
            ws.cell(row=r, column=c).number_format = fmt


def write_xlsx(path: Path, tidy: pd.DataFrame, by: dict[str, pd.DataFrame], data: dict[str, Any]) -> None:
    """The comparison workbook: sheets ``comparison``, ``answers``, ``by_kommun``, ``by_hospital``,
    ``about``. Header row bold, panes frozen below it, number formats per metric."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.properties.creator = "vardkedja"  # not "openpyxl"
    wb.remove(wb.active)
    ws = _sheet(wb, "comparison", tidy, {}, "C2")
    _format_by_metric(ws, tidy, ("mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"))
    answers = pd.DataFrame(data["answers"])
    if answers.empty:
        answers = pd.DataFrame(columns=["scenario", "metric", "sentence"])
    ws = _sheet(
        wb,
        "answers",
        answers,
        {c: "0.0" for c in ("pct", "pct_low", "pct_high")},  # already a percentage: -41.8
        "C2",
    )
    # the metric's values as on the comparison sheet: a share 0.0609 as 6.09 %, not beside pct's 41.8
    _format_by_metric(ws, answers, ("base_mean", "mean", "diff", "diff_low", "diff_high"))
    for kind, df in by.items():
        formats = {c: "#,##0.0" for c in df.columns if c.startswith("gaps_") or c == "ready_bed_days"}
        formats |= {"payment_sek": "#,##0", "mean_ready_days_indicator": "0.00"}
        formats |= {"ready_bed_days_per_1000_65plus": "0.0"}
        _sheet(wb, f"by_{kind}", df, formats, "C2")
    about = wb.create_sheet("about")
    about.append(["key", "value"])
    for c in about[1]:
        c.font = Font(bold=True)
    for key in ("base", "seed", "replications", "days", "warmup_days", "version"):
        about.append([key, data[key]])
    # summary.json keeps the English name (a contract); the workbook is read by people
    lang = data.get("lang", "en")
    about.append(["interval", t(lang, "ci.about" if data["replications"] >= 2 else "ci.about_one")])
    # diff of a share keeps the CSV's fraction (a contract), so 0.00% shows percentage points
    about.append([t(lang, "about.share_diff"), t(lang, "about.share_diff_note")])
    for setting in data.get("settings", []):
        about.append([t(lang, "about.settings"), setting])
    for s in data["scenarios"]:
        about.append([f"{s['scenario']}: scenario_digest", s["scenario_digest"]])
        about.append(
            [f"{s['scenario']}: replication_seeds", ", ".join(str(x) for x in s["replication_seeds"])]
        )
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 80
    about.freeze_panes = "A2"
    wb.save(path)
    make_reproducible(path)


_DATES = re.compile(
    rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>|<dcterms:(created|modified)[^>]*/>"
)


def make_reproducible(path: Path) -> None:
    """Rewrite an Office file (a zip) without dates: no created/modified properties, fixed entry times."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in entries:
            if info.filename == "docProps/core.xml":
                content = _DATES.sub(b"", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, content)
    tmp.replace(path)
