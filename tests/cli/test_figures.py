"""Figures that read: fixed network layout, labels >= 9 pt, legends, the t-interval as band, and the
same bytes for the same seed."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from vardkedja_cli import figures as fg

ROOT = Path(__file__).resolve().parents[2]
NORDOST = ROOT / "scenarios" / "nordost.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"


def vk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-replication run twice (with SVG) and a three-replication run, all seed 7, 60 days."""
    base = tmp_path_factory.mktemp("figs")
    out = {}
    for name, extra in (("a", ["--svg"]), ("b", ["--svg"]), ("three", ["-n", "3", "--no-plots"])):
        proc = vk("run", str(NORDOST), "--days", "60", "--seed", "7", "--out", str(base / name), *extra)
        assert proc.returncode == 0, proc.stderr
        out[name] = base / name
    return out


def test_figures_are_byte_identical_for_the_same_seed(runs):
    a, b = runs["a"] / "figures", runs["b"] / "figures"
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {f"{n}.{ext}" for n in fg.FIGURE_NAMES for ext in ("png", "svg")} == set(names)
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_figures_do_not_depend_on_how_many_processes_draw_them(runs, tmp_path):
    """Shared out among processes (``jobs`` >= 2, the default on a machine of several cores) or drawn
    one after the other: the same files, byte for byte, and the same paths in the same order."""
    drawn = {}
    for jobs in (1, 2, 3):
        folder = tmp_path / f"j{jobs}"
        shutil.copytree(runs["three"], folder)
        paths = fg.run_figures(folder, lang="sv", svg=True, jobs=jobs)
        drawn[jobs] = {p.relative_to(folder).as_posix(): p.read_bytes() for p in paths}
        assert [p.relative_to(folder) for p in paths] == [
            Path("figures") / f"{n}.{ext}" for n in fg.FIGURE_NAMES for ext in ("png", "svg")
        ]
    assert list(drawn[1]) == list(drawn[2]) == list(drawn[3])
    for name in drawn[1]:
        assert drawn[1][name] == drawn[2][name] == drawn[3][name], name


def test_a_run_with_a_replication_for_every_core_draws_the_same_figures(tmp_path):
    """``run -n 2 -j 2`` imports matplotlib in the main process while its workers simulate and forks the
    drawing processes from it afterwards; ``-j 1`` draws in the main process. Same files either way."""
    drawn = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        proc = vk(
            "run", str(NORDOST), "--days", "40", "--seed", "5", "-n", "2", "-j", jobs, "--out", str(out)
        )
        assert proc.returncode == 0, proc.stderr
        drawn[jobs] = {p.name: p.read_bytes() for p in sorted((out / "figures").iterdir())}
    assert sorted(drawn["1"]) == sorted(f"{n}.png" for n in fg.FIGURE_NAMES)
    assert drawn["1"] == drawn["2"]


FUNCTIONS = (
    "ready_over_time",
    "ready_days_distribution",
    "discharges_by_weekday",
    "gaps_by_kind",
    "gap_network",
)


def test_figures_are_shared_out_by_cost_each_once():
    drawings = [(getattr(fg, name), ()) for name in FUNCTIONS]  # run_figures's five, in its order
    for k in range(1, 8):
        groups = fg._share(drawings, k)
        assert len(groups) == min(k, len(drawings))
        assert sorted(i for g in groups for i in g) == list(range(len(drawings)))
    # the network (dearest) and gaps by kind in one process; the three cheaper ones in the other
    assert fg._share(drawings, 2) == [[3, 4], [0, 1, 2]]


def test_the_figures_of_one_replication_need_no_scipy(runs, tmp_path):
    """``run`` with one replication prepares its figure processes without ``scipy.special`` (0.3 s of
    their imports, waited for after the run): true only while no figure of a single run needs it."""
    shutil.copytree(runs["a"], tmp_path / "run")
    code = (
        "import sys; from pathlib import Path; from vardkedja_cli import figures as fg\n"
        "fg.import_drawing(intervals=False)\n"
        "prepared = 'scipy.special' in sys.modules\n"
        f"paths = fg.run_figures(Path({str(tmp_path / 'run')!r}), jobs=1)\n"
        "print(len(paths), prepared, 'scipy' in sys.modules)\n"
        "fg.import_drawing()\n"
        "print('scipy.special' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == [str(len(fg.FIGURE_NAMES)), "False", "False", "True"], proc.stderr


def _slow_figure(*args):
    import time

    time.sleep(60)
    return []


def _failing_figure(folder, out):
    return fg.gaps_by_kind([folder / "missing"], out)


def test_a_worker_s_error_reaches_the_caller_and_no_worker_is_left(runs, tmp_path):
    import multiprocessing

    drawings = [
        (fg.ready_over_time, ([runs["three"]], tmp_path)),
        (_failing_figure, (runs["three"], tmp_path)),
    ]
    with pytest.raises(FileNotFoundError, match="missing"):
        fg.draw(drawings, jobs=2)
    assert (tmp_path / "ready_over_time.png").is_file()  # the other process's figure was drawn
    assert multiprocessing.active_children() == []


def _interrupt():
    raise KeyboardInterrupt


def test_an_interrupt_while_drawing_stops_the_workers_at_once(tmp_path):
    import multiprocessing
    import time

    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C in this process while two figures take a minute
        fg.draw([(_slow_figure, ()), (_slow_figure, ())], jobs=2, meanwhile=_interrupt)
    assert time.monotonic() - t0 < 30
    assert multiprocessing.active_children() == []


def test_the_calling_process_never_imports_matplotlib(runs, tmp_path):
    """With ``jobs`` >= 2 every figure is drawn in processes forked from one that imported matplotlib
    (made early by ``run``, so that the import is done while the model runs)."""
    shutil.copytree(runs["three"], tmp_path / "run")
    code = (
        "import sys; from pathlib import Path; from vardkedja_cli import figures as fg\n"
        "workers = fg.prepare_workers(2)\n"
        f"paths = fg.run_figures(Path({str(tmp_path / 'run')!r}), jobs=2, workers=workers)\n"
        "print(len(paths), 'matplotlib' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == [str(len(fg.FIGURE_NAMES)), "False"], proc.stderr


def test_run_writes_breakdowns_that_add_up(runs):
    folder = runs["a"]
    summary = json.loads((folder / "summary.json").read_text())
    kommun = pd.read_csv(folder / "by_kommun.csv")
    hospital = pd.read_csv(folder / "by_hospital.csv")
    assert (
        dict(zip(kommun["kommun"], kommun["ready_bed_days"], strict=True))
        == summary["ready_bed_days_by_kommun"]
    )
    assert kommun["payment_sek"].sum() == pytest.approx(summary["payment_sek"])
    assert hospital["ready_bed_days"].sum() == summary["ready_bed_days"]
    assert kommun["gaps_total"].sum() == summary["gap_events_total"] == hospital["gaps_total"].sum()


def _breakdowns_from_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The per-organisation figures recomputed from the run's Parquet tables (an independent route)."""
    from vardkedja_cli.breakdown import GAP_KINDS

    runs = json.loads((folder / "summary.json").read_text())["runs"]
    n, w0, h = len(runs), runs[0]["warmup_days"], runs[0]["days"]
    resolved = json.loads((folder / "scenario.json").read_text())["scenario"]
    price = resolved["rules"]["payment_price_sek"]
    ep = pd.read_parquet(folder / "episodes.parquet")
    gaps = pd.read_parquet(folder / "gap_events.parquet")
    gaps = gaps[(gaps["day"] >= w0) & (gaps["day"] < h)].merge(
        ep[["replication", "episode_id", "kommun", "hospital"]], on=["replication", "episode_id"]
    )
    done = ep[ep["discharged"].notna() & (ep["discharged"] >= w0) & (ep["discharged"] < h)]
    lus = done[((done["support"] != "none") | done["home_health_care"]) & (done["ready_days"] >= 1)]
    out = {}
    for group in ("kommun", "hospital"):
        names = sorted(resolved[group])
        per_rep = lus.groupby([group, "replication"])["ready_days"].mean().astype(float)
        table = pd.DataFrame(index=names)
        table["mean_ready_days_indicator"] = per_rep.groupby(level=0).mean().reindex(names)
        counts = gaps.groupby([group, "kind"]).size().unstack(fill_value=0)
        counts = counts.reindex(index=names, columns=list(GAP_KINDS), fill_value=0) / n
        for kind in GAP_KINDS:
            table[f"gaps_{kind}"] = counts[kind]
        table["gaps_total"] = counts.sum(axis=1)
        out[group] = table
    payment = done.groupby("hospital")["payment_days"].sum() * price / n
    out["hospital"]["payment_sek"] = payment.reindex(sorted(resolved["hospital"]), fill_value=0)
    return out


def test_breakdowns_from_the_summaries_match_the_tables(runs):
    from vardkedja_cli.breakdown import breakdowns

    folder = runs["three"]
    combined = breakdowns(folder)
    for group, expected in _breakdowns_from_tables(folder).items():
        got = combined[group].set_index(group)[list(expected.columns)]
        got.index.name = None
        pd.testing.assert_frame_equal(got, expected.astype(float), check_dtype=False, rtol=1e-12)
    assert combined["kommun"]["gaps_total"].sum() > 0  # the comparison saw gap events
    for group, df in combined.items():
        numbers = df.drop(columns=["scenario", group, "n"])
        assert (numbers.dtypes == "float64").all(), numbers.dtypes  # empty cells NaN, never None


class _Capture:
    """Stands in for ``figures._save``: keeps the figures instead of writing them."""

    def __init__(self) -> None:
        self.figs: dict[str, object] = {}

    def __call__(self, fig, out, name, svg, lang="en"):
        if lang == "sv":
            fg._decimal_comma(fig)  # as _save does
        fig.canvas.draw()  # lay the figure out as saving would
        self.figs[name] = fig
        return []


@pytest.fixture
def capture(monkeypatch) -> _Capture:
    cap = _Capture()
    monkeypatch.setattr(fg, "_save", cap)
    return cap


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_labels_are_at_least_9_points_and_network_has_legends(runs, capture, tmp_path, lang):
    from matplotlib.text import Text

    fg.run_figures(runs["three"], lang=lang)
    assert set(capture.figs) == set(fg.FIGURE_NAMES)
    for name, fig in capture.figs.items():
        texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
        assert texts, name
        small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 9]
        assert not small, (name, small[:5])
    net = capture.figs["gap_network"]
    ax = net.axes[0]
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_lines()) >= 2  # edge width
    assert any(a.get_label() == "<colorbar>" for a in net.axes)  # edge colour
    words = {t.get_text() for t in net.findobj(Text)}
    assert ("wards" if lang == "en" else "avdelningar") in words


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_tick_labels_fit_and_swedish_numbers_have_a_decimal_comma(runs, capture, lang):
    import re

    fg.run_figures(runs["three"], lang=lang)
    for name, fig in capture.figs.items():
        renderer = fig.canvas.get_renderer()
        for ax in (a for a in fig.axes if a.axison):  # the network's axes are hidden
            for labels, k, lim in (
                (ax.get_xticklabels(), 0, ax.get_xlim()),
                (ax.get_yticklabels(), 1, ax.get_ylim()),
            ):
                low, high = sorted(lim)  # ticks outside the axis are not drawn
                shown = [t for t in labels if t.get_text() and low <= t.get_position()[k] <= high]
                if lang == "sv":
                    decimal_points = [t.get_text() for t in shown if re.search(r"\d\.\d", t.get_text())]
                    assert not decimal_points, (name, decimal_points)
                boxes = [t.get_window_extent(renderer) for t in shown]
                for box in boxes:  # inside the figure
                    assert box.x0 >= -1 and box.x1 <= fig.bbox.width + 1, (name, box)
                for a, b in itertools.pairwise(boxes):  # no label runs into its neighbour
                    assert not a.overlaps(b), (name, a, b)


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("run", ["a", "three"])
def test_every_text_lies_within_its_figure(runs, capture, tmp_path, lang, run):
    # the weekday figure of one replication (550 px wide) lost both ends of its title
    from matplotlib.text import Text

    folder = tmp_path / run
    shutil.copytree(runs[run], folder)
    fg.run_figures(folder, lang=lang)
    for name, fig in capture.figs.items():
        renderer = fig.canvas.get_renderer()
        # titles, axis labels, legends and annotations (tick labels: the test above; those outside
        # the axis limits exist but are not drawn)
        texts = [*fig.texts, *([fig._suptitle] if fig._suptitle else [])]
        for ax in fig.axes:
            texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
            if ax.get_legend() is not None:
                texts += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
        for text in texts:
            if not (isinstance(text, Text) and text.get_text().strip() and text.get_visible()):
                continue
            box = text.get_window_extent(renderer)
            inside = box.x0 >= -1 and box.x1 <= fig.bbox.width + 1
            inside = inside and box.y0 >= -1 and box.y1 <= fig.bbox.height + 1
            assert inside, (name, text.get_text(), box, fig.bbox)


def test_gap_network_places_organisations_from_the_structure(runs, capture, tmp_path):
    """Same organisations ⇒ same place, whatever the gaps: the layout does not depend on the data."""
    fg.gap_network(runs["three"], tmp_path, name="one")
    quiet = tmp_path / "quiet"
    shutil.copytree(runs["three"], quiet)
    gaps = pd.read_parquet(quiet / "gap_events.parquet")
    shutil.rmtree(quiet / "gap_events.parquet")  # the table's dataset, now with a third of its rows
    (quiet / "gap_events.parquet").mkdir()
    gaps.iloc[: len(gaps) // 3].to_parquet(quiet / "gap_events.parquet" / "rep-0000.parquet", index=False)
    fg.gap_network(quiet, tmp_path, name="two")

    def placed(fig):
        ax = fig.axes[0]
        return [(t.get_text(), t.get_position()) for t in ax.texts]

    first, second = placed(capture.figs["one"]), placed(capture.figs["two"])
    assert [p for p in first if p[0]] == [p for p in second if p[0]]
    wards = [text for text, (x, _) in first if x < 0]
    scenario = json.loads((runs["three"] / "scenario.json").read_text())["scenario"]
    assert wards == sorted(scenario["ward"], key=lambda w: (scenario["ward"][w]["hospital"], w))


def test_band_is_the_t_interval_of_the_mean(runs, capture, tmp_path):
    from matplotlib.collections import PolyCollection

    fg.ready_over_time([runs["three"]], tmp_path)
    fig = capture.figs["ready_over_time"]
    ax = fig.axes[0]
    [band] = [c for c in ax.collections if isinstance(c, PolyCollection)]
    daily = pd.read_parquet(runs["three"] / "daily.parquet")
    wide = daily.pivot(index="day", columns="replication", values="ready_in_beds").to_numpy(float)
    half = stats.t.ppf(0.975, 2) * wide.std(axis=1, ddof=1) / np.sqrt(3)
    upper = wide.mean(axis=1) + half
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.max() == pytest.approx(upper.max())
    assert "95 % confidence interval of the mean, 3 replications" in ax.get_title()


def test_one_replication_says_no_interval(runs, capture, tmp_path):
    from matplotlib.collections import PolyCollection

    fg.ready_over_time([runs["a"]], tmp_path)
    ax = capture.figs["ready_over_time"].axes[0]
    assert "one replication, no interval" in ax.get_title()
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]  # no band
    assert fg.caption("gaps_by_kind", 1, "sv").endswith("(en replikering, inget intervall)")


def test_matplotlib_is_not_imported_by_the_cli_modules():
    code = (
        "import sys, vardkedja_cli.main, vardkedja_cli.figures, vardkedja_cli.compare; "
        "print('matplotlib' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "False", proc.stderr
