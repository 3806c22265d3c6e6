"""Instructions the model's run executes, counted by valgrind: a before/after measure noise cannot move.

This machine's speed drifts by up to a third within minutes (a shared virtual machine), so paired
timings of a change worth a few percent need many rounds and still disagree. The number of machine
instructions a run executes does not drift: with the same scenario, seed and ``PYTHONHASHSEED`` it is
the same every time. Each tree's model is built in a fresh process under valgrind's ``callgrind`` tool
with instrumentation off (imports and the build are not counted), instrumentation is switched on for
``DischargeModel.run()`` alone (``callgrind_control -i on``) and off after it.

Instructions are not time: they do not see cache misses or memory traffic, so a change that moves
memory about (and the national scenario, which is larger than the caches) still needs a timed check
(``benchmarks/paired.py``). Needs valgrind (Debian: ``apt-get install valgrind``); about a minute per
tree for nordost, most of it the imports under valgrind.

    uv run python benchmarks/instructions.py --ref a9ed678               # this tree against a9ed678
    uv run python benchmarks/instructions.py --ref main~1 --days 90      # a quicker look
    uv run python benchmarks/instructions.py --sweep-overhead 4          # the sweep machinery's share

``--sweep-overhead K`` counts instead what the sweep's worker function (``runner.sweep.run_task``:
build and validate the point's scenario, the model, its summary, the digest, the Parquet row file, the
collection after the run) executes for the first K runs of the benchmark sweep of
``benchmarks/sweep.py``, against the bare model on the same points and seeds (``DischargeModel(...)
.run()`` and ``summarise`` on a scenario built beforehand), each in its own process, both after the
same set-up (``runner.single.prepare_heap``, which a worker does once) and each run followed by a full
collection. The wall-clock overhead is in ``benchmarks/sweep.py``; its paired estimate carries this
machine's noise, this count does not (fsync's wait on the disk is not an instruction).

``--replication-overhead`` counts what one more replication of ``vardkedja run`` costs (the issue's
"an extra replication costs at most 10 % more than its simulation"): ``run_experiment`` of nordost
with 2 and with 5 replications (in-process, ``-j 1``: the replication files, their checksums, the
run's table folders, the summary with its intervals), whose difference is three replications,
against ``run_one`` (the model and its tables) and the model's release for the same three seeds. What
a run of several replications pays once (importing ``scipy.special`` for the interval, the folder) is
in both counts and cancels.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGET = """
import sys
root, scenario, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
from simulation.model import DischargeModel
if scenario == "national":
    from benchmarks.national import national_scenario
    sc = national_scenario(days=days)
else:
    from simulation.scenario import load_scenario
    sc = load_scenario(f"{root}/scenarios/{scenario}.toml", days=days)
model = DischargeModel(sc, seed=1)
print("READY", flush=True)
sys.stdin.readline()
model.run()
print("DONE", flush=True)
sys.stdin.readline()
"""


SWEEP_TARGET = """
import gc, shutil, sys, tempfile
from pathlib import Path
root, mode, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
from benchmarks.sweep import SWEEP
from runner.design import load_sweep, merge_settings
from runner.single import prepare_heap
from runner.sweep import prepare, run_task
from runner.sweep_store import open_sweep, task
from simulation import DischargeModel, scenario_from_dict, summarise
tmp = Path(tempfile.mkdtemp(prefix="sweep-instr-"))
path = tmp / "bench.toml"
path.write_text(SWEEP.format(base=f"{root}/scenarios/nordost-2019.toml", days=365, points=max(1, k)))
prepare(load_sweep(path), tmp / "out")
manifest, ctx = open_sweep(tmp / "out")
todo = [task(manifest, p, r) for p in range(manifest["n_points"]) for r in range(2)][:k]
scenarios = [scenario_from_dict(merge_settings(ctx.base_data, t.settings)) for t in todo]
prepare_heap()
print("READY", flush=True)
sys.stdin.readline()
for t, sc in zip(todo, scenarios):
    if mode == "bare":
        summarise(DischargeModel(sc, seed=t.seed).run())
    else:
        run_task(ctx, t)
    gc.collect()
print("DONE", flush=True)
sys.stdin.readline()
shutil.rmtree(tmp)
"""


REPLICATION_TARGET = """
import shutil, sys, tempfile
from pathlib import Path
root, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
import runner.experiment as ex
from runner.single import prepare_heap, release_run, run_one
from simulation import load_scenario
sc = load_scenario(f"{root}/scenarios/nordost.toml")
seeds = ex.replication_seeds(sc.seed, 5)
out = Path(tempfile.mkdtemp(prefix="rep-instr-")) / "out"
prepare_heap()
run_one(sc, seeds[0])  # the model's modules imported and warm in both modes
release_run()
print("READY", flush=True)
sys.stdin.readline()
if mode == "run_one":
    for seed in seeds[2:5]:
        run_one(sc, seed)
        release_run()
else:
    ex.run_experiment(sc, out, n)
print("DONE", flush=True)
sys.stdin.readline()
shutil.rmtree(out.parent)
"""


def count(tree: Path, scenario: str, days: int, tmp: Path, target: str = TARGET) -> int:
    """Instructions executed by ``DischargeModel.run()`` of ``tree`` (a checkout of this repository)."""
    out = tmp / "callgrind.out"
    script = tmp / "target.py"
    script.write_text(target)
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]
    cmd += [sys.executable, str(script), str(tree), scenario, str(days)]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdin is not None and proc.stdout is not None

    def step(expect: str, switch: str) -> None:
        line = proc.stdout.readline().strip()  # type: ignore[union-attr]
        if line != expect:
            proc.kill()
            raise RuntimeError(f"{tree}: expected {expect!r}, got {line!r}: {proc.communicate()[1][-2000:]}")
        subprocess.run(["callgrind_control", "-i", switch, str(proc.pid)], check=True, capture_output=True)
        proc.stdin.write("\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]

    step("READY", "on")
    step("DONE", "off")
    _, err = proc.communicate()
    found = re.search(r"I\s+refs:\s+([\d,]+)", err)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(f"{tree}: valgrind failed: {err[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", action="append", default=[], help="a revision to compare (repeatable)")
    ap.add_argument("--scenario", choices=("nordost", "national"), default="nordost")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--sweep-overhead", type=int, metavar="K", help="count the sweep worker's share instead")
    ap.add_argument(
        "--replication-overhead", action="store_true", help="count what one more replication of `run` costs"
    )
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("benchmarks/instructions.py needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    if args.sweep_overhead:
        with tempfile.TemporaryDirectory(prefix="vardkedja-instructions-") as tmpdir:
            k = args.sweep_overhead
            bare = count(ROOT, "bare", k, Path(tmpdir), SWEEP_TARGET)
            sweep = count(ROOT, "sweep", k, Path(tmpdir), SWEEP_TARGET)
        print(f"first {k} runs of the benchmark sweep (nordost-2019, 365 days): instructions a run")
        print(f"  bare model      {bare / k / 1e9:8.4f} G")
        print(f"  run_task        {sweep / k / 1e9:8.4f} G   overhead {100 * (sweep / bare - 1):+.2f} %")
        return 0
    if args.replication_overhead:
        with tempfile.TemporaryDirectory(prefix="vardkedja-instructions-") as tmpdir:
            two = count(ROOT, "experiment", 2, Path(tmpdir), REPLICATION_TARGET)
            five = count(ROOT, "experiment", 5, Path(tmpdir), REPLICATION_TARGET)
            sims = count(ROOT, "run_one", 3, Path(tmpdir), REPLICATION_TARGET)
        extra = (five - two) / 3
        print("nordost, 365 days, -j 1: instructions a replication")
        print(f"  run_one + release            {sims / 3 / 1e9:8.4f} G")
        print(f"  run -n 5 minus run -n 2, / 3 {extra / 1e9:8.4f} G   {extra / (sims / 3):.3f} x")
        return 0
    rows: list[tuple[str, int]] = []
    with tempfile.TemporaryDirectory(prefix="vardkedja-instructions-") as tmpdir:
        tmp = Path(tmpdir)
        for i, ref in enumerate(args.ref):
            tree = tmp / f"ref{i}"
            add = ["git", "worktree", "add", "--detach", str(tree), ref]
            subprocess.run(add, cwd=ROOT, check=True, capture_output=True)
            try:
                rows.append((ref, count(tree, args.scenario, args.days, tmp)))
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
            print(f"{ref}: {rows[-1][1]:,}", file=sys.stderr)
        rows.append(("this tree", count(ROOT, args.scenario, args.days, tmp)))
    last = rows[-1][1]
    print(f"{args.scenario}, {args.days} days, seed 1: instructions in DischargeModel.run()")
    for label, n in rows:
        print(f"  {label:12s} {n / 1e9:8.3f} G   this tree / it: {last / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
