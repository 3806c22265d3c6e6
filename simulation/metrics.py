"""What one run measured: the summary contract and the output tables.

The summary (:func:`summarise`) is a stable contract that users' scripts rely on; its keys are
documented in ``docs/OUTPUTS.md``. Only days from ``warmup_days`` on count: daily figures are summed over
``[warmup, days)``, episodes count when their discharge falls in that window, gap events when they happen
in it.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulation.chain import NEVER, READMISSION_WINDOW_DAYS, Support
from simulation.contract import SUMMARY_KEYS, package_version
from simulation.gaps import GapKind

if TYPE_CHECKING:
    from simulation.model import DischargeModel

__all__ = [
    "SUMMARY_KEYS",
    "daily_table",
    "episode_table",
    "gap_table",
    "kommun_daily_table",
    "package_version",
    "relationship_table",
    "summarise",
    "ward_daily_table",
]


_EPISODE_DAY_COLUMNS = (
    "admitted",
    "notice_sent",
    "kommun_informed",
    "vc_informed",
    "care_contact",
    "planning_started",
    "planned",
    "ready",
    "ready_notice",
    "sip_called",
    "discharged",
    "sip_outcome",
    "sip_held",
    "follow_up",
    "readmitted",
)


def _share(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def summarise(model: DischargeModel) -> dict[str, Any]:
    """Return the summary of a finished run (JSON-able)."""
    sc = model.params
    w0, h = model.warmup, model.horizon
    eps = [ep for ep in model.episodes if w0 <= ep.discharged < h]
    lus = [ep for ep in eps if ep.lus]
    waits = np.array([ep.discharged - ep.ready for ep in lus], dtype=float)
    off = model.calendar.off_day
    ready_daily = model.ward_ready[w0:h]
    occupied_daily = model.ward_occupied[w0:h]
    ready_bed_days = int(ready_daily.sum())
    occupied_bed_days = int(occupied_daily.sum())
    kommun_ready = model.kommun_ready[w0:h].sum(axis=0)
    by_kommun = {k.name: int(kommun_ready[k.index]) for k in model.kommuner}
    per_year = 365.0 / (h - w0)  # per-1,000 figures are annualised
    per_1000 = {
        k.name: (by_kommun[k.name] * 1000.0 * per_year / k.spec.population_65plus)
        if k.spec.population_65plus
        else None
        for k in model.kommuner
    }
    pop65 = sum(k.spec.population_65plus for k in model.kommuner)
    gaps = [g for g in model.gaps.events if w0 <= g.day < h]
    gap_counts = Counter(g.kind for g in gaps)
    gap_events = {kind.value: int(gap_counts.get(kind, 0)) for kind in GapKind}
    edges = Counter((g.org_a, g.org_b) for g in gaps)
    discharges = len(eps)
    eligible = [ep for ep in eps if ep.sip_eligible and ep.sip_outcome != NEVER]
    held = sum(1 for ep in eligible if ep.sip_held != NEVER)
    window_end = h - READMISSION_WINDOW_DAYS  # the window must fit inside the run
    readmit_base = [ep for ep in eps if ep.discharged < window_end]
    readmitted = sum(1 for ep in readmit_base if ep.readmitted != NEVER)
    payment_days = int(model.kommun_payment_days[w0:h].sum())
    price = sc.rules.payment_price_sek
    payment_by_kommun = model.kommun_payment_days[w0:h].sum(axis=0)
    admissions = int(model.ward_admissions[w0:h].sum())
    ready_days_positive = waits[waits >= 1]
    per_org = _per_organisation(model, eps, lus, gaps, price)
    return {
        "scenario": sc.name,
        "seed": model.seed,
        "version": package_version(),
        "start_date": sc.start_date.isoformat(),
        "days": h,
        "warmup_days": w0,
        "ready_bed_days": ready_bed_days,
        "ready_bed_days_by_kommun": by_kommun,
        "ready_bed_days_by_ward": {w.name: int(ready_daily[:, w.index].sum()) for w in model.wards},
        "ready_bed_days_per_1000_65plus": (ready_bed_days * 1000.0 * per_year / pop65 if pop65 else None),
        "ready_bed_days_per_1000_65plus_by_kommun": per_1000,
        "occupied_bed_days": occupied_bed_days,
        "ready_bed_share": _share(ready_bed_days, occupied_bed_days),
        "lus_discharges": len(lus),
        "mean_ready_days": float(waits.mean()) if len(waits) else None,
        "mean_ready_days_indicator": (
            float(ready_days_positive.mean()) if len(ready_days_positive) else None
        ),
        "same_day_discharge_share": _share(int((waits == 0).sum()), len(waits)),
        "weekend_discharge_share": _share(sum(1 for ep in eps if off[ep.discharged]), discharges),
        "weekend_lus_discharge_share": _share(sum(1 for ep in lus if off[ep.discharged]), len(lus)),
        "payment_days": payment_days,
        "payment_sek": payment_days * price,
        "payment_sek_by_kommun": {k.name: float(payment_by_kommun[k.index] * price) for k in model.kommuner},
        "gap_events": gap_events,
        "gap_events_total": len(gaps),
        "gap_events_by_edge": [
            {"org_a": a, "org_b": b, "events": int(n)} for (a, b), n in sorted(edges.items())
        ],
        "gaps_per_100_discharges": _share(100.0 * len(gaps), discharges),
        "gaps_per_100_discharges_by_kind": {
            kind: (100.0 * n / discharges if discharges else None) for kind, n in gap_events.items()
        },
        "sip_eligible_discharges": sum(1 for ep in eps if ep.sip_eligible),
        "sip_rate": _share(held, len(eligible)),
        "readmission_30d_rate": _share(readmitted, len(readmit_base)),
        "admissions": admissions,
        "discharges": discharges,
        "forced_discharges": sum(1 for ep in eps if ep.forced),
        "turned_away": int(model.turned_away_total),
        "misplaced_admissions": sum(1 for ep in model.episodes if ep.misplaced and w0 <= ep.admitted < h),
        "mean_relationship_strength_end": model.network.mean_strength(),
        **per_org,
    }


def _per_organisation(
    model: DischargeModel, eps: list[Any], lus: list[Any], gaps: list[Any], price: float
) -> dict[str, Any]:
    """The window's indicator, gap events and payment per kommun and per hospital (``by_kommun.csv``).

    Computed here, where the run's episodes are at hand, rather than from its tables afterwards: a run
    of several replications then combines them from the summaries alone. An episode belongs to its
    patient's home kommun and to the hospital of its ward; a gap event to its episode's.
    """
    kommuner = [k.name for k in model.kommuner]
    hospitals = sorted(model.params.hospital)
    groups = {"kommun": kommuner, "hospital": hospitals}

    def of(ep: Any) -> dict[str, str]:
        return {"kommun": ep.patient.kommun.name, "hospital": ep.ward.hospital}

    kinds = [kind.value for kind in GapKind]
    counts = {g: {name: dict.fromkeys(kinds, 0) for name in names} for g, names in groups.items()}
    episode = {ep.episode_id: ep for ep in model.episodes}
    for event in gaps:
        for g, name in of(episode[event.episode_id]).items():
            counts[g][name][event.kind.value] += 1
    waits: dict[str, dict[str, list[int]]] = {g: {n: [] for n in names} for g, names in groups.items()}
    for ep in lus:
        if ep.discharged - ep.ready >= 1:  # the official indicator: at least one day utskrivningsklar
            for g, name in of(ep).items():
                waits[g][name].append(ep.discharged - ep.ready)
    payment = dict.fromkeys(hospitals, 0)
    for ep in eps:
        payment[ep.ward.hospital] += ep.payment_days
    out: dict[str, Any] = {}
    for g in groups:
        out[f"mean_ready_days_indicator_by_{g}"] = {
            name: (sum(w) / len(w) if w else None) for name, w in waits[g].items()
        }
        out[f"gap_events_by_{g}"] = counts[g]
    out["payment_sek_by_hospital"] = {name: float(days * price) for name, days in payment.items()}
    return out


def episode_table(model: DischargeModel) -> pd.DataFrame:
    """One row per hospital episode with the day of every LUS step (missing when it did not happen)."""
    episodes = model.episodes
    n = len(episodes)

    def column(path: str, dtype: type) -> np.ndarray:
        # One C-level attribute fetch per episode into an array of a known type: pandas then has
        # nothing to infer (inferring the type of 34 lists of 20,000 Python objects was half the time).
        return np.fromiter(map(attrgetter(path), episodes), dtype=dtype, count=n)

    def strings(path: str) -> list[Any]:
        return list(map(attrgetter(path), episodes))

    def days(path: str, missing: Any) -> pd.arrays.IntegerArray:
        values = column(path, np.int64)
        return pd.arrays.IntegerArray(values, missing(values))

    def never(v: np.ndarray) -> np.ndarray:
        return v == NEVER

    support_names = [s.name.lower() for s in Support]  # by value: NONE = 0 ... CARE_HOME = 3
    data: dict[str, Any] = {
        "episode_id": column("episode_id", np.int64),
        "patient_id": column("patient_id", np.int64),
        "kommun": strings("patient.kommun.name"),
        "vardcentral": strings("patient.vardcentral.name"),
        "hospital": strings("ward.hospital"),
        "ward": strings("ward.name"),
        "misplaced": column("misplaced", np.bool_),
        "readmission_of": days("readmission_of", lambda v: v < 0),
        "support": [support_names[int(s)] for s in map(attrgetter("patient.support"), episodes)],
        "home_health_care": column("home_health_care", np.bool_),
        "sip_eligible": column("sip_eligible", np.bool_),
        "forced": column("forced", np.bool_),
        "vardcentral_silent": column("vc_silent", np.bool_),
        "payment_days": column("payment_days", np.int64),
        "gaps": column("gaps", np.int64),
        **{c: days(c, never) for c in _EPISODE_DAY_COLUMNS},
    }
    df = pd.DataFrame(data).astype(
        dict.fromkeys(("kommun", "vardcentral", "hospital", "ward", "support"), "str")
    )
    df["ready_days"] = df["discharged"] - df["ready"]
    return df


# Every table has the same column types in every run, also when it has no rows (a run without gaps):
# a run's tables are stored one Parquet file per replication (runner.experiment), read back as one
# dataset, and a column typed "null" in one file cannot be read beside its typed twin in another.
_GAP_DTYPES = {
    "day": "int64",
    "episode_id": "int64",
    "patient_id": "int64",
    "kind": "str",
    "org_a": "str",
    "org_b": "str",
}
_RELATIONSHIP_DTYPES = {
    "org_a": "str",
    "kind_a": "str",
    "org_b": "str",
    "kind_b": "str",
    "strength_start": "float64",
    "strength_end": "float64",
    "fixed": "bool",
    "routine": "bool",
}


def gap_table(model: DischargeModel) -> pd.DataFrame:
    """The gap-event log: day, date, episode, patient, kind and the organisations on both sides."""
    df = pd.DataFrame.from_records(
        [(g.day, g.episode_id, g.patient_id, g.kind.value, g.org_a, g.org_b) for g in model.gaps.events],
        columns=list(_GAP_DTYPES),
    ).astype(_GAP_DTYPES)
    df.insert(1, "date", pd.array([model.calendar.date(d).isoformat() for d in df["day"]], dtype="str"))
    return df


def daily_table(model: DischargeModel) -> pd.DataFrame:
    """Model-level daily series collected by Mesa's DataCollector."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def ward_daily_table(model: DischargeModel) -> pd.DataFrame:
    """Per ward and day: beds occupied, utskrivningsklara patients, admissions, discharges."""
    days = model.steps if model.steps <= model.horizon else model.horizon
    n_w = len(model.wards)
    return pd.DataFrame(
        {
            "day": np.repeat(np.arange(days), n_w),
            "ward": [w.name for w in model.wards] * days,
            "hospital": [w.hospital for w in model.wards] * days,
            "beds": [w.beds for w in model.wards] * days,
            "occupied": model.ward_occupied[:days].ravel(),
            "ready_in_beds": model.ward_ready[:days].ravel(),
            "admissions": model.ward_admissions[:days].ravel(),
            "discharges": model.ward_discharges[:days].ravel(),
        }
    )


def kommun_daily_table(model: DischargeModel) -> pd.DataFrame:
    """Per kommun and day: residents utskrivningsklara in beds, admissions, payment days."""
    days = model.steps if model.steps <= model.horizon else model.horizon
    n_k = len(model.kommuner)
    return pd.DataFrame(
        {
            "day": np.repeat(np.arange(days), n_k),
            "kommun": [k.name for k in model.kommuner] * days,
            "ready_in_beds": model.kommun_ready[:days].ravel(),
            "admissions": model.kommun_admissions[:days].ravel(),
            "payment_days": model.kommun_payment_days[:days].ravel(),
        }
    )


def relationship_table(model: DischargeModel) -> pd.DataFrame:
    """Every relationship edge: the two organisations, their kinds, strength at start and now."""
    net = model.network
    rows = []
    for a, b, data in net.edges():
        start = model.initial_strengths.get((a, b), model.initial_strengths.get((b, a)))
        rows.append(
            (
                a,
                net.kind(a),
                b,
                net.kind(b),
                start,
                data["strength"],
                bool(data["fixed"]),
                bool(data["routine"]),
            )
        )
    return pd.DataFrame.from_records(rows, columns=list(_RELATIONSHIP_DTYPES)).astype(_RELATIONSHIP_DTYPES)
