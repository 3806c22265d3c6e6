"""Hospital wards (avdelningar) and their vårdsamordnare: where the chain starts and ends.

A ward's part of the chain:

- :meth:`Ward.admit` a patient to a bed, and LUS step 1, :meth:`Ward.send_admission_notice`
  (*skicka inskrivningsmeddelande*) to the kommun and vårdcentral; a notice never registered can
  only be recovered by phone;
- LUS step 5, :meth:`Ward.declare_ready` (the doctor's *utskrivningsklar*, on a ward round) and the
  ready notice, sent by the vårdsamordnare on a staffed day (:meth:`Ward.work`);
- :meth:`Ward.chase_care_contact`: the coordinator phones a silent vårdcentral;
- LUS step 6, :meth:`Ward.discharge` (*informera vid utskrivning*): the patient leaves once the
  receivers are ready, or anyway under the forced-discharge rules; every gap the patient falls into
  is recorded against the two organisations on either side of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import mesa

from simulation.admissions import readmission_follows
from simulation.chain import NEVER, CoreDraws, Episode, EpisodeDraws, KommunRole, Location, Patient
from simulation.gaps import GapKind
from simulation.in_force import notice_reliability
from simulation.organisation import Organisation
from simulation.organisation_specs import WardSpec
from simulation.roster import Roster
from simulation.world import World

__all__ = ["Ward"]


class Ward(Organisation):
    """A ward: beds, the patients in them, and the queue of utskrivningsklara patients."""

    table = "ward"
    spec: WardSpec

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: WardSpec) -> None:
        """Create the ward ``name`` from its scenario entry."""
        super().__init__(model, world, name, index, spec)
        sc = world.scenario
        self.hospital = spec.hospital
        self.beds = spec.beds
        self.serves = frozenset(spec.serves)
        self.coordinator_roster = Roster.from_spec(
            spec.coordinator_roster, sc.weekend_staffing.ward_coordinator
        )
        self._coordinators_by_roster_day = self.coordinator_roster.by_roster_day(spec.coordinator_capacity)
        self._doctor_weekend = sc.weekend_staffing.ward_doctor
        """Chance that a ward round declares a patient utskrivningsklar on an off day."""
        self._off = world.calendar.off_day_list
        self.notice_reliability = notice_reliability(sc, spec)
        """The reliability in force: the scenario-wide rule when set, else this ward's own."""
        self.in_bed: dict[int, Episode] = {}
        """Episodes of the patients in this ward's beds, by episode id."""
        self.free = self.beds
        """Beds free now (``beds - len(in_bed)``, kept by :meth:`admit` and :meth:`discharge`)."""
        self.waiting: list[Episode] = []
        """Utskrivningsklara LUS patients waiting for discharge, oldest first."""
        self.ready_count = 0
        self.discharged_today = 0
        self.admitted_today = 0
        self._kommuner: dict[str, KommunRole] = {}
        self._ward_round = self.declare_ready
        """The handler of a patient's ward-round event (one bound method, not one per admission)."""

    def connect(self, by_name: Mapping[str, Any]) -> None:
        """Know the kommuner it serves (its usual partners)."""
        self._kommuner = {k: by_name[k] for k in sorted(self.serves)}

    def usual_partners(self) -> list[tuple[str, float, bool, bool]]:
        """The kommuner it serves and their vårdcentraler."""
        rp = self.world.scenario.relationships
        initial = rp.initial_strength
        partners = []
        for k in self._kommuner.values():
            partners.append((k.name, initial, False, rp.routines_ward_kommun))
            partners += [(vc.name, initial, False, rp.routines_ward_vardcentral) for vc in k.vardcentraler]
        return partners

    @property
    def occupied(self) -> int:
        """Beds occupied now."""
        return len(self.in_bed)

    @classmethod
    def work_all(cls, agents: mesa.agent.AgentSet, day: int) -> None:
        """Wards work in an order that rotates daily, so that none gets the free places first."""
        wards = list(agents)
        start = day % len(wards) if wards else 0
        for w in wards[start:] + wards[:start]:
            if w.waiting:
                w.work(day)

    # ------------------------------------------------------------------------------------------
    # Admission and LUS step 1

    def admit(
        self,
        patient: Patient,
        day: int,
        draws: EpisodeDraws | CoreDraws,
        misplaced: bool,
        admitted: int | None = None,
        ready: int | None = None,
        previous: Episode | None = None,
    ) -> Episode:
        """Put ``patient`` in a bed with the episode's ``draws``; notify; plan the ward round.

        ``admitted`` and ``ready`` place patients already in hospital before day 0.
        """
        world = self.world
        ep = Episode(len(world.episodes), patient, self, day if admitted is None else admitted, draws)
        world.episodes.append(ep)
        ep.misplaced = misplaced
        if previous is not None:
            ep.readmission_of = previous.episode_id
        patient.episode = ep
        patient.location = Location.WARD
        self.in_bed[ep.episode_id] = ep
        self.free -= 1
        if ep.lus:  # someone must receive the patient
            self.send_admission_notice(ep, day)
        if ready is None:
            ready_day = ep.admitted + draws.los  # treatment ends (today at the earliest)
            if ready_day < day:
                ready_day = day
            off = self._off
            horizon = world.horizon
            if ready_day < horizon and off[ready_day] and draws.doctor >= self._doctor_weekend:
                # No doctor's round to declare the patient utskrivningsklar: next working day.
                while ready_day < horizon and off[ready_day]:
                    ready_day += 1
            world.events.at(ready_day, self._ward_round, ep)
        else:
            self.declare_ready(ep, ready)
        if not ep.lus:
            ep.draws = None  # used up: the episode keeps the readmission's two numbers itself
        return ep

    def send_admission_notice(self, ep: Episode, day: int) -> None:
        """Skicka inskrivningsmeddelande: registered in the IT system (perhaps late), or not at all.

        An unregistered patient reaches the kommun or vårdcentral only by an informal phone call,
        likelier across a strong relationship (or by the kommun's own search).
        """
        world = self.world
        draws = ep.draws
        reliability = self.notice_reliability
        if ep.misplaced:
            reliability *= world.rules.misplaced_notice_factor
        if draws.notice < reliability:
            late = draws.notice_late < self.spec.notice_late_probability
            delay = draws.notice_delay if late else 0
            ep.notice_sent = day + delay
            world.events.at(day + delay, self._deliver_notice, ep)
            return
        patient = ep.patient
        k, vc = patient.kommun, patient.vardcentral
        informal = world.scenario.relationships.informal_recovery_per_day
        strength = world.network.strength
        if ep.needs_kommun:
            p = 1.0 - (1.0 - informal * strength(self.name, k.name)) * (1.0 - k.search_probability)
            delay = _geometric_delay(draws.recover_kommun, p)
            if delay is not None:
                world.events.at(day + delay, k.find_unnotified, ep)
        if ep.home_health_care:
            p = informal * strength(self.name, vc.name)
            delay = _geometric_delay(draws.recover_vardcentral, p)
            if delay is not None:
                world.events.at(day + delay, vc.hear_of_admission, ep)

    def _deliver_notice(self, ep: Episode) -> None:
        if not ep.in_hospital:
            return
        if ep.needs_kommun:
            ep.patient.kommun.receive_admission_notice(ep)
        if ep.home_health_care:
            ep.patient.vardcentral.receive_admission_notice(ep)

    # ------------------------------------------------------------------------------------------
    # LUS steps 5 and 6

    def declare_ready(self, ep: Episode, day: int | None = None) -> None:
        """The doctor declares the patient utskrivningsklar; LUS patients wait for the ready notice."""
        today = self.world.events.day
        if day is None:  # today's ward round (the usual case: an event)
            d = leave = today
        else:  # a patient already waiting before day 0 leaves on day 0 at the earliest
            d, leave = day, max(day, today)
        ep.ready = d
        if not ep.lus:  # nobody must receive the patient: home at once (most patients)
            self.discharge(ep, leave, forced=False)
            return
        self.ready_count += 1
        ep.patient.kommun.ready_count += 1
        if ep.notice_sent != NEVER or ep.kommun_informed != NEVER or ep.vc_informed != NEVER:  # registered
            ep.waiting = True
            self.waiting.append(ep)
        else:
            # The ward never registered the patient in the IT system: nobody to coordinate with.
            self.discharge(ep, leave, forced=False)

    def work(self, day: int) -> None:
        """The vårdsamordnare's day: ready notices, chasing, discharges, forced discharges, payment."""
        world = self.world
        rules = world.rules
        forced_rule = rules.forced_discharge
        wait_cc = rules.wait_for_care_contact_days
        threshold = rules.payment_threshold_days
        cap = self._coordinators_by_roster_day[world.calendar.roster_day[day]]
        staffed = cap > 0
        chargeable = staffed or rules.payment_days == "calendar"
        remaining: list[Episode] = []
        for ep in self.waiting:
            patient = ep.patient
            k, vc = patient.kommun, patient.vardcentral
            if ep.ready_notice == NEVER:
                if not staffed:
                    remaining.append(ep)
                    continue
                ep.ready_notice = day  # meddela utskrivningsklar
                if ep.needs_kommun and ep.kommun_informed != NEVER:
                    k.receive_ready_notice(ep, day)
                if ep.sip_eligible and ep.vc_informed != NEVER:
                    vc.receive_ready_notice(ep)
            vc_known = ep.home_health_care and ep.vc_informed != NEVER
            if vc_known and ep.care_contact == NEVER and staffed:
                self.chase_care_contact(ep, day)
            k_block = ep.needs_kommun and ep.kommun_informed != NEVER and not k.can_receive(ep, day)
            contact_missing = vc_known and ep.care_contact == NEVER
            # only a patient with a care contact gets home health care started at discharge
            hhc_block = vc_known and ep.care_contact != NEVER and vc.home_health_left <= 0
            if contact_missing and wait_cc is not None and day - ep.ready_notice >= wait_cc:
                contact_missing = False  # the ward stops waiting for the vårdcentral
            if not k_block and not contact_missing and not hhc_block and cap > 0:
                cap -= 1
                self.discharge(ep, day, forced=False)
                continue
            if forced_rule.max_wait_days is not None and day - ep.ready >= forced_rule.max_wait_days:
                self.discharge(ep, day, forced=True)
                continue
            if k_block and chargeable and day - ep.ready_notice >= threshold:
                # betalningsansvar: by default only for days the ward could have discharged but for
                # the kommun; every day after the threshold with rules.payment_days = "calendar"
                ep.payment_days += 1
                world.kommun_payment_days[day, k.index] += 1
            remaining.append(ep)
        pressure = forced_rule.bed_pressure_occupancy
        if pressure is not None:
            while remaining and len(self.in_bed) >= pressure * self.beds:
                self.discharge(remaining.pop(0), day, forced=True)
        self.waiting = remaining

    def _inform_at_discharge(
        self, ep: Episode, kommun: str | None, vardcentral: str, draws: EpisodeDraws, day: int
    ) -> None:
        """Informera vid utskrivning: each receiver who knew of the stay should hear of the discharge.

        The information fails with chance ``discharge_info_failure * (1 - quality)`` per receiver
        (one uniform per episode, so a failure to send reaches both).
        """
        world = self.world
        fail = world.rules.discharge_info_failure
        if fail <= 0.0:
            return
        quality = world.network.quality
        if kommun is not None and draws.info < fail * (1.0 - quality(self.name, kommun)):
            world.gap(ep, GapKind.UNINFORMED_AT_DISCHARGE, self.name, kommun, day)
        if (
            ep.home_health_care
            and ep.vc_informed != NEVER
            and draws.info < fail * (1.0 - quality(self.name, vardcentral))
        ):
            world.gap(ep, GapKind.UNINFORMED_AT_DISCHARGE, self.name, vardcentral, day)

    def chase_care_contact(self, ep: Episode, day: int) -> None:
        """Chase a silent vårdcentral for a care contact: named today with chance chase × quality.

        Seed 002 (a vårdsamordnare): the hospital has had to "ta över och ligga på vårdcentralerna,
        vara drivande i frågan hela tiden" (their examples: SIP, egenvårdsintyg); the vårdcentraler
        are not in the process from the start, and their own contact comes late, just before
        discharge: "det kommer ofta någon liten chatt strax innan patienten ska planeras hem". That
        chasing gets a care contact named, and how likely, is an assumption.
        """
        world = self.world
        p = world.scenario.relationships.chase_probability
        # the handover's quality: the people (strength) and the contact routes a routine keeps up
        quality = world.network.quality(self.name, ep.patient.vardcentral.name)
        if world.streams["chase"].random() < p * quality:
            ep.care_contact = day

    def discharge(self, ep: Episode, day: int, forced: bool) -> None:
        """Informera vid utskrivning: the patient leaves; record each gap they fall into.

        A patient outside the discharge law (nobody must receive them) simply goes home: no notice to
        give, no gap to fall into; they never counted as waiting (``ready_count``).
        """
        world = self.world
        patient = ep.patient
        del self.in_bed[ep.episode_id]
        self.free += 1
        self.discharged_today += 1
        ep.discharged = day
        world.discharges_today += 1
        if not ep.lus:
            patient.location = Location.HOME
            if not readmission_follows(world, ep, day):
                world.end_chain(patient)
            return
        k, vc = patient.kommun, patient.vardcentral
        draws = ep.draws
        self.ready_count -= 1
        k.ready_count -= 1
        ep.forced = forced
        ep.waiting = False
        if forced:
            world.forced_today += 1
        in_place = False
        if ep.needs_kommun:
            if ep.kommun_informed == NEVER:
                world.gap(ep, GapKind.UNNOTIFIED_DISCHARGE, self.name, k.name, day)
            elif not k.can_receive(ep, day):
                world.gap(ep, GapKind.SUPPORT_NOT_IN_PLACE, self.name, k.name, day)
            else:
                in_place = True
        if ep.home_health_care:
            if ep.vc_informed == NEVER:
                world.gap(ep, GapKind.UNNOTIFIED_DISCHARGE, self.name, vc.name, day)
            elif ep.care_contact == NEVER:
                world.gap(ep, GapKind.NO_CARE_CONTACT, self.name, vc.name, day)
            elif not vc.start_home_health():
                world.gap(ep, GapKind.SUPPORT_NOT_IN_PLACE, self.name, vc.name, day)
        if ep.misjudged:
            world.gap(ep, GapKind.NEEDS_MISJUDGED, self.name, k.name, day)
        if in_place or ep.home_health_care:  # someone to inform
            self._inform_at_discharge(ep, k.name if in_place else None, vc.name, draws, day)
        patient.location = Location.HOME
        if ep.needs_kommun:
            k.receive_patient(ep, day, in_place)
        if ep.sip_eligible:
            vc.follow_up_after_discharge(ep, day)
        else:
            ep.draws = None  # nothing after discharge uses the episode's random numbers
        if ep.gaps == 0 and not forced:  # the chain held
            if ep.needs_kommun:
                world.network.joint_success(self.name, k.name)
            if ep.home_health_care:
                world.network.joint_success(self.name, vc.name)
        if not readmission_follows(world, ep, day):
            world.end_chain(patient)


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
