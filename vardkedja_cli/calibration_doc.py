"""The calibration document (``docs/calibration.md``), in English or Swedish.

What was evaluated comes from :func:`runner.calibration.run_calibration`; every word is the message
catalogue's (``cal.*`` in :mod:`vardkedja_cli.i18n`). Swedish numbers have a decimal comma and
intervals ``[low; high]``; English ones are written as before (``5.84 % [4.98, 6.70]``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from runner.calibration import BY_HAND, FITTED_KEY, TARGETS, Calibration
from runner.experiment import interval
from simulation.contract import package_version
from vardkedja_cli.i18n import bracket, number, t

__all__ = ["write_calibration_doc"]


def _number(x: float, digits: int, lang: str) -> str:
    # English as the document always had it (no thousands separator: 7152, not 7,152)
    return f"{x:.{digits}f}" if lang == "en" else number(x, digits, lang)


def _estimate(
    iv: dict[str, Any], digits: int, lang: str, scale: float = 1.0, unit: str = "", with_interval: bool = True
) -> str:
    """``mean [low, high]`` of an :func:`interval`; the mean alone when it has none (or
    ``with_interval`` is false); "n/a" when nothing was measured (no discharges in a short run)."""
    if iv["mean"] is None:
        return t(lang, "cal.na")
    text = f"{_number(iv['mean'] * scale, digits, lang)}{unit}"
    if iv["ci_low"] is None or not with_interval:
        return text
    low, high = (_number(iv[k] * scale, digits, lang) for k in ("ci_low", "ci_high"))
    return f"{text} {bracket(low, high, lang)}"


def _lower_first(label: str) -> str:
    """'Share of beds' -> 'share of beds', but 'SIP held' stays."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _value(value: Any, lang: str, fmt: str = "") -> str:
    """A parameter value or a bound as written (``2.36``, ``4.8``); in Swedish with a decimal comma."""
    text = format(value, fmt) if fmt else str(value)
    return text.replace(".", ",") if lang == "sv" and isinstance(value, float) else text


def write_calibration_doc(
    cal: Calibration, out: Path, lang: str = "en", trace: list[tuple[float, float]] | None = None
) -> None:
    """Write the Markdown document of ``cal`` (and of the fit's ``trace``, if it ran) to ``out``."""
    one = cal.replications == 1  # one replication, no interval: not one of width 0 that reads as certainty
    base = cal.baseline
    replications = t(lang, "cal.replications_one") if one else t(lang, "cal.replications", n=cal.replications)
    lines = [
        f"# {t(lang, 'cal.title')}",
        "",
        t(
            lang,
            "cal.generated",
            date=dt.date.today().isoformat(),
            version=package_version(),
            replications=replications,
            seed=cal.seed,
            days=base.days,
            warmup=base.warmup_days,
            intervals=t(lang, "cal.intervals_one" if one else "cal.intervals"),
        ),
        "",
        f"## {t(lang, 'cal.fitted')}",
        "",
        t(lang, "cal.fitted.columns"),
        "|---|---|---|",
        t(
            lang,
            "cal.fitted.row",
            param=FITTED_KEY,
            value=_value(base.relationships.support_start_days_weak, lang),
        ),
        *(
            t(
                lang,
                "cal.by_hand.row",
                param=key,
                value=_value(cal.value(key), lang),
                why=t(lang, f"cal.by_hand.{key}"),
            )
            for key in BY_HAND
        ),
        "",
        t(lang, "cal.rest"),
        "",
        f"## {t(lang, 'cal.targets')}",
        "",
        t(lang, "cal.targets.columns", what=t(lang, "cal.what_one" if one else "cal.what")),
        "|---|---|---|---|---|---|",
    ]
    misses = []
    for target in TARGETS:
        iv = cal.estimate(target)
        pct = target.key.endswith(("share", "rate"))
        scale, unit = (100.0, " %") if pct else (1.0, "")
        ok = cal.in_range(target)
        if not ok:
            misses.append((target, iv, scale, unit))
        name = f"cal.target.{target.scenario}.{target.key}"
        lines.append(
            f"| {target.scenario} | {t(lang, f'cal.label.{target.key}')} | {t(lang, name)} | "
            f"{_estimate(iv, 2, lang, scale, unit)} | {t(lang, 'cal.yes' if ok else 'cal.no')} | "
            f"{t(lang, name + '.source')} |"
        )
    if misses:
        lines += ["", f"## {t(lang, 'cal.missed')}", ""]
        for target, iv, scale, unit in misses:
            lines.append(
                t(
                    lang,
                    "cal.missed.item",
                    scenario=target.scenario,
                    label=_lower_first(t(lang, f"cal.label.{target.key}")),
                    value=_estimate(iv, 2, lang, scale, unit, with_interval=False),
                    published=t(lang, f"cal.target.{target.scenario}.{target.key}"),
                    low=_value(target.low * scale, lang, "g"),
                    high=_value(target.high * scale, lang, "g"),
                    unit=unit,
                )
            )
    lines += [
        "",
        t(lang, "cal.why"),
        "",
        t(lang, "cal.why.same_day"),
        t(lang, "cal.why.sip"),
        t(lang, "cal.why.pandemic"),
        "",
        f"## {t(lang, 'cal.dose')}",
        "",
        t(
            lang,
            "cal.dose.text",
            each=t(lang, "cal.dose.each_one") if one else t(lang, "cal.dose.each", n=cal.replications),
            what=t(lang, "cal.dose.what_one" if one else "cal.what"),
        ),
        "",
        t(lang, "cal.dose.columns"),
        "|---|---|---|---|",
    ]
    for strength, runs in cal.dose:
        bd = interval(r["ready_bed_days"] for r in runs)
        sh = interval(100 * r["ready_bed_share"] for r in runs)
        gp = interval(r["gaps_per_100_discharges"] for r in runs)
        cells = (
            _number(strength, 1, lang),
            _estimate(bd, 0, lang),
            _estimate(sh, 2, lang),
            _estimate(gp, 1, lang),
        )
        lines.append(f"| {' | '.join(cells)} |")
    base_gaps = interval(r["gaps_per_100_discharges"] for r in cal.results["nordost-2019"])
    pand_gaps = interval(r["gaps_per_100_discharges"] for r in cal.results["pandemic-spring-2020"])
    lines += [
        "",
        f"## {t(lang, 'cal.gaps')}",
        "",
        t(
            lang,
            "cal.gaps.text",
            base=_estimate(base_gaps, 1, lang),
            pandemic=_estimate(pand_gaps, 1, lang),
            tail=t(lang, "cal.gaps.tail_one" if one else "cal.gaps.tail"),
        ),
        "",
    ]
    if trace:
        lines += [
            f"## {t(lang, 'cal.trace')}",
            "",
            t(lang, "cal.trace.columns", param=FITTED_KEY),
            "|---|---|",
        ]
        lines += [f"| {_number(f, 3, lang)} | {_number(100 * v, 2, lang)} |" for f, v in trace]
        lines.append("")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
