"""The files an analyst opens in Excel and Word: in the language asked for, numbers in their units, wide
tables that fit the page.

Through the real entry point (``vardkedja_cli.main.main``): one English and one Swedish ``compare`` of
the shipped weekend scenarios and two Swedish ``run`` of one scenario with the same seed (60 days, three
replications, no figures), inspected with openpyxl and python-docx.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from vardkedja_cli.compare import COLUMNS
from vardkedja_cli.i18n import MESSAGES
from vardkedja_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "nordost-2019.toml"
WEEKEND = ROOT / "scenarios" / "weekend-everyone.toml"
COMMON = ["--days", "60", "-n", "3", "--no-plots", "-j", "1"]
SHEETS = {
    "en": [
        "comparison",
        "answers",
        "by_kommun",
        "by_hospital",
        "comparison_by_kommun",
        "comparison_by_hospital",
        "about",
    ],
    "sv": [
        "Jämförelse",
        "Svar",
        "Per kommun",
        "Per sjukhus",
        "Jämförelse per kommun",
        "Jämförelse per sjukhus",
        "Om resultaten",
    ],
}


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Language → comparison folder (the Swedish one reuses nothing: its own folder)."""
    work = tmp_path_factory.mktemp("office")
    out = {}
    for lang in ("en", "sv"):
        folder = work / lang
        assert main(["compare", str(BASE), str(WEEKEND), *COMMON, "--lang", lang, "--out", str(folder)]) == 0
        out[lang] = folder
    return out


def _workbook(path: Path):  # noqa: ANN202
    from openpyxl import load_workbook

    return load_workbook(path)


def _header(ws) -> list[str]:  # noqa: ANN001
    return [c.value for c in ws[1]]


def test_swedish_workbook_has_swedish_sheets_headers_and_metric_names_beside_the_keys(compared):
    # with --lang sv the sheets were "comparison", "by_kommun", the headers "mean", "ci_low", and a metric
    # only its key, "gap_events.sip_not_called"
    wb = _workbook(compared["sv"] / "comparison.xlsx")
    assert wb.sheetnames == SHEETS["sv"]
    ws = wb["Jämförelse"]
    header = _header(ws)
    assert header[:4] == ["Scenario", "Mått (nyckel)", "Mått", "Medelvärde"]
    assert not set(header) & set(COLUMNS), header  # no English machine name left
    names = {r[1]: r[2] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert names["ready_bed_days"] == "Utskrivningsklara vårddygn"
    assert names["gap_events.sip_not_called"] == "Glapp: ingen kallelse till SIP"
    assert all(names.values())
    assert list(names) == list(pd.read_csv(compared["sv"] / "comparison.csv")["metric"].unique())
    assert ws.freeze_panes == "D2"  # scenario, key and name stay in view
    answers = _header(wb["Svar"])
    assert answers[2:4] == ["Mått (nyckel)", "Mått"] and "Förändring" in answers
    kommun = _header(wb["Per kommun"])
    assert kommun[:3] == ["Scenario", "Kommun", "Utskrivningsklara vårddygn"]
    assert "Glapp: ingen kallelse till SIP" in kommun and "Betalningsansvar (kr)" in kommun
    about = dict(wb["Om resultaten"].iter_rows(values_only=True))
    assert about["Uppgift"] == "Värde" and about["Slumptalsfrö (bas)"] == 2019
    assert about["Antal replikeringar"] == 3
    assert "parvis" in about["Intervall"] and "parat" not in about["Intervall"]
    assert not {"seed", "base", "replications", "interval"} & set(about)
    assert any(str(k).endswith(": scenariots kontrollsumma") for k in about)
    # the CSV files stay English and stable for programs
    assert tuple(pd.read_csv(compared["sv"] / "comparison.csv").columns) == COLUMNS


def test_english_workbook_keeps_its_machine_names(compared):
    wb = _workbook(compared["en"] / "comparison.xlsx")
    assert wb.sheetnames == SHEETS["en"]
    assert tuple(_header(wb["comparison"])) == COLUMNS
    assert wb["comparison"].freeze_panes == "C2"
    assert _header(wb["answers"])[:4] == ["scenario", "base", "metric", "base_mean"]
    about = dict(wb["about"].iter_rows(values_only=True))
    assert about["key"] == "value" and about["seed"] == 2019 and "interval" in about


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_answers_show_the_change_in_per_cent_and_kronor_are_whole_everywhere(compared, lang):
    # pct was -42.96 in format 0.0 (no % sign); payment_sek #,##0.0 on one sheet and #,##0 on another
    import json

    wb = _workbook(compared[lang] / "comparison.xlsx")
    comparison, answers = wb.worksheets[0], wb.worksheets[1]
    told = {a["metric"]: a for a in json.loads((compared[lang] / "summary.json").read_text())["answers"]}
    header = _header(answers)
    key = header.index(MESSAGES[lang]["xlsx.col.metric"])
    columns = ("pct", "pct_low", "pct_low_shown", "pct_high")
    pct = [header.index(MESSAGES[lang][f"xlsx.col.{c}"]) for c in columns]
    seen = set()
    for row in answers.iter_rows(min_row=2):
        metric = row[key].value
        seen.add(metric)
        assert [row[j].number_format for j in pct] == ["0.0%"] * len(columns), metric
        for j, c in zip(pct, columns, strict=True):  # -0.43 shown as -43.0 %, the cut bound too
            assert row[j].value == pytest.approx(told[metric][c] / 100), (metric, c)
    assert "payment_sek" in seen
    money = []
    for ws in (comparison, answers):
        header = _header(ws)
        key = header.index(MESSAGES[lang]["xlsx.col.metric"])
        own = [header.index(MESSAGES[lang][f"xlsx.col.{c}"]) for c in ("mean", "diff", "diff_low")]
        money += [
            r[j].number_format for r in ws.iter_rows(min_row=2) if r[key].value == "payment_sek" for j in own
        ]
    for ws in wb.worksheets[2:4]:
        j = _header(ws).index(MESSAGES[lang]["col.payment_sek"] if lang == "sv" else "payment_sek")
        money += [r[j].number_format for r in ws.iter_rows(min_row=2)]
    assert money and set(money) == {"#,##0"}, set(money)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two Swedish runs of the same scenario and seed into two folders."""
    work = tmp_path_factory.mktemp("runs")
    folders = [work / "a", work / "b"]
    for folder in folders:
        args = ["run", str(BASE), *COMMON, "--seed", "11", "--lang", "sv", "--out", str(folder)]
        assert main(args) == 0
    return folders


def test_run_writes_a_workbook_beside_its_csv_files_in_its_language(runs):
    # run gave Excel users only CSV files, which Swedish Excel opens as one column with "LidingÃ¶"
    folder = runs[0]
    wb = _workbook(folder / "results.xlsx")
    assert wb.sheetnames == ["Per kommun", "Per sjukhus", "Om resultaten"]
    for sheet, csv in (("Per kommun", "by_kommun.csv"), ("Per sjukhus", "by_hospital.csv")):
        rows = list(wb[sheet].iter_rows(values_only=True))
        table = pd.read_csv(folder / csv)
        assert len(rows) == len(table) + 1 and rows[0][0] == "Scenario"
        assert [r[1] for r in rows[1:]] == list(table.iloc[:, 1])  # "Lidingö", not mangled
        for got, want in zip(rows[1:], table.itertuples(index=False), strict=True):
            for value, expected in zip(got[2:], want[2:], strict=True):
                assert (value is None) if math.isnan(expected) else value == pytest.approx(expected)
        j = rows[0].index("Betalningsansvar (kr)")
        assert {r[j].number_format for r in wb[sheet].iter_rows(min_row=2)} == {"#,##0"}
    assert "Lidingö" in [r[1] for r in wb["Per kommun"].iter_rows(values_only=True)]
    about = dict(wb["Om resultaten"].iter_rows(values_only=True))
    assert about["Slumptalsfrö (bas)"] == 11 and about["Antal replikeringar"] == 3
    assert about["Simulerade dagar"] == 60
    # the CSV files are as they were: English names, for scripts
    assert list(pd.read_csv(folder / "by_kommun.csv").columns[:3]) == ["scenario", "kommun", "ready_bed_days"]


def test_the_run_workbook_is_the_same_bytes_for_the_same_seed(runs):
    a, b = runs
    assert (a / "results.xlsx").read_bytes() == (b / "results.xlsx").read_bytes()
    with zipfile.ZipFile(a / "results.xlsx") as z:
        core = ElementTree.fromstring(z.read("docProps/core.xml"))
        assert not [e for e in core if e.tag.endswith(("created", "modified"))]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "- Weekend staffing: kommun assessors (`weekend_staffing.assessor`): 0 → 1"),
        ("sv", "- Helgbemanning: biståndshandläggare (`weekend_staffing.assessor`): 0 → 1"),
    ],
)
def test_the_report_names_each_changed_parameter_beside_its_key(compared, lang, line):
    # "Vad weekend-everyone ändrar" listed `weekend_staffing.assessor` alone: a manager cannot read it
    import docx

    md = (compared[lang] / "report.md").read_text()
    assert line in md.splitlines()
    assert "- `weekend_staffing" not in md
    paragraphs = [p.text for p in docx.Document(str(compared[lang] / "report.docx")).paragraphs]
    assert line[2:].replace("`", "") in paragraphs


def test_every_change_between_the_shipped_scenarios_has_a_name_and_yes_no_in_swedish():
    from simulation import load_scenario
    from vardkedja_cli.compare import parameter_label, scenario_differences

    scenarios = {p.stem: load_scenario(p) for p in sorted((ROOT / "scenarios").glob("*.toml"))}
    for base in ("nordost-2019", "nordost"):
        for other in scenarios.values():
            for lang in ("en", "sv"):
                for path, _, _ in scenario_differences(scenarios[base], other, lang):
                    assert parameter_label(path, lang), (lang, path)
    changes = scenario_differences(scenarios["nordost-2019"], scenarios["norrtalje-integrated"], "sv")
    (path, old, new) = next(c for c in changes if c[0].endswith(".integrated_primary_care"))
    assert (old, new) == ("nej", "ja")  # not "false → true" in a Swedish report
    assert parameter_label(path, "sv") == "Kommunen driver primärvården (integrerad)"
    (_, old, new) = next(
        c
        for c in scenario_differences(scenarios["nordost-2019"], scenarios["norrtalje-integrated"], "en")
        if c[0] == path
    )
    assert (old, new) == ("false", "true")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_word_puts_the_wide_tables_on_landscape_pages_in_small_type_with_repeating_headers(compared, lang):
    # 13 columns on portrait A4 were 1.3 cm each under 10 pt bold headers: they could not fit
    with zipfile.ZipFile(compared[lang] / "report.docx") as z:
        body = ElementTree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    sizes = []  # (width, height, orient) of each section, in order
    wide_in = []  # the section index of each table with more than 7 columns
    tables_in = []  # the section index of every table
    section = 0
    for block in body:
        props = block.find(f"{W}pPr/{W}sectPr") if block.tag == f"{W}p" else block
        if block.tag == f"{W}tbl":
            tables_in.append(section)
            columns = len(block.find(f"{W}tr").findall(f"{W}tc"))
            header = block.find(f"{W}tr/{W}trPr/{W}tblHeader")
            assert header is not None and header.get(f"{W}val") == "true"  # repeats on each page
            if columns > 7:
                wide_in.append(section)
                sizes_here = {sz.get(f"{W}val") for sz in block.iter(f"{W}sz")}
                assert sizes_here == {"16"}, sizes_here  # 8 pt (half-points) in every cell
        if props is not None and props.tag == f"{W}sectPr":
            size = props.find(f"{W}pgSz")
            sizes.append((int(size.get(f"{W}w")), int(size.get(f"{W}h")), size.get(f"{W}orient")))
            section += 1
    assert len(wide_in) == 2  # the gap events by kind per kommun, per hospital
    # the tables of intervals per kommun and hospital beside them are on the same landscape pages
    assert len(tables_in) == 5 and set(tables_in[1:]) == set(wide_in), (tables_in, wide_in)
    portrait, landscape = (11906, 16838), (16838, 11906)  # A4 in twips
    for index in set(wide_in):
        w, h, orient = sizes[index]
        assert abs(w - landscape[0]) <= 2 and abs(h - landscape[1]) <= 2 and orient == "landscape"
    assert abs(sizes[0][0] - portrait[0]) <= 2 and sizes[0][2] in (None, "portrait")  # the answer
    assert sizes[-1][0] < sizes[-1][1]  # back to portrait for what follows
