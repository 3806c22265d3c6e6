"""The notebooks in notebooks/ run top to bottom, show what they promise, and are committed executed.

Each notebook is executed once per test session with nbclient, in a fresh kernel with notebooks/ as the
working directory (as ``jupyter lab notebooks/`` would run it). Then, per notebook: no error, no warning in
any output, figures present, and the committed copy is executed, small and the same as a fresh run (so a
reader on GitHub sees current figures and numbers). Notebook 1 must show the eight LUS steps and the chain
picture; notebook 2 must print the answer sentences with intervals as ``vardkedja compare`` writes them.
"""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
TEACHERS = "01_organisatoriska_mellanrum"
ANALYSTS = "02_what_if_weekend_and_sip"
MAX_BYTES = 1_500_000
MIN_FIGURES = {TEACHERS: 6, ANALYSTS: 5, "03_researcher_sweep": 2}
IMAGE_TYPES = ("image/png", "image/svg+xml")
TEXT_TYPES = ("text/plain", "text/html", "text/markdown")
WARNING = re.compile(r"Warning\b|warnings\.warn")

sys.path.insert(0, str(NOTEBOOK_DIR))
from execute import execute  # noqa: E402  (the script that writes the committed copies)

_EXECUTED: dict[Path, nbformat.NotebookNode] = {}


def executed(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` run from top to bottom (once per session)."""
    if path not in _EXECUTED:
        _EXECUTED[path] = execute(path)
    return _EXECUTED[path]


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def texts(nb: nbformat.NotebookNode) -> list[str]:
    """Every piece of text a reader sees in the outputs: streams, tracebacks and text representations."""
    out = []
    for o in outputs(nb):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            out.append("\n".join(o.get("traceback", [])))
        for kind in TEXT_TYPES:
            if kind in o.get("data", {}):
                out.append(o["data"][kind])
    return out


def shown_text(cell: nbformat.NotebookNode) -> list[tuple]:
    """A code cell's outputs as the text a reader sees (images left out: their bytes are checked by kind)."""
    return [
        (o.get("text"), {k: o["data"][k] for k in TEXT_TYPES if k in o.get("data", {})}) for o in cell.outputs
    ]


def stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(
        o["text"] for o in outputs(nb) if o.get("output_type") == "stream" and o["name"] == "stdout"
    )


def with_lang(path: Path, lang: str, folder: Path) -> Path:
    """A copy of the notebook at ``path`` in ``folder`` with its ``LANG = "en"`` cell set to ``lang``."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith('LANG = "en"')]
    assert len(cells) == 1, f"{path.name}: no single LANG cell"
    cells[0].source = f'LANG = "{lang}"'
    copy = folder / f"{path.stem}.{lang}.ipynb"
    nbformat.write(nb, copy)
    return copy


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, executed(request.param)


def test_the_notebooks_of_issue_11_exist_and_the_old_first_look_is_folded_in():
    names = {p.stem for p in NOTEBOOKS}
    assert {TEACHERS, ANALYSTS} <= names
    assert "01-first-look" not in names
    for stem in (TEACHERS, ANALYSTS):  # the reader's language switch, English by default
        nb = nbformat.read(NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
        assert [c.source for c in nb.cells if c.source.startswith("LANG =")] == ['LANG = "en"  # or "sv"']


def test_runs_without_errors_or_warnings(notebook):
    path, nb = notebook
    bad = [o for o in outputs(nb) if o.get("output_type") == "error"]
    assert not bad, f"{path.name}: {bad[0].get('ename')}: {bad[0].get('evalue')}"
    stderr = [o["text"] for o in outputs(nb) if o.get("output_type") == "stream" and o["name"] == "stderr"]
    assert not stderr, f"{path.name} wrote to stderr: {stderr[0][:300]}"
    warned = [t for t in texts(nb) if WARNING.search(t)]
    assert not warned, f"{path.name} shows a warning: {warned[0][:300]}"


def test_shows_figures(notebook):
    path, nb = notebook
    images = [o for o in outputs(nb) for kind in IMAGE_TYPES if kind in o.get("data", {})]
    assert len(images) >= MIN_FIGURES[path.stem], f"{path.name}: {len(images)} figures"
    for o in outputs(nb):
        if "image/png" in o.get("data", {}):
            png = base64.b64decode(o["data"]["image/png"])
            assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000, (
                f"{path.name}: a blank or broken PNG"
            )


TAB10_RED, TAB10_GREEN = (0xD6, 0x27, 0x28), (0x2C, 0xA0, 0x2C)


def test_no_figure_puts_red_beside_green(notebook):
    # tab10's red and green (C3, C2) stood side by side in the stacked gap bars, the scenario markers
    # and the journey figures (a green dot ringed in red): many colour-blind readers see one colour
    import numpy as np
    from PIL import Image

    path, nb = notebook
    for i, o in enumerate(o for o in outputs(nb) if "image/png" in o.get("data", {})):
        png = Image.open(io.BytesIO(base64.b64decode(o["data"]["image/png"]))).convert("RGB")
        pixels = np.asarray(png).astype(int)

        def near(rgb: tuple[int, int, int], pixels=pixels) -> int:
            return int((np.abs(pixels - np.array(rgb)).sum(axis=2) < 40).sum())

        red, green = near(TAB10_RED), near(TAB10_GREEN)
        assert red < 20 or green < 20, f"{path.name}, figure {i + 1}: red {red} px beside green {green} px"


def test_committed_copy_is_executed_small_and_current(notebook):
    path, fresh = notebook
    assert path.stat().st_size < MAX_BYTES, f"{path.name}: {path.stat().st_size} bytes"
    committed = nbformat.read(path, as_version=4)
    fix = "run `uv run python notebooks/execute.py` and commit the notebook"
    for old, new in zip(committed.cells, fresh.cells, strict=True):
        if new.cell_type != "code":
            continue
        assert old.get("execution_count") is not None, f"{path.name} is committed unexecuted: {fix}"
        old_kinds = [(o["output_type"], sorted(o.get("data", {}))) for o in old.outputs]
        new_kinds = [(o["output_type"], sorted(o.get("data", {}))) for o in new.outputs]
        assert old_kinds == new_kinds, f"{path.name}: committed outputs differ from a fresh run: {fix}"
        old_text, new_text = shown_text(old), shown_text(new)
        assert old_text == new_text, (
            f"{path.name}: committed text differs from a fresh run (stale numbers?): {fix}\n{new.source[:99]}"
        )


# ---------------------------------------------------------------------------------------------
# Notebook 1: the teachers'


def test_teachers_notebook_follows_one_patient_through_the_eight_steps():
    from simulation.gaps import GapKind
    from teaching.texts import t

    nb = executed(NOTEBOOK_DIR / f"{TEACHERS}.ipynb")
    html = "".join(o["data"]["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {}))
    steps = re.findall(r'<li class="step[^"]*" data-step="(\d)"', html)  # the rows (the strip's dots too)
    assert steps == [str(n) for n in range(1, 9)], steps
    for n in range(1, 9):
        assert t("en", f"journey.step.{n}") in html
    # the patient has left by the day shown: the wait is told in the past, with its length
    assert re.search(r"Waited utskrivningsklar in hospital for [1-9]\d* days?\.", html), (
        "the patient followed did not wait, or is still said to be waiting"
    )
    story = stdout(nb)
    assert re.search(r"waited [1-9]\d* days in hospital as utskrivningsklar", story)
    gap_names = "|".join(re.escape(t("en", f"gap.{kind.value}")) for kind in GapKind)
    assert re.search(rf"^step [1-8] \(.+\): ({gap_names})", story, re.M), (
        "the second patient fell into no gap"
    )


def test_teachers_notebook_shows_the_chain_picture_with_gaps():
    nb = executed(NOTEBOOK_DIR / f"{TEACHERS}.ipynb")
    svgs = [o["data"]["image/svg+xml"] for o in outputs(nb) if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1
    svg = svgs[0]
    assert 'class="chain-picture"' in svg
    for org in ("Danderyd", "Medicin 2", "Vallentuna vc 3"):
        assert f'data-node="{org}"' in svg
    gaps = [int(n) for n in re.findall(r'data-gaps="(\d+)"', svg)]
    assert len(gaps) > 50 and sum(gaps) > 0, "no gap on the picture's edges"
    assert svg.count('r="11" fill="none"') == 3, "the followed patient's three organisations are not ringed"


def test_teachers_notebook_gives_population_figures_with_intervals():
    nb = executed(NOTEBOOK_DIR / f"{TEACHERS}.ipynb")
    text = stdout(nb)
    m = re.search(
        r"Share of occupied bed-days held by utskrivningsklara patients \(%\): "
        r"([\d.]+) % \[([\d.]+), ([\d.]+)\]",
        text,
    )
    assert m, text[:500]
    mean, low, high = map(float, m.groups())
    assert low < mean < high
    assert 3.0 < mean < 9.0  # calibrated to Stockholm's 5.8 % (May 2019)
    from teaching.session import LESSONS
    from teaching.texts import t

    for name in LESSONS:  # the app's questions for the class
        assert t("en", f"lesson.{name}.question") in text


# ---------------------------------------------------------------------------------------------
# Notebook 2: the policy analysts'

N = 10
SENTENCE_EN = re.compile(  # a total says the days it is summed over (the run less its warm-up)
    r"^weekend-everyone cuts utskrivningsklara bed-days by (\d+) % \[(\d+), (\d+)\] "
    r"\([\d,]+ → [\d,]+ over [\d,]+ days\) "
    rf"compared with nordost-2019 \({N} paired replications\)\.$",
    re.M,
)
SENTENCE_SV = re.compile(  # Swedish thousands are separated by a no-break space
    r"^weekend-everyone minskar utskrivningsklara vårddygn med (\d+) % \[(\d+); (\d+)\] "
    r"\([\d\xa0]+ → [\d\xa0]+ under [\d\xa0]+ dagar\) "
    rf"jämfört med nordost-2019 \({N} parvisa replikeringar\)\.$",
    re.M,
)
SIP_GAPS_EN = re.compile(
    r"^sip-campaign cuts gap events per 100 discharges by (\d+) % \[(\d+), (\d+)\] \([\d.]+ → [\d.]+\) "
    rf"compared with nordost-2019 \({N} paired replications\)\.$",
    re.M,
)


def test_analysts_notebook_reads_the_answer_with_an_interval():
    from vardkedja_cli.answer import ANSWER_METRICS

    nb = executed(NOTEBOOK_DIR / f"{ANALYSTS}.ipynb")
    text = stdout(nb)
    m = SENTENCE_EN.search(text)
    assert m, text[:2000]
    pct, low, high = map(int, m.groups())
    assert low <= pct <= high and low > 0  # weekend staffing everywhere clearly cuts the waiting
    sentences = [line for line in text.splitlines() if f"{N} paired replications)." in line]
    assert len(sentences) == 2 * len(ANSWER_METRICS)
    m = SIP_GAPS_EN.search(text)  # more SIPs called: fewer patients fall between the chairs
    assert m, text[:2000]
    pct, low, high = map(int, m.groups())
    assert 0 < low <= pct <= high
    assert "the same seeds in each" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stem", "expect"),
    [
        (ANALYSTS, SENTENCE_SV),
        (TEACHERS, re.compile(r"Utskrivningsklara patienters andel av belagda vårddygn")),
    ],
)
def test_notebooks_in_swedish(stem, expect, tmp_path):
    # run from a copy in a folder of its own (a reader's download): the shipped scenarios are found
    # from the package, not from the working folder (which failed outside the repository)
    nb = execute(with_lang(NOTEBOOK_DIR / f"{stem}.ipynb", "sv", tmp_path), cwd=tmp_path)
    assert not [o for o in outputs(nb) if o.get("output_type") == "error"]
    assert not [t for t in texts(nb) if WARNING.search(t)]
    assert expect.search(stdout(nb)), stdout(nb)[:1500]
    english = re.compile(r"\b(step|replications per scenario|the same seeds)\b")
    assert not english.search(stdout(nb)), english.search(stdout(nb))
