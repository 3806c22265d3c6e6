"""The comparison an analyst reads: the answer first, numbers people use, Swedish, safe names.

One English and one Swedish ``compare`` of the shipped weekend scenarios (60 days, 3 replications)
through the installed command are shared by the tests; the Swedish one reuses the English one's
replications (same folder under ``results/``).
"""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
import string
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats

from simulation import load_scenario, scenario_from_dict
from simulation.scenario import resolve_scenario_dict
from vardkedja_cli.answer import ANSWER_METRICS, answers, paired_change, terminal_lines
from vardkedja_cli.breakdown import GAP_KINDS
from vardkedja_cli.compare import COLUMNS, METRICS, scenario_differences, tidy_table
from vardkedja_cli.headline import aggregate_headline, headline
from vardkedja_cli.i18n import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "nordost-2019.toml"
WEEKEND = ROOT / "scenarios" / "weekend-everyone.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"
N = 3


def vk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, timeout=900)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("compare")


def _compare(work: Path, out: str, *extra: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    proc = vk(
        "compare",
        str(BASE),
        str(WEEKEND),
        "--days",
        "60",
        "-n",
        str(N),
        "--out",
        str(work / out),
        *extra,
        cwd=work,
    )
    assert proc.returncode == 0, proc.stderr
    return work / out, proc


@pytest.fixture(scope="module")
def english(work: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    return _compare(work, "en")


@pytest.fixture(scope="module")
def swedish(work: Path, english) -> tuple[Path, subprocess.CompletedProcess[str]]:
    return _compare(work, "sv", "--lang", "sv")


def _sentences(stdout: str) -> list[str]:
    """The wrapped sentences of the terminal output, joined back into one line each."""
    lines = stdout.splitlines()
    block = lines[: lines.index("")]  # the answer comes first, then a blank line
    out: list[str] = []
    for line in block:
        if line.startswith("  "):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


# a total says the days it is summed over: --days 60 less the scenario's 30 days of warm-up
SENTENCE_EN = re.compile(
    r"^weekend-everyone cuts utskrivningsklara bed-days by (\d+) % \[(\d+), (\d+)\] "
    rf"\([\d,]+ → [\d,]+ over 30 days\) compared with nordost-2019 \({N} paired replications\)\.$"
)
SENTENCE_SV = re.compile(
    r"^weekend-everyone minskar utskrivningsklara vårddygn med (\d+) % \[(\d+); (\d+)\] "
    rf"\([\d ]+ → [\d ]+ under 30 dagar\) jämfört med nordost-2019 \({N} parvisa replikeringar\)\.$"
)


def test_compare_opens_with_the_answer_in_english(english):
    out, proc = english
    sentences = _sentences(proc.stdout)
    assert len(sentences) == len(ANSWER_METRICS)
    m = SENTENCE_EN.match(sentences[0])
    assert m, sentences[0]
    pct, lo, hi = map(int, m.groups())
    assert lo <= pct <= hi
    assert all(len(line) <= 100 for line in proc.stdout.splitlines())
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sentences"] == sentences
    # first in the report, in all three forms
    md = (out / "report.md").read_text().splitlines()
    assert md[2] == "## The answer" and md[4] == f"- {sentences[0]}"
    html = (out / "report.html").read_text()
    first_li = re.search(r"<li>(.*?)</li>", html).group(1)
    assert first_li == sentences[0].replace("&", "&amp;")
    assert html.index("<li>") < html.index("<table>")
    import docx

    doc = docx.Document(str(out / "report.docx"))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[1] == "The answer" and texts[2] == sentences[0]


def test_the_sentence_numbers_are_the_paired_t_interval(english, work):
    out, _ = english
    summary = json.loads((out / "summary.json").read_text())
    runs = []
    for s in summary["scenarios"]:
        agg = json.loads((out / s["folder"] / "summary.json").read_text())
        runs.append([r["ready_bed_days"] for r in agg["runs"]])
    diffs = [v - b for b, v in zip(runs[0], runs[1], strict=True)]
    base_mean = sum(runs[0]) / N
    mean = sum(diffs) / N
    half = stats.t.ppf(0.975, N - 1) * stats.tstd(diffs) / math.sqrt(N)
    rec = next(a for a in summary["answers"] if a["metric"] == "ready_bed_days")
    assert rec["n"] == N and rec["clear"]
    assert rec["pct"] == pytest.approx(100 * mean / base_mean)
    assert rec["pct_low"] == pytest.approx(100 * (mean - half) / base_mean)
    assert rec["pct_high"] == pytest.approx(100 * (mean + half) / base_mean)
    m = SENTENCE_EN.match(rec["sentence"])
    assert int(m.group(1)) == round(-rec["pct"])
    assert int(m.group(2)) == round(-rec["pct_high"]) and int(m.group(3)) == round(-rec["pct_low"])


def test_compare_in_swedish(swedish):
    out, proc = swedish
    sentences = _sentences(proc.stdout)
    assert SENTENCE_SV.match(sentences[0]), sentences[0]
    assert all(len(line) <= 100 for line in proc.stdout.splitlines())
    md = (out / "report.md").read_text()
    assert md.startswith("# Jämförelse: nordost-2019 mot weekend-everyone\n\n## Svaret\n")
    for term in (
        "utskrivningsklara vårddygn",
        "belagda vårddygn",
        "betalningsansvar",
        "SIP",
        "fast vårdkontakt",
        "inskrivningsmeddelande",
        "mellan stolarna",
        "återinskrivning",
        "konfidensintervall för medelvärdet",
    ):
        assert term.lower() in md.lower(), term  # a column header starts with a capital
    assert "The answer" not in md and "confidence interval" not in md
    assert '<html lang="sv">' in (out / "report.html").read_text()
    from openpyxl import load_workbook

    about = dict(
        load_workbook(out / "comparison.xlsx")["Om resultaten"].iter_rows(min_row=2, values_only=True)
    )
    assert about["Intervall"].startswith("95 % konfidensintervall för medelvärdet")
    assert json.loads((out / "summary.json").read_text())["interval"].startswith("Student-t 95 %")
    # figure captions name the interval in Swedish
    assert "![Utskrivningsklara patienter på vårdplats per dag (95 % konfidensintervall för medelvärdet" in md
    # thousands are separated by a no-break space: "4 805 [4 699; 4" / "911]" broke across lines
    table = [line for line in md.splitlines() if line.startswith("| Inskrivningar |")]
    assert table and re.search(r"\d\xa0\d{3}", table[0]) and not re.search(r"\d \d{3}", table[0]), table
    share = next(line for line in md.splitlines() if line.startswith("| Utskrivningsklara patienters andel"))
    assert share.endswith(" p.e. |") and "procentenheter (p.e.)" in md, share


def test_english_says_share_of_occupied_bed_days_as_the_headline_does(english):
    # the report's table and the answer said "share of occupied beds held by ...", the headline "share of
    # occupied bed-days": the metric is ready bed-days over occupied bed-days
    en = MESSAGES["en"]
    term = en["head.ready_bed_share_label"]
    assert term == "share of occupied bed-days"
    assert term in en["label.ready_bed_share"].lower() and term in en["phrase.ready_bed_share"]
    assert "occupied beds" not in "\n".join(en.values())
    out, _ = english
    md = (out / "report.md").read_text()
    assert "\n| Share of occupied bed-days held by utskrivningsklara patients (%) | " in md
    sentences = json.loads((out / "summary.json").read_text())["sentences"]
    assert any(
        " the share of occupied bed-days held by utskrivningsklara patients by " in s for s in sentences
    )
    assert "occupied beds" not in md


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        ("english", "Comparison: nordost-2019 vs weekend-everyone"),
        ("swedish", "Jämförelse: nordost-2019 mot weekend-everyone"),
    ],
)
def test_the_report_title_names_the_scenarios_in_the_report_s_language(fixture, title, request):
    # the Swedish title said "nordost-2019 vs weekend-everyone"
    out, _ = request.getfixturevalue(fixture)
    assert (out / "report.md").read_text().splitlines()[0] == f"# {title}"
    assert f"<title>{title}</title>" in (out / "report.html").read_text()
    import docx

    doc = docx.Document(str(out / "report.docx"))
    assert doc.core_properties.title == title
    assert doc.paragraphs[0].text == title and doc.paragraphs[0].style.name == "Title"


def test_report_names_the_interval_and_the_values_in_force(english):
    out, _ = english
    md = (out / "report.md").read_text()
    assert "spread of years" not in md
    assert f"95 % confidence interval of the mean, {N} replications" in md
    assert "- Weekend staffing: vårdcentraler (`weekend_staffing.vardcentral`): 0 → 1" in md
    assert "roster" not in md  # default rosters follow weekend_staffing: not listed twice


def test_comparison_csv_is_tidy_and_numeric_and_equals_summary(english):
    out, _ = english
    raw = (out / "comparison.csv").read_text()
    assert raw.isascii()  # ASCII minus, plain floats
    df = pd.read_csv(out / "comparison.csv")
    assert tuple(df.columns) == COLUMNS
    for c in COLUMNS[2:]:
        assert pd.api.types.is_numeric_dtype(df[c]), c
    assert list(df["scenario"].unique()) == ["nordost-2019", "weekend-everyone"]
    assert list(df[df["scenario"] == "nordost-2019"]["metric"]) == list(METRICS)
    assert df[df["scenario"] == "nordost-2019"]["diff"].isna().all()
    assert set(df["n"]) <= {0, N} and (df[df["metric"] == "ready_bed_days"]["n"] == N).all()
    summary = json.loads((out / "summary.json").read_text())
    expected = pd.DataFrame(summary["metrics"], columns=list(COLUMNS))
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)
    row = df[(df["scenario"] == "weekend-everyone") & (df["metric"] == "ready_bed_days")].iloc[0]
    rec = next(a for a in summary["answers"] if a["metric"] == "ready_bed_days")
    assert row["diff"] == pytest.approx(rec["diff"]) and row["diff_low"] == pytest.approx(rec["diff_low"])


def test_comparison_xlsx_holds_the_same_numbers(english):
    from openpyxl import load_workbook

    out, _ = english
    wb = load_workbook(out / "comparison.xlsx")
    assert wb.sheetnames == [
        "comparison",
        "answers",
        "by_kommun",
        "by_hospital",
        "comparison_by_kommun",
        "comparison_by_hospital",
        "about",
    ]
    ws = wb["comparison"]
    assert ws.freeze_panes == "C2"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    with (out / "comparison.csv").open(newline="") as fh:
        csv_rows = list(csv.reader(fh))
    assert len(rows) == len(csv_rows)
    for got, want in zip(rows[1:], csv_rows[1:], strict=True):
        assert got[:2] == tuple(want[:2])
        for value, text, col in zip(got[2:], want[2:], COLUMNS[2:], strict=True):
            # the CSV's number, to the precision an .xlsx file keeps (one unit in the last place)
            assert value == (pytest.approx(float(text), rel=1e-15, abs=0) if text else None), col
    df = pd.read_csv(out / "comparison.csv")
    share_row = 1 + list(df["metric"]).index("ready_bed_share") + 1
    assert ws.cell(row=share_row, column=3).number_format == "0.00%"
    assert ws["A1"].font.bold
    by_kommun = pd.read_csv(out / "by_kommun.csv")
    sheet = list(wb["by_kommun"].iter_rows(values_only=True))
    assert list(sheet[0]) == list(by_kommun.columns)
    assert [r[1] for r in sheet[1:]] == list(by_kommun["kommun"])


def test_answers_sheet_shows_each_metric_in_its_unit(english):
    # a share's base_mean 0.0609 in General format beside its pct -41.8 read as two units in one row
    from openpyxl import load_workbook

    out, _ = english
    wb = load_workbook(out / "comparison.xlsx")
    unit = {row[1].value: row[2].number_format for row in wb["comparison"].iter_rows(min_row=2)}
    assert unit["ready_bed_share"] == "0.00%" and unit["ready_bed_days"] == "#,##0.0"
    assert unit["payment_sek"] == "#,##0"  # kronor are whole on every sheet
    ws = wb["answers"]
    header = [c.value for c in ws[1]]
    own = [header.index(c) for c in ("base_mean", "mean", "diff", "diff_low", "diff_high")]
    pct = [header.index(c) for c in ("pct", "pct_low", "pct_high")]
    metrics = set()
    for row in ws.iter_rows(min_row=2):
        metric = row[header.index("metric")].value
        metrics.add(metric)
        assert [row[j].number_format for j in own] == [unit[metric]] * len(own), metric
        # a change in per cent: the fraction -0.418 shown as -41.8 %, not -41.8 without its sign
        assert [row[j].number_format for j in pct] == ["0.0%"] * len(pct), metric
    assert {"ready_bed_share", "ready_bed_days"} <= metrics


@pytest.mark.parametrize(
    ("fixture", "unit"), [("english", "percentage points"), ("swedish", "procentenheter")]
)
def test_about_sheet_says_a_share_s_difference_is_in_percentage_points(fixture, unit, request):
    # the comparison sheet shows a share's diff -0.0255 as -2.55% (a contract: the CSV's number)
    from openpyxl import load_workbook

    out, _ = request.getfixturevalue(fixture)
    rows = list(load_workbook(out / "comparison.xlsx").worksheets[-1].iter_rows(values_only=True))
    notes = [value for _, value in rows if unit in str(value)]
    # named by the sheet's own header: "diff" in English, "Skillnad mot basscenariot" in Swedish
    diff = MESSAGES["en" if fixture == "english" else "sv"]["xlsx.col.diff"]
    assert len(notes) == 1 and "%" in notes[0] and diff in notes[0], notes


def test_breakdowns_add_up_to_the_totals(english, work):
    out, _ = english
    summary = json.loads((out / "summary.json").read_text())
    tidy = pd.read_csv(out / "comparison.csv").set_index(["scenario", "metric"])
    kommun = pd.read_csv(out / "by_kommun.csv")
    hospital = pd.read_csv(out / "by_hospital.csv")
    expected_cols = {"ready_bed_days", "mean_ready_days_indicator", "gaps_total", "payment_sek", "n"}
    assert expected_cols <= set(kommun.columns) and expected_cols <= set(hospital.columns)
    assert {f"gaps_{k}" for k in GAP_KINDS} <= set(kommun.columns) & set(hospital.columns)
    for s in summary["scenarios"]:
        name = s["scenario"]
        k, h = kommun[kommun["scenario"] == name], hospital[hospital["scenario"] == name]
        total = tidy.loc[(name, "ready_bed_days"), "mean"]
        assert k["ready_bed_days"].sum() == pytest.approx(total)
        assert h["ready_bed_days"].sum() == pytest.approx(total)
        assert k["payment_sek"].sum() == pytest.approx(tidy.loc[(name, "payment_sek"), "mean"])
        runs = json.loads((out / s["folder"] / "summary.json").read_text())["runs"]
        gaps = sum(r["gap_events_total"] for r in runs) / len(runs)
        assert k["gaps_total"].sum() == pytest.approx(gaps) == h["gaps_total"].sum()
        assert (k["n"] == N).all()
    md = (out / "report.md").read_text()
    assert "## By kommun" in md and "| Täby | nordost-2019 |" in md and "## By hospital" in md


def _rows_of(summary_runs: list[dict], key: str, name: str) -> list[float]:
    return [float(r[key][name]) for r in summary_runs]


def _t_interval(values: list[float]) -> tuple[float, float, float]:
    mean = sum(values) / len(values)
    half = stats.t.ppf(0.975, len(values) - 1) * stats.tstd(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


@pytest.mark.parametrize("kind", ["kommun", "hospital"])
def test_breakdowns_have_the_interval_and_the_paired_difference(english, kind):
    # by_kommun.csv and the report's tables per kommun held means only: no interval, no difference
    out, _ = english
    df = pd.read_csv(out / f"comparison_by_{kind}.csv")
    columns = ("scenario", kind, "metric", "mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high", "n")
    assert tuple(df.columns) == columns
    for c in columns[3:]:
        assert pd.api.types.is_numeric_dtype(df[c]), c
    summary = json.loads((out / "summary.json").read_text())
    expected = pd.DataFrame(summary[f"metrics_by_{kind}"], columns=list(columns))
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)
    means = pd.read_csv(out / f"by_{kind}.csv")
    figures = [c for c in means.columns if c not in ("scenario", kind, "n")]
    assert list(dict.fromkeys(df["metric"])) == figures  # every column of by_<kind>.csv, in its order
    assert len(df) == len(means) * len(figures)
    indexed = df.set_index(["scenario", kind, "metric"])
    for row in means.to_dict(orient="records"):  # the mean is by_<kind>.csv's
        for f in figures:
            got = indexed.loc[(row["scenario"], row[kind], f), "mean"]
            assert got == pytest.approx(row[f], rel=1e-12, nan_ok=True), (row[kind], f)
    # recomputed from the replications' summaries: the t-interval, and the paired difference
    runs = [
        json.loads((out / s["folder"] / "summary.json").read_text())["runs"] for s in summary["scenarios"]
    ]
    name, key = ("Täby", "payment_sek_by_kommun") if kind == "kommun" else ("Danderyds sjukhus", None)
    if kind == "kommun":
        base, variant = (_rows_of(r, key, name) for r in runs)
    else:
        base, variant = ([float(sum(r["gap_events_by_hospital"][name].values())) for r in rr] for rr in runs)
    metric = "payment_sek" if kind == "kommun" else "gaps_total"
    b = indexed.loc[("nordost-2019", name, metric)]
    assert (b["mean"], b["ci_low"], b["ci_high"]) == pytest.approx(_t_interval(base))
    assert b[["diff", "diff_low", "diff_high"]].isna().all() and b["n"] == N
    v = indexed.loc[("weekend-everyone", name, metric)]
    assert (v["mean"], v["ci_low"], v["ci_high"]) == pytest.approx(_t_interval(variant))
    paired = [x - y for x, y in zip(variant, base, strict=True)]
    assert (v["diff"], v["diff_low"], v["diff_high"]) == pytest.approx(_t_interval(paired))
    # the workbook's sheet holds the same rows
    from openpyxl import load_workbook

    sheet = list(load_workbook(out / "comparison.xlsx")[f"comparison_by_{kind}"].iter_rows(values_only=True))
    assert sheet[0] == columns and len(sheet) == len(df) + 1
    for got, want in zip(sheet[1:], df.itertuples(index=False), strict=True):
        assert got[:3] == tuple(want[:3])
        for value, x in zip(got[3:], want[3:], strict=True):  # empty where the CSV is
            assert value is None if pd.isna(x) else value == pytest.approx(x, rel=1e-15, abs=0)


def test_the_report_per_kommun_has_intervals_differences_and_bed_days_per_1000_65plus(english):
    out, _ = english
    md = (out / "report.md").read_text()
    section = md.split("## By kommun")[1].split("\n## ")[0]
    assert section.lstrip().startswith(
        f"Each cell: mean [95 % confidence interval of the mean, {N} replications]. "
        "A row “… − nordost-2019” holds that scenario's paired difference to nordost-2019"
    )
    header = next(line for line in section.splitlines() if line.startswith("| Kommun | Scenario |"))
    assert "| Utskrivningsklara bed-days a year per 1,000 inhabitants 65+ |" in header
    df = pd.read_csv(out / "comparison_by_kommun.csv").set_index(["scenario", "kommun", "metric"])
    täby = [line for line in section.splitlines() if line.startswith("| Täby |")]
    assert len(täby) == 6  # two tables: both scenarios and their difference
    value = r"-?[\d,]+(\.\d+)?"
    cell = rf"{value} \[{value}, {value}\]"
    assert re.fullmatch(rf"\| Täby \| nordost-2019 \| {cell}( \| {cell}){{4}} \|", täby[0]), täby[0]
    signed = r"[-+]?[\d,]+(\.\d+)?"
    diff = rf"{signed} \[{signed}, {signed}\]"
    assert re.fullmatch(rf"\| Täby \| weekend-everyone − nordost-2019 \| {diff}( \| {diff}){{4}} \|", täby[2])
    # the figure per 1,000 inhabitants 65+: the kommun's bed-days scaled to a year over its 65+ population
    summary = json.loads((out / "summary.json").read_text())
    runs = json.loads((out / summary["scenarios"][0]["folder"] / "summary.json").read_text())["runs"]
    population = load_scenario(BASE).kommun["Täby"].population_65plus
    per_1000 = [r["ready_bed_days_by_kommun"]["Täby"] * 1000 * 365 / (60 - 30) / population for r in runs]
    row = df.loc[("nordost-2019", "Täby", "ready_bed_days_per_1000_65plus")]
    assert row["mean"] == pytest.approx(sum(per_1000) / N)
    from vardkedja_cli.i18n import number

    low = number(max(row["ci_low"], 0), 1)  # a count's interval is shown cut at 0
    assert täby[0].split(" | ")[3] == f"{number(row['mean'], 1)} [{low}, {number(row['ci_high'], 1)}]"
    # and the difference of the payment, in kSEK
    d = df.loc[("weekend-everyone", "Täby", "payment_sek")]
    shown = [number(d[c] / 1000, 0, sign=True) for c in ("diff", "diff_low", "diff_high")]
    assert täby[2].split(" | ")[-1] == f"{shown[0]} [{shown[1]}, {shown[2]}] |"


def test_the_swedish_report_per_kommun_says_it_in_swedish(swedish):
    out, _ = swedish
    md = (out / "report.md").read_text()
    section = md.split("## Per kommun")[1].split("\n## ")[0]
    assert section.lstrip().startswith(
        f"Varje cell: medelvärde [95 % konfidensintervall för medelvärdet, {N} replikeringar]. "
        "En rad ”… − nordost-2019” är det scenariots parvisa skillnad mot nordost-2019"
    )
    header = next(line for line in section.splitlines() if line.startswith("| Kommun | Scenario |"))
    assert "| Utskrivningsklara vårddygn per år och 1 000 invånare 65+ |" in header
    assert "| Betalningsansvar (tkr) |" in header
    diff = next(line for line in section.splitlines() if line.startswith("| Täby | weekend-everyone − "))
    assert re.search(r"\| −?[\d\xa0]+ \[[−+]?[\d\xa0]+; [−+]?[\d\xa0]+\] \|", diff), diff
    from openpyxl import load_workbook

    ws = load_workbook(out / "comparison.xlsx")["Jämförelse per kommun"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Scenario", "Kommun", "Mått (nyckel)", "Mått"] and ws.freeze_panes == "E2"
    labels = {row[2]: row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert (
        labels["ready_bed_days_per_1000_65plus"] == "Utskrivningsklara vårddygn per år och 1 000 invånare 65+"
    )
    assert labels["gaps_sip_not_called"] == "Glapp: ingen kallelse till SIP"


def test_docx_report_is_readable_with_tables_and_figures(english):
    import docx

    out, _ = english
    doc = docx.Document(str(out / "report.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["The answer", "The scenarios", "Results"]
    results = doc.tables[0]
    assert results.rows[0].cells[0].text == "Metric"
    assert results.rows[1].cells[0].text == "Utskrivningsklara bed-days"
    assert len(doc.inline_shapes) == 6  # four figures and one gap network per scenario
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 6


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_xml(path: Path, part: str) -> ElementTree.Element:
    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read(part))


@pytest.mark.parametrize(("fixture", "tag"), [("english", "en-US"), ("swedish", "sv-SE")])
def test_docx_report_is_in_its_language_and_left_for_word_to_spell_check(fixture, tag, request):
    # python-docx's template said en-US and "spelling clean": Word checked Swedish as English, or not at all
    out, _ = request.getfixturevalue(fixture)
    styles = _docx_xml(out / "report.docx", "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}val") == tag
    assert {e.get(f"{W}val") for e in styles.iter(f"{W}lang")} == {tag}  # no style says otherwise
    settings = _docx_xml(out / "report.docx", "word/settings.xml")
    assert settings.find(f"{W}themeFontLang").get(f"{W}val") == tag
    assert settings.find(f"{W}proofState") is None


def test_docx_report_is_a4_with_every_figure_as_wide_as_the_text(english):
    import docx
    from docx.shared import Mm

    out, _ = english
    doc = docx.Document(str(out / "report.docx"))
    section = doc.sections[0]  # the breakdowns' wide tables have landscape pages of their own
    assert doc.sections[-1].page_width == section.page_width  # the figures are back on portrait pages
    twip = 635  # EMU; Word stores page sizes in twips
    assert abs(section.page_width - Mm(210)) <= twip and abs(section.page_height - Mm(297)) <= twip
    text = section.page_width - section.left_margin - section.right_margin - (section.gutter or 0)
    assert Mm(150) < text < Mm(200)
    assert len(doc.inline_shapes) == 6
    # a figure wider than the text ran into the right margin (6.3 in on Letter's 6.0 in)
    assert [shape.width for shape in doc.inline_shapes] == [text] * 6


def test_same_seed_gives_identical_comparison_files(english, work):
    out, _ = english
    again, _ = _compare(work, "en-again")
    names = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert not [p for p in out.rglob("*.svg")]  # SVG only on request
    for name in names:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


# ---------------------------------------------------------------------------------------------
# Units: sentences, effective values, headline, catalogue, escaping


def _runs(values: list[float]) -> list[dict]:
    return [{"ready_bed_days": v} for v in values]


def test_paired_change_and_sentences():
    base = {"scenario": "base", "runs": _runs([100, 120, 140])}
    cut = {"scenario": "cut", "runs": _runs([70, 86, 95])}
    c = paired_change(base["runs"], cut["runs"], "ready_bed_days")
    diffs = [-30, -34, -45]
    half = stats.t.ppf(0.975, 2) * stats.tstd(diffs) / math.sqrt(3)
    assert c["diff"] == pytest.approx(-109 / 3)
    assert c["pct_low"] == pytest.approx(100 * (-109 / 3 - half) / 120)
    assert c["clear"] and c["n"] == 3
    noisy = {"scenario": "noisy", "runs": _runs([90, 130, 141])}
    one = [{"scenario": s["scenario"], "runs": s["runs"][:1]} for s in (base, cut)]
    [first] = [a["sentence"] for a in answers([base, cut], "en") if a["metric"] == "ready_bed_days"]
    assert first.startswith("cut cuts utskrivningsklara bed-days by 30 % [")
    [unclear] = [a["sentence"] for a in answers([base, noisy], "en") if a["metric"] == "ready_bed_days"]
    assert unclear.startswith("noisy: no clear change in utskrivningsklara bed-days compared with base (")
    [single] = [a["sentence"] for a in answers(one, "sv") if a["metric"] == "ready_bed_days"]
    assert single == (  # one pair: the signed change, no direction claimed
        "cut: utskrivningsklara vårddygn −30 % jämfört med base (100 → 70; en replikering, inget "
        "intervall: för få för att skilja en förändring från slumpen)."
    )
    zero = {"scenario": "zero", "runs": _runs([0, 0, 0])}
    some = {"scenario": "some", "runs": _runs([3, 0, 0])}
    [from_zero] = [a["sentence"] for a in answers([zero, some], "en") if a["metric"] == "ready_bed_days"]
    assert from_zero == "some: no clear change in utskrivningsklara bed-days compared with zero " + (
        "(0 → 1; 3 paired replications)."
    )
    long = "x" * 40 + " " + "y " * 80
    assert all(len(line) <= 100 for line in terminal_lines([long]))


@pytest.mark.parametrize("width", range(30, 101, 3))
def test_the_terminal_never_breaks_a_number_its_percent_or_an_interval(width):
    sentence = (
        "weekend-everyone: utskrivningsklara vårddygn minskar med 30 % [25; 35] jämfört med nordost-2019 "
        "(12 345 → 8 642; 8 parvisa replikeringar); betalningsansvar 1 234 567 % [1 000 000; 2 000 000]."
    )
    lines = terminal_lines([sentence], width)
    assert " ".join(line.strip() for line in lines) == sentence  # nothing lost or added
    for whole in ("30 %", "[25; 35]", "12 345", "8 642", "1 234 567 %", "[1 000 000; 2 000 000]"):
        assert any(whole in line for line in lines), (whole, lines)


def test_effective_values_show_what_was_in_force():
    base = load_scenario(BASE)
    sip = load_scenario(ROOT / "scenarios" / "sip-campaign.toml")
    diffs = scenario_differences(base, sip)
    assert ("rules.sip_call_rate", "0.6 (each vårdcentral's own)", "0.95") in diffs
    assert len(diffs) == 1  # the vårdcentraler's own rates are unchanged: no second line
    data = resolve_scenario_dict(BASE)
    for vc in data["vardcentral"].values():
        vc["sip_call_rate"] = 0.8
    every = scenario_from_dict({**data, "name": "all-vc"})
    [(path, old, new)] = scenario_differences(base, every, "sv")
    assert path == "vardcentral.*.sip_call_rate (alla 28 vårdcentraler)" and (old, new) == ("0,6", "0,8")
    # an organisation's own value under a rule that overrides it is marked as not in force
    forced = scenario_from_dict(
        {**data, "name": "forced", "rules": {**data.get("rules", {}), "sip_call_rate": 0.9}}
    )
    lines = dict((p, (a, b)) for p, a, b in scenario_differences(base, forced))
    assert lines["vardcentral.*.sip_call_rate (all 28 vårdcentraler)"][1].startswith("0.8 (not in force")


INTEGRATED_ROTA = """extends = "nordost-2019"
name = "integrated-rota"
[kommun."Norrtälje"]
integrated_primary_care = true
assessor_roster = [1, 1, 1, 1, 1, 0.5, 0.5]
[vardcentral."Norrtälje vc 1"]
roster = [1, 1, 1, 1, 1, 0, 0.25]
[relationships.strengths]
"Norrtälje|Norrtälje vc 1" = 0.3
"""


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_report_marks_what_an_integrated_kommun_overrides(tmp_path, lang):
    # an integrated kommun's vårdcentral's own rota and its relationship strength with the kommun read
    # as the values in force ("weekdays full, weekends 0 → [1, 1, 1, 1, 1, 0, 0.25]"), while the model
    # used one rota with the kommun's assessors and full strength (simulation.in_force)
    variant = tmp_path / "integrated-rota.toml"
    variant.write_text(INTEGRATED_ROTA, encoding="utf-8")
    out = tmp_path / "c"
    args = ["compare", str(BASE), str(variant), "--days", "20", "-n", "1", "--no-plots", "-j", "1"]
    proc = vk(*args, "--out", str(out), "--lang", lang, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    changes = {
        d["path"]: d["value"]
        for d in json.loads((out / "summary.json").read_text())["differences"]["integrated-rota"]
    }
    by = "kommun.Norrtälje.integrated_primary_care"
    strength, roster = (
        ("0.3 (not in force: ", "[1, 1, 1, 1, 1, 0, 0.25] (in force: [1, 1, 1, 1, 1, 0.5, 0.5], under ")
        if lang == "en"
        else ("0,3 (gäller inte: ", "[1, 1, 1, 1, 1, 0, 0,25] (gäller: [1, 1, 1, 1, 1, 0,5, 0,5], enligt ")
    )
    assert changes["relationships.strengths.Norrtälje|Norrtälje vc 1"].startswith(strength + by)
    assert changes["vardcentral.Norrtälje vc 1.roster"].startswith(roster + by)
    report = (out / "report.md").read_text()
    for path in ("relationships.strengths.Norrtälje|Norrtälje vc 1", "vardcentral.Norrtälje vc 1.roster"):
        [line] = [line for line in report.splitlines() if f"(`{path}`)" in line]
        assert changes[path].replace("_", "\\_").replace("[", "\\[").replace("]", "\\]") in line


def test_a_value_overridden_otherwise_is_marked_with_what_is_in_force(monkeypatch):
    # what simulation.in_force lists is marked even where the report has no words of its own for it
    import vardkedja_cli.compare
    from simulation.in_force import Override

    closed = Override(("ward", "Geriatrik 1", "beds"), 12, ("hospital", "Danderyds sjukhus", "closed"))
    monkeypatch.setattr(vardkedja_cli.compare, "overrides", lambda scenario: [closed])
    values = vardkedja_cli.compare.effective_values(load_scenario(BASE), "sv")
    assert values["ward.Geriatrik 1.beds"][1].endswith(
        "(gäller inte: hospital.Danderyds sjukhus.closed styr; gäller: 12)"
    )


def test_the_scenario_wide_changes_come_before_the_details():
    # listed alphabetically, the pandemic's 40 kluster lines filled the report's list and its changed
    # rules (forced discharge after 5 days, no digital meetings, the start date) fell into "and 18 more"
    from vardkedja_cli.report import MAX_DIFFERENCES

    base = load_scenario(BASE)
    pandemic = load_scenario(ROOT / "scenarios" / "pandemic-spring-2020.toml")
    paths = [p for p, _, _ in scenario_differences(base, pandemic)]
    assert len(paths) > MAX_DIFFERENCES
    shown = paths[:MAX_DIFFERENCES]
    for key in ("rules.forced_discharge.max_wait_days", "rules.digital_meetings", "start_date"):
        assert key in shown, key
    sections = [p.split(".")[0] for p in paths]
    first_detail = min(
        i for i, s in enumerate(sections) if s in ("ward", "hospital", "vardcentral", "kommun")
    )
    assert all(s not in ("rules", "weekend_staffing", "relationships") for s in sections[first_detail:])
    assert sections.index("kluster") > max(i for i, s in enumerate(sections) if s == "kommun")


def test_multi_replication_headline_has_every_single_run_metric(english, work):
    out, _ = english
    folder = out / json.loads((out / "summary.json").read_text())["scenarios"][0]["folder"]
    agg = json.loads((folder / "summary.json").read_text())
    for lang in ("en", "sv"):
        single = headline(agg["runs"][0], lang)
        multi = aggregate_headline(agg, lang)
        for key in (
            "head.admissions",
            "head.discharges",
            "head.turned_away",
            "head.ready_bed_days",
            "head.mean_ready_days",
            "head.indicator",
            "head.same_day",
            "head.weekend",
            "head.per_100",
            "head.sip",
            "head.readmitted",
            "head.payment",
        ):
            word = MESSAGES[lang][key]
            assert word in single and word in multi, (lang, key)
        assert MESSAGES[lang]["ci.name"].format(n=N) in multi
        assert all(len(line) <= 100 for line in (single + "\n" + multi).splitlines())


def test_the_multi_replication_headline_never_shows_a_negative_bound(english, work):
    # "mean days utskrivningsklar 2.56 [-0.66, 5.78]", where the report shows [0.00; 5.78]
    out, _ = english
    folder = out / json.loads((out / "summary.json").read_text())["scenarios"][0]["folder"]
    agg = json.loads((folder / "summary.json").read_text())
    wide = {
        key: (
            {**r, "ci_low": -abs(r["mean"]) - 1.0} if isinstance(r, dict) and r.get("mean") is not None else r
        )
        for key, r in agg["metrics"].items()
    }
    for lang in ("en", "sv"):
        text = aggregate_headline({**agg, "metrics": wide}, lang)
        assert not re.search(r"[\[(]\s*[-−]\d", text), text


def test_most_only_when_there_were_gaps(english, work):
    out, _ = english
    folder = out / json.loads((out / "summary.json").read_text())["scenarios"][0]["folder"]
    agg = json.loads((folder / "summary.json").read_text())
    run = agg["runs"][0]
    assert "most:" in headline(run)
    quiet = {**run, "gap_events": dict.fromkeys(run["gap_events"], 0), "gap_events_total": 0}
    assert "most" not in headline(quiet)
    quiet_agg = {
        **agg,
        "metrics": {
            **agg["metrics"],
            "gap_events": {k: {**v, "mean": 0.0} for k, v in agg["metrics"]["gap_events"].items()},
        },
    }
    assert "most frequent gap" in aggregate_headline(quiet_agg)
    assert re.search(r"most frequent gap\s+-$", aggregate_headline(quiet_agg), re.M)


def test_a_missing_figure_is_said_in_the_headline_s_language(english, work):
    # the Swedish headline said "återinskrivning inom 30 dagar n/a"
    out, _ = english
    folder = out / json.loads((out / "summary.json").read_text())["scenarios"][0]["folder"]
    agg = json.loads((folder / "summary.json").read_text())
    run = {**agg["runs"][0], "readmission_30d_rate": None}
    none = {**agg["metrics"]["readmission_30d_rate"], "mean": None}
    for lang, word in [("sv", "saknas"), ("en", "n/a")]:
        single = headline(run, lang)
        multi = aggregate_headline({**agg, "metrics": {**agg["metrics"], "readmission_30d_rate": none}}, lang)
        for text in (single, multi):
            line = next(x for x in text.splitlines() if MESSAGES[lang]["head.readmitted"] in x)
            assert word in line, (lang, line)
            assert "n/a" not in text or lang == "en"


def test_catalogue_has_the_same_keys_and_fields_in_both_languages():
    assert set(MESSAGES["en"]) == set(MESSAGES["sv"])
    fmt = string.Formatter()
    for key in MESSAGES["en"]:
        fields = [{f for _, f, _, _ in fmt.parse(MESSAGES[lang][key]) if f} for lang in ("en", "sv")]
        assert fields[0] == fields[1], key
        assert MESSAGES["sv"][key], key


EVIL = "evil](javascript:alert(1)) <b>*x*</b> | `y` & #1"


def test_names_are_escaped_in_markdown_html_and_docx(english, work, tmp_path):
    import docx

    from vardkedja_cli.breakdown import replication_values
    from vardkedja_cli.compare import tidy_breakdown
    from vardkedja_cli.report import markdown_to_docx, markdown_to_html, report_markdown

    out, _ = english
    summary = json.loads((out / "summary.json").read_text())
    scenarios = [load_scenario(BASE, days=60), load_scenario(WEEKEND, days=60)]
    scenarios[1] = scenarios[1].model_copy(update={"name": EVIL, "description": "[x](http://e) <i>y</i>"})
    folders = [out / s["folder"] for s in summary["scenarios"]]
    summaries = [json.loads((f / "summary.json").read_text()) for f in folders]
    summaries[1]["scenario"] = EVIL
    for r in summaries[1]["runs"]:
        r["scenario"] = EVIL
    values = [replication_values(f) for f in folders]
    by = {
        k: tidy_breakdown(["nordost-2019", EVIL], [v[k] for v in values], k) for k in ("kommun", "hospital")
    }
    data = {**summary, "sentences": [a["sentence"] for a in answers(summaries)]}
    text = report_markdown(scenarios, summaries, tidy_table(summaries), by, data, [], "en")
    page = markdown_to_html(text, tmp_path)
    for tag in ("<a ", "<b>", "<i>", "<script", 'javascript:alert(1)"'):
        assert tag not in page, tag
    assert page.count(EVIL.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")) >= 8
    # every table row keeps its columns
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        # metric, base, variant, difference; or the breakdowns: organisation, scenario and their figures
        # (per kommun five, per hospital four), or every gap kind
        assert row.count("<td") + row.count("<th") in (4, 7, 6, 2 + len(GAP_KINDS)), row[:200]
    markdown_to_docx(text, tmp_path, tmp_path / "r.docx")
    doc = docx.Document(str(tmp_path / "r.docx"))
    assert doc.tables[0].rows[0].cells[2].text == EVIL
    assert doc.paragraphs[2].text.startswith(f"{EVIL} cuts utskrivningsklara bed-days")


@pytest.mark.parametrize(("lang", "verbs"), [("en", ("raises", "cuts")), ("sv", ("ökar", "minskar"))])
def test_one_replication_claims_no_direction(lang, verbs):
    # one pair is one draw: "raises ... by 0.4 %" told a direction the data cannot show
    from vardkedja_cli.answer import _sentence

    for pct, mean in ((0.36, 1393.0), (-0.36, 1383.0)):
        c = {"n": 1, "base_mean": 1388.0, "mean": mean, "diff": mean - 1388.0, "diff_low": None}
        c |= {"diff_high": None, "pct": pct, "pct_low": None, "pct_high": None, "clear": False}
        text = _sentence("sip-campaign", "nordost-2019", "ready_bed_days", c, lang)
        assert not any(v in text for v in verbs), text
        assert ("chance" if lang == "en" else "slumpen") in text


@pytest.mark.parametrize(
    ("x", "dec", "lang", "sign", "shown"),
    [
        (1.25, 1, "en", False, "1.3"),  # as Excel shows it (half away from zero), not 1.2
        (2.25, 1, "sv", False, "2,3"),
        (-1.25, 1, "en", False, "-1.3"),
        (-1.25, 1, "sv", False, "\u22121,3"),  # Swedish text writes the minus sign, not a hyphen
        (-0.01375, 1, "en", True, "0.0"),  # what rounds to 0 is 0: never "-0.0" (nor "+0.0")
        (-0.01875, 1, "sv", True, "0,0"),
        (0.01875, 1, "sv", True, "0,0"),
        (-0.4, 0, "sv", False, "0"),
        (0.0, 1, "en", True, "0.0"),  # an exact 0 has none
        (-0.0, 2, "en", False, "0.00"),
        (1736.25, 0, "sv", False, "1\xa0736"),
        (1234567.891, 2, "sv", True, "+1\xa0234\xa0567,89"),
        (1234567.891, 2, "en", True, "+1,234,567.89"),
    ],
)
def test_numbers_round_as_excel_and_keep_their_sign(x, dec, lang, sign, shown):
    from vardkedja_cli.i18n import number

    assert number(x, dec, lang, sign=sign) == shown


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("sv", "9\xa0223\xa0372\xa0036\xa0854\xa0775\xa0807"), ("en", "9,223,372,036,854,775,807")],
)
def test_a_whole_number_is_written_exactly_however_large(lang, shown):
    # the app's largest seed, 2**63 - 1: through a float it came out as ...808
    from vardkedja_cli.i18n import number

    assert number(2**63 - 1, 0, lang) == shown
    assert number(-(2**63) + 1, 0, lang) == {"en": "-", "sv": "\u2212"}[lang] + shown


@given(
    st.floats(-1e7, 1e7, allow_nan=False).filter(lambda v: v == 0 or abs(v) >= 1e-9),
    st.integers(0, 3),
    st.sampled_from(["en", "sv"]),
    st.booleans(),
)
def test_a_shown_number_has_its_value_s_sign_and_is_its_value_rounded(x, dec, lang, sign):
    from decimal import ROUND_HALF_UP, Decimal

    from vardkedja_cli.i18n import number

    text = number(x, dec, lang, sign=sign)
    expected = abs(Decimal(repr(x))).quantize(Decimal(1).scaleb(-dec), rounding=ROUND_HALF_UP)
    minus = {"en": "-", "sv": "\u2212"}[lang]  # Swedish text: the minus sign U+2212
    assert text.startswith(minus) == (x < 0 and expected != 0)  # no negative zero
    assert text.startswith("+") == (sign and x > 0 and expected != 0)
    assert " " not in text  # a Swedish number is one word: no-break spaces
    assert "-" not in text if lang == "sv" else "\u2212" not in text
    plain = text.replace("\xa0", "").replace("\u2212", "-").replace(",", "" if lang == "en" else ".")
    assert abs(Decimal(plain)) == expected


@given(
    st.floats(-80, 80).filter(lambda v: abs(v) > 1e-3),
    st.floats(0.001, 60),
    st.floats(0.001, 60),
    st.sampled_from(["en", "sv"]),
)
def test_a_sentence_never_shows_a_bound_that_is_not_0_as_0(pct, below, above, lang):
    """'cuts the payment liability by 24 % [0, 45]' was said of an interval ending at -0.31 %."""
    from vardkedja_cli.answer import _sentence

    low, high = pct - below, pct + above
    assume(min(abs(low), abs(high)) >= 0.001)  # three decimals at most
    c = {"n": 4, "base_mean": 100.0, "mean": 100.0 + pct, "diff": pct, "diff_low": low, "diff_high": high}
    c |= {"pct": pct, "pct_low": low, "pct_high": high, "clear": low > 0 or high < 0}
    sentence = _sentence("v", "b", "ready_bed_days", c, lang)
    inner = re.search(r"\[([^\]]*)\]", sentence).group(1)
    for shown in re.split(r";\s|,\s", inner):
        assert re.sub(r"[0.,+\-\u2212\s]", "", shown), sentence  # some digit other than 0


@pytest.mark.parametrize(
    ("settings", "variant", "expected"),
    [
        ([], "weekend-everyone", 'rules.payment_days = "staffed"`, the model\'s default'),
        (["--set", "rules.payment_days=calendar"], "weekend-everyone", 'rules.payment_days = "calendar"'),
        ([], "calendar", "counted differently in these scenarios"),
    ],
    ids=["staffed", "calendar", "mixed"],
)
def test_the_report_says_which_days_payment_liability_counts(
    tmp_path, monkeypatch, settings, variant, expected
):
    # An analyst read a weekend-staffing comparison's payment without knowing that the default counts
    # staffed days only (a lower bound, under which staffing weekends makes weekend days chargeable)
    from vardkedja_cli.main import main

    monkeypatch.chdir(tmp_path)
    if variant == "calendar":
        (tmp_path / "calendar.toml").write_text(
            'extends = "nordost-2019"\nname = "calendar"\n[rules]\npayment_days = "calendar"\n'
        )
        second = str(tmp_path / "calendar.toml")
    else:
        second = str(ROOT / "scenarios" / f"{variant}.toml")
    args = ["compare", str(ROOT / "scenarios" / "nordost-2019.toml"), second, "--days", "40", "-n", "1"]
    assert main([*args, *settings, "-j", "1", "--no-plots", "--out", "c"]) == 0
    report = (tmp_path / "c" / "report.md").read_text()
    assert expected in report
    if variant == "calendar":
        assert "nordost-2019: `staffed`, calendar: `calendar`" in report
