"""An R&D unit (FoU) linking local meeting forums, as an intermediary organisation (seed 003).

Forums alone strengthen relationships among their members (relationships.py). Seed 003 evaluates
Nestor FoU-center's "Mötesplats för lokal samverkan": four local forums "sammanlänkades av en regional
FoU-enhet"; the FoU unit organised them, and they went beyond talk: "mötesplatserna inte stannade vid
detta, utan gick vidare genom att initiera och driva konkret förändringsarbete" — projects on
"vårdplanering, samordnad individuell plan (SIP), kommunikationssystemet Webcare" — and "Genom att de
fyra mötesplatserna länkades samman av FoU-enheten möjliggjordes en spridning av goda exempel,
kunskaper och idéer i regionen".

:meth:`FoU.work`: on a day a linked forum meets, it spins off a concrete project with chance
``project_probability``: every pair of its members (wards, kommuner, vårdcentraler) then shares an
established routine. The unit carries the project to each other linked forum with chance
``spread_probability``, whose member pairs then share the routine too.
"""

from __future__ import annotations

from itertools import combinations

import mesa

from simulation.organisation import Organisation
from simulation.organisation_specs import FoUSpec
from simulation.world import World

__all__ = ["FoU"]


class FoU(Organisation):
    """A regional R&D unit linking local forums (mötesplatser)."""

    table = "fou"
    spec: FoUSpec

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: FoUSpec) -> None:
        """Create the FoU unit ``name`` linking the forums its scenario entry names (all if none)."""
        super().__init__(model, world, name, index, spec)
        forums = world.scenario.relationships.forums
        self.forums = [forums[i] for i in (spec.forums or range(len(forums)))]
        self.projects = 0
        self.spread = 0

    def work(self, day: int) -> None:
        """Forums meet at the end of every ``every_days``-th day (as on Mesa's event list, §3.2)."""
        if not self.world.scenario.relationships.enable_forums:
            return
        rng = self.world.own_stream("fou")
        for forum in self.forums:
            if (day + 1) % forum.every_days or rng.random() >= self.spec.project_probability:
                continue
            self.projects += 1
            self._routines(forum.members)
            for other in self.forums:
                if other is not forum and rng.random() < self.spec.spread_probability:
                    self.spread += 1
                    self._routines(other.members)

    def _routines(self, members: list[str]) -> None:
        network = self.world.network
        for a, b in combinations(members, 2):
            network.establish_routine(a, b)
