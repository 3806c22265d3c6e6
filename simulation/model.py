"""The discharge-chain model: patients passed between wards, vårdcentraler and kommuner under LUS.

One step is one calendar day. Within a day the phases run in a fixed order:

1. scheduled patient events fall due (treatment ends, late or recovered notices, SIP meetings,
   readmissions, places released, staff turnover);
2. vårdcentraler work through their LUS task queues (fast vårdkontakt, SIP calls);
3. kommuner's biståndshandläggare take new cases for planning;
4. ward coordinators send ready notices and discharge the patients whose receivers are ready
   (or discharge anyway under the forced-discharge rule);
5. new admissions and readmissions are placed in beds and their admission notices sent;
6. the day is recorded.

Patients act only on scheduled events (a day-indexed calendar, see :meth:`DischargeModel.at`);
organisations work through queues. All randomness comes from named, independent streams spawned
from one seed, and every per-patient random number is drawn at admission, so a lever changes
outcomes through thresholds without reshuffling unrelated draws.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import mesa
import numpy as np
from mesa.time import Schedule

from simulation.calendar import Calendar
from simulation.gaps import GapKind, GapLog
from simulation.kommun import Kommun
from simulation.patient import NEVER, Episode, Location, Patient, Support
from simulation.randomness import BufferedDraws
from simulation.relationships import RelationshipNetwork
from simulation.scenario import Scenario
from simulation.vardcentral import CONTACT, SIP_CALL, Vardcentral
from simulation.ward import Ward

__all__ = ["STREAMS", "DischargeModel"]

STREAMS = (
    "arrivals",
    "vardcentral_choice",
    "support",
    "home_health",
    "hospital_choice",
    "ward_choice",
    "misplacement",
    "notice",
    "notice_late",
    "notice_delay",
    "recovery_kommun",
    "recovery_vardcentral",
    "answer",
    "sip_call",
    "sip_held",
    "sip_delay",
    "follow_up",
    "readmission",
    "readmission_delay",
    "treatment",
    "planning",
    "act_speed",
    "chase",
    "places",
    "turnover",
    "initial",
    "support_lead",
    "doctor",
)
"""Named random streams, each spawned from the model seed; new streams are only ever appended."""

_U_STREAMS = (
    "vardcentral_choice",
    "support",
    "home_health",
    "hospital_choice",
    "ward_choice",
    "misplacement",
    "notice",
    "notice_late",
    "recovery_kommun",
    "recovery_vardcentral",
    "answer",
    "sip_call",
    "sip_held",
    "readmission",
    "doctor",
)

READMISSION_WINDOW = 30
_SUPPORTS = (Support.NONE, Support.HOME_HELP, Support.SHORT_TERM, Support.CARE_HOME)


class DischargeModel(mesa.Model):
    """Agent-based model of the LUS discharge chain for one scenario and one seed."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        """Build organisations, relationships and the initial state of ``scenario``."""
        self.seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=self.seed)
        self.params = scenario
        self.horizon = scenario.days
        self.warmup = scenario.warmup_days
        self.calendar = Calendar(scenario.start_date, scenario.days)
        children = np.random.SeedSequence(self.seed).spawn(len(STREAMS))
        self.streams = {
            name: np.random.default_rng(child) for name, child in zip(STREAMS, children, strict=True)
        }
        # Readmitted patients draw their episode's numbers from streams of their own, so that new
        # arrivals get the same numbers in two scenarios even when readmissions differ.
        self.readmit_streams = {
            name: np.random.default_rng(child)
            for name, child in zip(
                STREAMS,
                np.random.SeedSequence([self.seed, 1]).spawn(len(STREAMS)),
                strict=True,
            )
        }
        self.day = -1
        self._due: list[list[tuple[Callable[[Any], None], Any]]] = [[] for _ in range(self.horizon + 1)]
        self.gaps = GapLog()
        self.episodes: list[Episode] = []
        self.network = RelationshipNetwork(scenario.relationships)
        self._build_organisations()
        self._build_relationships()
        self.initial_strengths = {(a, b): d["strength"] for a, b, d in self.network.graph.edges(data=True)}
        self._build_arrival_tables()
        self._draws = self._make_draws(self.streams)
        self._readmit_draws = self._make_draws(self.readmit_streams)
        self._readmit_today: list[Episode] = []
        self._doctor_weekend = scenario.weekend_staffing.ward_doctor
        self.turned_away = 0
        self.turned_away_total = 0
        self.admissions_today = 0
        self.discharges_today = 0
        self.forced_today = 0
        n_days, n_w, n_k = self.horizon, len(self.wards), len(self.kommuner)
        self.ward_occupied = np.zeros((n_days, n_w), dtype=np.int32)
        self.ward_ready = np.zeros((n_days, n_w), dtype=np.int32)
        self.ward_admissions = np.zeros((n_days, n_w), dtype=np.int32)
        self.ward_discharges = np.zeros((n_days, n_w), dtype=np.int32)
        self.kommun_ready = np.zeros((n_days, n_k), dtype=np.int32)
        self.kommun_admissions = np.zeros((n_days, n_k), dtype=np.int32)
        self.kommun_payment_days = np.zeros((n_days, n_k), dtype=np.int32)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "day": "day",
                "date": lambda m: m.calendar.date(m.day).isoformat(),
                "off_day": lambda m: bool(m.calendar.is_off(m.day)),
                "beds_occupied": lambda m: sum(w.occupied for w in m.wards),
                "ready_in_beds": lambda m: sum(w.ready_count for w in m.wards),
                "admissions": "admissions_today",
                "discharges": "discharges_today",
                "forced_discharges": "forced_today",
                "turned_away": "turned_away",
                "short_term_used": lambda m: sum(k.short_term_used for k in m.kommuner),
                "care_home_used": lambda m: sum(k.care_home_used for k in m.kommuner),
                "mean_relationship_strength": lambda m: m.network.mean_strength(),
                **{f"gaps_{kind.value}": _gap_reporter(kind) for kind in GapKind},
            }
        )
        self._initialise_state()
        self._schedule_forums()
        self._schedule_turnover()

    # ------------------------------------------------------------------------------------------
    # Construction

    def _build_organisations(self) -> None:
        sc = self.params
        ws = sc.weekend_staffing
        self.kommuner: list[Kommun] = []
        self.kommun_by_name: dict[str, Kommun] = {}
        for i, (name, kp) in enumerate(sc.kommun.items()):
            k = Kommun(self, name, i, kp, ws.assessor, ws.home_help_starts, ws.place_intake, sc.capacity)
            self.kommuner.append(k)
            self.kommun_by_name[name] = k
        self.vardcentraler: list[Vardcentral] = []
        for i, (name, vp) in enumerate(sc.vardcentral.items()):
            kommun = self.kommun_by_name[vp.kommun]
            rate = sc.rules.sip_call_rate if sc.rules.sip_call_rate is not None else vp.sip_call_rate
            vc = Vardcentral(self, name, i, vp, kommun, ws.vardcentral, ws.home_health_care, rate)
            kommun.vardcentraler.append(vc)
            self.vardcentraler.append(vc)
        self.wards: list[Ward] = [
            Ward(self, name, i, wp, ws.ward_coordinator) for i, (name, wp) in enumerate(sc.ward.items())
        ]

    def _build_relationships(self) -> None:
        rp = self.params.relationships
        net = self.network
        for k in self.kommuner:
            net.add_org(k.name, "kommun")
        for vc in self.vardcentraler:
            net.add_org(vc.name, "vardcentral")
        for w in self.wards:
            net.add_org(w.name, "ward")
        for k in self.kommuner:
            integrated = k.params.integrated_primary_care
            for vc in k.vardcentraler:
                net.connect(k.name, vc.name, 1.0 if integrated else rp.initial_strength, integrated)
        for w in self.wards:
            for kname in sorted(w.serves):
                k = self.kommun_by_name[kname]
                net.connect(w.name, k.name, rp.initial_strength)
                for vc in k.vardcentraler:
                    net.connect(w.name, vc.name, rp.initial_strength)
        for key, strength in rp.strengths.items():
            a, b = key.split("|")
            if not (net.graph.has_edge(a, b) and net.graph[a][b]["fixed"]):
                net.connect(a, b, strength)  # an integrated pair stays fixed at 1

    def _build_arrival_tables(self) -> None:
        sc = self.params
        pm = sc.patients
        weights = np.asarray(pm.weekday_weights, dtype=float)
        mean_w = weights.mean()
        cal = self.calendar
        factor = weights[cal.weekday[: self.horizon]] / mean_w
        factor[cal.holiday[: self.horizon]] = pm.holiday_weight / mean_w
        self.arrival_factor = factor
        self.arrival_base = np.array(
            [
                k.params.population_65plus * pm.admissions_per_1000_65plus / 1000.0 / 365.0
                for k in self.kommuner
            ]
        )
        # Per kommun: cumulative weights over its vårdcentraler and hospitals.
        self._vc_cum = []
        self._hosp = []
        for k in self.kommuner:
            w = np.array([vc.params.listed_share for vc in k.vardcentraler], dtype=float)
            self._vc_cum.append(np.cumsum(w / w.sum()).tolist())
            names = list(k.params.hospitals)
            hw = np.array([k.params.hospitals[h] for h in names], dtype=float)
            self._hosp.append((names, np.cumsum(hw / hw.sum()).tolist()))
        sup = pm.kommun_support
        order = [Support.NONE, Support.HOME_HELP, Support.SHORT_TERM, Support.CARE_HOME]
        sw = np.array([sup.get(s.name.lower(), 0.0) for s in order], dtype=float)
        self._support_cum = np.cumsum(sw / sw.sum()).tolist()
        sw_lus = sw.copy()
        sw_lus[0] = 0.0
        self._support_cum_lus = np.cumsum(sw_lus / sw_lus.sum()).tolist() if sw_lus.sum() > 0 else None
        # Wards by hospital: home wards (serving the kommun) and the others.
        self._wards_by_hospital: dict[str, list[Ward]] = {}
        for w in self.wards:
            self._wards_by_hospital.setdefault(w.hospital, []).append(w)
        self._hospital_order = {
            k.index: sorted(k.params.hospitals, key=lambda h: -k.params.hospitals[h]) for k in self.kommuner
        }
        # Per (kommun, hospital): its home wards (serving the kommun) and the hospital's others.
        self._ward_split: dict[tuple[int, str], tuple[list[Ward], list[Ward]]] = {}
        for k in self.kommuner:
            for h in k.params.hospitals:
                wards = self._wards_by_hospital[h]
                home = [w for w in wards if k.name in w.serves]
                other = [w for w in wards if k.name not in w.serves]
                if not home:
                    home, other = other, []  # no ward serves this kommun: every ward is as good
                self._ward_split[(k.index, h)] = (home, other)
        # Per kommun and first-choice hospital: the (home, other) wards of every hospital in the
        # order they are tried.
        self._search = [
            [
                tuple(
                    self._ward_split[(k.index, h)]
                    for h in (first, *(h for h in self._hospital_order[k.index] if h != first))
                )
                for first in self._hosp[k.index][0]
            ]
            for k in self.kommuner
        ]

    def _schedule_forums(self) -> None:
        self._forum_callbacks: list[Callable[[], None]] = []
        for forum in self.params.relationships.forums:
            members, boost = list(forum.members), forum.boost

            def meet(members: list[str] = members, boost: float = boost) -> None:
                self.network.forum_meeting(members, boost)

            # Mesa's own event list: a recurring meeting every N days (after that day's step).
            # Mesa holds callbacks weakly, so the model keeps them alive.
            self._forum_callbacks.append(meet)
            self.schedule_recurring(
                meet, Schedule(interval=float(forum.every_days), start=float(forum.every_days))
            )

    def _schedule_turnover(self) -> None:
        """Staff turnover at each organisation as a Poisson process (new faces weaken its edges)."""
        self._turnover_rate: dict[str, float] = {}
        orgs = [*self.wards, *self.kommuner, *self.vardcentraler]
        for org in orgs:
            rate = org.params.staff_turnover_per_year / 365.0
            if rate > 0:
                self._turnover_rate[org.name] = rate
                self._next_turnover(org.name)

    def _next_turnover(self, org: str) -> None:
        gap = self.streams["turnover"].exponential(1.0 / self._turnover_rate[org])
        self.at(max(self.day, 0) + 1 + int(gap), self._turnover, org)

    def _turnover(self, org: str) -> None:
        self.network.turnover(org)
        self._next_turnover(org)

    # ------------------------------------------------------------------------------------------
    # The day-indexed event calendar for patients (a bucket queue: O(1) per event)

    def at(self, day: int, handler: Callable[[Any], None], arg: Any) -> None:
        """Run ``handler(arg)`` on ``day``; now if that day is today or past, never past the horizon."""
        if day <= self.day:
            handler(arg)
        elif day < self.horizon:
            self._due[day].append((handler, arg))

    # ------------------------------------------------------------------------------------------
    # The day

    def step(self) -> None:
        """Simulate one calendar day."""
        d = self.steps - 1
        if d >= self.horizon:
            self.running = False
            return
        self.day = d
        self.gaps.reset_today()
        self.admissions_today = self.discharges_today = self.forced_today = 0
        self.turned_away = 0
        for w in self.wards:
            w.discharged_today = w.admitted_today = 0
        for k in self.kommuner:
            k.admitted_today = 0
        due = self._due[d]
        i = 0
        while i < len(due):  # handlers may add events for today
            handler, arg = due[i]
            handler(arg)
            i += 1
        self._due[d] = []
        self._vardcentral_work(d)
        self._kommun_work(d)
        self._ward_work(d)
        self._admissions(d)
        self._record(d)
        if d == self.horizon - 1:
            self.running = False

    def run(self) -> DischargeModel:
        """Run the whole horizon and return the model."""
        # The model keeps every episode, so the cyclic garbage collector would rescan hundreds of
        # thousands of live objects again and again (40 % of a national run); nothing it could
        # free is made in the loop that plain reference counting does not free.
        enabled = gc.isenabled()
        gc.disable()
        try:
            while self.running and self.steps < self.horizon:
                self.step()
        finally:
            if enabled:
                gc.enable()
        return self

    # ------------------------------------------------------------------------------------------
    # LUS step 1: admission and admission notice (inskrivningsmeddelande)

    def _make_draws(self, s: dict[str, np.random.Generator]) -> dict[str, BufferedDraws]:
        """Buffered per-purpose draws for one set of streams (see :meth:`_draw_block`)."""
        sc = self.params
        pm, du, sip = sc.patients, sc.durations, sc.sip
        draws = {name: BufferedDraws(lambda m, rng=s[name]: rng.random(m)) for name in _U_STREAMS}
        samplers: dict[str, Callable[[int], np.ndarray]] = {
            "los": lambda m: pm.treatment_days.sample_days(s["treatment"], m, minimum=1),
            "notice_delay": lambda m: du.notice_delay_days.sample_days(s["notice_delay"], m, 1),
            "planning": lambda m: du.planning_days.sample(s["planning"], m),
            "sip_delay": lambda m: sip.meeting_delay_days.sample_days(s["sip_delay"], m, 1),
            "lead_days": lambda m: du.support_lead_days.sample_days(s["support_lead"], m, 0),
            "follow_up": lambda m: sip.follow_up_days.sample_days(s["follow_up"], m, 1),
            "readmit_delay": lambda m: np.clip(
                pm.readmission_delay_days.sample_days(s["readmission_delay"], m, 1),
                1,
                READMISSION_WINDOW,
            ),
        }
        draws.update({name: BufferedDraws(f) for name, f in samplers.items()})
        return draws

    def _draw_block(self, n: int, readmission: bool = False) -> dict[str, list[Any]]:
        """Every per-patient random number for ``n`` admissions, one list per purpose.

        Each purpose has its own stream, so a lever that changes how many numbers one purpose
        uses leaves the others alone; readmissions have streams of their own.
        """
        draws = self._readmit_draws if readmission else self._draws
        return {name: d.take(n) for name, d in draws.items()}

    def _new_patient(self, k: Kommun, b: dict[str, list[Any]], i: int, lus_only: bool) -> Patient:
        vcs = k.vardcentraler
        vc = vcs[min(bisect_right(self._vc_cum[k.index], b["vardcentral_choice"][i]), len(vcs) - 1)]
        cum = (
            self._support_cum_lus if (lus_only and self._support_cum_lus is not None) else (self._support_cum)
        )
        support = _SUPPORTS[min(bisect_right(cum, b["support"][i]), 3)]
        pm = self.params.patients
        p_hhc = (
            pm.home_health_care_with_support
            if support != Support.NONE
            else pm.home_health_care_without_support
        )
        hhc = bool(b["home_health"][i] < p_hhc)
        if lus_only and support == Support.NONE and not hhc and p_hhc > 0:
            hhc = True  # a patient already waiting must need someone (if the mix has such people)
        return Patient(self, k, vc, support, hhc)

    def _choose_ward(self, k: Kommun, b: dict[str, list[Any]], i: int) -> tuple[Ward | None, bool]:
        """Pick a bed: the home ward of the chosen hospital, else an unfamiliar ward, else none."""
        names, cum = self._hosp[k.index]
        plan = self._search[k.index][min(bisect_right(cum, b["hospital_choice"][i]), len(names) - 1)]
        misplace = b["misplacement"][i] < self.params.rules.misplacement_probability
        u = b["ward_choice"][i]
        for home, other in plan:
            if misplace:
                free_other = [w for w in other if w.beds > len(w.in_bed)]
                if free_other:
                    return _pick(free_other, u), True
            free_home = [w for w in home if w.beds > len(w.in_bed)]
            if free_home:
                return _pick(free_home, u), False
            free_other = [w for w in other if w.beds > len(w.in_bed)]
            if free_other:
                return _pick(free_other, u), True
        return None, False

    def _admit(
        self,
        patient: Patient,
        ward: Ward,
        d: int,
        b: dict[str, list[Any]],
        i: int,
        misplaced: bool,
        admitted: int | None = None,
        ready: int | None = None,
        previous: Episode | None = None,
    ) -> Episode:
        ep = Episode(len(self.episodes), patient, ward, d if admitted is None else admitted)
        self.episodes.append(ep)
        ep.misplaced = misplaced
        if previous is not None:
            ep.readmission_of = previous.episode_id
        ep.u_answer = b["answer"][i]
        ep.u_sip_call = b["sip_call"][i]
        ep.u_sip_held = b["sip_held"][i]
        ep.u_readmit = b["readmission"][i]
        ep.u_recover_k = b["recovery_kommun"][i]
        ep.u_recover_v = b["recovery_vardcentral"][i]
        ep.planning_draw = float(b["planning"][i])
        ep.sip_delay = int(b["sip_delay"][i])
        ep.follow_up_delay = int(b["follow_up"][i])
        ep.readmit_delay = int(b["readmit_delay"][i])
        ep.lead_days = int(b["lead_days"][i])
        patient.episode = ep
        patient.location = Location.WARD
        ward.in_bed[ep.episode_id] = ep
        if ep.lus:
            self._send_admission_notice(ep, d, b, i)
        if ready is None:
            ready_day = max(ep.admitted + int(b["los"][i]), d)
            cal = self.calendar
            off = ready_day < self.horizon and cal.is_off(ready_day)
            if off and b["doctor"][i] >= self._doctor_weekend:
                # No doctor's round to declare the patient utskrivningsklar: next working day.
                while ready_day < self.horizon and cal.is_off(ready_day):
                    ready_day += 1
            self.at(ready_day, self._on_ready, ep)
        else:
            self._on_ready(ep, ready)
        return ep

    def _send_admission_notice(self, ep: Episode, d: int, b: dict[str, list[Any]], i: int) -> None:
        rules = self.params.rules
        ward = ep.ward
        reliability = (
            rules.notice_reliability
            if rules.notice_reliability is not None
            else ward.params.notice_reliability
        )
        if ep.misplaced:
            reliability *= rules.misplaced_notice_factor
        if b["notice"][i] < reliability:
            delay = (
                int(b["notice_delay"][i]) if b["notice_late"][i] < ward.params.notice_late_probability else 0
            )
            ep.notice_sent = d + delay
            self.at(d + delay, self._deliver_notice, ep)
            return
        # Not registered: only an informal phone call (or the kommun's own search) can recover it.
        k = ep.patient.kommun
        vc = ep.patient.vardcentral
        rec = self.params.relationships.informal_recovery_per_day
        if ep.needs_kommun:
            p = 1.0 - (1.0 - rec * self.network.strength(ward.name, k.name)) * (
                1.0 - k.params.active_search_probability
            )
            delay = _geometric_delay(ep.u_recover_k, p)
            if delay is not None:
                self.at(d + delay, self._recover_kommun, ep)
        if ep.needs_vc:
            p = rec * self.network.strength(ward.name, vc.name)
            delay = _geometric_delay(ep.u_recover_v, p)
            if delay is not None:
                self.at(d + delay, self._recover_vardcentral, ep)

    def _deliver_notice(self, ep: Episode) -> None:
        if not ep.in_hospital:
            return
        if ep.needs_kommun:
            self._inform_kommun(ep)
        if ep.needs_vc:
            self._inform_vardcentral(ep)

    def _recover_kommun(self, ep: Episode) -> None:
        if ep.in_hospital and ep.kommun_informed == NEVER:
            self._inform_kommun(ep)

    def _recover_vardcentral(self, ep: Episode) -> None:
        if ep.in_hospital and ep.vc_informed == NEVER:
            self._inform_vardcentral(ep)

    def _inform_kommun(self, ep: Episode) -> None:
        if ep.kommun_informed != NEVER:
            return
        ep.kommun_informed = self.day
        k = ep.patient.kommun
        k.planning_queue.append(ep)
        if k.params.integrated_primary_care and ep.needs_vc:
            self._inform_vardcentral(ep)  # one organisation, shared information

    def _inform_vardcentral(self, ep: Episode) -> None:
        if ep.vc_informed != NEVER:
            return
        ep.vc_informed = self.day
        vc = ep.patient.vardcentral
        vc.tasks.append((CONTACT, ep))
        if vc.kommun.params.integrated_primary_care and ep.needs_kommun:
            self._inform_kommun(ep)

    # ------------------------------------------------------------------------------------------
    # LUS steps 2 and 4: the vårdcentral names a fast vårdkontakt and calls SIP

    def _vardcentral_work(self, d: int) -> None:
        cal = self.calendar
        rp = self.params.relationships
        floor = rp.act_speed_floor
        rng = self.streams["act_speed"]
        strength = self.network.strength
        for vc in self.vardcentraler:
            vc.home_health_left = vc.home_health_roster.capacity(cal, d, vc.params.home_health_starts_per_day)
            if not vc.tasks:
                continue
            cap = vc.roster.capacity(cal, d, vc.params.tasks_per_day)
            if cap == 0:
                continue
            later: list[tuple[int, Episode]] = []
            tasks = vc.tasks
            while tasks and cap > 0:
                kind, ep = tasks.popleft()
                if kind == CONTACT and (not ep.in_hospital or ep.care_contact != NEVER):
                    continue
                p_act = floor + (1.0 - floor) * strength(ep.ward.name, vc.name)
                if rng.random() >= p_act:
                    later.append((kind, ep))  # seen but not acted on today
                    continue
                cap -= 1
                if kind == CONTACT:
                    if ep.u_answer < vc.params.answer_reliability:
                        ep.care_contact = d
                    else:
                        ep.vc_silent = True  # the request is left unanswered
                else:
                    self._sip_call_decision(ep, vc, d)
            if later:
                tasks.extendleft(reversed(later))

    def _sip_call_decision(self, ep: Episode, vc: Vardcentral, d: int) -> None:
        ep.sip_pending = False
        if ep.care_contact != NEVER and ep.u_sip_call < vc.sip_call_rate:
            ep.sip_called = d
            if not ep.in_hospital:
                self.at(max(d + 1, ep.discharged + ep.sip_delay), self._sip_meeting, ep)
        elif not ep.in_hospital:
            ep.sip_outcome = d
            self._gap(ep, GapKind.SIP_NOT_CALLED, vc.name, vc.kommun.name, d)

    # ------------------------------------------------------------------------------------------
    # LUS step 3: the kommun's biståndshandläggare plan

    def _kommun_work(self, d: int) -> None:
        cal = self.calendar
        slowdown = self.params.relationships.planning_slowdown
        strength = self.network.strength
        for k in self.kommuner:
            k.open_home_help(k.home_help_roster.fraction(cal, d))
            k.intake_left = k.intake_roster.capacity(cal, d, k.params.place_intakes_per_day)
            if not k.planning_queue:
                continue
            cap = k.assessor_roster.capacity(cal, d, k.assessor_capacity)
            queue = k.planning_queue
            while queue and cap > 0:
                ep = queue.popleft()
                if not ep.in_hospital:
                    continue
                cap -= 1
                factor = 1.0 + slowdown * (1.0 - strength(ep.ward.name, k.name))
                ep.planning_started = d
                ep.planned = d + int(round(ep.planning_draw * factor))

    # ------------------------------------------------------------------------------------------
    # LUS steps 5 and 6: utskrivningsklar, ready notice and discharge

    def _on_ready(self, ep: Episode, day: int | None = None) -> None:
        d = self.day if day is None else day
        ep.ready = d
        ep.ward.ready_count += 1
        ep.patient.kommun.ready_count += 1
        registered = ep.notice_sent != NEVER or ep.kommun_informed != NEVER or ep.vc_informed != NEVER
        if ep.lus and registered:
            ep.waiting = True
            ep.ward.waiting.append(ep)
        else:
            # Nothing to coordinate (or the ward never registered the patient in the IT system).
            self._discharge(ep, max(d, self.day), forced=False)

    def _kommun_ready(self, ep: Episode, k: Kommun, d: int) -> bool:
        if ep.planned == NEVER or ep.planned > d:
            return False
        if ep.ready_notice == NEVER or d < ep.ready_notice + ep.lead_days:
            return False  # the kommun arranges the start once it knows the discharge date
        support = ep.patient.support
        if support == Support.HOME_HELP:
            return k.home_help_left > 0
        if _holds_place(ep.patient):
            return True
        if support == Support.SHORT_TERM:
            return k.intake_left > 0 and k.short_term_used < k.short_term_capacity
        return k.intake_left > 0 and k.care_home_used < k.care_home_capacity

    def _ward_work(self, d: int) -> None:
        cal = self.calendar
        rules = self.params.rules
        rp = self.params.relationships
        forced_rule = rules.forced_discharge
        wait_cc = rules.wait_for_care_contact_days
        threshold = rules.payment_threshold_days
        chase_rng = self.streams["chase"]
        strength = self.network.strength
        n = len(self.wards)
        start = d % n if n else 0
        for w in self.wards[start:] + self.wards[:start]:
            if not w.waiting:
                continue
            cap = w.coordinator_roster.capacity(cal, d, w.params.coordinator_capacity)
            staffed = cap > 0
            remaining: list[Episode] = []
            for ep in w.waiting:
                patient = ep.patient
                k, vc = patient.kommun, patient.vardcentral
                if ep.ready_notice == NEVER:
                    if not staffed:
                        remaining.append(ep)
                        continue
                    ep.ready_notice = d
                    if ep.sip_eligible and ep.vc_informed != NEVER:
                        ep.sip_pending = True
                        vc.tasks.append((SIP_CALL, ep))
                vc_known = ep.needs_vc and ep.vc_informed != NEVER
                if vc_known and ep.care_contact == NEVER and staffed:
                    # The coordinator chases a silent vårdcentral ("a little chat" by phone).
                    if chase_rng.random() < rp.chase_probability * strength(w.name, vc.name):
                        ep.care_contact = d
                k_block = ep.needs_kommun and ep.kommun_informed != NEVER and not self._kommun_ready(ep, k, d)
                contact_missing = vc_known and ep.care_contact == NEVER
                # only a patient with a care contact gets home health care started at discharge
                hhc_block = vc_known and ep.care_contact != NEVER and vc.home_health_left <= 0
                if contact_missing and wait_cc is not None and d - ep.ready_notice >= wait_cc:
                    contact_missing = False  # the ward stops waiting for the vårdcentral
                if not k_block and not contact_missing and not hhc_block and cap > 0:
                    cap -= 1
                    self._discharge(ep, d, forced=False)
                    continue
                forced = forced_rule.max_wait_days is not None and d - ep.ready >= forced_rule.max_wait_days
                if forced:
                    self._discharge(ep, d, forced=True)
                    continue
                if k_block and d - ep.ready_notice >= threshold:
                    ep.payment_days += 1
                    self.kommun_payment_days[d, k.index] += 1
                remaining.append(ep)
            pressure = forced_rule.bed_pressure_occupancy
            if pressure is not None:
                while remaining and w.occupied >= pressure * w.beds:
                    self._discharge(remaining.pop(0), d, forced=True)
            w.waiting = remaining

    def _discharge(self, ep: Episode, d: int, forced: bool) -> None:
        """Discharge ``ep`` on day ``d``; record the gaps it falls into (LUS step 6)."""
        w = ep.ward
        patient = ep.patient
        k, vc = patient.kommun, patient.vardcentral
        del w.in_bed[ep.episode_id]
        w.ready_count -= 1
        k.ready_count -= 1
        w.discharged_today += 1
        ep.discharged = d
        ep.forced = forced
        ep.waiting = False
        self.discharges_today += 1
        if forced:
            self.forced_today += 1
        kommun_in_place = False
        if ep.needs_kommun:
            if ep.kommun_informed == NEVER:
                self._gap(ep, GapKind.UNNOTIFIED_DISCHARGE, w.name, k.name, d)
            elif not self._kommun_ready(ep, k, d):
                self._gap(ep, GapKind.SUPPORT_NOT_IN_PLACE, w.name, k.name, d)
            else:
                kommun_in_place = True
        if ep.needs_vc:
            if ep.vc_informed == NEVER:
                self._gap(ep, GapKind.UNNOTIFIED_DISCHARGE, w.name, vc.name, d)
            elif ep.care_contact == NEVER:
                self._gap(ep, GapKind.NO_CARE_CONTACT, w.name, vc.name, d)
            elif vc.home_health_left <= 0:
                self._gap(ep, GapKind.SUPPORT_NOT_IN_PLACE, w.name, vc.name, d)
            else:
                vc.home_health_left -= 1
        # Where the patient goes, and what capacity that takes.
        patient.location = Location.HOME
        support = patient.support
        if _holds_place(patient):
            patient.location = patient.held_place  # back to the place kept for the patient
        elif kommun_in_place:
            if support == Support.HOME_HELP:
                k.home_help_left -= 1
            elif support in (Support.SHORT_TERM, Support.CARE_HOME):
                k.intake_left -= 1
                self._take_place(patient, k, support, d)
        # LUS step 7: the SIP, held after discharge.
        if ep.sip_eligible:
            if ep.sip_called != NEVER:
                self.at(d + ep.sip_delay, self._sip_meeting, ep)
            elif not ep.sip_pending:
                ep.sip_outcome = d
                self._gap(ep, GapKind.SIP_NOT_CALLED, vc.name, k.name, d)
        if ep.lus and ep.gaps == 0 and not forced:
            if ep.needs_kommun:
                self.network.joint_success(w.name, k.name)
            if ep.needs_vc:
                self.network.joint_success(w.name, vc.name)
        # Readmission within 30 days, likelier after a gap.
        pm = self.params.patients
        p = pm.readmission_30d * (pm.readmission_gap_factor if ep.gaps > 0 else 1.0)
        if ep.u_readmit < p and d + ep.readmit_delay < self.horizon:
            patient.readmission_pending = True
            self.at(d + ep.readmit_delay, self._readmission_due, ep)
        else:
            self._leave(patient)

    def _leave(self, patient: Patient) -> None:
        """The patient's chain ends (no readmission to come) once no place is held for them."""
        if patient.held_place is None and not patient.readmission_pending:
            patient.episode = None
            patient.remove()

    def _take_place(self, patient: Patient, k: Kommun, support: Support, d: int) -> None:
        dur = self.params.durations
        rng = self.streams["places"]
        if support == Support.SHORT_TERM:
            k.short_term_used += 1
            stay = dur.short_term_stay_days.sample_days(rng, 1, minimum=1)[0]
            patient.location = patient.held_place = Location.SHORT_TERM
        else:
            k.care_home_used += 1
            stay = dur.care_home_stay_days.sample_days(rng, 1, minimum=1)[0]
            patient.location = patient.held_place = Location.CARE_HOME
        self.at(d + int(stay), self._release_place, patient)

    def _release_place(self, patient: Patient) -> None:
        k = patient.kommun
        if patient.held_place == Location.SHORT_TERM:
            k.short_term_used -= 1
        elif patient.held_place == Location.CARE_HOME:
            k.care_home_used -= 1
        patient.held_place = None
        if patient.location != Location.WARD:
            patient.location = Location.HOME
            self._leave(patient)

    # ------------------------------------------------------------------------------------------
    # LUS steps 7 and 8: SIP meeting and follow-up

    def _sip_meeting(self, ep: Episode) -> None:
        d = self.day
        sp = self.params.sip
        p = (
            sp.held_probability_digital
            if self.params.rules.digital_meetings
            else (sp.held_probability_physical)
        )
        k, vc = ep.patient.kommun, ep.patient.vardcentral
        ep.sip_outcome = d
        if ep.u_sip_held < p:
            ep.sip_held = d
            self.network.joint_success(vc.name, k.name)
            self.at(d + ep.follow_up_delay, self._follow_up, ep)
        else:
            self._gap(ep, GapKind.SIP_NOT_HELD, vc.name, k.name, d)

    def _follow_up(self, ep: Episode) -> None:
        ep.follow_up = self.day

    # ------------------------------------------------------------------------------------------
    # Readmission

    def _readmission_due(self, ep: Episode) -> None:
        self._readmit_today.append(ep)

    # ------------------------------------------------------------------------------------------
    # Admissions

    def _admissions(self, d: int) -> None:
        lam = self.arrival_base * self.arrival_factor[d]
        arrivals = self.streams["arrivals"]
        counts = arrivals.poisson(lam)
        n_new = int(counts.sum())
        if n_new:
            b = self._draw_block(n_new)
            # Arrivals come in random order, so no kommun gets the free beds first.
            order = arrivals.permutation(np.repeat(np.arange(len(self.kommuner)), counts))
            kommuner, choose, new, admit = (self.kommuner, self._choose_ward, self._new_patient, self._admit)
            for i, ki in enumerate(order.tolist()):
                k = kommuner[ki]
                ward, misplaced = choose(k, b, i)
                if ward is None:
                    self._turn_away(k)
                    continue
                admit(new(k, b, i, lus_only=False), ward, d, b, i, misplaced)
                ward.admitted_today += 1
                k.admitted_today += 1
        readmits = self._readmit_today
        self._readmit_today = []
        if not readmits:
            return
        b = self._draw_block(len(readmits), readmission=True)
        for i, prev in enumerate(readmits):
            patient = prev.patient
            patient.readmission_pending = False
            k = patient.kommun
            prev.readmitted = d
            if prev.gaps > 0 and prev.first_gap_edge is not None:
                a, bb = prev.first_gap_edge
                self._gap(prev, GapKind.READMITTED_AFTER_GAP, a, bb, d, count=False)
            ward, misplaced = self._choose_ward(k, b, i)
            if ward is None:
                self._turn_away(k)
                self._leave(patient)
            else:
                self._admit(patient, ward, d, b, i, misplaced, previous=prev)
                ward.admitted_today += 1
                k.admitted_today += 1

    def _turn_away(self, k: Kommun) -> None:
        self.turned_away += 1
        if self.day >= self.warmup:
            self.turned_away_total += 1

    # ------------------------------------------------------------------------------------------
    # Gaps

    def _gap(self, ep: Episode, kind: GapKind, a: str, b: str, d: int, count: bool = True) -> None:
        self.gaps.record(d, ep, kind, a, b)
        if count:
            ep.gaps += 1
            if ep.first_gap_edge is None:
                ep.first_gap_edge = (a, b)

    # ------------------------------------------------------------------------------------------
    # Initial state

    def _initialise_state(self) -> None:
        """Fill wards and places to their initial occupancy (before day 0)."""
        self.day = 0
        sc = self.params
        rng = self.streams["initial"]
        pop = np.array([k.params.population_65plus for k in self.kommuner], dtype=float)
        for w in self.wards:
            n_occ = min(w.beds, int(round(w.beds * w.params.initial_occupancy)))
            n_ready = int(round(n_occ * w.params.initial_ready_share))
            if n_occ == 0:
                continue
            served = (
                [self.kommun_by_name[n] for n in sorted(w.serves)]
                or [k for k in self.kommuner if w.hospital in k.params.hospitals]
                or self.kommuner
            )
            weights = np.array([pop[k.index] for k in served], dtype=float)
            weights = weights / weights.sum() if weights.sum() > 0 else None
            choice = rng.choice(len(served), size=n_occ, p=weights)
            b = self._draw_block(n_occ)
            b["notice"] = [-1.0] * n_occ  # patients admitted before day 0 were registered
            b["notice_late"] = [1.0] * n_occ
            elapsed_u = rng.random(n_occ)
            waited = rng.integers(0, 7, size=n_occ)
            for i in range(n_occ):
                k = served[int(choice[i])]
                is_ready = i < n_ready
                patient = self._new_patient(k, b, i, lus_only=is_ready)
                los = int(b["los"][i])
                # Only patients someone must receive can be waiting; if the mix has none, they
                # start as ordinary in-treatment patients.
                if is_ready and (patient.needs_kommun or patient.home_health_care):
                    ready = -int(waited[i])
                    self._admit(patient, w, 0, b, i, misplaced=False, admitted=ready - los, ready=ready)
                else:
                    elapsed = int(elapsed_u[i] * los)
                    self._admit(patient, w, 0, b, i, misplaced=False, admitted=-elapsed)
        for k in self.kommuner:
            for kind, cap, dist in (
                (Location.SHORT_TERM, k.short_term_capacity, sc.durations.short_term_stay_days),
                (Location.CARE_HOME, k.care_home_capacity, sc.durations.care_home_stay_days),
            ):
                n = int(round(cap * k.params.initial_place_occupancy))
                if n == 0:
                    continue
                # Residual stays of residents already in place: a uniform share of a full stay.
                residual = np.maximum(1, (dist.sample(rng, n) * rng.random(n)).astype(int))
                if kind == Location.SHORT_TERM:
                    k.short_term_used += n
                else:
                    k.care_home_used += n
                for r in residual.tolist():
                    self.at(r, self._release_anonymous, (k, kind))
        self.day = -1

    def _release_anonymous(self, arg: tuple[Kommun, Location]) -> None:
        k, kind = arg
        if kind == Location.SHORT_TERM:
            k.short_term_used -= 1
        else:
            k.care_home_used -= 1

    # ------------------------------------------------------------------------------------------
    # Recording

    def _record(self, d: int) -> None:
        admissions = 0
        for w in self.wards:
            self.ward_occupied[d, w.index] = len(w.in_bed)
            self.ward_ready[d, w.index] = w.ready_count
            self.ward_discharges[d, w.index] = w.discharged_today
            self.ward_admissions[d, w.index] = w.admitted_today
            admissions += w.admitted_today
        for k in self.kommuner:
            self.kommun_ready[d, k.index] = k.ready_count
            self.kommun_admissions[d, k.index] = k.admitted_today
        self.admissions_today = admissions
        self.datacollector.collect(self)


def _pick(wards: list[Ward], u: float) -> Ward:
    """Pick a ward with probability proportional to its free beds, using the uniform ``u``."""
    if len(wards) == 1:
        return wards[0]
    free = [w.beds - len(w.in_bed) for w in wards]
    target = u * sum(free)
    acc = 0.0
    for w, f in zip(wards, free, strict=True):
        acc += f
        if target < acc:
            return w
    return wards[-1]


def _holds_place(patient: Patient) -> bool:
    """Whether the patient still holds the kind of place they need (kept while in hospital)."""
    held = patient.held_place
    if held is None:
        return False
    return (held == Location.SHORT_TERM and patient.support == Support.SHORT_TERM) or (
        held == Location.CARE_HOME and patient.support == Support.CARE_HOME
    )


def _geometric_delay(u: float, p: float) -> int | None:
    """Days until a daily chance ``p`` first succeeds, by inverse transform of ``u``; None if p=0."""
    if p <= 0.0:
        return None
    if p >= 1.0:
        return 1
    log_q = math.log1p(-p)
    if log_q > -1e-7:
        return None  # so unlikely that it never happens within any horizon
    days = math.log1p(-u) / log_q
    if days > 1e7:
        return None  # so unlikely that it never happens within any horizon
    return 1 + int(days)


def _gap_reporter(kind: GapKind) -> Callable[[DischargeModel], int]:
    def report(m: DischargeModel) -> int:
        return m.gaps.today[kind]

    return report
