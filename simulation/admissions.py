"""Who comes to hospital, and where they are placed: admissions, readmissions and the initial state.

Every day, each kommun's residents aged 65+ arrive as a Poisson stream (weekday and holiday
weights), in random order so that no kommun gets the free beds first. Each new patient is listed at
one of the kommun's vårdcentraler and needs a kind of kommun support and perhaps home health care;
the bed is the kommun's home ward at a hospital of its choice, else an unfamiliar ward (where
admission notices are less reliable), else another hospital, else the patient is turned away.

Every per-patient random number is drawn here, at admission, one block per purpose from its own
stream (common random numbers); readmissions draw from streams of their own.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from simulation.chain import (
    N_CORE,
    READMISSION_WINDOW_DAYS,
    CoreDraws,
    Episode,
    EpisodeDraws,
    Patient,
    Support,
)
from simulation.gaps import GapKind
from simulation.randomness import BufferedRows
from simulation.world import World

__all__ = ["Admissions", "readmission_follows"]

_SUPPORTS = (Support.NONE, Support.HOME_HELP, Support.SHORT_TERM, Support.CARE_HOME)
_UNIFORM_STREAMS = {  # EpisodeDraws field: the stream it is drawn from
    "vardcentral_choice": "vardcentral_choice",
    "support": "support",
    "home_health": "home_health",
    "hospital_choice": "hospital_choice",
    "ward_choice": "ward_choice",
    "misplacement": "misplacement",
    "notice": "notice",
    "notice_late": "notice_late",
    "recover_kommun": "recovery_kommun",
    "recover_vardcentral": "recovery_vardcentral",
    "answer": "answer",
    "sip_call": "sip_call",
    "sip_held": "sip_held",
    "readmit": "readmission",
    "doctor": "doctor",
    "handover": "handover",
    "info": "discharge_info",
    "voice": "voice",
    "misjudged": "misjudged",
}
_new_draws = partial(tuple.__new__, CoreDraws)
"""Make a :class:`CoreDraws` from a tuple of its fields' values (in C, without a Python call)."""


def readmission_follows(world: World, ep: Episode, day: int) -> bool:
    """Decide at discharge whether ``ep``'s patient comes back within the window (likelier after a gap).

    If so, the readmission is scheduled and True returned.
    """
    pm = world.scenario.patients
    p = pm.readmission_30d * (pm.readmission_gap_factor if ep.gaps > 0 else 1.0)
    if ep.readmission_draw < p and day + ep.readmission_delay < world.horizon:
        ep.patient.readmission_pending = True
        world.events.at(day + ep.readmission_delay, world.queue_readmission, ep)
        return True
    return False


class Admissions:
    """The arrival process and bed search for one run."""

    def __init__(self, world: World, kommuner: Sequence[Any], wards: Sequence[Any]) -> None:
        """Precompute arrival rates, choice tables and ward search plans."""
        self.world = world
        self.kommuner = list(kommuner)
        self.wards = list(wards)
        sc = world.scenario
        pm = sc.patients
        self.turned_away = 0
        """Turned away today."""
        self.turned_away_total = 0
        """Turned away after the warm-up."""
        self._draws = self._make_draws(world.streams)
        self._readmit_draws = self._make_draws(world.readmit_streams, chunk=1024)  # readmissions are few
        weights = np.asarray(pm.weekday_weights, dtype=float)
        mean_w = weights.mean()
        cal, h = world.calendar, world.horizon
        factor = weights[cal.weekday[:h]] / mean_w
        factor[cal.holiday[:h]] = pm.holiday_weight / mean_w
        self.arrival_factor = factor
        self.arrival_base = np.array(
            [k.spec.population_65plus * pm.admissions_per_1000_65plus / 1000.0 / 365.0 for k in self.kommuner]
        )
        self._arrival_rates = factor[:, None] * self.arrival_base[None, :]
        """Expected arrivals by day and kommun (``arrival_base * arrival_factor[day]``, once for all days)."""
        self._kommun_indices = np.arange(len(self.kommuner))
        # Per kommun: cumulative weights over its vårdcentraler, and over its hospitals with the bed
        # search that starts at each (one lookup per admission).
        self._vc_cum = []
        self._bed_search = []
        for k, plans in zip(self.kommuner, self._search_plans(), strict=True):
            w = np.array([vc.spec.listed_share for vc in k.vardcentraler], dtype=float)
            self._vc_cum.append(_choice_table(w))
            hw = np.array(list(k.spec.hospitals.values()), dtype=float)
            self._bed_search.append((_choice_table(hw), plans))
        sup = pm.kommun_support
        sw = np.array([sup.get(s.name.lower(), 0.0) for s in _SUPPORTS], dtype=float)
        self._support_cum = _choice_table(sw)
        sw_lus = sw.copy()
        sw_lus[0] = 0.0
        self._support_cum_lus = _choice_table(sw_lus) if sw_lus.sum() > 0 else None
        self._p_hhc_with_support = pm.home_health_care_with_support
        self._p_hhc_without_support = pm.home_health_care_without_support

    def _search_plans(self) -> list[list[tuple[tuple[list[Any], list[Any]], ...]]]:
        """Per kommun and first-choice hospital: (home wards, other wards) of each hospital in order."""
        by_hospital: dict[str, list[Any]] = {}
        for w in self.wards:
            by_hospital.setdefault(w.hospital, []).append(w)
        plans = []
        for k in self.kommuner:
            hospitals = k.spec.hospitals
            split = {}
            for h in hospitals:
                home = [w for w in by_hospital[h] if k.name in w.serves]
                other = [w for w in by_hospital[h] if k.name not in w.serves]
                split[h] = (home, other) if home else (other, [])  # no home ward: all are as good
            order = sorted(hospitals, key=lambda h: -hospitals[h])
            plans.append(
                [tuple(split[h] for h in (first, *(h for h in order if h != first))) for first in hospitals]
            )
        return plans

    def _make_draws(self, s: dict[str, np.random.Generator], chunk: int = 4096) -> BufferedRows:
        """Buffered rows of :class:`EpisodeDraws` from one set of streams, a stream per field.

        Each row is handed out as its :class:`CoreDraws`; the rest of it stays in numpy until an
        episode under the discharge law asks for it (:meth:`CoreDraws.full`).
        """
        sc = self.world.scenario
        pm, du, sip = sc.patients, sc.durations, sc.sip
        samplers: dict[str, Callable[[int], np.ndarray]] = {
            field: lambda m, rng=s[stream]: rng.random(m) for field, stream in _UNIFORM_STREAMS.items()
        }
        samplers.update(
            {
                "los": lambda m: pm.treatment_days.sample_days(s["treatment"], m, minimum=1),
                "notice_delay": lambda m: du.notice_delay_days.sample_days(s["notice_delay"], m, 1),
                "planning": lambda m: du.planning_days.sample(s["planning"], m),
                "sip_delay": lambda m: sip.meeting_delay_days.sample_days(s["sip_delay"], m, 1),
                "lead_days": lambda m: du.support_lead_days.sample_days(s["support_lead"], m, 0),
                "follow_up_delay": lambda m: sip.follow_up_days.sample_days(s["follow_up"], m, 1),
                "readmit_delay": lambda m: np.clip(
                    pm.readmission_delay_days.sample_days(s["readmission_delay"], m, 1),
                    1,
                    READMISSION_WINDOW_DAYS,
                ),
            }
        )
        fields = EpisodeDraws._fields
        return BufferedRows([samplers[field] for field in fields], _new_draws, chunk, eager=N_CORE)

    def draw_block(self, n: int, readmission: bool = False) -> list[CoreDraws]:
        """Every per-patient random number for ``n`` admissions, one row (:class:`CoreDraws`) each."""
        return (self._readmit_draws if readmission else self._draws).take(n)

    def new_patient(self, k: Any, d: CoreDraws, lus_only: bool) -> Patient:
        """A new resident of ``k`` with the needs drawn in ``d`` (``lus_only``: someone must receive them)."""
        vcs = k.vardcentraler
        vc = vcs[bisect_right(self._vc_cum[k.index], d.vardcentral_choice)]
        cum = self._support_cum_lus if (lus_only and self._support_cum_lus is not None) else self._support_cum
        support = _SUPPORTS[bisect_right(cum, d.support)]
        p_hhc = self._p_hhc_with_support if support != Support.NONE else self._p_hhc_without_support
        hhc = d.home_health < p_hhc
        if lus_only and support == Support.NONE and not hhc and p_hhc > 0:
            hhc = True  # a patient already waiting must need someone (if the mix has such people)
        world = self.world
        pid = world.next_patient_id
        world.next_patient_id = pid + 1
        return Patient(pid, k, vc, support, hhc)

    def choose_ward(self, k: Any, d: CoreDraws) -> tuple[Any, bool]:
        """Pick a bed: the home ward of the chosen hospital, else an unfamiliar ward, else none."""
        hospitals, plans = self._bed_search[k.index]
        plan = plans[bisect_right(hospitals, d.hospital_choice)]
        misplace = d.misplacement < self.world.rules.misplacement_probability
        u = d.ward_choice
        for home, other in plan:
            if misplace and (ward := _pick_free(other, u)) is not None:
                return ward, True
            if (ward := _pick_free(home, u)) is not None:
                return ward, False
            if not misplace and (ward := _pick_free(other, u)) is not None:
                return ward, True
        return None, False

    def admit_today(self, day: int) -> None:
        """Today's new arrivals, then today's readmissions."""
        self.turned_away = 0
        arrivals = self.world.streams["arrivals"]
        counts = arrivals.poisson(self._arrival_rates[day])
        n_new = int(counts.sum())
        if n_new:
            block = self.draw_block(n_new)
            # Arrivals come in random order, so no kommun gets the free beds first
            # (shuffled in place: what Generator.permutation does to its copy).
            order = np.repeat(self._kommun_indices, counts)
            arrivals.shuffle(order)
            kommuner = self.kommuner
            for d, ki in zip(block, order.tolist(), strict=True):
                k = kommuner[ki]
                ward, misplaced = self.choose_ward(k, d)
                if ward is None:
                    self._turn_away()
                    continue
                patient = self.new_patient(k, d, False)
                ward.admit(patient, day, d.full() if patient.lus else d, misplaced)
                ward.admitted_today += 1
                k.admitted_today += 1
        world = self.world
        readmits = world.readmissions_due
        world.readmissions_due = []
        if not readmits:
            return
        block = self.draw_block(len(readmits), readmission=True)
        for d, prev in zip(block, readmits, strict=True):
            patient = prev.patient
            patient.readmission_pending = False
            k = patient.kommun
            prev.readmitted = day
            if prev.gaps > 0 and prev.first_gap_edge is not None:
                a, bb = prev.first_gap_edge
                world.gap(prev, GapKind.READMITTED_AFTER_GAP, a, bb, day, count=False)
            ward, misplaced = self.choose_ward(k, d)
            if ward is None:
                self._turn_away()
                world.end_chain(patient)
            else:
                ward.admit(patient, day, d.full() if patient.lus else d, misplaced, previous=prev)
                ward.admitted_today += 1
                k.admitted_today += 1

    def _turn_away(self) -> None:
        self.turned_away += 1
        if self.world.day >= self.world.warmup:
            self.turned_away_total += 1

    def fill_initial_state(self) -> None:
        """Fill wards and places to their initial occupancy (patients admitted before day 0)."""
        world = self.world
        world.events.day = 0
        rng = world.streams["initial"]
        pop = np.array([k.spec.population_65plus for k in self.kommuner], dtype=float)
        by_name = {k.name: k for k in self.kommuner}
        for w in self.wards:
            n_occ = min(w.beds, int(round(w.beds * w.spec.initial_occupancy)))
            n_ready = int(round(n_occ * w.spec.initial_ready_share))
            if n_occ == 0:
                continue
            served = (
                [by_name[n] for n in sorted(w.serves)]
                or [k for k in self.kommuner if w.hospital in k.spec.hospitals]
                or self.kommuner
            )
            weights = np.array([pop[k.index] for k in served], dtype=float)
            weights = weights / weights.sum() if weights.sum() > 0 else None
            choice = rng.choice(len(served), size=n_occ, p=weights)
            block = self.draw_block(n_occ)
            elapsed_u = rng.random(n_occ)
            waited = rng.integers(0, 7, size=n_occ)
            for i in range(n_occ):
                k = served[int(choice[i])]
                is_ready = i < n_ready
                d = block[i]
                patient = self.new_patient(k, d, lus_only=is_ready)
                los = d.los
                if patient.lus:
                    # admitted before day 0: registered, on time (the streams are drawn all the same)
                    d = d.full()._replace(notice=-1.0, notice_late=1.0)
                # Only patients someone must receive can be waiting; if the mix has none, they
                # start as ordinary in-treatment patients.
                if is_ready and patient.lus:
                    ready = -int(waited[i])
                    w.admit(patient, 0, d, misplaced=False, admitted=ready - los, ready=ready)
                else:
                    w.admit(patient, 0, d, misplaced=False, admitted=-int(elapsed_u[i] * los))
        for k in self.kommuner:
            k.fill_places(rng)
        world.events.day = -1


def _choice_table(weights: np.ndarray) -> list[float]:
    """Cumulative shares for choosing by a uniform ``u`` with ``bisect_right(table, u)``.

    The last entry is infinity, so a ``u`` at or above the rounded-off total still picks the last item
    (the same choice as capping the index at the last one, without the cap's two calls per choice).
    """
    table = np.cumsum(weights / weights.sum()).tolist()
    table[-1] = math.inf
    return table


def _pick_free(wards: list[Any], u: float) -> Any:
    """A ward with a free bed, with probability proportional to its free beds (by the uniform ``u``).

    None when every ward is full; the only ward with a free bed when there is one.
    """
    if len(wards) == 1:
        w = wards[0]
        return w if w.free > 0 else None
    total = 0
    n_free = 0
    last = None
    for w in wards:
        f = w.free
        if f > 0:
            total += f
            n_free += 1
            last = w
    if n_free <= 1:
        return last
    target = u * total
    acc = 0.0
    for w in wards:
        f = w.free
        if f > 0:
            acc += f
            if target < acc:
                return w
    return last
