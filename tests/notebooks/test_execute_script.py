"""notebooks/execute.py, the script that writes the committed notebooks, has a real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "notebooks" / "execute.py"


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_help_is_help_not_a_notebook_name():
    # --help was taken for a notebook: FileNotFoundError ... notebooks/--help
    proc = _script("--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: notebooks/execute.py [-h] [NOTEBOOK ...]"), proc.stdout
    assert "02_what_if_weekend_and_sip.ipynb" in proc.stdout and proc.stderr == ""


def test_a_bad_argument_is_one_line():
    # each alone: before this fix the script executed, and rewrote, every notebook named before a bad one
    for args, says in (
        (("nope.ipynb",), "nope.ipynb: no such notebook in notebooks/"),
        (("execute.py",), "execute.py: no such notebook in notebooks/"),
        (("--bogus",), "unrecognized arguments: --bogus"),
    ):
        proc = _script(*args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        assert lines[0] == f"notebooks/execute.py: {says}", lines[0]
