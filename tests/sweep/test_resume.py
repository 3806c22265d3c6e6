"""SIGKILL a real sweep mid-way and run it again: nothing lost, nothing twice, nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
from sweep_helpers import EXE, GRID, ROOT, rows, run_files

from runner.design import load_sweep
from runner.fsmodes import MACHINE
from runner.sweep import run_sweep
from runner.sweep_store import STALE_AFTER_S, clean_stale, read_manifest, temp_file_beside
from vardkedja_cli.main import main

LONGER = GRID.replace("replications = 2", "replications = 3").replace("days = 30", "days = 40")


def _wait_for(predicate, proc, deadline_s=300.0):
    """Poll the folder until ``predicate`` holds (the sweep runs in another process; no fixed sleep)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def test_sigkill_then_rerun_loses_and_repeats_nothing(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(LONGER, encoding="utf-8")
    out = tmp_path / "killed"
    cmd = [EXE, "sweep", str(sweep), "-j", "2", "--out", str(out)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    runs = out / "runs"

    def some_done():
        return runs.exists() and len(list(runs.glob("p*.parquet"))) >= 4

    try:
        assert _wait_for(some_done, proc), proc.communicate()
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep, its forkserver and its workers, at once
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done_at_kill = sorted(p.name for p in runs.glob("p*.parquet"))
    assert 4 <= len(done_at_kill) < 24, "the kill must land mid-way"
    for p in runs.glob("p*.parquet"):  # whatever exists is whole
        assert pq.read_table(p).num_rows == 1
    # a temporary file as a kill during a write leaves it (its writer, a process here, has ended)
    (runs / f".p000007-r0003.parquet.{MACHINE}-{proc.pid}.abcd.tmp").write_bytes(b"PAR1 half")
    kept = {n: (runs / n).read_bytes() for n in done_at_kill}

    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"ran {24 - len(done_at_kill)}, reused {len(done_at_kill)}" in again.stdout
    assert "removed" in again.stdout
    assert not list(runs.glob(".*"))
    assert all((runs / n).read_bytes() == b for n, b in kept.items()), "finished runs are not redone"

    # the same sweep never interrupted, in this process
    ref = tmp_path / "ref"
    run_sweep(load_sweep(sweep), ref, jobs=1)
    assert run_files(out) == run_files(ref)
    df = rows(out)
    assert len(df) == 24 and not df.duplicated(["point", "replication"]).any()
    assert read_manifest(out)["sweep_id"] == read_manifest(ref)["sweep_id"]


def test_status_mid_way(tmp_path, capsys):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(GRID.replace("levels = [2, 6]", "levels = [4]"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["sweep", "prepare", str(sweep), "--out", str(out)]) == 0
    assert main(["sweep", "run-one", str(out), "--index", "1"]) == 0
    assert main(["sweep", "run-one", str(out), "--index", "2", "--replication", "0"]) == 0
    left = out / "runs" / ".p000003-r0000.parquet.0a0b0c0d-1.x.tmp"  # another machine's, 2 hours old
    left.write_bytes(b"")
    os.utime(left, (time.time() - 7200, time.time() - 7200))
    (out / "runs" / ".p000003-r0001.parquet.0a0b0c0d-1.y.tmp").write_bytes(b"")  # maybe at work
    capsys.readouterr()
    assert main(["sweep", "status", str(out)]) == 0
    text = capsys.readouterr().out
    assert "runs done: 3 of 8 (37.5 %); points complete: 1 of 4" in text
    assert "unfinished temporary files: 1 (left by a killed sweep" in text and "incomplete" in text
    assert main(["sweep", "status", str(tmp_path)]) == 2
    assert "not a sweep folder" in capsys.readouterr().err


def test_a_sweep_removes_only_the_temporary_files_whose_writer_is_gone(tmp_path):
    # a second sweep or an array job may be writing into the same folder right now
    runs = tmp_path / "runs"
    runs.mkdir()
    ended = subprocess.Popen(["true"])
    ended.wait()  # reaped: its pid is free
    here_alive = runs / f".p000000-r0000.parquet.{MACHINE}-{os.getpid()}.a.tmp"
    here_ended = runs / f".p000000-r0001.parquet.{MACHINE}-{ended.pid}.b.tmp"
    elsewhere_new = runs / ".p000000-r0002.parquet.0a0b0c0d-1.c.tmp"
    elsewhere_old = runs / ".p000000-r0003.parquet.0a0b0c0d-1.d.tmp"
    untagged_old = runs / ".p000000-r0004.parquet.e.tmp"
    for p in (here_alive, here_ended, elsewhere_new, elsewhere_old, untagged_old):
        p.write_bytes(b"PAR1")
    old = time.time() - STALE_AFTER_S - 60
    for p in (elsewhere_old, untagged_old):
        os.utime(p, (old, old))
    assert clean_stale(tmp_path) == 3
    assert sorted(p.name for p in runs.iterdir()) == sorted([here_alive.name, elsewhere_new.name])


def test_a_rows_temporary_file_is_named_for_its_writer(tmp_path):
    (tmp_path / "x").mkdir()
    fd, tmp = temp_file_beside(tmp_path / "x" / "p000001-r0002.parquet")
    os.close(fd)
    assert Path(tmp).name.startswith(f".p000001-r0002.parquet.{MACHINE}-{os.getpid()}.")
    assert Path(tmp).name.endswith(".tmp")


def test_two_sweeps_into_one_folder_at_once_mix_and_lose_nothing(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(LONGER, encoding="utf-8")
    out = tmp_path / "shared"
    cmd = [EXE, "sweep", str(sweep), "--out", str(out)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]  # fmt: skip
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert not list((out / "runs").glob(".*"))  # no temporary file left behind
    ref = tmp_path / "ref"
    run_sweep(load_sweep(sweep), ref, jobs=1)
    assert run_files(out) == run_files(ref)  # every row whole, the same as one sweep's
    df = rows(out)
    assert len(df) == 24 and not df.duplicated(["point", "replication"]).any()


def test_a_temporary_file_of_an_ended_but_unreaped_writer_is_stale():
    """A killed sweep's orphaned worker can stay a zombie for a while (until init reaps it): it has
    ended, and its half-written file must go on resume like any other dead writer's."""
    import time

    from runner.sweep_store import _writer_gone

    pid = os.fork()
    if pid == 0:  # the writer: ends at once, and nobody waits for it yet
        os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rpartition(")")[2].split()[0] == "Z":
                    break
            time.sleep(0.01)
        assert _writer_gone(f".p000001-r0001.parquet.{MACHINE}-{pid}.abcd.tmp")
        assert not _writer_gone(f".p000001-r0001.parquet.{MACHINE}-{os.getpid()}.abcd.tmp")  # alive
    finally:
        os.waitpid(pid, 0)
