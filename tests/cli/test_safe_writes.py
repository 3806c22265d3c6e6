"""Nothing lost, nothing mixed: staging and rename, the folder lock, manifests, resume, compare folders.

Two tests use real processes (two runs at once; SIGKILL mid-run); the rest run in-process.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runner.experiment import FolderLock, RunLockedError, run_experiment, verify_replication
from simulation import load_scenario
from vardkedja_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NORDOST = ROOT / "scenarios" / "nordost.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"
FILES = (  # a replication's files (its tables as Parquet, which the run's table folders link to)
    "summary.json",
    "daily.parquet",
    "episodes.parquet",
    "gap_events.parquet",
    "ward_daily.parquet",
    "kommun_daily.parquet",
    "relationships.parquet",
)


@pytest.fixture(scope="module")
def short():
    return load_scenario(NORDOST, days=40, warmup_days=0)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(short, tmp_path_factory) -> dict[str, bytes]:
    """An uninterrupted 3-replication run of ``short`` from seed 4."""
    out = tmp_path_factory.mktemp("ref") / "ref"
    run_experiment(short, out, 3, 4, 1)
    return tree(out)


def test_run_publishes_by_rename_and_leaves_nothing_beside(short, tmp_path, reference):
    out = tmp_path / "r"
    seen = []
    result = run_experiment(short, out, 3, 4, 1, before_publish=lambda staging: seen.append(staging))
    assert seen == [tmp_path / ".r.partial"]  # figures etc. are drawn into staging, before the rename
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no lock, no staging left
    assert tree(out) == reference
    assert result.ran == 3 and result.reused == 0 and result.notes == []
    manifest = json.loads((out / "replications" / "rep-0001" / "manifest.json").read_text())
    assert manifest["seed"] == result.summary["replication_seeds"][1]
    assert set(manifest["files"]) == set(FILES) and len(manifest["scenario_sha256"]) == 64


def test_results_are_readable_by_whoever_the_umask_lets_read(short, tmp_path):
    # the replication folders were made by mkdtemp (0700) and kept that when renamed: on a shared
    # server a colleague could open the run folder but not its replications
    import os
    import stat

    old = os.umask(0o022)
    try:
        run_experiment(short, tmp_path / "r", 2, 4, 1)
    finally:
        os.umask(old)
    folders = [tmp_path / "r", *(p for p in (tmp_path / "r").rglob("*") if p.is_dir())]
    assert len(folders) >= 4
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder


def test_rerun_reuses_verified_replications_and_says_so(short, tmp_path, reference):
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    again = run_experiment(short, out, 3, 4, 1)
    assert again.reused == 3 and again.ran == 0 and again.notes == []
    assert tree(out) == reference


def test_damaged_replication_is_recomputed_with_a_note(short, tmp_path, reference):
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    target = out / "replications" / "rep-0001" / "episodes.parquet"
    target.write_bytes(target.read_bytes()[:100])  # truncated: ArrowInvalid if it were read
    again = run_experiment(short, out, 3, 4, 1)
    assert again.ran == 1 and again.reused == 2
    assert len(again.notes) == 1 and "replication 1" in again.notes[0]
    assert "damaged episodes.parquet" in again.notes[0] and "recomputed" in again.notes[0]
    assert tree(out) == reference


def test_replication_in_an_older_layout_is_recomputed_with_a_note(short, tmp_path, reference):
    """A replication written with Arrow IPC tables (versions before 26 Nov 2026) is not reused."""
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    rep = out / "replications" / "rep-0002"
    manifest = json.loads((rep / "manifest.json").read_text())
    for name in FILES[1:]:
        old = name.replace(".parquet", ".arrow")
        (rep / name).rename(rep / old)
        manifest["files"][old] = manifest["files"].pop(name)
    (rep / "manifest.json").write_text(json.dumps(manifest))
    again = run_experiment(short, out, 3, 4, 1)
    assert again.ran == 1 and again.reused == 2
    assert again.notes == [f"replication 2 in {out} holds other files than this version writes: recomputed"]
    assert tree(out) == reference


def test_replication_of_an_older_format_is_recomputed_with_a_note(short, tmp_path, reference):
    """A replication whose summary lacks the per-organisation figures (written before 27 Nov 2026, when
    manifests had no format number) is not reused: the breakdowns could not be combined from it."""
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    rep = out / "replications" / "rep-0001"
    manifest = json.loads((rep / "manifest.json").read_text())
    del manifest["format"]
    (rep / "manifest.json").write_text(json.dumps(manifest))
    again = run_experiment(short, out, 3, 4, 1)
    assert again.ran == 1 and again.reused == 2
    assert again.notes == [
        f"replication 1 in {out} was written in an older format by an earlier vardkedja "
        "(manifest format number differs): recomputed"
    ]
    assert tree(out) == reference


def test_table_folders_left_by_an_interrupted_attempt_are_rebuilt(short, tmp_path, reference):
    """A staging folder whose table folders were being linked when the run stopped (a hidden half
    folder, a table still in the single-file layout of older versions, the hidden ``.tmp`` file those
    versions stacked a table into) gives the same run as one never interrupted."""
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    staging = tmp_path / ".r.partial"
    out.rename(staging)
    (staging / ".daily.parquet.half").mkdir()
    (staging / ".daily.parquet.half" / "rep-0000.parquet").write_bytes(b"half")
    (staging / ".ward_daily.parquet.tmp").write_bytes(b"an older version's half-stacked table")
    (staging / "replications" / ".rep-0001.tmp").write_bytes(b"a stray file")
    shutil.rmtree(staging / "episodes.parquet")
    (staging / "episodes.parquet").write_bytes(b"an older version's stacked table")
    (staging / "summary.json").unlink()
    again = run_experiment(short, out, 3, 4, 1)
    assert again.reused == 3 and again.ran == 0
    assert tree(out) == reference and not staging.exists()


def test_replications_recomputed_for_one_reason_get_one_note(short, tmp_path, reference):
    """A whole folder of an older version: one note for its replications, not one for each."""
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    for i in range(3):
        (out / "replications" / f"rep-{i:04d}" / "manifest.json").unlink()
    again = run_experiment(short, out, 3, 4, 1)
    assert again.ran == 3 and again.reused == 0
    assert again.notes == [f"3 replications in {out} (0, 1, 2): each has no manifest; recomputed"]
    assert tree(out) == reference


def test_valid_file_from_another_run_is_not_reused(short, tmp_path, reference):
    out, other = tmp_path / "r", tmp_path / "other"
    run_experiment(short, out, 3, 4, 1)
    run_experiment(short, other, 3, 99, 1)
    # A whole replication folder of another run, and a single valid file of another run.
    shutil.rmtree(out / "replications" / "rep-0002")
    shutil.copytree(other / "replications" / "rep-0002", out / "replications" / "rep-0002")
    shutil.copy(
        other / "replications" / "rep-0001" / "daily.parquet",
        out / "replications" / "rep-0001" / "daily.parquet",
    )
    again = run_experiment(short, out, 3, 4, 1)
    assert again.ran == 2 and again.reused == 1
    assert any("replication 2" in n and "another run" in n for n in again.notes)
    assert any("replication 1" in n and "daily.parquet" in n for n in again.notes)
    assert tree(out) == reference


def test_fewer_replications_into_a_folder_of_more_keeps_it_unmixed(short, tmp_path):
    out = tmp_path / "r"
    run_experiment(short, out, 3, 4, 1)
    fewer = run_experiment(short, out, 2, 4, 1)
    assert fewer.reused == 2
    assert sorted(p.name for p in (out / "replications").iterdir()) == ["rep-0000", "rep-0001"]
    assert json.loads((out / "summary.json").read_text())["replications"] == 2


def test_folder_of_another_scenario_is_refused(short, tmp_path):
    out = tmp_path / "r"
    run_experiment(short, out, 1, 4, 1)
    with pytest.raises(Exception, match="another scenario or seed"):
        run_experiment(short, out, 1, 5, 1)


def test_lock_refuses_a_second_holder_and_is_released(tmp_path):
    folder = tmp_path / "r"
    with FolderLock(folder):
        assert (tmp_path / ".r.lock").read_text().strip() == str(os.getpid())
        with pytest.raises(RunLockedError, match=rf"pid {os.getpid()}\) is writing into this folder"):
            FolderLock(folder).__enter__()
    assert not (tmp_path / ".r.lock").exists()
    with FolderLock(folder):  # free again
        pass


def test_lock_of_a_dead_process_is_not_stale(tmp_path):
    # A lock file left by a killed run (its pid written, its flock gone with it) does not block.
    (tmp_path / ".r.lock").write_text("999999\n")
    with FolderLock(tmp_path / "r"):
        assert (tmp_path / ".r.lock").read_text().strip() == str(os.getpid())


def test_full_disk_leaves_no_partial_output(tmp_path, monkeypatch, capsys):
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.suffix == ".parquet":  # a replication's first table
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    out = tmp_path / "r"
    code = main(["run", str(NORDOST), "--days", "20", "--no-plots", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "No space left on device" in err
    assert list(tmp_path.iterdir()) == []  # no folder, no staging, no lock, no half replication


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_jobs_beyond_the_cores_are_clamped_with_a_note(tmp_path, monkeypatch, capsys, lang):
    import vardkedja_cli.main as cli

    monkeypatch.setattr(cli, "cores", lambda: 2)
    args = ["run", str(NORDOST), "--days", "20", "-n", "2", "-j", "1000", "--no-plots"]
    code = main([*args, "--lang", lang, "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 0, err
    if lang == "en":
        assert "note: --jobs 1000 is more than the 2 cores here; using 2" in err
    else:
        assert "obs: --jobs 1000 är fler än antalet kärnor här (2); använder 2" in err


def test_the_jobs_note_says_core_for_one(monkeypatch, capsys):
    import vardkedja_cli.main as cli

    monkeypatch.setattr(cli, "cores", lambda: 1)
    assert cli._jobs(4) == 1
    assert cli._jobs(None) == 1
    assert "note: --jobs 4 is more than the 1 core here; using 1" in capsys.readouterr().err


def test_resumed_run_says_how_many_it_reused(tmp_path, capsys):
    args = [
        "run",
        str(NORDOST),
        "--days",
        "20",
        "-n",
        "2",
        "--seed",
        "3",
        "--no-plots",
        "--out",
        str(tmp_path / "r"),
    ]
    assert main(args) == 0
    shutil.rmtree(tmp_path / "r" / "replications" / "rep-0001")
    capsys.readouterr()
    assert main(args) == 0
    assert "reused 1 of 2 replications from an earlier run; ran 1" in capsys.readouterr().err


def test_zero_coordinator_capacity_is_reported(tmp_path, capsys):
    code = main(
        [
            "run",
            str(NORDOST),
            "--days",
            "20",
            "--no-plots",
            "--out",
            str(tmp_path / "r"),
            "--set",
            "defaults.ward.coordinator_capacity=0",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert "note: coordinator_capacity = 0 on 13 ward(s)" in err and "forced discharge" in err


# ---------------------------------------------------------------------------------------------
# compare never overwrites an earlier comparison


@pytest.fixture
def fake_compare(monkeypatch, tmp_path):
    """Record where compare would write instead of running it."""
    import vardkedja_cli.compare

    calls: list[Path] = []

    def record(scenarios, out, *args, **kwargs):
        calls.append(out)
        out.mkdir(parents=True, exist_ok=True)  # --force: the real compare replaces it when complete
        (out / "comparison.csv").write_text("x\n")

    monkeypatch.setattr(vardkedja_cli.compare, "compare", record)
    monkeypatch.chdir(tmp_path)
    return calls


def test_compare_takes_a_new_folder_each_time(fake_compare):
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    for _ in range(3):
        assert main(["compare", a, b, "-n", "6"]) == 0
    names = [p.name for p in fake_compare]
    assert names[0] == "nordost-2019-vs-weekend-everyone-s2019-n6-d365"
    assert names[1:] == [names[0] + "-2", names[0] + "-3"]


def test_compare_default_folder_names_the_days(fake_compare):
    # `--days 30` and the scenarios' year were `…-n6` and `…-n6-2`: read as one comparison made twice
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    assert main(["compare", a, b, "-n", "6", "--days", "30"]) == 0
    assert main(["compare", a, b, "-n", "6"]) == 0
    assert main(["compare", a, b, "-n", "6", "--days", "365"]) == 0  # the scenarios' own: the same name
    names = [p.name for p in fake_compare]
    assert names == [
        "nordost-2019-vs-weekend-everyone-s2019-n6-d30",
        "nordost-2019-vs-weekend-everyone-s2019-n6-d365",
        "nordost-2019-vs-weekend-everyone-s2019-n6-d365-2",
    ]


def test_compare_default_folder_tells_other_settings_apart(fake_compare):
    # two comparisons of the same scenarios with different --set were "…-d365" and "…-d365-2": only the
    # order they ran in told them apart
    from simulation.scenario import check_name

    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    assert main(["compare", a, b, "-n", "6"]) == 0
    assert main(["compare", a, b, "-n", "6", "--set", "rules.sip_call_rate=0.9"]) == 0
    assert main(["compare", a, b, "-n", "6", "--set", "rules.sip_call_rate=0.5"]) == 0
    # the same setting written otherwise is the same comparison: the same name, then the counter
    assert main(["compare", a, b, "-n", "6", "--set", "rules . sip_call_rate = 0.50"]) == 0
    names = [p.name for p in fake_compare]
    stem = "nordost-2019-vs-weekend-everyone-s2019-n6-d365"
    assert names[0] == stem  # without --set, the name it always had
    found = [re.fullmatch(rf"{stem}-set([0-9a-f]{{8}})", name) for name in names[1:3]]
    assert all(found) and found[0].group(1) != found[1].group(1), names
    assert names[3] == names[2] + "-2"
    assert all(check_name(name) == name for name in names)  # the safe alphabet of --name


def test_compare_into_an_earlier_out_needs_force(fake_compare, tmp_path, capsys):
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    out = tmp_path / "cmp"
    assert main(["compare", a, b, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["compare", a, b, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--force" in err
    assert main(["compare", a, b, "--out", str(out), "--force"]) == 0
    assert len(fake_compare) == 2
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    assert main(["compare", a, b, "--out", str(tmp_path / "mine"), "--force"]) == 2
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


# ---------------------------------------------------------------------------------------------
# Real processes


def _wait_for(path: Path, proc: subprocess.Popen, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        assert proc.poll() is None, f"the run ended (exit {proc.returncode}) before {path} appeared"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def _holding_the_lock_of(out: Path, cmd: list[str]) -> subprocess.Popen[str]:
    """``cmd`` started, once it holds the lock of the folder ``out`` (it is then writing into it)."""
    lock = out.parent / f".{out.name}.lock"
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not lock.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the command never took the lock"
        time.sleep(0.01)
    return proc


def test_two_runs_into_one_folder(tmp_path):
    out = tmp_path / "r"
    cmd = [
        EXE,
        "run",
        str(NORDOST),
        "--days",
        "120",
        "-n",
        "3",
        "--seed",
        "8",
        "--no-plots",
        "--out",
        str(out),
    ]
    # The second starts once the first holds the folder's lock, so it arrives while the first works.
    first = _holding_the_lock_of(out, cmd)
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    procs = [first, second]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    refused = next(err for code, _, err in results if code == 2)
    assert "Traceback" not in refused and len(refused.strip().splitlines()) == 1
    assert "another vardkedja command" in refused and str(out) in refused
    summary = json.loads((out / "summary.json").read_text())
    assert sorted(p.name for p in (out / "replications").iterdir()) == ["rep-0000", "rep-0001", "rep-0002"]
    for i, seed in enumerate(summary["replication_seeds"]):
        rep = out / "replications" / f"rep-{i:04d}"
        sha = json.loads((rep / "manifest.json").read_text())["scenario_sha256"]
        assert verify_replication(rep, i, seed, sha) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_rerun_keeps_what_the_user_put_into_the_run_folder(tmp_path):
    # the run's folder was replaced whole: notes and an analysis of the user's own were deleted
    out = tmp_path / "r"
    base = [EXE, "run", str(NORDOST), "--days", "40", "-j", "1", "--no-plots", "--out", str(out)]
    assert subprocess.run([*base, "-n", "1"], capture_output=True, timeout=600).returncode == 0
    (out / "anteckningar.txt").write_text("mina anteckningar")
    (out / "egen_analys").mkdir()
    (out / "egen_analys" / "a.csv").write_text("x\n1\n")
    proc = subprocess.run([*base, "-n", "2"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "kept what was not the run's own: anteckningar.txt, egen_analys" in proc.stderr
    assert (out / "anteckningar.txt").read_text() == "mina anteckningar"
    assert (out / "egen_analys" / "a.csv").read_text() == "x\n1\n"
    assert json.loads((out / "summary.json").read_text())["replications"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_run_puts_right_the_swap_folders_a_killed_run_left(tmp_path):
    # a run killed while deleting the earlier run it had replaced left .<name>.old-<pid> for good
    out = tmp_path / "r"
    cmd = ["run", str(NORDOST), "--days", "20", "-j", "1", "--no-plots", "--out", str(out)]
    assert main(cmd) == 0
    dead = _dead_pid()
    # killed while deleting: the new run in place, the user's notes still in the earlier one
    left = tmp_path / f".r.old-{dead}"
    (left / "replications").mkdir(parents=True)
    (left / "summary.json").write_text("{}")
    (left / "anteckningar.txt").write_text("mina anteckningar")
    # killed between the two renames: the destination was left without its run
    (tmp_path / f".s.old-{dead}").mkdir()
    (tmp_path / f".s.old-{dead}" / "summary.json").write_text('{"earlier": true}')
    # a run at work (this process is alive): its folder is not touched
    alive = tmp_path / f".t.old-{os.getpid()}"
    alive.mkdir()
    assert main(cmd) == 0
    assert (out / "anteckningar.txt").read_text() == "mina anteckningar"  # moved across, as publish does
    assert json.loads((out / "summary.json").read_text())["scenario"] == "nordost"
    assert json.loads((tmp_path / "s" / "summary.json").read_text()) == {"earlier": True}  # put back
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "r", "s"]


def test_a_compare_removes_the_swap_folders_a_killed_run_left_beside_its_folder(fake_compare, tmp_path):
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    (tmp_path / "c").mkdir()
    left = tmp_path / f".c.old-{_dead_pid()}"
    (left / "replications").mkdir(parents=True)
    alive = tmp_path / f".d.old-{os.getpid()}"
    alive.mkdir()
    assert main(["compare", a, b, "-n", "2", "--out", str(tmp_path / "e")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "c", "e"]


class _Killed(BaseException):
    """The process killed at this point (SIGKILL: nothing after it runs)."""


def test_a_compare_force_killed_while_replacing_leaves_the_earlier_comparison_named_for_its_pid(
    tmp_path, monkeypatch, capsys
):
    # compare --force moved the comparison it replaced to .<out>.old.<random>: killed before deleting
    # it, it left a folder nobody could tell was abandoned
    import runner.experiment
    import vardkedja_cli.compare

    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    out = tmp_path / "c"
    cmd = ["compare", a, b, "--days", "20", "-n", "1", "-j", "1", "--no-plots", "--out", str(out)]
    assert main(cmd) == 0
    (out / "anteckningar.txt").write_text("mina anteckningar")
    assert main([*cmd, "--force"]) == 0  # replaced whole: the user's notes kept, as a run keeps them
    assert (out / "anteckningar.txt").read_text() == "mina anteckningar"
    assert "c: kept what was not the comparison's own: anteckningar.txt" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]

    def killed(old: Path, folder: Path) -> list[str]:
        raise _Killed

    monkeypatch.setattr(runner.experiment, "_finish_swap", killed)  # after the two renames
    with pytest.raises(_Killed):
        main([*cmd, "--force"])
    left = tmp_path / f".c.old-{os.getpid()}"
    assert (left / "comparison.csv").is_file() and (out / "comparison.csv").is_file()
    assert (left / "anteckningar.txt").is_file()
    monkeypatch.undo()
    calls = []
    monkeypatch.setattr(vardkedja_cli.compare, "compare", lambda scenarios, out, *a, **k: calls.append(out))
    assert main([*cmd, "--force"]) == 0
    assert calls and left.is_dir()  # its process (this one) is alive: it may still finish the swap
    os.rename(left, tmp_path / f".c.old-{_dead_pid()}")  # as if it had been killed
    assert main([*cmd, "--force"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]
    assert (out / "anteckningar.txt").read_text() == "mina anteckningar"  # the swap finished


def test_compare_force_puts_right_what_a_killed_compare_force_left_beside_its_folder(fake_compare, tmp_path):
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    dead = _dead_pid()
    # killed between the two renames: the folder was left without its comparison, which goes back
    gone = tmp_path / f".c.old-{dead}"
    gone.mkdir()
    (gone / "comparison.csv").write_text("earlier\n")
    (gone / "anteckningar.txt").write_text("mina anteckningar")
    # killed while deleting the earlier comparison: the new one in place, the user's notes in the earlier
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "comparison.csv").write_text("new\n")
    left = tmp_path / f".d.old-{dead}"
    left.mkdir()
    (left / "comparison.csv").write_text("earlier\n")
    (left / "anteckningar.txt").write_text("mina anteckningar")
    # a compare --force at work (this process is alive): left alone
    alive = tmp_path / f".d.old-{os.getpid()}"
    alive.mkdir()
    (alive / "comparison.csv").write_text("earlier\n")
    assert main(["compare", a, b, "--out", str(tmp_path / "c"), "--force"]) == 0  # was "not empty"
    assert main(["compare", a, b, "--out", str(tmp_path / "d"), "--force"]) == 0
    assert fake_compare == [tmp_path / "c", tmp_path / "d"]
    assert (tmp_path / "c" / "anteckningar.txt").read_text() == "mina anteckningar"
    assert (tmp_path / "d" / "anteckningar.txt").read_text() == "mina anteckningar"
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "c", "d"]
    assert (alive / "comparison.csv").read_text() == "earlier\n"


def test_out_as_a_link_writes_into_the_folder_it_points_to(tmp_path):
    # the link was renamed away and replaced by a folder, and the old link left as .elink.old-<pid>
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to("target")
    cmd = [EXE, "run", str(NORDOST), "--days", "31", "-j", "1", "--no-plots", "--out", str(tmp_path / "link")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "link").is_symlink() and (tmp_path / "target" / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "target"]


def test_two_compares_into_one_folder(tmp_path):
    # The second (another --days) replaced the first's base run while the first worked; the first then
    # reported a 365-day comparison of 100-day runs, or died in a traceback when -n differed.
    out = tmp_path / "c"
    base = [EXE, "compare", str(NORDOST), str(ROOT / "scenarios" / "sip-campaign.toml"), "-n", "2"]
    # the first long enough to be still at work when the second has started (with 90 days it had
    # finished, once, before the second reached the lock, and the second then ran)
    cmd = [*base, "--days", "365", "-j", "1", "--no-plots", "--out", str(out)]
    first = _holding_the_lock_of(out, cmd)
    other = [*base, "--days", "60", "-j", "1", "--no-plots", "--out", str(out)]
    second = subprocess.run(other, capture_output=True, text=True, timeout=600)
    code, _, err = first.wait(timeout=600), *first.communicate()
    assert code == 0, err
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert "another vardkedja command" in second.stderr and f"{out}:" in second.stderr
    summary = json.loads((out / "summary.json").read_text())
    for name in ("nordost", "sip-campaign"):
        run = json.loads((out / "runs" / name / "summary.json").read_text())
        assert run["replications"] == 2 and all(r["days"] == 365 for r in run["runs"]), name
    assert summary["days"] == 365
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigkill_mid_run_then_rerun_gives_the_uninterrupted_result(tmp_path, jobs):
    """Also with workers: the kill leaves none behind to hold the folder's lock (the rerun is not refused)."""
    base = ["run", str(NORDOST), "--days", "60", "-n", "4", "--seed", "12", "--no-plots", "-j", jobs]
    reference = tmp_path / "ref"
    assert (
        subprocess.run([EXE, *base, "--out", str(reference)], capture_output=True, timeout=600).returncode
        == 0
    )
    out = tmp_path / "r"
    proc = subprocess.Popen(
        [EXE, *base, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _wait_for(tmp_path / ".r.partial" / "replications" / "rep-0001", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert not out.exists()  # nothing published from a run that did not finish
    again = subprocess.run([EXE, *base, "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "reused" in again.stderr
    assert tree(out) == tree(reference)  # nothing lost, nothing mixed, byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r", "ref"]


def test_a_worker_killed_from_outside_is_one_line_and_the_rerun_finishes(tmp_path):
    """The OOM killer or a kill -9 of one worker: the pool can do no more; one line, no traceback,
    finished replications kept, and the same command finishes the run."""
    base = ["run", str(NORDOST), "--days", "120", "-n", "6", "--seed", "3", "--no-plots", "-j", "2"]
    out = tmp_path / "r"
    proc = subprocess.Popen(
        [EXE, *base, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _wait_for(tmp_path / ".r.partial" / "replications" / "rep-0000", proc)
    workers = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline:
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
            workers = [int(p) for p in f.read().split()]
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert "a worker process ended unexpectedly" in lines[-1] and "run the same command again" in lines[-1]
    again = subprocess.run([EXE, *base, "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "reused" in again.stderr
