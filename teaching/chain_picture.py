"""The care chain as a picture: organisations laid out as the chain, relationships and gaps on the edges.

Hospitals and their wards on the left, vårdcentraler (grouped by kommun) in the middle, kommuner on the
right; kluster, FoU units and regions, where a scenario has them, in a band along the top. Positions
depend only on the scenario's organisation tables, so the same scenario is drawn the same way every
time and every day. Edge width is the relationship's strength; an edge turns from grey to red with the
gaps that fell through it (its running count is in the edge's tooltip and, for the busiest edges and
today's, in a badge); an edge a patient fell through today flashes. Each node shows how many
utskrivningsklara patients are waiting on it.

The picture is SVG text, built directly (no plotting library): the browser app redraws it every
simulated day, so it must take milliseconds, and the notebooks show the same picture.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from teaching.palette import BLUE, BLUISH_GREEN, ORANGE
from teaching.texts import t
from vardkedja_cli.i18n import number

__all__ = ["Layout", "chain_svg", "edge_gap_counts", "layout", "waiting_by_node"]

WIDTH = 900
ROW = 22
CHAR = 8.0
"""Width of a label's character at 13 px, for placing the waiting bubble after it."""
TOP = 46
BAND = 58
COLUMN_X = {"ward": 165, "vardcentral": 450, "kommun": 740}
COLOURS = {"ward": BLUE, "vardcentral": BLUISH_GREEN, "kommun": ORANGE, "other": "#8c564b"}
"""Okabe–Ito's blue, bluish green and orange (:mod:`teaching.palette`): the journey figure rings a dot in
the gap colour, and tab10's green there could not be told from red with a colour-vision deficiency."""
GAP = "#a50f15"
DASH = ' stroke-dasharray="5 4"'
BADGES = 6
"""Edges that carry a count badge besides today's: the busiest ones."""
ARC_SIDE = {"ward": -1, "vardcentral": -1, "kommun": 1}
"""Which way an edge between two organisations of one column bulges: away from the other columns' edges,
to the wards' and kommuner's outer side (where only their labels are), and for vårdcentraler away from
their labels."""
ARC_BEND = 0.3
ARC_MIN = 20.0
"""The bend of such an arc: its control point lies ``ARC_MIN + ARC_BEND × (vertical distance)`` beside
the column, so its bulge grows with the distance and nested arcs (Danderyd–Täby inside
Danderyd–Vallentuna) do not coincide, and it clears the organisations between its ends."""


@dataclass(frozen=True)
class Layout:
    """Where every organisation and group heading goes."""

    nodes: dict[str, tuple[float, float, str]]
    """Organisation name → (x, y, kind)."""
    headings: list[tuple[float, float, str]]
    """Group headings (hospital, kommun of a vårdcentral group): x, y, text."""
    height: float
    band: tuple[str, ...] = ()
    """The kinds in the band along the top (``"region"``, ``"fou"``, ``"kluster"``), each explained in
    the legend: a row of "Kluster Danderyd … Kluster Österåker" told a student nothing."""
    lifted: frozenset[str] = frozenset()
    """Band organisations whose label sits a row higher, joined to its dot by a short line: every other
    one where the band is too crowded for its labels side by side (seven kluster ran into each other)."""


LEGEND_ROW = 18
"""Height of one line of the legend that explains a kind in the band."""
LIFT = 16
"""How much higher a lifted band label sits (see ``Layout.lifted``)."""
EM = 0.58
"""A generous mean advance of a system-ui letter, in em: the label boxes are sized from it (the server
cannot measure text; a box a little too wide hides only a little more of the edges behind it)."""


def layout(scenario: Any) -> Layout:
    """Positions from the scenario's organisation tables (in the file's order)."""
    nodes: dict[str, tuple[float, float, str]] = {}
    headings: list[tuple[float, float, str]] = []
    others = [
        (table, name) for table in ("region", "fou", "kluster") for name in getattr(scenario, table, {}) or {}
    ]
    top = TOP + (BAND if others else 0)
    for i, (_, name) in enumerate(others):
        x = WIDTH * (i + 0.5) / len(others)
        nodes[name] = (x, TOP + 6, "other")

    def column(kind: str, groups: dict[str, list[str]], label_groups: bool) -> float:
        y = top
        for group, names in groups.items():
            if label_groups:
                headings.append((COLUMN_X[kind], y, group))
                y += ROW
            for name in names:
                nodes[name] = (COLUMN_X[kind], y, kind)
                y += ROW
            y += ROW * 0.4
        return y

    wards: dict[str, list[str]] = {}
    for name, spec in scenario.ward.items():
        wards.setdefault(spec.hospital, []).append(name)
    vcs: dict[str, list[str]] = {k: [] for k in scenario.kommun}
    for name, spec in scenario.vardcentral.items():
        vcs[spec.kommun].append(name)
    bottom = max(
        column("ward", wards, True),
        column("vardcentral", {k: v for k, v in vcs.items() if v}, True),
    )
    kommuner = list(scenario.kommun)
    span = bottom - top - ROW
    for i, name in enumerate(kommuner):
        y = top + (span * (i + 0.5) / len(kommuner) if len(kommuner) > 1 else span / 2)
        nodes[name] = (COLUMN_X["kommun"], y, "kommun")
    band = tuple(dict.fromkeys(table for table, _ in others))
    room = WIDTH / len(others) if others else WIDTH
    crowded = any(_box_width(name, 13) + 8 > room for _, name in others)
    lifted = frozenset(name for i, (_, name) in enumerate(others) if crowded and i % 2)
    return Layout(nodes, headings, bottom + 80 + LEGEND_ROW * len(band), band, lifted)


def edge_gap_counts(events: Iterable[Any]) -> Counter[tuple[str, str]]:
    """Gap events per edge (the pair sorted, so that A–B and B–A are one edge)."""
    counts: Counter[tuple[str, str]] = Counter()
    for ev in events:
        counts[_key(ev.org_a, ev.org_b)] += 1
    return counts


def waiting_by_node(model: Any) -> dict[str, int]:
    """Utskrivningsklara patients waiting in hospital, per ward, per kommun and per vårdcentral."""
    waiting: dict[str, int] = {}
    for w in model.wards:
        waiting[w.name] = w.ready_count
        for ep in w.waiting:
            vc = ep.patient.vardcentral.name
            waiting[vc] = waiting.get(vc, 0) + 1
    for k in model.kommuner:
        waiting[k.name] = k.ready_count
    return waiting


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _gap_colour(count: int, most: int) -> str:
    """Grey for no gaps, then from orange to dark red as the count nears the busiest edge's."""
    if count <= 0:
        return "#9aa5b1"
    share = min(1.0, (count / max(most, 1)) ** 0.5)
    r = int(0xF4 + (0xA5 - 0xF4) * share)
    g = int(0xA2 + (0x0F - 0xA2) * share)
    b = int(0x61 + (0x15 - 0x61) * share)
    return f"#{r:02x}{g:02x}{b:02x}"


def chain_svg(
    model: Any,
    lang: str = "en",
    *,
    lay: Layout | None = None,
    edge_gaps: Mapping[tuple[str, str], int] | None = None,
    flashing: Iterable[tuple[str, str]] | None = None,
    highlight: Iterable[str] = (),
) -> str:
    """The chain of ``model`` today as SVG text.

    ``edge_gaps`` defaults to every gap in the model's log, ``flashing`` to the edges with a gap today;
    ``highlight`` rings organisations (e.g. those of the patient followed).
    """
    lay = lay or layout(model.params)
    if edge_gaps is None:
        edge_gaps = edge_gap_counts(model.gaps.events)
    if flashing is None:
        today = model.day
        flashing = [(e.org_a, e.org_b) for e in reversed(model.gaps.events) if e.day == today]
    flash = {_key(a, b) for a, b in flashing}
    ring = set(highlight)
    waiting = waiting_by_node(model)
    most = max(edge_gaps.values(), default=0)
    nodes = lay.nodes
    parts = [
        "",  # the <svg> element, once the arcs' reach is known
        "<style>.flash{animation:flash .9s ease-out 1}@keyframes flash{0%{stroke:#ff0a2a;"
        "stroke-width:9px;stroke-opacity:1}100%{}}"
        ".chain-picture text{font-family:system-ui,sans-serif}</style>",
    ]
    header_y = TOP - 24 + (BAND if _has_band(lay) else 0)
    for kind, text in (("ward", "net.col.ward"), ("vardcentral", "net.col.vc"), ("kommun", "net.col.kommun")):
        parts.append(_text(COLUMN_X[kind], header_y, t(lang, text), 15, "bold"))
    known = {_key(a, b): d["strength"] for a, b, d in model.network.edges() if a in nodes and b in nodes}
    # a gap between organisations with no relationship at all (a patient on an unfamiliar ward): dashed
    unknown = {
        k: None for k in list(edge_gaps) + list(flash) if k not in known and k[0] in nodes and k[1] in nodes
    }
    edges = sorted(
        ((a, b, s) for (a, b), s in {**known, **unknown}.items()),
        key=lambda e: (edge_gaps.get((e[0], e[1]), 0), e[0], e[1]),
    )
    badges = {k for k, _ in Counter(edge_gaps).most_common(BADGES)} | flash
    labels = []
    placed: list[tuple[float, float]] = []
    left, right = 0.0, float(WIDTH)
    for a, b, strength in edges:
        key = _key(a, b)
        count = edge_gaps.get(key, 0)
        (xa, ya, _), (xb, yb, _) = nodes[a], nodes[b]
        dashed = strength is None
        width = 1.6 if dashed else 0.4 + 4.0 * strength
        opacity = 0.35 if count == 0 else 0.8
        cls = ' class="flash"' if key in flash else ""
        colour = _gap_colour(count, most)
        control = _arc_control(nodes[a], nodes[b])
        if control is None:
            shape, geometry = "line", f'x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}"'
        else:
            cx, cy = control
            shape = "path"
            geometry = f'd="M {xa:.1f} {ya:.1f} Q {cx:.1f} {cy:.1f} {xb:.1f} {yb:.1f}" fill="none"'
            reach = (xa + cx) / 2  # the arc's outermost point, half way to its control point
            left, right = min(left, reach - width - 4), max(right, reach + width + 4)
        parts.append(
            f'<{shape} {geometry} stroke="{colour}" '
            f'stroke-width="{width:.2f}" stroke-opacity="{opacity}"{cls}{DASH if dashed else ""} '
            f'data-edge="{escape(a)}|{escape(b)}" '
            f'data-gaps="{count}"><title>{escape(_edge_tip(lang, a, b, strength, count))}'
            f"</title></{shape}>"
        )
        if count and key in badges:
            mx, my = _badge_point(xa, ya, xb, yb, placed, control)
            placed.append((mx, my))
            colour = "#ff0a2a" if key in flash else "#a50f15"
            labels.append(
                f'<g class="badge"><rect x="{mx - 14:.1f}" y="{my - 8:.1f}" width="28" height="16" rx="8" '
                f'fill="white" stroke="{colour}"/>{_text(mx, my + 4, str(count), 11, "bold", colour)}</g>'
            )
    parts.extend(labels)
    left, right = math.floor(left), math.ceil(right)
    parts[0] = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} 0 {right - left} {lay.height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(t(lang, "net.title"))}" class="chain-picture">'
    )
    for x, y, text in lay.headings:
        parts.append(_boxed(x, y + 4, text, 12, "bold", "#555"))
    for name, (x, y, kind) in nodes.items():
        colour = COLOURS[kind]
        n = waiting.get(name, 0)
        anchor, dx = ("end", -12) if kind == "ward" else ("start", 12)
        if kind == "other":
            anchor, dx = "middle", 0
        parts.append(f'<g class="node" data-node="{escape(name)}" data-waiting="{n}">')
        parts.append(f"<title>{escape(_node_tip(lang, name, n))}</title>")
        if name in ring:
            parts.append(
                f'<circle cx="{x}" cy="{y:.1f}" r="11" fill="none" stroke="#111" stroke-width="2.5"/>'
            )
        parts.append(
            f'<circle cx="{x}" cy="{y:.1f}" r="6.5" fill="{colour}" stroke="white" stroke-width="1.5"/>'
        )
        ty = y + 4 if kind != "other" else y - 12
        if name in lay.lifted:  # a row higher, and a line down to its dot
            ty -= LIFT
            parts.append(
                f'<line x1="{x}" y1="{ty + 4:.1f}" x2="{x}" y2="{y - 6:.1f}" stroke="#999" stroke-width="1"/>'
            )
        parts.append(_boxed(x + dx, ty, name, 13, "normal", "#222", anchor))
        if n:
            bx = x - 12 - CHAR * len(name) - 14 if kind == "ward" else x + 12 + CHAR * len(name) + 14
            if kind == "other":
                bx = x + 16
            r = min(6 + 1.5 * n, 14)
            parts.append(
                f'<circle cx="{bx:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#6a3d9a" fill-opacity="0.85"/>'
                + _text(bx, y + 4, str(n), 11, "bold", "white")
            )
        parts.append("</g>")
    parts.append(_legend(lang, lay.height - LEGEND_ROW * len(lay.band), lay.band))
    parts.append("</svg>")
    return "".join(parts)


def _edge_tip(lang: str, a: str, b: str, strength: float | None, count: int) -> str:
    gaps = t(lang, "net.gaps_one") if count == 1 else t(lang, "net.gaps", n=count)
    if strength is None:
        return t(lang, "net.edge_tip_none", a=a, b=b, gaps=gaps)
    return t(lang, "net.edge_tip", a=a, b=b, s=number(strength, 2, lang), gaps=gaps)


def _node_tip(lang: str, name: str, waiting: int) -> str:
    if waiting == 1:
        return t(lang, "net.node_tip_one", name=name)
    return t(lang, "net.node_tip", name=name, n=waiting)


def _has_band(lay: Layout) -> bool:
    return any(kind == "other" for _, _, kind in lay.nodes.values())


def _text(
    x: float,
    y: float,
    text: str,
    size: int,
    weight: str = "normal",
    fill: str = "#222",
    anchor: str = "middle",
    halo: bool = False,
) -> str:
    # a halo (a white outline under the letters) keeps a label legible where edges cross it
    outline = (
        ' stroke="white" stroke-width="3.5" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="{anchor}"{outline}>{escape(text)}</text>'
    )


def _box_width(text: str, size: int, weight: str = "normal") -> float:
    return len(text) * size * (EM + (0.08 if weight == "bold" else 0.0)) + 6


def _boxed(x: float, y: float, text: str, size: int, weight: str, fill: str, anchor: str = "middle") -> str:
    """A label on a white, nearly opaque box, drawn over the edges.

    The edges that pass a label run behind it, not through its letters: a halo alone left the
    vårdcentral labels crossed by a dozen lines each.
    """
    width = _box_width(text, size, weight)
    left = {"start": x - 3, "middle": x - width / 2, "end": x - width + 3}[anchor]
    top, height = y - 0.8 * size - 2, 1.08 * size + 4
    return (
        f'<rect class="label-box" x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
        'rx="3" fill="white" fill-opacity="0.88"/>' + _text(x, y, text, size, weight, fill, anchor, halo=True)
    )


VC_BAND = (COLUMN_X["vardcentral"] - 20, COLUMN_X["vardcentral"] + 160)
"""The vårdcentral column with its labels and waiting badges, where no edge badge goes."""


def _arc_control(a: tuple[float, float, str], b: tuple[float, float, str]) -> tuple[float, float] | None:
    """The control point of the arc that joins two organisations of one column, else None (a line).

    A straight edge between two of a column's organisations would run through those between them and
    over the column's other such edges (Danderyd–Täby and Danderyd–Vallentuna through Lidingö and
    Norrtälje): it bulges out to its column's side instead, the more the further apart its ends are.
    """
    (xa, ya, kind), (xb, yb, kind_b) = a, b
    if xa != xb or kind != kind_b or kind not in ARC_SIDE:
        return None
    return xa + ARC_SIDE[kind] * (ARC_MIN + ARC_BEND * abs(yb - ya)), (ya + yb) / 2


def _badge_point(
    xa: float,
    ya: float,
    xb: float,
    yb: float,
    placed: Sequence[tuple[float, float]] = (),
    control: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Where an edge's gap badge sits: its middle, unless that is in the vårdcentral column.

    A ward–kommun edge crosses that column, and a vårdcentral–kommun edge has its middle by the
    labels: their badges go to the middle of the edge's stretch beside the column. A badge that would
    cover one already ``placed`` slides along its edge (edges meeting at a kommun run close together);
    on an arc (``control``, its quadratic Bézier control point) it starts at the arc's outermost point.
    """
    lo, hi = VC_BAND
    mx = (xa + xb) / 2
    if control is not None:
        cx, cy = control
        spots = [
            (
                (1 - s) ** 2 * xa + 2 * s * (1 - s) * cx + s**2 * xb,
                (1 - s) ** 2 * ya + 2 * s * (1 - s) * cy + s**2 * yb,
            )
            for s in (0.5, 0.35, 0.65, 0.2, 0.8)
        ]
        free = [p for p in spots if all(abs(p[0] - px) >= 30 or abs(p[1] - py) >= 18 for px, py in placed)]
        return (free or spots)[0]
    if xa == xb:
        return mx, (ya + yb) / 2
    if lo <= mx <= hi:
        left = min(xa, xb) < lo
        start, end = (min(xa, xb), lo) if left else (hi, max(xa, xb))
    else:  # the whole stretch on this side of the column
        start, end = (min(xa, xb), min(max(xa, xb), lo)) if mx < lo else (max(min(xa, xb), hi), max(xa, xb))
    middle, half = (start + end) / 2, (end - start) / 2
    for shift in (0.0, -0.3, 0.3, -0.6, 0.6, -0.85, 0.85):
        x = middle + shift * half
        y = ya + (yb - ya) * (x - xa) / (xb - xa)
        if all(abs(x - px) >= 30 or abs(y - py) >= 18 for px, py in placed):
            return x, y
    x = middle
    return x, ya + (yb - ya) * (x - xa) / (xb - xa)


def _legend(lang: str, height: float, band: Sequence[str] = ()) -> str:
    y = height - 58
    explained = [
        f'<circle cx="30" cy="{y + 56 + LEGEND_ROW * i}" r="6.5" fill="{COLOURS["other"]}"/>'
        + _text(46, y + 60 + LEGEND_ROW * i, t(lang, f"net.legend.{kind}"), 12, anchor="start")
        for i, kind in enumerate(band)
    ]
    return "".join(explained) + "".join(
        [
            f'<line x1="30" y1="{y}" x2="70" y2="{y}" stroke="#9aa5b1" stroke-width="0.8"/>',
            f'<line x1="30" y1="{y + 14}" x2="70" y2="{y + 14}" stroke="#9aa5b1" stroke-width="4.4"/>',
            _text(78, y + 11, t(lang, "net.legend.width"), 12, anchor="start"),
            f'<line x1="420" y1="{y + 7}" x2="460" y2="{y + 7}" stroke="#a50f15" stroke-width="3"/>',
            _text(468, y + 11, t(lang, "net.legend.gaps"), 12, anchor="start"),
            f'<line x1="420" y1="{y + 34}" x2="460" y2="{y + 34}" stroke="{GAP}" stroke-width="1.6"{DASH}/>',
            _text(468, y + 38, t(lang, "net.legend.none"), 12, anchor="start"),
            f'<circle cx="30" cy="{y + 34}" r="9" fill="#6a3d9a" fill-opacity="0.85"/>',
            _text(30, y + 38, "3", 11, "bold", "white"),
            _text(46, y + 38, t(lang, "net.legend.waiting"), 12, anchor="start"),
        ]
    )
