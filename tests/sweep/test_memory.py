"""The main process's memory does not grow with the number of runs (rows live on disk, not in memory)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from sweep_helpers import BASE

from runner.design import load_sweep
from runner.sweep import run_sweep


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_main_process_memory_is_flat(tmp_path):
    n_levels = 60
    levels = ", ".join(f"{0.5 + i / n_levels:.4f}" for i in range(n_levels))
    path = tmp_path / "many.toml"
    path.write_text(
        f'name = "many"\nbase = "{BASE.as_posix()}"\nseed = 1\nreplications = 2\ndays = 2\nwarmup_days = 0\n'
        f'metrics = ["ready_bed_days"]\n[design]\nkind = "grid"\n'
        f'[[parameter]]\nkey = "patients.admissions_per_1000_65plus"\nlevels = [{levels}]\n',
        encoding="utf-8",
    )
    samples: dict[int, float] = {}
    count = 0

    def start(total, done):
        def tick(n):
            nonlocal count
            count += n
            if count in (30, 120):
                samples[count] = (_rss_mb(), tracemalloc.get_traced_memory()[0] / 1024)

        return tick

    tracemalloc.start()
    try:
        result = run_sweep(load_sweep(path), tmp_path / "out", jobs=2, progress_start=start)
    finally:
        tracemalloc.stop()
    assert result.ran == 120
    rss = samples[120][0] - samples[30][0]
    py = samples[120][1] - samples[30][1]
    print(f"run 30 -> 120: RSS {rss:+.2f} MB, Python heap {py:+.1f} KB")
    # Keeping a summary per run (several KB each) would add hundreds of KB over 90 runs.
    assert py < 90, f"Python heap of the main process grew {py:.1f} KB over 90 runs"
    assert rss < 5.0, f"main process RSS grew {rss:.1f} MB over 90 runs"
