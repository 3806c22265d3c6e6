"""A comparison of one replication says so in every language: "one replication", never "1 replications",
and no confidence interval claimed, in the report and in the workbook.

One English and one Swedish ``compare`` of the shipped weekend scenarios (60 days, one replication,
one ``--set`` for every scenario) through the installed command are shared by the tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vardkedja_cli.i18n import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "nordost-2019.toml"
WEEKEND = ROOT / "scenarios" / "weekend-everyone.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"
SETTING = "rules.sip_call_rate=0.95"
METHOD = {"en": "Changes are paired:", "sv": "Förändringarna är parvisa:"}
NO_INTERVAL = {"en": "no interval", "sv": "inget intervall"}
SET_LABEL = {"en": "--set (every scenario)", "sv": "--set (alla scenarier)"}
FIELDS = {"base", "seed", "replications", "days", "warmup_days", "version", "interval"}
"""The about sheet's rows of fields: named so in English, in words in Swedish (``xlsx.about.<field>``)."""


@pytest.fixture(scope="module", params=["en", "sv"])
def one(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """(language, comparison folder) of a one-replication comparison with ``--set``."""
    lang = request.param
    work = tmp_path_factory.mktemp(f"one-{lang}")
    args = ["compare", str(BASE), str(WEEKEND), "--days", "60", "-n", "1", "--set", SETTING]
    args += ["--lang", lang, "--out", str(work / "out")]
    proc = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=work, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return lang, work / "out"


def _about(out: Path) -> dict[str, str]:
    from openpyxl import load_workbook

    rows = list(load_workbook(out / "comparison.xlsx").worksheets[-1].iter_rows(values_only=True))
    return {str(key): str(value) for key, value in rows[1:]}


def test_one_replication_is_never_counted_as_replications(one):
    # "Means over 1 replications" / "Medelvärden över 1 replikeringar" under the breakdown tables
    lang, out = one
    for name in ("report.md", "report.html", "summary.json"):
        text = (out / name).read_text()
        assert not re.search(r"\b1 (\w+ )?(replications|replikeringar)\b", text), name
        assert "Means over" not in text and "Medelvärden över" not in text, name
    md = (out / "report.md").read_text()
    said = MESSAGES[lang]["report.by_cells_one"]  # "One replication: no interval."
    assert md.count(f"\n{said} ") == 2  # both breakdowns


@pytest.mark.parametrize("kind", ["kommun", "hospital"])
def test_one_replication_breakdowns_have_a_difference_and_no_interval(one, kind):
    lang, out = one
    import pandas as pd

    df = pd.read_csv(out / f"comparison_by_{kind}.csv")
    assert df[["ci_low", "ci_high", "diff_low", "diff_high"]].isna().all().all()
    assert df[df["scenario"] == "weekend-everyone"]["diff"].notna().all() and (df["n"] == 1).all()
    heading = MESSAGES[lang][f"report.by_{kind}"]
    section = (out / "report.md").read_text().split(f"## {heading}\n")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows and not [line for line in rows if "[" in line], rows[:3]
    assert section.lstrip().startswith(MESSAGES[lang]["report.by_cells_one"])


def test_one_replication_method_claims_no_interval(one):
    lang, out = one
    (method,) = [p for p in (out / "report.md").read_text().split("\n\n") if p.startswith(METHOD[lang])]
    assert "95" not in method and "confiden" not in method and "konfidens" not in method, method
    assert NO_INTERVAL[lang] in method, method


def test_one_replication_workbook_names_no_interval(one):
    lang, out = one
    interval = _about(out)[MESSAGES[lang]["xlsx.about.interval"]]
    assert "95" not in interval and "Student" not in interval, interval
    assert ("no confidence interval" if lang == "en" else "inget konfidensintervall") in interval


def test_one_replication_summary_json_names_no_interval_in_fixed_english(one):
    # summary.json said "Student-t 95 % confidence interval of the mean over replications" with -n 1
    lang, out = one
    data = json.loads((out / "summary.json").read_text())
    assert data["lang"] == lang
    assert data["interval"] == MESSAGES["en"]["ci.about_one"]  # English whatever lang (docs/OUTPUTS.md)
    assert all(row["ci_low"] is None and row["diff_low"] is None for row in data["metrics"])


def test_about_sheet_row_labels_are_in_the_workbook_s_language(one):
    # a Swedish workbook said "--set (every scenario)", and "seed", "scenario_digest" beside Swedish values
    lang, out = one
    about = _about(out)
    assert about[SET_LABEL[lang]] == SETTING
    fields = {MESSAGES[lang][f"xlsx.about.{f}"] for f in FIELDS}
    assert fields <= set(about), set(about)
    if lang == "en":
        assert fields == FIELDS  # English keeps the field names
    per_scenario = tuple(
        f": {MESSAGES[lang][f'xlsx.about.{f}']}" for f in ("scenario_digest", "replication_seeds")
    )
    assert sum(k.endswith(per_scenario) for k in about) == 4  # two scenarios
    prose = [k for k in about if k not in fields and not k.endswith(per_scenario)]
    other = "sv" if lang == "en" else "en"
    assert prose and set(prose) <= set(MESSAGES[lang].values()) - set(MESSAGES[other].values()), prose
    if lang == "sv":
        assert not FIELDS & set(about) and not any(k.endswith(": scenario_digest") for k in about)
