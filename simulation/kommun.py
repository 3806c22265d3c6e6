"""Kommuner (municipalities): the biståndshandläggare who plan, and the support they put in place.

A kommun's part of the chain (LUS step 3 and the kommun's side of steps 5–6):

- :meth:`Kommun.receive_admission_notice`: the inskrivningsmeddelande arrives; the case joins the
  assessors' planning queue;
- :meth:`Kommun.plan` (*planera inför utskrivning*): assessors take new cases as staffing allows;
  planning takes longer across a weak relationship with the ward;
- :meth:`Kommun.can_receive`: whether the support the patient needs is in place (planning done, the
  start arranged after the utskrivningsklar notice, and a home-help start or a place free today);
- :meth:`Kommun.receive_patient`: start home help, or hold a short-term or care-home place, at
  discharge; :meth:`Kommun.release_place` when the stay ends.
"""

from __future__ import annotations

from collections import deque

import mesa
import numpy as np

from simulation.chain import NEVER, Episode, Location, Patient, Support, VardcentralRole
from simulation.organisation import Organisation
from simulation.organisation_specs import KommunSpec
from simulation.randomness import geometric_days
from simulation.roster import Roster
from simulation.world import World

__all__ = ["Kommun"]


class Kommun(Organisation):
    """A kommun: its biståndshandläggare's planning queue and its care capacity."""

    table = "kommun"
    spec: KommunSpec

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: KommunSpec) -> None:
        """Create the kommun ``name`` from its scenario entry."""
        super().__init__(model, world, name, index, spec)
        weekend = world.scenario.weekend_staffing
        capacity = world.scenario.capacity
        self.integrated = spec.integrated_primary_care
        """Kommun and its vårdcentraler are one organisation (the Norrtälje model)."""
        self.search_probability = spec.active_search_probability
        """Daily chance that the kommun finds an unregistered resident by phoning the wards."""
        self.assessor_roster = Roster.from_spec(spec.assessor_roster, weekend.assessor)
        self.home_help_roster = Roster.from_spec(spec.home_help_roster, weekend.home_help_starts)
        self.intake_roster = Roster.from_spec(spec.place_intake_roster, weekend.place_intake)
        self._intake_by_roster_day = self.intake_roster.by_roster_day(spec.place_intakes_per_day)
        self.vardcentraler: list[VardcentralRole] = []
        self.planning_queue: deque[Episode] = deque()
        self.assessor_capacity = round(spec.assessor_capacity * capacity.assessor)
        self._assessors_by_roster_day = self.assessor_roster.by_roster_day(self.assessor_capacity)
        self.home_help_rate = spec.home_help_starts_per_day * capacity.home_help_starts
        """Home-help starts on a fully staffed day; may be fractional (scaled by a capacity factor)."""
        self._home_help_carry = 0.0
        self.short_term_capacity = round(spec.short_term_places * capacity.short_term_places)
        self.care_home_capacity = round(spec.care_home_places * capacity.care_home_places)
        self.short_term_used = 0
        self.care_home_used = 0
        self.home_help_left = 0
        """Home-help starts still possible today."""
        self.intake_left = 0
        """New residents short-term and care-home places can still take today."""
        self.ready_count = 0
        """Residents utskrivningsklara in hospital beds now."""
        community = world.scenario.community
        per_day = spec.population_65plus / 1000.0 / 365.0
        self._community_rates = (
            community.home_help_per_1000_65plus * per_day,
            community.short_term_per_1000_65plus * per_day,
        )
        self.community_home_help: deque[int] = deque()
        """Home-help requests from people at home not yet met: the day each was made, oldest first."""
        self.community_short_term: deque[int] = deque()
        """Short-term place requests from people at home not yet met, likewise."""
        self.community_served = 0
        self.community_wait_days = 0
        self.admitted_today = 0

    def usual_partners(self) -> list[tuple[str, float, bool, bool]]:
        """Its vårdcentraler; fixed at full strength when they are one organisation with the kommun."""
        rp = self.world.scenario.relationships
        strength = 1.0 if self.integrated else rp.initial_strength
        routine = self.integrated or rp.routines_kommun_vardcentral
        return [(vc.name, strength, self.integrated, routine) for vc in self.vardcentraler]

    # ------------------------------------------------------------------------------------------
    # The day

    def work(self, day: int) -> None:
        """Open today's home-help starts and place intake, then plan (LUS step 3)."""
        roster_day = self.world.calendar.roster_day[day]
        self.open_home_help(self.home_help_roster.fractions[roster_day])
        self.intake_left = self._intake_by_roster_day[roster_day]
        if (
            self._community_rates[0] > 0.0
            or self._community_rates[1] > 0.0
            or self.community_home_help
            or self.community_short_term
        ):
            self.serve_community(day)
        if self.planning_queue:
            self.plan(day)

    def serve_community(self, day: int) -> None:
        """Requests from people at home arrive and are met, oldest first, as capacity allows.

        They are met before the day's hospital discharges (phase 4), so they compete for the same
        home-help starts, place intake and short-term places. Home help and short-term places are
        separate resources, so each kind waits in its own queue and a day's work stops where its
        resource runs out (a long queue costs nothing on a day it cannot move).
        """
        rng = self.world.streams["community"]
        # two scalar draws: the same numbers as one draw of both rates, at a sixth of the cost
        home_help_rate, short_term_rate = self._community_rates
        home_help, short_term = int(rng.poisson(home_help_rate)), int(rng.poisson(short_term_rate))
        waiting = self.community_home_help
        if home_help:
            waiting.extend([day] * home_help)
        n = len(waiting)
        if n > self.home_help_left:
            n = self.home_help_left
        if n > 0:
            self.home_help_left -= n
            self.community_served += n
            self.community_wait_days += sum(day - waiting.popleft() for _ in range(n))
        waiting = self.community_short_term
        if short_term:
            waiting.extend([day] * short_term)
        if not waiting:
            return
        stay_days = self.world.scenario.durations.short_term_stay_days
        while waiting and self.intake_left > 0 and self.short_term_used < self.short_term_capacity:
            asked = waiting.popleft()
            self.intake_left -= 1
            self.short_term_used += 1
            stay = stay_days.sample_day(rng, minimum=1)
            self.world.events.at(day + stay, self._release_resident, Location.SHORT_TERM)
            self.community_served += 1
            self.community_wait_days += day - asked

    def open_home_help(self, fraction: float) -> None:
        """Set today's home-help starts from the staffed share of the daily rate.

        Fractions carry over to later days, so a rate of 1.5 gives 1 and 2 starts on alternate days.
        """
        if fraction <= 0.0 or self.home_help_rate <= 0.0:
            self.home_help_left = 0
            return
        due = self._home_help_carry + self.home_help_rate * fraction
        self.home_help_left = int(due)
        self._home_help_carry = due - self.home_help_left

    def plan(self, day: int) -> None:
        """Planera inför utskrivning: assessors take cases in order of notice, as staffing allows.

        Planning takes its drawn duration times ``1 + planning_slowdown * (1 - quality)``, the quality
        of the handover from the patient's ward (its relationship strength, raised by a shared
        routine; relationships.py).
        """
        world = self.world
        cap = self._assessors_by_roster_day[world.calendar.roster_day[day]]
        slowdown = world.scenario.relationships.planning_slowdown
        quality = world.network.quality
        queue = self.planning_queue
        while queue and cap > 0:
            ep = queue.popleft()
            if not ep.in_hospital:
                continue
            cap -= 1
            factor = 1.0 + slowdown * (1.0 - quality(ep.ward.name, self.name))
            ep.planning_started = day
            ep.planned = day + int(round(ep.draws.planning * factor))
            voice = world.scenario.patient_voice
            if ep.draws.voice >= voice.participation:  # planned over the patient's head
                ep.misjudged = ep.draws.misjudged < voice.misjudged_without_voice

    # ------------------------------------------------------------------------------------------
    # Messages from the ward and the vårdcentral

    def receive_admission_notice(self, ep: Episode) -> None:
        """The inskrivningsmeddelande (or a phone call in its place) reaches the kommun."""
        if ep.kommun_informed != NEVER:
            return
        day = self.world.day
        ep.kommun_informed = day
        self.planning_queue.append(ep)
        if ep.ready_notice != NEVER:
            self.receive_ready_notice(ep, day)  # learnt of the patient after the ready notice
        if self.integrated and ep.home_health_care:
            ep.patient.vardcentral.receive_admission_notice(ep)  # one organisation, shared information

    def find_unnotified(self, ep: Episode) -> None:
        """A resident the ward never registered is found by phone (informally, or by searching)."""
        if ep.in_hospital and ep.kommun_informed == NEVER:
            self.receive_admission_notice(ep)

    def receive_ready_notice(self, ep: Episode, day: int) -> None:
        """Meddela utskrivningsklar: the kommun arranges the start of support.

        It takes the floor (``durations.support_lead_days``) plus days whose mean falls linearly from
        ``support_start_days_weak`` to ``support_start_days_strong`` with the quality of the handover
        between the ward and the kommun (relationship and shared routine).
        """
        rp = self.world.scenario.relationships
        q = self.world.network.quality(ep.ward.name, self.name)
        mean = rp.support_start_days_weak + (rp.support_start_days_strong - rp.support_start_days_weak) * q
        ep.support_from = day + ep.draws.lead_days + geometric_days(ep.draws.handover, mean)

    def can_receive(self, ep: Episode, day: int) -> bool:
        """Whether the support ``ep``'s patient needs is in place on ``day``."""
        if ep.planned == NEVER or ep.planned > day:
            return False
        if ep.support_from == NEVER or day < ep.support_from:
            return False  # the kommun arranges the start once it knows the discharge date
        support = ep.patient.support
        if support == Support.HOME_HELP:
            return self.home_help_left > 0
        if ep.patient.holds_needed_place():
            return True
        if support == Support.SHORT_TERM:
            return self.intake_left > 0 and self.short_term_used < self.short_term_capacity
        return self.intake_left > 0 and self.care_home_used < self.care_home_capacity

    def receive_patient(self, ep: Episode, day: int, in_place: bool) -> None:
        """The patient leaves hospital: back to a held place, or into the support now in place."""
        patient = ep.patient
        if patient.holds_needed_place():
            patient.location = patient.held_place  # back to the place kept for the patient
        elif in_place:
            support = patient.support
            if support == Support.HOME_HELP:
                self.home_help_left -= 1
            elif support in (Support.SHORT_TERM, Support.CARE_HOME):
                self.intake_left -= 1
                self._take_place(patient, support, day)

    # ------------------------------------------------------------------------------------------
    # Places

    def _take_place(self, patient: Patient, support: Support, day: int) -> None:
        durations = self.world.scenario.durations
        rng = self.world.streams["places"]
        if support == Support.SHORT_TERM:
            self.short_term_used += 1
            stay = durations.short_term_stay_days.sample_day(rng, minimum=1)
            patient.location = patient.held_place = Location.SHORT_TERM
        else:
            self.care_home_used += 1
            stay = durations.care_home_stay_days.sample_day(rng, minimum=1)
            patient.location = patient.held_place = Location.CARE_HOME
        self.world.events.at(day + stay, self.release_place, patient)

    def release_place(self, patient: Patient) -> None:
        """A stay in a short-term or care-home place ends (the patient's chain may end with it)."""
        if patient.held_place == Location.SHORT_TERM:
            self.short_term_used -= 1
        elif patient.held_place == Location.CARE_HOME:
            self.care_home_used -= 1
        patient.held_place = None
        if patient.location != Location.WARD:
            patient.location = Location.HOME
            self.world.end_chain(patient)

    def fill_places(self, rng: np.random.Generator) -> None:
        """Fill places to their initial occupancy with residents already there before day 0."""
        durations = self.world.scenario.durations
        for kind, cap, dist in (
            (Location.SHORT_TERM, self.short_term_capacity, durations.short_term_stay_days),
            (Location.CARE_HOME, self.care_home_capacity, durations.care_home_stay_days),
        ):
            n = int(round(cap * self.spec.initial_place_occupancy))
            if n == 0:
                continue
            # Residual stays of residents already in place: a uniform share of a full stay.
            residual = np.maximum(1, (dist.sample(rng, n) * rng.random(n)).astype(int))
            if kind == Location.SHORT_TERM:
                self.short_term_used += n
            else:
                self.care_home_used += n
            for r in residual.tolist():
                self.world.events.at(r, self._release_resident, kind)

    def _release_resident(self, kind: Location) -> None:
        if kind == Location.SHORT_TERM:
            self.short_term_used -= 1
        else:
            self.care_home_used -= 1
