"""Kluster: the vårdcentraler of a kommun meeting regularly under a klusterledare (seed 002).

"Vårdcentralerna fick i uppdrag från regionen (LSSL/SLSO) att etablera samverkan med varandra i
geografiska kommunkluster samt att utse en, eller vid behov, två klusterledare (samordnare) inom varje
kluster. I klusterledarens uppdrag ingick även att etablera samverkan med andra lokala aktörer som
till exempel kommunen" (seed 002). What the leader buys: "En av kommunerna påtalar hur viktigt det har
varit att de haft en driven klusterledare i deras klustersamordning, vilket även bidragit till att
alla vårdcentraler deltagit i mötena", and the kluster gave "draghjälp i att formalisera samverkan".

:meth:`Kluster.work`: every ``every_days`` days the leader convenes the kluster (a meeting due on a
Saturday, Sunday or public holiday is held on the next working day: an assumption, the meetings being
the vårdcentraler's work, "Mötena genomfördes digitalt"); each vårdcentral attends with chance
``leader_drive``. Attending strengthens its relationship with the kommun (and with
the other attending vårdcentraler) by ``boost``; after ``routine_after_meetings`` attended meetings the
vårdcentral and the kommun share an established routine (relationships.py: handover quality).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa

from simulation.chain import KommunRole
from simulation.organisation import Organisation
from simulation.organisation_specs import KlusterSpec
from simulation.world import World

__all__ = ["Kluster"]


class Kluster(Organisation):
    """A kommun's kluster of vårdcentraler and its klusterledare."""

    table = "kluster"
    spec: KlusterSpec
    kommun: KommunRole

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: KlusterSpec) -> None:
        """Create the kluster ``name`` from its scenario entry."""
        super().__init__(model, world, name, index, spec)
        self.attended: dict[str, int] = {}
        """Meetings attended so far, by vårdcentral."""
        self.meetings = 0
        self.due = spec.start_day
        """The day the next meeting is due: ``start_day``, then every ``every_days`` after it."""

    def connect(self, by_name: Mapping[str, Any]) -> None:
        """Know the kommun whose vårdcentraler form the kluster."""
        self.kommun = by_name[self.spec.kommun]

    def work(self, day: int) -> None:
        """Convene the kluster on its meeting days, each on the first working day from its due day.

        Due on day ``start_day`` and every ``every_days`` after; a meeting held late does not move the
        days the later ones are due.
        """
        spec = self.spec
        if day < self.due or self.world.calendar.is_off(day):
            return
        while self.due <= day:
            self.due += spec.every_days
        self.meetings += 1
        world = self.world
        rng = world.own_stream("kluster")
        network = world.network
        present = [vc for vc in self.kommun.vardcentraler if rng.random() < spec.leader_drive]
        kommun = self.kommun.name
        for vc in present:
            network.nudge(vc.name, kommun, spec.boost)
            n = self.attended[vc.name] = self.attended.get(vc.name, 0) + 1
            if n == spec.routine_after_meetings:
                network.establish_routine(vc.name, kommun)  # collaboration formalised
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                network.nudge(a.name, b.name, spec.boost)
