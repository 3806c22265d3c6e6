"""Scenario files: one-line errors naming file and key path; references, defaults, ``extends``."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import ScenarioError, load_scenario, scenario_from_dict
from simulation.distributions import Fixed, LogNormal
from simulation.scenario import resolve_scenario_dict

BASE = """\
name = "base"
description = "the base"
days = 100
warmup_days = 10
seed = 5

[rules]
payment_threshold_days = 3

[patients]
treatment_days = { dist = "lognormal", median = 4.0, mean = 5.5 }

[defaults.ward]
coordinator_capacity = 2
notice_reliability = 0.9

[hospital.H]

[ward.W1]
hospital = "H"
beds = 10
serves = ["K1"]

[ward.W2]
hospital = "H"
beds = 12
serves = ["K1"]
notice_reliability = 0.5

[kommun.K1]
population = 1000
population_65plus = 200
hospitals = { H = 1.0 }

[vardcentral.V1]
kommun = "K1"
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, named: Path | None = None) -> str:
    """Load ``path`` expecting one line per problem, each starting with ``named`` (default: ``path``).

    Returns the first line."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    lines = str(err.value).split("\n")
    assert len(lines) == len(set(lines)), "each problem is reported once"
    for line in lines:
        assert line.startswith(f"{named or path}: "), "every line must name the file"
    return lines[0]


def _variant(tmp_path: Path, edit: tuple[str, str]) -> Path:
    old, new = edit
    assert old in BASE
    return _write(tmp_path, "variant.toml", BASE.replace(old, new, 1))


def test_base_file_loads_with_defaults_applied(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, "base.toml", BASE))
    assert sc.name == "base" and sc.days == 100 and sc.seed == 5
    assert sc.ward["W1"].coordinator_capacity == 2  # from [defaults.ward]
    assert sc.ward["W1"].notice_reliability == 0.9
    assert sc.ward["W2"].notice_reliability == 0.5  # its own value wins over the default
    assert isinstance(sc.patients.treatment_days, LogNormal)


def test_overrides_replace_top_level_keys(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, "base.toml", BASE), days=50, warmup_days=0)
    assert (sc.days, sc.warmup_days) == (50, 0)


def test_scenario_is_immutable(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, "base.toml", BASE))
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        sc.days = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("edit", "key", "suggestion"),
    [
        (("days = 100", "dayz = 100"), "dayz", "days"),
        (
            ("coordinator_capacity = 2", "coordinater_capacity = 2"),
            "defaults.ward.coordinater_capacity",  # where it was written, once
            "coordinator_capacity",
        ),
        (
            ('hospital = "H"\nbeds = 12', 'hospital = "H"\nbedz = 12\nbeds = 12'),
            "ward.W2.bedz",
            "beds",
        ),
        (
            ("payment_threshold_days = 3", "payment_treshold_days = 3"),
            "rules.payment_treshold_days",
            "payment_threshold_days",
        ),
        (
            ("population = 1000", "population = 1000\nactive_serch_probability = 0.1"),
            "kommun.K1.active_serch_probability",
            "active_search_probability",
        ),
        (
            ("[rules]", "[rules.forced_discharge]\nmax_wait_dayz = 3\n[rules]"),
            "rules.forced_discharge.max_wait_dayz",
            "max_wait_days",
        ),
    ],
)
def test_unknown_key_names_file_key_path_and_suggestion(
    tmp_path: Path, edit: tuple[str, str], key: str, suggestion: str
) -> None:
    msg = _error(_variant(tmp_path, edit))
    assert f"{key}: unknown key" in msg
    assert f"did you mean {suggestion!r}" in msg
    assert suggestion in msg.split("allowed keys:")[1]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Taby", "Täby"),
        ("taby", "Täby"),  # difflib alone: 0.5, no match
        ("OSTERAKER", "Österåker"),
        ("Lidingo", "Lidingö"),
        ("Gotland", None),
    ],
)
def test_closest_name_folds_case_and_accents(word: str, expected: str | None) -> None:
    from simulation.parameters import closest

    assert closest(word, ["Danderyd", "Lidingö", "Täby", "Vaxholm", "Österåker"]) == expected


def test_unknown_key_in_a_distribution_lists_that_familys_keys(tmp_path: Path) -> None:
    # Regression: the message once listed Fixed's keys (dist, value) for every family.
    msg = _error(_variant(tmp_path, ("mean = 5.5 }", "mean = 5.5, sigmaa = 1.0 }")))
    assert "patients.treatment_days.sigmaa: unknown key" in msg
    assert "did you mean 'sigma'" in msg
    assert "allowed keys: dist, median, mean, mu, sigma" in msg


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            ("beds = 10", "beds = -3"),
            "ward.W1.beds: -3 is not allowed; expected greater than or equal to 0",
        ),
        (
            ("notice_reliability = 0.5", "notice_reliability = 1.5"),
            "ward.W2.notice_reliability: 1.5 is not allowed; expected less than or equal to 1",
        ),
        (
            ("payment_threshold_days = 3", "misplacement_probability = 1.01"),
            "rules.misplacement_probability: 1.01 is not allowed",
        ),
        (
            ("[rules]", "[weekend_staffing]\nassessor = -0.1\n[rules]"),
            "weekend_staffing.assessor: -0.1",
        ),
        (
            ('serves = ["K1"]\n\n[ward.W2]', 'serves = ["K1", "K9"]\n\n[ward.W2]'),
            "ward.W1.serves[1]: 'K9' is not allowed; expected one of: K1",
        ),
        (
            ('kommun = "K1"', 'kommun = "Kx"'),
            "vardcentral.V1.kommun: 'Kx' is not allowed; expected one of: K1",
        ),
        (('hospital = "H"\nbeds = 10', 'hospital = "Hx"\nbeds = 10'), "ward.W1.hospital: 'Hx'"),
        (("hospitals = { H = 1.0 }", "hospitals = { Hx = 1.0 }"), "kommun.K1.hospitals.Hx"),
        (
            ("population_65plus = 200", "population_65plus = 2000"),
            "kommun.K1.population_65plus: 2000",
        ),
        (
            ("warmup_days = 10", "warmup_days = 100"),
            "warmup_days: 100 is not allowed; expected less than days",
        ),
        (("days = 100", "days = 0"), "days: 0 is not allowed"),
        (("beds = 10", 'beds = "ten"'), "ward.W1.beds: 'ten' is not allowed"),
        (("median = 4.0, mean = 5.5", "median = 4.0, mean = 3.0"), "patients.treatment_days"),
        (
            ('dist = "lognormal", median = 4.0, mean = 5.5', 'dist = "weibull"'),
            "patients.treatment_days: {'dist': 'weibull'} is not a distribution; expected dist = one of",
        ),
        (
            ("[hospital.H]", "[defaults.wards]\nbeds = 3\n[hospital.H]"),
            "defaults.wards: unknown organisation kind",
        ),
        (("beds = 10\n", ""), "ward.W1.beds: required key is missing"),
        (
            ("[kommun.K1]", '[relationships]\nstrengths = { "W1|Nope" = 0.3 }\n[kommun.K1]'),
            "relationships.strengths.W1|Nope",
        ),
    ],
)
def test_invalid_values_give_one_line_with_key_path(
    tmp_path: Path, edit: tuple[str, str], fragment: str
) -> None:
    assert fragment in _error(_variant(tmp_path, edit))


def test_kommun_without_vardcentral_is_rejected() -> None:
    data = {
        "name": "x",
        "hospital": {"H": {}},
        "ward": {"W": {"hospital": "H", "beds": 1}},
        "kommun": {
            "K1": {"population": 10, "population_65plus": 1, "hospitals": {"H": 1}},
            "K2": {"population": 10, "population_65plus": 1, "hospitals": {"H": 1}},
        },
        "vardcentral": {"V": {"kommun": "K1"}},
    }
    with pytest.raises(ScenarioError, match=r"^src\.toml: kommun\.K2: .*at least one vardcentral"):
        scenario_from_dict(data, "src.toml")


def test_names_must_be_unique_across_kinds() -> None:
    data = {
        "name": "x",
        "hospital": {"H": {}},
        "ward": {"K1": {"hospital": "H", "beds": 1}},
        "kommun": {"K1": {"population": 10, "population_65plus": 1, "hospitals": {"H": 1}}},
        "vardcentral": {"V": {"kommun": "K1"}},
    }
    with pytest.raises(ScenarioError, match="names unique across kinds"):
        scenario_from_dict(data)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, "bad.toml", "name = \n"))
    assert "not valid TOML" in msg
    missing = tmp_path / "nope.toml"
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(missing)


# ---------------------------------------------------------------------------------------------
# extends


def test_extends_overrides_single_values_and_inherits_the_rest(tmp_path: Path) -> None:
    _write(tmp_path, "base.toml", BASE)
    child = _write(
        tmp_path,
        "child.toml",
        'extends = "base.toml"\n'
        'description = "a variant"\n'
        "[ward.W1]\nbeds = 7\n"
        '[patients]\ntreatment_days = { dist = "fixed", value = 3 }\n',
    )
    sc = load_scenario(child)
    assert sc.name == "child"  # a variant is its own scenario (named by its file unless it says)
    assert sc.description == "a variant"
    assert sc.ward["W1"].beds == 7
    assert sc.ward["W1"].hospital == "H" and sc.ward["W1"].serves == ["K1"]
    assert sc.ward["W1"].coordinator_capacity == 2  # the parent's [defaults.ward] still applies
    assert sc.ward["W2"].beds == 12
    assert sc.days == 100 and sc.seed == 5 and sc.kommun["K1"].population == 1000
    # A distribution is replaced whole, not merged key by key.
    assert sc.patients.treatment_days == Fixed(dist="fixed", value=3)


def test_extends_chains_and_the_nearest_file_wins(tmp_path: Path) -> None:
    _write(tmp_path, "base.toml", BASE)
    sub = tmp_path / "variants"
    sub.mkdir()
    _write(sub, "mid.toml", 'extends = "../base.toml"\nname = "mid"\ndays = 200\n[ward.W2]\nbeds = 1\n')
    leaf = _write(sub, "leaf.toml", 'extends = "mid.toml"\nname = "leaf"\n[ward.W2]\nbeds = 2\n')
    sc = load_scenario(leaf)
    assert sc.name == "leaf" and sc.days == 200 and sc.ward["W2"].beds == 2
    assert sc.ward["W1"].beds == 10
    raw = resolve_scenario_dict(leaf)
    assert "extends" not in raw and "defaults" not in raw


def test_a_setting_is_not_blamed_on_the_file_that_wrote_the_key_too(tmp_path: Path) -> None:
    # the parent wrote rules.payment_threshold_days; the bad value in force is the setting's
    _write(tmp_path, "base.toml", BASE)
    child = _write(tmp_path, "child.toml", 'extends = "base.toml"\nname = "child"\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(child, ["rules.payment_threshold_days=x"])
    assert str(err.value).startswith(f"{child}: rules.payment_threshold_days: 'x' is not allowed")
    # a problem of the parent's own value is still the parent's, with a setting elsewhere
    _write(tmp_path, "base.toml", BASE.replace("payment_threshold_days = 3", 'payment_threshold_days = "x"'))
    with pytest.raises(ScenarioError) as err:
        load_scenario(child, ["rules.sip_call_rate=0.5"])
    assert str(err.value).startswith(f"{tmp_path / 'base.toml'}: rules.payment_threshold_days: ")


def test_extends_missing_parent(tmp_path: Path) -> None:
    child = _write(tmp_path, "child.toml", 'extends = "nowhere.toml"\n')
    msg = _error(child)
    assert "extends" in msg and "'nowhere.toml' not found" in msg


def test_extends_circular(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", 'extends = "b.toml"\n' + BASE)
    _write(tmp_path, "b.toml", 'extends = "c.toml"\n')
    _write(tmp_path, "c.toml", 'extends = "a.toml"\n')
    # The error names the file whose ``extends`` closes the circle.
    msg = _error(tmp_path / "a.toml", named=(tmp_path / "c.toml").resolve())
    assert "circular inheritance" in msg
    assert "a.toml -> b.toml -> c.toml -> a.toml" in msg


def test_extends_itself(tmp_path: Path) -> None:
    path = _write(tmp_path, "self.toml", 'extends = "self.toml"\n' + BASE)
    msg = _error(path, named=path.resolve())
    assert "circular inheritance" in msg


def test_extends_must_be_a_file_name(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, "bad.toml", "extends = 3\n" + BASE))
    assert "extends: 3 is not allowed" in msg


def test_error_in_child_names_the_child_file(tmp_path: Path) -> None:
    _write(tmp_path, "base.toml", BASE)
    child = _write(tmp_path, "child.toml", 'extends = "base.toml"\n[ward.W1]\nbeds = -1\n')
    assert "ward.W1.beds: -1" in _error(child)


def test_shipped_scenario_loads(nordost_path: Path) -> None:
    sc = load_scenario(nordost_path)
    assert sc.name == "nordost"
    populations = {name: k.population for name, k in sc.kommun.items()}
    assert populations == {  # DOMAIN.md, seed 002
        "Danderyd": 32_000,
        "Lidingö": 48_000,
        "Norrtälje": 66_000,
        "Täby": 77_000,
        "Vallentuna": 34_000,
        "Vaxholm": 12_000,
        "Österåker": 50_000,
    }
    assert sc.kommun["Norrtälje"].integrated_primary_care
    for w in sc.ward.values():
        assert set(w.serves) <= set(sc.kommun)


# ---------------------------------------------------------------------------------------------
# Refusals added for issue 8: non-finite and absurd numbers, names, defaults once, files


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (("payment_threshold_days = 3", "payment_price_sek = inf"), "rules.payment_price_sek: inf"),
        (("payment_threshold_days = 3", "payment_price_sek = nan"), "expected a finite number"),
        (("population = 1000", "population = 1000000000000"), "kommun.K1.population: 1000000000000"),
        (("beds = 10", "beds = 1000001"), "ward.W1.beds: 1000001 is not allowed"),
        (("days = 100", "days = 36501"), "days: 36501 is not allowed"),
        (("seed = 5", "seed = 9223372036854775808"), "seed: 9223372036854775808 is not allowed"),
        (("median = 4.0, mean = 5.5", "median = inf, mean = inf"), "treatment_days.median: inf"),
        (("median = 4.0, mean = 5.5", "median = 4.0, mean = 1e9"), "treatment_days.mean: 1000000000.0"),
    ],
)
def test_non_finite_and_absurd_values_are_refused(
    tmp_path: Path, edit: tuple[str, str], fragment: str
) -> None:
    assert fragment in _error(_variant(tmp_path, edit))


def test_a_wrong_default_is_reported_once_at_the_key_written(tmp_path: Path) -> None:
    path = _variant(tmp_path, ("coordinator_capacity = 2", "coordinator_capacity = -2"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value) == (
        f"{path}: defaults.ward.coordinator_capacity: -2 is not allowed; expected greater than or equal to 0"
    )  # once, not once per ward (W1, W2)


@pytest.mark.parametrize("name", ["../x", "/abs", ".hidden", "a" * 81, "x](y)", "a b", ""])
def test_unsafe_names_are_refused(name: str) -> None:
    from simulation.scenario import check_name

    with pytest.raises(ValueError, match="at most 80"):
        check_name(name)


@pytest.mark.parametrize("name", ["nordost-2019", "Täby_Åre.v2", "a" * 80, "2020"])
def test_safe_names_pass(name: str) -> None:
    from simulation.scenario import check_name

    assert check_name(name) == name


def test_extends_a_non_scenario_toml_quotes_nothing_of_it(tmp_path: Path) -> None:
    _write(tmp_path, "secret.toml", 'token = "s3cr3t"\n')
    msg = _error(_write(tmp_path, "child.toml", 'extends = "secret.toml"\n'))
    assert "is not a scenario file" in msg and "s3cr3t" not in msg and "token" not in msg


def test_extends_by_shipped_name(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, "v.toml", 'extends = "nordost-2019"\ndays = 30\nwarmup_days = 0\n'))
    assert sc.name == "v" and sc.days == 30 and "Täby" in sc.kommun


def test_empty_organisation_tables_are_refused() -> None:
    data = {"name": "x", "hospital": {}, "ward": {}, "kommun": {}, "vardcentral": {}}
    with pytest.raises(ScenarioError, match="hospital: .*at least one hospital"):
        scenario_from_dict(data)


def test_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "bin.toml").write_bytes(b"\x00\xff\xfe")
    assert "UTF-8" in _error(tmp_path / "bin.toml")
    assert "is a folder" in _error(tmp_path)
