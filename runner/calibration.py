"""Calibration of the baseline to published figures, and the calibration document.

One parameter is fitted (:data:`FITTED`): ``relationships.support_start_days_weak``, the mean days the
kommun needs after the ready notice to have support in place across a handover of quality 0 — which no
source gives — so that the baseline's share of occupied beds held by utskrivningsklara patients
matches Stockholm's 5.8 % (May 2019). It is found with scipy's ``brentq`` on the mean over replications
(common random numbers: the same seeds at every evaluation). Every other value comes from the scenario
file with its source or is marked an assumption. The pandemic scenario is then *evaluated*, not
fitted: it differs from the baseline only by the mechanisms the focus groups describe.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.experiment import interval, replication_seeds
from runner.pool import start_worker, stop_workers
from simulation import DischargeModel, Scenario, load_scenario, scenario_from_dict, summarise
from simulation.contract import package_version

__all__ = ["TARGETS", "Target", "evaluate", "fit_support_share", "write_calibration_doc"]

FITTED_KEY = "relationships.support_start_days_weak"
"""The one fitted parameter (key path as ``--set`` takes it), fitted to the 2019 share of beds."""
FIT_LINE = re.compile(r"^(support_start_days_weak\s*=\s*)([0-9.]+)(\s*#\s*FITTED.*)$", re.M)


@dataclass(frozen=True)
class Target:
    """A published figure the model should reproduce, with the range accepted as a match."""

    scenario: str
    key: str
    label: str
    value: str
    low: float
    high: float
    source: str


TARGETS = [
    Target(
        "nordost-2019",
        "ready_bed_share",
        "Share of occupied beds held by utskrivningsklara",
        "5.8 %",
        0.048,
        0.068,
        "SKR via seed 002: Stockholm, May 2019 — FITTED (in sample)",
    ),
    Target(
        "nordost-2019",
        "mean_ready_days_indicator",
        "Mean days utskrivningsklar (indicator)",
        "4.6 (accepted: 3–6, our range)",
        3.0,
        6.0,
        "SKR 2021: Sweden 2017 — out of sample",
    ),
    Target(
        "nordost-2019",
        "same_day_discharge_share",
        "Discharged the day they became utskrivningsklar",
        "13 %",
        0.08,
        0.20,
        "SKR 2021: Sweden 2017 — out of sample",
    ),
    Target(
        "nordost-2019",
        "sip_rate",
        "SIP held, among patients needing both kommun and vårdcentral",
        "about 67 %",
        0.55,
        0.80,
        "Vårdanalys 2021 (people with an individual plan; a near, not exact, match) — out of sample",
    ),
    Target(
        "nordost-2019",
        "readmission_30d_rate",
        "Readmitted within 30 days",
        "about 10 % (5–13 %)",
        0.05,
        0.13,
        "Socialstyrelsen, DOMAIN.md — out of sample (base risk 8 % is an input)",
    ),
    Target(
        "nordost-2019",
        "weekend_discharge_share",
        "Discharges on Sat+Sun (and holidays)",
        "21–22 % (US data)",
        0.15,
        0.28,
        "DOMAIN.md, large US data — in sample (ward_doctor was chosen by hand to meet it)",
    ),
    Target(
        "pandemic-spring-2020",
        "ready_bed_share",
        "Share of occupied beds held by utskrivningsklara",
        "0.8 %",
        0.0,
        0.02,
        "SKR via seed 002: Stockholm, April 2020 — out of sample (nothing fitted)",
    ),
    Target(
        "pandemic-spring-2020",
        "mean_ready_days_indicator",
        "Mean days utskrivningsklar (indicator)",
        "2.1",
        1.0,
        3.2,
        "SKR 2021: Sweden 2020 — out of sample",
    ),
    Target(
        "pandemic-spring-2020",
        "same_day_discharge_share",
        "Discharged the day they became utskrivningsklar",
        "67 %",
        0.50,
        0.85,
        "SKR 2021: Sweden 2020 — out of sample",
    ),
]

ASSUMED_BY_HAND = (
    (
        "weekend_staffing.ward_doctor",
        "chance of a ward round declaring a patient ready on an off day; chosen by hand in an earlier "
        "version to meet the weekend-discharge share, so that check is in sample",
    ),
    (
        "relationships.support_start_days_strong",
        "mean days after the ready notice until the kommun has support in place across a handover of "
        "quality 1; an assumption (same or next day), chosen with the calibration in view: the fitted "
        "value above meets the 5.8 % only together with it",
    ),
)
"""Values that were set with a target in view (counted as fitted, though not by the optimiser)."""

DOSE_STRENGTHS = (0.2, 0.4, 0.6, 0.8, 1.0)


def _one(args: tuple[dict[str, Any], int]) -> dict[str, Any]:
    data, seed = args
    return summarise(DischargeModel(scenario_from_dict(data), seed=seed).run())


PROGRESS: list[Callable[[int], Any]] = []
"""Called with the number of runs just finished (the command line hangs a progress bar here)."""


def evaluate(scenario: Scenario, replications: int, seed: int, jobs: int = 1) -> list[dict]:
    """Summaries of ``replications`` runs of ``scenario`` (seeds as in ``vardkedja run``)."""
    data = scenario.fingerprint()
    work = [(data, s) for s in replication_seeds(seed, replications)]
    out: list[dict] = []
    if jobs <= 1:
        for w in work:
            out.append(_one(w))
            for hook in PROGRESS:
                hook(1)
        return out
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("fork"), initializer=start_worker
    ) as pool:
        try:
            for summary in pool.map(_one, work):
                out.append(summary)
                for hook in PROGRESS:
                    hook(1)
        except BaseException:
            stop_workers(pool)
            raise
    return out


def _with_value(scenario: Scenario, value: float) -> Scenario:
    data = scenario.fingerprint()
    section, key = FITTED_KEY.split(".")
    data[section][key] = value
    return scenario_from_dict(data)


def fit_support_share(
    scenario: Scenario,
    replications: int,
    seed: int,
    jobs: int = 1,
    target: float = 0.058,
    low: float = 0.0,
    high: float = 15.0,
) -> tuple[float, list[tuple[float, float]]]:
    """Find the value of :data:`FITTED_KEY` at which the mean ready-bed share meets ``target``.

    scipy's ``brentq`` on (mean share - target); slower handovers mean more ready bed-days, so the
    share rises with the value. Returns the value (rounded to 0.01) and the trace of (value, share).
    """
    from scipy.optimize import brentq

    trace: list[tuple[float, float]] = []

    def gap(x: float) -> float:
        runs = evaluate(_with_value(scenario, x), replications, seed, jobs)
        value = sum(r["ready_bed_share"] for r in runs) / len(runs)
        trace.append((x, value))
        return value - target

    value = brentq(gap, low, high, xtol=0.02)
    return round(float(value), 2), trace


def set_fitted_value(path: Path, value: float) -> None:
    """Rewrite the ``# FITTED`` line of the baseline scenario file with ``value``."""
    text = path.read_text()
    if not FIT_LINE.search(text):
        raise ValueError(f"{path}: no 'support_start_days_weak = ...  # FITTED' line to update")
    path.write_text(FIT_LINE.sub(lambda m: f"{m.group(1)}{value}{m.group(3)}", text, count=1))


def write_calibration_doc(
    scenario_dir: Path,
    out: Path,
    replications: int,
    seed: int,
    jobs: int = 1,
    trace: list[tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """Evaluate the baseline and pandemic scenarios against :data:`TARGETS`; write Markdown."""
    results: dict[str, list[dict]] = {}
    dose = dose_response(load_scenario(scenario_dir / "nordost-2019.toml"), replications, seed, jobs)
    scenarios: dict[str, Scenario] = {}
    for name in sorted({t.scenario for t in TARGETS}):
        scenarios[name] = load_scenario(scenario_dir / f"{name}.toml")
        results[name] = evaluate(scenarios[name], replications, seed, jobs)
    fitted = scenarios["nordost-2019"].relationships.support_start_days_weak
    one = replications == 1  # one replication, no interval: not one of width 0 that reads as certainty
    lines = [
        "# Calibration",
        "",
        f"Generated by `vardkedja calibrate` on {dt.date.today().isoformat()} with vardkedja "
        f"{package_version()}: {_replications(replications)} of each scenario from seed {seed}, "
        f"{scenarios['nordost-2019'].days} days with {scenarios['nordost-2019'].warmup_days} days "
        + (
            "warm-up. One replication, no interval."
            if one
            else "warm-up. Intervals are 95 % t-intervals over replications."
        ),
        "",
        "## Fitted parameter",
        "",
        "| parameter | value | fitted to |",
        "|---|---|---|",
        f"| `{FITTED_KEY}` (nordost-2019): mean days after the ready notice until the kommun has "
        f"support in place across a handover of quality 0 | {fitted} | share of beds held by "
        "utskrivningsklara = 5.8 % |",
        *(
            f"| `{key}` = {_value(scenarios['nordost-2019'], key)} | set by hand | {why} |"
            for key, why in ASSUMED_BY_HAND
        ),
        "",
        "Everything else comes from `scenarios/nordost.toml`, each value with its source or marked "
        "assumption (most sizes are assumptions). `pandemic-spring-2020` inherits the fitted baseline "
        "and changes only what the focus groups describe (seed 002), each with its quote; nothing in "
        "it is fitted and no outcome (lead time, planning time) is set directly, so every pandemic "
        "figure below is out of sample. A miss is reported as a miss.",
        "",
        "## Targets",
        "",
        f"| scenario | target | published | simulated {_MEAN_CI[one]} | in range | source |",
        "|---|---|---|---|---|---|",
    ]
    verdicts = {}
    for t in TARGETS:
        iv = interval(r[t.key] for r in results[t.scenario])
        pct = t.key.endswith(("share", "rate"))
        scale = 100.0 if pct else 1.0
        unit = " %" if pct else ""
        ok = iv["mean"] is not None and t.low <= iv["mean"] <= t.high
        verdicts[(t.scenario, t.key)] = ok
        sim = _estimate(iv, 2, scale, unit)
        lines.append(
            f"| {t.scenario} | {t.label} | {t.value} | {sim} | {'yes' if ok else 'NO'} | {t.source} |"
        )
    misses = [
        (t, interval(r[t.key] for r in results[t.scenario]))
        for t in TARGETS
        if not verdicts[(t.scenario, t.key)]
    ]
    if misses:
        lines += ["", "## Missed", ""]
        for t, iv in misses:
            pct = t.key.endswith(("share", "rate"))
            scale, unit = (100.0, " %") if pct else (1.0, "")
            lines.append(
                f"- {t.scenario}, {_lower_first(t.label)}: the model gives "
                f"{_estimate(iv, 2, scale, unit, interval=False)}, the published figure is {t.value} "
                f"(accepted range {t.low * scale:g}–{t.high * scale:g}{unit})."
            )
    lines += [
        "",
        "Why the misses, as far as the model can tell:",
        "",
        "- *Same-day discharges too common (2019).* The model has no time of day: a patient whose "
        "planning is done and whose support can start is discharged on the day of the ready notice, "
        "while in reality a notice after noon, transport and the receiving unit's day push many to "
        "the next day. The fitted share then leaves the model's waits too often zero.",
        "- *SIP held too rare (2019).* The vårdcentraler's own call rates (nordost.toml, assumptions) "
        "and the relationship floor on calling keep SIPs at about two in five; the published 67 % "
        "counts people with *an* individual plan, a broader thing than a SIP held after discharge.",
        "- *The pandemic's share.* The mechanisms seed 002 names (direct phone contact, old routines "
        "back, kluster, hurried discharges, fewer patients) bring the share down from the baseline but "
        "not to 0.8 %: at the sizes assumed, the weekend closure of ward coordinators and "
        "vårdcentraler, planning capacity and the vårdcentraler's silence still hold patients. The "
        "sizes are assumptions; they were not tuned to the figure.",
        "",
        "## Relationship strength: the dose–response",
        "",
        "`relationships.initial_strength` swept over nordost-2019 ("
        + ("one replication each" if one else f"{replications} paired replications each")
        + ", same seeds): utskrivningsklara bed-days and the share of beds, "
        + ("one replication, no interval" if one else "mean [95 % CI]")
        + ". Figure: `docs/figures/relationship-dose-response.png`.",
        "",
        "| initial strength | ready bed-days | share of beds (%) | gaps per 100 discharges |",
        "|---|---|---|---|",
    ]
    for strength, runs in dose:
        bd = interval(r["ready_bed_days"] for r in runs)
        sh = interval(100 * r["ready_bed_share"] for r in runs)
        gp = interval(r["gaps_per_100_discharges"] for r in runs)
        lines.append(f"| {strength:.1f} | {_estimate(bd, 0)} | {_estimate(sh, 2)} | {_estimate(gp, 1)} |")
    base_gaps = interval(r["gaps_per_100_discharges"] for r in results["nordost-2019"])
    pand_gaps = interval(r["gaps_per_100_discharges"] for r in results["pandemic-spring-2020"])
    lines += [
        "",
        "## Gaps: the other side of the pandemic's fast discharges",
        "",
        f"Gap events per 100 discharges: baseline {_estimate(base_gaps, 1)}, pandemic "
        f"{_estimate(pand_gaps, 1)}" + (" (one replication, no interval)." if one else "."),
        "",
    ]
    if trace:
        lines += ["## Fit trace", "", f"| {FITTED_KEY} | mean share (%) |", "|---|---|"]
        lines += [f"| {f:.3f} | {100 * v:.2f} |" for f, v in trace]
        lines.append("")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    return {"results": results, "verdicts": verdicts, "gaps": (base_gaps, pand_gaps), "dose": dose}


_MEAN_CI = {False: "mean [95 % CI]", True: "(one replication, no interval)"}
"""What the figures are, by whether there is a single replication."""


def _replications(n: int) -> str:
    return "one replication" if n == 1 else f"{n} replications"


def _estimate(
    iv: dict[str, Any], digits: int, scale: float = 1.0, unit: str = "", interval: bool = True
) -> str:
    """``mean [low, high]`` of a :func:`interval`; the mean alone when it has no interval
    (or ``interval`` is false); "n/a" when nothing was measured (no discharges in a short run)."""
    if iv["mean"] is None:
        return "n/a"
    text = f"{iv['mean'] * scale:.{digits}f}{unit}"
    if iv["ci_low"] is None or not interval:
        return text
    return f"{text} [{iv['ci_low'] * scale:.{digits}f}, {iv['ci_high'] * scale:.{digits}f}]"


def dose_response(
    scenario: Scenario, replications: int, seed: int, jobs: int = 1
) -> list[tuple[float, list[dict]]]:
    """Summaries of ``scenario`` at each of :data:`DOSE_STRENGTHS` (same seeds at every strength)."""
    out = []
    for strength in DOSE_STRENGTHS:
        data = scenario.fingerprint()
        data["relationships"]["initial_strength"] = strength
        out.append((strength, evaluate(scenario_from_dict(data), replications, seed, jobs)))
    return out


def _value(scenario: Scenario, key: str) -> Any:
    node: Any = scenario
    for part in key.split("."):
        node = getattr(node, part)
    return node


def _lower_first(label: str) -> str:
    """'Share of beds' -> 'share of beds', but 'SIP held' stays."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]
