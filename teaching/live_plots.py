"""The app's three live plots (matplotlib, drawn server-side: the app works without internet).

Making a matplotlib figure costs far more than drawing one (axes, ticks and texts are built each
time), so :class:`LivePlots` makes its three figures once per language and, each day, only moves
the line, the bar heights and the limits. The figures are ``matplotlib.figure.Figure`` objects (no
pyplot state, nothing to close); the numbers come from the app's snapshot of the model.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulation.gaps import GapKind
from teaching.texts import t

__all__ = ["LivePlots"]

SIZE = (4.6, 2.7)
GAPS_SIZE = (4.6, 3.4)
DPI = 90
GAP_COLOUR = "#a50f15"
KINDS = [k.value for k in GapKind]


def _figure(title: str, left: float = 0.14, size: tuple[float, float] = SIZE) -> tuple[Figure, Any]:
    fig = Figure(figsize=size, dpi=DPI)
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.32 / size[1], bottom=0.46 / size[1])
    ax = fig.subplots()
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8, length=0)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    return fig, ax


class LivePlots:
    """Utskrivningsklara in beds over time, gap events by kind, discharges by weekday."""

    def __init__(self, lang: str) -> None:
        """Make the three figures, empty, with ``lang``'s words."""
        self.lang = lang
        self._lock = threading.Lock()  # the page may be drawn from two threads (play, and a click)
        self.ready, ax = _figure(t(lang, "plot.ready"))
        (self._line,) = ax.plot([], [], color="#6a3d9a", lw=1.4)
        self._start = ax.axvline(0, color="#888", lw=0.8, ls="--", visible=False)
        ax.set_xlabel(t(lang, "plot.day"), fontsize=9)
        ax.set_ylabel(t(lang, "plot.ready.y"), fontsize=9)
        self._ready_ax = ax

        # the kinds' names wrapped on two lines, in a taller figure: on one line the longest
        # ("discharged without inskrivningsmeddelande") ran off the figure's left edge
        self.gaps, ax = _figure(t(lang, "plot.gaps"), left=0.40, size=GAPS_SIZE)
        self._gap_bars = ax.barh(range(len(KINDS)), [0] * len(KINDS), color=GAP_COLOUR)
        names = [textwrap.fill(t(lang, f"gap.{k}"), 24, break_long_words=False) for k in KINDS]
        ax.set_yticks(range(len(KINDS)), names, fontsize=7, linespacing=1.0)
        ax.invert_yaxis()
        ax.set_xlabel(t(lang, "plot.gaps.x"), fontsize=9)
        self._gap_labels = [ax.text(0, i, "", va="center", fontsize=7) for i in range(len(KINDS))]
        self._gaps_ax = ax

        self.weekdays, ax = _figure(t(lang, "plot.weekday"))
        colours = ["#1f77b4"] * 5 + ["#9ecae1"] * 2
        self._day_bars = ax.bar(range(7), [0] * 7, color=colours)
        ax.set_xticks(range(7), t(lang, "weekdays").split(","))
        ax.set_ylabel(t(lang, "plot.weekday.y"), fontsize=9)
        self._days_ax = ax
        self._scope: Hashable = None
        self._tops = [0.0, 0.0, 0.0]

    def _top(self, plot: int, needed: float) -> float:
        """The upper limit of ``plot``'s value axis: what today needs, never less than it was before.

        A lever moved rebuilds the model with other numbers: an axis that followed them (0–45, then
        0–24) made the bars after the change look as tall as before, so the change looked smaller.
        """
        self._tops[plot] = max(self._tops[plot], needed)
        return self._tops[plot]

    def update(
        self,
        series: Sequence[int],
        by_kind: Mapping[str, int],
        weekdays: Sequence[int],
        count_from: int,
        scope: Hashable = None,
    ) -> None:
        """Show today's numbers. Within one ``scope`` (a lesson) the value axes only ever grow."""
        if scope != self._scope:  # another lesson or scenario: its own axes
            self._scope, self._tops = scope, [0.0, 0.0, 0.0]
        self._line.set_data(range(len(series)), series)
        self._start.set_xdata([count_from, count_from])
        self._start.set_visible(count_from > 0)
        self._ready_ax.set_xlim(0, max(len(series), 7))
        self._ready_ax.set_ylim(0, self._top(0, max(max(series, default=0) * 1.1, 5)))

        counts = [by_kind.get(k, 0) for k in KINDS]
        for bar, label, c in zip(self._gap_bars, self._gap_labels, counts, strict=True):
            bar.set_width(c)
            label.set_x(c)
            label.set_text(f" {c}")
        self._gaps_ax.set_xlim(0, self._top(1, max(max(counts) * 1.25, 5)))

        for bar, c in zip(self._day_bars, weekdays, strict=True):
            bar.set_height(c)
        self._days_ax.set_ylim(0, self._top(2, max(max(weekdays) * 1.15, 5)))

    def svgs(
        self,
        series: Sequence[int],
        by_kind: Mapping[str, int],
        weekdays: Sequence[int],
        count_from: int,
        scope: Hashable = None,
    ) -> list[str]:
        """The three plots with today's numbers, as SVG text (text kept as text: a third of the time)."""
        with self._lock, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "vardkedja"}):
            self.update(series, by_kind, weekdays, count_from, scope)
            out = []
            for fig in self.figures:
                buf = io.StringIO()
                fig.savefig(buf, format="svg")
                text = buf.getvalue()
                out.append(text[text.index("<svg") :])  # without the XML prologue, to sit inside the page
            return out

    @property
    def figures(self) -> tuple[Figure, Figure, Figure]:
        """The three figures, in the order they are shown."""
        return (self.ready, self.gaps, self.weekdays)
