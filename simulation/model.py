"""The discharge-chain model: the conductor of wards, vårdcentraler and kommuner under LUS.

The model builds the world from the scenario (organisations from their tables, their usual
relationships, the arrival process, the initial state) and then, each calendar day, lets everyone act
in a fixed order:

1. scheduled events fall due (a patient's treatment ends and the doctor declares them
   utskrivningsklar, late or recovered admission notices, SIP meetings, readmissions, places released,
   staff turnover);
2. the structures around the chain act: the region's agreements reach the local level
   (``Region.work``), kluster meet (``Kluster.work``), an FoU unit turns forum meetings into projects
   (``FoU.work``); then every vårdcentral works its queue: names a fast vårdkontakt, calls SIPs
   (``Vardcentral.work``);
3. every kommun opens its home-help starts and place intake, meets requests from people at home, and
   its assessors plan (``Kommun.work``);
4. every ward's vårdsamordnare sends ready notices, chases silent vårdcentraler and discharges the
   patients whose receivers are ready, or anyway under the forced-discharge rules (``Ward.work``;
   the wards' order rotates daily);
5. new admissions and readmissions are placed in beds and their admission notices sent
   (``Admissions.admit_today``);
6. the day is recorded (Mesa's DataCollector and per-organisation arrays).

What each organisation does is in its own module; the model holds no LUS rule itself.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import mesa
import numpy as np
from mesa.time import Schedule

from simulation.admissions import Admissions
from simulation.chain import Episode
from simulation.gaps import GapKind
from simulation.kommun import Kommun
from simulation.organisation import Organisation
from simulation.organisations import DAY_ORDER, KINDS, TURNOVER_ORDER
from simulation.scenario_schema import Scenario
from simulation.vardcentral import Vardcentral
from simulation.ward import Ward
from simulation.world import STREAMS, World

__all__ = ["STREAMS", "DischargeModel"]


class DischargeModel(mesa.Model):
    """Agent-based model of the LUS discharge chain for one scenario and one seed."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        kinds: tuple[type[Organisation], ...] = KINDS,
        day_order: tuple[type[Organisation], ...] = DAY_ORDER,
    ) -> None:
        """Build the world of ``scenario``; ``kinds``/``day_order`` extend it with new organisation kinds."""
        self.seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=self.seed)
        self.params = scenario  # (Mesa reserves `scenario` for its own experimental Scenario)
        self.horizon = scenario.days
        self.warmup = scenario.warmup_days
        self.day_order = day_order
        world = self.world = World(scenario, self.seed)
        self.calendar = world.calendar
        self.network = world.network
        self.gaps = world.gaps
        self.episodes: list[Episode] = world.episodes
        self.kommun_payment_days = world.kommun_payment_days
        self.organisations: dict[str, Organisation] = {}
        for kind in kinds:
            for index, (name, spec) in enumerate(getattr(scenario, kind.table).items()):
                if name in self.organisations:
                    raise ValueError(f"{kind.table}.{name}: the name is taken by another organisation")
                self.organisations[name] = kind(self, world, name, index, spec)
        for org in self.organisations.values():
            org.connect(self.organisations)
        world.next_patient_id = self.agent_id_counter  # patient ids continue Mesa's numbering
        self.kommuner: list[Kommun] = self._of(Kommun)
        self.vardcentraler: list[Vardcentral] = self._of(Vardcentral)
        self.wards: list[Ward] = self._of(Ward)
        self._build_relationships()
        self.admissions = Admissions(world, self.kommuner, self.wards)
        n_days, n_w, n_k = self.horizon, len(self.wards), len(self.kommuner)
        self.ward_occupied = np.zeros((n_days, n_w), dtype=np.int32)
        self.ward_ready = np.zeros((n_days, n_w), dtype=np.int32)
        self.ward_admissions = np.zeros((n_days, n_w), dtype=np.int32)
        self.ward_discharges = np.zeros((n_days, n_w), dtype=np.int32)
        self.kommun_ready = np.zeros((n_days, n_k), dtype=np.int32)
        self.kommun_admissions = np.zeros((n_days, n_k), dtype=np.int32)
        self.admissions_today = 0
        # today's totals, set by _record (attribute reporters: no call per reporter and day)
        self.beds_occupied_today = self.ready_in_beds_today = 0
        self.date_today = ""
        self.off_day_today = False
        self._iso_dates = [d.isoformat() for d in self.calendar.dates[: self.horizon]]
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "day": "day",
                "date": "date_today",
                "off_day": "off_day_today",
                "beds_occupied": "beds_occupied_today",
                "ready_in_beds": "ready_in_beds_today",
                "admissions": "admissions_today",
                "discharges": lambda m: m.world.discharges_today,
                "forced_discharges": lambda m: m.world.forced_today,
                "turned_away": lambda m: m.admissions.turned_away,
                "short_term_used": lambda m: sum(k.short_term_used for k in m.kommuner),
                "care_home_used": lambda m: sum(k.care_home_used for k in m.kommuner),
                "mean_relationship_strength": lambda m: m.network.mean_strength(),
                **{f"gaps_{kind.value}": _gap_reporter(kind) for kind in GapKind},
            }
        )
        self.admissions.fill_initial_state()
        self._schedule_forums()
        rank = {kind: i for i, kind in enumerate(TURNOVER_ORDER)}
        for org in sorted(self.organisations.values(), key=lambda o: rank.get(type(o), len(rank))):
            org.start_turnover()  # a stable sort: scenario order within a kind

    def _of(self, kind: type[Organisation]) -> list:
        agents = self.agents_by_type.get(kind)
        return list(agents) if agents is not None else []

    @property
    def day(self) -> int:
        """Today (-1 before the first day)."""
        return self.world.day

    @property
    def turned_away_total(self) -> int:
        """Admissions turned away for want of a bed, after the warm-up."""
        return self.admissions.turned_away_total

    def _build_relationships(self) -> None:
        """Every organisation is a node; each kind names the partners it usually works with."""
        net = self.network
        for org in self.organisations.values():
            net.add_org(org.name, org.table)
        for org in self.organisations.values():
            for partner, strength, fixed, routine in org.usual_partners():
                net.connect(org.name, partner, strength, fixed, routine)
        for key, strength in self.params.relationships.strengths.items():
            a, b = key.split("|")
            if not net.is_fixed(a, b):
                net.connect(a, b, strength)  # an integrated pair stays fixed at 1
        for key in self.params.relationships.routines:
            net.establish_routine(*key.split("|"))
        self.initial_strengths = {(a, b): d["strength"] for a, b, d in net.edges()}

    def _schedule_forums(self) -> None:
        """Meeting forums (mötesplatser) on Mesa's own event list, every N days after that day's step."""
        self._forum_callbacks: list[Callable[[], None]] = []  # Mesa holds callbacks weakly
        for forum in self.params.relationships.forums:

            def meet(members: tuple[str, ...] = tuple(forum.members), boost: float = forum.boost) -> None:
                self.network.forum_meeting(list(members), boost)

            self._forum_callbacks.append(meet)
            self.schedule_recurring(
                meet, Schedule(interval=float(forum.every_days), start=float(forum.every_days))
            )

    # ------------------------------------------------------------------------------------------
    # The day

    def step(self) -> None:
        """Simulate one calendar day (see the module docstring for the order)."""
        d = self.steps - 1
        if d >= self.horizon:
            self.running = False
            return
        world = self.world
        world.gaps.reset_today()
        world.discharges_today = world.forced_today = 0
        for w in self.wards:
            w.discharged_today = w.admitted_today = 0
        for k in self.kommuner:
            k.admitted_today = 0
        world.events.run_due(d)
        by_type = self.agents_by_type
        for kind in self.day_order:
            agents = by_type.get(kind)
            if agents is not None:
                kind.work_all(agents, d)
        self.admissions.admit_today(d)
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

    def _record(self, d: int) -> None:
        admissions = occupied = ready = 0
        for w in self.wards:
            n_occupied = len(w.in_bed)
            self.ward_occupied[d, w.index] = n_occupied
            self.ward_ready[d, w.index] = w.ready_count
            self.ward_discharges[d, w.index] = w.discharged_today
            self.ward_admissions[d, w.index] = w.admitted_today
            admissions += w.admitted_today
            occupied += n_occupied
            ready += w.ready_count
        for k in self.kommuner:
            self.kommun_ready[d, k.index] = k.ready_count
            self.kommun_admissions[d, k.index] = k.admitted_today
        self.admissions_today = admissions
        self.beds_occupied_today = occupied
        self.ready_in_beds_today = ready
        self.date_today = self._iso_dates[d]
        self.off_day_today = self.calendar.off_day_list[d]
        self.datacollector.collect(self)


def _gap_reporter(kind: GapKind) -> Callable[[DischargeModel], int]:
    def report(m: DischargeModel) -> int:
        return m.gaps.today[kind]

    return report
