"""The words of the answer and the headline as a Swedish policy analyst reads them.

A change of what cannot be negative is never below −100 %; a total says the days it is summed over; a
one-replication run says it has no interval; a share's change is also given in percentage points;
Swedish numbers have the minus sign and no negative zero; the Swedish terms are the same everywhere;
the hospitals' payment column says why it does not add up.

One comparison per language of the baseline and the spring-2020 scenario (90 days, two replications:
a wide interval, so the payment's cut reaches far below −100 %) and one run per language through the
installed command are shared by the tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vardkedja_cli.answer import _sentence, paired_change
from vardkedja_cli.i18n import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "nordost-2019.toml"
PANDEMIC = ROOT / "scenarios" / "pandemic-spring-2020.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"
DAYS, WARMUP = 90, 30  # the scenarios' warm-up is 30 days: the totals cover 60
MINUS = "\u2212"
NEGATIVE_ZERO = re.compile(r"[-\u2212]0(?:[.,]0+)?(?![\d.,]*\d)")  # -0, -0.0, −0,00; not −0,05


def vk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, timeout=900)


@pytest.fixture(scope="module", params=["en", "sv"])
def spring(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(lang, comparison folder, stdout) of nordost-2019 vs pandemic-spring-2020."""
    lang = request.param
    work = tmp_path_factory.mktemp(f"spring-{lang}")
    proc = vk(
        "compare", str(BASE), str(PANDEMIC), "--days", str(DAYS), "-n", "2", "--no-plots", "--lang", lang,
        "--out", str(work / "out"), cwd=work,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return lang, work / "out", proc.stdout


def _answer_block(stdout: str) -> list[str]:
    """The terminal's sentences, each joined back into one line."""
    out: list[str] = []
    for line in stdout.splitlines()[: stdout.splitlines().index("")]:
        if line.startswith("  "):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


def _change(pct: float, low: float, high: float, key: str = "payment_sek", mean: float = 12.0) -> dict:
    c = {"n": 3, "base_mean": 100.0, "mean": mean, "diff": pct, "diff_low": low, "diff_high": high}
    return c | {"pct": pct, "pct_low": low, "pct_high": high, "clear": low > 0 or high < 0}


# ---------------------------------------------------------------------------------------------
# 1. The percentage interval of a cut ends at −100 %


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "by 88 % [41, 100]"), ("sv", "med 88 % [41; 100]")],
)
def test_a_cut_s_interval_ends_at_100_percent(lang, shown):
    # "minskar kommunernas betalningsansvar med 88 % [41; 135]": no payment is below 0
    text = _sentence("v", "b", "payment_sek", _change(-88.0, -135.3, -40.6), lang)
    assert shown in text, text
    unclear = _sentence("v", "b", "payment_sek", _change(-60.0, -130.0, 10.0), lang)
    assert "[-100, +10]" in unclear if lang == "en" else f"[{MINUS}100; +10]" in unclear, unclear


def test_pct_low_stays_as_computed_with_the_shown_bound_beside_it():
    base = [{"payment_sek": v} for v in (100.0, 300.0)]
    variant = [{"payment_sek": v} for v in (0.0, 100.0)]
    c = paired_change(base, variant, "payment_sek")
    assert c["pct_low"] < -100 and c["pct_low_shown"] == -100.0
    inside = paired_change(base, [{"payment_sek": v} for v in (90.0, 280.0)], "payment_sek")
    assert inside["pct_low_shown"] == inside["pct_low"] > -100


def test_no_shown_change_is_below_minus_100_percent(spring):
    lang, out, stdout = spring
    data = json.loads((out / "summary.json").read_text())
    payment = next(a for a in data["answers"] if a["metric"] == "payment_sek")
    assert payment["pct_low"] < -100, payment  # the case this test is about: two replications, t = 12.7
    assert payment["pct_low_shown"] == -100.0
    assert payment["diff_low"] == pytest.approx(payment["pct_low"] * payment["base_mean"] / 100)
    for a in data["answers"]:
        assert a["pct_low_shown"] == max(a["pct_low"], -100.0), a
        for bounds in re.findall(r"\[([^\]]*)\]", a["sentence"]):
            shown = [float(b.replace(MINUS, "-").replace(",", ".")) for b in re.split(r"[;,] ", bounds)]
            if a["clear"] and a["pct"] < 0:  # a cut: told as magnitudes, at most 100 %
                assert max(shown) <= 100, a["sentence"]
            assert min(shown) >= -100, a["sentence"]  # unclear: signed, never below −100 %
    said = [s for s in _answer_block(stdout) if "kommun" in s]
    assert said == [payment["sentence"]]
    assert re.search(r"\[[-\u2212]100[,;] |\[\d+[,;] 100\]", said[0]), said  # unclear, or a clear cut
    md = (out / "report.md").read_text()
    assert f"- {payment['sentence']}\n" in md


# ---------------------------------------------------------------------------------------------
# 2. A total says the days it is summed over


@pytest.mark.parametrize(
    ("key", "lang", "levels"),
    [
        ("ready_bed_days", "en", "(6,319 → 3,477 over 335 days)"),
        ("ready_bed_days", "sv", "(6\xa0319 → 3\xa0477 under 335 dagar)"),
        ("payment_sek", "en", "(6.32 → 3.48 MSEK over 335 days)"),
    ],
)
def test_a_total_says_its_period(key, lang, levels):
    scale = 1e3 if key == "payment_sek" else 1.0  # 6,319,000 SEK is 6.32 MSEK
    c = _change(-45.0, -61.0, -29.0, key) | {"base_mean": 6319.0 * scale, "mean": 3477.0 * scale}
    assert levels in _sentence("v", "b", key, c, lang, days=335)


@pytest.mark.parametrize("key", ["ready_bed_share", "mean_ready_days_indicator", "gaps_per_100_discharges"])
def test_a_share_or_a_mean_says_no_period(key):
    c = _change(-45.0, -61.0, -29.0, key) | {"base_mean": 0.06, "mean": 0.035}
    text = _sentence("v", "b", key, c, "en", days=335)
    assert "over" not in text and "335" not in text, text


def test_the_totals_of_a_comparison_say_the_days_after_the_warm_up(spring):
    lang, out, stdout = spring
    over = {"en": f"over {DAYS - WARMUP} days", "sv": f"under {DAYS - WARMUP} dagar"}[lang]
    data = json.loads((out / "summary.json").read_text())
    for a in data["answers"]:
        assert (over in a["sentence"]) == (a["metric"] in ("ready_bed_days", "payment_sek")), a["sentence"]
    assert sum(over in s for s in _answer_block(stdout)) == 2


# ---------------------------------------------------------------------------------------------
# 3. A one-replication run says its numbers have no interval


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "  one replication: no interval (use -n 10 or more for 95 % confidence intervals)"),
        ("sv", "  en replikering: inget intervall (använd -n 10 eller fler för 95 % konfidensintervall)"),
    ],
)
def test_a_one_replication_run_says_it_has_no_interval(lang, said, tmp_path):
    proc = vk("run", str(BASE), "--days", "60", "--no-plots", "--lang", lang, "--out", str(tmp_path / "r"),
              cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == said, lines[:3]
    assert all(len(line) <= 100 for line in lines)


# ---------------------------------------------------------------------------------------------
# 4. A share's relative change is also told in percentage points


@pytest.mark.parametrize(
    ("lang", "levels"),
    [("en", "(6.0 → 3.5 %, -2.5 percentage points)"), ("sv", f"(6,0 → 3,5 %, {MINUS}2,5 procentenheter)")],
)
def test_a_share_s_change_is_also_in_percentage_points(lang, levels):
    c = _change(-42.0, -49.0, -35.0, "ready_bed_share") | {"base_mean": 0.060, "mean": 0.035}
    assert levels in _sentence("v", "b", "ready_bed_share", c, lang)
    other = _sentence("v", "b", "mean_ready_days_indicator", c | {"base_mean": 3.0, "mean": 1.74}, lang)
    assert "percentage points" not in other and "procentenheter" not in other


def test_the_share_sentence_of_a_comparison_gives_percentage_points(spring):
    lang, out, _ = spring
    data = json.loads((out / "summary.json").read_text())
    share = next(a for a in data["answers"] if a["metric"] == "ready_bed_share")
    unit = {"en": "percentage points", "sv": "procentenheter"}[lang]
    m = re.search(rf", ([-+\u2212]\d+[.,]\d) {unit}[;)]", share["sentence"])
    assert m, share["sentence"]
    points = float(m.group(1).replace(MINUS, "-").replace(",", "."))
    assert points == pytest.approx(100 * (share["mean"] - share["base_mean"]), abs=0.051)
    assert all(unit not in a["sentence"] for a in data["answers"] if a["metric"] != "ready_bed_share")


# ---------------------------------------------------------------------------------------------
# 5. Swedish text writes the minus sign and never a negative zero; English keeps ASCII


def test_swedish_numbers_have_the_minus_sign_and_english_ascii(spring):
    lang, out, _ = spring
    md = (out / "report.md").read_text()
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
    cells = " | ".join(rows)
    hyphen, minus = re.compile(r"(?:^|[\s\[(|;])-\d"), re.compile(r"\u2212\d")
    if lang == "sv":
        assert minus.search(cells) and not hyphen.search(cells), cells[:2000]
    else:
        assert hyphen.search(cells) and not minus.search(cells), cells[:2000]
    for name in ("report.md", "comparison.md"):
        assert not NEGATIVE_ZERO.search((out / name).read_text()), name
    data = json.loads((out / "summary.json").read_text())
    assert not any(NEGATIVE_ZERO.search(s) for s in data["sentences"])
    assert MINUS not in (out / "comparison.csv").read_text()  # files hold numbers, not text


# ---------------------------------------------------------------------------------------------
# 6. One Swedish term for one thing


def test_the_swedish_catalogue_uses_one_term_for_each_thing():
    sv = MESSAGES["sv"]
    text = "\n".join(sv.values())
    for old in ("hållen", "hölls", "belagda vårdplatser", "Avvisade", "avvisade", "kanter", "basfrö"):
        assert old not in text, old
    assert not re.search(r"(?<![sS]lumptals)frö", text)
    assert "genomförd SIP" in sv["head.sip"] and sv["label.sip_rate"].startswith("Genomförd SIP")
    term = "utskrivningsklara patienters andel av belagda vårddygn"
    assert sv["head.ready_bed_share_label"] == term and sv["phrase.ready_bed_share"] == term
    assert sv["label.ready_bed_share"] == term[0].upper() + term[1:] + " (%)"
    assert sv["label.turned_away"] == "Fick ingen vårdplats"
    assert sv["head.turned_away"] == "fick ingen vårdplats"
    assert "förbindelser med glapp" in sv["fig.gap_network.sub"]
    assert sv["eff.own_vc"] == "{value} (varje vårdcentrals egen nivå)"


@pytest.mark.parametrize("spring", ["sv"], indirect=True)
def test_a_swedish_run_and_comparison_say_the_same_terms(spring, tmp_path):
    _, out, stdout = spring
    run = vk("run", str(BASE), "--days", "60", "-n", "2", "--no-plots", "--lang", "sv",
             "--out", str(tmp_path / "r"), cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    term = "utskrivningsklara patienters andel av belagda vårddygn"
    md = (out / "report.md").read_text()
    for said in (run.stdout, " ".join(_answer_block(stdout)), md.lower()):
        assert term in said, said[:1500]
    assert "genomförd SIP bland patienter som behöver SIP" in run.stdout
    assert "| Genomförd SIP bland patienter som behöver SIP (%) |" in md
    assert "slumptalsfrö 2019" in run.stdout and "slumptalsfrö" in md
    assert "fick ingen vårdplats" in run.stdout
    for text in (run.stdout, md):
        assert not re.search(r"hållen|(?<![sS]lumptals)frö|belagda vårdplatser|avvisade", text, re.I)


@pytest.mark.parametrize("spring", ["sv"], indirect=True)
@pytest.mark.parametrize("kind", ["Kommun", "Sjukhus"])
def test_every_breakdown_column_header_is_capitalised(spring, kind):
    _, out, _ = spring
    md = (out / "report.md").read_text().splitlines()
    headers = [line for line in md if line.startswith(f"| {kind} | Scenario |")]
    assert len(headers) == 2, headers  # the figures, then the gap events by kind
    for header in headers:
        cells = [c.strip() for c in header.strip("|").split("|")]
        assert all(c[0].isupper() for c in cells), cells
    assert "Ingen kallelse till SIP" in headers[1] and "SIP inte genomförd" in headers[1], headers


# ---------------------------------------------------------------------------------------------
# 7. The hospitals' payment column says why it does not add up to the total


def test_the_hospital_table_says_why_its_payment_does_not_add_up(spring):
    lang, out, _ = spring
    note = MESSAGES[lang]["report.hospital_payment_note"]
    md = (out / "report.md").read_text()
    section = md.split(f"## {MESSAGES[lang]['report.by_hospital']}")[1].split("\n## ")[0]
    blocks = section.strip().split("\n\n")
    assert blocks[1].startswith("| ") and blocks[2] == note, blocks  # right under the table
    assert ("whole stay" if lang == "en" else "hela sin vårdtid") in note
    said = {"en": "does not add up to the total", "sv": "summerar inte till totalen"}[lang]
    assert said in note and said in (out / "report.html").read_text()


# ---------------------------------------------------------------------------------------------
# A run's headline says which days its figures count (a year's run counts 335, not 365)


@pytest.mark.parametrize(
    ("lang", "n", "said"),
    [
        ("en", "1", "  over 30 days: days 30–59, after a warm-up of 30 days"),
        ("sv", "2", "  under 30 dagar: dag 30–59, efter 30 dagars uppvärmning"),
    ],
)
def test_a_run_headline_says_the_days_its_figures_count(lang, n, said, tmp_path):
    proc = vk("run", str(BASE), "--days", "60", "-n", n, "-j", "1", "--no-plots", "--lang", lang,
              "--out", str(tmp_path / "r"), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2] == said, proc.stdout[:400]


def test_a_run_without_warm_up_counts_all_its_days(tmp_path):
    (tmp_path / "w.toml").write_text('extends = "nordost-2019"\nname = "no-warmup"\nwarmup_days = 0\n')
    proc = vk("run", str(tmp_path / "w.toml"), "--days", "40", "--no-plots", "--out", str(tmp_path / "r"),
              cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2] == "  over all 40 days"
