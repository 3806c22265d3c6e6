"""One patient's eight LUS steps as an HTML timeline (the app and the notebooks show the same)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from simulation.chain import NEVER
from simulation.journey import JourneyStep, StepStatus, journey, ready_days
from teaching.palette import BLUISH_GREEN, VERMILLION
from teaching.texts import count, t

__all__ = ["gap_texts", "journey_html", "strip_legend", "strip_svg", "who_line"]

GAP_COLOUR = VERMILLION
DONE_COLOUR = BLUISH_GREEN
"""Okabe–Ito's vermillion and bluish green (:mod:`teaching.palette`): tab10's red and green dots could
not be told apart with the commonest colour-vision deficiencies. A missed step's mark differs in shape."""
WAIT_COLOUR = "#6a3d9a"
GAP_STYLE = f"color:{GAP_COLOUR};font-weight:bold"
ROW_STYLE = "padding:2px 8px;margin:3px 0;list-style:none"

_STYLE = {
    StepStatus.DONE: (DONE_COLOUR, "✔"),
    StepStatus.WAITING: ("#9aa5b1", "…"),
    StepStatus.MISSED: (GAP_COLOUR, "✘"),
    StepStatus.NOT_NEEDED: ("#c7c7c7", "–"),
}


DOT_R = 7
DOT_GAP = 2 * DOT_R + 4
"""Closest two dots in one lane may be, centre to centre (closer, their numbers overlap)."""
LANE_STEP = 2 * DOT_R + 2
"""Vertical distance between a lane and the next one further from the bar: two dots on one day, one lane
apart, do not touch (at 15 they did, for a patient of lesson 5 with three steps on one day)."""


def _lanes(xs: list[tuple[float, int]]) -> dict[int, tuple[int, int]]:
    """A lane for each step's dot, ``number -> (side, level)``: side -1 above the bar, +1 below.

    Odd steps go above and even below, as far as they can: a dot that would touch one already in its
    lane tries the other side, then lanes further out, so dots done on nearby days do not overlap.
    """
    placed: dict[tuple[int, int], list[float]] = {}
    out: dict[int, tuple[int, int]] = {}
    for x, number in sorted(xs):
        first = -1 if number % 2 else 1
        level = 1
        while True:
            lane = next(
                (
                    (side, level)
                    for side in (first, -first)
                    if all(abs(x - other) >= DOT_GAP for other in placed.get((side, level), ()))
                ),
                None,
            )
            if lane is not None:
                break
            level += 1
        placed.setdefault(lane, []).append(x)
        out[number] = lane
    return out


def _missed_day(step: JourneyStep, end: int) -> int:
    """Where a missed step's mark goes: the day its gap was recorded, else the strip's end (its last day)."""
    return min((ev.day for ev in step.gap_events), default=end)


def strip_svg(ep: Any, steps: list[JourneyStep], today: int, lang: str) -> str:
    """The journey as a strip of days since admission.

    Grey: in hospital; purple: utskrivningsklar in a bed (the wait); a numbered dot for each step done
    (vermillion when a gap was recorded at it), above or below the bar, further out where dots would
    overlap; a missed step as a dashed ring with its number, on the day its gap was recorded (else at
    the strip's end), so a step nobody took is not simply absent.
    """
    if not steps:
        return ""
    start = ep.admitted
    ready = ep.ready if ep.ready != NEVER and ep.ready <= today else None
    out = ep.discharged if ep.discharged != NEVER and ep.discharged <= today else None
    end = out if out is not None else today
    missed = {s.number: _missed_day(s, end) for s in steps if s.status is StepStatus.MISSED}
    days = [s.day for s in steps if s.day is not None] + list(missed.values())
    span = max([today - start, *(d - start for d in days), 7])
    width, left, right = 420, 14, 10

    def x(day: int) -> float:
        return left + (width - left - right) * (day - start) / span

    marks = [(x(s.day), s.number) for s in steps if s.day is not None] + [
        (x(day), number) for number, day in missed.items()
    ]
    lanes = _lanes(marks)
    above = max([level for side, level in lanes.values() if side < 0] + [1])
    below = max([level for side, level in lanes.values() if side > 0] + [1])
    top = 22 + LANE_STEP * (above - 1)  # the bar's top edge
    height = 58 + LANE_STEP * (above - 1 + below - 1)

    def cy(lane: tuple[int, int]) -> int:
        side, level = lane
        return top - 8 - LANE_STEP * (level - 1) if side < 0 else top + 20 + LANE_STEP * (level - 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        'class="journey-strip">',
        f'<rect x="{x(start):.1f}" y="{top}" width="{max(x(end) - x(start), 2):.1f}" height="10" '
        'fill="#d9d9d9"/>',
    ]
    if ready is not None and end > ready:
        parts.append(
            f'<rect x="{x(ready):.1f}" y="{top}" width="{max(x(end) - x(ready), 2):.1f}" height="10" '
            f'fill="{WAIT_COLOUR}" class="wait"><title>{escape(t(lang, "journey.wait_tip"))}</title></rect>'
        )
    font = 'text-anchor="middle" font-family="system-ui,sans-serif"'
    for s in steps:
        if s.day is not None:
            colour = GAP_COLOUR if s.gaps else DONE_COLOUR
            y = cy(lanes[s.number])
            parts.append(
                f'<circle cx="{x(s.day):.1f}" cy="{y}" r="{DOT_R}" fill="{colour}" data-step="{s.number}"/>'
                f'<text x="{x(s.day):.1f}" y="{y + 4}" font-size="10" fill="white" {font}>{s.number}</text>'
            )
        elif s.number in missed:
            mx, y = x(missed[s.number]), cy(lanes[s.number])
            tip = t(lang, "journey.missed_tip", n=s.number, step=t(lang, f"journey.step.{s.number}"))
            if s.gap_events:
                tip += ": " + "; ".join(gap_texts(s, lang))
            parts.append(
                f'<g class="missed" data-missed="{s.number}"><title>{escape(tip)}</title>'
                f'<circle cx="{mx:.1f}" cy="{y}" r="{DOT_R - 1}" fill="white" stroke="{GAP_COLOUR}" '
                f'stroke-width="2" stroke-dasharray="3 2" data-step="{s.number}"/>'
                f'<text x="{mx:.1f}" y="{y + 4}" font-size="10" font-weight="bold" fill="{GAP_COLOUR}" '
                f"{font}>{s.number}</text></g>"
            )
    parts.append(
        f'<text x="{x(start):.1f}" y="{height - 2}" font-size="9" fill="#555" '
        'font-family="system-ui,sans-serif">'
        f"{escape(t(lang, 'journey.status.done', day=start))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _swatch(shape: str) -> str:
    return f'<svg width="16" height="16" viewBox="0 0 16 16" style="vertical-align:middle">{shape}</svg>'


def strip_legend(lang: str) -> str:
    """What the strip's marks mean: done, done with a gap, missed, and the wait (HTML, wraps as it must)."""
    items = [
        ("done", _swatch(f'<circle cx="8" cy="8" r="6" fill="{DONE_COLOUR}"/>')),
        ("gap", _swatch(f'<circle cx="8" cy="8" r="6" fill="{GAP_COLOUR}"/>')),
        (
            "missed",
            _swatch(
                f'<circle cx="8" cy="8" r="5.5" fill="white" stroke="{GAP_COLOUR}" stroke-width="2" '
                'stroke-dasharray="3 2"/>'
            ),
        ),
        ("wait", _swatch(f'<rect x="1" y="4" width="14" height="8" fill="{WAIT_COLOUR}"/>')),
    ]
    return (
        '<div class="strip-legend" style="font-size:13px;color:#333;display:flex;flex-wrap:wrap;'
        'gap:2px 12px;margin:2px 0 6px">'
        + "".join(
            f'<span class="legend-{key}">{shape} {escape(t(lang, f"journey.legend.{key}"))}</span>'
            for key, shape in items
        )
        + "</div>"
    )


def _concerns(ev: Any, actor: str) -> str:
    """The organisation a gap at ``actor``'s step concerns: the other side, else both sides."""
    others = [org for org in (ev.org_a, ev.org_b) if org != actor]
    return others[0] if len(others) == 1 else " – ".join((ev.org_a, ev.org_b))


def gap_texts(step: JourneyStep, lang: str) -> list[str]:
    """The gaps recorded at ``step``, each named with the organisation it concerns, once each.

    A step can fail towards two receivers (no information at discharge to the kommun and to the
    vårdcentral): two events of one kind, told apart by whom they concern.
    """
    texts = [f"{t(lang, f'gap.{ev.kind.value}')} ({_concerns(ev, step.actor)})" for ev in step.gap_events]
    return list(dict.fromkeys(texts))


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
        flawed = step.status is StepStatus.DONE and bool(step.gaps)
        if flawed:  # done, but a gap opened at it: not shown as cleanly done (the strip's dot is red)
            colour, mark = GAP_COLOUR, "⚠"
        if step.status is StepStatus.DONE:
            when = t(lang, "journey.status.done", day=step.day) + f" (+{step.day - ep.admitted})"
        else:
            when = t(lang, f"journey.status.{step.status.value}")
        gaps = "".join(
            f'<span class="gap" style="{GAP_STYLE}"> ⚠ {escape(text)}</span>'
            for text in gap_texts(step, lang)
        )
        by = escape(t(lang, "journey.by", actor=step.actor))
        rows.append(
            f'<li class="step {step.status.value}{" with-gap" if flawed else ""}" data-step="{step.number}" '
            f'style="border-left:4px solid {colour};{ROW_STYLE}">'
            f'<span style="color:{colour};font-weight:bold">{mark} {step.number}.</span> '
            f"{escape(t(lang, f'journey.step.{step.number}'))} "
            f'<span style="color:#555">{by}: {escape(when)}</span>{gaps}</li>'
        )
    who = who_line(ep, lang)
    waited = ready_days(ep, today)
    # once the patient has left, the wait is over: its final length, in the past tense
    key = "journey.waited_final" if ep.discharged != NEVER and ep.discharged <= today else "journey.waited"
    wait = f'<p class="waited"><strong>{escape(count(lang, key, waited))}</strong></p>' if waited else ""
    return (
        f'<div class="journey" data-episode="{ep.episode_id}"><p>{escape(who)}</p>{wait}'
        f"{strip_svg(ep, steps, today, lang)}{strip_legend(lang)}"
        f'<ol style="padding-left:0;margin:0">{"".join(rows)}</ol></div>'
    )
