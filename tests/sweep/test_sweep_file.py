"""A sweep file is checked whole before anything runs: one line per problem, naming the file and the key."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sweep_helpers import BASE, GRID, ROOT, rows

from runner.design import SEED_MAX, load_sweep, run_seed
from vardkedja_cli.main import main


def _bad(write_sweep, tmp_path, capsys, text, *flags):
    path = write_sweep(text) if text is not None else tmp_path / "sweep.toml"  # None: as written already
    out = tmp_path / "out"
    rc = main(["sweep", str(path), "--out", str(out), *flags])
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err
    assert not out.exists(), "nothing may be written for a bad sweep file"
    return err.strip().splitlines()


@pytest.mark.parametrize(
    ("old", "new", "key", "says"),
    [
        ('key = "rules.sip_call_rate"', 'key = "rules.sip_call_rat"', "rules.sip_call_rat", "unknown key"),
        ('name = "test-grid"', 'name = "../elsewhere"', "name", "a folder name"),
        ("levels = [0.1, 0.9]", "range = [0.5, 0.5]\nsteps = 3", "range", "empty"),
        ("levels = [0.1, 0.9]", "range = [0.9, 0.1]\nsteps = 3", "range", "inverted"),
        ("levels = [0.1, 0.9]", "levels = [0.1, 1.5]", "rules.sip_call_rate", "1.5 is not allowed"),
        # beyond a float: TOML reads inf, which the user never wrote
        ("levels = [0.1, 0.9]", "levels = [0.1, 1e400]", "levels", "[0.1, 1e400] is not allowed"),
        ("levels = [0.1, 0.9]", "range = [0.1, 1e400]\nsteps = 3", "range", "[0.1, 1e400] is not allowed"),
        ('kind = "grid"', 'kind = "sobel"', "design.kind", "grid, lhs, sobol, morris"),
        ("replications = 2", "replications = 0", "replications", ">= 1"),
        ('kommun."Täby"', 'kommun."Tby"', 'kommun."Tby".assessor_capacity', "no kommun named 'Tby'"),
        ('"sip_rate",', '"sip_rat",', "metrics: 'sip_rat'", "unknown metric"),
        ("levels = [2, 6]", "levels = [2, 6.5]", "levels", "whole numbers"),
        ("levels = [2, 6]", "levels = [2, -1]", 'kommun."Täby".assessor_capacity: -1', "is not allowed"),
        (
            'key = "rules.sip_call_rate"',
            'key = "rules.digital_meetings"',
            "rules.digital_meetings",
            "not a number",
        ),
        # a key the design does not use (it was accepted and ignored)
        ('kind = "grid"', 'kind = "grid"\nsecond_order = true', "design.second_order", "only sobol"),
        # a parameter named like a column every row has: two 'seed' columns, and no reader could load them
        ('name = "weekend_staffing"', 'name = "seed"', "seed", "another name"),
        ('name = "weekend_staffing"', 'name = "ready_bed_days"', "ready_bed_days", "another name"),
        (
            'keys = ["weekend_staffing.assessor"',
            'keys = ["weekend_staffing.assessor", "rules.payment_threshold_days"',
            "mix",
            "whole-number",
        ),
        # the sweep's own settings are not levers: days silently overrode the sweep's days (the manifest
        # and the report stated the sweep's), seed did nothing (each run has its own run seed)
        ('key = "rules.sip_call_rate"', 'key = "days"', "days: is the sweep's own setting", "--days"),
        ('key = "rules.sip_call_rate"', "key = 'warmup_days'", "warmup_days: is the sweep's own", "lever"),
        ('key = "rules.sip_call_rate"', 'name = "s"\nkey = "seed"', "seed: is the sweep's own", "lever"),
        ('key = "rules.sip_call_rate"', "key = '\"days\"'", '"days": is the sweep\'s own', "lever"),
        (
            'keys = ["weekend_staffing.assessor"',
            'keys = ["weekend_staffing.assessor", "days"',
            "days: is the sweep's own setting",
            "not a lever",
        ),
        ('key = "rules.sip_call_rate"', 'key = "name"', "name: is the base scenario's name", "lever"),
        ('key = "rules.sip_call_rate"', 'key = "description"', "description: is the base", "lever"),
        ('key = "rules.sip_call_rate"', 'key = "extends"', "extends: is how a scenario", "base ="),
        (
            'key = "rules.sip_call_rate"',
            'key = "defaults.kommun.assessor_capacity"',
            "defaults.kommun.assessor_capacity: is applied",
            "not a lever",
        ),
    ],
)
def test_bad_sweep_file_one_line(write_sweep, tmp_path, capsys, old, new, key, says):
    assert old in GRID
    lines = _bad(write_sweep, tmp_path, capsys, GRID.replace(old, new, 1))
    assert len(lines) == 1, lines
    assert lines[0].startswith(str(tmp_path / "sweep.toml")) and key in lines[0] and says in lines[0], lines[
        0
    ]


def test_every_problem_reported_at_once(write_sweep, tmp_path, capsys):
    text = GRID.replace("replications = 2", "replications = 0").replace('kind = "grid"', 'kind = "x"')
    lines = _bad(write_sweep, tmp_path, capsys, text)
    assert len(lines) == 2 and "replications" in lines[0] and "design.kind" in lines[1]


def test_flag_errors_and_sobol_samples(write_sweep, tmp_path, capsys):
    lines = _bad(write_sweep, tmp_path, capsys, GRID, "--replications", "0")
    assert lines == ["-n/--replications: 0 is not allowed; expected a whole number >= 1"]
    sobol = GRID.replace('kind = "grid"', 'kind = "sobol"\nsamples = 6')
    sobol = sobol.replace("levels = [0.1, 0.9]", "range = [0.1, 0.9]").replace(
        "levels = [0.0, 1.0]", "range = [0, 1]"
    )
    sobol = sobol.replace("levels = [2, 6]", "range = [2, 6]")
    lines = _bad(write_sweep, tmp_path, capsys, sobol)
    assert len(lines) == 1 and "design.samples" in lines[0] and "power of 2" in lines[0]
    lines = _bad(write_sweep, tmp_path, capsys, sobol.replace("samples = 6", "samples = 4"), "--days", "0")
    assert lines == ["--days: 0 is not allowed; expected a whole number >= 1"]


def test_folder_of_another_sweep_refused(write_sweep, tmp_path, capsys):
    one = GRID.replace("levels = [2, 6]", "levels = [4]").replace("levels = [0.0, 1.0]", "levels = [0.0]")
    one = one.replace("replications = 2", "replications = 1").replace("levels = [0.1, 0.9]", "levels = [0.5]")
    out = tmp_path / "out"
    assert main(["sweep", str(write_sweep(one)), "--out", str(out)]) == 0
    before = sorted(p.name for p in (out / "runs").iterdir())
    capsys.readouterr()
    assert main(["sweep", str(write_sweep(one.replace("seed = 99", "seed = 100"))), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds another sweep" in err[0] and str(out) in err[0]
    assert "differs in seed (99 there, 100 here)" in err[0]  # the same file, run with another seed
    assert sorted(p.name for p in (out / "runs").iterdir()) == before
    # fewer replications than the folder holds would leave runs in runs/ but out of the design
    path = write_sweep(one.replace("replications = 1", "replications = 2"))
    assert main(["sweep", str(path), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["sweep", str(path), "--out", str(out), "--replications", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "with 2 replications" in err[0] and "--replications 2 or more" in err[0]
    assert main(["sweep", str(path), "--out", str(out), "--replications", "3"]) == 0  # more: the same sweep


def test_integer_fields_take_whole_numbers(write_sweep):
    lhs = GRID.replace('kind = "grid"', 'kind = "lhs"\nsamples = 5')
    lhs = lhs.replace("levels = [0.1, 0.9]", "range = [0.1, 0.9]").replace(
        "levels = [0.0, 1.0]", "range = [0, 1]"
    )
    lhs = lhs.replace("levels = [2, 6]", "range = [1.6, 6.4]")
    spec = load_sweep(write_sweep(lhs))
    assert spec.name == "test-grid"  # not a parameter's name
    cap = 'kommun."Täby".assessor_capacity'
    values = [spec.point_values(i)[cap] for i in range(spec.n_points)]
    assert all(isinstance(v, int) and 2 <= v <= 6 for v in values), values
    assert spec.parameters[2].kind == "int" and (spec.parameters[2].low, spec.parameters[2].high) == (
        2.0,
        6.0,
    )
    # the design itself is reproducible: same file, same points
    assert np.array_equal(spec.matrix, load_sweep(write_sweep(lhs)).matrix)


def test_seeds_are_63_bit_and_depend_only_on_seed_point_replication():
    seeds = {run_seed(99, p, r) for p in range(200) for r in range(5)}
    assert len(seeds) == 1000
    assert all(0 <= s <= SEED_MAX for s in seeds)
    assert max(seeds) > 2**40  # really 64-bit wide, not 32
    assert run_seed(99, 3, 1) == run_seed(99, 3, 1) != run_seed(100, 3, 1)


def test_adding_replications_keeps_runs_done(write_sweep, tmp_path):
    out = tmp_path / "out"
    small = GRID.replace("levels = [2, 6]", "levels = [4]")
    path = write_sweep(small)
    assert main(["sweep", str(path), "--out", str(out), "--replications", "1"]) == 0
    first = {p.name: p.read_bytes() for p in (out / "runs").iterdir()}
    assert len(first) == 4
    assert main(["sweep", str(path), "--out", str(out), "--replications", "2"]) == 0
    after = {p.name: p.read_bytes() for p in (out / "runs").iterdir()}
    assert len(after) == 8
    assert all(after[name] == data for name, data in first.items())
    df = rows(out)
    assert list(df["seed"]) == [
        run_seed(99, p, r) for p, r in zip(df["point"], df["replication"], strict=True)
    ]


def test_shipped_sweep_files_are_valid():
    grid = load_sweep(ROOT / "sweeps" / "example-grid.toml")
    assert grid.name == "example-grid" and grid.n_points <= 8 and grid.replications == 2
    sobol = load_sweep(ROOT / "sweeps" / "levers-sobol.toml")
    assert sobol.name == "levers-sobol" and sobol.design.kind == "sobol"
    assert [p.name for p in sobol.parameters] == [
        "weekend_staffing",
        "sip_call_rate",
        "relationship_strength",
        "home_help_capacity",
    ]
    assert sobol.n_points == 64 * (4 + 2) and sobol.days == 365


def test_grid_steps_are_the_numbers_a_reader_types(write_sweep):
    # linspace(0.2, 1.0, 3) gives 0.6000000000000001: rows[rows[key] == 0.6] found nothing
    text = GRID.replace("levels = [0.1, 0.9]", "range = [0.2, 1.0]\nsteps = 3", 1)
    spec = load_sweep(write_sweep(text))
    [rate] = [p for p in spec.parameters if p.name == "rules.sip_call_rate"]
    assert rate.levels == (0.2, 0.6, 1.0)


def test_a_missing_design_table_is_named_as_the_reason(write_sweep, tmp_path, capsys):
    text = GRID.replace('[design]\nkind = "grid"\n', "").replace("levels = [0.1, 0.9]", "range = [0.1, 0.9]")
    lines = _bad(write_sweep, tmp_path, capsys, text)
    assert lines == [
        f"{tmp_path / 'sweep.toml'}: rules.sip_call_rate.steps: missing; a grid range needs steps >= 2 "
        "(no [design] table: the design is a grid)"
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["sweep", "sweeps/example-grid.toml", "--days", "abc"],
        ["sweep", "sweeps/example-grid.toml", "--bogus"],
        ["sweep", "status"],
        ["sweep", "run-one", "somewhere", "--index", "x"],
        ["sweep", "prepare", "sweeps/example-grid.toml"],
    ],
)
def test_a_bad_flag_of_a_sweep_command_is_one_line(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "usage:" not in err, err
    assert err.startswith("vardkedja sweep")


def test_sweep_help_still_exits_0(capsys):
    assert main(["sweep", "status", "--help"]) == 0
    assert "folder" in capsys.readouterr().out


def test_sweep_prepare_explains_the_flags_it_shares_with_sweep(capsys):
    # prepare listed --days, --samples and -n with no description and no default
    def flags(*argv: str) -> str:
        assert main([*argv, "--help"]) == 0
        text = " ".join(capsys.readouterr().out.split("options:")[1].split())  # wrapped by width
        return text[text.index("--days DAYS") : text.index("--out OUT")].split("--jobs JOBS")[0]

    prepare = flags("sweep", "prepare")
    assert prepare == flags("sweep")
    assert "simulate this many days per run" in prepare and "replications per point" in prepare
    assert prepare.count("(default: the sweep file's)") == 3


TIED = (
    GRID.replace('kind = "grid"', 'kind = "lhs"\nsamples = 6\nseed = 1').split("[[parameter]]")[0]
    + """
[[parameter]]
key = 'kommun."Täby".population_65plus'   # at most the kommun's population: a rule tying two values
range = [10000, 60000]

[[parameter]]
key = 'kommun."Täby".population'
range = [20000, 80000]
"""
)


def test_a_rule_tying_two_parameters_is_checked_at_every_point_before_anything_runs(
    write_sweep, tmp_path, capsys
):
    # every range end and both corners pass; point 0 (65+ 41898 of 29505) does not: the sweep wrote
    # its manifest and runs, then died there, and could never finish (QA, 27 Nov 2026)
    from sweep_helpers import vk

    path = write_sweep(TIED)
    out = tmp_path / "out"
    proc = vk("sweep", str(path), "--out", str(out), "-j", "1")
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"{path}: point 0 of the design ("), lines[0]
    assert "population_65plus: 41898 is not allowed; expected at most population" in lines[0]
    assert not out.exists(), "nothing may be written: no manifest, no runs"
    assert main(["sweep", "prepare", str(path), "--out", str(out)]) == 2
    assert "point 0 of the design" in capsys.readouterr().err
    assert not out.exists()
    # ranges that cannot cross are accepted
    load_sweep(write_sweep(TIED.replace("range = [10000, 60000]", "range = [1000, 20000]")))


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("key = 'kommun.Täby.assessor_capacity'\nlevels = [3]", "kommun.Täby.assessor_capacity"),
        ('name = "rate"\nkey = \'rules."sip_call_rate"\'\nlevels = [0.5]', 'rules."sip_call_rate"'),
        ('name = "rate"\nkey = "rules.sip_call_rate"\nlevels = [0.5]', "rules.sip_call_rate"),
    ],
)
def test_one_field_set_by_two_parameters_under_two_spellings_is_refused(
    write_sweep, tmp_path, capsys, extra, key
):
    # two spellings of one key path were two keys: the second silently overwrote the first
    lines = _bad(write_sweep, tmp_path, capsys, GRID + "\n[[parameter]]\n" + extra + "\n")
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{tmp_path / 'sweep.toml'}: {key}: set by two parameters"), lines[0]


@pytest.mark.parametrize(
    ("base", "says"),
    [
        # valid TOML, but not a scenario: its problems were 8 lines blamed on the sweep file's keys
        (str(ROOT / "pyproject.toml"), "is not a scenario file: it has top-level keys a scenario does not"),
        (str(ROOT / "sweeps" / "example-grid.toml"), "is not a scenario file (it is a sweep file)"),
        ("partial.toml", "is not a valid scenario: hospital: required key is missing (1 of 4 problems"),
        ("zero-days.toml", "is not a valid scenario: days: 0 is not allowed"),
        # these named the base file only, not the sweep file that pointed at it
        ("/tmp", "is a folder; expected a scenario .toml file"),
        ("broken.toml", "is not a scenario: not valid TOML"),
    ],
)
def test_a_base_that_is_not_a_scenario_is_one_line_naming_base(write_sweep, tmp_path, capsys, base, says):
    (tmp_path / "partial.toml").write_text('name = "partial"\n', encoding="utf-8")
    (tmp_path / "zero-days.toml").write_text('extends = "nordost-2019"\ndays = 0\n', encoding="utf-8")
    (tmp_path / "broken.toml").write_text("x = [\n", encoding="utf-8")
    lines = _bad(write_sweep, tmp_path, capsys, GRID.replace(f'"{BASE.as_posix()}"', repr(base), 1))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{tmp_path / 'sweep.toml'}: base: {base!r} "), lines[0]
    assert says in lines[0], lines[0]


def _sampled(kind: str) -> str:
    """GRID as a sampled design of ``kind`` (ranges instead of levels)."""
    extra = {"lhs": "samples = 5", "sobol": "samples = 4", "morris": "samples = 2"}[kind]
    text = GRID.replace('kind = "grid"', f'kind = "{kind}"\n{extra}')
    for levels, rng in (("[0.1, 0.9]", "[0.1, 0.9]"), ("[0.0, 1.0]", "[0, 1]"), ("[2, 6]", "[2, 6]")):
        text = text.replace(f"levels = {levels}", f"range = {rng}")
    return text


@pytest.mark.parametrize("kind", ["grid", "lhs", "sobol", "morris"])
@pytest.mark.parametrize("seed", [2**32, 5_000_000_000, SEED_MAX])
def test_every_documented_sweep_seed_works_for_every_design(write_sweep, kind, seed):
    # a sweep seed of 2**32 or more gave "design.seed: 5000000000 is not allowed" to a grid, which has
    # no design.seed and no random points: the sweep seed was checked as a 32-bit design seed
    text = (GRID if kind == "grid" else _sampled(kind)).replace("seed = 99", f"seed = {seed}")
    spec = load_sweep(write_sweep(text))
    assert spec.seed == seed and spec.design.seed == seed
    again = load_sweep(write_sweep(text))
    assert np.array_equal(spec.matrix, again.matrix)  # same file, same points
    explicit = load_sweep(write_sweep(text.replace(f'kind = "{kind}"', f'kind = "{kind}"\nseed = {seed}')))
    assert np.array_equal(spec.matrix, explicit.matrix)
    if kind != "grid":
        other = load_sweep(write_sweep(text.replace(f"seed = {seed}", f"seed = {seed - 1}")))
        assert not np.array_equal(spec.matrix, other.matrix)  # the seed still moves the points


def test_design_seeds_below_2_32_give_the_points_they_always_gave():
    # the shipped Sobol file, and every folder and notebook made from it, keep their design matrix
    from SALib.sample import sobol

    spec = load_sweep(ROOT / "sweeps" / "levers-sobol.toml")
    assert spec.design.seed == 11
    expected = sobol.sample(spec.problem(), 64, calc_second_order=False, seed=11)
    assert np.array_equal(spec.matrix, expected)


def test_a_design_seed_beyond_63_bits_is_one_line(write_sweep, tmp_path, capsys):
    text = _sampled("lhs").replace('kind = "lhs"', f'kind = "lhs"\nseed = {SEED_MAX + 1}')
    lines = _bad(write_sweep, tmp_path, capsys, text)
    assert lines == [
        f"{tmp_path / 'sweep.toml'}: design.seed: {SEED_MAX + 1} is not allowed; expected a whole number "
        "in [0, 2**63 - 1]"
    ]


def test_a_sweep_seeded_beyond_32_bits_runs_and_analyzes(write_sweep, tmp_path):
    # the design seed is also the analysis's bootstrap seed (SALib takes any whole number >= 0)
    text = _sampled("sobol").replace("seed = 99", f"seed = {SEED_MAX}").replace("replications = 2", "")
    out = tmp_path / "out"
    assert main(["sweep", str(write_sweep(text)), "--out", str(out), "-j", "1", "--days", "10"]) == 0
    assert main(["analyze", str(out)]) == 0
    assert (out / "analysis" / "indices.csv").stat().st_size > 0


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        # the schema names the field (kommun.Täby.assessor_capacity): the user wrote the quotes
        (
            "levels = [2, 6]",
            "range = [-1, 3]\nsteps = 3",
            'kommun."Täby".assessor_capacity: -1 is not allowed; expected greater than or equal to 0',
        ),
        # a keys = [...] lever out of range gave one line per field, naming the fields and not the lever
        (
            "levels = [0.0, 1.0]",
            "levels = [0.0, 1.5]",
            "weekend_staffing (weekend_staffing.vardcentral): 1.5 is not allowed; expected less than or "
            "equal to 1",
        ),
        # an empty key was "a parameter with several keys needs a name"
        (
            'key = "rules.sip_call_rate"',
            'key = ""',
            "parameter[0].key: is empty; expected a key path such as rules.sip_call_rate (the paths --set "
            "takes)",
        ),
        (
            '"weekend_staffing.vardcentral"]',
            '" "]',
            "parameter[1].keys[1]: is empty; expected a key path such as rules.sip_call_rate (the paths "
            "--set takes)",
        ),
        (
            'name = "weekend_staffing"',
            'name = ""',
            "parameter[1].name: '' is not allowed; expected a name (the parameter's column in the rows)",
        ),
        # a rule tying the swept field to another: the line says which value of which parameter broke it
        (
            "key = 'kommun.\"Täby\".assessor_capacity'\nlevels = [2, 6]",
            "key = 'kommun.\"Täby\".population'\nlevels = [1000, 90000]",
            "kommun.Täby.population_65plus: 15400 is not allowed; expected at most population (with "
            'kommun."Täby".population = 1000)',
        ),
    ],
)
def test_a_value_problem_names_the_parameter_and_key_as_written(
    write_sweep, tmp_path, capsys, old, new, line
):
    assert old in GRID
    lines = _bad(write_sweep, tmp_path, capsys, GRID.replace(old, new, 1))
    assert lines == [f"{tmp_path / 'sweep.toml'}: {line}"]


def test_a_sweep_file_not_in_utf8_names_the_line_and_how_to_fix_it(write_sweep, tmp_path, capsys):
    # it said "not valid TOML ('utf-8' codec can't decode byte 0xe4 in position 36: ...)"
    path = write_sweep()
    path.write_bytes(GRID.replace('"test-grid"', '"test-grid"\ndescription = "Täby"', 1).encode("latin-1"))
    lines = _bad(write_sweep, tmp_path, capsys, None)
    assert lines == [
        f"{path}: line 3, column 17: not UTF-8 text (byte 36 is 0xE4, which is 'ä' in Latin-1/Windows-1252); "
        "save the file as UTF-8"
    ]


def test_a_sweep_level_too_small_for_a_float_is_refused_as_written(write_sweep, tmp_path, capsys):
    # TOML reads 1e-400 as 0.0, and the sweep ran a SIP call rate of 0 for it
    lines = _bad(
        write_sweep, tmp_path, capsys, GRID.replace("levels = [0.1, 0.9]", "levels = [1e-400, 0.9]", 1)
    )
    assert lines == [
        f"{tmp_path / 'sweep.toml'}: parameter[0].levels[0]: 1e-400 is not allowed (too small to represent); "
        "write 0 if zero is meant"
    ]


def test_a_corner_problem_says_it_is_the_corner(write_sweep, tmp_path, capsys):
    # each range passes alone; with every parameter at its lowest, 65+ (25000) exceeds the population
    text = TIED.replace("range = [10000, 60000]", "range = [25000, 30000]")
    lines = _bad(write_sweep, tmp_path, capsys, text)
    assert lines == [
        f'{tmp_path / "sweep.toml"}: kommun."Täby".population_65plus: 25000 is not allowed; expected at '
        "most population (every parameter at its lowest value)"
    ]


def test_the_annotated_example_in_the_docs_is_a_valid_sweep_file(tmp_path):
    # copied as-is, it exited 2: levels in a sobol design, and a sobol parameter with levels
    docs = (ROOT / "docs" / "SWEEPS.md").read_text(encoding="utf-8")
    section = docs[docs.index("## 1. The sweep file") : docs.index("## 2. Seeds")]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    (tmp_path / "sweeps").mkdir()
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")  # its base is ../scenarios/nordost-2019.toml
    path = tmp_path / "sweeps" / "levers-sobol.toml"
    path.write_text(blocks[0], encoding="utf-8")
    spec = load_sweep(path)
    assert spec.design.kind == "sobol" and spec.design.seed == 11 and spec.replications == 2
    assert [p.name for p in spec.parameters] == [
        "rules.sip_call_rate",
        "weekend_staffing",
        'kommun."Täby".assessor_capacity',
    ]
    assert spec.n_points == 64 * (3 + 2) and (spec.days, spec.warmup_days) == (365, 30)


def test_a_prepared_folder_is_finished_by_the_sweep_command_with_the_prepare_flags(
    write_sweep, tmp_path, capsys
):
    # docs/SWEEPS.md §4: `vardkedja sweep FILE --out DIR` finishes a prepared folder. After
    # `prepare -n 4` it was refused naming "--replications 2", which the user never typed
    one = GRID.replace("levels = [2, 6]", "levels = [4]").replace("levels = [0.0, 1.0]", "levels = [0.0]")
    one = one.replace("levels = [0.1, 0.9]", "levels = [0.5]")
    path, out = write_sweep(one), tmp_path / "out"
    assert main(["sweep", "prepare", str(path), "--out", str(out), "-n", "4", "--days", "5"]) == 0
    capsys.readouterr()
    assert main(["sweep", str(path), "--out", str(out), "--days", "5"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"{out}: replications: the folder holds this sweep with 4, the sweep file says 2 (fewer would leave "
        "the others out of the design); give -n 4 or more, or another --out"
    ]
    # a --days of the prepare left out: days and warm-up differ, not "the base scenario's contents"
    assert main(["sweep", str(path), "--out", str(out), "-n", "4"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert (
        "it differs in days (5 there, 30 here)); give --days 5 to finish it, or choose another --out" in line
    )
    assert "base scenario" not in line
    assert not list((out / "runs").iterdir()), "nothing may be run"
    assert main(["sweep", str(path), "--out", str(out), "-n", "4", "--days", "5", "-j", "1"]) == 0
    assert len(list((out / "runs").iterdir())) == 4


def test_a_refusal_says_n_or_replications_and_the_flags_that_finish_the_folder(write_sweep, tmp_path, capsys):
    # `-n 2` typed was echoed as "--replications 2"; a folder prepared with --days 5, run without it, was
    # refused naming "days (5 there, 30 here)" and left the user to work out the --days 5 to give
    one = GRID.replace("levels = [2, 6]", "levels = [4]").replace("levels = [0.0, 1.0]", "levels = [0.0]")
    one = one.replace("levels = [0.1, 0.9]", "levels = [0.5]")
    path, out = write_sweep(one), tmp_path / "out"
    assert main(["sweep", "prepare", str(path), "--out", str(out), "-n", "3", "--days", "5"]) == 0
    capsys.readouterr()

    def refusal(*flags: str) -> str:
        assert main(["sweep", str(path), "--out", str(out), "-j", "1", *flags]) == 2
        [line] = capsys.readouterr().err.strip().splitlines()
        return line

    line = refusal("-n", "2", "--days", "5")
    assert "-n/--replications 2 would leave the others out" in line, line
    assert "give -n/--replications 3 or more, or another --out" in line, line
    differs = "it differs in days (5 there, 30 here)); "
    assert refusal("-n", "3").endswith(differs + "give --days 5 to finish it, or choose another --out")
    assert refusal().endswith(differs + "give --days 5 -n 3 to finish it, or choose another --out")
    # a difference of the file's own (its seed) has no flag to give
    other = write_sweep(one.replace("seed = 99", "seed = 100"), "other.toml")
    assert main(["sweep", str(other), "--out", str(out), "--days", "5", "-n", "3"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "differs in seed (99 there, 100 here)" in line and "give" not in line
    # --samples alike
    lhs = GRID.replace('kind = "grid"', 'kind = "lhs"\nsamples = 2').replace("levels", "range")
    lhs_path, lhs_out = write_sweep(lhs, "lhs.toml"), tmp_path / "lhs"
    assert main(["sweep", "prepare", str(lhs_path), "--out", str(lhs_out), "--samples", "3"]) == 0
    capsys.readouterr()
    assert main(["sweep", str(lhs_path), "--out", str(lhs_out)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    differs = "it differs in design samples (3 there, 2 here)); "
    assert line.endswith(differs + "give --samples 3 to finish it, or choose another --out"), line
    assert not list((out / "runs").iterdir()) and not list((lhs_out / "runs").iterdir()), "nothing may run"


def test_a_warm_up_that_does_not_fit_in_the_days_is_said_as_run_says_it(write_sweep, tmp_path, capsys):
    # `sweep --days 20` of a file with warmup_days = 30 ran every run without a warm-up, silently
    # (`vardkedja run --days 20` says so in a note)
    path = write_sweep(GRID.replace("days = 30\nwarmup_days = 0", "days = 40\nwarmup_days = 30"))
    spec_args = ["sweep", "prepare", str(path), "--days", "20", "-n", "1"]
    assert main([*spec_args, "--out", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    assert err.count("note: ") == 1
    assert "20 days is not longer than the warm-up of 30 days; every run counts from day 0" in err
    assert load_sweep(path, days=20).warmup_days == 0
    assert main(["sweep", "prepare", str(path), "-n", "1", "--out", str(tmp_path / "q")]) == 0
    assert "note:" not in capsys.readouterr().err  # 40 days hold a warm-up of 30
