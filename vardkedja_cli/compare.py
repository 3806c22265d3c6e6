"""Side-by-side comparison of scenarios, with a report a policy analyst can read.

Every scenario runs the same replications with the same seeds (common random numbers: the model draws
each patient's random numbers from per-purpose streams at admission, so a changed lever moves results
through thresholds, not by reshuffling). Differences to the first scenario are therefore paired per
replication, and their interval is narrower than the intervals of the two means.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from runner.experiment import interval, run_experiment, scenario_digest
from simulation import Scenario

__all__ = ["HEADLINE", "compare", "comparison_table", "scenario_differences"]

HEADLINE: list[tuple[str, str, float, int]] = [
    # key, label, scale, decimals
    ("ready_bed_days", "Utskrivningsklara bed-days", 1.0, 0),
    ("ready_bed_share", "Share of occupied beds held by utskrivningsklara (%)", 100.0, 2),
    ("mean_ready_days", "Mean days utskrivningsklar, all LUS episodes", 1.0, 2),
    ("mean_ready_days_indicator", "Mean days utskrivningsklar, official indicator", 1.0, 2),
    ("same_day_discharge_share", "Discharged the day they became ready (%)", 100.0, 1),
    ("weekend_discharge_share", "Discharges on weekends and holidays (%)", 100.0, 1),
    ("gaps_per_100_discharges", "Gap events per 100 discharges", 1.0, 2),
    ("sip_rate", "SIP held among those who need one (%)", 100.0, 1),
    ("readmission_30d_rate", "Readmitted within 30 days (%)", 100.0, 1),
    ("payment_sek", "Kommun payment liability (MSEK)", 1e-6, 2),
    ("admissions", "Admissions", 1.0, 0),
    ("turned_away", "Admissions turned away (no bed)", 1.0, 0),
]


def _fmt(v: dict[str, Any], scale: float, dec: int, nonneg: bool = False) -> str:
    if v["mean"] is None:
        return "n/a"
    m, lo, hi = (v[k] * scale for k in ("mean", "ci_low", "ci_high"))
    if nonneg:
        lo = max(lo, 0.0)  # a count or share cannot be negative, whatever the t-interval says
    return f"{m:,.{dec}f} [{lo:,.{dec}f}, {hi:,.{dec}f}]"


def comparison_table(summaries: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows: headline metrics. Columns: each scenario's mean [95 % CI], and each later scenario's
    paired difference to the first."""
    base_runs = summaries[0]["runs"]
    rows = []
    for key, label, scale, dec in HEADLINE:
        row: dict[str, Any] = {"metric": label, "key": key}
        for s in summaries:
            row[s["scenario"]] = _fmt(interval(r[key] for r in s["runs"]), scale, dec, nonneg=True)
        for s in summaries[1:]:
            diffs = [
                (r[key] - b[key]) if r[key] is not None and b[key] is not None else None
                for r, b in zip(s["runs"], base_runs, strict=True)
            ]
            row[f"{s['scenario']} − {summaries[0]['scenario']}"] = _fmt(interval(diffs), scale, dec)
        rows.append(row)
    return pd.DataFrame(rows)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict) and "dist" not in data:  # a distribution is one value
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: data}


def scenario_differences(base: Scenario, other: Scenario) -> list[tuple[str, Any, Any]]:
    """Parameter paths whose values differ between two resolved scenarios (name/description aside).

    The same change to several organisations of one kind reads as one line (``kind.*.key``).
    """
    a, b = _flatten(base.fingerprint()), _flatten(other.fingerprint())
    skip = {"name", "description"}
    changed = [
        (k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if k not in skip and a.get(k) != b.get(k)
    ]
    out: list[tuple[str, Any, Any]] = []
    groups: dict[tuple[str, str, str, str], tuple[Any, Any, list[str]]] = {}
    for path, old, new in changed:
        parts = path.split(".")
        if parts[0] in ("kommun", "vardcentral", "ward", "hospital") and len(parts) == 3:
            entry = groups.setdefault((parts[0], parts[2], repr(old), repr(new)), (old, new, []))
            entry[2].append(parts[1])
        else:
            out.append((path, old, new))
    for (kind, key, _, _), (old, new, names) in groups.items():
        total = len(getattr(other, kind))
        if len(names) == total and total > 1:
            label = f"{kind}.*.{key} (all {total})"
        elif len(names) == 1:
            label = f"{kind}.{names[0]}.{key}"
        else:
            label = f"{kind}.{{{', '.join(names)}}}.{key}"
        out.append((label, old, new))
    return sorted(out, key=lambda t: t[0])


def compare(
    scenarios: list[Scenario],
    out: Path,
    replications: int,
    seed: int,
    jobs: int = 1,
    plots: bool = True,
) -> Path:
    """Run (or reuse) every scenario's replications and write the comparison into ``out``."""
    folders = []
    for sc in scenarios:
        folder = Path("results") / sc.name / f"s{seed}-{scenario_digest(sc)}"
        result = run_experiment(sc, folder, replications, seed, jobs)
        folders.append(result.folder)
        print(f"{sc.name}: {result.ran} replications run, {result.reused} reused ({folder})")
    summaries = [json.loads((f / "summary.json").read_text()) for f in folders]
    for s in summaries:
        if "runs" not in s:  # a one-replication folder
            s["runs"] = [s]
    out.mkdir(parents=True, exist_ok=True)
    table = comparison_table(summaries)
    table.to_csv(out / "comparison.csv", index=False)
    md_table = _markdown_table(table.drop(columns=["key"]))
    (out / "comparison.md").write_text(md_table + "\n")
    print(md_table)
    figures: list[tuple[str, str]] = []
    if plots:
        from vardkedja_cli import figures as fg

        fig_dir = out / "figures"
        fg.ready_over_time(folders, fig_dir)
        fg.ready_days_distribution(folders, fig_dir)
        fg.discharges_by_weekday(folders, fig_dir)
        fg.gaps_by_kind(folders, fig_dir)
        for sc, folder in zip(scenarios, folders, strict=True):
            fg.gap_network(folder, fig_dir, name=f"gap_network_{_slug(sc.name)}")
        figures = [
            ("ready_over_time", fg.FIGURES["ready_over_time"]),
            ("ready_days", fg.FIGURES["ready_days"]),
            ("weekday_discharges", fg.FIGURES["weekday_discharges"]),
            ("gaps_by_kind", fg.FIGURES["gaps_by_kind"]),
        ] + [(f"gap_network_{_slug(sc.name)}", f"{fg.FIGURES['gap_network']}: {sc.name}") for sc in scenarios]
    _write_report(out, scenarios, summaries, table, figures, replications, seed)
    print(f"comparison: {out}")
    return out


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _markdown_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(str(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def _write_report(
    out: Path,
    scenarios: list[Scenario],
    summaries: list[dict[str, Any]],
    table: pd.DataFrame,
    figures: list[tuple[str, str]],
    replications: int,
    seed: int,
) -> None:
    base = scenarios[0]
    md: list[str] = [f"# Comparison: {' vs '.join(s.name for s in scenarios)}", ""]
    md.append(
        f"Each scenario was simulated {replications} times ({base.days} days from "
        f"{base.start_date}, the first {base.warmup_days} days excluded as warm-up), with the same "
        f"seeds for every scenario (base seed {seed}), so the differences below are paired. "
        "Figures are means with 95 % intervals over replications: the interval says how much the "
        "result moves between equally likely years, not how wrong the model's assumptions may be."
    )
    md += ["", "## The scenarios", ""]
    for s in scenarios:
        md.append(f"- **{s.name}**: {s.description or '(no description)'}")
    for s in scenarios[1:]:
        diffs = scenario_differences(base, s)
        md += ["", f"What **{s.name}** changes compared with **{base.name}**:", ""]
        if not diffs:
            md.append("- nothing (same parameters)")
        for path, a, b in diffs[:40]:
            md.append(f"- `{path}`: {a!r} → {b!r}")
        if len(diffs) > 40:
            md.append(f"- … and {len(diffs) - 40} more")
    md += ["", "## Headline results", "", _markdown_table(table.drop(columns=["key"])), ""]
    md += [
        "Reading the table: *utskrivningsklara bed-days* are days patients spent in a hospital bed "
        "after being declared medically ready for discharge. *Gap events* are patients falling "
        "between the chairs: discharged without the kommun or vårdcentral knowing, without a named "
        "care contact, before support was in place, with no SIP called or held, or readmitted "
        "within 30 days after such a gap.",
        "",
    ]
    if figures:
        md += ["## Figures", ""]
        for name, caption in figures:
            md += [f"![{caption}](figures/{name}.png)", "", f"*{caption}*", ""]
    md += ["## Provenance", ""]
    for s, summ in zip(scenarios, summaries, strict=True):
        md.append(
            f"- {s.name}: scenario digest {scenario_digest(s)}, vardkedja {summ['version']}, "
            f"replication seeds {summ.get('replication_seeds', [summ['seed']])}"
        )
    text = "\n".join(md) + "\n"
    (out / "report.md").write_text(text)
    (out / "report.html").write_text(_html(text, out))


def _html(markdown: str, out: Path) -> str:
    """A self-contained HTML page (figures embedded) from the report's simple Markdown."""
    body: list[str] = []
    in_list = False
    table_rows: list[str] = []

    def flush_table() -> None:
        if not table_rows:
            return
        rows = [r.strip("|").split(" | ") for r in table_rows if not r.startswith("|---")]
        head, *rest = rows
        body.append(
            "<table><thead><tr>"
            + "".join(f"<th>{html.escape(c.strip())}</th>" for c in head)
            + "</tr></thead><tbody>"
        )
        for r in rest:
            body.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r) + "</tr>")
        body.append("</tbody></table>")
        table_rows.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table_rows.append(line)
            continue
        flush_table()
        if line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            src = src.rstrip(")")
            data = base64.b64encode((out / src).read_bytes()).decode()
            body.append(f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">')
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    flush_table()
    if in_list:
        body.append("</ul>")
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:4px 8px}"
        "img{max-width:100%}code{background:#f4f4f4}"
    )
    title = html.escape(markdown.splitlines()[0].lstrip("# "))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _inline(text: str) -> str:
    t = html.escape(text)
    t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
    t = re.sub(r"\*(.+?)\*", r"<em>\1</em>", t)
    t = re.sub(r"`(.+?)`", r"<code>\1</code>", t)
    return t
