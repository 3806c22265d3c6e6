"""A sweep folder is what it says it is: what a kill leaves is taken up again, anything else is refused
with one line, and no other sweep's rows or manifest are taken for this sweep's."""

from __future__ import annotations

import subprocess

from sweep_helpers import BASE, GRID, vk

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
