"""Vårdcentraler (primary care centres): fast vårdkontakt, home health care, SIP calls."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import mesa

from simulation.roster import Roster

if TYPE_CHECKING:
    from simulation.kommun import Kommun
    from simulation.patient import Episode
    from simulation.scenario import VardcentralSpec as VardcentralParams

__all__ = ["CONTACT", "SIP_CALL", "Vardcentral"]

CONTACT = 0
"""Task: name a fast vårdkontakt for a notified admission (LUS step 2)."""
SIP_CALL = 1
"""Task: call a SIP meeting (LUS step 4)."""


class Vardcentral(mesa.Agent):
    """A vårdcentral working through its queue of LUS tasks."""

    def __init__(
        self,
        model: mesa.Model,
        name: str,
        index: int,
        params: VardcentralParams,
        kommun: Kommun,
        weekend: float,
        home_health_weekend: float,
        sip_call_rate: float,
    ) -> None:
        """Create the vårdcentral ``name`` in ``kommun``."""
        super().__init__(model)
        self.name = name
        self.index = index
        self.params = params
        self.kommun = kommun
        self.roster = (
            Roster(params.roster) if params.roster is not None else Roster.weekdays_with_weekend(weekend)
        )
        self.home_health_roster = Roster.weekdays_with_weekend(home_health_weekend)
        if kommun.params.integrated_primary_care:
            # One organisation, one rota: the vårdcentral works when the kommun's assessors do.
            self.roster = self.roster.combined(kommun.assessor_roster)
            self.home_health_roster = self.home_health_roster.combined(kommun.assessor_roster)
        self.sip_call_rate = sip_call_rate
        self.tasks: deque[tuple[int, Episode]] = deque()
        self.home_health_left = 0
        """Home health care starts still possible today."""
