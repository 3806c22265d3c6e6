"""Reading one scenario file, and finding the file an ``extends`` names (no validation here)."""

from __future__ import annotations

import math
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from simulation.parameters import MAX_FILE_BYTES, NAME_PATTERN, ScenarioError, closest, one_of

__all__ = ["SHIPPED_DIR", "TooLargeNumber", "extends_target", "parse_file", "parse_toml_float"]

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "scenarios"
"""The shipped scenarios, which ``extends = "<name>"`` refers to by name."""


class TooLargeNumber(float):
    """A TOML number beyond a float's range (``1e400``): infinite, and written back as it was written.

    TOML reads ``1e400`` as ``inf``, so its error said "inf is not allowed", which the user never wrote.
    """

    __slots__ = ("written",)
    written: str

    def __new__(cls, written: str) -> TooLargeNumber:
        """The number whose TOML text is ``written``."""
        number = super().__new__(cls, written)
        number.written = written
        return number

    def __repr__(self) -> str:
        return self.written


def parse_toml_float(text: str) -> float:
    """A TOML float from its text (``parse_float`` of :mod:`tomllib`); one too large is a TooLargeNumber."""
    value = float(text)
    if math.isinf(value) and text.lstrip("+-") != "inf":
        return TooLargeNumber(text)
    return value


def parse_file(path: Path, shown: str) -> dict[str, Any]:
    """The TOML data of ``path``; every way a file can be unreadable is one ScenarioError line."""
    try:
        if path.is_dir():
            raise ScenarioError(f"{shown}: is a folder; expected a scenario .toml file")
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(f"{shown}: file not found") from None
    except OSError as exc:
        raise ScenarioError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{shown}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not a scenario file")
    try:
        # utf-8-sig: a byte-order mark at the start (Windows Notepad writes one) is not part of the text
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{shown}: not a text file in UTF-8 (byte {exc.start}); expected a scenario .toml file"
        ) from None
    if "\x00" in text:
        raise ScenarioError(f"{shown}: a binary file; expected a scenario .toml file")
    # NFC: "Täby" typed on a Mac or copied from a PDF (a + combining diaeresis) is the same name
    text = unicodedata.normalize("NFC", text)
    try:
        return tomllib.loads(text, parse_float=parse_toml_float)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{shown}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ScenarioError(f"{shown}: not valid TOML (nested too deeply)") from None


def extends_target(path: Path, parent: Any, shown: str) -> Path:
    """The file ``extends = parent`` in ``path`` names: a shipped scenario by name, or a relative path."""
    allowed = 'the name of a shipped scenario ("nordost-2019") or a relative path to a .toml file'
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(f"{shown}: extends: {parent!r} is not allowed; expected {allowed}")
    if NAME_PATTERN.fullmatch(parent) and not parent.endswith(".toml"):
        target = SHIPPED_DIR / f"{parent}.toml"
        if target.is_file():
            return target.resolve()
        if not Path(parent).suffix:
            names = sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))
            close = closest(parent, names)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise ScenarioError(
                f"{shown}: extends: {parent!r} is not a shipped scenario{hint}; expected {one_of(names)}"
            )
    rel = Path(parent)
    if rel.is_absolute() or parent.startswith("~") or rel.suffix != ".toml" or "\x00" in parent:
        raise ScenarioError(f"{shown}: extends: {parent!r} is not allowed; expected {allowed}")
    return (path.parent / rel).resolve()
