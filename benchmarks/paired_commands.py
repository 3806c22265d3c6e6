"""Paired before/after timings of whole ``vardkedja`` commands: this tree against another revision.

    uv run python benchmarks/paired_commands.py --ref bb1f2e3 --rounds 5

On a shared machine absolute timings drift with the load; alternating the two trees (fresh processes,
which tree goes first alternating too) lets the load hit both alike. The other revision is checked
out as a temporary git worktree; both run with this interpreter (``python -m vardkedja_cli.main`` in
their own tree, results into a temporary folder). Reported per command: median and best wall time
of each tree, the ratio of the medians new / old, and the median CPU time (user + system, workers
included: what a command costs whatever else runs).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "validate": ["validate", "scenarios/nordost.toml"],
    "run": ["run", "scenarios/nordost.toml", "--out", "{out}"],
    "run --no-plots": ["run", "scenarios/nordost.toml", "--no-plots", "--out", "{out}"],
    "run -n 5 --no-plots": ["run", "scenarios/nordost.toml", "-n", "5", "--no-plots", "--out", "{out}"],
    "run -n 8 -j 1 --no-plots": [
        "run",
        "scenarios/nordost.toml",
        "-n",
        "8",
        "-j",
        "1",
        "--no-plots",
        "--out",
        "{out}",
    ],
    "run -n 8 -j 2 --no-plots": [
        "run",
        "scenarios/nordost.toml",
        "-n",
        "8",
        "-j",
        "2",
        "--no-plots",
        "--out",
        "{out}",
    ],
}


def _once(tree: Path, argv: list[str], tmp: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the command and its worker processes)."""
    out = Path(tempfile.mkdtemp(dir=tmp)) / "out"
    args = [a.replace("{out}", str(out)) for a in argv]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "vardkedja_cli.main", *args], cwd=tree, capture_output=True, text=True
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: vardkedja {' '.join(args)} failed:\n{proc.stderr}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", required=True, help="the revision to compare against")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", choices=sorted(COMMANDS), action="append", help="these commands only")
    args = ap.parse_args(argv)
    names = args.only or list(COMMANDS)
    times: dict[str, dict[str, list[tuple[float, float]]]] = {n: {"old": [], "new": []} for n in names}
    with tempfile.TemporaryDirectory(prefix="vardkedja-paired-cmd-") as tmpdir:
        tmp = Path(tmpdir)
        old = tmp / "old"
        add = ["git", "worktree", "add", "--detach", str(old), args.ref]
        subprocess.run(add, cwd=ROOT, check=True, capture_output=True)
        try:
            for r in range(args.rounds):
                for n in names:
                    order = (("old", old), ("new", ROOT)) if r % 2 == 0 else (("new", ROOT), ("old", old))
                    for label, tree in order:
                        times[n][label].append(_once(tree, COMMANDS[n], tmp))
                print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load now {load}; {args.rounds} alternating rounds; ref {args.ref}")
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')}\n")
    print("| command | wall, old median (best) | wall, new median (best) | new/old | CPU, old → new median |")
    print("|---|---|---|---|---|")
    for n in names:
        o, w = [t[0] for t in times[n]["old"]], [t[0] for t in times[n]["new"]]
        co, cw = [t[1] for t in times[n]["old"]], [t[1] for t in times[n]["new"]]
        mo, mw = statistics.median(o), statistics.median(w)
        print(
            f"| `vardkedja {n}` | {mo:.2f} s ({min(o):.2f}) | {mw:.2f} s ({min(w):.2f}) | {mw / mo:.2f} "
            f"| {statistics.median(co):.2f} → {statistics.median(cw):.2f} s |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
