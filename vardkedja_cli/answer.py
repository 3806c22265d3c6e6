"""The answer first: one sentence per variant and metric that matters, with its paired interval.

Every variant ran the same replications as the base scenario with the same seeds (common random
numbers), so replication i of the variant is compared with replication i of the base. The change is the
mean of the paired differences with its Student-t 95 % confidence interval of the mean, expressed as a
percentage of the base mean (``docs/OUTPUTS.md`` §5). Every metric told is a count, share, mean or
amount that cannot be below 0, so a change cannot be below −100 %: the sentences cut the lower end of
the percentage interval there (``pct_low_shown``), while ``pct_low`` stays as computed.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from runner.experiment import interval
from vardkedja_cli.i18n import bracket, number, t

__all__ = ["ANSWER_METRICS", "answers", "level", "paired_change", "terminal_lines"]

ANSWER_METRICS = (
    "ready_bed_days",
    "ready_bed_share",
    "mean_ready_days_indicator",
    "gaps_per_100_discharges",
    "payment_sek",
)
"""The metrics that get a sentence, in the order they are told."""

_TOTALS = ("ready_bed_days", "payment_sek")
"""The metrics summed over the measured period: their levels say how long it was."""

_SHARES = ("ready_bed_share",)
"""The metrics that are shares: their change is also told in percentage points."""

FLOOR_PCT = -100.0
"""No change of a quantity that cannot be negative is below −100 %."""


def level(key: str, value: float, lang: str, unit: bool = True) -> str:
    """A metric's value the way a reader expects it (5.8 %, 2.31 days, 12.40 MSEK)."""
    if key in ("ready_bed_share", "same_day_discharge_share", "weekend_discharge_share", "sip_rate") or (
        key == "readmission_30d_rate"
    ):
        text, suffix = number(100 * value, 1, lang), " %"
    elif key in ("mean_ready_days", "mean_ready_days_indicator"):
        text, suffix = number(value, 2, lang), f" {t(lang, 'unit.days')}"
    elif key == "payment_sek":
        text, suffix = number(value / 1e6, 2, lang), f" {t(lang, 'unit.msek')}"
    elif key == "gaps_per_100_discharges":
        text, suffix = number(value, 2, lang), ""
    else:
        text, suffix = number(value, 0, lang), ""
    return text + suffix if unit else text


def paired_change(base_runs: list[dict[str, Any]], runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The paired change of ``key`` from the base runs to ``runs`` (replication by replication).

    Returns base and variant means over the pairs where both have a value, the mean difference with
    its 95 % t-interval (``None`` with fewer than two pairs), the same as a percentage of the base mean
    (``None`` when the base mean is 0), ``pct_low_shown``: ``pct_low`` cut at −100 % as the sentence
    shows it, ``n`` pairs and ``clear``: whether the interval excludes 0.
    """
    pairs = [
        (float(b[key]), float(r[key]))
        for b, r in zip(base_runs, runs, strict=True)
        if b.get(key) is not None and r.get(key) is not None
    ]
    n = len(pairs)
    if n == 0:
        return {
            "base_mean": None,
            "mean": None,
            "diff": None,
            "diff_low": None,
            "diff_high": None,
            "pct": None,
            "pct_low": None,
            "pct_low_shown": None,
            "pct_high": None,
            "n": 0,
            "clear": False,
        }
    base_mean = sum(b for b, _ in pairs) / n
    mean = sum(r for _, r in pairs) / n
    d = interval(r - b for b, r in pairs)
    low, high = d["ci_low"], d["ci_high"]  # None with one pair: no interval

    def pct(x: float | None) -> float | None:
        return None if x is None or base_mean == 0 else 100.0 * x / base_mean

    clear = low is not None and high is not None and (low > 0 or high < 0)
    return {
        "base_mean": base_mean,
        "mean": mean,
        "diff": d["mean"],
        "diff_low": low,
        "diff_high": high,
        "pct": pct(d["mean"]),
        "pct_low": pct(low),
        "pct_low_shown": _floor(pct(low)),
        "pct_high": pct(high),
        "n": n,
        "clear": bool(clear),
    }


def _floor(pct: float | None) -> float | None:
    """A percentage change cut at :data:`FLOOR_PCT`."""
    return None if pct is None else max(pct, FLOOR_PCT)


def _period(key: str, days: int | None, lang: str) -> str:
    """What follows a total's levels: ' over 335 days' (nothing for shares and means, or no period)."""
    if key not in _TOTALS or days is None:
        return ""
    return " " + t(lang, "answer.period_one" if days == 1 else "answer.period", days=number(days, 0, lang))


def _sentence(
    variant: str, base: str, key: str, c: dict[str, Any], lang: str, days: int | None = None
) -> str:
    """The sentence for change ``c`` of ``key``; ``days``: the measured period a total is summed over."""
    metric = t(lang, f"phrase.{key}")
    n = t(lang, "answer.n_paired", n=c["n"]) if c["n"] >= 2 else t(lang, "answer.one_rep")
    fields = {"variant": variant, "base": base, "metric": metric, "n": n}
    if c["n"] == 0:
        return t(lang, "answer.same", **fields, levels=t(lang, "value.none"))
    over = _period(key, days, lang)
    levels = f"{level(key, c['base_mean'], lang, unit=False)} → {level(key, c['mean'], lang)}{over}"
    if c["diff"] == 0 and (c["diff_low"] is None or c["diff_low"] == c["diff_high"]):
        return t(lang, "answer.same", **fields, levels=level(key, c["mean"], lang) + over)
    if c["pct"] is None:  # the base mean is 0: a percentage says nothing
        unclear = c["diff_low"] is not None and not c["clear"]
        key_ = "answer.from_zero_unclear" if unclear else "answer.from_zero"
        return t(lang, key_, **fields, mean=level(key, c["mean"], lang) + over)
    if key in _SHARES:  # a relative change of a share, and the same in percentage points
        points = number(100 * (c["mean"] - c["base_mean"]), 1, lang, sign=True)
        levels += f", {points} {t(lang, 'unit.points')}"
    low = _floor(c["pct_low"])  # a change of what cannot be negative is not below −100 %
    bounds = [b for b in (c["pct"], low, c["pct_high"]) if b is not None]
    dec = 0 if max(abs(b) for b in bounds) >= 10 else 1
    # a bound that is not 0 is never shown as 0 ("cuts by 24 % [0, 45]" for a bound of 0.31 %)
    while dec < 3 and any(b != 0 and round(abs(b), dec) == 0 for b in bounds):
        dec += 1
    if low is None:  # one pair: no interval, so no direction is claimed
        return t(lang, "answer.single", **fields, levels=levels, pct=number(c["pct"], dec, lang, sign=True))
    if not c["clear"]:
        return t(
            lang,
            "answer.unclear",
            **fields,
            levels=levels,
            pct=number(c["pct"], dec, lang, sign=True),
            ci=bracket(number(low, dec, lang, sign=True), number(c["pct_high"], dec, lang, sign=True), lang),
        )
    if c["pct"] < 0:  # told as a cut: magnitudes, smallest first
        pct, lo, hi = -c["pct"], -c["pct_high"], -low
        direction = "down"
    else:
        pct, lo, hi = c["pct"], low, c["pct_high"]
        direction = "up"
    return t(
        lang,
        f"answer.{direction}",
        **fields,
        levels=levels,
        pct=number(pct, dec, lang),
        ci=bracket(number(lo, dec, lang), number(hi, dec, lang), lang),
    )


def answers(
    summaries: list[dict[str, Any]], lang: str = "en", names: list[str] | None = None
) -> list[dict[str, Any]]:
    """One record per variant (every scenario after the first) and metric of :data:`ANSWER_METRICS`.

    Each record holds the scenario, the metric, the numbers of :func:`paired_change` and the sentence.
    ``names`` are the scenario names as they should appear in the sentences (e.g. escaped for Markdown);
    by default the names themselves.
    """
    names = names or [s["scenario"] for s in summaries]
    base_runs = summaries[0]["runs"]
    days = _measured_days(base_runs)
    out = []
    for s, name in zip(summaries[1:], names[1:], strict=True):
        for key in ANSWER_METRICS:
            c = paired_change(base_runs, s["runs"], key)
            out.append(
                {
                    "scenario": s["scenario"],
                    "base": summaries[0]["scenario"],
                    "metric": key,
                    **c,
                    "sentence": _sentence(name, names[0], key, c, lang, days),
                }
            )
    return out


def _measured_days(runs: list[dict[str, Any]]) -> int | None:
    """The days the totals are summed over: the run's days less its warm-up (``None`` if not told).

    Every scenario of a comparison runs the same days and warm-up (``compare`` refuses others)."""
    first = runs[0] if runs else {}
    if first.get("days") is None or first.get("warmup_days") is None:
        return None
    return int(first["days"]) - int(first["warmup_days"])


_NBSP = "\xa0"  # textwrap breaks only at ASCII whitespace
_KEEP_TOGETHER = re.compile(r"\[[^\]]*\]|\d(?: \d{3})+(?: %)?|\d %")  # [25, 35], 1 234 567, 30 %


def terminal_lines(sentences: list[str], width: int = 100) -> list[str]:
    """The sentences wrapped to ``width`` columns, continuation lines indented; a line never breaks
    inside a number, between a number and its %, or inside an interval's brackets."""
    lines: list[str] = []
    for s in sentences:
        kept = _KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", _NBSP), s)
        wrapped = textwrap.wrap(kept, width=width, subsequent_indent="  ", break_on_hyphens=False)
        lines += [line.replace(_NBSP, " ") for line in wrapped]
    return lines
