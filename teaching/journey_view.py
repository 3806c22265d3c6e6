"""One patient's eight LUS steps as an HTML timeline (the app and the notebooks show the same)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from simulation.chain import NEVER
from simulation.journey import JourneyStep, StepStatus, journey, ready_days
from teaching.texts import t

__all__ = ["journey_html", "strip_svg", "who_line"]

GAP_STYLE = "color:#d62728;font-weight:bold"
ROW_STYLE = "padding:2px 8px;margin:3px 0;list-style:none"

_STYLE = {
    StepStatus.DONE: ("#2ca02c", "✔"),
    StepStatus.WAITING: ("#9aa5b1", "…"),
    StepStatus.MISSED: ("#d62728", "✘"),
    StepStatus.NOT_NEEDED: ("#c7c7c7", "–"),
}


def strip_svg(ep: Any, steps: list[JourneyStep], today: int, lang: str) -> str:
    """The journey as a strip of days since admission.

    Grey: in hospital; purple: utskrivningsklar in a bed (the wait); a numbered dot for each step done
    (red when a gap was recorded at it).
    """
    if not steps:
        return ""
    start = ep.admitted
    ready = ep.ready if ep.ready != NEVER and ep.ready <= today else None
    out = ep.discharged if ep.discharged != NEVER and ep.discharged <= today else None
    days = [s.day for s in steps if s.day is not None]
    span = max([today - start, *(d - start for d in days), 7])
    width, left, right = 420, 14, 10

    def x(day: int) -> float:
        return left + (width - left - right) * (day - start) / span

    end = out if out is not None else today
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 58" width="100%" '
        'class="journey-strip">',
        f'<rect x="{x(start):.1f}" y="22" width="{max(x(end) - x(start), 2):.1f}" height="10" '
        'fill="#d9d9d9"/>',
    ]
    if ready is not None and (out if out is not None else today) > ready:
        parts.append(
            f'<rect x="{x(ready):.1f}" y="22" width="{max(x(end) - x(ready), 2):.1f}" height="10" '
            f'fill="#6a3d9a" class="wait"><title>{escape(t(lang, "journey.wait_tip"))}</title></rect>'
        )
    for s in steps:
        if s.day is not None:
            colour = "#d62728" if s.gaps else "#2ca02c"
            parts.append(
                f'<circle cx="{x(s.day):.1f}" cy="{14 if s.number % 2 else 42}" r="7" fill="{colour}"/>'
                f'<text x="{x(s.day):.1f}" y="{18 if s.number % 2 else 46}" font-size="10" fill="white" '
                f'text-anchor="middle" font-family="system-ui,sans-serif">{s.number}</text>'
            )
    parts.append(
        f'<text x="{x(start):.1f}" y="56" font-size="9" fill="#555" font-family="system-ui,sans-serif">'
        f"{escape(t(lang, 'journey.status.done', day=start))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def who_line(ep: Any, lang: str) -> str:
    """Who the patient followed is: id, kommun, vårdcentral, admission day and ward."""
    patient = ep.patient
    return t(
        lang,
        "journey.who",
        pid=ep.patient_id,
        kommun=patient.kommun.name,
        vc=patient.vardcentral.name,
        day=ep.admitted,
        ward=ep.ward.name,
    )


def journey_html(ep: Any, today: int, gap_events: Iterable[Any], lang: str) -> str:
    """The timeline of episode ``ep`` as it stands at the end of ``today`` (None: still waiting for one)."""
    if ep is None:
        return f'<div class="journey"><p><em>{escape(t(lang, "journey.none"))}</em></p></div>'
    rows = []
    steps = journey(ep, today, gap_events)
    for step in steps:
        colour, mark = _STYLE[step.status]
        if step.status is StepStatus.DONE:
            when = t(lang, "journey.status.done", day=step.day) + f" (+{step.day - ep.admitted})"
        else:
            when = t(lang, f"journey.status.{step.status.value}")
        gaps = "".join(
            f'<span class="gap" style="{GAP_STYLE}"> ⚠ {escape(t(lang, f"gap.{g.value}"))}</span>'
            for g in step.gaps
        )
        by = escape(t(lang, "journey.by", actor=step.actor))
        rows.append(
            f'<li class="step {step.status.value}" data-step="{step.number}" '
            f'style="border-left:4px solid {colour};{ROW_STYLE}">'
            f'<span style="color:{colour};font-weight:bold">{mark} {step.number}.</span> '
            f"{escape(t(lang, f'journey.step.{step.number}'))} "
            f'<span style="color:#555">{by}: {escape(when)}</span>{gaps}</li>'
        )
    who = who_line(ep, lang)
    waited = ready_days(ep, today)
    wait = f"<p><strong>{escape(t(lang, 'journey.waited', n=waited))}</strong></p>" if waited else ""
    return (
        f'<div class="journey" data-episode="{ep.episode_id}"><p>{escape(who)}</p>{wait}'
        f"{strip_svg(ep, steps, today, lang)}"
        f'<ol style="padding-left:0;margin:0">{"".join(rows)}</ol></div>'
    )
