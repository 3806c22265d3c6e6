"""Relationships: growth after joint successes, turnover, forums, fixed integrated edges."""

from __future__ import annotations

from typing import Any

import pytest
from builders import deep_merge, small_scenario_dict
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import DischargeModel, scenario_from_dict
from simulation.relationships import RelationshipNetwork
from simulation.scenario import Relationships


def _net(**params: Any) -> RelationshipNetwork:
    net = RelationshipNetwork(Relationships(**params))
    for name, kind in [("W", "ward"), ("K", "kommun"), ("V", "vardcentral"), ("X", "ward")]:
        net.add_org(name, kind)
    net.connect("W", "K", 0.5)
    net.connect("W", "V", 0.4)
    net.connect("K", "V", 1.0, fixed=True)
    return net


def test_strength_of_strangers_is_unfamiliar_and_symmetric() -> None:
    net = _net(unfamiliar_strength=0.15)
    assert net.strength("W", "K") == net.strength("K", "W") == 0.5
    assert net.strength("W", "X") == 0.15
    assert net.mean_strength() == pytest.approx((0.5 + 0.4 + 1.0) / 3)


def test_growth_moves_a_share_of_the_way_to_one() -> None:
    net = _net(growth=0.1)
    net.joint_success("W", "K")
    assert net.strength("W", "K") == pytest.approx(0.5 + 0.1 * 0.5)
    for _ in range(200):
        net.joint_success("W", "K")
    assert 0.999 < net.strength("W", "K") <= 1.0
    # Working together for the first time creates the relationship at the unfamiliar strength.
    net.joint_success("W", "X")
    assert net.strength("W", "X") == pytest.approx(0.2 + 0.1 * 0.8)


@pytest.mark.parametrize("params", [{"growth": 0.0}, {"growth": 0.1, "enable_growth": False}])
def test_growth_off(params: dict[str, Any]) -> None:
    net = _net(**params)
    net.joint_success("W", "K")
    assert net.strength("W", "K") == 0.5


def test_turnover_weakens_every_relationship_of_the_organisation() -> None:
    net = _net(turnover_loss=0.2)
    net.connect("X", "K", 0.9)
    net.turnover("W")
    assert net.strength("W", "K") == pytest.approx(0.4)
    assert net.strength("W", "V") == pytest.approx(0.32)
    assert net.strength("X", "K") == 0.9  # not W's relationship
    net.turnover("K")
    assert net.strength("K", "V") == 1.0  # fixed: an integrated organisation
    assert net.strength("X", "K") == pytest.approx(0.72)


def test_turnover_off() -> None:
    net = _net(turnover_loss=0.2, enable_turnover=False)
    net.turnover("W")
    assert net.strength("W", "K") == 0.5


def test_forum_meeting_strengthens_every_pair_of_members() -> None:
    net = _net(unfamiliar_strength=0.2)
    net.forum_meeting(["W", "K", "X"], 0.5)
    assert net.strength("W", "K") == pytest.approx(0.75)
    assert net.strength("W", "X") == pytest.approx(0.6)  # a new relationship from 0.2
    assert net.strength("K", "X") == pytest.approx(0.6)
    assert net.strength("W", "V") == 0.4  # V was not there
    assert net.strength("K", "V") == 1.0


def test_forums_off() -> None:
    net = _net(enable_forums=False)
    net.forum_meeting(["W", "K"], 0.5)
    assert net.strength("W", "K") == 0.5


def test_fixed_edges_never_change() -> None:
    net = _net(growth=0.5, turnover_loss=0.5)
    net.joint_success("K", "V")
    net.turnover("V")
    net.forum_meeting(["K", "V"], 0.5)
    assert net.strength("K", "V") == 1.0


# ---------------------------------------------------------------------------------------------
# In the model


def _quiet(**overrides: Any) -> dict[str, Any]:
    """The small scenario with every relationship dynamic off unless switched on by overrides."""
    base = small_scenario_dict(
        days=120,
        relationships={"enable_growth": False, "enable_turnover": False, "enable_forums": False},
    )
    return deep_merge(base, overrides)


def test_model_builds_usual_partnerships_at_initial_strength() -> None:
    data = _quiet(
        relationships={"initial_strength": 0.55, "strengths": {"W1|V2a": 0.05}},
        kommun={"K2": {"integrated_primary_care": True}},
    )
    m = DischargeModel(scenario_from_dict(data), seed=1)
    net = m.network
    assert net.strength("W1", "K1") == net.strength("W1", "V1a") == 0.55
    assert net.strength("K1", "V1a") == 0.55 and not net.graph["K1"]["V1a"]["fixed"]
    assert net.strength("K2", "V2a") == net.strength("K2", "V2b") == 1.0
    assert net.graph["K2"]["V2a"]["fixed"]
    assert net.strength("W1", "V2a") == 0.05  # explicit strength
    assert not net.graph.has_edge("W1", "K2")  # W1 does not serve K2


def test_explicit_strength_cannot_loosen_an_integrated_pair() -> None:
    data = _quiet(
        kommun={"K2": {"integrated_primary_care": True}},
        relationships={"strengths": {"K2|V2a": 0.1}},
    )
    m = DischargeModel(scenario_from_dict(data), seed=1)
    assert m.network.strength("K2", "V2a") == 1.0


def test_no_dynamics_keeps_every_strength() -> None:
    m = DischargeModel(scenario_from_dict(_quiet()), seed=1)
    before = m.network.mean_strength()
    m.run()
    assert m.network.mean_strength() == before
    assert m.datacollector.get_model_vars_dataframe()["mean_relationship_strength"].nunique() == 1


def test_growth_strengthens_relationships_over_a_run() -> None:
    m = DischargeModel(
        scenario_from_dict(_quiet(relationships={"enable_growth": True, "growth": 0.05})), seed=1
    )
    w1k1 = m.network.strength("W1", "K1")
    m.run()
    assert m.network.strength("W1", "K1") > w1k1 + 0.1


def _all_turnover(per_year: float) -> dict[str, Any]:
    return {
        "ward": {w: {"staff_turnover_per_year": per_year} for w in ("W1", "W2")},
        "kommun": {k: {"staff_turnover_per_year": per_year} for k in ("K1", "K2")},
        "vardcentral": {v: {"staff_turnover_per_year": per_year} for v in ("V1a", "V1b", "V2a", "V2b")},
    }


def test_staff_turnover_weakens_relationships_over_a_run() -> None:
    data = _quiet(relationships={"enable_turnover": True, "turnover_loss": 0.1}, **_all_turnover(12))
    m = DischargeModel(scenario_from_dict(data), seed=1)
    before = m.network.strength("W1", "K1")
    m.run()
    after = m.network.strength("W1", "K1")
    # W1 and K1 each lose 10 % at about 12 x 120/365 = 4 new faces: expect 0.9^8 = 0.43 of it.
    assert after < before * 0.8
    assert after > before * 0.1


def test_staff_turnover_zero_or_disabled_changes_nothing() -> None:
    for data in (
        _quiet(relationships={"enable_turnover": True}, **_all_turnover(0)),
        _quiet(relationships={"enable_turnover": False}, **_all_turnover(50)),
    ):
        m = DischargeModel(scenario_from_dict(data), seed=1)
        before = m.network.mean_strength()
        m.run()
        assert m.network.mean_strength() == before


def test_integrated_edges_stay_at_one_under_turnover() -> None:
    data = deep_merge(
        _quiet(relationships={"enable_turnover": True, "turnover_loss": 0.3}, **_all_turnover(50)),
        {"kommun": {"K2": {"integrated_primary_care": True}}},
    )
    m = DischargeModel(scenario_from_dict(data), seed=1).run()
    assert m.network.strength("K2", "V2a") == m.network.strength("K2", "V2b") == 1.0
    assert m.network.strength("K1", "V1a") < 0.1


@pytest.mark.parametrize(("every", "meetings"), [(10, 12), (30, 4), (200, 0)])
def test_forum_meets_every_n_days(every: int, meetings: int) -> None:
    # A 120-day run: the forum meets after days every-1, 2*every-1, ...
    data = _quiet(
        relationships={
            "enable_forums": True,
            "initial_strength": 0.5,
            "forums": [{"members": ["W1", "K2", "V1a"], "every_days": every, "boost": 0.1}],
        }
    )
    m = DischargeModel(scenario_from_dict(data), seed=1).run()
    expected_new = 1 - (1 - 0.2) * 0.9**meetings  # W1-K2: strangers at 0.2
    expected_old = 1 - (1 - 0.5) * 0.9**meetings  # W1-V1a: partners at 0.5
    assert m.network.strength("W1", "K2") == pytest.approx(expected_new if meetings else 0.2)
    assert m.network.strength("W1", "V1a") == pytest.approx(expected_old)
    assert m.network.strength("W2", "K2") == 0.5  # not members


_ORGS = ["W1", "W2", "K1", "K2", "V1", "V2"]
_OPS = st.lists(
    st.tuples(
        st.sampled_from(["connect", "fixed", "nudge", "routine"]),
        st.sampled_from(_ORGS),
        st.sampled_from(_ORGS),
        st.floats(0.0, 1.0),
    ),
    max_size=30,
)


@given(ops=_OPS)
@settings(max_examples=150, deadline=None)
def test_the_adjacency_is_networkx_graph_in_edge_order_and_content(ops: list) -> None:
    """The plain adjacency gives what a networkx Graph fed the same operations gives, in its order.

    The relationships table and the teaching app's picture list the edges in this order, so it is part
    of what the golden files fix.
    """
    import networkx as nx

    net = RelationshipNetwork(Relationships(growth=0.1))
    ref = nx.Graph()
    for name in _ORGS:
        net.add_org(name, name[0])
        ref.add_node(name, kind=name[0])
    for op, a, b, x in ops:
        if a == b:
            continue
        if op in ("connect", "fixed"):
            net.connect(a, b, x, fixed=op == "fixed")
            old = ref.get_edge_data(a, b, {})
            ref.add_edge(a, b, strength=x, fixed=op == "fixed", routine=old.get("routine", False))
        elif op == "routine":
            net.establish_routine(a, b)
            if ref.has_edge(a, b):
                ref[a][b]["routine"] = True
            else:
                ref.add_edge(a, b, strength=net.params.unfamiliar_strength, fixed=False, routine=True)
        else:
            net.joint_success(a, b)
            if not ref.has_edge(a, b):
                ref.add_edge(a, b, strength=net.params.unfamiliar_strength, fixed=False, routine=False)
            if not ref[a][b]["fixed"]:
                s = ref[a][b]["strength"]
                ref[a][b]["strength"] = s + 0.1 * (1.0 - s)
    assert [(a, b, dict(d)) for a, b, d in net.edges()] == list(ref.edges(data=True))
    assert list(net.graph.edges(data=True)) == list(ref.edges(data=True))
    assert dict(net.graph.nodes(data=True)) == dict(ref.nodes(data=True))
    for name in _ORGS:
        assert net.partners(name) == list(ref.neighbors(name))
