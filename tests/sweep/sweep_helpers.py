"""Helpers for the sweep tests: a small grid sweep file (nordost-2019, 30 days), the installed command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "nordost-2019.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"

GRID = f"""
name = "test-grid"
base = "{BASE.as_posix()}"
seed = 99
replications = 2
days = 30
warmup_days = 0
metrics = ["ready_bed_days", "sip_rate", "gaps_per_100_discharges", "gap_events.sip_not_called"]

[design]
kind = "grid"

[[parameter]]
key = "rules.sip_call_rate"
levels = [0.1, 0.9]

[[parameter]]
name = "weekend_staffing"
keys = ["weekend_staffing.assessor", "weekend_staffing.vardcentral"]
levels = [0.0, 1.0]

[[parameter]]
key = 'kommun."Täby".assessor_capacity'
levels = [2, 6]
"""


def vk(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it."""
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT, timeout=600, **kw)


def rows(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "runs").sort_values(["point", "replication"]).reset_index(drop=True)


def run_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").iterdir())}
