"""Validation errors as one line each: the key path as the user wrote it, the value, what is allowed."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from pydantic import BaseModel

from simulation.distributions import Empirical, Exponential, Fixed, Geometric, LogNormal, Poisson
from simulation.parameters import KeyedError
from simulation.scenario_files import TooLargeNumber, without_thousands_spaces
from simulation.scenario_schema import Scenario

__all__ = ["allowed_keys", "describe"]


def _model_for_path(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of ``loc`` (for spelling suggestions)."""
    model: Any = Scenario
    for part in loc[:-1]:
        if model is None:
            return None
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            if isinstance(part, int) or model in (None,):
                continue
            # an organisation name inside dict[str, Org]
            continue
        ann = field.annotation
        model = _inner_model(ann)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(ann: Any) -> Any:
    args = getattr(ann, "__args__", ())
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for a in args:
        found = _inner_model(a)
        if found is not None:
            return found
    return None


def describe(err: Any) -> str:
    """One problem of a validation error as 'key.path: value is not allowed; expected ...'."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _DIST_TAGS))
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    ctx = err.get("ctx") or {}
    inner = ctx.get("error")
    if isinstance(inner, KeyedError):
        return str(inner)
    etype = err["type"]
    value = err.get("input")
    if etype == "extra_forbidden":
        tag = next((p for p in err["loc"] if isinstance(p, str) and p in _DIST_TAGS), None)
        model = _DIST_CLASSES[tag] if tag else _model_for_path(loc)
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(str(loc[-1]), allowed_keys(model), n=1)
            if close:
                hint = f" (did you mean {close[0]!r}?)"
        allowed = f"; allowed keys: {', '.join(allowed_keys(model))}" if model else ""
        return f"{key}: unknown key{hint}{allowed}"
    if etype == "missing":
        return f"{key}: required key is missing"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if etype == "union_tag_invalid" or etype == "union_tag_not_found":
        return f"{key}: {value!r} is not a distribution; expected dist = one of {', '.join(_DIST_TAGS)}"
    shown = _shown(value)
    if etype == "model_type":  # a value where a table of keys belongs (rules = 1, --set rules=1)
        model = _model_for_path((*loc, "_"))
        keys = f" ({', '.join(allowed_keys(model))})" if model else ""
        return f"{key}: {shown} is not allowed; expected a table of keys{keys}"
    if etype == "dict_type":  # a value where a table of named entries belongs (ward = 3)
        return f"{key}: {shown} is not allowed; expected a table with one entry per name"
    if isinstance(value, TooLargeNumber):  # 1e400: TOML read inf, which the user did not write
        return f"{key}: {shown} is not allowed (too large to represent); expected {_plain(msg)}"
    return f"{key}: {shown} is not allowed; expected {_plain(msg)}{_hint(etype, value, ctx)}"


def _hint(etype: str, value: Any, ctx: dict[str, Any]) -> str:
    """What the user probably meant by a number a Swedish analyst writes, if the error is that.

    ``0,6`` (a decimal comma; ``--set`` takes what is not TOML as text) was "expected a valid number",
    ``8 200`` (a space between the thousands) too, and ``60`` for a share was "expected less than or
    equal to 1", none saying how to write it.
    """
    if etype in ("float_type", "float_parsing", "int_type", "int_parsing") and isinstance(value, str):
        joined = without_thousands_spaces(value)
        if joined is not None and (etype.startswith("float") or joined.lstrip("+-").isdigit()):
            return f"; write {joined}"
    if etype in ("float_type", "float_parsing") and isinstance(value, str):
        text = value.strip()
        if _DECIMAL_COMMA.fullmatch(text):
            return f"; write {text.replace(',', '.')}"
        if _NO_LEADING_DIGIT.fullmatch(text):  # .6: TOML wants a digit before the point
            return f"; write {text.replace('.', '0.', 1)}"
        if _NO_TRAILING_DIGIT.fullmatch(text):  # 6.: and one after it
            return f"; write {text}0"
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if etype == "less_than_equal" and ctx.get("le") == 1 and number and 2 <= value <= 100:
        return f" (a share: {_shown(value)} % is written {value / 100:.12g})"
    return ""


_DECIMAL_COMMA = re.compile(r"[-+]?\d[\d_]*,\d+")
_NO_LEADING_DIGIT = re.compile(r"[-+]?\.\d+")
_NO_TRAILING_DIGIT = re.compile(r"[-+]?\d+\.")


_DIST_TAGS = ("fixed", "geometric", "exponential", "poisson", "lognormal", "empirical")
_DIST_CLASSES: dict[str, type[BaseModel]] = {
    "fixed": Fixed,
    "geometric": Geometric,
    "exponential": Exponential,
    "poisson": Poisson,
    "lognormal": LogNormal,
    "empirical": Empirical,
}


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The keys a scenario file may use for ``model`` (aliases where fields have them)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _shown(value: Any) -> str:
    """The value as the user wrote it, short enough for one line."""
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, dt.date):  # datetime too: as TOML writes it, not datetime.datetime(...)
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:56]}…{text[-3:]}"


def _plain(msg: str) -> str:
    msg = msg.replace("Input should be ", "").replace("Input ", "")
    msg = msg.replace("List should have", "a list with").replace(" after validation", "")
    return msg[0].lower() + msg[1:] if msg else msg
