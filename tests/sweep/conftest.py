"""Fixtures for the sweep tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sweep_helpers import GRID


@pytest.fixture
def write_sweep(tmp_path: Path) -> Callable[..., Path]:
    """Write a sweep file (default: the small grid) into tmp_path and return its path."""

    def write(text: str = GRID, name: str = "sweep.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
