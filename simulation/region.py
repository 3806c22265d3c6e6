"""The region's level above the local chain: its agreements reach the local level slowly and partly.

Seed 001 sorts collaboration into three levels — "(1) regional nivå/länsnivå (2) delregional nivå (3)
lokal nivå (patientnära, enskild vårdcentral, kommun etc.)" — and finds a "[s]jälvklar/tydlig koppling
mellan operativ mikronivå och strategi saknas(?) – större behov av att förbättra vertikal koordinering
än horisontell". Seed 002: kommuner "inte var delaktiga i beslutsprocesser som berör dem i den
utsträckning som de skulle behövt vara".

:meth:`Region.work`: an agreement made at region level on day ``day`` reaches the subregional level
``subregional_delay_days`` later; from there each local pair it covers (ward–kommun,
ward–vårdcentral, kommun–vårdcentral among usual partners) takes it up as an established routine
with chance ``fidelity``, after a geometric number of days with mean ``local_days``. Where kommuner
are left out of the forum that made it, pairs with a kommun take it up with ``left_out_fidelity``
times the chance and ``left_out_delay_factor`` times the days.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa

from simulation.organisation import Organisation
from simulation.organisation_specs import RegionSpec
from simulation.randomness import geometric_days
from simulation.world import World

__all__ = ["Region"]


class Region(Organisation):
    """The regional level (with its subregional level), making agreements for the local chain."""

    table = "region"
    spec: RegionSpec

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: RegionSpec) -> None:
        """Create the region ``name`` from its scenario entry."""
        super().__init__(model, world, name, index, spec)
        self.pairs: dict[str, list[tuple[str, str]]] = {}
        self.adopted = 0

    def connect(self, by_name: Mapping[str, Any]) -> None:
        """Find the local pairs of usual partners an agreement can cover."""
        pairs: dict[str, list[tuple[str, str]]] = {
            "ward_kommun": [],
            "ward_vardcentral": [],
            "kommun_vardcentral": [],
        }
        for org in by_name.values():
            if org.table == "ward":
                for k in sorted(org.serves):
                    pairs["ward_kommun"].append((org.name, k))
                    pairs["ward_vardcentral"] += [(org.name, vc.name) for vc in by_name[k].vardcentraler]
            elif org.table == "kommun":
                pairs["kommun_vardcentral"] += [(org.name, vc.name) for vc in org.vardcentraler]
        self.pairs = pairs

    def work(self, day: int) -> None:
        """On the day an agreement reaches the subregional level, send it on to the local pairs."""
        world = self.world
        rng = world.own_stream("region")
        for agreement in self.spec.agreements:
            if day != agreement.day + agreement.subregional_delay_days:
                continue
            for scope in agreement.covers:
                kommun_side = scope != "ward_vardcentral"
                left_out = kommun_side and not agreement.kommuner_in_forum
                fidelity = agreement.fidelity * (agreement.left_out_fidelity if left_out else 1.0)
                mean = agreement.local_days * (agreement.left_out_delay_factor if left_out else 1.0)
                for pair in self.pairs[scope]:
                    if rng.random() >= fidelity:
                        continue
                    delay = geometric_days(rng.random(), mean)
                    world.events.at(day + delay, self._take_up, pair)

    def _take_up(self, pair: tuple[str, str]) -> None:
        network = self.world.network
        if not network.has_routine(*pair):
            self.adopted += 1  # routines the agreement created (not those the pair already had)
            network.establish_routine(*pair)
