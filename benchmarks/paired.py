"""Paired before/after benchmark: this tree against another revision, alternating, fresh processes.

    uv run python benchmarks/paired.py --ref c977625 --rounds 5            # nordost and national
    uv run python benchmarks/paired.py --ref main~3 --scenario nordost

The other revision is checked out as a temporary git worktree; both trees run their own
``benchmarks/bench.py`` (one measurement per round, pinned to one core) with this interpreter,
alternating which goes first, so that a change in machine load hits both alike. Reported per
scenario: the median build and run times and peak memory of each tree and the ratio new / old.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _one(tree: Path, scenario: str, out: Path) -> dict:
    cmd = [sys.executable, str(tree / "benchmarks" / "bench.py"), "--scenario", scenario, "--repeat", "1"]
    cmd += ["--pin", "--json", str(out)]
    subprocess.run(cmd, cwd=tree, check=False, capture_output=True)  # exit 1 = a target missed
    data = json.loads(out.read_text())
    rows = data if isinstance(data, list) else data.get("results", data.get("rows", [data]))
    return next(r for r in rows if r.get("scenario") == scenario)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", required=True, help="the revision to compare against")
    ap.add_argument("--scenario", choices=("nordost", "national", "both"), default="both")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    scenarios = ("nordost", "national") if args.scenario == "both" else (args.scenario,)
    with tempfile.TemporaryDirectory(prefix="vardkedja-paired-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), args.ref],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            results: dict[str, dict[str, list[dict]]] = {s: {"old": [], "new": []} for s in scenarios}
            for r in range(args.rounds):
                for s in scenarios:
                    order = (("old", old), ("new", ROOT)) if r % 2 == 0 else (("new", ROOT), ("old", old))
                    for label, tree in order:
                        results[s][label].append(_one(tree, s, Path(tmp) / f"{label}.json"))
                print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    print(f"{'scenario':10s} {'metric':14s} {'old':>10s} {'new':>10s} {'new/old':>8s}")
    for s in scenarios:
        for key in ("build_s", "run_s", "peak_rss_mb"):
            a = statistics.median(x[key] for x in results[s]["old"])
            b = statistics.median(x[key] for x in results[s]["new"])
            print(f"{s:10s} {key:14s} {a:10.3f} {b:10.3f} {b / a:8.3f}")
        a = statistics.median(x["build_s"] + x["run_s"] for x in results[s]["old"])
        b = statistics.median(x["build_s"] + x["run_s"] for x in results[s]["new"])
        print(f"{s:10s} {'model (b+r)':14s} {a:10.3f} {b:10.3f} {b / a:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
