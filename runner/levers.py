"""Levers: what the scenario schema says about one key path (its type and bounds).

A sweep or an EMA Workbench study varies scenario values named by key paths, the same paths that
``--set`` takes (``rules.sip_call_rate``, ``kommun."Täby".assessor_capacity``). This module walks the
pydantic schema of :class:`simulation.Scenario` along such a path and reports the field's number type
(``int`` or ``float``) and the bounds declared with ``Field(ge=, le=, gt=, lt=)``, so sweep ranges can be
checked and EMA parameters built from the schema instead of typing bounds twice.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from simulation import parameters
from simulation.scenario import Scenario, ScenarioError, parse_key_path

_GUARDS = {float(getattr(parameters, n)) for n in dir(parameters) if n.startswith("MAX_")}
"""The schema's guard bounds (see :attr:`Lever.natural_upper`)."""

__all__ = ["Lever", "LeverError", "lever", "numeric_levers"]


class LeverError(ValueError):
    """A key path that does not name a numeric scenario value; the message says why (no file name)."""


@dataclass(frozen=True)
class Lever:
    """A numeric scenario value named by its key path."""

    key: str
    """The key path as the user wrote it."""
    path: tuple[str, ...]
    kind: type
    """``int`` or ``float``."""
    lower: float | None
    """Smallest allowed value (``ge``; for ``gt`` the bound itself, exclusive)."""
    upper: float | None
    lower_exclusive: bool = False
    upper_exclusive: bool = False
    optional: bool = False
    """The field may also be left unset (None = off)."""

    @property
    def natural_upper(self) -> float | None:
        """The upper bound if it means something (1 for a probability), None for a guard against typos.

        The schema caps unbounded quantities at guard values far beyond anything real (1,000 for a
        factor, 100,000 for a daily capacity, …); a study's range must not default to those.
        """
        return None if self.upper is None or self.upper in _GUARDS else self.upper


def _unwrap(ann: Any) -> tuple[Any, list[Any], bool]:
    """Strip Optional/Annotated: the bare type, the constraint metadata found, and whether None is allowed."""
    metadata: list[Any] = []
    optional = False
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            args = typing.get_args(ann)
            ann = args[0]
            for extra in args[1:]:
                metadata.extend(getattr(extra, "metadata", [extra]))
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(ann))
            if len(args) == 1:
                ann = args[0]
                continue
        return ann, metadata, optional


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in metadata:
        for attr in ("ge", "gt", "le", "lt"):
            value = getattr(m, attr, None)
            if value is not None:
                out[attr] = value
    return out


def lever(key: str, base: dict[str, Any] | None = None) -> Lever:
    """The numeric scenario value at ``key`` (a key path as ``--set`` takes it).

    ``base`` is a resolved scenario dict: organisation names in the path (``kommun."Täby"``) must exist
    in it. Raises :class:`LeverError` for an unknown key, a missing organisation or a value that is not a
    number (a table, a distribution, a list, a string or a switch).
    """
    try:
        path = parse_key_path(key)
    except ScenarioError as exc:
        raise LeverError(str(exc)) from None
    model: type[BaseModel] = Scenario
    node: Any = base
    i = 0
    while i < len(path):
        part = path[i]
        field = model.model_fields.get(part)
        if field is None:
            allowed = ", ".join(sorted(model.model_fields))
            where = ".".join(path[:i]) or "the scenario"
            raise LeverError(f"unknown key {part!r} in {where}; allowed keys: {allowed}")
        ann, metadata, optional = _unwrap(field.annotation)
        metadata = [*field.metadata, *metadata]
        node = node.get(part) if isinstance(node, dict) else None
        origin = typing.get_origin(ann)
        if origin is dict:
            value_type = typing.get_args(ann)[1]
            if isinstance(value_type, type) and issubclass(value_type, BaseModel):
                if i + 1 >= len(path):
                    raise LeverError(f"{part} is a table of organisations, not a number")
                name = path[i + 1]
                if base is not None and (not isinstance(node, dict) or name not in node):
                    names = sorted(node) if isinstance(node, dict) else []
                    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
                    raise LeverError(f"no {part} named {name!r} in the base scenario; one of: {shown}")
                node = node.get(name) if isinstance(node, dict) else None
                model = value_type
                i += 2
                continue
            raise LeverError(f"{part} is a table, not a number")
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            if i + 1 >= len(path):
                raise LeverError(f"{part} is a table, not a number; name one of its keys")
            model = ann
            i += 1
            continue
        if i + 1 < len(path):
            raise LeverError(f"{part} is a value, not a table")
        if ann is bool or ann not in (int, float):
            raise LeverError(f"{'.'.join(path)} is not a number (a sweep varies numbers only)")
        b = _bounds(metadata)
        lower = b.get("ge", b.get("gt"))
        upper = b.get("le", b.get("lt"))
        return Lever(
            key=key,
            path=path,
            kind=ann,
            lower=None if lower is None else float(lower),
            upper=None if upper is None else float(upper),
            lower_exclusive="gt" in b,
            upper_exclusive="lt" in b,
            optional=optional,
        )
    raise LeverError("empty key path")  # pragma: no cover - parse_key_path never returns ()


def numeric_levers(keys: list[str], base: dict[str, Any] | None = None) -> list[Lever]:
    """:func:`lever` for each key."""
    return [lever(k, base) for k in keys]
