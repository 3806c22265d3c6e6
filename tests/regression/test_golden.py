"""Exact regression against golden files (regenerate with tests/regression/regenerate.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from regenerate import CASES, golden

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_golden(name):
    summary, episodes = golden(name)
    expected = json.loads((HERE / "golden" / f"{name}.summary.json").read_text())
    assert json.loads(json.dumps(summary, sort_keys=True)) == expected
    assert episodes == (HERE / "golden" / f"{name}.episodes.csv").read_text()
