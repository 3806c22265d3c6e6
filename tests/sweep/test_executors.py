"""Every executor gives the same files: -j 1, -j 2, a real Dask LocalCluster and array jobs."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sweep_helpers import rows, run_files, vk

import runner.sweep
from runner.design import METRICS, load_sweep, run_seed
from runner.sweep import MAX_RUNS_PER_TASK, run_sweep, runs_per_task
from vardkedja_cli.main import main


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The reference: the small grid run in one process through the command."""
    from sweep_helpers import GRID

    tmp = tmp_path_factory.mktemp("serial")
    (tmp / "sweep.toml").write_text(GRID, encoding="utf-8")
    out = tmp / "out"
    assert main(["sweep", str(tmp / "sweep.toml"), "--jobs", "1", "--out", str(out)]) == 0
    return out


def test_rows_carry_provenance_parameters_and_metrics(serial):
    df = rows(serial)
    assert len(df) == 16 and df[["point", "replication"]].drop_duplicates().shape[0] == 16
    assert df["seed"].dtype == "int64" and df["point"].dtype == "int64"
    assert df['kommun."Täby".assessor_capacity'].dtype == "int64"
    assert set(df['kommun."Täby".assessor_capacity']) == {2, 6}
    assert set(df["rules.sip_call_rate"]) == {0.1, 0.9} and set(df["weekend_staffing"]) == {0.0, 1.0}
    assert list(df["seed"]) == [
        run_seed(99, p, r) for p, r in zip(df["point"], df["replication"], strict=True)
    ]
    for col in ("ready_bed_days", "sip_rate", "gap_events.sip_not_called", "version", "scenario_digest"):
        assert df[col].notna().all()
    assert (df["scenario"] == "nordost-2019").all()
    # the lever moves what it should: more SIP calls, fewer SIPs never called
    by_rate = df.groupby("rules.sip_call_rate")["gap_events.sip_not_called"].mean()
    assert by_rate[0.9] < by_rate[0.1]


def test_a_rows_own_columns_are_the_ones_a_parameter_may_not_take(serial):
    # load_sweep refuses a parameter named like one of them (tests/sweep/test_sweep_file.py)
    from runner.design import ROW_COLUMNS

    params = {"rules.sip_call_rate", "weekend_staffing", 'kommun."Täby".assessor_capacity'}
    metrics = {"ready_bed_days", "sip_rate", "gaps_per_100_discharges", "gap_events.sip_not_called"}
    assert set(rows(serial).columns) == set(ROW_COLUMNS) | params | metrics


def test_row_files_are_readable_by_whoever_the_umask_lets_read(serial):
    # mkstemp's 0600 stayed on every row after the rename: a colleague could not read the sweep
    import stat

    umask = os.umask(0)
    os.umask(umask)
    files = [serial / "manifest.json", *(serial / "runs").iterdir()]
    assert len(files) == 17
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask, f


def test_two_local_workers_give_identical_files(serial, tmp_path):
    out = tmp_path / "j2"
    proc = vk("sweep", str(serial.parent / "sweep.toml"), "-j", "2", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "16 runs; ran 16" in proc.stdout
    assert run_files(out) == run_files(serial)


def test_more_jobs_than_cores_are_cut_to_the_cores_with_a_note(serial, tmp_path, monkeypatch, capsys):
    import vardkedja_cli.main as cli

    started: list[int] = []
    real = runner.sweep.run_sweep

    def spy(*args, **kwargs):
        started.append(kwargs["jobs"])
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "cores", lambda: 1)
    monkeypatch.setattr(runner.sweep, "run_sweep", spy)
    out = tmp_path / "many"
    assert main(["sweep", str(serial.parent / "sweep.toml"), "-j", "1000", "--out", str(out)]) == 0
    assert started == [1]
    assert "note: --jobs 1000 is more than the 1 core here; using 1" in capsys.readouterr().err
    assert run_files(out) == run_files(serial)


def test_dask_local_cluster_gives_identical_files(serial, tmp_path, monkeypatch):
    from distributed import LocalCluster

    spec = load_sweep(serial.parent / "sweep.toml")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        # through the command, as a user would (scheduler and workers are other processes)
        proc = vk(
            "sweep",
            str(serial.parent / "sweep.toml"),
            "--scheduler",
            cluster.scheduler_address,
            "--out",
            str(tmp_path / "cli"),
        )
        assert proc.returncode == 0, proc.stderr
        # through the API, with tasks of three runs (a sweep this small gets one run a task)
        sizes: list[int] = []
        monkeypatch.setattr(runner.sweep, "runs_per_task", lambda remaining, threads: 3)
        result = run_sweep(
            spec,
            tmp_path / "api",
            scheduler=cluster.scheduler_address,
            progress_start=lambda total, done: sizes.append,
        )
    assert result.ran == 16
    assert sorted(sizes) == [1, 3, 3, 3, 3, 3]  # progress is told of every run, batch by batch
    assert run_files(tmp_path / "cli") == run_files(serial)
    assert run_files(tmp_path / "api") == run_files(serial)


@settings(deadline=None)  # a pure function; a collection pause on a loaded machine is not a failure
@given(remaining=st.integers(0, 100_000), threads=st.integers(1, 4096))
def test_dask_tasks_carry_fewer_runs_as_the_sweep_ends(remaining, threads):
    k = runs_per_task(remaining, threads)
    assert 1 <= k <= MAX_RUNS_PER_TASK
    # every thread still has at least eight tasks' worth of runs left behind this one, unless k is 1
    assert k == 1 or remaining >= 8 * threads * k
    assert runs_per_task(remaining + 1, threads) >= k  # never more as fewer remain


def test_unreachable_scheduler_is_one_line(serial, tmp_path):
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    proc = vk(
        "sweep",
        str(serial.parent / "sweep.toml"),
        "--scheduler",
        "tcp://127.0.0.1:9",
        "--out",
        str(tmp_path / "x"),
        env=env,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "--scheduler" in proc.stderr, proc.stderr
    assert not (tmp_path / "x").exists()  # the scheduler is reached before anything is written
    nonsense = vk(
        "sweep", str(serial.parent / "sweep.toml"), "--scheduler", "nonsense", "--out", str(tmp_path / "y")
    )
    assert nonsense.returncode == 2 and nonsense.stderr.startswith("--scheduler"), nonsense.stderr
    assert not (tmp_path / "y").exists()


def test_array_jobs_fill_the_same_folder(serial, tmp_path, capsys):
    out = tmp_path / "array"
    assert main(["sweep", "prepare", str(serial.parent / "sweep.toml"), "--out", str(out)]) == 0
    assert main(["sweep", "status", str(out)]) == 0
    assert "runs done: 0 of 16" in capsys.readouterr().out
    for i in range(8):  # as SLURM would, one array task per point
        assert main(["sweep", "run-one", str(out), "--index", str(i)]) == 0
    assert run_files(out) == run_files(serial)
    assert main(["sweep", "run-one", str(out), "--index", "3"]) == 0
    assert "ran 0 run(s)" in capsys.readouterr().out
    assert main(["sweep", "run-one", str(out), "--index", "8"]) == 2
    assert "--index: 8 is not allowed; expected 0 to 7" in capsys.readouterr().err
    assert main(["sweep", "status", str(out)]) == 0
    text = capsys.readouterr().out
    assert "runs done: 16 of 16" in text and "complete" in text


def test_metric_columns_follow_the_file(serial):
    df = pd.read_parquet(serial / "runs")
    kept = ["ready_bed_days", "sip_rate", "gaps_per_100_discharges", "gap_events.sip_not_called"]
    assert [c for c in df.columns if c in METRICS] == kept


def test_dask_with_a_relative_out_writes_the_rows_where_the_sweep_was_started(serial, tmp_path, monkeypatch):
    # the relative folder went to the workers, which wrote the rows relative to THEIR working
    # directory: the sweep said it had run 16 runs and `sweep status` found 0 (QA, 27 Nov 2026)
    import subprocess
    from pathlib import Path

    from distributed import LocalCluster
    from sweep_helpers import EXE

    workers_cwd, user_cwd = tmp_path / "workers", tmp_path / "user"
    (workers_cwd / "out" / "runs").mkdir(parents=True)  # the same relative folder where the workers run
    (workers_cwd / "api" / "runs").mkdir(parents=True)
    user_cwd.mkdir()
    spec = load_sweep(serial.parent / "sweep.toml")
    sent = []
    real = runner.sweep.run_dask

    def spy(context, *args, **kwargs):
        sent.append(context)
        return real(context, *args, **kwargs)

    monkeypatch.setattr(runner.sweep, "run_dask", spy)
    monkeypatch.chdir(workers_cwd)  # the workers' processes start here
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        monkeypatch.chdir(user_cwd)  # and the sweep is started from elsewhere
        proc = subprocess.run(
            [EXE, "sweep", str(serial.parent / "sweep.toml"), "--scheduler", cluster.scheduler_address,
             "--out", "out"],
            cwd=user_cwd, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        run_sweep(spec, Path("api"), scheduler=cluster.scheduler_address)
    assert proc.returncode == 0, proc.stderr
    assert [Path(c.runs_dir) for c in sent] == [(user_cwd / "api" / "runs").resolve()]
    for name in ("out", "api"):
        assert run_files(user_cwd / name) == run_files(serial), name
        assert not list((workers_cwd / name / "runs").iterdir()), name
    status = vk("sweep", "status", str(user_cwd / "out"))
    assert "runs done: 16 of 16" in status.stdout, status.stdout
