"""Mesa's import without the two start-up costs this model never uses (about 0.9 s of a 1 s import).

Measured with ``python -X importtime -c "import pandas; import mesa"`` (Mesa 3.5.1, this machine):

- ``mesa/__init__.py`` imports Mesa's spaces eagerly (``mesa.discrete_space``, ``mesa.space``, and
  through ``mesa.experimental`` its ``continuous_space``), and with them ``scipy.spatial`` and
  ``networkx`` (0.66 s). The model uses none of Mesa's spaces. The three are installed as lazy
  modules (:class:`importlib.util.LazyLoader`): each is there under its name, and loads in full on the
  first use of any of its attributes (the teaching app's SolaraViz does that).
- ``mesa.mesa_logging`` names module loggers with ``inspect.stack()`` and method loggers with
  ``inspect.getouterframes()``, which look up the source of every frame of the import. For the frozen
  importlib frames ``inspect.getmodule`` scans all loaded modules each time (about 1,300 once pandas is
  loaded; CPython issue 92041): 0.19 s for ``mesa.model``. Here those calls get the same frames and
  names without the source lines (the only parts Mesa reads: the frame, and the caller's name).

A meta path finder does both when Mesa's modules are first imported, then removes itself. Nothing of
Mesa is copied or changed on disk, and if Mesa's layout is not what is expected (a newer release) the
finder steps aside and Mesa imports as it always does. ``simulation/__init__.py`` installs the finder,
so it is in place before any module of the model imports Mesa; installing it imports nothing.
"""

from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
from typing import Any

__all__ = ["install"]

# Mesa's spaces, imported eagerly by ``mesa/__init__.py`` and ``mesa/experimental/__init__.py``.
_LAZY = frozenset({"mesa.discrete_space", "mesa.space", "mesa.experimental.continuous_space"})
_LOGGING = "mesa.mesa_logging"


class _FramesWithoutSource:
    """Stands in for ``inspect`` inside ``mesa.mesa_logging``: frames and names, no source lines."""

    def __init__(self, inspect: Any) -> None:
        self._inspect = inspect

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inspect, name)

    def getouterframes(self, frame: Any, context: int = 1) -> list[Any]:
        frame_info = self._inspect.FrameInfo
        frames = []
        while frame is not None:
            code = frame.f_code
            frames.append(frame_info(frame, code.co_filename, frame.f_lineno, code.co_name, None, None))
            frame = frame.f_back
        return frames

    def stack(self, context: int = 1) -> list[Any]:
        return self.getouterframes(sys._getframe(1), context)

    def getmodule(self, obj: Any, _filename: str | None = None) -> Any:
        if self._inspect.isframe(obj):
            return sys.modules.get(obj.f_globals.get("__name__", ""))
        return self._inspect.getmodule(obj, _filename)


class _LoggingLoader:
    """Loads ``mesa.mesa_logging`` as usual, then gives it :class:`_FramesWithoutSource`."""

    def __init__(self, loader: SourceFileLoader) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)

    def create_module(self, spec: ModuleSpec) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        inspect = getattr(module, "inspect", None)
        if inspect is not None:
            module.inspect = _FramesWithoutSource(inspect)


class _MesaStartup:
    """A meta path finder for the two Mesa modules above; every other import passes through."""

    def __init__(self) -> None:
        self.pending = {*_LAZY, _LOGGING}

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name not in self.pending:
            return None
        self.pending.discard(name)
        if not self.pending and self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        if spec is None or not isinstance(spec.loader, SourceFileLoader):
            return spec  # not Mesa's usual layout: import it as it is
        if name in _LAZY:
            from importlib.util import LazyLoader

            spec.loader = LazyLoader(spec.loader)
        else:
            spec.loader = _LoggingLoader(spec.loader)  # type: ignore[assignment]
        return spec


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once, and only if Mesa is not imported yet)."""
    if "mesa" in sys.modules or any(isinstance(f, _MesaStartup) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _MesaStartup())
