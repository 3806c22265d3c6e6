"""Working relationships between organisations, as a weighted undirected graph.

Each edge carries a ``strength`` in [0, 1] (the people know each other) and a ``routine`` flag (the two
organisations share an established routine for the handover: "strukturer och upparbetade rutiner",
seed 002). Strength grows after joint discharges that went well, decays when staff turn over, and is
raised by meeting forums (mötesplatser); a routine is structural and survives turnover.

How well a handover between two organisations works is its *quality*
``1 - (1 - strength) * (1 - routine_effect * routine)``: a routine makes up for much of a weak
relationship ("där det finns strukturer och upparbetade rutiner för samverkan [...] fungerar det oftast
bra att samarbeta även med nya personer", seed 002). Quality sets how fast a message is acted on, how
long planning takes and how long the kommun needs to have support in place after the ready notice;
informal recovery of a lost notice by phone rests on strength alone ("en sådan kontakt förutsätter att
det finns ett uppbyggt samarbete sedan tidigare", seed 002). Edges between an integrated kommun and its
vårdcentraler are fixed at 1.

The graph is held as plain adjacency dicts (node -> partner -> edge attributes), the layout of
networkx's ``Graph``, which the hot path read directly anyway; :attr:`RelationshipNetwork.graph` gives
it as a networkx graph for analysis. Importing networkx (about 0.1–0.25 s) is left to those who use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from simulation.parameters import Relationships

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["RelationshipNetwork"]


class RelationshipNetwork:
    """The organisation graph and the rules by which its edge strengths change."""

    def __init__(self, params: Relationships) -> None:
        """Start an empty graph; organisations and usual partnerships are added by the model."""
        self.params = params
        self._kinds: dict[str, str] = {}  # organisation -> its kind, in the order added
        self._adj: dict[str, dict[str, dict[str, Any]]] = {}  # organisation -> partner -> edge
        self._total = 0.0  # sum of all edge strengths, kept current for mean_strength()
        self._edges = 0

    def add_org(self, name: str, kind: str) -> None:
        """Add an organisation node."""
        self._kinds[name] = kind
        self._adj.setdefault(name, {})

    def connect(self, a: str, b: str, strength: float, fixed: bool = False, routine: bool = False) -> None:
        """Create (or overwrite) the relationship between ``a`` and ``b``."""
        old = self._adj.get(a, {}).get(b)
        if old is not None:
            self._total -= old["strength"]
            routine = routine or old["routine"]
        else:
            self._edges += 1
        for node in (a, b):
            if node not in self._adj:
                self.add_org(node, "")
        edge = self._adj[a].get(b, {})
        edge.update(strength=float(strength), fixed=fixed, routine=routine)
        self._adj[a][b] = self._adj[b][a] = edge
        self._total += float(strength)

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every relationship once, as ``(a, b, attributes)``, in the order networkx's ``edges`` gives."""
        seen: set[str] = set()
        for a, partners in self._adj.items():
            for b, edge in partners.items():
                if b not in seen:
                    yield a, b, edge
            seen.add(a)

    def partners(self, org: str) -> list[str]:
        """The organisations ``org`` has a relationship with, in the order they were connected."""
        return list(self._adj[org])

    def kind(self, org: str) -> str:
        """The kind of organisation ``org`` (its scenario table)."""
        return self._kinds[org]

    def is_fixed(self, a: str, b: str) -> bool:
        """Whether the relationship of ``a`` and ``b`` is fixed (an integrated kommun's own)."""
        edge = self._adj.get(a, {}).get(b)
        return edge is not None and edge["fixed"]

    @property
    def graph(self) -> nx.Graph:
        """The relationships now, as a networkx graph (a copy: node ``kind``, edge attributes)."""
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from((name, {"kind": kind}) for name, kind in self._kinds.items())
        g.add_edges_from(self.edges())
        return g

    def quality(self, a: str, b: str) -> float:
        """How well a handover between ``a`` and ``b`` works, in [0, 1] (see the module docstring)."""
        edge = self._adj[a].get(b)
        if edge is None:
            return self.params.unfamiliar_strength
        s = edge["strength"]
        if not edge["routine"]:
            return s
        return 1.0 - (1.0 - s) * (1.0 - self.params.routine_effect)

    def establish_routine(self, a: str, b: str) -> None:
        """``a`` and ``b`` now share an established routine for their handovers."""
        edge = self._adj[a].get(b)
        if edge is None:
            self.connect(a, b, self.params.unfamiliar_strength, routine=True)
        else:
            edge["routine"] = True

    def has_routine(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` share an established routine."""
        edge = self._adj[a].get(b)
        return edge is not None and edge["routine"]

    def strength(self, a: str, b: str) -> float:
        """Strength of the relationship; organisations without one meet as strangers."""
        edge = self._adj[a].get(b)
        if edge is None:
            return self.params.unfamiliar_strength  # no edge until they actually work together
        return edge["strength"]

    def nudge(self, a: str, b: str, amount: float) -> None:
        """Strengthen ``a``–``b`` by ``amount`` of what is missing to 1 (creating the edge if needed)."""
        self._nudge(a, b, amount)

    def _nudge(self, a: str, b: str, amount: float) -> None:
        edge = self._adj[a].get(b)
        if edge is None:
            self.connect(a, b, self.params.unfamiliar_strength)
            edge = self._adj[a][b]
        if not edge["fixed"]:
            s = edge["strength"]
            edge["strength"] = s + amount * (1.0 - s)
            self._total += amount * (1.0 - s)

    def joint_success(self, a: str, b: str) -> None:
        """A discharge that went well between ``a`` and ``b`` strengthens their relationship."""
        if self.params.enable_growth and self.params.growth > 0:
            self._nudge(a, b, self.params.growth)

    def turnover(self, org: str) -> None:
        """A new face at ``org``: every relationship of ``org`` weakens."""
        if not self.params.enable_turnover:
            return
        keep = 1.0 - self.params.turnover_loss
        for edge in self._adj[org].values():
            if not edge["fixed"]:
                self._total -= edge["strength"] * (1.0 - keep)
                edge["strength"] *= keep

    def forum_meeting(self, members: list[str], boost: float) -> None:
        """A meeting of a forum strengthens every relationship among its members."""
        if not self.params.enable_forums:
            return
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                self._nudge(a, b, boost)

    def mean_strength(self) -> float:
        """Mean strength over all edges (0 when there are none)."""
        return self._total / self._edges if self._edges else 0.0
