"""The comparison report, written once as Markdown and rendered to HTML and Word from it.

``report.md`` is the source. ``report.html`` is rendered by markdown-it-py (raw HTML off, figures
embedded as data URIs, so the page is self-contained); ``report.docx`` is built with python-docx from the
same markdown-it token stream, so the three say the same thing. Everything that comes from the user
(scenario names, descriptions, organisation names) is escaped for Markdown before it is written, so a
name such as ``x](javascript:…)`` stays text.
"""

from __future__ import annotations

import base64
import html
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from runner.experiment import scenario_digest
from simulation import Scenario
from vardkedja_cli.answer import answers
from vardkedja_cli.breakdown import GAP_KINDS
from vardkedja_cli.compare import display_table, interval_cell, parameter_label, scenario_differences
from vardkedja_cli.i18n import t

__all__ = ["markdown_to_docx", "markdown_to_html", "md", "write_reports"]

MAX_DIFFERENCES = 40

_SPECIAL = re.compile(r"([\\`*_\[\]<|&#])")


def md(text: Any) -> str:
    """User-provided ``text`` (a name, a description, a value) as literal Markdown inline text.

    One line; every character that can open inline markup is escaped with a backslash: square
    brackets (so no link or image can form), asterisk, underscore, backtick, backslash, ``<``, ``&``,
    ``#`` and ``|`` (table cells).
    """
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def _lead(line: str) -> str:
    """Escape what would make the start of a block a list, quote, heading or rule."""
    line = re.sub(r"^(\s*)([-+*>=])", r"\1\\\2", line)
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", line)


def _code(text: str) -> str:
    """``text`` as a code span (literal; fenced with more backticks than it holds)."""
    text = " ".join(str(text).splitlines())
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; cells are Markdown already (user text escaped by the caller)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _capital(text: str) -> str:
    """``text`` with its first letter upper case (the rest as it is: "SIP", "vårdkontakt")."""
    return text[:1].upper() + text[1:]


_BY_FIGURES: dict[str, list[tuple[str, str, float, int]]] = {
    # column, its header's key, scale, decimals: the figures of the table per kommun or hospital
    "kommun": [
        ("ready_bed_days", "col.ready_bed_days", 1.0, 0),
        ("ready_bed_days_per_1000_65plus", "col.ready_bed_days_per_1000_65plus", 1.0, 1),
        ("mean_ready_days_indicator", "col.indicator", 1.0, 2),
        ("gaps_total", "col.gaps", 1.0, 1),
        ("payment_sek", "col.payment_ksek", 1e-3, 0),
    ],
    "hospital": [
        ("ready_bed_days", "col.ready_bed_days", 1.0, 0),
        ("mean_ready_days_indicator", "col.indicator", 1.0, 2),
        ("gaps_total", "col.gaps", 1.0, 1),
        ("payment_sek", "col.payment_ksek", 1e-3, 0),
    ],
}


def _breakdown_tables(
    df: pd.DataFrame, kind: str, names: list[str], lang: str
) -> list[tuple[list[str], list[list[str]]]]:
    """The tables per kommun or hospital (``kind``) from ``comparison_by_<kind>.csv`` (``df``): its
    figures, then its gap events by kind. For each organisation a row per scenario (mean [interval]) and
    then a row per later scenario, "variant − base": the paired difference to the first scenario with
    its interval (as the results table's cells). ``names`` are the scenarios' names as Markdown."""
    scenarios = list(dict.fromkeys(df["scenario"]))
    shown = dict(zip(scenarios, names, strict=True))
    indexed = df.set_index(["scenario", kind, "metric"])
    organisations = list(dict.fromkeys(df[kind]))
    gaps = [(f"gaps_{k}", f"gap.{k}", 1.0, 1) for k in GAP_KINDS]
    tables = []
    for figures in (_BY_FIGURES[kind], gaps):
        # a header, as the others: capitalised ("Ingen kallelse till SIP")
        header = [t(lang, f"col.{kind}"), t(lang, "col.scenario")]
        header += [_capital(t(lang, key)) for _, key, _, _ in figures]
        rows = []
        for organisation in organisations:
            for s in scenarios:
                if (s, organisation, figures[0][0]) not in indexed.index:
                    continue  # a scenario without this organisation
                row = [md(organisation), shown[s]]
                for metric, _, scale, dec in figures:
                    r = indexed.loc[(s, organisation, metric)]
                    low = r["ci_low"] if math.isnan(r["ci_low"]) else max(r["ci_low"], 0.0)  # no count < 0
                    row.append(interval_cell(r["mean"], low, r["ci_high"], scale, dec, lang))
                rows.append(row)
            for s in scenarios[1:]:
                if (s, organisation, figures[0][0]) not in indexed.index:
                    continue
                row = [md(organisation), t(lang, "report.col.diff", variant=shown[s], base=names[0])]
                for metric, _, scale, dec in figures:
                    r = indexed.loc[(s, organisation, metric)]
                    row.append(
                        interval_cell(r["diff"], r["diff_low"], r["diff_high"], scale, dec, lang, sign=True)
                    )
                rows.append(row)
        tables.append((header, rows))
    return tables


def report_markdown(
    scenarios: list[Scenario],
    summaries: list[dict[str, Any]],
    tidy: pd.DataFrame,
    by: dict[str, pd.DataFrame],
    data: dict[str, Any],
    figures: list[tuple[str, str]],
    lang: str = "en",
) -> str:
    """The report as Markdown: the answer first, then scenarios, results, breakdowns, figures.

    ``tidy`` is ``comparison.csv``; ``by`` holds ``comparison_by_kommun.csv`` and
    ``comparison_by_hospital.csv`` (:func:`vardkedja_cli.compare.tidy_breakdown`). Catalogue texts are trusted
    Markdown; everything from the user is escaped (:func:`md`) or put in a code span before it goes in.
    """
    base = scenarios[0]
    names = [md(s.name) for s in scenarios]
    n = data["replications"]
    versus = f" {t(lang, 'report.versus')} "
    lines = [f"# {t(lang, 'report.title', names=versus.join(names))}", ""]
    lines += [f"## {t(lang, 'report.answer')}", ""]
    lines += [f"- {_lead(a['sentence'])}" for a in answers(summaries, lang, names=names)]
    one = "" if n >= 2 else "_one"  # one replication: no mean over replications, no interval
    lines += ["", _lead(t(lang, f"answer.method{one}", base=names[0])), ""]
    setup_key = "report.setup" if n >= 2 else "report.setup_one"
    setup = t(
        lang,
        setup_key,
        n=n,
        days=base.days,
        start=base.start_date.isoformat(),
        warmup=base.warmup_days,
        seed=data["seed"],
    )
    lines += [setup, ""]
    lines += [f"## {t(lang, 'report.scenarios')}", ""]
    for s, name in zip(scenarios, names, strict=True):
        lines.append(
            f"- **{name}**: {md(s.description) if s.description else t(lang, 'report.no_description')}"
        )
    if data.get("settings"):
        lines += ["", _lead(t(lang, "report.settings")), ""]
        lines += [f"- {_code(setting)}" for setting in data["settings"]]
    for s, name in zip(scenarios[1:], names[1:], strict=True):
        diffs = scenario_differences(base, s, lang)
        lines += ["", _lead(t(lang, "report.changes", variant=f"**{name}**", base=f"**{names[0]}**")), ""]
        if not diffs:
            lines.append(f"- {t(lang, 'report.nothing')}")
        for path, a, b in diffs[:MAX_DIFFERENCES]:
            label = parameter_label(path, lang)  # the key stays beside it: what --set and files say
            named = f"{md(label)} ({_code(path)})" if label else _code(path)
            lines.append(f"- {named}: {md(a)} → {md(b)}")
        if len(diffs) > MAX_DIFFERENCES:
            lines.append(f"- {t(lang, 'report.more', n=len(diffs) - MAX_DIFFERENCES)}")
    ci = t(lang, "ci.short", n=n) if n >= 2 else t(lang, "ci.one_rep")
    lines += ["", f"## {t(lang, 'report.results')}", ""]
    lines += [t(lang, "report.results_note", ci=ci, base=names[0]), ""]
    header, rows = display_table(tidy, names, lang)
    lines += _table(header, rows)
    lines += ["", t(lang, "report.reading"), ""]
    readings = [sc.rules.payment_days for sc in scenarios]
    if len(set(readings)) == 1:  # which days betalningsansvar counts: the answer can turn on it
        lines += [t(lang, f"report.payment_{readings[0]}"), ""]
    else:
        each = ", ".join(f"{md(sc.name)}: `{r}`" for sc, r in zip(scenarios, readings, strict=True))
        lines += [t(lang, "report.payment_mixed", each=each), ""]
    for kind in ("kommun", "hospital"):
        cells = t(lang, "report.by_cells", ci=ci) if n >= 2 else t(lang, "report.by_cells_one")
        note = " ".join((cells, t(lang, "report.by_diff", base=names[0]), t(lang, f"report.by_note_{kind}")))
        lines += [f"## {t(lang, f'report.by_{kind}')}", "", note, ""]
        (header, rows), (gap_header, gap_rows) = _breakdown_tables(by[kind], kind, names, lang)
        lines += [*_table(header, rows), ""]
        if kind == "hospital":  # whole stays: the column's sum is not the headline total (OUTPUTS §1.1)
            lines += [t(lang, "report.hospital_payment_note"), ""]
        lines += [t(lang, "report.by_gaps"), "", *_table(gap_header, gap_rows), ""]
    if figures:
        lines += [f"## {t(lang, 'report.figures')}", ""]
        for name, caption in figures:
            lines += [f"![{md(caption)}](figures/{name}.png)", "", f"*{md(caption)}*", ""]
    lines += [f"## {t(lang, 'report.provenance')}", ""]
    for s, name, summ in zip(scenarios, names, summaries, strict=True):
        seeds = summ.get("replication_seeds", [summ["seed"]])
        prov = t(
            lang,
            "report.prov_line",
            name=name,
            digest=scenario_digest(s),
            version=md(summ["version"]),
            seeds=", ".join(str(x) for x in seeds),
        )
        lines.append(f"- {_lead(prov)}")
    return "\n".join(lines) + "\n"


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_html(text: str, folder: Path, lang: str = "en") -> str:
    """A self-contained HTML page from the report's Markdown; images under ``folder`` are embedded."""
    parser = _parser()
    tokens = parser.parse(text)
    for tok in tokens:
        for child in tok.children or []:
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                path = folder / src
                if re.fullmatch(r"figures/[\w.\-]+\.png", src) and path.is_file():
                    child.attrSet(
                        "src", "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
                    )
    body = parser.renderer.render(tokens, parser.options, {})
    title = next(
        (tok.content for i, tok in enumerate(tokens) if i and tokens[i - 1].type == "heading_open"), ""
    )
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4;padding:0 1em}"
        # a wide table (10 columns of intervals by kommun) scrolls within the page rather than past its edge
        "table{border-collapse:collapse;font-size:0.9em;margin:1em 0;display:block;overflow-x:auto}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}img{max-width:100%}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(_unescape(title))}</title><style>{style}</style></head>\n<body>\n{body}</body></html>\n"
    )


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


# Word's language tag per report language: Word spell-checks and hyphenates the text in it
_WORD_LANG = {"en": "en-US", "sv": "sv-SE"}


def markdown_to_docx(text: str, folder: Path, path: Path, lang: str = "en") -> None:
    """A Word document from the report's Markdown (headings, paragraphs, lists, tables, figures).

    The document is in ``lang`` (Word checks its spelling), on A4, and every figure is as wide as the
    text. A part (a heading and what follows it up to the next heading) holding a table of more than
    :data:`WIDE_TABLE` columns (the gap events by kind per kommun and hospital) is on landscape pages, its own
    section, with those tables in :data:`WIDE_TABLE_PT`-point type; every table's header row repeats on
    each page it runs over.
    """
    from docx import Document
    from docx.shared import Pt

    from vardkedja_cli.export import make_reproducible

    tokens = _parser().parse(text)
    doc = Document()
    props = doc.core_properties  # not python-docx's template ("python-docx", "generated by ...")
    props.author = props.last_modified_by = "vardkedja"
    props.comments = ""
    props.title = next((_plain(tokens[i + 1]) for i, k in enumerate(tokens) if k.type == "heading_open"), "")
    props.language = _WORD_LANG[lang]
    _set_language(doc, _WORD_LANG[lang])
    _set_a4(doc.sections[0])
    doc.styles["Normal"].font.size = Pt(10)
    in_list = 0
    landscape = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            wide = _holds_wide_table(tokens, i)
            if wide != landscape:  # a new section from this heading on, on pages turned to fit
                _turn(doc.add_section(), wide)
                landscape = wide
            level = int(tok.tag[1])
            doc.add_heading(_plain(tokens[i + 1]), level=0 if level == 1 else level - 1)
            i += 3
            continue
        if tok.type == "bullet_list_open":
            in_list += 1
        elif tok.type == "bullet_list_close":
            in_list -= 1
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            images = [c for c in inline.children or [] if c.type == "image"]
            if images and len(inline.children or []) == 1:
                src = folder / str(images[0].attrGet("src"))
                if src.is_file():
                    doc.add_picture(str(src), width=_text_width(doc.sections[-1]))
            else:
                p = doc.add_paragraph(style="List Bullet" if in_list else None)
                _runs(p, inline.children or [])
            i += 3
            continue
        elif tok.type == "table_open":
            i = _table_to_docx(doc, tokens, i)
            continue
        i += 1
    doc.save(str(path))
    make_reproducible(path)


def _set_language(doc: Any, tag: str) -> None:
    """Make ``tag`` (``sv-SE``) the language of the document's text and theme fonts, with spelling and
    grammar not yet checked: python-docx's template says en-US and marks both "clean", so Word would
    check nothing, or check Swedish as English."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)  # w:eastAsia and w:bidi stay: they name the scripts this text has not
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), tag)
    for proof in settings.findall(qn("w:proofState")):
        settings.remove(proof)


WIDE_TABLE = 7
"""A table of more columns than this goes on landscape pages (a portrait A4 page gives 13 columns
1.3 cm each: they did not fit)."""
WIDE_TABLE_PT = 8
"""The type size of a wide table (the text is 10 pt)."""


def _columns(tokens: list[Any], i: int) -> int:
    """The number of columns of the table opening at ``tokens[i]`` (its header row's cells)."""
    n = 0
    while tokens[i].type != "tr_close":
        n += tokens[i].type in ("th_open", "td_open")
        i += 1
    return n


def _holds_wide_table(tokens: list[Any], i: int) -> bool:
    """Whether the part from the heading at ``tokens[i]`` to the next heading has a wide table."""
    for j in range(i + 1, len(tokens)):
        if tokens[j].type == "heading_open":
            return False
        if tokens[j].type == "table_open" and _columns(tokens, j) > WIDE_TABLE:
            return True
    return False


def _turn(section: Any, landscape: bool) -> None:
    """``section`` (which starts on a new page, with its predecessor's margins) on A4 landscape or
    portrait."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _set_a4(section: Any) -> None:
    """A4 portrait (the paper in Sweden and most of Europe; the template is US Letter). The side
    margins are 20 mm, not 25, so the breakdown tables' many columns get 170 mm."""
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)


def _text_width(section: Any) -> int:
    """The width of ``section``'s text area in EMU: the page less its side margins and gutter."""
    return int(section.page_width - section.left_margin - section.right_margin - (section.gutter or 0))


def _plain(inline: Any) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def _runs(paragraph: Any, children: list[Any]) -> None:
    bold = italic = False
    for c in children:
        if c.type == "strong_open":
            bold = True
        elif c.type == "strong_close":
            bold = False
        elif c.type == "em_open":
            italic = True
        elif c.type == "em_close":
            italic = False
        elif c.type in ("text", "code_inline"):
            run = paragraph.add_run(c.content)
            run.bold, run.italic = bold or None, italic or None
        elif c.type in ("softbreak", "hardbreak"):
            paragraph.add_run(" ")


def _table_to_docx(doc: Any, tokens: list[Any], i: int) -> int:
    """Add the table starting at ``tokens[i]``; return the index after it."""
    rows: list[list[Any]] = []
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open"):
            rows[-1].append(tokens[i + 1])
        i += 1
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    columns = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    size = Pt(WIDE_TABLE_PT) if columns > WIDE_TABLE else None
    for r, (row_cells, row) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, inline in zip(row_cells.cells, row, strict=False):
            run = cell.paragraphs[0].add_run(_plain(inline))
            run.bold = r == 0 or None
            run.font.size = size
    header = OxmlElement("w:tblHeader")  # Word repeats the header row on every page the table spans
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    return i + 1


def write_reports(
    out: Path,
    scenarios: list[Scenario],
    summaries: list[dict[str, Any]],
    tidy: pd.DataFrame,
    by: dict[str, pd.DataFrame],
    data: dict[str, Any],
    figures: list[tuple[str, str]],
    lang: str = "en",
) -> None:
    """``report.md``, ``report.html`` and ``report.docx`` into ``out`` (figures already in ``out``)."""
    text = report_markdown(scenarios, summaries, tidy, by, data, figures, lang)
    (out / "report.md").write_text(text)
    (out / "report.html").write_text(markdown_to_html(text, out, lang))
    markdown_to_docx(text, out, out / "report.docx", lang)
    header, rows = display_table(tidy, [md(s.name) for s in scenarios], lang)
    (out / "comparison.md").write_text("\n".join(_table(header, rows)) + "\n")
