"""The model's shape: modules import down (no circle), stay small, and name each thing once."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import networkx as nx

SIM = Path(__file__).resolve().parents[2] / "simulation"
MODULES = sorted(SIM.glob("*.py"))
UPPER_LAYERS = ("runner", "vardkedja_cli", "teaching", "matplotlib", "solara", "argparse", "tqdm")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file (TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "simulation":
                found.update(f"simulation.{alias.name}" for alias in node.names)
    return found


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    names = {p.stem for p in MODULES if p.stem != "__init__"}
    for p in MODULES:
        if p.stem == "__init__":
            continue
        g.add_node(p.stem)
        for mod in _imports(p):
            parts = mod.split(".")
            if parts[0] == "simulation" and len(parts) > 1 and parts[1] in names:
                g.add_edge(p.stem, parts[1])
    return g


def test_no_import_circle_among_model_modules():
    g = _graph()
    cycles = list(nx.simple_cycles(g))
    assert cycles == [], f"import circles: {cycles}"
    # the agents do not import each other: they talk through the roles in chain.py
    agents = {"ward", "kommun", "vardcentral", "kluster", "fou", "region"}
    assert not [(a, b) for a, b in g.edges if a in agents and b in agents]


def test_the_model_imports_no_upper_layer():
    for p in MODULES:
        bad = [m for m in _imports(p) if m.split(".")[0] in UPPER_LAYERS]
        assert not bad, f"{p.name} imports {bad}"


def test_modules_stay_small():
    sizes = {p.name: len(p.read_text().splitlines()) for p in MODULES}
    assert sizes["model.py"] <= 300, sizes["model.py"]
    too_big = {name: n for name, n in sizes.items() if n > 400}
    assert not too_big, too_big


def test_each_class_name_means_one_thing():
    names = Counter(
        node.name
        for p in MODULES
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.ClassDef)
    )
    assert [n for n, c in names.items() if c > 1] == []
