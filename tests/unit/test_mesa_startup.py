"""Mesa imported through ``simulation.mesa_startup``: same Mesa, without its spaces or slow logger naming.

Each check runs in a fresh interpreter, since the finder acts only on Mesa's first import.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fresh(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_model_imports_no_space_and_the_spaces_load_on_use() -> None:
    got = _fresh(
        """
        import json, sys
        import simulation.model
        before = {
            "spatial": "scipy.spatial" in sys.modules,
            "lazy": sorted(n for n in ("mesa.discrete_space", "mesa.space",
                                       "mesa.experimental.continuous_space")
                           if type(sys.modules[n]).__name__ == "_LazyModule"),
            "finder_left": [type(f).__name__ for f in sys.meta_path if type(f).__name__ == "_MesaStartup"],
        }
        from mesa.discrete_space import OrthogonalMooreGrid
        from mesa.space import MultiGrid
        from mesa.experimental.continuous_space import ContinuousSpace
        import mesa
        grid = OrthogonalMooreGrid((3, 3), random=__import__("random").Random(1))
        print(json.dumps({**before, "cells": len(grid._cells), "multigrid": MultiGrid.__module__,
                          "continuous": ContinuousSpace.__name__,
                          "spatial_after": "scipy.spatial" in sys.modules,
                          "space_attr": mesa.space.MultiGrid is MultiGrid}))
        """
    )
    assert got["spatial"] is False
    assert got["lazy"] == ["mesa.discrete_space", "mesa.experimental.continuous_space", "mesa.space"]
    assert got["finder_left"] == []
    assert got["cells"] == 9 and got["multigrid"] == "mesa.space" and got["continuous"] == "ContinuousSpace"
    assert got["spatial_after"] is True and got["space_attr"] is True


def test_mesa_names_its_loggers_as_it_would_itself() -> None:
    """``mesa.model``'s module logger and its ``Model.__init__`` method logger keep their names."""
    got = _fresh(
        """
        import json, logging
        import simulation.model
        import mesa, mesa.mesa_logging as ml
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        root = logging.getLogger("MESA")
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        mesa.Model(rng=1)
        print(json.dumps({"loggers": sorted(ml._module_loggers),
                          "model_logger": __import__("mesa.model").model._mesa_logger.name,
                          "messages": [r.getMessage().split(" with ")[0] for r in records]}))
        """
    )
    assert "mesa.model" in got["loggers"]
    assert got["model_logger"] == "MESA.mesa.model"
    assert "calling Model.__init__" in got["messages"]


def test_without_the_finder_mesa_imports_as_usual() -> None:
    """Mesa imported before the model: the finder stays out, and nothing changes for Mesa."""
    got = _fresh(
        """
        import json, sys
        import mesa
        import simulation.model
        print(json.dumps({"spatial": "scipy.spatial" in sys.modules,
                          "lazy": type(sys.modules["mesa.space"]).__name__,
                          "finders": [type(f).__name__ for f in sys.meta_path]}))
        """
    )
    assert got["spatial"] is True and got["lazy"] == "module"
    assert "_MesaStartup" not in got["finders"]
