"""One patient's eight LUS steps as an HTML timeline (the app and the notebooks show the same)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from simulation.journey import StepStatus, journey, ready_days
from teaching.texts import t

__all__ = ["journey_html"]

GAP_STYLE = "color:#d62728;font-weight:bold"
ROW_STYLE = "padding:2px 8px;margin:3px 0;list-style:none"

_STYLE = {
    StepStatus.DONE: ("#2ca02c", "✔"),
    StepStatus.WAITING: ("#9aa5b1", "…"),
    StepStatus.MISSED: ("#d62728", "✘"),
    StepStatus.NOT_NEEDED: ("#c7c7c7", "–"),
}


def journey_html(ep: Any, today: int, gap_events: Iterable[Any], lang: str) -> str:
    """The timeline of episode ``ep`` as it stands at the end of ``today`` (None: still waiting for one)."""
    if ep is None:
        return f'<div class="journey"><p><em>{escape(t(lang, "journey.none"))}</em></p></div>'
    patient = ep.patient
    rows = []
    for step in journey(ep, today, gap_events):
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
    who = t(
        lang,
        "journey.who",
        pid=ep.patient_id,
        kommun=patient.kommun.name,
        vc=patient.vardcentral.name,
        day=ep.admitted,
        ward=ep.ward.name,
    )
    waited = ready_days(ep, today)
    wait = f"<p><strong>{escape(t(lang, 'journey.waited', n=waited))}</strong></p>" if waited else ""
    return (
        f'<div class="journey" data-episode="{ep.episode_id}"><p>{escape(who)}</p>{wait}'
        f'<ol style="padding-left:0;margin:0">{"".join(rows)}</ol></div>'
    )
