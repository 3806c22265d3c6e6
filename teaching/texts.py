"""Every word the teaching app and notebooks show, in English and Swedish.

Both languages keep the Swedish terms students will meet at work: utskrivningsklar,
inskrivningsmeddelande, SIP, fast vårdkontakt, betalningsansvar. Gap kinds and organisation kinds come
from the reports' catalogue (:mod:`vardkedja_cli.i18n`), so a gap has one name everywhere. Both
languages must have the same keys (tested).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardkedja_cli.i18n import MESSAGES as REPORT_MESSAGES
from vardkedja_cli.i18n import number

__all__ = [
    "LANGS",
    "MESSAGES",
    "count",
    "forums_here",
    "lesson_over",
    "lesson_text",
    "number",
    "sip_call_hint",
    "t",
]

LANGS = ("sv", "en")
"""Swedish first: the app opens in Swedish unless told otherwise."""

_EN: dict[str, str] = {
    "app.title": "vardkedja: where patients fall between the chairs",
    "app.language": "Språk / Language",
    "app.lesson": "Lesson",
    "app.free": "Free exploration",
    "app.scenario": "Scenario: {name}",
    "app.seed": "Seed",
    "app.apply_seed": "Restart with this seed",
    "app.page_step": "Next day ▸",
    "app.seed_invalid": "a whole number from 0 to {max}",
    "app.restart": "Restart the lesson",
    "app.controls": "Rules and resources",
    "app.controls_note": "A change restarts the same patients from day 0 up to today (same seed).",
    "app.day": "Day {day}: {weekday} {date}",
    "app.not_started": "Not started: Step simulates day {day}, {weekday} {date}",
    "app.lesson_starts": "The lesson starts: Step simulates day {day}, {weekday} {date}",
    "app.off_day": "weekend or holiday",
    "app.time_note": "Mesa's Information card counts the days simulated: Time {time} = days 0–{day}.",
    "app.time_note_none": "Mesa's Information card counts the days simulated: Time 0, none yet.",
    "app.stat.ready": "utskrivningsklara in beds",
    "app.stat.ready_one": "utskrivningsklar in a bed",
    "app.stat.gaps": "gap events so far",
    "app.stat.gaps_one": "gap event so far",
    "app.stat.payment": "betalningsansvar so far",
    "app.stat.payment_value": "{n} days, {sek} SEK",
    "app.stat.payment_value_one": "1 day, {sek} SEK",
    "app.question": "Question for the class",
    "app.lesson_over": "End of the lesson: day {day}, {weekday} {date}. Now answer the question: {question}",
    "app.lesson_over_on": "Play stops here. To explore further, step on past the end day by day with "
    "“{step}”; Reset starts the lesson again.",
    "app.error": "These values cannot be simulated: {message}",
    "weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    # the chain picture
    "net.title": "The care chain: organisations, relationships and gaps",
    "net.col.ward": "Hospital wards",
    "net.col.vc": "Vårdcentraler",
    "net.col.kommun": "Kommuner",
    "net.edge_tip": "{a} – {b}: relationship strength {s}, {gaps}",
    "net.edge_tip_none": "{a} – {b}: no established relationship, {gaps}",
    "net.gaps": "{n} gap events",
    "net.gaps_one": "1 gap event",
    "net.node_tip": "{name}: {n} utskrivningsklara patients waiting",
    "net.node_tip_one": "{name}: 1 utskrivningsklar patient waiting",
    "net.legend.width": "link width = relationship strength",
    "net.legend.gaps": "red = gaps across this link (badge: count)",
    "net.legend.waiting": "utskrivningsklara waiting",
    "net.legend.none": "dashed = gaps where there is no relationship",
    "net.legend.kluster": "Kluster: a kommun's vårdcentraler meeting under a klusterledare; those who "
    "attend grow closer to the kommun and to each other",
    "net.legend.fou": "FoU: an R&D unit linking the meeting forums; a project spun off a forum gives its "
    "members a shared routine",
    "net.legend.region": "Region: makes agreements that wards, vårdcentraler and kommuner take up "
    "as routines",
    # live plots
    "plot.ready": "Utskrivningsklara patients in beds",
    "plot.ready.y": "patients",
    "plot.gaps": "Gap events by kind, so far",
    "plot.gaps.x": "gap events",
    "plot.weekday": "Discharges by weekday, so far",
    "plot.weekday.y": "discharges",
    "plot.day": "day",
    # one patient's journey
    "journey.title": "One patient through the eight LUS steps",
    "journey.none": "Waiting for the next admission who needs all eight steps (kommun, vårdcentral and SIP)…",
    "journey.who": "Patient {pid} from {kommun}, listed at {vc}, admitted on day {day} to {ward}.",
    "journey.waited": "Utskrivningsklar for {n} days in hospital so far.",
    "journey.waited_one": "Utskrivningsklar for 1 day in hospital so far.",
    "journey.waited_final": "Waited utskrivningsklar in hospital for {n} days.",
    "journey.waited_final_one": "Waited utskrivningsklar in hospital for 1 day.",
    "journey.wait_tip": "utskrivningsklar, still in a hospital bed: the wait",
    "journey.fig.stay": "in hospital",
    "journey.fig.wait": "utskrivningsklar, still in hospital ({n} days)",
    "journey.fig.wait_one": "utskrivningsklar, still in hospital (1 day)",
    "journey.fig.ready": "doctor: utskrivningsklar",
    "journey.step.1": "Inskrivningsmeddelande sent",
    "journey.step.2": "Fast vårdkontakt named",
    "journey.step.3": "Discharge planned",
    "journey.step.4": "SIP called",
    "journey.step.5": "Utskrivningsklar: notice sent",
    "journey.step.6": "Information at discharge",
    "journey.step.7": "SIP meeting held",
    "journey.step.8": "SIP followed up",
    "journey.missed_tip": "Step {n} missed ({step})",
    "journey.legend.done": "step done (the number: which step)",
    "journey.legend.gap": "done, but a gap opened at it",
    "journey.legend.missed": "missed: not done when it was due",
    "journey.legend.wait": "utskrivningsklar, still in a bed",
    "journey.status.done": "day {day}",
    "journey.status.waiting": "not yet",
    "journey.status.missed": "missed",
    "journey.status.not_needed": "not needed",
    "journey.by": "by {actor}",
    # controls (generated from the scenario schema; these are only their labels)
    "ctl.weekend_staffing.ward_doctor": "Weekend: doctor declares utskrivningsklar (chance)",
    "ctl.weekend_staffing.ward_coordinator": "Weekend staffing: ward vårdsamordnare",
    "ctl.weekend_staffing.vardcentral": "Weekend staffing: vårdcentral",
    "ctl.weekend_staffing.assessor": "Weekend staffing: kommun assessors (biståndshandläggare)",
    "ctl.weekend_staffing.home_health_care": "Weekend staffing: home health care",
    "ctl.weekend_staffing.home_help_starts": "Weekend staffing: hemtjänst starts",
    "ctl.weekend_staffing.place_intake": "Weekend staffing: intake to short-term and care homes",
    "ctl.rules.sip_call_rate": "Agreed share of needed SIPs the vårdcentral calls",
    "ctl.sip.hint": "The agreed share is the most a vårdcentral calls. It calls that share only where its "
    "relationship with the kommun works well: the share is multiplied by {floor} + {rest} × the "
    "relationship's quality (0 to 1; a shared routine raises it). And it calls no SIP for a patient who "
    "has no fast vårdkontakt yet.",
    "ctl.sip.hint_contact": "The agreed share is the most a vårdcentral calls: it calls no SIP for a "
    "patient who has no fast vårdkontakt yet.",
    "ctl.relationships.initial_strength": "Relationship strength between usual partners",
    "ctl.staff_turnover_per_year": "Staff turnover: new faces per organisation and year",
    "ctl.relationships.enable_forums": "Meeting forums (mötesplatser) meet",
    "ctl.forums.none": "This scenario has no forum: the switch changes nothing here.",
    "ctl.forums.here": "Here: {forums}. A meeting strengthens the ties among its members a little, so "
    "switching the forums off shows only after months, and only in the chains between those members.",
    "ctl.forums.fou": " The R&D unit (FoU) turns forum meetings into shared routines; without forums it "
    "does nothing.",
    "ctl.forums.one": "{members}, every {days} days",
    "ctl.forums.daily": "{members}, every day",
    "ctl.forums.count": "{n} forums: {forums}",
    "ctl.forums.single": "one forum: {forums}",
    "ctl.and": "and",
    "ctl.integrated_primary_care": "Every kommun integrated with primary care (as Norrtälje)",
    "ctl.capacity.home_help_starts": "Hemtjänst capacity (× today's starts per day)",
    # lessons
    "lesson.ordinary_week.title": "1. An ordinary week",
    "lesson.ordinary_week.text": "A week in March 2019 in Stockholm's northeast. Purple bubbles are "
    "utskrivningsklara patients still in a hospital bed; a link flashes red when a patient falls "
    "through the gap between two organisations.",
    "lesson.ordinary_week.question": "Between which kinds of organisation do most gaps open, and "
    "what would each side need to know to close them?",
    "lesson.weekend.title": "2. The weekend",
    "lesson.weekend.text": "Friday to Monday. In the model's 2019 baseline nobody plans discharges at "
    "weekends: ward vårdsamordnare, vårdcentraler and kommun assessors work weekdays, hemtjänst starts "
    "half as many clients. (In spring 2020 the assessors were ordered to work weekends; the "
    "vårdsamordnare and vårdcentraler were not.) Watch the discharges by weekday and the bubbles on "
    "Saturday and Sunday.",
    "lesson.weekend.question": "A patient becomes utskrivningsklar on Saturday morning. Who would "
    "have to work for them to go home that day? Try the weekend sliders.",
    "lesson.new_ward.title": "3. A new ward with no relationships",
    "lesson.new_ward.text": "Medicin 1 opened on 1 January with staff who knew nobody at the kommuner "
    "and vårdcentraler (relationship strength 0). Two months on its relationships are still the "
    "weakest in the picture, the other wards' about ten times as strong. The patient followed lies "
    "there. With known partners people pick up the phone; here hardly anybody does.",
    "lesson.new_ward.question": "What catches a missed inskrivningsmeddelande when nobody knows "
    "anyone? What would a routine (a fixed way of working) do here?",
    "lesson.sip_campaign.title": "4. A SIP campaign",
    "lesson.sip_campaign.text": "The vårdcentraler have agreed to call a SIP for {rate} of the patients "
    "who need one. An agreement is not all a call needs: a vårdcentral calls the agreed share only where "
    "its relationship with the kommun is strong (with no relationship, {floor} of it), and it calls no "
    "SIP for a patient who has no fast vårdkontakt yet. So 'SIP not called' gaps fall, about by half, "
    "and stay among the largest. In Stockholm the SIP meeting is held after discharge, outside hospital.",
    "lesson.sip_campaign.question": "The agreement did not close the 'SIP not called' gap. What else "
    "would the vårdcentraler need: which relationships, which fast vårdkontakter? And do utskrivningsklara "
    "bed-days fall? Why, or why not?",
    "lesson.spring_2020.title": "5. Spring 2020",
    "lesson.spring_2020.text": "The first wave of the pandemic: fewer patients, hurried discharges, "
    "assessors ordered to work weekends, direct phone contact between wards and kommuner, old routines "
    "back, no video for SIP. From day {kluster_day} ({kluster_date}) a klusterledare calls each kommun's "
    "vårdcentraler to a kluster meeting once every {kluster_every} days: after a week without them, the "
    "class sees the kluster form. Nothing sets the outcome; watch what the mechanisms give.",
    "lesson.spring_2020.question": "The waits shrank in spring 2020. Which of the changes did that, "
    "and what happened to the gaps and the SIPs at the same time?",
}

_SV: dict[str, str] = {
    "app.title": "vardkedja: där patienter faller mellan stolarna",
    "app.language": "Språk / Language",
    "app.lesson": "Lektion",
    "app.free": "Fri utforskning",
    "app.scenario": "Scenario: {name}",
    "app.seed": "Slumptalsfrö",
    "app.apply_seed": "Starta om med detta",
    "app.page_step": "Nästa dag ▸",
    "app.seed_invalid": "ett heltal från 0 till {max}",
    "app.restart": "Starta om lektionen",
    "app.controls": "Regler och resurser",
    "app.controls_note": "En ändring kör samma patienter från dag 0 fram till i dag (samma slumptalsfrö).",
    "app.day": "Dag {day}: {weekday} {date}",
    "app.not_started": "Inte startad: Step simulerar dag {day}, {weekday} {date}",
    "app.lesson_starts": "Lektionen börjar: Step simulerar dag {day}, {weekday} {date}",
    "app.off_day": "helg eller helgdag",
    "app.time_note": "Mesas ruta Information räknar simulerade dagar: Time {time} = dag 0–{day}.",
    "app.time_note_none": "Mesas ruta Information räknar simulerade dagar: Time 0, ingen än.",
    "app.stat.ready": "utskrivningsklara på vårdplats",
    "app.stat.ready_one": "utskrivningsklar på vårdplats",
    "app.stat.gaps": "glapp hittills",
    "app.stat.gaps_one": "glapp hittills",
    "app.stat.payment": "betalningsansvar hittills",
    "app.stat.payment_value": "{n} dygn, {sek} kr",
    "app.stat.payment_value_one": "1 dygn, {sek} kr",
    "app.question": "Fråga till klassen",
    "app.lesson_over": "Lektionen är slut: dag {day}, {weekday} {date}. Svara nu på frågan: {question}",
    "app.lesson_over_on": "Uppspelningen stannar här. Vill ni utforska vidare kan ni stega förbi slutet en "
    "dag i taget med ”{step}”; Reset startar om lektionen.",
    "app.error": "De här värdena går inte att simulera: {message}",
    "weekdays": "mån,tis,ons,tor,fre,lör,sön",
    "net.title": "Vårdkedjan: organisationer, relationer och glapp",
    "net.col.ward": "Sjukhusens avdelningar",
    "net.col.vc": "Vårdcentraler",
    "net.col.kommun": "Kommuner",
    "net.edge_tip": "{a} – {b}: relationens styrka {s}, {gaps}",
    "net.edge_tip_none": "{a} – {b}: ingen upparbetad relation, {gaps}",
    "net.gaps": "{n} glapp",
    "net.gaps_one": "1 glapp",
    "net.node_tip": "{name}: {n} utskrivningsklara patienter väntar",
    "net.node_tip_one": "{name}: 1 utskrivningsklar patient väntar",
    "net.legend.width": "förbindelsens bredd = relationens styrka",
    "net.legend.gaps": "rött = glapp längs förbindelsen (bricka: antal)",
    "net.legend.waiting": "utskrivningsklara som väntar",
    "net.legend.none": "streckat = glapp där det inte finns någon relation",
    "net.legend.kluster": "Kluster: en kommuns vårdcentraler som möts under en klusterledare; de som "
    "deltar kommer närmare kommunen och varandra",
    "net.legend.fou": "FoU: en FoU-enhet som länkar samman mötesplatserna; ett projekt som knoppas av "
    "ger deltagarna en gemensam rutin",
    "net.legend.region": "Region: sluter överenskommelser som avdelningar, vårdcentraler och kommuner "
    "tar upp som rutiner",
    "plot.ready": "Utskrivningsklara patienter på vårdplats",
    "plot.ready.y": "patienter",
    "plot.gaps": "Glapp per typ, hittills",
    "plot.gaps.x": "glapp",
    "plot.weekday": "Utskrivningar per veckodag, hittills",
    "plot.weekday.y": "utskrivningar",
    "plot.day": "dag",
    "journey.title": "En patient genom de åtta LUS-stegen",
    "journey.none": "Väntar på nästa inskrivning som behöver alla åtta stegen (kommun, vårdcentral och SIP)…",
    "journey.who": "Patient {pid} från {kommun}, listad på {vc}, inskriven dag {day} på {ward}.",
    "journey.waited": "Utskrivningsklar på sjukhus i {n} dygn hittills.",
    "journey.waited_one": "Utskrivningsklar på sjukhus i 1 dygn hittills.",
    "journey.waited_final": "Väntade utskrivningsklar på sjukhus i {n} dygn.",
    "journey.waited_final_one": "Väntade utskrivningsklar på sjukhus i 1 dygn.",
    "journey.wait_tip": "utskrivningsklar men kvar på en vårdplats: väntan",
    "journey.fig.stay": "på sjukhus",
    "journey.fig.wait": "utskrivningsklar, kvar på sjukhus ({n} dygn)",
    "journey.fig.wait_one": "utskrivningsklar, kvar på sjukhus (1 dygn)",
    "journey.fig.ready": "läkaren: utskrivningsklar",
    "journey.step.1": "Inskrivningsmeddelande skickat",
    "journey.step.2": "Fast vårdkontakt utsedd",
    "journey.step.3": "Planering inför utskrivning",
    "journey.step.4": "Kallelse till SIP",
    "journey.step.5": "Utskrivningsklar: meddelande skickat",
    "journey.step.6": "Information vid utskrivning",
    "journey.step.7": "SIP-möte hållet",
    "journey.step.8": "SIP uppföljd",
    "journey.missed_tip": "Steg {n} missat ({step})",
    "journey.legend.done": "steget gjort (siffran: vilket steg)",
    "journey.legend.gap": "gjort, men ett glapp uppstod",
    "journey.legend.missed": "missat: inte gjort när det skulle",
    "journey.legend.wait": "utskrivningsklar, kvar på vårdplats",
    "journey.status.done": "dag {day}",
    "journey.status.waiting": "inte än",
    "journey.status.missed": "missat",
    "journey.status.not_needed": "behövs inte",
    "journey.by": "av {actor}",
    "ctl.weekend_staffing.ward_doctor": "Helg: läkaren bedömer utskrivningsklar (chans)",
    "ctl.weekend_staffing.ward_coordinator": "Helgbemanning: avdelningens vårdsamordnare",
    "ctl.weekend_staffing.vardcentral": "Helgbemanning: vårdcentral",
    "ctl.weekend_staffing.assessor": "Helgbemanning: biståndshandläggare",
    "ctl.weekend_staffing.home_health_care": "Helgbemanning: hemsjukvård",
    "ctl.weekend_staffing.home_help_starts": "Helgbemanning: start av hemtjänst",
    "ctl.weekend_staffing.place_intake": "Helgbemanning: intag till korttidsboende och SÄBO",
    "ctl.rules.sip_call_rate": "Överenskommen andel av behövda SIP som vårdcentralen kallar till",
    "ctl.sip.hint": "Den överenskomna andelen är det mesta en vårdcentral kallar till. Hela andelen kallar "
    "den bara där relationen till kommunen fungerar väl: andelen multipliceras med {floor} + {rest} × "
    "relationens kvalitet (0 till 1; en gemensam rutin höjer den). Och den kallar inte till SIP för en "
    "patient som ännu inte har någon fast vårdkontakt.",
    "ctl.sip.hint_contact": "Den överenskomna andelen är det mesta en vårdcentral kallar till: den kallar "
    "inte till SIP för en patient som ännu inte har någon fast vårdkontakt.",
    "ctl.relationships.initial_strength": "Relationernas styrka mellan vana samarbetspartner",
    "ctl.staff_turnover_per_year": "Personalomsättning: nya ansikten per organisation och år",
    "ctl.relationships.enable_forums": "Mötesplatser (forum) träffas",
    "ctl.forums.none": "Scenariot har inget forum: brytaren ändrar ingenting här.",
    "ctl.forums.here": "Här: {forums}. Ett möte stärker relationerna mellan deltagarna lite, så att "
    "stänga av forumen märks först efter månader, och bara i kedjorna mellan deltagarna.",
    "ctl.forums.fou": " FoU-enheten gör forumens möten till gemensamma rutiner; utan forum gör den "
    "ingenting.",
    "ctl.forums.one": "{members}, en gång per {days} dagar",
    "ctl.forums.daily": "{members}, varje dag",
    "ctl.forums.count": "{n} forum: {forums}",
    "ctl.forums.single": "ett forum: {forums}",
    "ctl.and": "och",
    "ctl.integrated_primary_care": "Varje kommun samlad med primärvården (som Norrtälje)",
    "ctl.capacity.home_help_starts": "Hemtjänstens kapacitet (× dagens starter per dag)",
    "lesson.ordinary_week.title": "1. En vanlig vecka",
    "lesson.ordinary_week.text": "En vecka i mars 2019 i Stockholms nordost. Lila bubblor är "
    "utskrivningsklara patienter som ligger kvar på en vårdplats; en förbindelse blinkar rött när en patient "
    "faller i glappet mellan två organisationer.",
    "lesson.ordinary_week.question": "Mellan vilka slags organisationer uppstår flest glapp, och vad "
    "skulle var sida behöva veta för att stänga dem?",
    "lesson.weekend.title": "2. Helgen",
    "lesson.weekend.text": "Fredag till måndag. I modellens utgångsläge 2019 planerar ingen "
    "utskrivningar på helgen: avdelningarnas vårdsamordnare, vårdcentralerna och "
    "biståndshandläggarna arbetar vardagar, hemtjänsten tar emot hälften så många nya brukare. (Våren "
    "2020 beordrades biståndshandläggarna att arbeta helger; vårdsamordnarna och vårdcentralerna "
    "gjorde det inte.) Titta på utskrivningarna per veckodag och bubblorna på lördag och söndag.",
    "lesson.weekend.question": "En patient blir utskrivningsklar på lördagsmorgonen. Vilka skulle "
    "behöva arbeta för att hen ska komma hem samma dag? Pröva reglagen för helgbemanning.",
    "lesson.new_ward.title": "3. En ny avdelning utan relationer",
    "lesson.new_ward.text": "Medicin 1 öppnade den 1 januari med personal som inte kände någon på "
    "kommunerna och vårdcentralerna (relationens styrka 0). Två månader senare är dess relationer "
    "fortfarande de svagaste i bilden, de andra avdelningarnas ungefär tio gånger starkare. Patienten "
    "vi följer ligger där. Med kända samarbetspartner lyfter man luren; här gör nästan ingen det.",
    "lesson.new_ward.question": "Vad fångar upp ett missat inskrivningsmeddelande när ingen känner "
    "någon? Vad skulle en rutin (ett fast arbetssätt) göra här?",
    "lesson.sip_campaign.title": "4. En SIP-kampanj",
    "lesson.sip_campaign.text": "Vårdcentralerna har kommit överens om att kalla till SIP för {rate} av "
    "patienterna som behöver en. Men en överenskommelse räcker inte för en kallelse: en vårdcentral "
    "kallar till hela den överenskomna andelen bara där relationen till kommunen är stark (utan relation "
    "{floor} av den), och den kallar inte till SIP för en patient som ännu inte har någon fast "
    "vårdkontakt. Glappen 'ingen kallelse till SIP' minskar därför ungefär till hälften och är kvar "
    "bland de största. I Stockholm hålls SIP-mötet efter utskrivningen, utanför sjukhuset.",
    "lesson.sip_campaign.question": "Överenskommelsen stängde inte glappet 'ingen kallelse till SIP'. Vad "
    "mer skulle vårdcentralerna behöva: vilka relationer, vilka fasta vårdkontakter? Och minskar de "
    "utskrivningsklara vårddygnen? Varför, eller varför inte?",
    "lesson.spring_2020.title": "5. Våren 2020",
    "lesson.spring_2020.text": "Pandemins första våg: färre patienter, snabbare utskrivningar, "
    "biståndshandläggare beordrade att arbeta helger, direktkontakt per telefon mellan avdelningar och "
    "kommuner, gamla rutiner tillbaka, ingen video för SIP. Från dag {kluster_day} ({kluster_date}) kallar "
    "en klusterledare varje kommuns vårdcentraler till klustermöte en gång per {kluster_every} dagar: "
    "efter en vecka utan dem ser klassen klustren bildas. Inget sätter utfallet; se vad mekanismerna "
    "ger.",
    "lesson.spring_2020.question": "Väntetiderna krympte våren 2020. Vilka av förändringarna gjorde "
    "det, och vad hände samtidigt med glappen och SIP:arna?",
}

MESSAGES: dict[str, dict[str, str]] = {"en": _EN, "sv": _SV}


def t(lang: str, key: str, **fields: Any) -> str:
    """The message ``key`` in ``lang`` (the reports' catalogue for gap and kind names), filled in."""
    table = MESSAGES[lang]
    text = table[key] if key in table else REPORT_MESSAGES[lang][key]
    return text.format(**fields) if fields else text


def forums_here(scenario: Any, lang: str) -> str:
    """The text under the forum switch: who meets how often, and why switching forums off shows slowly.

    A forum acts only through the ties among its members (``RelationshipNetwork.forum_meeting``: each
    meeting moves them ``boost`` of the way to 1), while every discharge that goes well moves a pair
    ``growth`` of the way; in nordost-2019 the forum's four usual ward–kommun pairs end the year about
    0.1 stronger with it than without, and only chains through its members use those ties (docs/ODD.md
    §7.11 item 26).
    """
    forums = scenario.relationships.forums
    if not forums:
        return t(lang, "ctl.forums.none")
    word = t(lang, "ctl.and")
    parts = []
    for forum in forums:
        names = list(forum.members)
        members = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"
        key = "ctl.forums.daily" if forum.every_days == 1 else "ctl.forums.one"
        parts.append(t(lang, key, members=members, days=number(forum.every_days, 0, lang)))
    listed = "; ".join(parts)
    shown = (
        t(lang, "ctl.forums.single", forums=listed)
        if len(parts) == 1
        else t(lang, "ctl.forums.count", n=len(parts), forums=listed)
    )
    text = t(lang, "ctl.forums.here", forums=shown)
    if getattr(scenario, "fou", None):
        text += t(lang, "ctl.forums.fou")
    return text


def _percent(share: float, lang: str) -> str:
    return f"{number(100 * share, 0, lang)} %"


def sip_call_hint(scenario: Any, lang: str) -> str:
    """The text under the SIP slider: what else, besides the agreed share, decides a SIP call.

    As ``Vardcentral.call_sip`` does it: the chance is the agreed ``sip_call_rate`` times
    ``floor + (1 - floor) * quality`` of the vårdcentral–kommun relationship
    (``relationships.sip_call_floor``), and nothing is called before a fast vårdkontakt is named.
    """
    floor = scenario.relationships.sip_call_floor
    if floor >= 1.0:  # the relationship does not matter in this scenario
        return t(lang, "ctl.sip.hint_contact")
    return t(lang, "ctl.sip.hint", floor=number(floor, 2, lang), rest=number(1.0 - floor, 2, lang))


def lesson_text(lang: str, name: str, scenario: Any) -> str:
    """Lesson ``name``'s explanation, its numbers taken from the ``scenario`` the class is running."""
    rules = scenario.relationships
    rate = scenario.rules.sip_call_rate
    if rate is None:  # unset: each vårdcentral its own rate; the text gives their mean
        rates = [v.sip_call_rate for v in scenario.vardcentral.values()]
        rate = sum(rates) / len(rates) if rates else 0.0
    kluster = sorted((k.start_day, k.every_days) for k in (getattr(scenario, "kluster", None) or {}).values())
    first, every = kluster[0] if kluster else (0, 0)
    if kluster:  # the first meeting: the first working day from the day it is due (Kluster.work)
        from simulation.calendar import Calendar

        calendar = Calendar(scenario.start_date, max(scenario.days, first + 1))
        while calendar.is_off(first):
            first += 1
    return t(
        lang,
        f"lesson.{name}.text",
        rate=_percent(rate, lang),
        floor=_percent(rules.sip_call_floor, lang),
        kluster_day=first,
        kluster_date=(scenario.start_date + dt.timedelta(days=first)).isoformat(),
        kluster_every=number(every, 0, lang),
    )


def lesson_over(lang: str, name: str, day: int, date: dt.date) -> tuple[str, str]:
    """The end of lesson ``name`` on ``day`` (``date``): the line with its question, and how to go on."""
    weekday = t(lang, "weekdays").split(",")[date.weekday()]
    question = t(lang, f"lesson.{name}.question")
    return (
        t(lang, "app.lesson_over", day=day, weekday=weekday, date=date.isoformat(), question=question),
        t(lang, "app.lesson_over_on", step=t(lang, "app.page_step")),
    )


def count(lang: str, key: str, n: int, **fields: Any) -> str:
    """Message ``key`` for ``n`` things: ``key_one`` when ``n`` is 1 (1 day, 2 days), else ``key``."""
    table = MESSAGES[lang]
    one = f"{key}_one"
    return t(lang, one if n == 1 and one in table else key, n=number(n, 0, lang), **fields)
