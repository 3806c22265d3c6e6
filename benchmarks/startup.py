"""Whole-process timings of the ``vardkedja`` command (start-up, a run, replication overhead, -j scaling).

Each command runs in a fresh process, ``--repeat`` times (hyperfine-like: best and median), from the
repository root, with results written to a temporary folder. Prints a Markdown table for the README.

    uv run python benchmarks/startup.py --repeat 5

Targets (issue 8): ``--help`` and ``validate`` within 0.3 s of a bare ``python -c pass``; a whole
``vardkedja run scenarios/nordost.toml`` under 2.5 s; an extra replication costs at most 10 % more than
its simulation (``run_one``: the model and its tables, timed in-process; the replications of ``-n 1``,
``-n 5`` and ``-n 9`` are run with ``-j 1``, in the command's own process); ``-n 8 -j 2`` at least 1.7x
faster than ``-j 1`` (without figures, the replications' scaling, and with them, the command as it is
usually run: ``-j 2`` also shares the figures out). ``run`` without ``-j`` uses every core: its one
replication runs in-process and its five figures are shared by two processes; the same run with ``-j 1``
is shown beside it.

The extra replication is measured as the issue words it, one more replication: ``(run -n 9 - run -n 5) /
4``; that difference of two timings is as noisy here as the margin it should resolve, so the verdict is
left to the instruction count (``benchmarks/instructions.py --replication-overhead``). ``(run -n 5 - run
-n 1) / 4`` is shown too; it also spreads over four replications what a run of several pays once (the
interval's ``scipy.special``, about 0.35 s here, the progress bar). The two ``-j`` commands alternate
(``-j 1``, ``-j 2``, ``-j 1``, ...), and the speed-up is the median of the pairs' ratios, so that a
drift in the machine's speed favours neither. Before and after the pairs the machine's own two-process
ceiling is measured (``benchmarks/sweep.py``'s pure-Python loop alone, then in two processes at once):
on this 2-vCPU VM it has ranged from about 1.3x to 2.2x within an hour, and no ``-j 2`` can beat it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the repository's `benchmarks` package
from benchmarks.sweep import _two_core_ceiling  # noqa: E402

NORDOST = ROOT / "scenarios" / "nordost.toml"
HEAVY = ("pandas", "matplotlib", "scipy", "mesa", "pyarrow")


def _exe() -> str:
    return shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"


def timed(cmd: list[str], repeat: int) -> tuple[float, float, float]:
    """Best and median wall time, and best CPU time (user + sys, the process and all its workers), of
    ``cmd`` over ``repeat`` runs (``{out}`` replaced by a new folder each time).

    CPU time is what the command costs whatever else the machine is doing; wall time is what a user
    waits and the only measure of parallel speed-up, but on a shared machine it grows with the load."""
    times, cpus = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            args = [a.replace("{out}", str(Path(tmp) / "out")) for a in cmd]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    return min(times), statistics.median(times), min(cpus)


def alternating(a: list[str], b: list[str], repeat: int) -> tuple[list[float], list[float], float, float]:
    """Wall times of ``a`` and ``b`` run in turns (a, b, a, b, ...), and the best CPU time of each."""
    wa, wb, ca, cb = [], [], [], []
    for _ in range(repeat):
        best, _, cpu = timed(a, 1)
        wa.append(best)
        ca.append(cpu)
        best, _, cpu = timed(b, 1)
        wb.append(best)
        cb.append(cpu)
    return wa, wb, min(ca), min(cb)


def heavy_imports(argv: list[str]) -> list[str]:
    """Heavy top-level packages imported by ``vardkedja <argv>`` (run in a fresh process)."""
    code = (
        "import sys; from vardkedja_cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True)
    return proc.stderr.strip().splitlines()[-1].split() if proc.stderr.strip() else []


def simulation_time(days: int, repeat: int) -> tuple[float, float]:
    """Best in-process wall and CPU time of ``run_one`` (model + tables) for nordost: what one
    replication must cost."""
    code = (
        "import time\n"
        "from simulation import load_scenario\nfrom runner.single import run_one\n"
        f"sc = load_scenario({str(NORDOST)!r}, days={days})\n"
        "run_one(sc, 1, 0)\n"  # warm caches
        "walls, cpus = [], []\n"
        f"for i in range({repeat}):\n"
        "    w, c = time.perf_counter(), time.process_time()\n"
        "    run_one(sc, 2 + i, i)\n"
        "    walls.append(time.perf_counter() - w); cpus.append(time.process_time() - c)\n"
        "print(min(walls), min(cpus))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    r = args.repeat
    vk = _exe()
    env_note = "PYTHONDONTWRITEBYTECODE=" + os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    rows: list[tuple[str, ...]] = []

    bare, bare_med, bare_cpu = timed([sys.executable, "-c", "pass"], r)
    rows.append(("`python -c pass`", f"{bare:.3f} s", f"{bare_med:.3f} s", f"{bare_cpu:.3f} s", "baseline"))
    for label, cmd in [
        ("`vardkedja --help`", [vk, "--help"]),
        ("`vardkedja --version`", [vk, "--version"]),
        ("`vardkedja validate scenarios/nordost.toml`", [vk, "validate", str(NORDOST)]),
    ]:
        best, med, cpu = timed(cmd, r)
        verdict = "met" if best - bare <= 0.3 else "NOT met"
        rows.append(
            (
                label,
                f"{best:.3f} s",
                f"{med:.3f} s",
                f"{cpu:.3f} s",
                f"≤ python + 0.3 s: {verdict} (+{best - bare:.2f} s)",
            )
        )

    for label, extra in [
        ("`vardkedja run scenarios/nordost.toml` (every core: figures drawn by two processes)", []),
        ("… `-j 1` (figures drawn one after the other)", ["-j", "1"]),
        ("… `--no-plots`", ["--no-plots"]),
    ]:
        best, med, cpu = timed([vk, "run", str(NORDOST), "--out", "{out}", *extra], r)
        verdict = "met" if best < 2.5 else "NOT met"
        rows.append((label, f"{best:.2f} s", f"{med:.2f} s", f"{cpu:.2f} s", f"< 2.5 s: {verdict}"))

    sim, sim_cpu = simulation_time(365, r)
    serial = [vk, "run", str(NORDOST), "--no-plots", "-j", "1", "--out", "{out}"]
    one, _, one_cpu = timed(serial, r)
    five, _, five_cpu = timed([*serial, "-n", "5"], r)
    nine, _, nine_cpu = timed([*serial, "-n", "9"], r)
    rows.append(
        ("one replication's simulation (`run_one` in-process)", f"{sim:.2f} s", "", f"{sim_cpu:.2f} s", "")
    )
    first, first_cpu = (five - one) / 4, (five_cpu - one_cpu) / 4
    rows.append(
        ("extra replication, `run -n 1` → `-n 5` (with the one-time costs)", f"{first:.2f} s", "",
         f"{first_cpu:.2f} s", f"{first_cpu / sim_cpu:.2f} × simulation (CPU)")
    )  # fmt: skip
    extra, extra_cpu = (nine - five) / 4, (nine_cpu - five_cpu) / 4
    # A difference of two whole-process times, each a best of a few, moves by more than the 10 % it is
    # meant to resolve on this machine: the verdict is the instruction count's (see the docstring).
    rows.append(
        ("extra replication, `run -n 5` → `-n 9`", f"{extra:.2f} s", "", f"{extra_cpu:.2f} s",
         f"{extra_cpu / sim_cpu:.2f} × simulation (CPU; wall {extra / sim:.2f} ×); target ≤ 1.1 ×: judged "
         "by `benchmarks/instructions.py --replication-overhead`, which noise cannot move")
    )  # fmt: skip

    # What two processes can gain at best on this machine just now (a pure-Python loop alone, then two
    # at once): on this VM it has ranged from about 1.3x to 2.2x within an hour, and the -j pair below
    # cannot beat it.
    ceilings = [_two_core_ceiling(rounds=5)]
    for what, extra in [("`--no-plots`", ["--no-plots"]), ("with its figures", [])]:
        cmd = [vk, "run", str(NORDOST), "-n", "8", "--out", "{out}", *extra]
        w1, w2, j1_cpu, j2_cpu = alternating([*cmd, "-j", "1"], [*cmd, "-j", "2"], r)
        ratio = statistics.median(a / b for a, b in zip(w1, w2, strict=True))
        verdict = "met" if ratio >= 1.7 else "NOT met"
        rows.append(
            (f"`run -n 8 -j 1`, {what}", f"{min(w1):.2f} s", f"{statistics.median(w1):.2f} s",
             f"{j1_cpu:.2f} s", "")
        )  # fmt: skip
        rows.append(
            (
                f"`run -n 8 -j 2`, {what}",
                f"{min(w2):.2f} s",
                f"{statistics.median(w2):.2f} s",
                f"{j2_cpu:.2f} s",
                f"≥ 1.7× faster (wall, median of {r} alternating pairs): {verdict} ({ratio:.2f}×; "
                + ", ".join(f"{a / b:.2f}" for a, b in zip(w1, w2, strict=True))
                + ")",
            )
        )

    ceilings.append(_two_core_ceiling(rounds=5))
    rows.append(
        ("two processes at best (a pure-Python loop alone, then two at once), before / after the pairs",
         f"{ceilings[0]:.2f}× / {ceilings[1]:.2f}×", "", "", "the machine's ceiling for the `-j 2` pairs")
    )  # fmt: skip

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load}; best of {r} (fresh process each), {env_note}\n")
    print("| command | wall, best | wall, median | CPU, best | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for argv in (["--help"], ["--version"], ["validate", str(NORDOST)]):
        print(
            f"heavy imports of `vardkedja {' '.join(argv[:1])}`: {', '.join(heavy_imports(argv)) or 'none'}"
        )


if __name__ == "__main__":
    main()
