"""A synthetic national-size scenario for performance benchmarks (not a calibrated scenario).

Sweden-sized, generated deterministically from a seed: 290 kommuner grouped into 21 regions, about
10.5 million inhabitants, about 1,100 vårdcentraler, about 60 hospitals whose wards are sized from
the demand they receive, and about 500,000 admissions a year. Rules, patient mix, relationships,
SIP, durations and organisation defaults are taken from ``scenarios/nordost.toml``; only the
organisations are replaced, with kommun capacities scaled to their 65+ population like nordost's.

Region sizes are rough 2019 orders of magnitude (kommuner per region and population in thousands),
used only as weights; kommun populations, 65+ shares, positions, hospital catchments and wards are
drawn at random. Names are placeholders ("Kommun 001", "R01 sjukhus 1", "R01S1 avd 1").

    from benchmarks.national import national_scenario
    scenario = national_scenario(seed=1, days=365)
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from simulation.scenario import Scenario, resolve_scenario_dict, scenario_from_dict

__all__ = ["NORDOST", "national_dict", "national_scenario"]

NORDOST = Path(__file__).resolve().parent.parent / "scenarios" / "nordost.toml"

# (kommuner, population in thousands) per region, roughly Sweden 2019; used as weights only.
REGIONS: tuple[tuple[int, int], ...] = (
    (26, 2377),
    (8, 384),
    (9, 298),
    (13, 465),
    (13, 363),
    (8, 201),
    (12, 245),
    (1, 60),
    (5, 159),
    (33, 1377),
    (6, 333),
    (49, 1725),
    (16, 282),
    (12, 304),
    (10, 275),
    (15, 287),
    (10, 287),
    (7, 245),
    (8, 130),
    (15, 271),
    (14, 250),
)

TOTAL_POPULATION = 10_500_000
ADMISSIONS_PER_YEAR = 500_000
N_HOSPITALS = 60
INHABITANTS_PER_VARDCENTRAL = 9_500
MIN_KOMMUN_POPULATION = 2_500
SHARE_65PLUS = (0.171, 0.279)
# Kommun capacities per 1,000 inhabitants aged 65+ (as in scenarios/nordost.toml).
PER_1000_65PLUS = {
    "assessor_capacity": 0.3,
    "home_help_starts_per_day": 0.16,
    "short_term_places": 1.6,
    "care_home_places": 11.0,
    # nordost leaves place intakes at the schema default (3 a day) for 2,300-16,500 aged 65+;
    # scaled at its largest kommun's ratio (3 / 16,500) so big towns are not capped at 3 a day.
    "place_intakes_per_day": 0.18,
}
MIN_PER_DAY = {"assessor_capacity": 1, "home_help_starts_per_day": 1, "place_intakes_per_day": 3}
BEDS_PER_WARD = 25
MEAN_STAY_DAYS = 6.0
"""Mean days in a bed per admission, treatment plus waiting as utskrivningsklar (nordost: 6.0)."""
TARGET_OCCUPANCY = 0.87
"""Design occupancy from the expected flow (realised runs ~3-4 points higher: queues, turn-aways)."""


def _kommun_populations(rng: np.random.Generator, n: int, total: float) -> np.ndarray:
    """``n`` skewed kommun populations summing to about ``total`` (one dominant town per region)."""
    w = rng.lognormal(0.0, 1.0, n)
    w[np.argmax(w)] *= 1.0 + rng.uniform(0.5, 2.0)  # the region's main town
    pop = w / w.sum() * total
    for _ in range(5):  # lift tiny kommuner to the minimum, take it from the others
        low = pop < MIN_KOMMUN_POPULATION
        if not low.any() or low.all():
            break
        deficit = (MIN_KOMMUN_POPULATION - pop[low]).sum()
        pop[low] = MIN_KOMMUN_POPULATION
        pop[~low] -= deficit * pop[~low] / pop[~low].sum()
    return np.maximum(np.rint(pop), MIN_KOMMUN_POPULATION).astype(int)


def _largest_remainder(weights: np.ndarray, total: int, minimum: int) -> np.ndarray:
    """Integer allocation of ``total`` proportional to ``weights``, each at least ``minimum``."""
    n = len(weights)
    out = np.full(n, minimum, dtype=int)
    rest = total - out.sum()
    quota = weights / weights.sum() * rest
    out += np.floor(quota).astype(int)
    left = total - out.sum()
    order = np.argsort(-(quota - np.floor(quota)), kind="stable")
    out[order[:left]] += 1
    return out


def national_dict(seed: int = 1, days: int = 365) -> dict[str, Any]:
    """The national scenario as a plain, unvalidated dict (nordost sections, new organisations)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    base = resolve_scenario_dict(NORDOST)  # rules, patients, ... with nordost's defaults applied
    with NORDOST.open("rb") as fh:
        defaults = tomllib.load(fh).get("defaults", {})

    region_pop = np.array([p for _, p in REGIONS], dtype=float)
    region_pop *= TOTAL_POPULATION / region_pop.sum()
    hospitals_per_region = _largest_remainder(region_pop, N_HOSPITALS, 1)

    kommun: dict[str, dict[str, Any]] = {}
    vardcentral: dict[str, dict[str, Any]] = {}
    hospital: dict[str, dict[str, Any]] = {}
    ward: dict[str, dict[str, Any]] = {}
    forums: list[dict[str, Any]] = []
    # Provisional 65+ per kommun; the admission rate is set once the national 65+ total is known.
    regions: list[dict[str, Any]] = []
    k_no = 0
    for r, ((n_k, _), r_pop, n_h) in enumerate(
        zip(REGIONS, region_pop, hospitals_per_region, strict=True), start=1
    ):
        pops = _kommun_populations(rng, n_k, r_pop)
        names = [f"Kommun {k_no + j:03d}" for j in range(1, n_k + 1)]
        k_no += n_k
        pos = rng.random((n_k, 2))
        # Smaller kommuner are older: 65+ share falls with log population, plus noise.
        z = (np.log(pops) - math.log(15_000)) / 1.2
        share = np.clip(0.235 - 0.03 * z + rng.normal(0.0, 0.015, n_k), *SHARE_65PLUS)
        pop65 = np.rint(pops * share).astype(int)
        # Hospitals sit in the biggest towns: D'Hondt over population, at most 2 per kommun.
        seats = np.zeros(n_k, dtype=int)
        for _ in range(n_h):
            q = pops / (seats + 1.0)
            q[seats >= 2] = -1.0
            seats[int(np.argmax(q))] += 1
        h_names: list[str] = []
        h_pos: list[np.ndarray] = []
        h_host: list[int] = []
        for i in np.flatnonzero(seats):
            for _ in range(seats[i]):
                h_names.append(f"R{r:02d} sjukhus {len(h_names) + 1}")
                h_pos.append(pos[i] + rng.normal(0.0, 0.01, 2))
                h_host.append(int(i))
        hp = np.array(h_pos)
        shares: list[dict[str, float]] = []
        for i in range(n_k):
            own = [h for h, host in zip(h_names, h_host, strict=True) if host == i]
            if own:
                shares.append({h: round(1.0 / len(own), 4) for h in own})
                continue
            dist = np.hypot(*(hp - pos[i]).T)
            near = np.argsort(dist, kind="stable")
            if len(h_names) >= 2 and rng.random() < 0.35:
                second = round(float(rng.uniform(0.1, 0.3)), 3)
                shares.append({h_names[near[0]]: round(1.0 - second, 3), h_names[near[1]]: second})
            else:
                shares.append({h_names[near[0]]: 1.0})
        regions.append(
            {
                "r": r,
                "names": names,
                "pops": pops,
                "pop65": pop65,
                "pos": pos,
                "hospitals": h_names,
                "h_pos": hp,
                "shares": shares,
            }
        )

    total65 = int(sum(reg["pop65"].sum() for reg in regions))
    rate = round(ADMISSIONS_PER_YEAR * 1000.0 / total65, 3)

    for reg in regions:
        r = reg["r"]
        demand: dict[str, list[tuple[float, float, str]]] = {h: [] for h in reg["hospitals"]}
        for i, name in enumerate(reg["names"]):
            pop, p65 = int(reg["pops"][i]), int(reg["pop65"][i])
            k: dict[str, Any] = {
                "population": pop,
                "population_65plus": p65,
                "hospitals": reg["shares"][i],
            }
            for key, per1000 in PER_1000_65PLUS.items():
                k[key] = max(MIN_PER_DAY.get(key, 0), int(round(p65 * per1000 / 1000.0)))
            kommun[name] = k
            n_vc = max(1, int(round(pop / INHABITANTS_PER_VARDCENTRAL)))
            for j in range(1, n_vc + 1):
                vardcentral[f"{name} vc {j}"] = {
                    "kommun": name,
                    "listed_share": round(float(rng.uniform(0.5, 1.5)), 3),
                }
            adm = p65 * rate / 1000.0
            for h, s in reg["shares"][i].items():
                hpos = reg["h_pos"][reg["hospitals"].index(h)]
                angle = math.atan2(*(reg["pos"][i] - hpos)[::-1])
                demand[h].append((angle, adm * s / sum(reg["shares"][i].values()), name))
        for hi, h in enumerate(reg["hospitals"], start=1):
            hospital[h] = {"description": f"Synthetic acute hospital {hi} of region {r:02d}"}
            # Kommuner around the hospital by bearing; wards take consecutive slices of demand.
            cat = sorted(demand[h])
            need = sum(a for _, a, _ in cat) * MEAN_STAY_DAYS / 365.0 / TARGET_OCCUPANCY
            n_w = max(2, int(round(need / BEDS_PER_WARD)))
            beds = _largest_remainder(rng.uniform(0.85, 1.15, n_w), max(n_w, int(round(need))), 1)
            cum = np.cumsum([a for _, a, _ in cat])
            edges = np.concatenate([[0.0], cum])
            tot = cum[-1]
            w_names = []
            for wi in range(n_w):
                lo, hi_ = tot * wi / n_w, tot * (wi + 1) / n_w
                serves = [
                    cat[j][2] for j in range(len(cat)) if edges[j] < hi_ - 1e-9 and edges[j + 1] > lo + 1e-9
                ]
                w_name = f"R{r:02d}S{hi} avd {wi + 1}"
                w_names.append(w_name)
                ward[w_name] = {"hospital": h, "beds": int(beds[wi]), "serves": serves}
            if hi == 1:  # a local forum at the region's first hospital (like nordost's kluster)
                members = w_names[:2] + [n for n in ward[w_names[0]]["serves"][:3]]
                members = list(dict.fromkeys(members))
                if len(members) >= 2:
                    forums.append({"members": members, "every_days": 30, "boost": 0.05})

    data = {
        key: base[key]
        for key in (
            "start_date",
            "seed",
            "rules",
            "weekend_staffing",
            "patients",
            "relationships",
            "sip",
            "durations",
            "capacity",
        )
        if key in base
    }
    data["name"] = "national"
    data["description"] = (
        f"Synthetic national benchmark (seed {seed}): {len(kommun)} kommuner, "
        f"{len(vardcentral)} vårdcentraler, {len(hospital)} hospitals, {len(ward)} wards"
    )
    data["days"] = days
    data["warmup_days"] = min(int(base.get("warmup_days", 0)), days // 2)
    data["seed"] = seed
    data["patients"] = {**base["patients"], "admissions_per_1000_65plus": rate}
    data["relationships"] = {**base["relationships"], "forums": forums}
    data["defaults"] = defaults
    data["hospital"] = hospital
    data["ward"] = ward
    data["kommun"] = kommun
    data["vardcentral"] = vardcentral
    return data


def national_scenario(seed: int = 1, days: int = 365) -> Scenario:
    """The validated national benchmark scenario."""
    return scenario_from_dict(national_dict(seed, days), f"<national seed={seed}>")


def describe(data: dict[str, Any]) -> dict[str, Any]:
    """Headline sizes of a national dict (for checking it against the intended figures)."""
    pop = sum(k["population"] for k in data["kommun"].values())
    p65 = sum(k["population_65plus"] for k in data["kommun"].values())
    rate = data["patients"]["admissions_per_1000_65plus"]
    beds = sum(w["beds"] for w in data["ward"].values())
    adm = p65 * rate / 1000.0
    return {
        "kommuner": len(data["kommun"]),
        "population": pop,
        "population_65plus": p65,
        "share_65plus": round(p65 / pop, 4),
        "vardcentraler": len(data["vardcentral"]),
        "hospitals": len(data["hospital"]),
        "wards": len(data["ward"]),
        "beds": beds,
        "admissions_per_1000_65plus": rate,
        "expected_admissions": round(adm),
        "expected_occupancy": round(adm * MEAN_STAY_DAYS / 365.0 / beds, 3),
        "max_wards_per_hospital": max(
            sum(1 for w in data["ward"].values() if w["hospital"] == h) for h in data["hospital"]
        ),
        "max_kommuner_per_ward": max(len(w["serves"]) for w in data["ward"].values()),
    }


if __name__ == "__main__":
    import json

    d = national_dict()
    print(json.dumps(describe(d), indent=2))
    national_scenario()
    print("valid")
