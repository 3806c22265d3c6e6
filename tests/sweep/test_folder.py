"""A sweep folder is what it says it is: what a kill leaves is taken up again, anything else is refused
with one line, and no other sweep's rows or manifest are taken for this sweep's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time

import pytest
from sweep_helpers import BASE, GRID, vk

from runner.fsmodes import MACHINE
from runner.sweep_store import STALE_AFTER_S
from vardkedja_cli.main import main

ONE = (
    GRID.replace("replications = 2", "replications = 1")
    .replace("levels = [0.1, 0.9]", "levels = [0.5]")
    .replace("levels = [0.0, 1.0]", "levels = [0.0]")
    .replace("levels = [2, 6]", "levels = [4]")
)
"""One point, one replication: one 30-day run."""


def _one_line_refusal(proc: subprocess.CompletedProcess[str], says: str) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert says in lines[0], lines[0]
    return lines[0]


def test_a_folder_left_by_a_kill_while_its_manifest_was_written_is_taken_as_new(write_sweep, tmp_path):
    # SIGKILL between runs/ and the manifest's rename left .manifest.json.<x>.tmp and an empty runs/;
    # every later sweep into it said "exists and is not a sweep folder", forever (QA, 27 Nov 2026)
    out = tmp_path / "out"
    (out / "runs").mkdir(parents=True)
    ended = subprocess.Popen(["true"])
    ended.wait()
    dead = out / f".manifest.json.{MACHINE}-{ended.pid}.k1ll3d_x.tmp"  # its writer has ended
    old = out / ".manifest.json.0a0b0c0d-1.elsewhr.tmp"  # another machine's, hours old
    live = out / f".manifest.json.{MACHINE}-{os.getpid()}.at_work.tmp"  # a writer at work: its own
    for p in (dead, old, live):
        p.write_text('{"sweep_id": "half', encoding="utf-8")
    hours_ago = time.time() - STALE_AFTER_S - 3600
    os.utime(old, (hours_ago, hours_ago))
    proc = vk("sweep", str(write_sweep(ONE)), "--out", str(out), "-j", "1")
    assert proc.returncode == 0, proc.stderr
    assert "1 runs; ran 1" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(["manifest.json", "runs", live.name])
    assert len(list((out / "runs").glob("p*.parquet"))) == 1


def test_a_folder_with_rows_but_no_manifest_is_refused(write_sweep, tmp_path):
    # it was taken as this sweep's folder and another sweep's rows counted as done; analyze then
    # failed with KeyError 'metric'
    out = tmp_path / "out"
    assert main(["sweep", str(write_sweep(ONE)), "--out", str(out), "-j", "1"]) == 0
    (out / "manifest.json").unlink()
    other = write_sweep(ONE.replace("seed = 99", "seed = 100"), "other.toml")
    proc = vk("sweep", str(other), "--out", str(out), "-j", "1")
    line = _one_line_refusal(proc, "holds runs (1 row files in runs/) but no manifest.json")
    assert line.startswith(str(out)) and "choose another --out" in line
    assert sorted(p.name for p in out.iterdir()) == ["runs"], "nothing written"
    # a folder holding anything else is still not a sweep folder
    shutil.rmtree(out / "runs")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    _one_line_refusal(vk("sweep", str(other), "--out", str(out)), "exists and is not a sweep folder")


def test_another_sweeps_rows_are_never_counted_as_this_sweeps(write_sweep, tmp_path, capsys):
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    assert main(["sweep", str(write_sweep(ONE)), "--out", str(theirs), "-j", "1"]) == 0
    path = write_sweep(ONE.replace("seed = 99", "seed = 100"), "ours.toml")
    assert main(["sweep", "prepare", str(path), "--out", str(ours)]) == 0
    foreign = (theirs / "runs" / "p000000-r0000.parquet").read_bytes()
    (ours / "runs" / "p000000-r0000.parquet").write_bytes(foreign)  # same name, another sweep's row
    capsys.readouterr()
    status = vk("sweep", "status", str(ours))
    assert "runs done: 0 of 1" in status.stdout and "row files of another sweep: 1" in status.stdout
    assert main(["analyze", str(ours)]) == 2
    assert "1 of 1 runs are missing" in capsys.readouterr().err
    assert main(["sweep", "run-one", str(ours), "--index", "0"]) == 0  # the run is made over it
    assert "ran 1 run(s)" in capsys.readouterr().out
    assert (ours / "runs" / "p000000-r0000.parquet").read_bytes() != foreign
    (ours / "runs" / "p000000-r0000.parquet").write_bytes(foreign)
    assert main(["sweep", str(path), "--out", str(ours), "-j", "1"]) == 0  # and by the sweep itself
    assert "ran 1, reused 0" in capsys.readouterr().out
    assert main(["analyze", str(ours)]) == 0


def test_a_folder_whose_manifest_is_not_a_sweeps_is_one_line(write_sweep, tmp_path):
    # a `vardkedja run` replication folder has a manifest.json too: KeyError tracebacks, and
    # "holds another sweep (None, id None ...)" from --out
    run = tmp_path / "run"
    made = vk("run", str(BASE), "--days", "40", "--no-plots", "--out", str(run))
    assert made.returncode == 0, made.stderr
    rep = run / "replications" / "rep-0000"
    before = sorted(p.name for p in rep.iterdir())
    for argv in (
        ["sweep", "status", str(rep)],
        ["analyze", str(rep)],
        ["sweep", "run-one", str(rep), "--index", "0"],
        ["sweep", str(write_sweep(ONE)), "--out", str(rep)],
    ):
        line = _one_line_refusal(vk(*argv), "not a sweep folder")
        assert line.startswith(f"{rep}: not a sweep folder (its manifest.json is not a sweep's"), line
    assert "choose another --out" in line
    assert sorted(p.name for p in rep.iterdir()) == before


def test_a_base_scenario_whose_contents_changed_is_named_as_the_difference(write_sweep, tmp_path):
    # "holds another sweep (test-grid, id ...; this one is ...)" did not say what differed
    base = tmp_path / "base.toml"
    base.write_text('extends = "nordost-2019"\nname = "nordost-2019"\n', encoding="utf-8")
    path = write_sweep(ONE.replace(BASE.as_posix(), base.as_posix()))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "-j", "1"]) == 0
    with base.open("a", encoding="utf-8") as fh:
        fh.write("[relationships]\nsupport_start_days_weak = 2.5\n")
    line = _one_line_refusal(vk("sweep", str(path), "--out", str(out)), "holds another sweep")
    assert "it differs in the base scenario's contents (digest " in line, line


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        # a hand-edited n_points: run-one --index 50 ended in an IndexError traceback
        (lambda m: m.update(n_points=99), "(n_points is 99, but points has 4 entries)"),
        (lambda m: m.update(n_points=0), "(n_points is 0, not a whole number >= 1)"),
        (lambda m: m.update(replications="2"), "(replications is '2', not a whole number >= 1)"),
        (lambda m: m.update(seed=-1), "(seed is -1, not a whole number in [0, 2**63 - 1])"),
        (lambda m: m["design_matrix"].pop(), "(n_points is 4, but design_matrix has 3 entries)"),
        (lambda m: m["points"][2]["values"].clear(), "(point 2 does not have one value per parameter)"),
        (lambda m: m["parameters"][0].pop("kind"), "(parameters is not what a sweep writes)"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [["sweep", "run-one", "{out}", "--index", "50"], ["sweep", "status", "{out}"], ["analyze", "{out}"]],
)
def test_a_damaged_manifest_is_one_line(write_sweep, tmp_path, capsys, edit, says, command):
    out = tmp_path / "out"
    assert main(["sweep", "prepare", str(write_sweep(GRID.replace("levels = [2, 6]", "levels = [4]"))),
                 "--out", str(out)]) == 0  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    edit(manifest)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    capsys.readouterr()
    assert main([c.format(out=out) for c in command]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{out}: damaged: its manifest.json does not match its design {says}"]
    assert not list((out / "runs").iterdir()), "nothing may be run"


def _suggested(text: str, command: str, end: str = "  ") -> list[str]:
    """The words of the command the output suggests (up to ``end``), as a shell splits them when it
    is pasted."""
    import shlex

    start = text.index(command)
    return shlex.split(text[start:].split(end)[0].splitlines()[0].rstrip(")"))


def test_the_suggested_next_commands_quote_their_folder(write_sweep, tmp_path, capsys):
    # "next: vardkedja analyze svep å/grid" failed when pasted: two arguments
    out = tmp_path / "svep å" / "grid"
    assert main(["sweep", str(write_sweep(ONE)), "--out", str(out), "-j", "1"]) == 0
    assert _suggested(capsys.readouterr().out, "vardkedja analyze") == ["vardkedja", "analyze", str(out)]
    prepared = tmp_path / "svep å" / "prep"
    assert main(["sweep", "prepare", str(write_sweep(ONE)), "--out", str(prepared)]) == 0
    words = _suggested(capsys.readouterr().out, "vardkedja sweep run-one")
    assert words == ["vardkedja", "sweep", "run-one", str(prepared), "--index", "I"]


def test_the_suggested_validate_command_quotes_the_base_file(write_sweep, tmp_path, capsys):
    base = tmp_path / "my base" / "b.toml"
    base.parent.mkdir()
    base.write_text('extends = "nordost"\ndays = -1\nseed = -5\n', encoding="utf-8")
    path = write_sweep(ONE.replace(f'base = "{BASE.as_posix()}"', f'base = "{base.as_posix()}"'))
    assert main(["sweep", str(path), "-j", "1"]) == 2
    assert _suggested(capsys.readouterr().err, "vardkedja validate", " lists") == [
        "vardkedja",
        "validate",
        str(base),
    ]
