"""The headline a run prints in the terminal: the figures an analyst reads first."""

from __future__ import annotations

from typing import Any

__all__ = ["aggregate_headline", "headline"]


def headline(summary: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f} %"

    def num(x: float | None, fmt: str = ".2f") -> str:
        return "n/a" if x is None else format(x, fmt)

    gaps = summary["gap_events"]
    worst = max(gaps, key=lambda k: gaps[k]) if gaps else None
    lines = [
        f"scenario {summary['scenario']}  seed {summary['seed']}  version {summary['version']}",
        f"  admissions {summary['admissions']}  discharges {summary['discharges']}"
        f"  turned away {summary['turned_away']}",
        f"  utskrivningsklara bed-days {summary['ready_bed_days']}"
        f"  ({pct(summary['ready_bed_share'])} of occupied bed-days)",
        f"  mean days utskrivningsklar {num(summary['mean_ready_days'])}"
        f"  (indicator, episodes with >= 1 day: {num(summary['mean_ready_days_indicator'])})",
        f"  discharged the day they became ready {pct(summary['same_day_discharge_share'])}"
        f"  weekend discharges {pct(summary['weekend_discharge_share'])}",
        f"  gap events {summary['gap_events_total']}"
        f"  ({num(summary['gaps_per_100_discharges'], '.1f')} per 100 discharges;"
        f" most: {worst})",
        f"  SIP held {pct(summary['sip_rate'])} of eligible"
        f"  readmitted within 30 days {pct(summary['readmission_30d_rate'])}"
        f"  kommun payment {summary['payment_sek']:,.0f} SEK",
    ]
    return "\n".join(lines)


def aggregate_headline(summary: dict[str, Any]) -> str:
    m = summary["metrics"]
    n = summary["replications"]

    def fmt(key: str, scale: float = 1.0, digits: int = 2) -> str:
        v = m[key]
        if v["mean"] is None:
            return "n/a"
        return (
            f"{v['mean'] * scale:.{digits}f} [{v['ci_low'] * scale:.{digits}f}, "
            f"{v['ci_high'] * scale:.{digits}f}]"
        )

    return "\n".join(
        [
            f"scenario {summary['scenario']}  {n} replications from seed {summary['seed']}"
            f"  version {summary['version']}  (mean [95 % interval])",
            f"  utskrivningsklara bed-days {fmt('ready_bed_days', digits=0)}",
            f"  share of occupied beds (%) {fmt('ready_bed_share', 100, 2)}",
            f"  mean days utskrivningsklar (indicator) {fmt('mean_ready_days_indicator')}",
            f"  gap events per 100 discharges {fmt('gaps_per_100_discharges')}",
            f"  SIP held among eligible (%) {fmt('sip_rate', 100, 1)}",
        ]
    )
