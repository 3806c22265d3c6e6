"""A process that runs several models frees each one after its run (runner.single.release_run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, sys, weakref
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
from builders import small_scenario_dict
from runner.single import prepare_heap, release_run
from simulation import DischargeModel, scenario_from_dict

scenario = scenario_from_dict(small_scenario_dict(days=30, warmup_days=0), "test")
gc.set_threshold(10**9)  # no automatic collection: only release_run may free the model

def finished_model():
    return weakref.ref(DischargeModel(scenario, seed=1).run())

alone = finished_model()
release_run()  # a process that did not ask for it (prepare_heap) keeps its default behaviour
print("before prepare:", "alive" if alone() is not None else "freed")
prepare_heap()
assert gc.get_freeze_count() > 0
ref = finished_model()
print("garbage:", "alive" if ref() is not None else "freed")
release_run()
print("after release:", "alive" if ref() is not None else "freed")
"""


def test_release_run_frees_a_finished_model_only_where_prepared():
    code = SCRIPT.format(root=str(ROOT), tests=str(ROOT / "tests"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["before prepare: alive", "garbage: alive", "after release: freed"]


FORK_SCRIPT = """
import gc, sys, tempfile
from pathlib import Path
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
from builders import small_scenario_dict
from runner.experiment import run_experiment
from simulation import scenario_from_dict

scenario = scenario_from_dict(small_scenario_dict(days=20, warmup_days=0), "test")
before = gc.get_freeze_count()  # not 0: the interpreter may start with a few objects frozen
with tempfile.TemporaryDirectory() as tmp:
    run_experiment(scenario, Path(tmp) / "out", {reps}, 7, jobs={jobs})
print("frozen" if gc.get_freeze_count() > before else "not frozen")
"""


def test_parallel_replications_freeze_the_parent_heap_before_forking():
    """-j N freezes what the parent holds before forking (the workers' collections then leave the
    inherited pages alone); a single replication in-process freezes nothing."""
    outs = {}
    for jobs, reps in ((1, 1), (2, 2)):
        code = FORK_SCRIPT.format(root=str(ROOT), tests=str(ROOT / "tests"), jobs=jobs, reps=reps)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        outs[jobs] = proc.stdout.splitlines()
    assert outs[1] == ["not frozen"]
    assert outs[2] == ["frozen"]
