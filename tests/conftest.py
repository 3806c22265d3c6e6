"""Shared fixtures: the small synthetic scenario builder and the shipped scenario's path."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from builders import NORDOST, small_scenario_dict
from hypothesis import settings

# CI explores the same examples on every run (a red CI is then reproducible); local runs keep
# exploring new random scenarios.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def scenario_dict() -> Callable[..., dict[str, Any]]:
    """Builder for the small synthetic scenario (keyword overrides are deep-merged)."""
    return small_scenario_dict


@pytest.fixture(scope="session")
def nordost_path() -> Path:
    """Path of the shipped scenario."""
    return NORDOST
