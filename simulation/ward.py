"""Hospital wards (avdelningar) and their vårdsamordnare."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from simulation.roster import Roster

if TYPE_CHECKING:
    from simulation.patient import Episode
    from simulation.scenario import WardSpec as WardParams

__all__ = ["Ward"]


class Ward(mesa.Agent):
    """A ward: beds, the patients in them, and the queue of utskrivningsklara patients."""

    def __init__(self, model: mesa.Model, name: str, index: int, params: WardParams, weekend: float) -> None:
        """Create the ward ``name`` from its scenario parameters."""
        super().__init__(model)
        self.name = name
        self.index = index
        self.params = params
        self.hospital = params.hospital
        self.beds = params.beds
        self.serves = frozenset(params.serves)
        self.coordinator_roster = (
            Roster(params.coordinator_roster)
            if params.coordinator_roster is not None
            else Roster.weekdays_with_weekend(weekend)
        )
        self.in_bed: dict[int, Episode] = {}
        """Episodes of the patients in this ward's beds, by episode id."""
        self.waiting: list[Episode] = []
        """Utskrivningsklara LUS patients waiting for discharge, oldest first."""
        self.ready_count = 0
        self.discharged_today = 0
        self.admitted_today = 0

    @property
    def occupied(self) -> int:
        """Beds occupied now."""
        return len(self.in_bed)

    @property
    def free_beds(self) -> int:
        """Beds free now."""
        return self.beds - len(self.in_bed)
