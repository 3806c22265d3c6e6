"""Vårdcentraler (primary care centres): fast vårdkontakt, home health care and the SIP.

A vårdcentral's part of the chain:

- LUS step 2, :meth:`Vardcentral.name_care_contact` (*utse fast vårdkontakt*), for each notified
  admission of a patient who will need home health care; a request left unanswered makes the
  vårdcentral "invisible" until the ward chases it;
- LUS step 4, :meth:`Vardcentral.call_sip` (*kalla till SIP*), after the utskrivningsklar notice;
- at discharge, :meth:`Vardcentral.start_home_health` (basal hemsjukvård) when a slot is free today;
- LUS steps 7–8 after discharge, :meth:`Vardcentral.follow_up_after_discharge`: the SIP meeting is held
  (*upprätta SIP*, :meth:`Vardcentral.hold_sip`) and followed up (*följa upp och avsluta*).

Requests and SIP calls wait in one queue, worked through as staffing allows; a handled message is
acted on today with a chance that grows with the relationship to the patient's ward.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

import mesa

from simulation.chain import NEVER, Episode, KommunRole
from simulation.gaps import GapKind
from simulation.in_force import sip_call_rate
from simulation.organisation import Organisation
from simulation.organisation_specs import VardcentralSpec
from simulation.roster import Roster
from simulation.world import World

__all__ = ["CONTACT", "SIP_CALL", "Vardcentral"]

CONTACT = 0
"""Task: name a fast vårdkontakt for a notified admission (LUS step 2)."""
SIP_CALL = 1
"""Task: call a SIP meeting (LUS step 4)."""


class Vardcentral(Organisation):
    """A vårdcentral working through its queue of LUS tasks."""

    table = "vardcentral"
    spec: VardcentralSpec
    kommun: KommunRole

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: VardcentralSpec) -> None:
        """Create the vårdcentral ``name`` from its scenario entry."""
        super().__init__(model, world, name, index, spec)
        sc = world.scenario
        self.roster = Roster.from_spec(spec.roster, sc.weekend_staffing.vardcentral)
        self.home_health_roster = Roster.weekdays_with_weekend(sc.weekend_staffing.home_health_care)
        self._set_capacities()
        self.sip_call_rate = sip_call_rate(sc, spec)
        """The rate in force: the scenario-wide rule when set, else this vårdcentral's own."""
        self.tasks: deque[tuple[int, Episode]] = deque()
        self.home_health_left = 0
        """Home health care starts still possible today."""

    def connect(self, by_name: Mapping[str, Any]) -> None:
        """Join its kommun; an integrated one shares the kommun's rota (one organisation)."""
        kommun = by_name[self.spec.kommun]
        self.kommun = kommun
        kommun.vardcentraler.append(self)
        if kommun.integrated:
            assessors = kommun.assessor_roster
            self.roster = self.roster.combined(assessors)
            self.home_health_roster = self.home_health_roster.combined(assessors)
            self._set_capacities()

    def _set_capacities(self) -> None:
        """Tasks and home health care starts on each roster day (from the rosters in force)."""
        self._tasks_by_roster_day = self.roster.by_roster_day(self.spec.tasks_per_day)
        self._home_health_by_roster_day = self.home_health_roster.by_roster_day(
            self.spec.home_health_starts_per_day
        )

    # ------------------------------------------------------------------------------------------
    # The day

    @classmethod
    def work_all(cls, agents: mesa.agent.AgentSet, day: int) -> None:
        """Every vårdcentral in scenario order; one with nothing queued only opens today's starts.

        (Exactly what :meth:`work` does with an empty queue, without a call for each of the many
        vårdcentraler that have no task on most days.)
        """
        for vc in agents:
            if vc.tasks:
                vc.work(day)
            else:
                vc.home_health_left = vc._home_health_by_roster_day[vc.world.calendar.roster_day[day]]

    def work(self, day: int) -> None:
        """Open today's home health care starts, then work the task queue (LUS steps 2 and 4)."""
        world = self.world
        roster_day = world.calendar.roster_day[day]
        self.home_health_left = self._home_health_by_roster_day[roster_day]
        if not self.tasks:
            return
        cap = self._tasks_by_roster_day[roster_day]
        if cap == 0:
            return
        floor = world.scenario.relationships.act_speed_floor
        rng = world.streams["act_speed"]
        quality = world.network.quality
        later: list[tuple[int, Episode]] = []
        tasks = self.tasks
        while tasks and cap > 0:
            kind, ep = tasks.popleft()
            if kind == CONTACT and (not ep.in_hospital or ep.care_contact != NEVER):
                continue
            if rng.random() >= floor + (1.0 - floor) * quality(ep.ward.name, self.name):
                later.append((kind, ep))  # seen but not acted on today
                continue
            cap -= 1
            if kind == CONTACT:
                self.name_care_contact(ep, day)
            else:
                self.call_sip(ep, day)
        if later:
            tasks.extendleft(reversed(later))

    def name_care_contact(self, ep: Episode, day: int) -> None:
        """Utse fast vårdkontakt: answer the ward's request, or leave it unanswered.

        A request left unanswered is looked at again after ``rules.care_contact_retry_days`` (a
        reminder), with a fresh chance (stream ``answer_retry``).
        """
        world = self.world
        u = ep.draws.answer if ep.contact_requests == 0 else world.streams["answer_retry"].random()
        ep.contact_requests += 1
        if u < self.spec.answer_reliability:
            ep.care_contact = day
            return
        ep.vc_silent = True  # the request is left unanswered
        retry = world.rules.care_contact_retry_days
        if retry is not None:
            world.events.at(day + retry, self._reminded, ep)

    def _reminded(self, ep: Episode) -> None:
        if ep.in_hospital and ep.care_contact == NEVER:
            self.tasks.append((CONTACT, ep))

    def call_sip(self, ep: Episode, day: int) -> None:
        """Kalla till SIP: the fast vårdkontakt calls the meeting, or it is never called (a gap)."""
        ep.sip_pending = False
        floor = self.world.scenario.relationships.sip_call_floor
        rate = self.sip_call_rate
        if floor < 1.0:
            rate *= floor + (1.0 - floor) * self.world.network.quality(self.name, self.kommun.name)
        if ep.care_contact != NEVER and ep.draws.sip_call < rate:
            ep.sip_called = day
            if not ep.in_hospital:
                self.world.events.at(max(day + 1, ep.discharged + ep.draws.sip_delay), self.hold_sip, ep)
        elif not ep.in_hospital:
            self._sip_not_called(ep, day)

    # ------------------------------------------------------------------------------------------
    # Messages from the ward and the kommun

    def receive_admission_notice(self, ep: Episode) -> None:
        """The inskrivningsmeddelande (or a phone call in its place) reaches the vårdcentral."""
        if ep.vc_informed != NEVER:
            return
        ep.vc_informed = self.world.day
        self.tasks.append((CONTACT, ep))
        if self.kommun.integrated and ep.needs_kommun:
            self.kommun.receive_admission_notice(ep)  # one organisation, shared information

    def hear_of_admission(self, ep: Episode) -> None:
        """A patient the ward never registered is mentioned by phone."""
        if ep.in_hospital and ep.vc_informed == NEVER:
            self.receive_admission_notice(ep)

    def receive_ready_notice(self, ep: Episode) -> None:
        """The utskrivningsklar notice: a SIP is to be called (LUS step 4)."""
        ep.sip_pending = True
        self.tasks.append((SIP_CALL, ep))

    def start_home_health(self) -> bool:
        """Take one of today's home health care starts; False when none is left."""
        if self.home_health_left <= 0:
            return False
        self.home_health_left -= 1
        return True

    # ------------------------------------------------------------------------------------------
    # After discharge: LUS steps 7 and 8

    def follow_up_after_discharge(self, ep: Episode, day: int) -> None:
        """Hold the SIP that was called; one never called (and no longer pending) is a gap."""
        if ep.sip_called != NEVER:
            self.world.events.at(day + ep.draws.sip_delay, self.hold_sip, ep)
        elif not ep.sip_pending:
            self._sip_not_called(ep, day)

    def _sip_not_called(self, ep: Episode, day: int) -> None:
        ep.sip_outcome = day
        ep.draws = None  # the episode's random numbers are all used
        if ep.vc_informed == NEVER:  # the ward never told the vårdcentral: the gap is theirs
            self.world.gap(ep, GapKind.SIP_NOT_CALLED, ep.ward.name, self.name, day)
        else:
            self.world.gap(ep, GapKind.SIP_NOT_CALLED, self.name, self.kommun.name, day)

    def hold_sip(self, ep: Episode) -> None:
        """Upprätta SIP: the meeting is held (digitally or in person) or falls through (a gap)."""
        world = self.world
        day = world.day
        sip = world.scenario.sip
        p = sip.held_probability_digital if world.rules.digital_meetings else sip.held_probability_physical
        draws = ep.draws
        ep.draws = None  # the episode's random numbers are all used
        ep.sip_outcome = day
        if draws.sip_held < p:
            ep.sip_held = day
            world.network.joint_success(self.name, self.kommun.name)
            world.events.at(day + draws.follow_up_delay, self._close_sip, ep)
        else:
            world.gap(ep, GapKind.SIP_NOT_HELD, self.name, self.kommun.name, day)

    def _close_sip(self, ep: Episode) -> None:
        """Följa upp och avsluta SIP: the plan is followed up."""
        ep.follow_up = self.world.day
