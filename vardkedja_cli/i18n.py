"""The message catalogue: every word the reports, figures and terminal show, in English and Swedish.

``t(lang, key, **fields)`` looks a message up and fills it in. The Swedish texts use the terms analysts
in Swedish health and social care use (utskrivningsklara vårddygn, betalningsansvar, SIP, fast
vårdkontakt, inskrivningsmeddelande, glapp, återinskrivning). Both languages must have the same keys
(tested). Numbers are written with :func:`number` (decimal comma and a no-break space as thousands
separator in Swedish).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["LANGS", "MESSAGES", "MINUS", "bracket", "number", "t"]

LANGS = ("en", "sv")

_EN: dict[str, str] = {
    # metric labels (tables, headline; the unit in brackets is how the table shows it)
    "label.ready_bed_days": "Utskrivningsklara bed-days",
    "label.ready_bed_share": "Share of occupied bed-days held by utskrivningsklara patients (%)",
    "label.mean_ready_days": "Mean days utskrivningsklar, all LUS episodes",
    "label.mean_ready_days_indicator": "Official indicator: mean days utskrivningsklar "
    "(episodes with ≥ 1 day)",
    "label.same_day_discharge_share": "Discharged the day they became utskrivningsklar (%)",
    "label.weekend_discharge_share": "Discharges on weekends and holidays (%)",
    "label.payment_sek": "Kommun payment liability (MSEK)",
    "label.gaps_per_100_discharges": "Gap events per 100 discharges",
    "label.sip_rate": "SIP held among patients who need one (%)",
    "label.readmission_30d_rate": "Readmitted within 30 days (%)",
    "label.admissions": "Admissions",
    "label.discharges": "Discharges",
    "label.turned_away": "Turned away (no bed)",
    "label.gap_events_total": "Gap events",
    # metrics as they read inside a sentence
    "phrase.ready_bed_days": "utskrivningsklara bed-days",
    "phrase.ready_bed_share": "the share of occupied bed-days held by utskrivningsklara patients",
    "phrase.mean_ready_days_indicator": "the official indicator (mean days utskrivningsklar)",
    "phrase.gaps_per_100_discharges": "gap events per 100 discharges",
    "phrase.payment_sek": "the kommuner's payment liability",
    # gap kinds
    "gap.unnotified_discharge": "discharged without inskrivningsmeddelande",
    "gap.no_care_contact": "no fast vårdkontakt named",
    "gap.support_not_in_place": "support not in place at discharge",
    "gap.sip_not_called": "SIP not called",
    "gap.uninformed_at_discharge": "not informed at discharge",
    "gap.needs_misjudged": "needs misjudged without the patient's voice",
    "gap.sip_not_held": "SIP not held",
    "gap.readmitted_after_gap": "readmitted after a gap",
    # units
    "unit.days": "days",
    "unit.msek": "MSEK",
    "unit.sek": "SEK",
    "unit.points": "percentage points",
    # the answer sentences
    "answer.down": "{variant} cuts {metric} by {pct} % {ci} ({levels}) compared with {base} ({n}).",
    "answer.up": "{variant} raises {metric} by {pct} % {ci} ({levels}) compared with {base} ({n}).",
    "answer.unclear": "{variant}: no clear change in {metric} compared with {base} "
    "({pct} % {ci}, {levels}; {n}).",
    "answer.single": "{variant}: {metric} {pct} % compared with {base} ({levels}; {n}: too few to tell a "
    "change from chance).",
    "answer.same": "{variant}: no change in {metric} compared with {base} ({levels}; {n}).",
    "answer.from_zero": "{variant}: {metric} is 0 in {base} and {mean} here ({n}).",
    "answer.from_zero_unclear": "{variant}: no clear change in {metric} compared with {base} "
    "(0 → {mean}; {n}).",
    "answer.n_paired": "{n} paired replications",
    "answer.one_rep": "one replication, no interval",
    # after a total's levels: the days it is summed over (days less the warm-up), not a year
    "answer.period": "over {days} days",
    "answer.period_one": "over 1 day",
    "answer.method": "Changes are paired: each replication of a variant is compared with the same "
    "replication of {base} (same seed), and the change is the mean of the paired differences with its "
    "95 % confidence interval of the mean (Student t), as a percentage of {base}'s mean.",
    # interval wording
    "ci.name": "95 % confidence interval of the mean, {n} replications",
    "ci.short": "mean [95 % confidence interval of the mean, {n} replications]",
    "ci.one_rep": "one replication, no interval",
    "value.none": "n/a",
    "ci.about": "Student-t 95 % confidence interval of the mean over replications (paired for diff)",
    "term.interrupted": "interrupted: finished replications are kept beside {folder}; run the same "
    "command again to finish the rest",
    "term.interrupted_early": "interrupted before any replication finished: nothing to keep for {folder}",
    "term.reused": "reused {reused} of {n} replications from an earlier run; ran {ran}",
    # a run of one replication that an earlier run had finished ("reused 1 of 1 replications")
    "term.reused_one": "reused the one replication from an earlier run; nothing left to run",
    "term.results": "results: {folder}",
    "term.ran": "{name}: replications run {ran}, reused {reused}",
    "term.comparison": "comparison: {folder}",
    # the progress bar of run and compare: its label, and the unit of its rate ("2.5rep/s", "1.2s/rep")
    "term.bar": "replications",
    "term.bar_unit": "rep",
    "term.no_warmup": "note: {path}: --days {days} is not longer than its warm-up of {warmup} days; run "
    "without a warm-up (every day counts)",
    "term.jobs_cut": "note: {what} {requested} is more than the {n} {cores} here; using {n}",
    # a run that will look like a failure: wards without a vårdsamordnare ({how} is one of the two below)
    "term.no_coordinator": "note: coordinator_capacity = 0 on {n} ward(s) ({shown}): patients who need "
    "support leave them {how}",
    "term.no_coordinator_forced": "only through forced discharge",
    "term.no_coordinator_never": "never (no forced discharge is set)",
    "term.core": "core",
    "term.cores": "cores",
    "term.worker_died": "vardkedja {command}: a worker process ended unexpectedly (killed, perhaps for lack "
    "of memory); what was finished is kept: run the same command again to finish the rest (fewer --jobs "
    "use less memory)",
    # the headline in the terminal
    "head.single": "scenario {scenario}  seed {seed}  version {version}",
    "head.single_note": "  one replication: no interval (use -n 10 or more for 95 % confidence intervals)",
    "head.multi": "scenario {scenario}  {n} replications from seed {seed}  version {version}",
    "head.multi_note": "  mean [95 % confidence interval of the mean, {n} replications]",
    "head.period": "  over {n} days: days {first}–{last}, after a warm-up of {warmup} days",
    "head.period_all": "  over all {n} days",
    "head.admissions": "admissions",
    "head.discharges": "discharges",
    "head.turned_away": "turned away (no bed)",
    "head.ready_bed_days": "utskrivningsklara bed-days",
    "head.ready_bed_share": "of occupied bed-days",
    "head.ready_bed_share_label": "share of occupied bed-days",
    "head.mean_ready_days": "mean days utskrivningsklar",
    "head.indicator": "official indicator, episodes with >= 1 day",
    "head.same_day": "discharged the day they became ready",
    "head.weekend": "weekend discharges",
    "head.gap_events": "gap events",
    "head.gaps_per_100": "gap events per 100 discharges",
    "head.per_100": "per 100 discharges",
    "head.most": "most: {kind}",
    "head.most_label": "most frequent gap",
    "head.sip": "SIP held among patients who need one",
    "head.readmitted": "readmitted within 30 days",
    "head.payment": "kommun payment liability",
    # the report
    "report.title": "Comparison: {names}",
    "report.versus": "vs",  # between the scenario names in the title
    "report.answer": "The answer",
    "report.setup": "Each scenario was simulated {n} times ({days} days from {start}, the first {warmup} "
    "days excluded as warm-up) with the same seeds for every scenario (base seed {seed}), so the "
    "differences are paired. Values are means over replications with the 95 % confidence interval of "
    "the mean (Student t, {n} replications): it says how precisely the replications pin the mean down, "
    "not how wrong the model's assumptions may be.",
    "report.setup_one": "Each scenario was simulated once ({days} days from {start}, the first {warmup} "
    "days excluded as warm-up) with the same seed (base seed {seed}): one replication, no interval. "
    "Run more replications (-n) for confidence intervals.",
    "report.scenarios": "The scenarios",
    "report.no_description": "(no description)",
    "report.changes": "What {variant} changes compared with {base} (values in force):",
    "report.nothing": "nothing (same parameters)",
    "report.more": "… and {n} more",
    "report.settings": "Every scenario ran with these settings given on the command line (`--set`), "
    "in force over its file:",
    "report.results": "Results",
    "report.results_note": "Each cell: {ci}. The difference columns are paired differences to {base}; "
    "a difference between two percentages is in percentage points (pp).",
    "unit.pp": "pp",
    "report.col.metric": "Metric",
    "report.col.diff": "{variant} − {base}",
    "report.reading": "Reading the table: *utskrivningsklara bed-days* are days patients spent in a "
    "hospital bed after being declared medically ready for discharge. *Gap events* are patients falling "
    "between the chairs: discharged without the kommun or vårdcentral knowing (no "
    "inskrivningsmeddelande), without a named fast vårdkontakt, before support was in place, with no SIP "
    "called or held, or readmitted within 30 days after such a gap.",
    "report.payment_staffed": "*Payment liability* counts the days after the threshold on which the kommun "
    "was not ready and the ward was staffed, so it could have discharged the patient but for the kommun "
    '(`rules.payment_days = "staffed"`, the model\'s default). The law and the regional agreements count '
    "every calendar day, so this is a lower bound; and staffing the wards at weekends makes weekend days "
    "chargeable, so a kommun can pay more while its bed-days fall. `--set rules.payment_days=calendar` "
    "counts every day.",
    "report.payment_calendar": "*Payment liability* counts every calendar day after the threshold on which "
    'the kommun was not ready (`rules.payment_days = "calendar"`), as the law and the regional '
    "agreements count.",
    "report.payment_mixed": "*Payment liability* is counted differently in these scenarios ({each}): "
    '`"staffed"` counts only days the ward was staffed, `"calendar"` every day; their payments do not '
    "compare.",
    "report.by_kommun": "By kommun",
    "report.by_hospital": "By hospital",
    # the note under the headings By kommun and By hospital: cells, difference rows, then the kind's own
    "report.by_cells": "Each cell: {ci}.",
    "report.by_cells_one": "One replication: no interval.",
    "report.by_diff": "A row “… − {base}” holds that scenario's paired difference to {base} (replication "
    "by replication, same seeds).",
    "report.by_note_kommun": "The kommun is the patient's home kommun. Bed-days per 1,000 inhabitants 65+ "
    "are scaled to a year from the measured days, with the kommun's inhabitants aged 65+ in the scenario "
    "(`kommun.*.population_65plus`).",
    "report.by_note_hospital": "Payment liability for the episodes discharged from the hospital in the "
    "window.",
    "report.by_gaps": "Gap events by kind, each cell as above:",
    # under the hospitals' table: why its payment column does not add up to the total (OUTPUTS §1.1)
    "report.hospital_payment_note": "The hospitals' payment liability does not add up to the total "
    "under Results: it counts each episode's whole stay, days before the measured period included, and "
    "leaves out stays not yet ended.",
    "report.figures": "Figures",
    "report.provenance": "Provenance",
    "report.prov_line": "{name}: scenario digest {digest}, vardkedja {version}, replication seeds {seeds}",
    # breakdown columns
    "col.kommun": "Kommun",
    "col.hospital": "Hospital",
    "col.scenario": "Scenario",
    "col.ready_bed_days": "Utskrivningsklara bed-days",
    "col.ready_bed_days_per_1000_65plus": "Utskrivningsklara bed-days a year per 1,000 inhabitants 65+",
    "col.indicator": "Official indicator (days)",
    "col.gaps": "Gap events",
    "col.payment_sek": "Payment liability (SEK)",
    "col.payment_ksek": "Payment liability (kSEK)",
    # effective values
    "eff.own_vc": "{value} (each vårdcentral's own)",
    "eff.own_ward": "{value} (each ward's own)",
    "eff.overridden": "{value} (not in force: rules.{rule} overrides it)",
    # a vårdcentral's own rota is one input of the rota in force, not replaced by it: not "not in force"
    "eff.integrated_roster": "{value} (in force: {in_force}, under {by}: one rota with the kommun's "
    "assessors, the larger staffing each day)",
    "eff.integrated_strength": "{value} (not in force: {by} makes them one organisation, at full "
    "strength: {in_force})",
    "eff.overridden_by": "{value} (not in force: {by} overrides it; in force: {in_force})",
    "eff.never": "never",
    "eff.until_named": "until one is named",
    "eff.default_roster": "weekdays full, weekends {weekend}",
    "eff.every": "all {n} {kind}",
    "kind.kommun": "kommuner",
    "kind.vardcentral": "vårdcentraler",
    "kind.ward": "wards",
    "kind.hospital": "hospitals",
    # figures
    "fig.ready_over_time": "Utskrivningsklara patients in beds per day",
    "fig.ready_over_time.y": "patients utskrivningsklara in beds",
    "fig.ready_over_time.x_days": "day of the run (the scenarios start on different dates)",
    "fig.warmup": "grey: warm-up",
    "fig.ready_days": "Days utskrivningsklar per LUS episode",
    "fig.ready_days.x": "days utskrivningsklar before discharge",
    "fig.ready_days.y": "share of LUS episodes",
    "fig.weekday_discharges": "Discharges by weekday (LUS patients and others)",
    "fig.weekday.y": "discharges per replication",
    "fig.weekday.lus": "LUS patients",
    "fig.weekday.other": "no support needed",
    "fig.weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    "fig.gaps_by_kind": "Gap events by kind",
    "fig.gaps_by_kind.y": "gap events per 100 discharges",
    "fig.gap_network": "Where patients fall between the chairs",
    "fig.gap_network.sub": "wards | vårdcentraler (per kommun) | kommuner; edge width = gap events per "
    "replication, colour = relationship strength at the end (grey: no relationship); "
    "{shown} of {total} edges with gaps",
    "fig.gap_network.none": "no gap events",
    "fig.gap_network.vc_group": "vårdcentraler, {kommun}",
    "fig.gap_network.strength": "relationship strength (end of run)",
    "fig.gap_network.width": "gap events per replication",
    "fig.wards": "wards",
    "fig.vardcentraler": "vårdcentraler",
    "fig.kommuner": "kommuner",
    # the calibration document (vardkedja calibrate): its prose, the targets' words and its figure
    "cal.title": "Calibration",
    "cal.generated": "Generated by `vardkedja calibrate` on {date} with vardkedja {version}: {replications} "
    "of each scenario from seed {seed}, {days} days with {warmup} days warm-up. {intervals}",
    "cal.replications_one": "one replication",
    "cal.replications": "{n} replications",
    "cal.intervals_one": "One replication, no interval.",
    "cal.intervals": "Intervals are 95 % t-intervals over replications.",
    "cal.fitted": "Fitted parameter",
    "cal.fitted.columns": "| parameter | value | fitted to |",
    "cal.fitted.row": "| `{param}` (nordost-2019): mean days after the ready notice until the kommun has "
    "support in place across a handover of quality 0 | {value} | share of occupied bed-days held by "
    "utskrivningsklara = 5.8 % |",
    "cal.by_hand.row": "| `{param}` = {value} | set by hand | {why} |",
    "cal.by_hand.weekend_staffing.ward_doctor": "chance of a ward round declaring a patient ready on an "
    "off day; chosen by hand in an earlier version to meet the weekend-discharge share, so that check is "
    "in sample",
    "cal.by_hand.relationships.support_start_days_strong": "mean days after the ready notice until the "
    "kommun has support in place across a handover of quality 1; an assumption (same or next day), chosen "
    "with the calibration in view: the fitted value above meets the 5.8 % only together with it",
    "cal.rest": "Everything else comes from `scenarios/nordost.toml`, each value with its source or marked "
    "assumption (most sizes are assumptions). `pandemic-spring-2020` inherits the fitted baseline and "
    "changes only what the focus groups describe (seed 002), each with its quote; nothing in it is fitted "
    "and no outcome (lead time, planning time) is set directly, so every pandemic figure below is out of "
    "sample. A miss is reported as a miss.",
    "cal.targets": "Targets",
    "cal.targets.columns": "| scenario | target | published | simulated {what} | in range | source |",
    "cal.what_one": "(one replication, no interval)",
    "cal.what": "mean [95 % CI]",
    "cal.yes": "yes",
    "cal.no": "NO",
    "cal.na": "n/a",
    "cal.label.ready_bed_share": "Share of occupied bed-days held by utskrivningsklara",
    "cal.label.mean_ready_days_indicator": "Mean days utskrivningsklar (indicator)",
    "cal.label.same_day_discharge_share": "Discharged the day they became utskrivningsklar",
    "cal.label.sip_rate": "SIP held, among patients needing both kommun and vårdcentral",
    "cal.label.readmission_30d_rate": "Readmitted within 30 days",
    "cal.label.weekend_discharge_share": "Discharges on Sat+Sun (and holidays)",
    "cal.target.nordost-2019.ready_bed_share": "5.8 %",
    "cal.target.nordost-2019.ready_bed_share.source": "SKR via seed 002: Stockholm, May 2019 — FITTED "
    "(in sample)",
    "cal.target.nordost-2019.mean_ready_days_indicator": "4.6 (accepted: 3–6, our range)",
    "cal.target.nordost-2019.mean_ready_days_indicator.source": "SKR 2021: Sweden 2017 — out of sample",
    "cal.target.nordost-2019.same_day_discharge_share": "13 %",
    "cal.target.nordost-2019.same_day_discharge_share.source": "SKR 2021: Sweden 2017 — out of sample",
    "cal.target.nordost-2019.sip_rate": "about 67 %",
    "cal.target.nordost-2019.sip_rate.source": "Vårdanalys 2021 (people with an individual plan; a near, "
    "not exact, match) — out of sample",
    "cal.target.nordost-2019.readmission_30d_rate": "about 10 % (5–13 %)",
    "cal.target.nordost-2019.readmission_30d_rate.source": "Socialstyrelsen, DOMAIN.md — out of sample "
    "(base risk 8 % is an input)",
    "cal.target.nordost-2019.weekend_discharge_share": "21–22 % (US data)",
    "cal.target.nordost-2019.weekend_discharge_share.source": "DOMAIN.md, large US data — in sample "
    "(ward_doctor was chosen by hand to meet it)",
    "cal.target.pandemic-spring-2020.ready_bed_share": "0.8 %",
    "cal.target.pandemic-spring-2020.ready_bed_share.source": "SKR via seed 002: Stockholm, April 2020 — "
    "out of sample (nothing fitted)",
    "cal.target.pandemic-spring-2020.mean_ready_days_indicator": "2.1",
    "cal.target.pandemic-spring-2020.mean_ready_days_indicator.source": "SKR 2021: Sweden 2020 — out of "
    "sample",
    "cal.target.pandemic-spring-2020.same_day_discharge_share": "67 %",
    "cal.target.pandemic-spring-2020.same_day_discharge_share.source": "SKR 2021: Sweden 2020 — out of "
    "sample",
    "cal.missed": "Missed",
    "cal.missed.item": "- {scenario}, {label}: the model gives {value}, the published figure is "
    "{published} (accepted range {low}–{high}{unit}).",
    "cal.why": "Why the misses, as far as the model can tell:",
    "cal.why.same_day": "- *Same-day discharges too common (2019).* The model has no time of day: a "
    "patient whose planning is done and whose support can start is discharged on the day of the ready "
    "notice, while in reality a notice after noon, transport and the receiving unit's day push many to the "
    "next day. The fitted share then leaves the model's waits too often zero.",
    "cal.why.sip": "- *SIP held too rare (2019).* The vårdcentraler's own call rates (nordost.toml, "
    "assumptions) and the relationship floor on calling keep SIPs at about two in five; the published 67 % "
    "counts people with *an* individual plan, a broader thing than a SIP held after discharge.",
    "cal.why.pandemic": "- *The pandemic's share.* The mechanisms seed 002 names (direct phone contact, old "
    "routines back, kluster, hurried discharges, fewer patients) bring the share down from the baseline "
    "but not to 0.8 %: at the sizes assumed, the weekend closure of ward coordinators and vårdcentraler, "
    "planning capacity and the vårdcentraler's silence still hold patients. The sizes are assumptions; "
    "they were not tuned to the figure.",
    "cal.dose": "Relationship strength: the dose–response",
    "cal.dose.text": "`relationships.initial_strength` swept over nordost-2019 ({each}, same seeds): "
    "utskrivningsklara bed-days and the share of beds, {what}. Figure: "
    "`docs/figures/relationship-dose-response.png`.",
    "cal.dose.each_one": "one replication each",
    "cal.dose.each": "{n} paired replications each",
    "cal.dose.what_one": "one replication, no interval",
    "cal.dose.columns": "| initial strength | ready bed-days | share of beds (%) | gaps per 100 discharges |",
    "cal.gaps": "Gaps: the other side of the pandemic's fast discharges",
    "cal.gaps.text": "Gap events per 100 discharges: baseline {base}, pandemic {pandemic}{tail}",
    "cal.gaps.tail_one": " (one replication, no interval).",
    "cal.gaps.tail": ".",
    "cal.trace": "Fit trace",
    "cal.trace.columns": "| {param} | mean share (%) |",
    "cal.fig.title": "nordost-2019: relationships and utskrivningsklara bed-days",
    "cal.fig.x": "initial relationship strength (relationships.initial_strength)",
    "cal.fig.y": "utskrivningsklara bed-days a year",
    "cal.fig.band": "95 % confidence interval of the mean ({n} replications)",
    "cal.fig.mean": "mean",
    "cal.fig.one": "one replication, no interval",
    "cal.term.bar": "calibration runs",
    "cal.term.bar_unit": "run",
    "cal.term.fitted": "fitted {param} = {value}",
    "cal.term.in_range": "in range",
    "cal.term.out_of_range": "OUT OF RANGE",
    "cal.term.document": "calibration document: {path}",
    # one replication: no mean over replications and no interval to name
    "answer.method_one": "Changes are paired: the one replication of each variant is compared with the "
    "same replication of {base} (same seed), and the change is that paired difference as a percentage of "
    "{base}'s value; one replication gives no interval.",
    "ci.about_one": "none: one replication gives no confidence interval (ci_low, ci_high, diff_low, "
    "diff_high, pct_low and pct_high are empty)",
    # the workbook's about sheet: row labels that are prose (field names such as seed stay as they are)
    "about.settings": "--set (every scenario)",
    "about.share_diff": "diff of a share (%)",
    "about.share_diff_note": "The difference of a share (a metric shown in %) is in percentage points: "
    "-2.55% in diff, diff_low or diff_high is 2.55 percentage points below the base, not 2.55 % of its "
    "value (the relative change is pct on the answers sheet).",
    # the workbooks (comparison.xlsx, results.xlsx): sheet names, column headers and the about sheet's
    # row labels; in English the machine names of the CSV files, which stay English (docs/OUTPUTS.md)
    "xlsx.sheet.comparison": "comparison",
    "xlsx.sheet.answers": "answers",
    "xlsx.sheet.by_kommun": "by_kommun",
    "xlsx.sheet.by_hospital": "by_hospital",
    "xlsx.sheet.comparison_by_kommun": "comparison_by_kommun",
    "xlsx.sheet.comparison_by_hospital": "comparison_by_hospital",
    "xlsx.sheet.about": "about",
    "xlsx.col.scenario": "scenario",
    "xlsx.col.base": "base",
    "xlsx.col.metric": "metric",
    "xlsx.col.label": "label",
    "xlsx.col.mean": "mean",
    "xlsx.col.ci_low": "ci_low",
    "xlsx.col.ci_high": "ci_high",
    "xlsx.col.diff": "diff",
    "xlsx.col.diff_low": "diff_low",
    "xlsx.col.diff_high": "diff_high",
    "xlsx.col.n": "n",
    "xlsx.col.n_pairs": "n",
    "xlsx.col.base_mean": "base_mean",
    "xlsx.col.pct": "pct",
    "xlsx.col.pct_low": "pct_low",
    "xlsx.col.pct_low_shown": "pct_low_shown",
    "xlsx.col.pct_high": "pct_high",
    "xlsx.col.clear": "clear",
    "xlsx.col.sentence": "sentence",
    "xlsx.col.ready_bed_days_per_1000_65plus": "ready_bed_days_per_1000_65plus",
    "xlsx.col.gaps_total": "gaps_total",
    "xlsx.col.key": "key",
    "xlsx.col.value": "value",
    "xlsx.about.scenario": "scenario",
    "xlsx.about.base": "base",
    "xlsx.about.seed": "seed",
    "xlsx.about.replications": "replications",
    "xlsx.about.days": "days",
    "xlsx.about.warmup_days": "warmup_days",
    "xlsx.about.version": "version",
    "xlsx.about.interval": "interval",
    "xlsx.about.scenario_digest": "scenario_digest",
    "xlsx.about.replication_seeds": "replication_seeds",
    # the about sheet's prose (the interval, a share's difference), naming the workbook's own headers
    "xlsx.interval": "Student-t 95 % confidence interval of the mean over replications (paired for diff)",
    "xlsx.interval_one": "none: one replication gives no confidence interval (ci_low, ci_high, diff_low, "
    "diff_high, pct_low and pct_high are empty)",
    "xlsx.share_diff": "diff of a share (%)",
    "xlsx.share_diff_note": "The difference of a share (a metric shown in %) is in percentage points: "
    "-2.55% in {diff}, {diff_low} or {diff_high} is 2.55 percentage points below the base, not 2.55 % of "
    "its value (the relative change is {pct} on the {answers} sheet).",
    "value.true": "true",
    "value.false": "false",
    # parameters by path, organisation names left out (kommun.Täby.assessor_roster is
    # kommun.assessor_roster): what the report's list of changes calls them
    "param.start_date": "Start date",
    "param.days": "Days simulated",
    "param.warmup_days": "Warm-up days",
    "param.seed": "Seed",
    "param.weekend_staffing.ward_doctor": "Weekend ward round: patients declared utskrivningsklar on off "
    "days",
    "param.weekend_staffing.ward_coordinator": "Weekend staffing: ward coordinators",
    "param.weekend_staffing.vardcentral": "Weekend staffing: vårdcentraler",
    "param.weekend_staffing.assessor": "Weekend staffing: kommun assessors",
    "param.weekend_staffing.home_health_care": "Weekend staffing: home health care",
    "param.weekend_staffing.home_help_starts": "Weekend staffing: home-help starts",
    "param.weekend_staffing.place_intake": "Weekend staffing: intake to short-term places and care homes",
    "param.rules.payment_threshold_days": "Days before the kommun's payment liability starts",
    "param.rules.payment_price_sek": "Price per day of payment liability (SEK)",
    "param.rules.payment_days": "Days charged after the threshold (staffed days or every calendar day)",
    "param.rules.digital_meetings": "Digital SIP meetings",
    "param.rules.misplacement_probability": "Chance of an admission to another ward (utlokalisering)",
    "param.rules.misplaced_notice_factor": "Notice reliability on an unfamiliar ward (factor)",
    "param.rules.sip_call_rate": "Share of SIPs called (all vårdcentraler)",
    "param.rules.notice_reliability": "Admission notices sent (all wards)",
    "param.rules.wait_for_care_contact_days": "Days the ward waits for a fast vårdkontakt",
    "param.rules.forced_discharge.max_wait_days": "Discharge anyway after (days utskrivningsklar)",
    "param.rules.forced_discharge.bed_pressure_occupancy": "Discharge anyway at ward occupancy",
    "param.rules.care_contact_retry_days": "Days before a vårdcentral looks again at an unanswered request",
    "param.rules.discharge_info_failure": "Chance the information at discharge does not arrive",
    "param.capacity.assessor": "Capacity factor: kommun assessors",
    "param.capacity.home_help_starts": "Capacity factor: home-help starts",
    "param.capacity.short_term_places": "Capacity factor: short-term places",
    "param.capacity.care_home_places": "Capacity factor: care-home places",
    "param.patients.admissions_per_1000_65plus": "Admissions a year per 1,000 aged 65+",
    "param.patients.weekday_weights": "Admissions by weekday (weights)",
    "param.patients.holiday_weight": "Admissions on holidays (weight)",
    "param.patients.treatment_days": "Days of treatment",
    "param.patients.kommun_support": "Kommun support needed (weights)",
    "param.patients.home_health_care_with_support": "Needs home health care, with kommun support",
    "param.patients.home_health_care_without_support": "Needs home health care, without kommun support",
    "param.patients.readmission_30d": "Readmission within 30 days",
    "param.patients.readmission_gap_factor": "Readmission risk after a gap (factor)",
    "param.patients.readmission_delay_days": "Days until readmission",
    "param.sip.held_probability_digital": "SIP held, digital meeting",
    "param.sip.held_probability_physical": "SIP held, meeting in person",
    "param.sip.meeting_delay_days": "Days until the SIP meeting",
    "param.sip.follow_up_days": "Days until the SIP follow-up",
    "param.durations.notice_delay_days": "Delay of a late admission notice (days)",
    "param.durations.planning_days": "Assessor's planning time (days)",
    "param.durations.support_lead_days": "Days to arrange the start of support",
    "param.durations.short_term_stay_days": "Stay in a short-term place (days)",
    "param.durations.care_home_stay_days": "Stay in a care home (days)",
    "param.community.home_help_per_1000_65plus": "Home help requested from home, a year per 1,000 aged 65+",
    "param.community.short_term_per_1000_65plus": "Short-term stays requested from home, a year per 1,000 "
    "aged 65+",
    "param.patient_voice.participation": "Patient takes part in planning",
    "param.patient_voice.misjudged_without_voice": "Needs misjudged without the patient's voice",
    "param.relationships.initial_strength": "Relationship strength at the start (usual partners)",
    "param.relationships.unfamiliar_strength": "Relationship strength with unfamiliar partners",
    "param.relationships.strengths": "Relationship strength of named pairs",
    "param.relationships.informal_recovery_per_day": "Missed notice caught by phone (a day)",
    "param.relationships.act_speed_floor": "Message acted on the same day, weakest handover",
    "param.relationships.chase_probability": "Ward chases a silent vårdcentral (a day)",
    "param.relationships.planning_slowdown": "Planning slowed by a weak relationship (factor)",
    "param.relationships.support_start_days_weak": "Days until support is in place, weakest handover",
    "param.relationships.support_start_days_strong": "Days until support is in place, strongest handover",
    "param.relationships.sip_call_floor": "SIP called across the weakest handover (factor)",
    "param.relationships.routine_effect": "What a shared routine makes up for",
    "param.relationships.routines_ward_kommun": "Shared routine from the start: wards and kommuner",
    "param.relationships.routines_ward_vardcentral": "Shared routine from the start: wards and vårdcentraler",
    "param.relationships.routines_kommun_vardcentral": "Shared routine from the start: kommuner and "
    "vårdcentraler",
    "param.relationships.routines": "Further pairs with a shared routine",
    "param.relationships.growth": "Relationships grow with joint successes",
    "param.relationships.turnover_loss": "Relationship lost with staff turnover",
    "param.relationships.forums": "Forums (mötesplatser)",
    "param.relationships.enable_growth": "Relationships grow",
    "param.relationships.enable_turnover": "Staff turnover weakens relationships",
    "param.relationships.enable_forums": "Forums meet",
    "param.kommun.population": "Inhabitants",
    "param.kommun.population_65plus": "Inhabitants aged 65+",
    "param.kommun.hospitals": "Share of admissions by hospital",
    "param.kommun.assessor_capacity": "Assessor cases a day",
    "param.kommun.assessor_roster": "Assessors' roster by weekday",
    "param.kommun.home_help_starts_per_day": "Home-help starts a day",
    "param.kommun.home_help_roster": "Home-help starts' roster by weekday",
    "param.kommun.short_term_places": "Short-term places",
    "param.kommun.care_home_places": "Care-home places",
    "param.kommun.place_intakes_per_day": "Intakes to places a day",
    "param.kommun.place_intake_roster": "Intakes' roster by weekday",
    "param.kommun.initial_place_occupancy": "Places occupied at the start",
    "param.kommun.active_search_probability": "Kommun asks the ward actively (a day)",
    "param.kommun.integrated_primary_care": "Kommun runs primary care (integrated)",
    "param.kommun.staff_turnover_per_year": "Staff turnover a year",
    "param.ward.hospital": "Hospital",
    "param.ward.beds": "Beds",
    "param.ward.serves": "Kommuner served",
    "param.ward.coordinator_capacity": "Ward coordinator cases a day",
    "param.ward.coordinator_roster": "Ward coordinators' roster by weekday",
    "param.ward.notice_reliability": "Admission notices sent",
    "param.ward.notice_late_probability": "Admission notice late",
    "param.ward.initial_occupancy": "Beds occupied at the start",
    "param.ward.initial_ready_share": "Utskrivningsklara at the start",
    "param.ward.staff_turnover_per_year": "Staff turnover a year",
    "param.vardcentral.kommun": "Kommun",
    "param.vardcentral.listed_share": "Share of the kommun's listed patients",
    "param.vardcentral.tasks_per_day": "Tasks a day",
    "param.vardcentral.roster": "Roster by weekday",
    "param.vardcentral.answer_reliability": "Care-contact requests answered",
    "param.vardcentral.sip_call_rate": "Share of SIPs called",
    "param.vardcentral.home_health_starts_per_day": "Home health care starts a day",
    "param.vardcentral.staff_turnover_per_year": "Staff turnover a year",
    "param.hospital.description": "Description",
    "param.kluster.kommun": "Kommun",
    "param.kluster.leader_drive": "Leader's drive",
    "param.kluster.every_days": "Days between meetings",
    "param.kluster.start_day": "First meeting (day)",
    "param.kluster.boost": "Relationship gain a meeting",
    "param.kluster.routine_after_meetings": "Meetings until a shared routine",
    "param.fou.forums": "Forums it runs",
    "param.fou.project_probability": "Chance of a project",
    "param.fou.spread_probability": "Chance a project spreads",
    "param.region.agreements": "Regional agreements",
}

_SV: dict[str, str] = {
    "label.ready_bed_days": "Utskrivningsklara vårddygn",
    "label.ready_bed_share": "Utskrivningsklara patienters andel av belagda vårddygn (%)",
    "label.mean_ready_days": "Medelantal dagar som utskrivningsklar, alla LUS-vårdtillfällen",
    "label.mean_ready_days_indicator": "Officiell indikator: medelantal dagar som utskrivningsklar "
    "(vårdtillfällen med minst 1 dag)",
    "label.same_day_discharge_share": "Utskrivna samma dag som de blev utskrivningsklara (%)",
    "label.weekend_discharge_share": "Utskrivningar på helger och helgdagar (%)",
    "label.payment_sek": "Kommunernas betalningsansvar (mnkr)",
    "label.gaps_per_100_discharges": "Glapp per 100 utskrivningar",
    "label.sip_rate": "Genomförd SIP bland patienter som behöver SIP (%)",
    "label.readmission_30d_rate": "Återinskrivning inom 30 dagar (%)",
    "label.admissions": "Inskrivningar",
    "label.discharges": "Utskrivningar",
    "label.turned_away": "Fick ingen vårdplats",
    "label.gap_events_total": "Glapp",
    "phrase.ready_bed_days": "utskrivningsklara vårddygn",
    "phrase.ready_bed_share": "utskrivningsklara patienters andel av belagda vårddygn",
    "phrase.mean_ready_days_indicator": "den officiella indikatorn (medelantal dagar som utskrivningsklar)",
    "phrase.gaps_per_100_discharges": "glapp per 100 utskrivningar",
    "phrase.payment_sek": "kommunernas betalningsansvar",
    "gap.unnotified_discharge": "utskriven utan inskrivningsmeddelande",
    "gap.no_care_contact": "ingen fast vårdkontakt utsedd",
    "gap.support_not_in_place": "insatser inte på plats vid utskrivning",
    "gap.sip_not_called": "ingen kallelse till SIP",
    "gap.uninformed_at_discharge": "inte informerad vid utskrivning",
    "gap.needs_misjudged": "behov felbedömda utan patientens röst",
    "gap.sip_not_held": "SIP inte genomförd",
    "gap.readmitted_after_gap": "återinskrivning efter glapp",
    "unit.days": "dagar",
    "unit.msek": "mnkr",
    "unit.sek": "kr",
    "unit.points": "procentenheter",
    "answer.down": "{variant} minskar {metric} med {pct} % {ci} ({levels}) jämfört med {base} ({n}).",
    "answer.up": "{variant} ökar {metric} med {pct} % {ci} ({levels}) jämfört med {base} ({n}).",
    "answer.unclear": "{variant}: ingen tydlig förändring av {metric} jämfört med {base} "
    "({pct} % {ci}, {levels}; {n}).",
    "answer.single": "{variant}: {metric} {pct} % jämfört med {base} ({levels}; {n}: för få för att "
    "skilja en förändring från slumpen).",
    "answer.same": "{variant}: ingen förändring av {metric} jämfört med {base} ({levels}; {n}).",
    "answer.from_zero": "{variant}: {metric} är 0 i {base} och {mean} här ({n}).",
    "answer.from_zero_unclear": "{variant}: ingen tydlig förändring av {metric} jämfört med {base} "
    "(0 → {mean}; {n}).",
    "answer.n_paired": "{n} parvisa replikeringar",
    "answer.one_rep": "en replikering, inget intervall",
    "answer.period": "under {days} dagar",
    "answer.period_one": "under 1 dag",
    "answer.method": "Förändringarna är parvisa: varje replikering av ett alternativ jämförs med samma "
    "replikering av {base} (samma slumptalsfrö), och förändringen är medelvärdet av de parvisa "
    "skillnaderna med dess 95-procentiga konfidensintervall för medelvärdet (Student t), i procent av "
    "medelvärdet i {base}.",
    "ci.name": "95 % konfidensintervall för medelvärdet, {n} replikeringar",
    "ci.short": "medelvärde [95 % konfidensintervall för medelvärdet, {n} replikeringar]",
    "ci.one_rep": "en replikering, inget intervall",
    "value.none": "saknas",
    "ci.about": "95 % konfidensintervall för medelvärdet över replikeringarna, Student t (parat för diff)",
    "term.interrupted": "avbruten: färdiga replikeringar finns kvar bredvid {folder}; kör samma kommando "
    "igen för att göra resten",
    "term.interrupted_early": "avbruten innan någon replikering blev färdig: inget finns kvar för {folder}",
    "term.reused": "återanvände {reused} av {n} replikeringar från en tidigare körning; körde {ran}",
    "term.reused_one": "återanvände den enda replikeringen från en tidigare körning; inget kvar att köra",
    "term.results": "resultat: {folder}",
    "term.ran": "{name}: replikeringar körda {ran}, återanvända {reused}",
    "term.comparison": "jämförelse: {folder}",
    "term.bar": "replikeringar",
    "term.bar_unit": "replikering",  # not "rep" ("rope" in Swedish): "2.50replikering/s"
    "term.no_warmup": "obs: {path}: --days {days} är inte längre än dess insvängning på {warmup} dagar; "
    "körs utan insvängning (varje dag räknas)",
    "term.jobs_cut": "obs: {what} {requested} är fler än antalet {cores} här ({n}); använder {n}",
    "term.no_coordinator": "obs: coordinator_capacity = 0 på {n} avdelning(ar) ({shown}): patienter som "
    "behöver insatser lämnar dem {how}",
    "term.no_coordinator_forced": "bara genom att skrivas ut ändå (rules.forced_discharge)",
    "term.no_coordinator_never": "aldrig (rules.forced_discharge är inte satt)",
    "term.core": "kärnor",  # "antalet kärnor": the plural also for one
    "term.cores": "kärnor",
    "term.worker_died": "vardkedja {command}: en arbetsprocess avslutades oväntat (dödad, kanske av "
    "minnesbrist); det som blev klart finns kvar: kör samma kommando igen för att göra resten (färre "
    "--jobs använder mindre minne)",
    "head.single": "scenario {scenario}  slumptalsfrö {seed}  version {version}",
    "head.single_note": "  en replikering: inget intervall (använd -n 10 eller fler för 95 % "
    "konfidensintervall)",
    "head.multi": "scenario {scenario}  {n} replikeringar från slumptalsfrö {seed}  version {version}",
    "head.multi_note": "  medelvärde [95 % konfidensintervall för medelvärdet, {n} replikeringar]",
    "head.period": "  under {n} dagar: dag {first}–{last}, efter {warmup} dagars uppvärmning",
    "head.period_all": "  under alla {n} dagarna",
    "head.admissions": "inskrivningar",
    "head.discharges": "utskrivningar",
    "head.turned_away": "fick ingen vårdplats",
    "head.ready_bed_days": "utskrivningsklara vårddygn",
    "head.ready_bed_share": "av belagda vårddygn",
    "head.ready_bed_share_label": "utskrivningsklara patienters andel av belagda vårddygn",
    "head.mean_ready_days": "medelantal dagar som utskrivningsklar",
    "head.indicator": "officiell indikator, vårdtillfällen med minst 1 dag",
    "head.same_day": "utskrivna samma dag som de blev utskrivningsklara",
    "head.weekend": "utskrivningar på helger",
    "head.gap_events": "glapp",
    "head.gaps_per_100": "glapp per 100 utskrivningar",
    "head.per_100": "per 100 utskrivningar",
    "head.most": "flest: {kind}",
    "head.most_label": "vanligaste glapp",
    "head.sip": "genomförd SIP bland patienter som behöver SIP",
    "head.readmitted": "återinskrivning inom 30 dagar",
    "head.payment": "kommunernas betalningsansvar",
    "report.title": "Jämförelse: {names}",
    "report.versus": "mot",
    "report.answer": "Svaret",
    "report.setup": "Varje scenario simulerades {n} gånger ({days} dagar från {start}, de första {warmup} "
    "dagarna räknas inte (insvängning)) med samma slumptalsfrön för alla scenarier (slumptalsfrö {seed}), "
    "så skillnaderna är parvisa. Värdena är medelvärden över replikeringarna med 95 % konfidensintervall för "
    "medelvärdet (Student t, {n} replikeringar): det säger hur precist replikeringarna bestämmer "
    "medelvärdet, inte hur fel modellens antaganden kan vara.",
    "report.setup_one": "Varje scenario simulerades en gång ({days} dagar från {start}, de första "
    "{warmup} dagarna räknas inte (insvängning)) med samma slumptalsfrö ({seed}): en replikering, inget "
    "intervall. Kör fler replikeringar (-n) för konfidensintervall.",
    "report.scenarios": "Scenarierna",
    "report.no_description": "(ingen beskrivning)",
    "report.changes": "Vad {variant} ändrar jämfört med {base} (värden som gäller):",
    "report.nothing": "inget (samma parametrar)",
    "report.more": "… och {n} till",
    "report.settings": "Varje scenario kördes med de här inställningarna från kommandoraden (`--set`), "
    "som gäller före filens värden:",
    "report.results": "Resultat",
    "report.results_note": "Varje cell: {ci}. Skillnadskolumnerna är parvisa skillnader mot {base}; "
    "en skillnad mellan två procentsatser är i procentenheter (p.e.).",
    "unit.pp": "p.e.",
    "report.col.metric": "Mått",
    "report.col.diff": "{variant} − {base}",
    "report.reading": "Att läsa tabellen: *utskrivningsklara vårddygn* är dygn som patienter låg kvar på "
    "sjukhus efter att ha bedömts utskrivningsklara. *Glapp* är patienter som faller mellan stolarna: "
    "utskrivna utan att kommunen eller vårdcentralen visste (inget inskrivningsmeddelande), utan utsedd "
    "fast vårdkontakt, innan insatserna var på plats, utan att SIP kallades till eller genomfördes, eller "
    "återinskrivna inom 30 dagar efter ett sådant glapp.",
    "report.payment_staffed": "*Betalningsansvar* räknas här för de dygn efter gränsen då kommunen inte var "
    "redo och avdelningen var bemannad, så att patienten hade kunnat skrivas ut om kommunen varit redo "
    '(`rules.payment_days = "staffed"`, modellens standard). Lagen och de regionala överenskommelserna '
    "räknar alla kalenderdygn, så detta är en nedre gräns; och bemannas avdelningarna på helger blir "
    "helgdygnen debiterbara, så en kommun kan betala mer medan dess vårddygn minskar. "
    "`--set rules.payment_days=calendar` räknar alla dygn.",
    "report.payment_calendar": "*Betalningsansvar* räknas här för alla kalenderdygn efter gränsen då "
    'kommunen inte var redo (`rules.payment_days = "calendar"`), som lagen och de regionala '
    "överenskommelserna räknar.",
    "report.payment_mixed": "*Betalningsansvar* räknas olika i scenarierna ({each}): "
    '`"staffed"` räknar bara dygn då avdelningen var bemannad, `"calendar"` alla dygn; deras betalningar '
    "går inte att jämföra.",
    "report.by_kommun": "Per kommun",
    "report.by_hospital": "Per sjukhus",
    "report.by_cells": "Varje cell: {ci}.",
    "report.by_cells_one": "En replikering: inget intervall.",
    "report.by_diff": "En rad ”… − {base}” är det scenariots parvisa skillnad mot {base} (replikering för "
    "replikering, samma slumptalsfrön).",
    "report.by_note_kommun": "Kommunen är patientens hemkommun. Utskrivningsklara vårddygn per 1 000 "
    "invånare 65+ är omräknade till ett år från de mätta dagarna, med kommunens invånare 65+ i scenariot "
    "(`kommun.*.population_65plus`).",
    "report.by_note_hospital": "Betalningsansvar för vårdtillfällen utskrivna från sjukhuset under perioden.",
    "report.by_gaps": "Glapp per typ, varje cell som ovan:",
    "report.hospital_payment_note": "Sjukhusens betalningsansvar summerar inte till totalen under "
    "Resultat: varje vårdtillfälle räknas med hela sin vårdtid, även dagar före mätperioden, och "
    "vårdtillfällen som inte avslutats räknas inte med.",
    "report.figures": "Figurer",
    "report.provenance": "Ursprung",
    "report.prov_line": "{name}: scenariots kontrollsumma {digest}, vardkedja {version}, "
    "replikeringarnas slumptalsfrön {seeds}",
    "col.kommun": "Kommun",
    "col.hospital": "Sjukhus",
    "col.scenario": "Scenario",
    "col.ready_bed_days": "Utskrivningsklara vårddygn",
    "col.ready_bed_days_per_1000_65plus": "Utskrivningsklara vårddygn per år och 1 000 invånare 65+",
    "col.indicator": "Officiell indikator (dagar)",
    "col.gaps": "Glapp",
    "col.payment_sek": "Betalningsansvar (kr)",
    "col.payment_ksek": "Betalningsansvar (tkr)",
    "eff.own_vc": "{value} (varje vårdcentrals egen nivå)",
    "eff.own_ward": "{value} (varje avdelnings egen nivå)",
    "eff.overridden": "{value} (gäller inte: rules.{rule} styr)",
    "eff.integrated_roster": "{value} (gäller: {in_force}, enligt {by}: ett gemensamt schema med "
    "kommunens biståndshandläggare, den högre bemanningen varje dag)",
    "eff.integrated_strength": "{value} (gäller inte: {by} styr, en organisation med full styrka: "
    "{in_force})",
    "eff.overridden_by": "{value} (gäller inte: {by} styr; gäller: {in_force})",
    "eff.never": "aldrig",
    "eff.until_named": "tills en utsetts",
    "eff.default_roster": "vardagar fullt, helger {weekend}",
    "eff.every": "alla {n} {kind}",
    "kind.kommun": "kommuner",
    "kind.vardcentral": "vårdcentraler",
    "kind.ward": "avdelningar",
    "kind.hospital": "sjukhus",
    "fig.ready_over_time": "Utskrivningsklara patienter på vårdplats per dag",
    "fig.ready_over_time.y": "utskrivningsklara patienter på vårdplats",
    "fig.ready_over_time.x_days": "körningens dag (scenarierna börjar olika datum)",
    "fig.warmup": "grått: insvängning",
    "fig.ready_days": "Dagar som utskrivningsklar per LUS-vårdtillfälle",
    "fig.ready_days.x": "dagar som utskrivningsklar före utskrivning",
    "fig.ready_days.y": "andel av LUS-vårdtillfällen",
    "fig.weekday_discharges": "Utskrivningar per veckodag (LUS-patienter och övriga)",
    "fig.weekday.y": "utskrivningar per replikering",
    "fig.weekday.lus": "LUS-patienter",
    "fig.weekday.other": "behöver inga insatser",
    "fig.weekdays": "mån,tis,ons,tor,fre,lör,sön",
    "fig.gaps_by_kind": "Glapp per typ",
    "fig.gaps_by_kind.y": "glapp per 100 utskrivningar",
    "fig.gap_network": "Var patienter faller mellan stolarna",
    "fig.gap_network.sub": "avdelningar | vårdcentraler (per kommun) | kommuner; linjens bredd = glapp "
    "per replikering, färg = relationens styrka vid slutet (grått: ingen relation); "
    "{shown} av {total} förbindelser med glapp",
    "fig.gap_network.none": "inga glapp",
    "fig.gap_network.vc_group": "vårdcentraler i {kommun}",
    "fig.gap_network.strength": "relationens styrka (vid slutet)",
    "fig.gap_network.width": "glapp per replikering",
    "fig.wards": "avdelningar",
    "fig.vardcentraler": "vårdcentraler",
    "fig.kommuner": "kommuner",
    "cal.title": "Kalibrering",
    "cal.generated": "Skapad av `vardkedja calibrate` {date} med vardkedja {version}: {replications} "
    "av varje scenario från slumptalsfrö {seed}, {days} dagar varav {warmup} dagars insvängning. "
    "{intervals}",
    "cal.replications_one": "en replikering",
    "cal.replications": "{n} replikeringar",
    "cal.intervals_one": "En replikering, inget intervall.",
    "cal.intervals": "Intervallen är 95 %-iga t-intervall över replikeringarna.",
    "cal.fitted": "Anpassad parameter",
    "cal.fitted.columns": "| parameter | värde | anpassad till |",
    "cal.fitted.row": "| `{param}` (nordost-2019): medelantal dagar efter meddelandet om utskrivningsklar "
    "tills kommunen har insatser på plats vid en överlämning av kvalitet 0 | {value} | utskrivningsklara "
    "patienters andel av belagda vårddygn = 5,8 % |",
    "cal.by_hand.row": "| `{param}` = {value} | satt för hand | {why} |",
    "cal.by_hand.weekend_staffing.ward_doctor": "chansen att en rond förklarar en patient utskrivningsklar "
    "en ledig dag; vald för hand i en tidigare version för att träffa andelen helgutskrivningar, så den "
    "kontrollen är inte oberoende",
    "cal.by_hand.relationships.support_start_days_strong": "medelantal dagar efter meddelandet om "
    "utskrivningsklar tills kommunen har insatser på plats vid en överlämning av kvalitet 1; ett antagande "
    "(samma eller nästa dag), valt med kalibreringen i sikte: det anpassade värdet ovan träffar 5,8 % bara "
    "tillsammans med det",
    "cal.rest": "Allt annat kommer från `scenarios/nordost.toml`, varje värde med sin källa eller märkt som "
    "antagande (de flesta storlekar är antaganden). `pandemic-spring-2020` ärver den anpassade basen och "
    "ändrar bara det som fokusgrupperna beskriver (seed 002), vart och ett med sitt citat; inget i det är "
    "anpassat och inget utfall (ledtid, planeringstid) är satt direkt, så varje pandemisiffra nedan är "
    "oberoende av anpassningen. En miss redovisas som en miss.",
    "cal.targets": "Mål",
    "cal.targets.columns": "| scenario | mål | publicerat | simulerat {what} | inom intervallet | källa |",
    "cal.what_one": "(en replikering, inget intervall)",
    "cal.what": "medelvärde [95 % KI]",
    "cal.yes": "ja",
    "cal.no": "NEJ",
    "cal.na": "inget värde",
    "cal.label.ready_bed_share": "Utskrivningsklara patienters andel av belagda vårddygn",
    "cal.label.mean_ready_days_indicator": "Medelantal dagar som utskrivningsklar (indikatorn)",
    "cal.label.same_day_discharge_share": "Utskrivna samma dag som de blev utskrivningsklara",
    "cal.label.sip_rate": "Genomförd SIP, bland patienter som behöver både kommun och vårdcentral",
    "cal.label.readmission_30d_rate": "Återinskrivna inom 30 dagar",
    "cal.label.weekend_discharge_share": "Utskrivningar lör–sön (och helgdagar)",
    "cal.target.nordost-2019.ready_bed_share": "5,8 %",
    "cal.target.nordost-2019.ready_bed_share.source": "SKR via seed 002: Stockholm, maj 2019 — ANPASSAD "
    "(ingen oberoende kontroll)",
    "cal.target.nordost-2019.mean_ready_days_indicator": "4,6 (godtaget: 3–6, vårt intervall)",
    "cal.target.nordost-2019.mean_ready_days_indicator.source": "SKR 2021: Sverige 2017 — oberoende kontroll",
    "cal.target.nordost-2019.same_day_discharge_share": "13 %",
    "cal.target.nordost-2019.same_day_discharge_share.source": "SKR 2021: Sverige 2017 — oberoende kontroll",
    "cal.target.nordost-2019.sip_rate": "omkring 67 %",
    "cal.target.nordost-2019.sip_rate.source": "Vårdanalys 2021 (personer med en individuell plan; en "
    "närliggande, inte exakt, motsvarighet) — oberoende kontroll",
    "cal.target.nordost-2019.readmission_30d_rate": "omkring 10 % (5–13 %)",
    "cal.target.nordost-2019.readmission_30d_rate.source": "Socialstyrelsen, DOMAIN.md — oberoende kontroll "
    "(grundrisken 8 % är en indata)",
    "cal.target.nordost-2019.weekend_discharge_share": "21–22 % (data från USA)",
    "cal.target.nordost-2019.weekend_discharge_share.source": "DOMAIN.md, stora data från USA — ingen "
    "oberoende kontroll (ward_doctor valdes för hand för att träffa den)",
    "cal.target.pandemic-spring-2020.ready_bed_share": "0,8 %",
    "cal.target.pandemic-spring-2020.ready_bed_share.source": "SKR via seed 002: Stockholm, april 2020 — "
    "oberoende kontroll (inget anpassat)",
    "cal.target.pandemic-spring-2020.mean_ready_days_indicator": "2,1",
    "cal.target.pandemic-spring-2020.mean_ready_days_indicator.source": "SKR 2021: Sverige 2020 — "
    "oberoende kontroll",
    "cal.target.pandemic-spring-2020.same_day_discharge_share": "67 %",
    "cal.target.pandemic-spring-2020.same_day_discharge_share.source": "SKR 2021: Sverige 2020 — "
    "oberoende kontroll",
    "cal.missed": "Missar",
    "cal.missed.item": "- {scenario}, {label}: modellen ger {value}, den publicerade siffran är "
    "{published} (godtaget intervall {low}–{high}{unit}).",
    "cal.why": "Varför missarna, så långt modellen kan säga:",
    "cal.why.same_day": "- *För många utskrivna samma dag (2019).* Modellen har ingen tid på dygnet: en "
    "patient vars planering är klar och vars insatser kan starta skrivs ut samma dag som meddelandet om "
    "utskrivningsklar, medan i verkligheten ett meddelande efter lunch, transporter och den mottagande "
    "enhetens dag skjuter många till nästa dag. Den anpassade andelen gör då modellens väntan för ofta "
    "till noll.",
    "cal.why.sip": "- *För få genomförda SIP (2019).* Vårdcentralernas egna kallelsenivåer (nordost.toml, "
    "antaganden) och relationens golv för kallelser håller SIP kring två av fem; de publicerade 67 % räknar "
    "personer med *en* individuell plan, något bredare än en SIP som hålls efter utskrivningen.",
    "cal.why.pandemic": "- *Pandemins andel.* Mekanismerna som seed 002 nämner (direktkontakt per telefon, "
    "gamla rutiner tillbaka, kluster, snabbare utskrivningar, färre patienter) sänker andelen från basen "
    "men inte till 0,8 %: med de antagna storlekarna håller helgstängda vårdsamordnare och vårdcentraler, "
    "planeringskapaciteten och vårdcentralernas tystnad fortfarande kvar patienter. Storlekarna är "
    "antaganden; de har inte justerats mot siffran.",
    "cal.dose": "Relationernas styrka: dos–respons",
    "cal.dose.text": "`relationships.initial_strength` varierad i nordost-2019 ({each}, samma "
    "slumptalsfrön): utskrivningsklara vårddygn och andelen av vårdplatserna, {what}. Figur: "
    "`docs/figures/relationship-dose-response.png`.",
    "cal.dose.each_one": "en replikering vardera",
    "cal.dose.each": "{n} parade replikeringar vardera",
    "cal.dose.what_one": "en replikering, inget intervall",
    "cal.dose.columns": "| relationernas styrka vid start | utskrivningsklara vårddygn | andel av "
    "vårdplatserna (%) | glapp per 100 utskrivningar |",
    "cal.gaps": "Glapp: baksidan av pandemins snabba utskrivningar",
    "cal.gaps.text": "Glapp per 100 utskrivningar: basen {base}, pandemin {pandemic}{tail}",
    "cal.gaps.tail_one": " (en replikering, inget intervall).",
    "cal.gaps.tail": ".",
    "cal.trace": "Anpassningens steg",
    "cal.trace.columns": "| {param} | medelandel (%) |",
    "cal.fig.title": "nordost-2019: relationer och utskrivningsklara vårddygn",
    "cal.fig.x": "relationernas styrka vid start (relationships.initial_strength)",
    "cal.fig.y": "utskrivningsklara vårddygn per år",
    "cal.fig.band": "95 % konfidensintervall för medelvärdet ({n} replikeringar)",
    "cal.fig.mean": "medelvärde",
    "cal.fig.one": "en replikering, inget intervall",
    "cal.term.bar": "kalibreringskörningar",
    "cal.term.bar_unit": "körning",
    "cal.term.fitted": "anpassat {param} = {value}",
    "cal.term.in_range": "inom intervallet",
    "cal.term.out_of_range": "UTANFÖR INTERVALLET",
    "cal.term.document": "kalibreringsdokument: {path}",
    "answer.method_one": "Förändringarna är parvisa: den enda replikeringen av varje alternativ jämförs med "
    "samma replikering av {base} (samma slumptalsfrö), och förändringen är den parvisa skillnaden i "
    "procent av värdet i {base}; en replikering ger inget intervall.",
    "ci.about_one": "inget: en replikering ger inget konfidensintervall (ci_low, ci_high, diff_low, "
    "diff_high, pct_low och pct_high är tomma)",
    "about.settings": "--set (alla scenarier)",
    "about.share_diff": "diff för en andel (%)",
    "about.share_diff_note": "Skillnaden i en andel (ett mått som visas i %) är i procentenheter: "
    "-2,55 % i diff, diff_low eller diff_high är 2,55 procentenheter under basen, inte 2,55 % av dess "
    "värde (den relativa förändringen är pct på bladet answers).",
    # the workbooks (comparison.xlsx, results.xlsx): sheet names, column headers and the about sheet's
    # row labels; in English the machine names of the CSV files, which stay English (docs/OUTPUTS.md)
    "xlsx.sheet.comparison": "Jämförelse",
    "xlsx.sheet.answers": "Svar",
    "xlsx.sheet.by_kommun": "Per kommun",
    "xlsx.sheet.by_hospital": "Per sjukhus",
    "xlsx.sheet.comparison_by_kommun": "Jämförelse per kommun",
    "xlsx.sheet.comparison_by_hospital": "Jämförelse per sjukhus",
    "xlsx.sheet.about": "Om resultaten",
    "xlsx.col.scenario": "Scenario",
    "xlsx.col.base": "Basscenario",
    "xlsx.col.metric": "Mått (nyckel)",
    "xlsx.col.label": "Mått",
    "xlsx.col.mean": "Medelvärde",
    "xlsx.col.ci_low": "KI nedre gräns",
    "xlsx.col.ci_high": "KI övre gräns",
    "xlsx.col.diff": "Skillnad mot basscenariot",
    "xlsx.col.diff_low": "Skillnad, KI nedre gräns",
    "xlsx.col.diff_high": "Skillnad, KI övre gräns",
    "xlsx.col.n": "Antal replikeringar",
    "xlsx.col.n_pairs": "Antal parvisa replikeringar",
    "xlsx.col.base_mean": "Medelvärde i basscenariot",
    "xlsx.col.pct": "Förändring",
    "xlsx.col.pct_low": "Förändring, KI nedre gräns",
    "xlsx.col.pct_low_shown": "Förändring, KI nedre gräns som den visas (högst −100 %)",
    "xlsx.col.pct_high": "Förändring, KI övre gräns",
    "xlsx.col.clear": "Tydlig förändring",
    "xlsx.col.sentence": "Svaret i ord",
    "xlsx.col.ready_bed_days_per_1000_65plus": "Utskrivningsklara vårddygn per år och 1 000 invånare 65+",
    "xlsx.col.gaps_total": "Glapp totalt",
    "xlsx.col.key": "Uppgift",
    "xlsx.col.value": "Värde",
    "xlsx.about.scenario": "Scenario",
    "xlsx.about.base": "Basscenario",
    "xlsx.about.seed": "Slumptalsfrö (bas)",
    "xlsx.about.replications": "Antal replikeringar",
    "xlsx.about.days": "Simulerade dagar",
    "xlsx.about.warmup_days": "Insvängning (dagar)",
    "xlsx.about.version": "vardkedja-version",
    "xlsx.about.interval": "Intervall",
    "xlsx.about.scenario_digest": "scenariots kontrollsumma",
    "xlsx.about.replication_seeds": "replikeringarnas slumptalsfrön",
    # the about sheet's prose (the interval, a share's difference), naming the workbook's own headers
    "xlsx.interval": "95 % konfidensintervall för medelvärdet över replikeringarna, Student t (parvis för "
    "skillnaderna)",
    "xlsx.interval_one": "inget: en replikering ger inget konfidensintervall (kolumnerna med KI-gränser är "
    "tomma)",
    "xlsx.share_diff": "Skillnad i en andel (%)",
    "xlsx.share_diff_note": "Skillnaden i en andel (ett mått som visas i %) är i procentenheter: -2,55 % i "
    "”{diff}”, ”{diff_low}” eller ”{diff_high}” är 2,55 procentenheter under basscenariot, inte 2,55 % av "
    "dess värde (den relativa förändringen står i ”{pct}” på bladet ”{answers}”).",
    "value.true": "ja",
    "value.false": "nej",
    # parameters by path, organisation names left out (kommun.Täby.assessor_roster is
    # kommun.assessor_roster): what the report's list of changes calls them
    "param.start_date": "Startdatum",
    "param.days": "Simulerade dagar",
    "param.warmup_days": "Insvängningsdagar",
    "param.seed": "Frö",
    "param.weekend_staffing.ward_doctor": "Helgrond: patienter som bedöms utskrivningsklara på helgdagar",
    "param.weekend_staffing.ward_coordinator": "Helgbemanning: vårdsamordnare",
    "param.weekend_staffing.vardcentral": "Helgbemanning: vårdcentraler",
    "param.weekend_staffing.assessor": "Helgbemanning: biståndshandläggare",
    "param.weekend_staffing.home_health_care": "Helgbemanning: hemsjukvård",
    "param.weekend_staffing.home_help_starts": "Helgbemanning: start av hemtjänst",
    "param.weekend_staffing.place_intake": "Helgbemanning: inflyttning till korttidsplats och särskilt "
    "boende",
    "param.rules.payment_threshold_days": "Dagar innan kommunens betalningsansvar börjar",
    "param.rules.payment_price_sek": "Pris per dygn med betalningsansvar (kr)",
    "param.rules.payment_days": "Dygn som debiteras efter gränsen (bemannade dygn eller alla kalenderdygn)",
    "param.rules.digital_meetings": "Digitala SIP-möten",
    "param.rules.misplacement_probability": "Sannolikhet för utlokalisering vid inskrivning",
    "param.rules.misplaced_notice_factor": "Inskrivningsmeddelandets tillförlitlighet på en främmande "
    "avdelning (faktor)",
    "param.rules.sip_call_rate": "Andel kallade SIP (alla vårdcentraler)",
    "param.rules.notice_reliability": "Skickade inskrivningsmeddelanden (alla avdelningar)",
    "param.rules.wait_for_care_contact_days": "Dagar avdelningen väntar på fast vårdkontakt",
    "param.rules.forced_discharge.max_wait_days": "Skrivs ut ändå efter (dagar som utskrivningsklar)",
    "param.rules.forced_discharge.bed_pressure_occupancy": "Skrivs ut ändå vid avdelningens beläggning",
    "param.rules.care_contact_retry_days": "Dagar innan vårdcentralen tittar igen på en obesvarad begäran",
    "param.rules.discharge_info_failure": "Sannolikhet att informationen vid utskrivning inte når fram",
    "param.capacity.assessor": "Kapacitetsfaktor: biståndshandläggare",
    "param.capacity.home_help_starts": "Kapacitetsfaktor: start av hemtjänst",
    "param.capacity.short_term_places": "Kapacitetsfaktor: korttidsplatser",
    "param.capacity.care_home_places": "Kapacitetsfaktor: platser i särskilt boende",
    "param.patients.admissions_per_1000_65plus": "Inskrivningar per år och 1 000 invånare 65+",
    "param.patients.weekday_weights": "Inskrivningar per veckodag (vikter)",
    "param.patients.holiday_weight": "Inskrivningar på helgdagar (vikt)",
    "param.patients.treatment_days": "Behandlingstid (dagar)",
    "param.patients.kommun_support": "Behov av kommunala insatser (vikter)",
    "param.patients.home_health_care_with_support": "Behöver hemsjukvård, med kommunala insatser",
    "param.patients.home_health_care_without_support": "Behöver hemsjukvård, utan kommunala insatser",
    "param.patients.readmission_30d": "Återinskrivning inom 30 dagar",
    "param.patients.readmission_gap_factor": "Risk för återinskrivning efter glapp (faktor)",
    "param.patients.readmission_delay_days": "Dagar till återinskrivning",
    "param.sip.held_probability_digital": "SIP hålls, digitalt möte",
    "param.sip.held_probability_physical": "SIP hålls, fysiskt möte",
    "param.sip.meeting_delay_days": "Dagar till SIP-mötet",
    "param.sip.follow_up_days": "Dagar till uppföljning av SIP",
    "param.durations.notice_delay_days": "Fördröjning av sent inskrivningsmeddelande (dagar)",
    "param.durations.planning_days": "Biståndshandläggarens planeringstid (dagar)",
    "param.durations.support_lead_days": "Dagar för att ordna start av insatser",
    "param.durations.short_term_stay_days": "Vistelse på korttidsplats (dagar)",
    "param.durations.care_home_stay_days": "Vistelse i särskilt boende (dagar)",
    "param.community.home_help_per_1000_65plus": "Hemtjänst som söks hemifrån, per år och 1 000 invånare 65+",
    "param.community.short_term_per_1000_65plus": "Korttidsvistelse som söks hemifrån, per år och 1 000 "
    "invånare 65+",
    "param.patient_voice.participation": "Patienten deltar i planeringen",
    "param.patient_voice.misjudged_without_voice": "Behov felbedöms utan patientens röst",
    "param.relationships.initial_strength": "Relationens styrka vid start (vanliga samarbetsparter)",
    "param.relationships.unfamiliar_strength": "Relationens styrka med okända samarbetsparter",
    "param.relationships.strengths": "Relationens styrka för namngivna par",
    "param.relationships.informal_recovery_per_day": "Missat meddelande fångas upp per telefon (per dag)",
    "param.relationships.act_speed_floor": "Meddelande åtgärdas samma dag, svagaste överlämning",
    "param.relationships.chase_probability": "Avdelningen påminner en tyst vårdcentral (per dag)",
    "param.relationships.planning_slowdown": "Planering fördröjd av svag relation (faktor)",
    "param.relationships.support_start_days_weak": "Dagar tills insatser är på plats, svagaste överlämning",
    "param.relationships.support_start_days_strong": "Dagar tills insatser är på plats, starkaste "
    "överlämning",
    "param.relationships.sip_call_floor": "SIP kallas över svagaste överlämning (faktor)",
    "param.relationships.routine_effect": "Vad en gemensam rutin väger upp",
    "param.relationships.routines_ward_kommun": "Gemensam rutin från start: avdelningar och kommuner",
    "param.relationships.routines_ward_vardcentral": "Gemensam rutin från start: avdelningar och "
    "vårdcentraler",
    "param.relationships.routines_kommun_vardcentral": "Gemensam rutin från start: kommuner och "
    "vårdcentraler",
    "param.relationships.routines": "Fler par med gemensam rutin",
    "param.relationships.growth": "Relationer växer med lyckade samarbeten",
    "param.relationships.turnover_loss": "Relation som går förlorad vid personalomsättning",
    "param.relationships.forums": "Mötesplatser",
    "param.relationships.enable_growth": "Relationer växer",
    "param.relationships.enable_turnover": "Personalomsättning försvagar relationer",
    "param.relationships.enable_forums": "Mötesplatser träffas",
    "param.kommun.population": "Invånare",
    "param.kommun.population_65plus": "Invånare 65+",
    "param.kommun.hospitals": "Andel inskrivningar per sjukhus",
    "param.kommun.assessor_capacity": "Biståndshandläggarnas ärenden per dag",
    "param.kommun.assessor_roster": "Biståndshandläggarnas schema per veckodag",
    "param.kommun.home_help_starts_per_day": "Starter av hemtjänst per dag",
    "param.kommun.home_help_roster": "Schema för start av hemtjänst per veckodag",
    "param.kommun.short_term_places": "Korttidsplatser",
    "param.kommun.care_home_places": "Platser i särskilt boende",
    "param.kommun.place_intakes_per_day": "Inflyttningar per dag",
    "param.kommun.place_intake_roster": "Schema för inflyttning per veckodag",
    "param.kommun.initial_place_occupancy": "Belagda platser vid start",
    "param.kommun.active_search_probability": "Kommunen frågar aktivt avdelningen (per dag)",
    "param.kommun.integrated_primary_care": "Kommunen driver primärvården (integrerad)",
    "param.kommun.staff_turnover_per_year": "Personalomsättning per år",
    "param.ward.hospital": "Sjukhus",
    "param.ward.beds": "Vårdplatser",
    "param.ward.serves": "Kommuner som avdelningen tar emot från",
    "param.ward.coordinator_capacity": "Vårdsamordnarens ärenden per dag",
    "param.ward.coordinator_roster": "Vårdsamordnarnas schema per veckodag",
    "param.ward.notice_reliability": "Skickade inskrivningsmeddelanden",
    "param.ward.notice_late_probability": "Sent inskrivningsmeddelande",
    "param.ward.initial_occupancy": "Belagda vårdplatser vid start",
    "param.ward.initial_ready_share": "Utskrivningsklara vid start",
    "param.ward.staff_turnover_per_year": "Personalomsättning per år",
    "param.vardcentral.kommun": "Kommun",
    "param.vardcentral.listed_share": "Andel av kommunens listade patienter",
    "param.vardcentral.tasks_per_day": "Ärenden per dag",
    "param.vardcentral.roster": "Schema per veckodag",
    "param.vardcentral.answer_reliability": "Besvarade förfrågningar om fast vårdkontakt",
    "param.vardcentral.sip_call_rate": "Andel kallade SIP",
    "param.vardcentral.home_health_starts_per_day": "Starter av hemsjukvård per dag",
    "param.vardcentral.staff_turnover_per_year": "Personalomsättning per år",
    "param.hospital.description": "Beskrivning",
    "param.kluster.kommun": "Kommun",
    "param.kluster.leader_drive": "Ledarens driv",
    "param.kluster.every_days": "Dagar mellan mötena",
    "param.kluster.start_day": "Första mötet (dag)",
    "param.kluster.boost": "Relationsvinst per möte",
    "param.kluster.routine_after_meetings": "Möten till gemensam rutin",
    "param.fou.forums": "Mötesplatser den driver",
    "param.fou.project_probability": "Sannolikhet för projekt",
    "param.fou.spread_probability": "Sannolikhet att ett projekt sprids",
    "param.region.agreements": "Regionala överenskommelser",
}

MESSAGES: dict[str, dict[str, str]] = {"en": _EN, "sv": _SV}


NBSP = "\xa0"
"""The no-break space: Swedish thousands separator (a number is never broken across lines)."""
MINUS = "\u2212"
"""The minus sign of Swedish text (``−``); English text keeps ASCII ``-``."""


def t(lang: str, key: str, **fields: Any) -> str:
    """The message ``key`` in ``lang``, with ``fields`` filled in."""
    text = MESSAGES[lang][key]
    return text.format(**fields) if fields else text


def number(x: float, decimals: int = 0, lang: str = "en", sign: bool = False) -> str:
    """``x`` rounded to ``decimals``, with thousands separators (``1,234.5`` / ``1 234,5``).

    Rounded half away from zero, as Excel shows the same value (``1.25`` is ``1.3`` in the report and
    in the workbook). A value that rounds to 0 is written ``0.0``, without a sign: a reader takes
    ``-0,0`` for a number that is not there (where a bound must not read 0, the answer sentences give
    it more decimals). ``sign`` writes a ``+`` before positive numbers. The minus is the language's own:
    ASCII ``-`` in English (as a spreadsheet or program reads it back), the minus sign ``−`` (U+2212)
    in Swedish, as Swedish typesetting writes it. In Swedish the thousands separator is a no-break
    space, so that a number never breaks across lines (in a table's cell). An ``int`` is written
    exactly, however large (a seed up to ``2**63 - 1``).
    """
    value = float(x)
    if not math.isfinite(value):
        text = f"{value:{'+' if sign else ''}}"
        return text.replace("-", MINUS) if lang == "sv" else text
    step = Decimal(1).scaleb(-decimals)
    # a whole number is taken as it is: through a float, 2**63 - 1 would be written ...808
    exact = Decimal(x) if isinstance(x, int) else Decimal(repr(value))
    magnitude = abs(exact).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{magnitude:,.{max(decimals, 0)}f}"
    if magnitude != 0:  # what rounds to 0 is 0: no "-0.0", no "+0.0"
        minus = MINUS if lang == "sv" else "-"
        text = (minus if value < 0 else "+" if sign else "") + text
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def bracket(low: str, high: str, lang: str = "en") -> str:
    """An interval as ``[low, high]``; in Swedish ``[low; high]`` (the comma is the decimal sign)."""
    return f"[{low}{'; ' if lang == 'sv' else ', '}{high}]"
