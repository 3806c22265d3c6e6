"""``vardkedja show``: the resolved scenario, with the values something else overrides marked.

A value written in the scenario is not always the value in force: ``rules.sip_call_rate`` overrides
every vårdcentral's own rate, an integrated kommun its vårdcentraler's rota
(:func:`simulation.in_force.overrides`). Shown bare, ``sip_call_rate = 0.6`` read as the rate the
vårdcentral calls SIPs at. In TOML each such value ends with a comment saying what is in force and
what sets it, and each value ``--set`` changed with ``# --set``; the file still loads as the same
scenario. JSON has no comments: the same notes are under a top-level key ``"_notes"`` (only when
there is something to note), ``{"in_force": {path: {"value", "set_by"[, "how"]}}, "set": [path, ...]}``.
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from simulation.in_force import Override, overrides
from simulation.scenario import parse_setting

if TYPE_CHECKING:
    from simulation.scenario import Scenario

__all__ = ["NOTES_KEY", "as_json", "as_toml", "dotted", "set_paths"]

NOTES_KEY = "_notes"
"""The top-level key of the JSON output that holds what TOML says in comments (no scenario key)."""

KeyPath = tuple[str | int, ...]
"""A key path of dumped scenario data: names, and the index in a list of tables."""


def dotted(path: KeyPath) -> str:
    """A key path as the scenario's messages write it (``vardcentral.Täby vc 1.sip_call_rate``); a
    name holding a dot or a quote is quoted, so ``--set`` takes it back."""
    text = ""
    for part in path:
        if isinstance(part, int):  # relationships.forums[0].members, as the messages write it
            text += f"[{part}]"
            continue
        name = json.dumps(part, ensure_ascii=False) if set(part) & set(".\"'") else part
        text += f".{name}" if text else name
    return text


def _leaves(data: Any, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every value of dumped scenario data with its path; a list of tables by index, as TOML shows it."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*prefix, key))
    elif isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        for i, value in enumerate(data):
            yield from _leaves(value, (*prefix, i))
    else:
        yield prefix, data


def set_paths(scenario: Scenario, without: Scenario, settings: list[str]) -> list[KeyPath]:
    """The values of ``scenario`` that ``settings`` changed from ``without`` (the file alone), and
    those they name though the value stayed the same; in the scenario's order."""
    named = [parse_setting(unicodedata.normalize("NFC", text))[0] for text in settings]
    before = dict(_leaves(without.model_dump(mode="json", by_alias=True, exclude_none=True)))
    return [
        path
        for path, value in _leaves(scenario.model_dump(mode="json", by_alias=True, exclude_none=True))
        if before.get(path, ...) != value or any(path[: len(n)] == n for n in named)
    ]


def _note(override: Override | None, was_set: bool) -> str:
    said = ["--set"] if was_set else []
    if override is not None:
        how = f": {override.how}" if override.how else ""
        value = json.dumps(override.in_force, ensure_ascii=False)
        said.append(f"in force: {value} (set by {dotted(override.by)}{how})")
    return "; ".join(said)


def _notes(scenario: Scenario, changed: list[KeyPath]) -> dict[KeyPath, str]:
    by_path: dict[KeyPath, Override] = {o.path: o for o in overrides(scenario)}
    paths = [*changed, *(p for p in by_path if p not in changed)]
    return {p: _note(by_path.get(p), p in changed) for p in paths}


def as_toml(scenario: Scenario, changed: list[KeyPath]) -> str:
    """The scenario as TOML, with a comment after each value something overrides or ``--set`` changed."""
    import tomli_w

    text = tomli_w.dumps(scenario.model_dump(mode="python", by_alias=True, exclude_none=True))
    notes = _notes(scenario, changed)
    if not notes:
        return text
    out = []
    table: KeyPath = ()
    tables: dict[KeyPath, int] = {}  # arrays of tables: how many of each so far
    for line in text.splitlines():
        if line.startswith("[["):
            array = _path_of(line[2:-2])
            tables[array] = tables.get(array, -1) + 1
            table = (*array, tables[array])
        elif line.startswith("[") and line != "]":
            table = _path_of(line[1:-1])
        elif line and not line[0].isspace() and line[0] != "]":  # key = value (or a list's opening)
            note = notes.get((*table, *_key(line)))
            if note:
                line = f"{line}  # {note}"
        out.append(line)
    return "\n".join(out) + "\n"


def _key(line: str) -> tuple[str, ...]:
    """The key of a ``key = value`` line as tomli_w writes it (bare, or a quoted basic string)."""
    if line.startswith('"'):
        i = 1
        while line[i] != '"':
            i += 2 if line[i] == "\\" else 1
        return _path_of(line[: i + 1])
    return _path_of(line.partition(" = ")[0])


def _path_of(key: str) -> tuple[str, ...]:
    """A dotted key as TOML reads it (as tomli_w wrote it: names quoted and escaped where needed)."""
    node: Any = tomllib.loads(f"{key} = 0")
    parts: list[str] = []
    while isinstance(node, dict):
        (name, node), *_ = node.items()
        parts.append(name)
    return tuple(parts)


def as_json(scenario: Scenario, changed: list[KeyPath]) -> str:
    """The scenario as JSON, with what TOML says in comments under :data:`NOTES_KEY`."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    notes: dict[str, Any] = {}
    in_force = {
        dotted(o.path): {"value": o.in_force, "set_by": dotted(o.by), **({"how": o.how} if o.how else {})}
        for o in overrides(scenario)
    }
    if in_force:
        notes["in_force"] = in_force
    if changed:
        notes["set"] = [dotted(p) for p in changed]
    if notes:
        data[NOTES_KEY] = notes
    return json.dumps(data, indent=2, ensure_ascii=False)
