"""Regenerate the golden files: `uv run python tests/regression/regenerate.py` (then review the diff)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from simulation import DischargeModel, load_scenario, summarise  # noqa: E402
from simulation.metrics import episode_table  # noqa: E402

CASES = {
    "nordost_90d_seed5": ("scenarios/nordost.toml", 90, 10, 5),
    "pandemic_90d_seed5": ("scenarios/pandemic-spring-2020.toml", 90, 10, 5),
}


def golden(name: str) -> tuple[dict, str]:
    path, days, warmup, seed = CASES[name]
    scenario = load_scenario(HERE.parents[1] / path, days=days, warmup_days=warmup)
    model = DischargeModel(scenario, seed=seed).run()
    summary = summarise(model)
    summary.pop("version")
    episodes = episode_table(model).head(200).to_csv(index=False)
    return summary, episodes


def main() -> None:
    out = HERE / "golden"
    out.mkdir(exist_ok=True)
    for name in CASES:
        summary, episodes = golden(name)
        (out / f"{name}.summary.json").write_text(
            json.dumps(summary, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        )
        (out / f"{name}.episodes.csv").write_text(episodes)
        print("wrote", name)


if __name__ == "__main__":
    main()
