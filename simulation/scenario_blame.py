"""Errors of a scenario file named by the file of its ``extends`` chain that wrote the key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simulation.parameters import ScenarioError
from simulation.scenario_files import extends_target, parse_file

__all__ = ["blame_writer"]


def blame_writer(message: str, path: Path, settings: Mapping[str, Any] | None = None) -> str:
    """Each ``<path>: key: problem`` line named by the file that wrote ``key``.

    A key the scenario inherits was reported at the file the user gave ("barn.toml: rules.sip_cal_rate:
    unknown key"), which does not hold it; the line now names the file of the chain (this file, then
    the files it extends) whose value is in force. A key no file wrote (a required one) stays with
    ``path``, and so does a key ``settings`` (nested data merged over the files: ``--set``) wrote,
    or one inside or above what it wrote: the value in force is the setting's, not the file's.
    """
    shown = str(path)
    lines = message.splitlines()
    if not any(line.startswith(f"{shown}: ") for line in lines):
        return message
    try:
        chain = _own_files(path)
    except ScenarioError:  # pragma: no cover - the chain was read once already
        return message
    # "--set weekend_staffing.assessor=0,6" on nordost-2019 was blamed on nordost.toml, which wrote
    # the key too, so the CLI could not name the setting
    set_keys = _leaf_keys(settings or {})
    out = []
    for line in lines:
        if line.startswith(f"{shown}: "):
            key = line[len(shown) + 2 :].partition(": ")[0]
            key = re.sub(r"\[\d+\]", "", key)
            if _written_by(key, set_keys):
                writer = shown
            else:
                writer = next((name for name, keys in chain if key in keys), shown)
            line = f"{writer}: {line[len(shown) + 2 :]}"
        out.append(line)
    return "\n".join(dict.fromkeys(out))


def _leaf_keys(data: Mapping[str, Any], prefix: str = "") -> set[str]:
    """The dotted key paths of the values (not the tables) in ``data``."""
    found: set[str] = set()
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        found |= _leaf_keys(value, dotted + ".") if isinstance(value, Mapping) and value else {dotted}
    return found


def _written_by(key: str, set_keys: set[str]) -> bool:
    """Whether the problem at ``key`` is at, inside or above a value at one of ``set_keys``."""
    return any(key == k or key.startswith(k + ".") or k.startswith(key + ".") for k in set_keys)


def _own_files(path: Path) -> list[tuple[str, set[str]]]:
    """The files of ``path``'s ``extends`` chain, from ``path`` up.

    Each as named in messages, with the dotted key paths (every prefix too) it writes itself.
    """

    def keys(data: Any, prefix: str = "") -> set[str]:
        found: set[str] = set()
        if isinstance(data, dict):
            for key, value in data.items():
                dotted = f"{prefix}{key}"
                found |= {dotted, *keys(value, dotted + ".")}
        return found

    chain: list[tuple[str, set[str]]] = []
    current, shown = path.resolve(), str(path)
    seen: set[Path] = set()
    while current not in seen:
        seen.add(current)
        data = parse_file(current, shown)
        parent = data.pop("extends", None)
        chain.append((shown, keys(data)))
        if parent is None:
            break
        current = extends_target(current, parent, shown)
        try:
            shown = str(current.relative_to(Path.cwd()))
        except ValueError:
            shown = str(current)
    return chain
