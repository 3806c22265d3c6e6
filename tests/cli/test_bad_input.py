"""Every bad input of issue 8, one named test each: one line on stderr, exit 2, no traceback, nothing written.

In-process through ``vardkedja_cli.main.main`` (fast); each case must fail before anything is simulated,
which ``no_simulation`` enforces. A few cases run through the installed command in ``test_cli.py`` and
at the end of this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vardkedja_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NORDOST = ROOT / "scenarios" / "nordost.toml"
NORDOST_2019 = ROOT / "scenarios" / "nordost-2019.toml"  # extends nordost.toml


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if a case gets as far as simulating (bad input must be refused before)."""
    import runner.single

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("bad input reached the simulation")

    monkeypatch.setattr(runner.single, "run_one", refuse)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder (results/ goes here)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command; assert exit 2 and exactly one line on stderr; return the line."""
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def only(folder: Path, *names: str) -> None:
    """Nothing was written: ``folder`` holds exactly ``names``."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def scenario(folder: Path, body: str, name: str = "bad.toml", base: str = "nordost") -> Path:
    path = folder / name
    path.write_text(f'extends = "{base}"\n{body}' if base else body, encoding="utf-8")
    return path


pytestmark = pytest.mark.usefixtures("no_simulation")

# ---------------------------------------------------------------------------------------------
# Files that are not scenario files


def test_binary_file(work, capsys):
    path = work / "bin.toml"
    path.write_bytes(bytes(range(256)) * 4)
    line = refused(capsys, "run", str(path))
    assert line.startswith(f"{path}: ") and "UTF-8" in line
    only(work, "bin.toml")


def test_file_with_nul_bytes(work, capsys):
    path = work / "nul.toml"
    path.write_bytes(b'name = "x"\x00\x00\n')
    assert "binary" in refused(capsys, "validate", str(path))


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_file_not_in_utf8_names_the_line_and_how_to_fix_it(work, capsys, command):
    # it said "not a text file in UTF-8 (byte 26)", as if a text file saved as Latin-1 were a picture
    path = work / "latin1.toml"
    path.write_bytes('name = "x"\ndescription = "åä"\n'.encode("latin-1"))
    assert refused(capsys, command, str(path)) == (
        f"{path}: line 2, column 16: not UTF-8 text (byte 26 is 0xE5, which is 'å' in "
        "Latin-1/Windows-1252); save the file as UTF-8"
    )
    # Notepad's "Unicode" is UTF-16, with a byte-order mark or without
    for codec in ("utf-16", "utf-16-le"):
        path.write_bytes('name = "Täby"\n'.encode(codec))
        assert (
            refused(capsys, command, str(path)) == f"{path}: UTF-16 text, not UTF-8; save the file as UTF-8"
        )
    # a picture is still not a text file
    path.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001"))
    line = refused(capsys, command, str(path))
    assert line.startswith(f"{path}: not a text file (binary data)")
    only(work, "latin1.toml")


def test_directory_as_scenario(work, capsys):
    (work / "folder.toml").mkdir()
    assert "is a folder" in refused(capsys, "run", str(work / "folder.toml"))
    assert "is a folder" in refused(capsys, "validate", str(work))
    only(work, "folder.toml")


def test_not_toml(work, capsys):
    path = scenario(work, "this is not = = toml\n", base="")
    assert "not valid TOML" in refused(capsys, "show", str(path))


# ---------------------------------------------------------------------------------------------
# Arguments out of range, refused before anything runs


@pytest.mark.parametrize("seed", [str(2**64), str(2**63), "-1", "1e5", "abc"])
def test_seed_out_of_range(work, capsys, seed):
    line = refused(capsys, "run", str(NORDOST), "--seed", seed)
    assert "--seed" in line and "from 0 to 9223372036854775807" in line
    only(work)


def test_largest_seed_is_accepted_by_the_parser():
    from vardkedja_cli.main import build_parser

    args = build_parser().parse_args(["run", "x.toml", "--seed", str(2**63 - 1)])
    assert args.seed == 2**63 - 1


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("--days", "0", "from 1 to 36500"),
        ("--days", "36501", "from 1 to 36500"),
        ("-n", "0", "from 1 to 10000"),
        ("-n", str(10**9), "from 1 to 10000"),
        ("-j", "0", "from 1 to"),
        ("-j", "-4", "from 1 to"),
    ],
)
def test_numbers_out_of_range(work, capsys, option, value, allowed):
    line = refused(capsys, "run", str(NORDOST), option, value)
    assert allowed in line
    only(work)


def test_compare_refuses_jobs_zero_and_one_scenario(work, capsys):
    assert "--jobs" in refused(capsys, "compare", str(NORDOST), str(NORDOST), "-j", "0")
    line = refused(capsys, "compare", str(NORDOST))
    assert "expected two or more" in line
    only(work)


def test_compare_refuses_scenarios_over_periods_of_different_length(work, capsys):
    # It compared a 200-day run with a 365-day one ("+134 %") and called both 200 days in the report.
    short = work / "kort.toml"
    short.write_text('extends = "nordost-2019"\nname = "kort"\ndays = 200\n')
    line = refused(capsys, "compare", str(short), str(ROOT / "scenarios" / "nordost-2019.toml"))
    assert "kort: 200 days, warm-up 30" in line and "nordost-2019: 365 days, warm-up 30" in line
    assert "--days" in line
    only(work, "kort.toml")


# ---------------------------------------------------------------------------------------------
# Numbers the schema refuses (non-finite, absurd)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[rules]\npayment_price_sek = inf\n", "rules.payment_price_sek"),
        ("[rules]\npayment_price_sek = nan\n", "rules.payment_price_sek"),
        ("[rules]\npayment_price_sek = 1e400\n", "rules.payment_price_sek"),  # TOML reads inf
        ("[rules]\npayment_price_sek = 1e300\n", "rules.payment_price_sek"),
        ("[patients]\nadmissions_per_1000_65plus = -inf\n", "patients.admissions_per_1000_65plus"),
        ('[patients]\ntreatment_days = { dist = "fixed", value = inf }\n', "patients.treatment_days.value"),
        ('[patients]\ntreatment_days = { dist = "lognormal", mu = 1000, sigma = 1 }\n', "treatment_days.mu"),
        (
            '[patients]\ntreatment_days = { dist = "lognormal", median = 1e6, mean = 2e4 }\n',
            "patients.treatment_days.median",
        ),
        (
            '[patients]\ntreatment_days = { dist = "lognormal", median = 0.001, mean = 1e4 }\n',
            "patients.treatment_days",
        ),
        (
            '[sip]\nfollow_up_days = { dist = "empirical", values = [1, nan] }\n',
            "sip.follow_up_days.values[1]",
        ),
        ("[patients]\nweekday_weights = [1, 1, 1, 1, 1, 1, inf]\n", "patients.weekday_weights[6]"),
        ('[kommun."Täby"]\npopulation = 1000000000000\n', "kommun.Täby.population"),
        ('[ward."Geriatrik 1"]\nbeds = 100000000000000000000000000000\n', "ward.Geriatrik 1.beds"),
        ("days = 1000000000\n", "days"),
        ("seed = 9223372036854775808\n", "seed"),
        ("[capacity]\nassessor = 1e12\n", "capacity.assessor"),
    ],
)
def test_non_finite_and_huge_numbers(work, capsys, body, key):
    path = scenario(work, body)
    line = refused(capsys, "run", str(path))
    assert line.startswith(f"{path}: ") and key in line and "not allowed" in line
    assert "Infinity" not in line
    only(work, "bad.toml")


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[rules]\npayment_price_sek = 1e400\n", "rules.payment_price_sek: 1e400 is not allowed"),
        ("[rules]\nmisplacement_probability = -1_0e400\n", "rules.misplacement_probability: -1_0e400 is"),
        ("days = 1e400\n", "days: 1e400 is not allowed"),
        ("[defaults.ward]\nbeds = 1e400\n", "defaults.ward.beds: 1e400 is not allowed"),
        ("[patients]\nweekday_weights = [1, 1, 1, 1, 1, 1, 1e999]\n", "weekday_weights[6]: 1e999 is not"),
    ],
)
def test_a_number_too_large_for_a_float_is_quoted_as_written(work, capsys, command, body, fragment):
    # TOML reads 1e400 as inf, and the line said "inf is not allowed", which the file does not hold
    path = scenario(work, body)
    line = refused(capsys, command, str(path))
    assert line.startswith(f"{path}: ") and fragment in line and "too large to represent" in line
    assert "inf" not in line.replace("infinite", "")
    only(work, "bad.toml")


def test_a_set_number_too_large_for_a_float_is_quoted_as_written(work, capsys):
    line = refused(capsys, "run", str(NORDOST), "--set", "rules.payment_price_sek=1e400")
    assert line == (
        "--set rules.payment_price_sek: 1e400 is not allowed (too large to represent); "
        "expected a finite number"
    )
    # an infinity the user wrote is still called by its name
    line = refused(capsys, "run", str(NORDOST), "--set", "rules.payment_price_sek=inf")
    assert line == "--set rules.payment_price_sek: inf is not allowed; expected a finite number"
    only(work)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[rules]\nsip_call_rate = 1e-400\n", "rules.sip_call_rate: 1e-400 is not allowed"),
        ("[rules]\nsip_call_rate = -1_0e-400\n", "rules.sip_call_rate: -1_0e-400 is not allowed"),
        ("[defaults.vardcentral]\nsip_call_rate = 1e-400\n", "defaults.vardcentral.sip_call_rate: 1e-400 is"),
        (
            '[ward."Geriatrik 1"]\nnotice_reliability = 2e-324\n',
            "ward.Geriatrik 1.notice_reliability: 2e-324",
        ),
        ("[patients]\nweekday_weights = [1, 1, 1, 1, 1, 1, 1e-999]\n", "weekday_weights[6]: 1e-999 is not"),
    ],
)
def test_a_nonzero_number_too_small_for_a_float_is_refused_as_written(work, capsys, command, body, fragment):
    # TOML reads 1e-400 as 0.0, and the scenario ran with a SIP call rate of 0 without a word
    path = scenario(work, body)
    line = refused(capsys, command, str(path))
    assert line.startswith(f"{path}: ") and fragment in line
    assert line.endswith("is not allowed (too small to represent); write 0 if zero is meant")
    only(work, "bad.toml")


@pytest.mark.parametrize("value", ["0.0", "0e5", "-0.0", "+0.0", "1e-300", "5e-324"])
def test_zero_and_small_numbers_are_still_taken(work, capsys, value):
    path = scenario(work, f"[rules]\nsip_call_rate = {value}\n")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_a_set_number_too_small_for_a_float_is_refused_as_written(work, capsys):
    line = refused(capsys, "run", str(NORDOST), "--set", "rules.sip_call_rate=1e-400")
    assert line == (
        "--set rules.sip_call_rate: 1e-400 is not allowed (too small to represent); write 0 if zero is meant"
    )
    only(work)


@pytest.mark.parametrize(
    ("body", "key", "expected"),
    [
        # all of these were converted without a word ("yes" -> true, "22" -> 22)
        ('days = "365"\n', "days", "a valid integer"),
        ('seed = "2019"\n', "seed", "a valid integer"),
        ('[rules]\nsip_call_rate = "0.5"\n', "rules.sip_call_rate", "a valid number"),
        ('[rules]\ndigital_meetings = "yes"\n', "rules.digital_meetings", "a valid boolean"),
        ("[rules]\ndigital_meetings = 1\n", "rules.digital_meetings", "a valid boolean"),
        ('[ward."Geriatrik 1"]\nbeds = "22"\n', "ward.Geriatrik 1.beds", "a valid integer"),
        ('[ward."Geriatrik 1"]\nbeds = 22.0\n', "ward.Geriatrik 1.beds", "a valid integer"),
        ('[defaults.ward]\nbeds = "22"\n', "defaults.ward.beds", "a valid integer"),
        ('[kommun."Täby".hospitals]\n"Danderyds sjukhus" = "1"\n', "kommun.Täby.hospitals", "a valid number"),
        ("start_date = 2019-01-01T10:00:00\n", "start_date: 2019-01-01T10:00:00", "without a time of day"),
        ('start_date = "2019-13-01"\n', "start_date", "a date such as 2019-01-01"),
    ],
)
def test_values_of_another_type_are_refused_not_converted(work, capsys, body, key, expected):
    path = scenario(work, body)
    line = refused(capsys, "validate", str(path))
    assert line.startswith(f"{path}: {key}") and expected in line, line
    only(work, "bad.toml")


def test_numbers_that_are_whole_and_dates_as_text_are_still_taken(work, capsys):
    # a float key given a whole number, and an ISO date in quotes (as JSON writes it): one meaning each
    path = scenario(work, 'start_date = "2019-01-07"\n[rules]\npayment_price_sek = 8000\nsip_call_rate = 1\n')
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_a_problem_in_an_extended_file_names_that_file(work, capsys):
    # it said "barn.toml: rules.sip_cal_rate: unknown key", a key barn.toml does not hold
    (work / "foralder.toml").write_text(
        'extends = "nordost-2019"\nname = "foralder"\n[rules]\nsip_cal_rate = 0.5\n'
    )
    child = work / "barn.toml"
    child.write_text('extends = "foralder.toml"\nname = "barn"\n[rules]\nsip_call_rate = 7\n')
    code = main(["validate", str(child)])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert lines[0].startswith(f"{child}: rules.sip_call_rate: 7 is not allowed")
    writer, _, problem = lines[1].partition(": ")
    assert Path(writer).resolve() == work / "foralder.toml"
    assert problem.startswith("rules.sip_cal_rate: unknown key")
    assert len(lines) == 2


def test_a_byte_order_mark_and_decomposed_letters_are_read_as_meant(work, capsys):
    # Notepad's byte-order mark gave "not valid TOML (Invalid statement (at line 1, column 1))"; "Täby"
    # as a + combining diaeresis (macOS, a PDF) was "not allowed; expected one of: ..., Täby, ..."
    decomposed = "Ta\u0308by"
    path = work / "bom.toml"
    body = f'extends = "nordost-2019"\nname = "bom"\n[kommun."{decomposed}"]\nassessor_capacity = 3\n'
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    shown = work / "shown.toml"
    assert main(["show", str(NORDOST), "--set", f"kommun.{decomposed}.assessor_capacity=11"]) == 0
    shown.write_text(capsys.readouterr().out)
    assert "assessor_capacity = 11" in shown.read_text()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("kommun.Taby.population=1000", "has no kommun 'Taby' (did you mean 'Täby'?)"),
        ("kommun.taby.population=1000", "has no kommun 'taby' (did you mean 'Täby'?)"),  # case folded
        ("hospital.Danderyd.description=x", "has no hospital 'Danderyd' (did you mean 'Danderyds sjukhus'?)"),
    ],
)
def test_set_naming_an_organisation_the_scenario_lacks(work, capsys, setting, expected):
    # it added a kommun and asked for its population_65plus, or added a hospital without a word
    line = refused(capsys, "show", str(NORDOST), "--set", setting)
    assert line.startswith(f"--set {setting.partition('=')[0]}: ") and expected in line
    only(work)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '[kommun."Taby"]\nhome_help_starts_per_day = 5\n',
            "kommun.Taby: not a kommun of nordost-2019 (did you mean 'Täby'?); "
            "a new kommun needs population, population_65plus, hospitals",
        ),
        (  # folded, "taby" is "Täby"; difflib alone found nothing
            '[kommun."taby"]\npopulation = 5000\n',
            "kommun.taby: not a kommun of nordost-2019 (did you mean 'Täby'?); "
            "a new kommun also needs population_65plus, hospitals",
        ),
        (  # every required key given, only the hospital shares missing: it got "kommun.Lidingo.hospitals:
            # at least one hospital share", the later check's line, never naming the typo
            "[kommun.Lidingo]\npopulation = 48000\npopulation_65plus = 10000\n",
            "kommun.Lidingo: not a kommun of nordost-2019 (did you mean 'Lidingö'?); "
            "a new kommun also needs hospitals",
        ),
        (
            '[ward."Geriatrik1"]\nbeds = 20\n',
            "ward.Geriatrik1: not a ward of nordost-2019 (did you mean 'Geriatrik 1'?); "
            "a new ward also needs hospital",
        ),
        (
            '[vardcentral."Taby vc 1"]\ntasks_per_day = 5\n',
            "vardcentral.Taby vc 1: not a vardcentral of nordost-2019 (did you mean 'Täby vc 1'?); "
            "a new vardcentral needs kommun",
        ),
    ],
    ids=["kommun", "kommun-case", "kommun-no-hospitals", "ward", "vardcentral"],
)
def test_a_misspelt_organisation_in_an_extending_file_is_one_line(work, capsys, command, body, expected):
    # it made a new organisation and asked for its required keys, one line each, never naming the typo
    path = scenario(work, body, base="nordost-2019")
    assert refused(capsys, command, str(path)) == f"{path}: {expected}"
    only(work, "bad.toml")


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_hospital_no_ward_belongs_to_is_one_line_naming_the_close_one(work, capsys, command):
    # [hospital."Danderyd sjukhus"] (for "Danderyds sjukhus") was a new hospital without wards: it
    # admitted nobody, the file validated, and whatever was meant for Danderyds sjukhus never applied
    path = scenario(work, '[hospital."Danderyd sjukhus"]\ndescription = "x"\n', base="nordost-2019")
    assert refused(capsys, command, str(path)) == (
        f"{path}: hospital.Danderyd sjukhus: 'Danderyd sjukhus' is not allowed; expected a hospital with "
        "a ward (a ward with hospital = 'Danderyd sjukhus') (did you mean 'Danderyds sjukhus'?)"
    )
    only(work, "bad.toml")
    # a new hospital with a ward of its own is taken
    path = scenario(
        work,
        '[hospital."Löwenströmska"]\n[ward."Geriatrik 9"]\nhospital = "Löwenströmska"\nbeds = 20\n',
        base="nordost-2019",
    )
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_a_new_organisation_with_its_keys_is_still_taken(work, capsys):
    # "Geriatrik 5" is close to "Geriatrik 1", but it has every key a new ward needs: a new ward
    path = scenario(
        work, '[ward."Geriatrik 5"]\nhospital = "Danderyds sjukhus"\nbeds = 20\n', base="nordost-2019"
    )
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert "14 wards" in capsys.readouterr().out
    # a new name close to none keeps a line per missing key
    path = scenario(work, '[kommun."Gotland"]\nassessor_capacity = 3\n', base="nordost-2019")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{path}: kommun.Gotland.population: required key is missing",
        f"{path}: kommun.Gotland.population_65plus: required key is missing",
    ]


def test_name_and_out_together_are_refused(work, capsys):
    # --name was silently ignored when --out was given
    line = refused(capsys, "run", str(NORDOST), "--out", "o", "--name", "mittnamn")
    assert line.startswith("--name: not used with --out")
    only(work)


def test_set_of_an_unknown_top_level_key_is_named_as_the_setting(work, capsys):
    line = refused(capsys, "show", str(NORDOST), "--set", "nonexistent.x=1")
    assert line.startswith("--set nonexistent.x: nonexistent: unknown key")


def test_a_long_value_is_shortened_in_its_message(work, capsys):
    path = scenario(work, "", base="")
    path.write_text(f'extends = "nordost"\nname = "{"a" * 5000}"\n')
    line = refused(capsys, "validate", str(path))
    assert len(line) < 400 and "…" in line


def test_fixed_duration_that_would_be_cast_names_its_bound(work, capsys):
    path = scenario(work, '[patients]\ntreatment_days = { dist = "fixed", value = 1e9 }\n')
    assert "less than or equal to 36500" in refused(capsys, "validate", str(path))


def test_empty_organisation_tables(work, capsys):
    path = scenario(
        work, 'name = "empty"\nhospital = {}\nward = {}\nkommun = {}\nvardcentral = {}\n', base=""
    )
    line = refused(capsys, "run", str(path))
    assert "hospital" in line and "at least one hospital" in line


@pytest.mark.parametrize("body", ["", "\n  \n", "# only a comment\n"], ids=["empty", "blank", "comment"])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_an_empty_file_is_one_line(work, capsys, no_simulation, body, command):
    path = scenario(work, body, name="e.toml", base="")
    line = refused(capsys, command, str(path))
    assert line.startswith(f"{path}: the file is empty; a scenario needs at least")
    assert 'extends = "nordost"' in line
    only(work, "e.toml")


def test_wrong_default_reported_once_where_written(work, capsys):
    path = scenario(work, "[defaults.ward]\nnotice_reliability = 7\n")
    line = refused(capsys, "validate", str(path))
    assert line.startswith(f"{path}: defaults.ward.notice_reliability: 7 is not allowed")


def test_unknown_default_key_reported_once(work, capsys):
    path = scenario(work, "[defaults.kommun]\nasessor_capacity = 3\n")
    line = refused(capsys, "validate", str(path))
    assert "defaults.kommun.asessor_capacity: unknown key (did you mean 'assessor_capacity'?)" in line


# ---------------------------------------------------------------------------------------------
# Names and places: nothing written outside the folder the user named


@pytest.mark.parametrize(
    "name", ["../../..", "/tmp/evil", "a" * 300, "x](javascript:alert(1))", ".hidden", "a/b", "", "tab\tname"]
)
def test_unsafe_scenario_name(work, capsys, name):
    path = scenario(work, f"name = {name!r}\n".replace("'", '"').replace("\t", "\\t"))
    line = refused(capsys, "run", str(path))
    assert line.startswith(f"{path}: name: ") and "letters" in line and "at most 80" in line
    only(work, "bad.toml")


@pytest.mark.parametrize("name", ["..", "../x", "a" * 300, "/abs", ".x"])
def test_unsafe_run_name(work, capsys, name):
    line = refused(capsys, "run", str(NORDOST), "--name", name)
    assert "--name" in line and "at most 80" in line
    only(work)


def test_swedish_letters_are_a_safe_name(work, capsys):
    path = scenario(work, 'name = "Täby-Åre_Öland.2"\n')
    assert main(["validate", str(path)]) == 0
    assert "Täby-Åre_Öland.2" in capsys.readouterr().out


def test_out_is_an_existing_file(work, capsys):
    (work / "taken").write_text("mine")
    line = refused(capsys, "run", str(NORDOST), "--out", str(work / "taken"))
    assert "exists and is not a folder" in line
    assert (work / "taken").read_text() == "mine"
    only(work, "taken")


def test_out_is_a_folder_of_other_files(work, capsys):
    (work / "docs").mkdir()
    (work / "docs" / "thesis.docx").write_text("precious")
    line = refused(capsys, "run", str(NORDOST), "--out", str(work / "docs"))
    assert "not a vardkedja results folder" in line
    only(work / "docs", "thesis.docx")


@pytest.mark.parametrize("out", [".", "..", "sub/..", "/"])
def test_out_is_the_current_folder_or_above(work, capsys, out):
    line = refused(capsys, "run", str(NORDOST), "--out", out)
    assert "current folder or one above it" in line
    only(work)


def test_out_in_a_read_only_place(work, capsys, monkeypatch):
    ro = work / "ro"
    ro.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == ro else real_access(p, m))
    line = refused(capsys, "run", str(NORDOST), "--out", str(ro / "a" / "b"))
    assert "not writable" in line
    only(ro)


def test_out_where_nothing_may_be_created(work, capsys):
    # /proc refuses new files even to root (a real read-only place, unlike chmod under root).
    line = refused(capsys, "run", str(NORDOST), "--days", "5", "--out", "/proc/vardkedja-test/out")
    assert "/proc/vardkedja-test" in line


def test_extends_absolute_path_refused(work, capsys):
    path = scenario(work, "", base="/etc/passwd")
    line = refused(capsys, "validate", str(path))
    assert "extends: '/etc/passwd' is not allowed" in line and "shipped scenario" in line


def test_extends_a_non_toml_file_refused(work, capsys):
    (work / "secret.txt").write_text("password = hunter2\n")
    path = scenario(work, "", base="secret.txt")
    line = refused(capsys, "validate", str(path))
    assert "not allowed" in line and "hunter2" not in line and "password" not in line


def test_extends_a_toml_that_is_not_a_scenario_never_echoes_it(work, capsys):
    (work / "creds.toml").write_text('aws_secret_access_key = "hunter2"\n[database]\npassword = "x"\n')
    path = scenario(work, "", base="creds.toml")
    line = refused(capsys, "validate", str(path))
    assert "is not a scenario file" in line
    for secret in ("hunter2", "aws_secret_access_key", "password", "database"):
        assert secret not in line


def test_extends_unknown_shipped_name_lists_shipped_ones(work, capsys):
    path = scenario(work, "", base="nordost-2091")
    line = refused(capsys, "validate", str(path))
    assert "'nordost-2091' is not a shipped scenario" in line and "nordost-2019" in line


@pytest.mark.parametrize("command", ["validate", "run"])
def test_extends_misspelt_shipped_name_suggests_the_close_one(work, capsys, command):
    # it listed eight shipped names (not always the one meant) and left the user to spot the typo
    path = scenario(work, "", base="nordost-2091")
    line = refused(capsys, command, str(path))
    assert line.startswith(
        f"{path}: extends: 'nordost-2091' is not a shipped scenario (did you mean 'nordost-2019'?); "
        "expected one of: "
    )
    path = scenario(work, "", base="qqqqqq")
    assert "did you mean" not in refused(capsys, command, str(path))
    only(work, "bad.toml")


def test_extends_shipped_by_name_and_by_file_name_agree(work, capsys):
    from simulation import load_scenario

    by_name = scenario(work, "", name="a.toml", base="nordost-2019")
    assert main(["validate", str(by_name)]) == 0
    shipped = load_scenario(ROOT / "scenarios" / "weekend-everyone.toml")  # extends "nordost-2019.toml"
    assert shipped.weekend_staffing.vardcentral > 0
    assert load_scenario(by_name).kommun == shipped.kommun


# ---------------------------------------------------------------------------------------------
# --set


def test_set_changes_one_value_and_keeps_its_neighbours(work, capsys):
    assert (
        main(
            [
                "show",
                str(NORDOST),
                "--format",
                "json",
                "--set",
                "rules.sip_call_rate=0.95",
                "--set",
                'kommun."Täby".assessor_capacity=9',
            ]
        )
        == 0
    )
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["rules"]["sip_call_rate"] == 0.95
    assert data["rules"]["payment_price_sek"] == 7800  # the neighbour kept
    assert data["kommun"]["Täby"]["assessor_capacity"] == 9
    assert data["kommun"]["Täby"]["population"] == 77000


@pytest.mark.parametrize(
    "key",
    ['kommun."Täby".assessor_capacity', "kommun.Täby.assessor_capacity", "kommun . Täby . assessor_capacity"],
)
def test_set_takes_swedish_names_as_written(capsys, key):
    # TOML's bare keys are ASCII: kommun.Täby needed quotes that the shell then ate, unless quoted twice
    import json

    assert main(["show", str(NORDOST), "--format", "json", "--set", f"{key}=9"]) == 0
    assert json.loads(capsys.readouterr().out)["kommun"]["Täby"]["assessor_capacity"] == 9
    assert main(["show", str(NORDOST), "--format", "json", "--set", "ward.Geriatrik 1.beds=11"]) == 0
    assert json.loads(capsys.readouterr().out)["ward"]["Geriatrik 1"]["beds"] == 11


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        (
            "rules.sip_call_rate=2",
            "--set rules.sip_call_rate: 2 is not allowed; expected less than or equal to 1",
        ),
        ("rules.sip_cal_rate=0.9", "--set rules.sip_cal_rate: unknown key (did you mean 'sip_call_rate'?)"),
        ("rules.payment_price_sek=inf", "--set rules.payment_price_sek: inf is not allowed"),
        ("rules", "--set 'rules': expected key.path=value"),
        ("=3", "expected key.path=value"),
        ("a..b=3", "is not a key path"),
        ("name=../../x", "--set name: '../../x' is not allowed"),
        # a value where a table belongs: what belongs there, not pydantic's "valid dictionary"
        ("rules=1", "--set rules: 1 is not allowed; expected a table of keys (payment_threshold_days, "),
        ("rules.forced_discharge=2", "expected a table of keys (max_wait_days, bed_pressure_occupancy)"),
        ("kommun.Täby=1", "--set kommun.Täby: 1 is not allowed; expected a table of keys (population, "),
        ("ward=3", "--set ward: 3 is not allowed; expected a table with one entry per name"),
    ],
)
def test_set_errors_name_the_setting(work, capsys, setting, fragment):
    line = refused(capsys, "run", str(NORDOST), "--set", setting)
    assert fragment in line
    only(work)


def test_errors_in_the_file_still_name_the_file_with_set(work, capsys):
    path = scenario(work, "[rules]\nmisplacement_probability = 3\n")
    line = refused(capsys, "run", str(path), "--set", "rules.sip_call_rate=0.9")
    assert line.startswith(f"{path}: rules.misplacement_probability")


@pytest.mark.parametrize("command", ["show", "run"])
@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("weekend_staffing.assessor=0,6", "'0,6' is not allowed; expected a valid number"),
        ("weekend_staffing.assessor=.6", "'.6' is not allowed; expected a valid number"),
        ("weekend_staffing.assessor=true", "True is not allowed; expected a valid number"),
        ("rules.payment_price_sek=8 200", "'8 200' is not allowed; expected a valid number"),
        ("kommun.Täby.assessor_capacity=4.0", "4.0 is not allowed; expected a valid integer"),
    ],
)
def test_a_bad_set_value_on_a_variant_is_not_blamed_on_the_file_it_extends(
    work, capsys, command, setting, expected
):
    # nordost-2019 extends nordost.toml, which writes these keys too: the line was
    # "scenarios/nordost-2019.toml with --set ...: scenarios/nordost.toml: weekend_staffing.assessor: ..."
    line = refused(capsys, command, str(NORDOST_2019), "--set", setting)
    assert line.startswith(f"--set {setting.partition('=')[0]}: {expected}")
    assert ".toml" not in line
    only(work)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("body", "at", "meant"),
    [
        ("[weekend_staffing]\nassessor = 0,6\n", "line 5, column 13", "0.6"),
        ("[weekend_staffing]\nassessor = 0,6   # helg\n", "line 5, column 13", "0.6"),
        ("[rules]\npayment_price_sek = -1_000,5\n", "line 5, column 27", "-1_000.5"),
        # in an inline table TOML stops later on the line, at the '}'
        (
            '[patients]\ntreatment_days = { dist = "lognormal", median = 4,5 }\n',
            "line 5, column 53",
            "4.5",
        ),
    ],
)
def test_a_decimal_comma_in_a_file_says_to_write_a_point(work, capsys, command, body, at, meant):
    # "not valid TOML (Expected newline or end of document after a statement ...)" did not say why
    path = scenario(work, f'name = "helg-komma"\n\n{body}', base="nordost-2019")
    line = refused(capsys, command, str(path))
    assert line.startswith(f"{path}: not valid TOML (")
    assert line.endswith(f"(at {at})); write decimals with a point: {meant}")
    only(work, "bad.toml")


def test_a_comma_that_is_no_decimal_comma_gets_no_hint(work, capsys):
    path = scenario(work, 'name = "x"\ndescription = "a, 0,6\n', base="nordost-2019")
    line = refused(capsys, "validate", str(path))
    assert line.startswith(f"{path}: not valid TOML (") and "decimals" not in line


@pytest.mark.parametrize("command", ["show", "run"])
@pytest.mark.parametrize(("value", "meant"), [("0,6", "0.6"), ("-0,6", "-0.6"), (".6", "0.6"), ("6.", "6.0")])
def test_a_decimal_comma_in_set_says_to_write_a_point(work, capsys, command, value, meant):
    # --set takes what is not TOML as text: "'0,6' is not allowed; expected a valid number", no more
    line = refused(capsys, command, str(NORDOST_2019), "--set", f"weekend_staffing.assessor={value}")
    assert line == (
        f"--set weekend_staffing.assessor: {value!r} is not allowed; expected a valid number; write {meant}"
    )
    only(work)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("body", "at", "said"),
    [
        ("[rules]\npayment_price_sek = 8 200\n", "line 5, column 23", "without spaces: 8200"),
        # the no-break space Word and Excel put between thousands
        ("[rules]\npayment_price_sek = 8\u00a0200   # 2020\n", "line 5, column 22", "without spaces: 8200"),
        ("[rules]\npayment_price_sek = 1 000 000\n", "line 5, column 23", "without spaces: 1000000"),
        (
            "[rules]\npayment_price_sek = 8 200,5\n",
            "line 5, column 23",
            "without spaces, decimals with a point: 8200.5",
        ),
        (
            '[patients]\ntreatment_days = { dist = "lognormal", median = 4 500, sigma = 0.5 }\n',
            "line 5, column 51",
            "without spaces: 4500",
        ),
    ],
)
def test_a_space_between_thousands_in_a_file_says_to_write_the_number_without(
    work, capsys, command, body, at, said
):
    # "payment_price_sek = 8 200", as Swedes write it, was only "not valid TOML (Expected newline ...)"
    path = scenario(work, f'name = "pris"\n\n{body}', base="nordost-2019")
    line = refused(capsys, command, str(path))
    assert line.startswith(f"{path}: not valid TOML (")
    assert line.endswith(f"(at {at})); write the number {said}")
    only(work, "bad.toml")


def test_a_quoted_number_with_spaces_in_a_file_says_to_write_it_without(work, capsys):
    path = scenario(work, 'name = "pris"\n\n[rules]\npayment_price_sek = "8 200"\n', base="nordost-2019")
    line = refused(capsys, "validate", str(path))
    assert (
        line
        == f"{path}: rules.payment_price_sek: '8 200' is not allowed; expected a valid number; write 8200"
    )


@pytest.mark.parametrize("command", ["show", "run"])
@pytest.mark.parametrize(
    ("setting", "shown", "meant"),
    [
        ("rules.payment_price_sek=8 200", "'8 200'", "8200"),
        ("rules.payment_price_sek=8\u00a0200", "'8\\xa0200'", "8200"),
        ("rules.payment_price_sek=8 200,5", "'8 200,5'", "8200.5"),
        ("kommun.Täby.population=77 000", "'77 000'", "77000"),
    ],
)
def test_a_space_between_thousands_in_set_says_to_write_the_number_without(
    work, capsys, command, setting, shown, meant
):
    line = refused(capsys, command, str(NORDOST_2019), "--set", setting)
    key = setting.partition("=")[0]
    expected = "integer" if key.endswith("population") else "number"
    assert line == f"--set {key}: {shown} is not allowed; expected a valid {expected}; write {meant}"
    only(work)


@pytest.mark.parametrize(
    "setting",
    ["rules.payment_price_sek=82 00", "rules.payment_price_sek=8 2000", "kommun.Täby.population=77 000,5"],
)
def test_no_thousands_hint_for_what_is_no_spaced_number(work, capsys, setting):
    # groups of three digits only; a whole number of inhabitants is not written 77000.5
    line = refused(capsys, "show", str(NORDOST_2019), "--set", setting)
    assert line.startswith(f"--set {setting.partition('=')[0]}: ") and "write" not in line


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    ("body", "key", "value", "meant"),
    [
        ("[weekend_staffing]\nassessor = 60\n", "weekend_staffing.assessor", "60", "0.6"),
        ("[weekend_staffing]\nassessor = 100\n", "weekend_staffing.assessor", "100", "1"),
        ("[rules]\nsip_call_rate = 12.5\n", "rules.sip_call_rate", "12.5", "0.125"),
        ("[defaults.ward]\nnotice_reliability = 90\n", "defaults.ward.notice_reliability", "90", "0.9"),
    ],
)
def test_a_percentage_for_a_share_says_how_to_write_it(work, capsys, command, body, key, value, meant):
    # "60 is not allowed; expected less than or equal to 1" did not say that a share is written 0.6
    path = scenario(work, f'name = "helg-procent"\n\n{body}', base="nordost-2019")
    line = refused(capsys, command, str(path))
    assert line == (
        f"{path}: {key}: {value} is not allowed; expected less than or equal to 1 "
        f"(a share: {value} % is written {meant})"
    )
    only(work, "bad.toml")


@pytest.mark.parametrize("command", ["show", "run"])
def test_a_percentage_for_a_share_in_set_says_how_to_write_it(work, capsys, command):
    line = refused(capsys, command, str(NORDOST_2019), "--set", "weekend_staffing.assessor=60")
    assert line == (
        "--set weekend_staffing.assessor: 60 is not allowed; expected less than or equal to 1 "
        "(a share: 60 % is written 0.6)"
    )
    only(work)


@pytest.mark.parametrize(
    "setting",
    ["weekend_staffing.assessor=101", "weekend_staffing.assessor=1.5", "rules.payment_threshold_days=0,6"],
)
def test_no_share_or_decimal_hint_where_none_is_meant(work, capsys, setting):
    # 101 % is no share; 1.5 is more likely a slip than 1.5 %; a whole number of days is not written 0.6
    line = refused(capsys, "show", str(NORDOST_2019), "--set", setting)
    assert line.startswith(f"--set {setting.partition('=')[0]}: ")
    assert "share" not in line and "write" not in line


# ---------------------------------------------------------------------------------------------
# Help, version


def test_version(capsys):
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"vardkedja {version('vardkedja')}"


@pytest.mark.parametrize("command", ["run", "compare", "calibrate", "show"])
def test_every_subcommand_help_lists_defaults(capsys, command):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "(default: " in out
    assert "(default: None)" not in out and "(default: False)" not in out


def test_help_lists_replication_and_jobs_defaults(capsys):
    main(["compare", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "replications per scenario (default: 10)" in out
    from vardkedja_cli.main import cores

    assert f"at most the cores (default: every core, {cores()} here)" in out


def test_unknown_option_is_one_line(work, capsys):
    line = refused(capsys, "run", str(NORDOST), "--sed", "3")
    assert "unrecognized arguments: --sed 3" in line


# ---------------------------------------------------------------------------------------------
# Through the installed command


def _exe() -> str:
    import shutil

    return shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"


def test_installed_command_refuses_huge_seed_before_running(tmp_path):
    proc = subprocess.run(
        [_exe(), "run", str(NORDOST), "--seed", str(2**64), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "o").exists()


def test_installed_command_binary_file(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(os.urandom(2000) + b"\xff")
    proc = subprocess.run([_exe(), "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and str(path) in proc.stderr


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    # More output than a pipe holds (64 kB), so writing must hit the closed pipe.
    big = tmp_path / "big.toml"
    sources = "".join(f'"key.{i}" = "{"source text " * 8}"\n' for i in range(2000))
    big.write_text(f'extends = "nordost"\n[sources]\n{sources}')
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usually
    proc = subprocess.Popen(
        [_exe(), "show", str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert first.startswith(b"name = ")
    assert proc.returncode == 0, err
    assert err == ""  # no BrokenPipeError, no "Exception ignored"


def test_messages_never_go_into_standard_output_when_stderr_is_closed(tmp_path):
    # with 2>&- the one-line error and every note were printed into stdout (print(file=None))
    bad = scenario(tmp_path, '[rules]\nsip_call_rate = "hög"\n')
    proc = subprocess.run(
        f"'{_exe()}' validate '{bad}' 2>&-", shell=True, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2 and proc.stdout == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_output_that_cannot_be_written_names_standard_output(tmp_path):
    # it said "vardkedja validate: No space left on device", as if a file of its own had failed
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [_exe(), "validate", str(NORDOST)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr == "vardkedja validate: standard output: No space left on device\n"


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("command", ["run", "compare"])
def test_an_out_that_cannot_be_written_is_named_before_anything_runs(capsys, command):
    # it named the hidden lock file (/proc/.x.lock), or for compare a random temporary name after
    # every simulation had run
    scenarios = (
        [str(NORDOST)] if command == "run" else [str(NORDOST), str(NORDOST.with_name("sip-campaign.toml"))]
    )
    line = refused(capsys, command, *scenarios, "--days", "10", "--out", "/proc/vardkedja-out")
    assert line == "/proc/vardkedja-out: cannot write there (No such file or directory); choose another --out"


@pytest.mark.parametrize(
    "argv",
    [
        ["run", str(NORDOST), "--out", ""],
        ["compare", str(NORDOST), str(ROOT / "scenarios" / "nordost-2019.toml"), "--out", " "],
        ["sweep", str(ROOT / "sweeps" / "example-grid.toml"), "--out", ""],
        ["sweep", "prepare", str(ROOT / "sweeps" / "example-grid.toml"), "--out", ""],
        ["analyze", "somewhere", "--out", ""],
        ["calibrate", "--out", ""],
    ],
)
def test_an_empty_out_is_refused_not_taken_as_the_default(work, capsys, argv):
    # `--out "$OUT"` with OUT unset must not write into results/ (or over docs/calibration.md)
    line = refused(capsys, *argv)
    assert "argument --out: empty" in line
    only(work)
