"""The calibration document's figure: utskrivningsklara bed-days against relationship strength."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def dose_response_figure(
    dose: list[tuple[float, list[dict[str, Any]]]], path: Path, lang: str = "en"
) -> None:
    """Mean ready bed-days with the 95 % confidence interval of the mean, per initial strength (labelled
    in ``lang``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from runner.experiment import interval
    from vardkedja_cli.i18n import t

    xs, mean, low, high = [], [], [], []
    for strength, runs in dose:
        iv = interval(r["ready_bed_days"] for r in runs)
        xs.append(strength)
        mean.append(iv["mean"])
        low.append(iv["ci_low"])
        high.append(iv["ci_high"])
    n = len(dose[0][1]) if dose else 0
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    if n >= 2:  # one replication has no interval: no band of width 0
        ax.fill_between(xs, low, high, alpha=0.25, label=t(lang, "cal.fig.band", n=n))
    ax.plot(xs, mean, marker="o", label=t(lang, "cal.fig.mean" if n >= 2 else "cal.fig.one"))
    ax.set_xlabel(t(lang, "cal.fig.x"), fontsize=10)
    ax.set_ylabel(t(lang, "cal.fig.y"), fontsize=10)
    ax.set_title(t(lang, "cal.fig.title"), fontsize=11)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)
