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
