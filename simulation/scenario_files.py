"""Reading one scenario file, and finding the file an ``extends`` names (no validation here)."""

from __future__ import annotations

import codecs
import math
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from simulation.parameters import MAX_FILE_BYTES, NAME_PATTERN, ScenarioError, closest, one_of

__all__ = [
    "SHIPPED_DIR",
    "TooLargeNumber",
    "TooSmallNumber",
    "extends_target",
    "parse_file",
    "parse_text",
    "parse_toml_float",
    "read_text",
    "too_small_numbers",
    "without_thousands_spaces",
]

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "scenarios"
"""The shipped scenarios, which ``extends = "<name>"`` refers to by name."""


class _AsWritten(float):
    """A float that is shown as the TOML text it was read from (in error messages)."""

    __slots__ = ("written",)
    written: str

    def __new__(cls, written: str) -> _AsWritten:
        """The number whose TOML text is ``written``."""
        number = super().__new__(cls, written)
        number.written = written
        return number

    def __repr__(self) -> str:
        return self.written


class TooLargeNumber(_AsWritten):
    """A TOML number beyond a float's range (``1e400``): infinite, and written back as it was written.

    TOML reads ``1e400`` as ``inf``, so its error said "inf is not allowed", which the user never wrote.
    """

    __slots__ = ()


class TooSmallNumber(_AsWritten):
    """A nonzero TOML number too close to zero for a float (``1e-400``): read as 0, which it is not.

    It was taken as 0.0 without a word; :func:`too_small_numbers` finds it so that it is refused.
    """

    __slots__ = ()


def parse_toml_float(text: str) -> float:
    """A TOML float from its text (``parse_float`` of :mod:`tomllib`).

    One too large is a :class:`TooLargeNumber`, one too small (nonzero, read as 0) a :class:`TooSmallNumber`.
    """
    value = float(text)
    if math.isinf(value) and text.lstrip("+-") != "inf":
        return TooLargeNumber(text)
    mantissa = text.lower().partition("e")[0]
    if value == 0 and any(digit in mantissa for digit in "123456789"):
        return TooSmallNumber(text)
    return value


def too_small_numbers(data: Any, key: str = "") -> list[str]:
    """'key.path: problem' for every :class:`TooSmallNumber` in ``data`` (TOML data), as one line each."""
    if isinstance(data, TooSmallNumber):
        return [f"{key}: {data.written} is not allowed (too small to represent); write 0 if zero is meant"]
    if isinstance(data, dict):
        items = [(f"{key}.{k}" if key else str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(f"{key}[{i}]", v) for i, v in enumerate(data)]
    else:
        return []
    return [line for sub, value in items for line in too_small_numbers(value, sub)]


def parse_file(path: Path, shown: str, what: str = "scenario") -> dict[str, Any]:
    """The TOML data of ``path``; every way a file can be unreadable is one ScenarioError line.

    ``what`` the file should be ("scenario", "sweep") is named in the lines that say what was expected.
    """
    return parse_text(read_text(path, shown, what), shown)


def read_text(path: Path, shown: str, what: str = "scenario") -> str:
    """The text of ``path`` as written (less a byte-order mark); one ScenarioError line if it has none."""
    try:
        if path.is_dir():
            raise ScenarioError(f"{shown}: is a folder; expected a {what} .toml file")
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(f"{shown}: file not found") from None
    except OSError as exc:
        raise ScenarioError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{shown}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not a {what} file")
    return _decode(raw, shown, what)


def parse_text(text: str, shown: str) -> dict[str, Any]:
    """The TOML data of the text of file ``shown``; one ScenarioError line per problem."""
    # NFC: "Täby" typed on a Mac or copied from a PDF (a + combining diaeresis) is the same name
    text = unicodedata.normalize("NFC", text)
    try:
        data = tomllib.loads(text, parse_float=parse_toml_float)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{shown}: not valid TOML ({exc}){_number_hint(text, str(exc))}") from None
    except RecursionError:
        raise ScenarioError(f"{shown}: not valid TOML (nested too deeply)") from None
    underflows = too_small_numbers(data)
    if underflows:
        raise ScenarioError("\n".join(f"{shown}: {line}" for line in underflows))
    return data


def _number_hint(text: str, error: str) -> str:
    """How to write the number the TOML error is at, if it is written the Swedish way.

    With a decimal comma: '; write decimals with a point: 0.6' for ``= 0,6``; with spaces between its
    thousands: '; write the number without spaces: 8200' for ``= 8 200``. Neither is TOML, and the
    error ("Expected newline or end of document after a statement (at line 5, column 13)") did not say
    so. The number must follow a ``=`` directly, on the line of the error and before its column (in an
    inline table the error comes later on the line).
    """
    at = _ERROR_AT.search(error)
    if at is None:
        return ""
    lines = text.split("\n")  # as TOML counts lines
    row, column = int(at["line"]), int(at["column"])
    if not 1 <= row <= len(lines):
        return ""
    for match in _SPACED_AFTER_EQUALS.finditer(lines[row - 1]):
        if match.start("number") < column:
            number = match["number"]
            decimals = ", decimals with a point" if "," in number else ""
            return f"; write the number without spaces{decimals}: {without_thousands_spaces(number)}"
    for match in _DECIMAL_COMMA.finditer(lines[row - 1]):
        if match.start("number") < column:
            return f"; write decimals with a point: {match['number'].replace(',', '.')}"
    return ""


def without_thousands_spaces(text: str) -> str | None:
    """``text`` as TOML writes the number, if it is one with spaces between its thousands; else None.

    Swedes write 8 200 (a space, or the no-break spaces Word and Excel put there), perhaps with a
    decimal comma: ``"8 200"`` → ``"8200"``, ``"1 000,5"`` → ``"1000.5"``.
    """
    text = text.strip()
    if not _SPACED_NUMBER.fullmatch(text):
        return None
    return re.sub(f"[{_THOUSANDS_SPACES}]", "", text).replace(",", ".")


_ERROR_AT = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)")
_DECIMAL_COMMA = re.compile(r"=\s*(?P<number>[-+]?\d[\d_]*,\d+)")
_THOUSANDS_SPACES = " \xa0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_SPACED = rf"[-+]?\d{{1,3}}(?:[{_THOUSANDS_SPACES}]\d{{3}})+(?:[.,]\d+)?"
"""A number with its thousands apart (``8 200``, ``1 000 000,5``): groups of three digits after the first."""
_SPACED_NUMBER = re.compile(_SPACED)
_SPACED_AFTER_EQUALS = re.compile(rf"=[ \t]*(?P<number>{_SPACED})(?!\d|[.,]\d)")


def _decode(raw: bytes, shown: str, what: str) -> str:
    """The text of a file that should be UTF-8; a file that is not is one line saying what it is.

    A file saved as Latin-1 or Windows-1252 (an editor's "ANSI"), or as UTF-16 (Notepad's "Unicode"),
    was "not a text file in UTF-8 (byte 26)": the user could not find byte 26, nor tell the file from
    a picture. Such a file now gets the line and column of its first non-UTF-8 character and how to
    fix it; a file that is no text at all (NUL bytes, control bytes: a PNG) is still called so.
    """
    if _utf16(raw):
        raise ScenarioError(f"{shown}: UTF-16 text, not UTF-8; save the file as UTF-8")
    binary = f"{shown}: not a text file (binary data); expected a {what} .toml file in UTF-8"
    if b"\x00" in raw:
        raise ScenarioError(binary)
    # a byte-order mark at the start (Windows Notepad writes one) is not part of the text
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = start + exc.start
    if _CONTROL_BYTES.search(raw):
        raise ScenarioError(binary)
    line_start = max(raw.rfind(b"\n", 0, at) + 1, start)
    line = raw.count(b"\n", 0, at) + 1
    column = len(raw[line_start:at].decode("utf-8")) + 1  # the line up to here is UTF-8
    byte = raw[at]
    meant = bytes([byte]).decode("cp1252", errors="ignore")  # 0x81, 0x8D, ... are no character there
    guess = f", which is {meant!r} in Latin-1/Windows-1252" if meant.isprintable() and meant else ""
    raise ScenarioError(
        f"{shown}: line {line}, column {column}: not UTF-8 text (byte {at} is 0x{byte:02X}{guess}); "
        "save the file as UTF-8"
    )


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
"""Bytes no text file holds (tab, newlines, vertical tab and form feed are text)."""


def _utf16(raw: bytes) -> bool:
    """Whether ``raw`` is text saved as UTF-16, with or without a byte-order mark."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if raw.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        tries = [(codec, raw[2:])]
    elif b"\x00" in raw:
        tries = [("utf-16-le", raw), ("utf-16-be", raw)]
    else:
        return False
    for codec, body in tries:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        # a scenario's keys, brackets and newlines are ASCII: random bytes decode to anything but that
        control = any(ch < " " and ch not in "\t\n\r" for ch in text)
        if text and not control and sum(ch < "\x80" for ch in text) >= len(text) / 2:
            return True
    return False


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
