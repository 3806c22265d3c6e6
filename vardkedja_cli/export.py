"""Tables for the people who use the numbers: CSV (tidy, numeric) and Excel (openpyxl).

``comparison.csv`` and the comparison sheet of ``comparison.xlsx`` hold the same rows and numbers;
the workbook adds a sheet per breakdown (kommun, hospital), the answer sentences and the provenance.
``comparison_by_kommun.csv`` and ``comparison_by_hospital.csv`` are ``comparison.csv`` per organisation
(means with their intervals and paired differences), each with its sheet too.
A run's ``results.xlsx`` holds its breakdowns (``by_kommun.csv``, ``by_hospital.csv``) as a workbook.

The CSV files are for programs: English machine names, whatever the language. The workbooks are for
people: their sheet names, column headers and provenance labels follow ``--lang``; in Swedish the
comparison and answers sheets get a column with each metric's name beside its key, and the key column
stays so that a formula or script can still find a row. Numbers stay numbers, shown by number format:
shares and changes in per cent as fractions in a ``%`` format, kronor as whole kronor.

Office files are made reproducible: no creation or modification dates in their properties and fixed
timestamps in the zip container, so the same inputs give the same bytes.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vardkedja_cli.i18n import t

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "column_title",
    "make_reproducible",
    "metric_label",
    "sheet_name",
    "write_breakdown_xlsx",
    "write_tables",
    "write_xlsx",
]

_PERCENT = {
    "ready_bed_share",
    "same_day_discharge_share",
    "weekend_discharge_share",
    "sip_rate",
    "readmission_30d_rate",
}
_COUNT = {"ready_bed_days", "admissions", "discharges", "turned_away"}
_PER_1000 = {"ready_bed_days_per_1000_65plus"}
KRONOR = "#,##0"
"""Every amount in kronor, on every sheet: whole kronor (a mean over replications has öre nobody uses)."""
PCT = "0.0%"
"""The answers' relative change (``pct``): stored as a fraction, -0.4296, shown as -43.0 %."""
_PCT_COLUMNS = ("pct", "pct_low", "pct_low_shown", "pct_high")
_LABEL = "label"  # the column of metric names beside the key column (workbooks not in English)
_BY_METRIC = {"mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high", "base_mean"}
"""Columns in the unit of the row's metric (a share as 6.09 %, a count as 1,766.0)."""


def write_tables(
    out: Path,
    tidy: pd.DataFrame,
    by: dict[str, pd.DataFrame],
    data: dict[str, Any],
    by_tidy: dict[str, pd.DataFrame],
) -> None:
    """``comparison.csv``, ``by_kommun.csv``, ``by_hospital.csv``, ``comparison_by_kommun.csv``,
    ``comparison_by_hospital.csv`` and ``comparison.xlsx`` into ``out``."""
    tidy.to_csv(out / "comparison.csv", index=False)
    for kind, df in by.items():
        df.to_csv(out / f"by_{kind}.csv", index=False)
    for kind, df in by_tidy.items():
        df.to_csv(out / f"comparison_by_{kind}.csv", index=False)
    write_xlsx(out / "comparison.xlsx", tidy, by, data, by_tidy)


def _number_format(metric: str) -> str:
    if metric in _PERCENT:
        return "0.00%"
    if metric == "payment_sek":
        return KRONOR
    if metric in _COUNT or metric.startswith(("gap_events.", "gaps_")) or metric in _PER_1000:
        return "#,##0.0"
    return "#,##0.000"


def sheet_name(lang: str, key: str) -> str:
    """The name of the workbook's sheet ``key`` (``comparison``, ``by_kommun``, ...) in ``lang``."""
    return t(lang, f"xlsx.sheet.{key}")


def column_title(lang: str, column: str, sheet: str = "") -> str:
    """The header of ``column`` in a workbook in ``lang``: in English the machine name (as in the CSV
    files), otherwise the catalogue's words for it (the tables' own where the report has them).
    ``sheet`` tells the answers sheet's ``n`` (pairs) from the comparison's (replications)."""
    if lang == "en":
        return column
    if column.startswith("gaps_") and column != "gaps_total":
        return f"{t(lang, 'label.gap_events_total')}: {t(lang, f'gap.{column[5:]}')}"
    own = {
        "kommun": "col.kommun",
        "hospital": "col.hospital",
        "ready_bed_days": "col.ready_bed_days",
        "mean_ready_days_indicator": "col.indicator",
        "payment_sek": "col.payment_sek",
    }
    if column in own:
        return t(lang, own[column])
    if column == "n" and sheet == "answers":
        return t(lang, "xlsx.col.n_pairs")
    return t(lang, f"xlsx.col.{column}")


def metric_label(lang: str, metric: str) -> str:
    """A metric key of ``comparison.csv`` (``ready_bed_days``, ``gap_events.sip_not_called``) by name."""
    if metric.startswith("gap_events."):
        return f"{t(lang, 'label.gap_events_total')}: {t(lang, f'gap.{metric.split(".", 1)[1]}')}"
    return t(lang, f"label.{metric}")


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def _sheet(
    wb: Any,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: dict[str, str],
    freeze: str,
    headers: Sequence[str] | None = None,
) -> Any:
    """A sheet: a bold header row (``headers``, else ``columns``) frozen above ``rows``, each column's
    cells in ``formats[column]``. Long headers wrap rather than widen their column past its numbers."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title)
    headers = list(headers or columns)
    ws.append(headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    for j, (col, head) in enumerate(zip(columns, headers, strict=True), start=1):
        fmt = formats.get(col)
        letter = ws.cell(row=1, column=j).column_letter
        values = max((len(str(_cell(r[j - 1]))) for r in rows[:200]), default=0)
        width = min(max(10, values + 2, min(len(head), 24) + 2), 60)
        ws.column_dimensions[letter].width = width
        if len(head) + 2 > width:
            ws.cell(row=1, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    ws.freeze_panes = freeze
    return ws


def _frame_sheet(
    wb: Any,
    key: str,
    df: pd.DataFrame,
    formats: dict[str, str],
    lang: str,
    label: Callable[[str, str], str] = metric_label,
) -> Any:
    """A data frame with a ``metric`` column as sheet ``key`` in ``lang``, with the metric's name
    (``label(lang, metric)``) beside its key in a workbook not in English; panes frozen right of the
    metric's key, or of its name. The cells of the columns in the unit of their metric (``_BY_METRIC``)
    get each row's metric's number format."""
    from openpyxl.utils import get_column_letter

    columns = list(df.columns)
    rows = df.astype(object).values.tolist()
    at = columns.index("metric") + 1
    if lang != "en":
        columns.insert(at, _LABEL)
        rows = [[*r[:at], label(lang, r[at - 1]), *r[at:]] for r in rows]
    freeze = f"{get_column_letter(at + 1 if lang == 'en' else at + 2)}2"
    headers = [column_title(lang, c, key) for c in columns]
    ws = _sheet(wb, sheet_name(lang, key), columns, rows, formats, freeze, headers)
    by_metric = [j for j, c in enumerate(columns, start=1) if c in _BY_METRIC]
    for r, row in enumerate(rows, start=2):
        fmt = _number_format(row[at - 1])
        for j in by_metric:
            ws.cell(row=r, column=j).number_format = fmt
    return ws


def _breakdown_formats(columns: Sequence[str]) -> dict[str, str]:
    formats = {c: "#,##0.0" for c in columns if c.startswith("gaps_") or c == "ready_bed_days"}
    formats |= {"payment_sek": KRONOR, "mean_ready_days_indicator": "0.00"}
    formats |= {"ready_bed_days_per_1000_65plus": "0.0"}
    return formats


def _breakdown_sheets(wb: Any, by: dict[str, tuple[list[str], list[list[Any]]]], lang: str) -> None:
    for kind, (columns, rows) in by.items():
        headers = [column_title(lang, c) for c in columns]
        _sheet(wb, sheet_name(lang, f"by_{kind}"), columns, rows, _breakdown_formats(columns), "C2", headers)


def _workbook() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "vardkedja"  # not "openpyxl"
    wb.remove(wb.active)
    return wb


def _about_sheet(wb: Any, lang: str, rows: list[tuple[str, Any]]) -> None:
    from openpyxl.styles import Font

    about = wb.create_sheet(sheet_name(lang, "about"))
    about.append([t(lang, "xlsx.col.key"), t(lang, "xlsx.col.value")])
    for c in about[1]:
        c.font = Font(bold=True)
    for row in rows:
        about.append(list(row))
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 80
    about.freeze_panes = "A2"


def write_xlsx(
    path: Path,
    tidy: pd.DataFrame,
    by: dict[str, pd.DataFrame],
    data: dict[str, Any],
    by_tidy: dict[str, pd.DataFrame],
) -> None:
    """The comparison workbook: sheets comparison, answers, by_kommun, by_hospital,
    comparison_by_kommun, comparison_by_hospital and about (named in the workbook's language,
    ``data["lang"]``). Header row bold, panes frozen below it and beside the row's names, number
    formats per metric."""
    import pandas as pd

    lang = data.get("lang", "en")
    wb = _workbook()
    _frame_sheet(wb, "comparison", tidy, {}, lang)
    answers = pd.DataFrame(data["answers"])
    if answers.empty:
        answers = pd.DataFrame(columns=["scenario", "metric", "sentence"])
    for c in _PCT_COLUMNS:  # a percentage (-42.96) as the fraction Excel shows in per cent (-43.0 %)
        if c in answers:
            answers[c] = answers[c].astype(float) / 100
    # the metric's values as on the comparison sheet (a share 0.0609 as 6.09 %); its change in per cent
    _frame_sheet(wb, "answers", answers, dict.fromkeys(_PCT_COLUMNS, PCT), lang)
    _breakdown_sheets(
        wb, {kind: (list(df.columns), df.astype(object).values.tolist()) for kind, df in by.items()}, lang
    )
    for kind, df in by_tidy.items():  # a figure per organisation is named as its column of by_<kind>
        _frame_sheet(wb, f"comparison_by_{kind}", df, {}, lang, label=column_title)
    rows: list[tuple[str, Any]] = [
        (t(lang, f"xlsx.about.{key}"), data[key])
        for key in ("base", "seed", "replications", "days", "warmup_days", "version")
    ]
    # summary.json keeps the English name (a contract); the workbook is read by people
    rows.append(
        (
            t(lang, "xlsx.about.interval"),
            t(lang, "xlsx.interval" if data["replications"] >= 2 else "xlsx.interval_one"),
        )
    )
    # diff of a share keeps the CSV's fraction (a contract), so 0.00% shows percentage points
    names = {c: column_title(lang, c) for c in ("diff", "diff_low", "diff_high", "pct")}
    rows.append(
        (
            t(lang, "xlsx.share_diff"),
            t(lang, "xlsx.share_diff_note", answers=sheet_name(lang, "answers"), **names),
        )
    )
    rows += [(t(lang, "about.settings"), setting) for setting in data.get("settings", [])]
    for s in data["scenarios"]:
        rows.append((f"{s['scenario']}: {t(lang, 'xlsx.about.scenario_digest')}", s["scenario_digest"]))
        seeds = ", ".join(str(x) for x in s["replication_seeds"])
        rows.append((f"{s['scenario']}: {t(lang, 'xlsx.about.replication_seeds')}", seeds))
    _about_sheet(wb, lang, rows)
    wb.save(path)
    make_reproducible(path)


def write_breakdown_xlsx(
    path: Path, tables: dict[str, list[dict[str, Any]]], about: list[tuple[str, Any]], lang: str = "en"
) -> None:
    """A run's ``results.xlsx``: its rows per kommun and per hospital (as in ``by_kommun.csv`` and
    ``by_hospital.csv``, numbers as numbers) and an about sheet (``about``: keys as field names, put in
    ``lang`` here), the sheet names and headers in ``lang``."""
    wb = _workbook()
    _breakdown_sheets(
        wb, {kind: (list(rows[0]), [list(r.values()) for r in rows]) for kind, rows in tables.items()}, lang
    )
    labels = [t(lang, f"xlsx.about.{key}") for key, _ in about]
    if lang != "en":  # a row label alone, not after a scenario's name: "Scenariots kontrollsumma"
        labels = [label[:1].upper() + label[1:] for label in labels]
    _about_sheet(wb, lang, [(label, value) for label, (_, value) in zip(labels, about, strict=True)])
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
