"""One patient's eight LUS steps as a timeline figure (matplotlib), for the notebooks and printed handouts.

The same reading of the records as :func:`teaching.journey_view.journey_html` (it calls
:func:`simulation.journey.journey`), drawn against the calendar: one row per step, a dot on the day it
was done in the colour of the organisation that did it (the chain picture's colours), ringed in red
where a gap opened at it although it was done, a red cross where a step was missed, each gap named with
the organisation it concerns (as in the app's view), weekends and holidays shaded, and the days the
patient stayed in hospital as utskrivningsklar marked as the wait.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from simulation.chain import NEVER
from simulation.journey import StepStatus, journey, ready_days
from teaching.chain_picture import COLOURS
from teaching.journey_view import gap_texts, who_line
from teaching.palette import VERMILLION
from teaching.texts import count, t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["journey_figure"]

WAIT_COLOUR = VERMILLION
"""Gaps and the wait: Okabe–Ito's vermillion, which stays apart from the vårdcentral's bluish green."""
STAY_COLOUR = "#c6dbef"
OFF_COLOUR = "0.92"
AXIS_LABELS_IN = 2.7
"""Inches of the figure's width taken by the step names left of the axes and the margins."""
CHARS_PER_IN = 13.5
"""Characters of 8-point bold text per inch, for wrapping a gap's note to the room beside its dot."""
WINDOW_AFTER = 14
"""Days after discharge the time axis shows; steps done later are written at its right edge."""


def _note(parts: list[str], inches: float) -> str:
    """``parts`` joined by ⚠ (as the app's rows mark gaps), in lines that fit ``inches``.

    A line breaks between parts where it can, so that each gap starts with its ⚠; a part too long for
    a line alone is wrapped itself.
    """
    chars = max(24, int(inches * CHARS_PER_IN) - 2)
    lines: list[str] = []
    for i, part in enumerate(parts):
        piece = part if i == 0 else f"⚠ {part}"
        if lines and len(lines[-1]) + 1 + len(piece) <= chars:
            lines[-1] += f" {piece}"
        else:
            lines.extend(textwrap.wrap(piece, chars))
    return "\n".join(lines)


def _kind_of(ep: Any, actor: str) -> str:
    if actor == ep.ward.name:
        return "ward"
    if actor == ep.patient.kommun.name:
        return "kommun"
    return "vardcentral"


def journey_figure(
    ep: Any,
    today: int,
    gap_events: Iterable[Any],
    lang: str,
    calendar: Any,
    *,
    width: float = 9.0,
) -> Figure:
    """The timeline of episode ``ep`` as it stands at the end of ``today``, as a matplotlib Figure.

    ``calendar`` is the model's :class:`simulation.calendar.Calendar` (dates, weekends and holidays).
    The figure is not attached to pyplot: show it with ``IPython.display.display(fig)`` or save it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    words = {k: t(lang, f"journey.fig.{k}") for k in ("stay", "ready")}
    steps = journey(ep, today, gap_events)
    end_of_stay = ep.discharged if ep.discharged != NEVER and ep.discharged <= today else today
    first = ep.admitted - 1
    # The window is the stay and the SIP meeting; a later follow-up (weeks on) is written at its edge.
    near = [s.day for s in steps if s.day is not None and s.day <= end_of_stay + WINDOW_AFTER]
    last = min(max([end_of_stay, *near]) + 2, today + 1)
    fig = Figure(figsize=(width, 4.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    rows = len(steps)
    # weekends and holidays: the days the chain runs on weekend staffing
    for day in range(first, last + 1):
        if 0 <= day < len(calendar.dates) and calendar.is_off(day):
            ax.axvspan(day - 0.5, day + 0.5, color=OFF_COLOUR, lw=0, zorder=0)
    # the stay, and the part of it as utskrivningsklar
    stay_y = rows + 0.9
    ax.barh(stay_y, end_of_stay - ep.admitted, left=ep.admitted, height=0.55, color=STAY_COLOUR, zorder=1)
    ax.text(ep.admitted + 0.1, stay_y, words["stay"], va="center", ha="left", fontsize=9, zorder=3)
    waited = ready_days(ep, today)
    if ep.ready != NEVER and ep.ready <= today:
        ax.axvline(ep.ready, color=WAIT_COLOUR, lw=1, ls=":", zorder=1)
        if waited:
            bar = ax.barh(stay_y, waited, left=ep.ready, height=0.55, color=WAIT_COLOUR, alpha=0.85, zorder=2)
            bar[0].set_gid("wait")
            ax.axvspan(ep.ready, ep.ready + waited, color=WAIT_COLOUR, alpha=0.07, lw=0, zorder=0)
            ax.annotate(
                count(lang, "journey.fig.wait", waited),
                (ep.ready + waited / 2, stay_y + 0.3),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                color=WAIT_COLOUR,
                fontweight="bold",
            )
        else:
            ax.text(ep.ready, stay_y + 0.45, words["ready"], ha="center", va="bottom", fontsize=8)
    # the eight steps, step 1 at the top
    labels = []
    for i, step in enumerate(steps):
        y = rows - i - 1 + 0.5
        labels.append(f"{step.number}. {t(lang, f'journey.step.{step.number}')}")
        colour = COLOURS[_kind_of(ep, step.actor)]
        by = t(lang, "journey.by", actor=step.actor)
        if step.status is StepStatus.DONE and step.day > last:
            when = t(lang, "journey.status.done", day=step.day)
            date = calendar.date(step.day) if step.day < len(calendar.dates) else None
            when += f" ({date:%d/%m})" if date else ""
            ax.plot([last + 0.2], [y], ">", ms=9, color=colour, zorder=4)
            flawed = bool(step.gaps)  # done weeks on, with a gap: named as on the app's row
            ax.text(
                last - 0.3,
                y,
                _note([f"{by}: {when}", *gap_texts(step, lang)], width - AXIS_LABELS_IN - 0.3),
                va="center",
                ha="right",
                fontsize=8.5,
                color=WAIT_COLOUR if flawed else "#333",
                fontweight="bold" if flawed else "normal",
                gid="gap" if flawed else None,
            )
        elif step.status is StepStatus.DONE and step.gaps:
            # done, but a gap opened at it (the app's row: gap colour and ⚠): a red ring round the
            # organisation's dot, and the gaps named with whom they concern, on the roomier side of it
            (dot,) = ax.plot([step.day], [y], "o", ms=10, color=colour, mec=WAIT_COLOUR, mew=2.5, zorder=4)
            dot.set_gid("gap")
            right = step.day <= (first + last) / 2
            room = (last + 0.5 - step.day if right else step.day - first + 0.5) / (last - first + 1)
            ax.text(
                step.day + (0.4 if right else -0.4),
                y,
                _note([by, *gap_texts(step, lang)], room * (width - AXIS_LABELS_IN)),
                va="center",
                ha="left" if right else "right",
                fontsize=8,
                linespacing=1.0,
                color=WAIT_COLOUR,
                fontweight="bold",
                zorder=4,
                gid="gap",
            )
        elif step.status is StepStatus.DONE:
            ax.plot([step.day], [y], "o", ms=10, color=colour, mec="white", mew=1.5, zorder=4)
            ax.text(step.day + 0.35, y, by, va="center", fontsize=8.5, color="#333", zorder=4)
        else:
            x = last - 0.5
            note = f"{t(lang, f'journey.status.{step.status.value}')} ({by})"
            missed = step.status is StepStatus.MISSED
            if missed:
                ax.plot([x], [y], "X", ms=10, color=WAIT_COLOUR, zorder=4)
            ax.text(
                x - 0.4,
                y,
                _note([note, *gap_texts(step, lang)], width - AXIS_LABELS_IN - 0.3),
                va="center",
                ha="right",
                fontsize=8.5,
                color=WAIT_COLOUR if missed else "#777",
                fontweight="bold" if missed else "normal",
                zorder=4,
            )
    ax.set_yticks([rows - i - 0.5 for i in range(rows)] + [stay_y], [*labels, ""], fontsize=9)
    ax.set_ylim(-0.2, stay_y + 1.3)
    ax.set_xlim(first - 0.5, last + 0.5)
    names = t(lang, "weekdays").split(",")
    span = last - first
    step_days = 1 if span <= 16 else 2 if span <= 32 else 7
    ticks = list(range(first, last + 1, step_days))
    ax.set_xticks(
        ticks,
        [
            f"{names[calendar.date(d).weekday()]}\n{calendar.date(d):%d/%m}"
            if 0 <= d < len(calendar.dates)
            else ""
            for d in ticks
        ],
        fontsize=8,
    )
    ax.grid(axis="x", color="0.8", lw=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    who = who_line(ep, lang)
    ax.set_title(f"{t(lang, 'journey.title')}\n{who}", fontsize=10, loc="left")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Line2D([], [], marker="o", ls="", color=COLOURS["ward"], label=t(lang, "net.col.ward")),
        Line2D([], [], marker="o", ls="", color=COLOURS["vardcentral"], label=t(lang, "net.col.vc")),
        Line2D([], [], marker="o", ls="", color=COLOURS["kommun"], label=t(lang, "net.col.kommun")),
        Patch(color=OFF_COLOUR, label=t(lang, "app.off_day")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8.5, frameon=False)
    return fig
