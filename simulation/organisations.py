"""The registry of organisation kinds: which agent class is built from which scenario table.

The model builds the organisations of each kind in this order (so Mesa's ids follow it) and, each day,
lets the kinds work in :data:`DAY_ORDER`. Adding a kind is a recipe (docs/ODD.md, "Extending the model"):
its agent module, its scenario table, one entry here, its ODD section.
"""

from __future__ import annotations

from simulation.fou import FoU
from simulation.kluster import Kluster
from simulation.kommun import Kommun
from simulation.organisation import Organisation
from simulation.region import Region
from simulation.vardcentral import Vardcentral
from simulation.ward import Ward

__all__ = ["DAY_ORDER", "KINDS", "TURNOVER_ORDER"]

KINDS: tuple[type[Organisation], ...] = (Kommun, Vardcentral, Ward, Kluster, FoU, Region)
"""Every kind, in the order it is built (a kind may refer to those built before it)."""

DAY_ORDER: tuple[type[Organisation], ...] = (Region, Kluster, FoU, Vardcentral, Kommun, Ward)
"""The order in which the kinds do their day's work (docs/ODD.md, "Process overview")."""

TURNOVER_ORDER: tuple[type[Organisation], ...] = (Ward, Kommun, Vardcentral)
"""The order in which the kinds' first new faces are drawn from the turnover stream (kinds not listed
follow, in build order). It is the first version's order, kept so that results stay byte-identical."""
