"""The colours of the notebooks' figures and of the drawings they share with the app: Okabe–Ito.

Okabe and Ito's eight colours ("Color Universal Design", 2008) stay distinct for the common kinds of
colour-vision deficiency; matplotlib's default (tab10) puts red (C3) beside green (C2), which about one
man in twelve cannot tell apart. :data:`CYCLE` is the order a figure's series take (``C0``, ``C1``, …):
grey last, black left out, because the figures draw their error bars and reference lines in black.
"""

from __future__ import annotations

__all__ = [
    "BLUE",
    "CYCLE",
    "GREY",
    "ORANGE",
    "REDDISH_PURPLE",
    "SKY_BLUE",
    "VERMILLION",
    "YELLOW",
    "BLUISH_GREEN",
]

BLUE = "#0072B2"
ORANGE = "#E69F00"
BLUISH_GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY_BLUE = "#56B4E9"
REDDISH_PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#999999"

CYCLE = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, REDDISH_PURPLE, YELLOW, GREY)
"""Series colours in order: ``plt.rcParams["axes.prop_cycle"] = cycler(color=CYCLE)``."""
