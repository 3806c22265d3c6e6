"""Fuzz: generated bad scenario files and argument lists all end the same way.

Exit code 2, exactly one line on stderr, no "Traceback", nothing written to the out folder (nor
anywhere in the working folder), and nothing simulated. Each generated input carries exactly one
defect, so "one line" is the contract (several defects give one line each, tested elsewhere).
Runs in-process through ``vardkedja_cli.main.main`` for speed.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from builders import deep_merge, small_scenario_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vardkedja_cli.main import main

# Numeric keys of the small scenario; every one is >= 0 and bounded far below 1e13.
NUMERIC = [
    ("days",),
    ("warmup_days",),
    ("rules", "payment_threshold_days"),
    ("rules", "payment_price_sek"),
    ("rules", "forced_discharge", "max_wait_days"),
    ("patients", "admissions_per_1000_65plus"),
    ("patients", "holiday_weight"),
    ("patients", "readmission_gap_factor"),
    ("patients", "kommun_support", "none"),
    ("relationships", "planning_slowdown"),
    ("capacity", "assessor"),
    ("ward", "W1", "beds"),
    ("ward", "W1", "coordinator_capacity"),
    ("ward", "W2", "staff_turnover_per_year"),
    ("kommun", "K1", "population"),
    ("kommun", "K1", "population_65plus"),
    ("kommun", "K2", "assessor_capacity"),
    ("kommun", "K2", "short_term_places"),
    ("vardcentral", "V1a", "tasks_per_day"),
    ("defaults", "ward", "coordinator_capacity"),
    ("defaults", "kommun", "care_home_places"),
]
PROBABILITY = [
    ("rules", "misplacement_probability"),
    ("weekend_staffing", "assessor"),
    ("ward", "W2", "notice_reliability"),
    ("kommun", "K1", "initial_place_occupancy"),
    ("relationships", "initial_strength"),
    ("sip", "held_probability_digital"),
    ("defaults", "vardcentral", "sip_call_rate"),
]
TABLES = [(), ("rules",), ("patients",), ("ward", "W1"), ("kommun", "K2"), ("sip",), ("durations",)]
KNOWN = {
    "days", "seed", "name", "description", "rules", "patients", "sip", "durations", "capacity", "beds",
    "hospital", "serves", "population", "hospitals", "relationships", "ward", "kommun", "vardcentral",
    "sources", "start_date", "warmup_days", "weekend_staffing", "defaults",
}  # fmt: skip

huge = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan]),
    st.floats(min_value=1e13, max_value=1e308),
    st.integers(min_value=10**13, max_value=10**40),
)
negative = st.one_of(
    st.integers(max_value=-1, min_value=-(10**30)), st.floats(max_value=-1e-9, min_value=-1e300)
)
big_days = st.floats(36501, 1e12)
not_a_number = st.one_of(
    st.text(alphabet="abcdefghjkmpqrstuvwxyzåäö ", min_size=1, max_size=20),
    st.lists(st.integers(0, 9), max_size=3),
    st.fixed_dictionaries({"x": st.integers(0, 9)}),
)
tiny = st.sampled_from(["1e-400", "-1e-400", "2e-324", "9.9e-999", "1_0e-400", "0.000_1e-330"])
bad_name = st.one_of(
    st.text(min_size=1, max_size=40).filter(lambda s: "/" in s or " " in s or s[0] == "." or "]" in s),
    st.sampled_from(["..", "../../..", "/etc", "a/../../b", ".hidden", "C:\\x", "x](y)", "a b"]),
    st.text(alphabet="abcåäö123", min_size=81, max_size=300),
)
bad_dist = st.one_of(
    st.builds(lambda v: {"dist": "fixed", "value": v}, st.one_of(huge, negative)),
    st.builds(lambda m: {"dist": "lognormal", "mu": m, "sigma": 1.0}, st.floats(11, 1e6)),
    st.builds(lambda s: {"dist": "lognormal", "mu": 1.0, "sigma": s}, st.floats(5.01, 1e6)),
    st.builds(lambda m: {"dist": "lognormal", "median": 4.0, "mean": m}, st.one_of(huge, big_days)),
    st.builds(lambda m: {"dist": "geometric", "mean": m}, st.floats(0, 0.99) | big_days),
    st.builds(lambda m: {"dist": "poisson", "mean": m}, st.one_of(huge, negative)),
    st.builds(lambda v: {"dist": "empirical", "values": [1.0, v]}, st.one_of(huge, big_days)),
    st.builds(lambda d: {"dist": d, "mean": 2.0}, st.sampled_from(["weibull", "gamma", "", "Fixed"])),
)


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    tree: Any = value
    for part in reversed(path):
        tree = {part: tree}
    return deep_merge(data, tree)


@st.composite
def bad_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(what is wrong, file contents) with exactly one defect."""
    data = small_scenario_dict()
    kind = draw(
        st.sampled_from(
            [
                "huge",
                "negative",
                "type",
                "probability",
                "unknown",
                "name",
                "dist",
                "binary",
                "toml",
                "extends",
                "tiny",
                "latin1",
            ]
        )
    )
    if kind == "huge":
        data = _set(data, draw(st.sampled_from(NUMERIC)), draw(huge))
    elif kind == "negative":
        data = _set(data, draw(st.sampled_from(NUMERIC)), draw(negative))
    elif kind == "type":
        data = _set(data, draw(st.sampled_from(NUMERIC + PROBABILITY)), draw(not_a_number))
    elif kind == "probability":
        data = _set(data, draw(st.sampled_from(PROBABILITY)), draw(st.floats(1.0001, 1e12) | huge))
    elif kind == "unknown":
        key = draw(st.from_regex(r"[a-z][a-z_]{2,15}", fullmatch=True).filter(lambda k: k not in KNOWN))
        data = _set(data, (*draw(st.sampled_from(TABLES)), key), draw(st.integers(0, 5)))
    elif kind == "seed":
        data["seed"] = draw(st.integers(min_value=2**63, max_value=10**40) | st.integers(max_value=-1))
    elif kind == "name":
        data["name"] = draw(bad_name)
    elif kind == "dist":
        key = draw(st.sampled_from([("patients", "treatment_days"), ("durations", "planning_days")]))
        data = _set(data, key, draw(bad_dist))
    elif kind == "binary":
        return kind, b"\xff" + draw(st.binary(max_size=300))
    elif kind == "toml":
        return kind, ("= " + draw(st.text(max_size=200))).encode("utf-8", "surrogatepass")
    elif kind == "tiny":  # a nonzero number TOML reads as 0
        data = _set(data, draw(st.sampled_from(NUMERIC + PROBABILITY)), 0.123456789)
        return kind, tomli_w.dumps(data).replace("0.123456789", draw(tiny)).encode()
    elif kind == "latin1":  # a file saved as Latin-1 ("ANSI"), not UTF-8
        data["description"] = draw(st.text(alphabet="åäöÅÄÖé", min_size=1, max_size=20))
        return kind, tomli_w.dumps(data).encode("latin-1")
    else:  # extends
        target = draw(st.sampled_from(["/etc/passwd", "/etc/hostname.toml", "~/x.toml", "x.txt", "no-such"]))
        return kind, (f'extends = "{target}"\n' + tomli_w.dumps(data)).encode()
    return kind, tomli_w.dumps(data).encode()


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    import runner.single

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("bad input reached the simulation")

    monkeypatch.setattr(runner.single, "run_one", refuse)


def _assert_refused(argv: list[str], work: Path, before: set[str]) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        cwd = os.getcwd()
        os.chdir(work)
        try:
            code = main(argv)
        finally:
            os.chdir(cwd)
    text = err.getvalue()
    assert code == 2, (argv, text)
    assert "Traceback" not in text
    assert len(text.strip().splitlines()) == 1, (argv, text)
    assert {p.name for p in work.iterdir()} == before, "something was written"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=bad_file(), command=st.sampled_from(["run", "validate", "show", "compare"]))
def test_bad_scenario_files(no_simulation: None, case: tuple[str, bytes], command: str) -> None:
    _, body = case
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "bad.toml"
        path.write_bytes(body)
        good = work / "good.toml"
        good.write_text(tomli_w.dumps(small_scenario_dict(name="good")))
        argv = {
            "run": ["run", str(path), "--out", str(work / "out")],
            "validate": ["validate", str(path)],
            "show": ["show", str(path)],
            "compare": ["compare", str(good), str(path), "-n", "2", "--out", str(work / "out")],
        }[command]
        _assert_refused(argv, work, {"bad.toml", "good.toml"})


bad_args = st.one_of(
    st.tuples(st.just("--seed"), st.one_of(st.integers(max_value=-1), st.integers(min_value=2**63)).map(str)),
    st.tuples(st.just("--seed"), st.sampled_from(["1.5", "x", "", "0x10", "1e3"])),
    st.tuples(
        st.sampled_from(["-n", "--replications"]),
        st.one_of(st.integers(max_value=0), st.integers(10_001)).map(str),
    ),
    st.tuples(st.sampled_from(["-j", "--jobs"]), st.integers(max_value=0).map(str)),
    st.tuples(st.just("--days"), st.one_of(st.integers(max_value=0), st.integers(min_value=36_501)).map(str)),
    st.tuples(st.just("--name"), bad_name),
    st.tuples(st.just("--set"), st.sampled_from([
        "rules.sip_call_rate=1.5", "rules.nope=1", "days=0", "days=inf", "kommun.K1.population=-1",
        "ward.W1.beds=1e30", "rules", "=1", "a..b=1", "name=../x", "patients.treatment_days.mean=nan",
        'kommun."K1".population_65plus=99999999', "seed=-3", "rules.payment_price_sek=1e400",
    ])),
    st.tuples(st.sampled_from(["--sed", "--no-plot", "-x", "--outt"]), st.just("1")),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(arg=bad_args, command=st.sampled_from(["run", "compare"]))
def test_bad_arguments(no_simulation: None, arg: tuple[str, str], command: str) -> None:
    if command == "compare" and arg[0] == "--name":
        arg = ("--seed", "-1")  # compare has no --name
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        a = work / "a.toml"
        a.write_text(tomli_w.dumps(small_scenario_dict(name="a")))
        b = work / "b.toml"
        b.write_text(tomli_w.dumps(small_scenario_dict(name="b")))
        files = [str(a)] if command == "run" else [str(a), str(b)]
        option, value = arg
        _assert_refused(
            [command, *files, f"{option}={value}", "--out", str(work / "out")], work, {"a.toml", "b.toml"}
        )
