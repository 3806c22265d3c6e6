"""The scenario: a typed, validated, immutable description of one simulation experiment.

A scenario is written in TOML (see ``scenarios/nordost.toml``) and checked once, here, at the edge.
Organisations are tables keyed by name (``[kommun."Täby"]``) so that a variant file can extend a base
scenario (``extends = "nordost.toml"``) and override a single value of a single organisation.
``[defaults.<kind>]`` tables give values that every organisation of that kind gets unless it sets
its own. Every problem is reported as one line naming the file, the key path, the value and what is
allowed (:class:`ScenarioError`).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from simulation.distributions import (
    MAX_DAYS,
)
from simulation.organisation_specs import (
    ORGANISATION_TABLES,
    AgreementSpec,
    FoUSpec,
    HospitalSpec,
    KlusterSpec,
    KommunSpec,
    OrganisationSpec,
    RegionSpec,
    VardcentralSpec,
    WardSpec,
)
from simulation.parameters import (
    MAX_SEED,
    NAME_RULE,
    CapacityFactors,
    CommunityDemand,
    ForcedDischarge,
    Forum,
    KeyedError,
    PatientMix,
    PatientVoice,
    Relationships,
    Rules,
    ScenarioError,
    SipRules,
    WeekendStaffing,
    check_name,
    closest,
)
from simulation.scenario_blame import blame_writer
from simulation.scenario_errors import allowed_keys, describe
from simulation.scenario_files import (
    SHIPPED_DIR,
    extends_target,
    parse_file,
    parse_toml_float,
    too_small_numbers,
)
from simulation.scenario_schema import Scenario

__all__ = [
    "MAX_DAYS",
    "MAX_SEED",
    "NAME_RULE",
    "SHIPPED_DIR",
    "CapacityFactors",
    "CommunityDemand",
    "FoUSpec",
    "ForcedDischarge",
    "Forum",
    "HospitalSpec",
    "KlusterSpec",
    "KommunSpec",
    "PatientMix",
    "AgreementSpec",
    "PatientVoice",
    "RegionSpec",
    "Relationships",
    "Rules",
    "Scenario",
    "ScenarioError",
    "SipRules",
    "VardcentralSpec",
    "WardSpec",
    "WeekendStaffing",
    "check_name",
    "load_scenario",
    "parse_key_path",
    "parse_setting",
    "resolve_scenario_dict",
    "scenario_from_dict",
    "settings_tree",
]


# ---------------------------------------------------------------------------------------------
# Loading: TOML -> inheritance -> defaults -> validation, with one-line errors.

_SPECS: dict[str, type[OrganisationSpec]] = {kind: spec for kind, (spec, _) in ORGANISATION_TABLES.items()}
_ORG_KINDS = tuple(_SPECS)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        # A distribution ({dist = ...}) is one value: a variant replaces it whole.
        if isinstance(value, dict) and "dist" not in value and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path, chain: tuple[Path, ...], shown: str | None = None) -> dict[str, Any]:
    """Read one scenario file and, recursively, the files it extends.

    ``extends`` names a shipped scenario (``"nordost-2019"``) or a ``.toml`` file relative to this
    file's folder (``"nordost-2019.toml"``, ``"../base.toml"``); absolute paths are refused. Whatever
    it names must parse as a scenario (known top-level keys only); a file that does not is refused
    without quoting any of its contents.
    """
    shown = shown or str(path)
    data = parse_file(path, shown)
    if not data:  # empty, or only comments: one line, not one "required key is missing" per table
        tables = [k for k, f in Scenario.model_fields.items() if f.is_required() and k != "name"]
        raise ScenarioError(
            f"{shown}: the file is empty; a scenario needs at least the tables "
            f'{", ".join(tables)} (or extends = "nordost" and only what differs)'
        )
    parent = data.pop("extends", None)
    if parent is None:
        return data
    parent_path = extends_target(path, parent, shown)
    if parent_path in chain:
        cycle = " -> ".join(p.name for p in (*chain, parent_path))
        raise ScenarioError(f"{shown}: extends: circular inheritance ({cycle})")
    if not parent_path.is_file():
        raise ScenarioError(f"{shown}: extends: {parent!r} not found (looked for {parent_path})")
    base = _read_toml(parent_path, (*chain, parent_path))
    unknown = set(base) - set(Scenario.model_fields) - {"defaults"}
    if unknown:
        raise ScenarioError(
            f"{shown}: extends: {parent!r} is not a scenario file "
            f"({len(unknown)} top-level keys a scenario does not have)"
        )
    base.pop("name", None)  # a variant is its own scenario
    base.pop("description", None)
    _refuse_misspelt_organisations(data, base, parent, shown)
    return _deep_merge(base, data)


def _refuse_misspelt_organisations(
    own: dict[str, Any], base: dict[str, Any], parent: str, shown: str
) -> None:
    """Refuse an organisation this file adds that looks like a misspelling of one ``base`` has.

    ``[kommun."Taby"]`` in a file extending nordost-2019 (for Täby) made a new kommun and was refused
    with a line per key a new kommun needs ("kommun.Taby.population: required key is missing"), none
    saying that the name was the problem. A name close to one of the parent's, in a table lacking a
    key a new organisation of its kind needs, is now one line; a new organisation with all its keys
    is taken as it is.
    """
    defaults = _deep_merge(_table(base.get("defaults")), _table(own.get("defaults")))
    problems = []
    for kind, spec in _SPECS.items():
        theirs, mine = _table(base.get(kind)), _table(own.get(kind))
        needed = [f.alias or key for key, f in spec.model_fields.items() if f.is_required()]
        needed += spec.needed_when_new
        given = _table(defaults.get(kind))
        for name, values in mine.items():
            if name in theirs or not isinstance(values, dict):
                continue
            missing = [key for key in needed if key not in values and key not in given]
            close = closest(name, theirs)
            if missing and close:
                also = "also " if len(missing) < len(needed) else ""
                problems.append(
                    f"{shown}: {kind}.{name}: not a {kind} of {parent} (did you mean {close!r}?); "
                    f"a new {kind} {also}needs {', '.join(missing)}"
                )
    if problems:
        raise ScenarioError("\n".join(problems))


def _table(value: Any) -> dict[str, Any]:
    """``value`` if it is a table, else an empty one (a value of another type is reported elsewhere)."""
    return value if isinstance(value, dict) else {}


def resolve_scenario_dict(
    path: str | Path, settings: Mapping[str, Any] | Iterable[str] = ()
) -> dict[str, Any]:
    """Read a scenario file, following ``extends``; merge ``settings``; apply ``[defaults.*]``.

    ``settings`` are key-path settings (:func:`settings_tree`). The result is not yet validated.
    """
    path = Path(path)
    data = _read_toml(path.resolve(), (path.resolve(),), str(path))
    data.setdefault("name", path.stem)
    tree = settings_tree(settings)
    if tree:
        data = _deep_merge(data, tree)
    return _apply_defaults(data, str(path), strict=True)


def parse_key_path(key: str) -> tuple[str, ...]:
    """Split a dotted key path as TOML does (``kommun."Täby".assessor_capacity``).

    A name TOML would need quoted but that holds no dot or quote (``kommun.Täby``, ``ward.Geriatrik
    1``) is quoted here: the names of Swedish organisations are written as they are. Raises
    :class:`ScenarioError` for a key that is not a dotted key.
    """
    try:
        tree = tomllib.loads(f"{_quote_names(key)} = 0")
    except tomllib.TOMLDecodeError:
        raise ScenarioError(
            f"{key!r} is not a key path; expected names joined by '.', "
            'quoted where they hold a dot (ward."Geriatrik 1".beds or ward.Geriatrik 1.beds)'
        ) from None
    parts: list[str] = []
    node: Any = tree
    while isinstance(node, dict):
        (name, node), *_ = node.items()
        parts.append(name)
    return tuple(parts)


def _quote_names(key: str) -> str:
    """``key`` with every unquoted name that is not a bare TOML key quoted (ä, ö, spaces)."""
    parts: list[str] = []
    current, quote = "", ""
    for ch in key:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    out = []
    for part in parts:
        name = part.strip()
        if name and not _BARE_KEY.fullmatch(name) and not set(name) & set("\"'\\"):
            part = f'"{name}"'
        out.append(part)
    return ".".join(out)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def parse_setting(text: str) -> tuple[tuple[str, ...], Any]:
    """Parse one ``key.path=value`` setting; the value is read as TOML, else taken as a string."""
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise ScenarioError(f"--set {text!r}: expected key.path=value")
    path = parse_key_path(key)
    try:
        value = tomllib.loads(f"v = {raw}", parse_float=parse_toml_float)["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word: a string
    underflows = too_small_numbers(value, key)
    if underflows:
        raise ScenarioError(f"--set {underflows[0]}")
    return path, value


def settings_tree(settings: Mapping[str, Any] | Iterable[str]) -> dict[str, Any]:
    """Nested data from settings: ``{"rules.sip_call_rate": 0.9}`` or ``["rules.sip_call_rate=0.9"]``.

    Later settings of the same key win. The result is deep-merged into a scenario's data, so a setting
    changes one value and leaves its neighbours alone.
    """
    if isinstance(settings, Mapping):
        items = [(parse_key_path(k), v) for k, v in settings.items()]
    else:
        items = [parse_setting(unicodedata.normalize("NFC", t)) for t in settings]
    tree: dict[str, Any] = {}
    for path, value in items:
        node = tree
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[path[-1]] = value
    return tree


def _apply_defaults(data: dict[str, Any], source: str, strict: bool = False) -> dict[str, Any]:
    """Merge ``[defaults.<kind>]`` into every organisation of that kind.

    Each default is validated once, here, and reported at ``defaults.<kind>.<key>`` (where the user
    wrote it), not once per organisation that inherits it.
    """
    defaults = data.pop("defaults", {}) or {}
    if not isinstance(defaults, dict):
        raise ScenarioError(f"{source}: defaults: expected a table of organisation kinds")
    problems: list[str] = []
    for kind, values in defaults.items():
        if kind not in _ORG_KINDS:
            hint = difflib.get_close_matches(kind, _ORG_KINDS, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ScenarioError(
                f"{source}: defaults.{kind}: unknown organisation kind; allowed: "
                f"{', '.join(_ORG_KINDS)}{extra}"
            )
        if not isinstance(values, dict):
            raise ScenarioError(f"{source}: defaults.{kind}: expected a table of keys and values")
        problems += [f"{source}: {p}" for p in _check_defaults(kind, values, strict)]
        orgs = data.get(kind, {})
        if isinstance(orgs, dict):
            data[kind] = {n: ({**values, **org} if isinstance(org, dict) else org) for n, org in orgs.items()}
    if problems:
        raise ScenarioError("\n".join(dict.fromkeys(problems)))
    return data


_ADAPTERS: dict[tuple[str, str], TypeAdapter[Any]] = {}


def _check_defaults(kind: str, values: dict[str, Any], strict: bool = False) -> list[str]:
    spec: type[BaseModel] = _SPECS[kind]
    problems = []
    for key, value in values.items():
        field = spec.model_fields.get(key)
        if field is None:
            close = difflib.get_close_matches(str(key), allowed_keys(spec), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"defaults.{kind}.{key}: unknown key{hint}; allowed keys: {', '.join(allowed_keys(spec))}"
            )
            continue
        adapter = _ADAPTERS.get((kind, key))
        if adapter is None:
            ann: Any = field.annotation
            if field.metadata:
                ann = Annotated[(ann, *field.metadata)]  # type: ignore[valid-type]
            adapter = TypeAdapter(ann, config=ConfigDict(allow_inf_nan=False))
            _ADAPTERS[(kind, key)] = adapter
        try:
            adapter.validate_python(value, strict=strict)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(describe({**err, "loc": ("defaults", kind, key, *err["loc"])}))
    return problems


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>", strict: bool = False) -> Scenario:
    """Validate plain data as a :class:`Scenario`.

    ``strict``: a value of another type is refused, not converted (``days = "365"``, ``"yes"`` for a
    boolean, ``"22"`` for a count): what a file and ``--set`` give is checked so, while programs
    (sweeps' NumPy numbers, the app's widgets) may pass what converts without loss. A whole number
    is still a float, and ``start_date`` also takes its ISO text.
    Raises :class:`ScenarioError` with one line per problem, each naming ``source`` and the key path.
    """
    if "defaults" in data:
        data = _apply_defaults(dict(data), source, strict)
    try:
        return Scenario.model_validate(data, strict=strict)
    except ValidationError as exc:
        lines = dict.fromkeys(f"{source}: {describe(err)}" for err in exc.errors())
        raise ScenarioError("\n".join(lines)) from None
    except KeyedError as exc:  # pragma: no cover - pydantic wraps ValueErrors, kept for safety
        raise ScenarioError(f"{source}: {exc}") from None


def load_scenario(
    path: str | Path, settings: Mapping[str, Any] | Iterable[str] = (), **overrides: Any
) -> Scenario:
    """Load, resolve and validate a scenario file.

    ``settings`` are key-path settings (:func:`settings_tree`); ``overrides`` are top-level keys
    (``days=90``). Both are deep-merged: a setting changes one value, never a whole table.
    """
    tree = settings_tree(settings)
    if overrides:
        tree = _deep_merge(tree, overrides)
    try:
        data = resolve_scenario_dict(path, tree)
        return scenario_from_dict(data, str(path), strict=True)
    except ScenarioError as exc:
        raise ScenarioError(blame_writer(str(exc), Path(path), tree)) from None
