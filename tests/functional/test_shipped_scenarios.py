"""Every shipped scenario validates and runs a short horizon; the library's questions point the
right way; the calibrated baseline lands in its target ranges and the pandemic moves the right way (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import DischargeModel, load_scenario, summarise

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


def test_library_is_complete():
    names = {p.stem for p in SCENARIOS}
    assert {
        "nordost",
        "nordost-2019",
        "pandemic-spring-2020",
        "weekend-assessors-only",
        "weekend-everyone",
        "weekend-nobody",
        "sip-campaign",
        "relationships-forums",
        "relationships-turnover",
        "norrtalje-integrated",
        "home-help-double",
    } <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_runs_short_horizon(path):
    scenario = load_scenario(path, days=40, warmup_days=5)
    assert scenario.name == path.stem
    s = summarise(DischargeModel(scenario, seed=3).run())
    assert s["admissions"] > 500 and s["discharges"] > 400
    assert 0.0 <= s["ready_bed_share"] < 0.5


def test_every_shipped_value_has_a_source_or_says_assumption():
    """Each key = value line in a shipped scenario carries a comment naming a source or 'assumption',
    or sits under a commented table header / organisation block that does."""
    for path in SCENARIOS:
        header_comment = ""
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                header_comment = line.split("#", 1)[1] if "#" in line else ""
                continue
            if line.startswith(
                (
                    "extends",
                    "name",
                    "description",
                    "enable_",
                    "members",
                    "every_days",
                    "boost",
                    "hospital =",
                    "serves",
                    "beds",
                    "kommun =",
                )
            ):
                continue
            comment = line.split("#", 1)[1] if "#" in line else header_comment
            assert comment.strip(), f"{path.name}: no source for {line!r}"


def _mean(path: str, key: str, seeds=(1, 2), days=240) -> float:
    vals = []
    for seed in seeds:
        sc = load_scenario(ROOT / "scenarios" / path, days=days, warmup_days=30)
        vals.append(summarise(DischargeModel(sc, seed=seed).run())[key])
    return sum(vals) / len(vals)


def test_sip_campaign_means_more_sips_held():
    assert _mean("sip-campaign.toml", "sip_rate") > _mean("nordost-2019.toml", "sip_rate") + 0.1


def test_weekend_everyone_moves_lus_discharges_to_weekends():
    base = _mean("nordost-2019.toml", "weekend_lus_discharge_share")
    everyone = _mean("weekend-everyone.toml", "weekend_lus_discharge_share")
    assert base < 0.05 < everyone


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "key", "low", "high"),
    [
        ("nordost-2019.toml", "ready_bed_share", 0.048, 0.068),
        ("nordost-2019.toml", "mean_ready_days_indicator", 3.0, 6.0),
    ],
)
def test_calibrated_targets(path, key, low, high):
    value = _mean(path, key, seeds=(11, 12, 13, 14, 15), days=365)
    assert low <= value <= high, f"{path} {key} = {value}"


@pytest.mark.slow
def test_the_pandemics_mechanisms_lower_the_share_of_beds():
    # SKR (via seed 002): 5.8 % -> 0.8 %. The 0.8 % is a check, not a fit (docs/calibration.md reports
    # the miss); the mechanisms the focus groups name must at least move the share that way.
    base = _mean("nordost-2019.toml", "ready_bed_share", seeds=(11, 12, 13, 14, 15), days=365)
    pandemic = _mean("pandemic-spring-2020.toml", "ready_bed_share", seeds=(11, 12, 13, 14, 15), days=365)
    assert pandemic < 0.8 * base


@pytest.mark.slow
def test_pandemic_gaps_rise_while_bed_days_fall():
    base_gaps = _mean("nordost-2019.toml", "gaps_per_100_discharges", seeds=(1, 2, 3), days=365)
    pand_gaps = _mean("pandemic-spring-2020.toml", "gaps_per_100_discharges", seeds=(1, 2, 3), days=365)
    assert pand_gaps > base_gaps


def test_relationships_forums_has_a_forum_for_every_kommun():
    """Its description promises "monthly forums for every kommun". A list of forums in an extending
    file replaces the parent's list, so the file once lost nordost-2019's forum (Danderyd, Täby,
    Vallentuna) and with it three of the seven kommuner."""
    scenario = load_scenario(ROOT / "scenarios" / "relationships-forums.toml")
    members = {m for forum in scenario.relationships.forums for m in forum.members}
    assert set(scenario.kommun) <= members
    assert all(forum.every_days == 30 for forum in scenario.relationships.forums)
