"""Every quotation a scenario comment attributes to a seed occurs, verbatim, in that seed.

A scenario comment such as ``# seed 002: "Få SIP:ar har genomförts [...]" (size: assumption)`` claims
that seed 002 contains those words. Each quoted string in a comment is attributed to the nearest
``seed 00N`` before it in the same comment (or, if none comes before, the first one after it) and
looked up in ``../shared/seeds/00N_*.txt`` after normalising what PDF extraction changes:

- runs of whitespace (line and page breaks included) count as one space;
- a hyphen at a line end is joined (``beor-⏎drade`` = ``beordrade``), or kept when the quote keeps it
  (``vård- och``, ``LUS-processen``);
- typographic quotation marks (”…”) equal the plain ones a TOML comment can hold ('…' inside "…");
- ``[...]`` / ``[…]`` mark an elision: each part must occur, in order.

Case and every other character must match. An English paraphrase put in quotation marks fails here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))

SEED_MENTION = re.compile(r"\bseeds? (\d{3}(?:(?:, | and )\d{3})*)", re.IGNORECASE)
QUOTED = re.compile(r'"([^"]+)"')
ELISION = re.compile(r"\s*\[(?:\.\.\.|…)\]\s*")
QUOTE_MARKS = str.maketrans({c: '"' for c in "”“„″'’‘"})
SOFT_BREAK = "\x00"  # a hyphen at a line end in the seed


def _comment(line: str) -> str | None:
    """The comment part of one TOML line (after a ``#`` outside any string), or None."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if quote is None and c == "#":
            return line[i + 1 :]
        if c in "\"'":
            quote = None if quote == c else (c if quote is None else quote)
        i += 1
    return None


def _citations() -> list[tuple[str, int, tuple[str, ...], str]]:
    """(file, line number, seeds cited, quoted string) for every quote in a comment citing a seed."""
    found = []
    for path in SCENARIOS:
        text = path.read_text(encoding="utf-8")
        assert '"""' not in text and "'''" not in text, f"{path.name}: multi-line strings not parsed here"
        for number, line in enumerate(text.splitlines(), start=1):
            comment = _comment(line)
            if comment is None:
                continue
            mentions = [
                (m.start(), m.end(), tuple(re.findall(r"\d{3}", m.group(1))))
                for m in SEED_MENTION.finditer(comment)
            ]
            if not mentions:
                continue
            for q in QUOTED.finditer(comment):
                before = [seeds for _, end, seeds in mentions if end <= q.start()]
                after = [seeds for start, _, seeds in mentions if start >= q.end()]
                seeds = before[-1] if before else after[0]
                found.append((path.name, number, seeds, q.group(1)))
    return found


CITATIONS = _citations()


def _normalise_seed(text: str) -> str:
    text = text.translate(QUOTE_MARKS)
    text = re.sub(r"-[ \t]*\r?\n\s*", SOFT_BREAK, text)
    return re.sub(r"\s+", " ", text)


def _pattern(part: str) -> re.Pattern[str]:
    """A regex for one quoted part that tolerates the seed's line-end hyphenation."""
    part = re.sub(r"\s+", " ", part.translate(QUOTE_MARKS)).strip()
    out = []
    i = 0
    while i < len(part):
        if part.startswith("- ", i):
            out.append(f"(?:- |{SOFT_BREAK})")
            i += 2
            continue
        c = part[i]
        out.append(f"(?:-|{SOFT_BREAK})" if c == "-" else re.escape(c) + f"{SOFT_BREAK}?")
        i += 1
    return re.compile("".join(out))


def occurs(quote: str, seed_text: str) -> bool:
    """Whether ``quote`` (with ``[...]`` elisions) occurs in order in the normalised ``seed_text``."""
    position = 0
    for part in (p for p in ELISION.split(quote) if p.strip()):
        match = _pattern(part).search(seed_text, position)
        if match is None:
            return False
        position = match.end()
    return True


@cache
def _seed_texts() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS} (the repository must sit beside ../shared)")
    texts = {p.name[:3]: _normalise_seed(p.read_text(encoding="utf-8")) for p in SEEDS.glob("0*.txt")}
    if not texts:
        pytest.skip(f"no seed texts (0*.txt) in {SEEDS}")
    return texts


def test_matcher_joins_line_breaks_and_hyphenation_but_nothing_else():
    seed = _normalise_seed(
        "Biståndshandläggarna blev under en period beor-\ndrade att arbeta helger.\n"
        "kommunal vård- \noch omsorg; efterleva LUS-\nprocessen; ”äldre” rutiner"
    )
    assert occurs("Biståndshandläggarna blev under en period beordrade att arbeta helger", seed)
    assert occurs("kommunal vård- och omsorg", seed)
    assert occurs("efterleva LUS-processen", seed)
    assert occurs("'äldre' rutiner", seed)
    assert occurs("Biståndshandläggarna [...] arbeta helger", seed)
    assert not occurs("Biståndshandläggarna blev beordrade att arbeta helger", seed)
    assert not occurs("arbeta helger [...] Biståndshandläggarna", seed)  # elided parts keep their order
    assert not occurs("biståndshandläggarna blev", seed)  # case matters
    assert not occurs("assessors were ordered to work weekends", seed)


def test_scenario_comments_quote_the_seeds():
    """The check below is not vacuous: the shipped scenarios quote seeds 000-003 many times."""
    assert len(CITATIONS) >= 30
    assert {s for _, _, seeds, _ in CITATIONS for s in seeds} >= {"000", "001", "002", "003"}


@pytest.mark.parametrize(
    ("file", "line", "seeds", "quote"),
    CITATIONS,
    ids=[f"{f}:{n}" for f, n, _, _ in CITATIONS],
)
def test_quote_occurs_in_the_cited_seed(file, line, seeds, quote):
    texts = _seed_texts()
    missing = [s for s in seeds if s not in texts]
    assert not missing, f"{file}:{line}: cites seed {', '.join(missing)}, which does not exist in {SEEDS}"
    assert any(occurs(quote, texts[s]) for s in seeds), (
        f'{file}:{line}: "{quote}" is not in seed {" or ".join(seeds)} '
        "(quote it verbatim in Swedish, or paraphrase without quotation marks)"
    )
