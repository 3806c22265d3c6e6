"""Kommuner (municipalities): needs assessors, home help, short-term and care-home places."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import mesa

from simulation.roster import Roster

if TYPE_CHECKING:
    from simulation.patient import Episode
    from simulation.scenario import CapacityFactors
    from simulation.scenario import KommunSpec as KommunParams
    from simulation.vardcentral import Vardcentral

__all__ = ["Kommun"]


class Kommun(mesa.Agent):
    """A kommun: its biståndshandläggare's planning queue and its care capacity."""

    def __init__(
        self,
        model: mesa.Model,
        name: str,
        index: int,
        params: KommunParams,
        assessor_weekend: float,
        home_help_weekend: float,
        intake_weekend: float,
        capacity: CapacityFactors,
    ) -> None:
        """Create the kommun ``name`` from its scenario parameters."""
        super().__init__(model)
        self.name = name
        self.index = index
        self.params = params

        def roster(custom: list[float] | None, weekend: float) -> Roster:
            return Roster(custom) if custom is not None else Roster.weekdays_with_weekend(weekend)

        self.assessor_roster = roster(params.assessor_roster, assessor_weekend)
        self.home_help_roster = roster(params.home_help_roster, home_help_weekend)
        self.intake_roster = roster(params.place_intake_roster, intake_weekend)
        self.vardcentraler: list[Vardcentral] = []
        self.planning_queue: deque[Episode] = deque()
        self.assessor_capacity = round(params.assessor_capacity * capacity.assessor)
        self.home_help_rate = params.home_help_starts_per_day * capacity.home_help_starts
        """Home-help starts on a fully staffed day; may be fractional (scaled by a capacity factor)."""
        self._home_help_carry = 0.0
        self.short_term_capacity = round(params.short_term_places * capacity.short_term_places)
        self.care_home_capacity = round(params.care_home_places * capacity.care_home_places)
        self.short_term_used = 0
        self.care_home_used = 0
        self.home_help_left = 0
        """Home-help starts still possible today."""
        self.intake_left = 0
        """New residents short-term and care-home places can still take today."""
        self.ready_count = 0
        """Residents utskrivningsklara in hospital beds now."""
        self.admitted_today = 0

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
