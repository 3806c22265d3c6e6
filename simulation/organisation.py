"""What every organisation in the chain is: a Mesa agent with a name, its scenario entry, and staff.

Staff turnover is common to all kinds: new faces arrive as a Poisson process
(``staff_turnover_per_year`` in the organisation's scenario table) and each weakens every relationship
of the organisation (seed 002: new staff and new partner units without established contact routes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import mesa

from simulation.world import World

__all__ = ["Organisation"]


class Organisation(mesa.Agent):
    """Base class of wards, vårdcentraler and kommuner (and any kind added later)."""

    table: ClassVar[str]
    """The scenario table this kind is read from (``[kommun.*]``) and its node kind in the network."""

    def __init__(self, model: mesa.Model, world: World, name: str, index: int, spec: Any) -> None:
        """Create the organisation ``name`` (the ``index``-th of its kind) from its scenario entry."""
        super().__init__(model)
        self.world = world
        self.name = name
        self.index = index
        self.spec = spec
        self._turnover_rate = float(getattr(spec, "staff_turnover_per_year", 0.0)) / 365.0

    def connect(self, by_name: Mapping[str, Any]) -> None:
        """Resolve references to other organisations once every organisation exists."""

    def usual_partners(self) -> list[tuple[str, float, bool, bool]]:
        """Relationships this organisation starts with: ``(partner, strength, fixed, routine)``."""
        return []

    def work(self, day: int) -> None:
        """Do this organisation's part of ``day`` (called by the model in the documented order)."""

    @classmethod
    def work_all(cls, agents: mesa.agent.AgentSet, day: int) -> None:
        """Every organisation of this kind does its part of ``day``, in scenario order."""
        agents.do("work", day)

    def start_turnover(self) -> None:
        """Schedule this organisation's first new face (if it has staff turnover)."""
        if self._turnover_rate > 0:
            self._schedule_new_face()

    def _schedule_new_face(self) -> None:
        world = self.world
        wait = world.streams["turnover"].exponential(1.0 / self._turnover_rate)
        world.events.at(max(world.day, 0) + 1 + int(wait), self._new_face, None)

    def _new_face(self, _: None) -> None:
        self.world.network.turnover(self.name)
        self._schedule_new_face()
