"""The headline a run prints in the terminal: the figures an analyst reads first.

The single-run headline and the multi-replication one show the same metrics; the latter gives each as
the mean with its 95 % confidence interval of the mean over the replications. Every line fits 100
columns (in both languages).
"""

from __future__ import annotations

from typing import Any

from vardkedja_cli.i18n import bracket, number, t

__all__ = ["aggregate_headline", "headline", "most_frequent_gap"]

_SHARES = {
    "ready_bed_share",
    "same_day_discharge_share",
    "weekend_discharge_share",
    "sip_rate",
    "readmission_30d_rate",
}


def most_frequent_gap(gap_events: dict[str, float | None]) -> str | None:
    """The gap kind with the most events, or None when there were none at all."""
    counts = {k: (v or 0) for k, v in gap_events.items()}
    if not counts or max(counts.values()) <= 0:
        return None
    return max(counts, key=lambda k: counts[k])


def _value(key: str, x: float | None, lang: str, unit: bool = True) -> str:
    if x is None:
        return t(lang, "value.none")
    if key in _SHARES:
        return f"{number(100 * x, 1, lang)}{' %' if unit else ''}"
    if key in ("mean_ready_days", "mean_ready_days_indicator", "gaps_per_100_discharges"):
        return number(x, 2, lang)
    if key == "payment_sek":
        return f"{number(x, 0, lang)}{' ' + t(lang, 'unit.sek') if unit else ''}"
    return number(x, 0, lang)


def period(summary: dict[str, Any], lang: str = "en") -> str:
    """The line saying which days the totals count: a year's run counts 335 days, not 365 (an analyst
    read "7,263 bed-days" as a year's)."""
    days, warmup = summary["days"], summary["warmup_days"]
    if warmup == 0:
        return t(lang, "head.period_all", n=days)
    return t(lang, "head.period", n=days - warmup, warmup=warmup, first=warmup, last=days - 1)


def headline(summary: dict[str, Any], lang: str = "en") -> str:
    """One run's headline figures, saying that one replication gives them no interval."""

    def v(key: str) -> str:
        return _value(key, summary.get(key), lang)

    worst = most_frequent_gap(summary["gap_events"])
    most = f"; {t(lang, 'head.most', kind=t(lang, f'gap.{worst}'))}" if worst else ""
    lines = [
        t(
            lang,
            "head.single",
            scenario=summary["scenario"],
            seed=summary["seed"],
            version=summary["version"],
        ),
        t(lang, "head.single_note"),  # as compare -n 1 says it: these numbers have no interval
        period(summary, lang),
        f"  {t(lang, 'head.admissions')} {v('admissions')}  {t(lang, 'head.discharges')} {v('discharges')}"
        f"  {t(lang, 'head.turned_away')} {v('turned_away')}",
        f"  {t(lang, 'head.ready_bed_days')} {v('ready_bed_days')}"
        f"  ({v('ready_bed_share')} {t(lang, 'head.ready_bed_share')})",
        f"  {t(lang, 'head.mean_ready_days')} {v('mean_ready_days')}",
        f"  {t(lang, 'head.indicator')}: {v('mean_ready_days_indicator')}",
        f"  {t(lang, 'head.same_day')} {v('same_day_discharge_share')}",
        f"  {t(lang, 'head.weekend')} {v('weekend_discharge_share')}",
        f"  {t(lang, 'head.gap_events')} {_value('gap_events_total', summary.get('gap_events_total'), lang)}"
        f"  ({v('gaps_per_100_discharges')} {t(lang, 'head.per_100')}{most})",
        f"  {t(lang, 'head.sip')} {v('sip_rate')}  {t(lang, 'head.readmitted')} {v('readmission_30d_rate')}",
        f"  {t(lang, 'head.payment')} {v('payment_sek')}",
    ]
    return "\n".join(lines)


def aggregate_headline(summary: dict[str, Any], lang: str = "en") -> str:
    """The same figures as :func:`headline`, each as mean [95 % confidence interval of the mean]."""
    m = summary["metrics"]
    n = summary["replications"]

    def v(key: str, record: dict[str, Any] | None = None) -> str:
        r = record if record is not None else m[key]
        if r["mean"] is None:
            return t(lang, "value.none")
        mean = _value(key, r["mean"], lang)
        if (r.get("n") or 0) < 2:
            return f"{mean} ({t(lang, 'ci.one_rep')})"
        # every figure of the headline is a count, share, mean of days, rate or amount: its displayed
        # interval is cut at 0 (a t-interval of a mean can reach below it), as in the report
        low = max(r["ci_low"], 0.0)
        return f"{mean} " + bracket(
            _value(key, low, lang, unit=False), _value(key, r["ci_high"], lang, unit=False), lang
        )

    gap_means = {k: r["mean"] for k, r in m["gap_events"].items()}
    worst = most_frequent_gap(gap_means)
    rows = [
        ("head.admissions", v("admissions")),
        ("head.discharges", v("discharges")),
        ("head.turned_away", v("turned_away")),
        ("head.ready_bed_days", v("ready_bed_days")),
        ("head.ready_bed_share_label", v("ready_bed_share")),
        ("head.mean_ready_days", v("mean_ready_days")),
        ("head.indicator", v("mean_ready_days_indicator")),
        ("head.same_day", v("same_day_discharge_share")),
        ("head.weekend", v("weekend_discharge_share")),
        ("head.gaps_per_100", v("gaps_per_100_discharges")),
        ("head.most_label", t(lang, f"gap.{worst}") if worst else "-"),
        ("head.sip", v("sip_rate")),
        ("head.readmitted", v("readmission_30d_rate")),
        ("head.payment", v("payment_sek")),
    ]
    width = max(len(t(lang, key)) for key, _ in rows) + 2
    lines = [
        t(
            lang,
            "head.multi",
            scenario=summary["scenario"],
            n=n,
            seed=summary["seed"],
            version=summary["version"],
        ),
        t(lang, "head.multi_note", n=n),
        period(summary["runs"][0], lang),
    ]
    lines += [f"  {t(lang, key):<{width}}{value}" for key, value in rows]
    return "\n".join(lines)
