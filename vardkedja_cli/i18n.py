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

__all__ = ["LANGS", "MESSAGES", "bracket", "number", "t"]

LANGS = ("en", "sv")

_EN: dict[str, str] = {
    # metric labels (tables, headline; the unit in brackets is how the table shows it)
    "label.ready_bed_days": "Utskrivningsklara bed-days",
    "label.ready_bed_share": "Share of occupied beds held by utskrivningsklara patients (%)",
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
    "phrase.ready_bed_share": "the share of occupied beds held by utskrivningsklara patients",
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
    "unit.points": "points",
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
    "head.multi": "scenario {scenario}  {n} replications from seed {seed}  version {version}",
    "head.multi_note": "  mean [95 % confidence interval of the mean, {n} replications]",
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
    "head.sip": "SIP held among eligible",
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
    "report.by_kommun": "By kommun",
    "report.by_hospital": "By hospital",
    "report.by_note_kommun": "Means over {n} replications; the kommun is the patient's home kommun; "
    "gap events by kind.",
    "report.by_note_hospital": "Means over {n} replications; payment liability for the episodes "
    "discharged from the hospital in the window.",
    "report.figures": "Figures",
    "report.provenance": "Provenance",
    "report.prov_line": "{name}: scenario digest {digest}, vardkedja {version}, replication seeds {seeds}",
    # breakdown columns
    "col.kommun": "Kommun",
    "col.hospital": "Hospital",
    "col.scenario": "Scenario",
    "col.ready_bed_days": "Utskrivningsklara bed-days",
    "col.indicator": "Official indicator (days)",
    "col.gaps": "Gap events",
    "col.payment_sek": "Payment liability (SEK)",
    # effective values
    "eff.own_vc": "{value} (each vårdcentral's own)",
    "eff.own_ward": "{value} (each ward's own)",
    "eff.overridden": "{value} (not in force: rules.{rule} overrides it)",
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
    # one replication: no mean over replications and no interval to name
    "answer.method_one": "Changes are paired: the one replication of each variant is compared with the "
    "same replication of {base} (same seed), and the change is that paired difference as a percentage of "
    "{base}'s value; one replication gives no interval.",
    "report.by_note_kommun_one": "Values from one replication; the kommun is the patient's home kommun; "
    "gap events by kind.",
    "report.by_note_hospital_one": "Values from one replication; payment liability for the episodes "
    "discharged from the hospital in the window.",
    "ci.about_one": "none: one replication gives no confidence interval (ci_low, ci_high, diff_low, "
    "diff_high, pct_low and pct_high are empty)",
    # the workbook's about sheet: row labels that are prose (field names such as seed stay as they are)
    "about.settings": "--set (every scenario)",
    "about.share_diff": "diff of a share (%)",
    "about.share_diff_note": "The difference of a share (a metric shown in %) is in percentage points: "
    "-2.55% in diff, diff_low or diff_high is 2.55 percentage points below the base, not 2.55 % of its "
    "value (the relative change is pct on the answers sheet).",
}

_SV: dict[str, str] = {
    "label.ready_bed_days": "Utskrivningsklara vårddygn",
    "label.ready_bed_share": "Andel av belagda vårdplatser med utskrivningsklara patienter (%)",
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
    "label.turned_away": "Avvisade (ingen vårdplats)",
    "label.gap_events_total": "Glapp",
    "phrase.ready_bed_days": "utskrivningsklara vårddygn",
    "phrase.ready_bed_share": "andelen av belagda vårdplatser med utskrivningsklara patienter",
    "phrase.mean_ready_days_indicator": "den officiella indikatorn (medelantal dagar som utskrivningsklar)",
    "phrase.gaps_per_100_discharges": "glapp per 100 utskrivningar",
    "phrase.payment_sek": "kommunernas betalningsansvar",
    "gap.unnotified_discharge": "utskriven utan inskrivningsmeddelande",
    "gap.no_care_contact": "ingen fast vårdkontakt utsedd",
    "gap.support_not_in_place": "insatser inte på plats vid utskrivning",
    "gap.sip_not_called": "ingen kallelse till SIP",
    "gap.uninformed_at_discharge": "inte informerad vid utskrivning",
    "gap.needs_misjudged": "behov felbedömda utan patientens röst",
    "gap.sip_not_held": "SIP inte hållen",
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
    "answer.method": "Förändringarna är parvisa: varje replikering av ett alternativ jämförs med samma "
    "replikering av {base} (samma frö), och förändringen är medelvärdet av de parvisa skillnaderna med "
    "dess 95-procentiga konfidensintervall för medelvärdet (Student t), i procent av medelvärdet i {base}.",
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
    "head.single": "scenario {scenario}  frö {seed}  version {version}",
    "head.multi": "scenario {scenario}  {n} replikeringar från frö {seed}  version {version}",
    "head.multi_note": "  medelvärde [95 % konfidensintervall för medelvärdet, {n} replikeringar]",
    "head.admissions": "inskrivningar",
    "head.discharges": "utskrivningar",
    "head.turned_away": "avvisade (ingen vårdplats)",
    "head.ready_bed_days": "utskrivningsklara vårddygn",
    "head.ready_bed_share": "av belagda vårddygn",
    "head.ready_bed_share_label": "andel av belagda vårddygn",
    "head.mean_ready_days": "medelantal dagar som utskrivningsklar",
    "head.indicator": "officiell indikator, vårdtillfällen med minst 1 dag",
    "head.same_day": "utskrivna samma dag som de blev utskrivningsklara",
    "head.weekend": "utskrivningar på helger",
    "head.gap_events": "glapp",
    "head.gaps_per_100": "glapp per 100 utskrivningar",
    "head.per_100": "per 100 utskrivningar",
    "head.most": "flest: {kind}",
    "head.most_label": "vanligaste glapp",
    "head.sip": "hållen SIP bland berörda",
    "head.readmitted": "återinskrivning inom 30 dagar",
    "head.payment": "kommunernas betalningsansvar",
    "report.title": "Jämförelse: {names}",
    "report.versus": "mot",
    "report.answer": "Svaret",
    "report.setup": "Varje scenario simulerades {n} gånger ({days} dagar från {start}, de första {warmup} "
    "dagarna räknas inte (insvängning)) med samma frön för alla scenarier (basfrö {seed}), så "
    "skillnaderna är parvisa. Värdena är medelvärden över replikeringarna med 95 % konfidensintervall för "
    "medelvärdet (Student t, {n} replikeringar): det säger hur precist replikeringarna bestämmer "
    "medelvärdet, inte hur fel modellens antaganden kan vara.",
    "report.setup_one": "Varje scenario simulerades en gång ({days} dagar från {start}, de första "
    "{warmup} dagarna räknas inte (insvängning)) med samma frö (basfrö {seed}): en replikering, inget "
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
    "fast vårdkontakt, innan insatserna var på plats, utan att SIP kallades eller hölls, eller "
    "återinskrivna inom 30 dagar efter ett sådant glapp.",
    "report.by_kommun": "Per kommun",
    "report.by_hospital": "Per sjukhus",
    "report.by_note_kommun": "Medelvärden över {n} replikeringar; kommunen är patientens hemkommun; "
    "glapp per typ.",
    "report.by_note_hospital": "Medelvärden över {n} replikeringar; betalningsansvar för "
    "vårdtillfällen utskrivna från sjukhuset under perioden.",
    "report.figures": "Figurer",
    "report.provenance": "Ursprung",
    "report.prov_line": "{name}: scenariots kontrollsumma {digest}, vardkedja {version}, "
    "replikeringarnas frön {seeds}",
    "col.kommun": "Kommun",
    "col.hospital": "Sjukhus",
    "col.scenario": "Scenario",
    "col.ready_bed_days": "Utskrivningsklara vårddygn",
    "col.indicator": "Officiell indikator (dagar)",
    "col.gaps": "Glapp",
    "col.payment_sek": "Betalningsansvar (kr)",
    "eff.own_vc": "{value} (varje vårdcentrals eget)",
    "eff.own_ward": "{value} (varje avdelnings eget)",
    "eff.overridden": "{value} (gäller inte: rules.{rule} styr)",
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
    "{shown} av {total} kanter med glapp",
    "fig.gap_network.none": "inga glapp",
    "fig.gap_network.vc_group": "vårdcentraler i {kommun}",
    "fig.gap_network.strength": "relationens styrka (vid slutet)",
    "fig.gap_network.width": "glapp per replikering",
    "fig.wards": "avdelningar",
    "fig.vardcentraler": "vårdcentraler",
    "fig.kommuner": "kommuner",
    "answer.method_one": "Förändringarna är parvisa: den enda replikeringen av varje alternativ jämförs med "
    "samma replikering av {base} (samma frö), och förändringen är den parvisa skillnaden i procent av "
    "värdet i {base}; en replikering ger inget intervall.",
    "report.by_note_kommun_one": "Värden från en replikering; kommunen är patientens hemkommun; glapp per "
    "typ.",
    "report.by_note_hospital_one": "Värden från en replikering; betalningsansvar för vårdtillfällen "
    "utskrivna från sjukhuset under perioden.",
    "ci.about_one": "inget: en replikering ger inget konfidensintervall (ci_low, ci_high, diff_low, "
    "diff_high, pct_low och pct_high är tomma)",
    "about.settings": "--set (alla scenarier)",
    "about.share_diff": "diff för en andel (%)",
    "about.share_diff_note": "Skillnaden i en andel (ett mått som visas i %) är i procentenheter: "
    "-2,55 % i diff, diff_low eller diff_high är 2,55 procentenheter under basen, inte 2,55 % av dess "
    "värde (den relativa förändringen är pct på bladet answers).",
}

MESSAGES: dict[str, dict[str, str]] = {"en": _EN, "sv": _SV}


NBSP = "\xa0"
"""The no-break space: Swedish thousands separator (a number is never broken across lines)."""
_ZERO = 1e-12


def t(lang: str, key: str, **fields: Any) -> str:
    """The message ``key`` in ``lang``, with ``fields`` filled in."""
    text = MESSAGES[lang][key]
    return text.format(**fields) if fields else text


def number(x: float, decimals: int = 0, lang: str = "en", sign: bool = False) -> str:
    """``x`` rounded to ``decimals``, with thousands separators (``1,234.5`` / ``1 234,5``).

    Rounded half away from zero, as Excel shows the same value (``1.25`` is ``1.3`` in the report and
    in the workbook). A value that rounds to 0 keeps its sign: a small cut is ``-0.0``, never ``+0.0``
    or ``0.0``, so an interval wholly below 0 never looks as if it touched it; an exact 0 has no sign.
    ``sign`` writes a ``+`` before positive numbers. Minus is ASCII ``-``. In Swedish the thousands
    separator is a no-break space, so that a number never breaks across lines (in a table's cell).
    An ``int`` is written exactly, however large (a seed up to ``2**63 - 1``).
    """
    value = float(x)
    if not math.isfinite(value):
        return f"{value:{'+' if sign else ''}}"
    step = Decimal(1).scaleb(-decimals)
    # a whole number is taken as it is: through a float, 2**63 - 1 would be written ...808
    exact = Decimal(x) if isinstance(x, int) else Decimal(repr(value))
    magnitude = abs(exact).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{magnitude:,.{max(decimals, 0)}f}"
    if abs(value) >= _ZERO:  # below it, the rest of a sum that should have been 0
        text = ("-" if value < 0 else "+" if sign else "") + text
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def bracket(low: str, high: str, lang: str = "en") -> str:
    """An interval as ``[low, high]``; in Swedish ``[low; high]`` (the comma is the decimal sign)."""
    return f"[{low}{'; ' if lang == 'sv' else ', '}{high}]"
