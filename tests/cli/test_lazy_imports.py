"""Fast start: the light commands import none of the heavy libraries (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"pandas", "matplotlib", "scipy", "mesa", "pyarrow"}

CODE = """
import sys
from vardkedja_cli.main import main
code = main(sys.argv[1:])
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def imported(*argv: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", CODE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return set(proc.stderr.strip().splitlines()[-1].split())


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["run", "--help"], ["compare", "--help"]])
def test_help_and_version_import_nothing_heavy(argv):
    loaded = imported(*argv)
    assert "argparse" in loaded  # the probe works
    assert not loaded & HEAVY, loaded & HEAVY


def test_validate_imports_nothing_heavy():
    loaded = imported("validate", str(ROOT / "scenarios" / "nordost.toml"))
    assert "pydantic" in loaded
    assert not loaded & HEAVY, loaded & HEAVY


def test_show_imports_nothing_heavy():
    # it marks the values a rule overrides, which the model's modules compute (simulation.in_force)
    loaded = imported(
        "show", str(ROOT / "scenarios" / "sip-campaign.toml"), "--set", "rules.sip_call_rate=0.9"
    )
    assert "pydantic" in loaded
    assert not loaded & (HEAVY | {"numpy"}), loaded & (HEAVY | {"numpy"})


def test_single_run_does_not_import_scipy(tmp_path):
    # A single replication needs no interval, so scipy.stats is not loaded for it (only Mesa's own
    # scipy.spatial import remains, through mesa.discrete_space).
    loaded = imported(
        "run",
        str(ROOT / "scenarios" / "nordost.toml"),
        "--days",
        "5",
        "--no-plots",
        "--out",
        str(tmp_path / "r"),
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from vardkedja_cli.main import main; "
            f"main(['run', {str(ROOT / 'scenarios' / 'nordost.toml')!r}, '--days', '5', '--no-plots', "
            f"'--out', {str(tmp_path / 's')!r}]); print('scipy.stats' in sys.modules, file=sys.stderr)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.stderr.strip().splitlines()[-1] == "False"
    assert "matplotlib" not in loaded  # --no-plots draws nothing
