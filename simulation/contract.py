"""The summary's contract keys and the version stamp, importable without the model (no pandas, no Mesa).

A run of several replications in worker processes combines their summaries in the main process,
which then never needs the model's libraries: it takes these two from here. ``simulation.metrics``
re-exports both.
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

__all__ = ["SUMMARY_KEYS", "package_version"]

SUMMARY_KEYS = (
    "ready_bed_days",
    "ready_bed_share",
    "mean_ready_days",
    "mean_ready_days_indicator",
    "same_day_discharge_share",
    "weekend_discharge_share",
    "payment_sek",
    "gap_events",
    "gaps_per_100_discharges",
    "sip_rate",
    "readmission_30d_rate",
    "admissions",
    "discharges",
    "turned_away",
)
"""Keys every summary has (besides provenance); numeric ones are aggregated over replications."""


@functools.cache
def package_version() -> str:
    """The installed vardkedja version (recorded with every result; looked up once per process)."""
    try:
        return version("vardkedja")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"
