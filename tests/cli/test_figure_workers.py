"""`vardkedja run` draws its figures in a worker process: the same bytes as drawn in the command's own
process, errors named, and no worker left behind (also with two groups of figures, two workers)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vardkedja_cli import figure_workers as fw
from vardkedja_cli import figures as fg
from vardkedja_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NORDOST = ROOT / "scenarios" / "nordost.toml"


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-day run with SVG, through the command's entry point (figures drawn by the workers)."""
    out = tmp_path_factory.mktemp("workers") / "run"
    code = main(["run", str(NORDOST), "--days", "60", "--seed", "11", "--svg", "--out", str(out)])
    assert code == 0
    return out


def test_every_figure_is_drawn_in_both_formats(run_folder):
    names = {p.name for p in (run_folder / "figures").iterdir()}
    assert names == {f"{n}.{ext}" for n in fg.FIGURE_NAMES for ext in ("png", "svg")}


def test_the_groups_cover_every_figure_once():
    drawn = [name for group in fw.GROUPS for name in group]
    assert sorted(drawn) == sorted(fg.FIGURE_NAMES)


def test_workers_draw_the_same_bytes_as_one_process(run_folder, tmp_path):
    # Redraw from the same run files in this process, one figure after the other.
    copy = tmp_path / "copy"
    shutil.copytree(run_folder, copy)
    shutil.rmtree(copy / "figures")
    fg.run_figures(copy, "en", True)
    for path in sorted((run_folder / "figures").iterdir()):
        assert path.read_bytes() == (copy / "figures" / path.name).read_bytes(), path.name


TWO = (("gap_network", "ready_days"), ("ready_over_time", "weekday_discharges", "gaps_by_kind"))


def test_two_workers_draw_the_same_bytes(run_folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run_folder, copy)
    shutil.rmtree(copy / "figures")
    fw.FigureWorkers(TWO).draw(copy, "en", True)
    for path in sorted((run_folder / "figures").iterdir()):
        assert path.read_bytes() == (copy / "figures" / path.name).read_bytes(), path.name


def test_draw_returns_the_paths_in_figure_order(run_folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run_folder, copy)
    shutil.rmtree(copy / "figures")
    workers = fw.FigureWorkers(TWO)
    paths = workers.draw(copy, "sv", False)
    assert [p.name for p in paths] == [f"{n}.png" for n in fg.FIGURE_NAMES]
    assert all(p.is_file() for p in paths)


def test_a_failing_figure_is_named_and_the_workers_end(tmp_path):
    workers = fw.FigureWorkers(TWO)
    procs = [proc for proc, _, _ in workers._workers]
    with pytest.raises(RuntimeError, match="gap_network, ready_days: FileNotFoundError"):
        workers.draw(tmp_path / "no-such-run")
    assert not any(proc.is_alive() for proc in procs)


def test_workers_told_nothing_end_when_closed():
    workers = fw.FigureWorkers(TWO)
    procs = [proc for proc, _, _ in workers._workers]
    assert all(proc.is_alive() for proc in procs)
    workers.close()
    assert not any(proc.is_alive() for proc in procs)
    assert [proc.exitcode for proc in procs] == [0, 0]


def test_no_plots_starts_no_workers(tmp_path, monkeypatch):
    def refuse():
        raise AssertionError("figure workers started for --no-plots")

    monkeypatch.setattr(fw, "start_figure_workers", refuse)
    out = tmp_path / "run"
    assert main(["run", str(NORDOST), "--days", "30", "--no-plots", "--out", str(out)]) == 0
    assert not (out / "figures").exists()


def test_one_core_draws_in_process(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert fw.start_figure_workers() is None
    out = tmp_path / "run"
    assert main(["run", str(NORDOST), "--days", "30", "--seed", "11", "--out", str(out)]) == 0
    assert {p.stem for p in (out / "figures").iterdir()} == set(fg.FIGURE_NAMES)


_KILLED_PARENT = """
import os, signal, sys, time
from vardkedja_cli.figure_workers import FigureWorkers
workers = FigureWorkers((("gap_network",), ("ready_days",)))
pids = [proc.pid for proc, _, _ in workers._workers]
holder = os.fork()  # like a replication worker forked later: it holds copies of the pipes' ends
if holder == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    time.sleep(120)
    os._exit(0)
print(" ".join(map(str, [*pids, holder])), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_end_when_the_parent_is_killed():
    proc = subprocess.run([sys.executable, "-c", _KILLED_PARENT], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    *workers, holder = map(int, proc.stdout.split())
    try:
        deadline = time.monotonic() + 60  # a bound for a loaded machine, not a timing
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers)
    finally:
        os.kill(holder, signal.SIGKILL)
