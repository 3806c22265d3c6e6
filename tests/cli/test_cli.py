"""The vardkedja command through its real entry point (the installed console script)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from simulation import SUMMARY_KEYS, load_scenario

ROOT = Path(__file__).resolve().parents[2]
NORDOST = ROOT / "scenarios" / "nordost.toml"
EXE = shutil.which("vardkedja", path=str(Path(sys.executable).parent)) or "vardkedja"


def _interruptible() -> None:
    """In the child before exec: SIGINT as a terminal gives it. A test run started in the background
    (``cmd &``, nohup) ignores SIGINT, the command inherited that, and Python then keeps ignoring it:
    the run finished instead of stopping."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt_when(cmd: list[str], ready, every: float = 0.1) -> tuple[int, str]:
    """Start ``cmd``, send its process SIGINT once ``ready()`` (or once it has ended, or after five
    minutes), and wait: its exit code and stderr."""
    import signal
    import time

    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_interruptible
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not ready() and proc.poll() is None:
        time.sleep(every)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def vk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=600)


@pytest.fixture(scope="module")
def single_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("run") / "r"
    proc = vk("run", str(NORDOST), "--days", "60", "--seed", "7", "--out", str(out))
    return out, proc


def test_run_writes_contract_and_prints_headline(single_run):
    out, proc = single_run
    assert proc.returncode == 0, proc.stderr
    assert "utskrivningsklara bed-days" in proc.stdout
    summary = json.loads((out / "summary.json").read_text())
    for key in (*SUMMARY_KEYS, "scenario", "seed", "version"):
        assert key in summary
    assert summary["seed"] == 7 and summary["scenario"] == "nordost"
    assert 0.0 <= summary["ready_bed_share"] <= 1.0
    # one replication, no interval: not ci_low == ci_high == mean, which reads as certainty
    share = summary["metrics"]["ready_bed_share"]
    assert share == {"mean": summary["ready_bed_share"], "ci_low": None, "ci_high": None, "n": 1}
    assert all(v["ci_low"] is None for v in summary["metrics"]["gap_events"].values())
    for table in ("daily", "episodes", "gap_events", "ward_daily", "kommun_daily"):
        df = pd.read_parquet(out / f"{table}.parquet")
        assert {"scenario", "replication", "seed"} <= set(df.columns)
    assert (out / "figures" / "gap_network.png").stat().st_size > 1000
    assert not (out / "figures" / "ready_over_time.svg").exists()  # SVG only with --svg


def test_same_seed_gives_byte_identical_tables(single_run, tmp_path):
    out, _ = single_run
    again = tmp_path / "again"
    proc = vk("run", str(NORDOST), "--days", "60", "--seed", "7", "--out", str(again), "--no-plots")
    assert proc.returncode == 0, proc.stderr
    for name in ("episodes.parquet", "gap_events.parquet", "daily.parquet", "summary.json"):
        assert _contents(out / name) == _contents(again / name), name


def _contents(path: Path) -> bytes | dict[str, bytes]:
    """A file's bytes, or a folder's (a table's Parquet dataset) file names with their bytes."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return path.read_bytes()


def test_a_table_is_a_folder_of_the_replications_files_read_as_one(tmp_path):
    """Each table of a run is a Parquet dataset: its replications' own files, linked not copied,
    which pandas reads as one table in replication order."""
    out = tmp_path / "r"
    base = ["run", str(NORDOST), "--days", "40", "-n", "3", "--seed", "5", "--no-plots", "--out", str(out)]
    assert vk(*base).returncode == 0
    folder = out / "episodes.parquet"
    assert sorted(p.name for p in folder.iterdir()) == [
        "rep-0000.parquet",
        "rep-0001.parquet",
        "rep-0002.parquet",
    ]
    for i in range(3):
        part, own = (
            folder / f"rep-{i:04d}.parquet",
            out / "replications" / f"rep-{i:04d}" / "episodes.parquet",
        )
        assert part.stat().st_ino == own.stat().st_ino  # the same file: nothing encoded or stored twice
    df = pd.read_parquet(folder)
    assert df["replication"].tolist() == sorted(df["replication"]) and set(df["replication"]) == {0, 1, 2}
    pieces = [pd.read_parquet(out / "replications" / f"rep-{i:04d}" / "episodes.parquet") for i in range(3)]
    pd.testing.assert_frame_equal(df, pd.concat(pieces, ignore_index=True))


def test_parallel_equals_serial_and_resume(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    base = ["run", str(NORDOST), "--days", "45", "-n", "3", "--seed", "11", "--no-plots"]
    assert vk(*base, "-j", "1", "--out", str(serial)).returncode == 0
    assert vk(*base, "-j", "2", "--out", str(parallel)).returncode == 0
    s1 = json.loads((serial / "summary.json").read_text())
    s2 = json.loads((parallel / "summary.json").read_text())
    assert s1 == s2
    assert len(set(s1["replication_seeds"])) == 3 and s1["replication_seeds"][0] == 11
    assert set(s1["metrics"]) >= set(SUMMARY_KEYS)
    for name in ("episodes.parquet", "daily.parquet"):
        assert _contents(serial / name) == _contents(parallel / name)
    # An interrupted run: one replication missing and a half-written one left behind.
    shutil.rmtree(serial / "replications" / "rep-0002")
    (serial / "replications" / ".rep-0002.half").mkdir()
    proc = vk(*base, "-j", "1", "--out", str(serial))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((serial / "summary.json").read_text()) == s1
    assert not list((serial / "replications").glob(".rep-*"))


BAD = {
    "unknown_key": (
        "[rules]\npaymnet_price_sek = 1\n",
        "rules.paymnet_price_sek",
        "did you mean 'payment_price_sek'",
    ),
    "wrong_type": ('[rules]\ndigital_meetings = "often"\n', "rules.digital_meetings", "bool"),
    "negative_beds": (
        '[ward."Geriatrik 1"]\nbeds = -3\n',
        "ward.Geriatrik 1.beds",
        "greater than or equal to 0",
    ),
    "probability": (
        "[rules]\nmisplacement_probability = 1.5\n",
        "rules.misplacement_probability",
        "less than or equal to 1",
    ),
    "unknown_kommun": ('[vardcentral."Täby vc 1"]\nkommun = "Tby"\n', "vardcentral.Täby vc 1.kommun", "Täby"),
    "missing_parent": (None, "extends", "not found"),
    "bad_distribution": (
        '[patients]\ntreatment_days = { dist = "weibull", shape = 2 }\n',
        "patients.treatment_days",
        "distribution",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenario_gives_one_clear_line(case, tmp_path):
    body, key, hint = BAD[case]
    path = tmp_path / f"{case}.toml"
    if body is None:
        path.write_text('extends = "no-such-file.toml"\n')
    else:
        path.write_text(f'extends = "nordost"\n{body}')
    out = tmp_path / "out"
    proc = vk("run", str(path), "--out", str(out), "--days", "10")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(path) in lines[0] and key in lines[0] and hint in lines[0]
    assert not out.exists()  # nothing half-written
    assert vk("validate", str(path)).returncode == 2


def test_circular_extends(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    proc = vk("validate", str(tmp_path / "a.toml"))
    assert proc.returncode == 2 and "circular" in proc.stderr and "Traceback" not in proc.stderr


def test_validate_all_shipped_and_show_round_trips(tmp_path):
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.toml"))
    proc = vk("validate", *files)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": ok") == len(files)
    shown = vk("show", str(ROOT / "scenarios" / "pandemic-spring-2020.toml"))
    assert shown.returncode == 0
    path = tmp_path / "shown.toml"
    path.write_text(shown.stdout)
    tomllib.loads(shown.stdout)
    assert load_scenario(path) == load_scenario(ROOT / "scenarios" / "pandemic-spring-2020.toml")


def test_show_marks_values_something_overrides_and_values_set_changed(tmp_path):
    # `show sip-campaign` printed every vårdcentral's sip_call_rate = 0.6, read as the rate in force,
    # while rules.sip_call_rate = 0.95 overrides them all
    scenario = str(ROOT / "scenarios" / "sip-campaign.toml")
    shown = vk("show", scenario, "--set", "ward.Geriatrik 1.beds=30", "--set", "rules.payment_price_sek=8200")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    overridden = "sip_call_rate = 0.6  # in force: 0.95 (set by rules.sip_call_rate)"
    assert lines.count(overridden) == len(load_scenario(scenario).vardcentral) > 1
    assert "sip_call_rate = 0.95" in lines  # the rule itself, as written
    assert "payment_price_sek = 8200.0  # --set" in lines
    marked_beds = [line for line in lines if line.startswith("beds = ") and "#" in line]
    assert marked_beds == ["beds = 30  # --set"]  # Geriatrik 1's alone
    table = lines.index('[ward."Geriatrik 1"]')
    assert "beds = 30  # --set" in lines[table : table + 5]
    path = tmp_path / "shown.toml"
    path.write_text(shown.stdout, encoding="utf-8")  # the comments change nothing
    settings = ["ward.Geriatrik 1.beds=30", "rules.payment_price_sek=8200"]
    assert load_scenario(path) == load_scenario(scenario, settings)

    # an integrated kommun: its vårdcentral's own rota and relationship are not the ones in force
    integrated = tmp_path / "integrated.toml"
    integrated.write_text(
        'extends = "nordost"\nname = "integrated"\n[kommun."Norrtälje"]\nintegrated_primary_care = true\n'
        '[vardcentral."Norrtälje vc 1"]\nroster = [1, 1, 1, 1, 1, 0, 0.25]\n'
        '[relationships.strengths]\n"Norrtälje|Norrtälje vc 1" = 0.3\n',
        encoding="utf-8",
    )
    shown = vk("show", str(integrated))
    assert shown.returncode == 0, shown.stderr
    by = "set by kommun.Norrtälje.integrated_primary_care"
    assert (
        f'"Norrtälje|Norrtälje vc 1" = 0.3  # in force: 1.0 ({by}: one organisation, at full strength)'
        in (shown.stdout.splitlines())
    )
    assert re.search(
        rf"(?m)^roster = \[  # in force: \[1\.0, 1\.0, 1\.0, 1\.0, 1\.0, 0\.0, 0\.25\] \({by}: ", shown.stdout
    )
    tomllib.loads(shown.stdout)


def test_show_json_stays_json_with_the_notes_under_one_key():
    scenario = str(ROOT / "scenarios" / "sip-campaign.toml")
    shown = vk("show", scenario, "--format", "json", "--set", "ward.Geriatrik 1.beds=30")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    notes = data.pop("_notes")
    assert notes["set"] == ["ward.Geriatrik 1.beds"]
    assert notes["in_force"]["vardcentral.Täby vc 1.sip_call_rate"] == {
        "value": 0.95,
        "set_by": "rules.sip_call_rate",
    }
    assert data["vardcentral"]["Täby vc 1"]["sip_call_rate"] == 0.6  # the value itself stays as written
    plain = json.loads(vk("show", str(NORDOST), "--format", "json").stdout)
    assert "_notes" not in plain  # nothing to note: the output it always was


def test_compare_writes_report(tmp_path):
    out = tmp_path / "cmp"
    proc = vk(
        "compare",
        str(ROOT / "scenarios" / "nordost-2019.toml"),
        str(ROOT / "scenarios" / "weekend-everyone.toml"),
        "-n",
        "2",
        "--days",
        "60",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out / "comparison.csv")
    assert tuple(table.columns) == (
        "scenario",
        "metric",
        "mean",
        "ci_low",
        "ci_high",
        "diff",
        "diff_low",
        "diff_high",
        "n",
    )
    html = (out / "report.html").read_text()
    assert "<table>" in html and "data:image/png;base64," in html
    md = (out / "report.md").read_text()
    assert "weekend_staffing.vardcentral" in md  # what the variant changes is spelled out


def test_ctrl_c_keeps_finished_replications_and_rerun_finishes(tmp_path):
    out = tmp_path / "intr"
    cmd = [
        EXE,
        "run",
        str(NORDOST),
        "--days",
        "150",
        "-n",
        "12",
        "--seed",
        "5",
        "--no-plots",
        "--out",
        str(out),
    ]
    staging = tmp_path / ".intr.partial"  # the run works beside its folder until complete
    # two finished (with two workers, replication 1 may finish before replication 0)
    code, err = _interrupt_when(cmd, lambda: len(list((staging / "replications").glob("rep-*"))) >= 2, 0.2)
    assert code == 130, err
    assert "Traceback" not in err and "finished replications are kept" in err
    assert not out.exists()  # nothing half-done where the results go
    done = sorted(p.name for p in (staging / "replications").glob("rep-*"))
    assert 2 <= len(done) < 12
    assert not list((staging / "replications").glob(".rep-*"))
    for name in done:
        assert (staging / "replications" / name / "manifest.json").exists()
    again = vk(
        "run", str(NORDOST), "--days", "150", "-n", "12", "--seed", "5", "--no-plots", "--out", str(out)
    )
    assert again.returncode == 0, again.stderr
    assert f"reused {len(done)} of 12 replications" in again.stderr
    assert len(list((out / "replications").glob("rep-*"))) == 12
    assert not staging.exists() and not (tmp_path / ".intr.lock").exists()


def test_compare_writes_only_into_its_folder_and_reuses_an_earlier_run_untouched(tmp_path):
    # compare used to run its scenarios into results/<scenario>/..., outside --out, and so cut an
    # earlier `run -n 3` of the base scenario down to its own 2 replications, figures and tables gone.
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    first = vk("run", a, "-n", "3", "--days", "30", "--no-plots", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    [earlier] = (tmp_path / "results" / "nordost-2019").iterdir()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    before = {p: p.read_bytes() for p in files}
    out = tmp_path / "cmp"
    proc = vk("compare", a, b, "-n", "2", "--days", "30", "--no-plots", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "nordost-2019: replications run 0, reused 2" in proc.stdout
    assert "weekend-everyone: replications run 2, reused 0" in proc.stdout
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(out)}
    assert after == before  # the earlier run as it was; nothing written outside --out
    summary = json.loads((out / "summary.json").read_text())
    shown = [s["folder"] for s in summary["scenarios"]]
    assert shown == ["runs/nordost-2019", "runs/weekend-everyone"]  # inside the comparison
    for folder in shown:
        assert len(list((out / folder / "replications").glob("rep-*"))) == 2
    assert not list(tmp_path.glob(".*"))  # no work folder or lock left beside it
    replace_run = vk(
        "compare", a, b, "-n", "2", "--days", "30", "--out", str(earlier), "--force", cwd=tmp_path
    )
    assert replace_run.returncode == 2 and "not a comparison folder" in replace_run.stderr
    assert {p: p.read_bytes() for p in files} == before


def test_a_compare_resumes_over_its_own_work_of_other_settings(tmp_path):
    # an interrupted compare of the same names with another --set leaves runs of another digest in its
    # work folder; the next compare replaces them instead of refusing "another scenario or seed"
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    out = tmp_path / "cmp"
    stale = tmp_path / ".cmp.partial" / "runs" / "nordost-2019"
    stale.mkdir(parents=True)
    (stale / "scenario.json").write_text(json.dumps({"digest": "0000000000", "base_seed": 2019}))
    proc = vk("compare", a, b, "-n", "1", "--days", "20", "--no-plots", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "runs" / "nordost-2019" / "scenario.json").read_text())["digest"] != "0000000000"


def test_a_resumed_compare_says_which_replications_it_recomputed(tmp_path):
    # compare printed how many replications it reused but never why it recomputed the others
    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    first = vk("compare", a, b, "-n", "2", "--days", "20", "--no-plots", "--out", str(tmp_path / "one"))
    assert first.returncode == 0, first.stderr
    work = tmp_path / ".cmp.partial"  # as an interrupted compare into cmp leaves it
    shutil.copytree(tmp_path / "one", work)
    (work / "runs" / "nordost-2019" / "replications" / "rep-0001" / "manifest.json").unlink()
    proc = vk("compare", a, b, "-n", "2", "--days", "20", "--no-plots", "--out", str(tmp_path / "cmp"))
    assert proc.returncode == 0, proc.stderr
    assert "nordost-2019: replications run 1, reused 1" in proc.stdout
    assert "weekend-everyone: replications run 0, reused 2" in proc.stdout
    folder = work / "runs" / "nordost-2019"
    assert f"note: replication 1 in {folder} has no manifest: recomputed" in proc.stderr


def test_a_compare_with_set_says_so_in_every_report(tmp_path):
    # the settings were applied to every scenario but recorded nowhere: a reader could not know
    import docx
    import openpyxl

    a, b = str(ROOT / "scenarios" / "nordost-2019.toml"), str(ROOT / "scenarios" / "weekend-everyone.toml")
    out = tmp_path / "cmp"
    setting = "rules.sip_call_rate=0.9"
    proc = vk("compare", a, b, "-n", "1", "--days", "30", "--no-plots", "--set", setting, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "summary.json").read_text())["settings"] == [setting]
    assert setting in (out / "report.md").read_text() and setting in (out / "report.html").read_text()
    document = docx.Document(str(out / "report.docx"))
    assert any(setting in p.text for p in document.paragraphs)
    props = document.core_properties  # not python-docx's template's author and comment
    assert (props.author, props.comments) == ("vardkedja", "") and props.title.startswith("Comparison")
    assert openpyxl.load_workbook(out / "comparison.xlsx").properties.creator == "vardkedja"
    about = openpyxl.load_workbook(out / "comparison.xlsx")["about"]
    assert [setting] == [r[1] for r in about.iter_rows(values_only=True) if r[0] == "--set (every scenario)"]


@pytest.mark.parametrize("after", [1, 3])
def test_sigint_to_the_main_process_alone_stops_a_run_with_two_workers(tmp_path, after):
    # kill -INT, timeout or a batch system signal the main process only (Ctrl-C signals the whole
    # group). It used to wait at exit, now and then for good, for workers that waited for work.
    import signal
    import time

    out = tmp_path / "intr"
    cmd = [EXE, "run", str(NORDOST), "--days", "150", "-n", "12", "-j", "2", "--no-plots", "--out", str(out)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_interruptible
    )
    reps = tmp_path / ".intr.partial" / "replications"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(reps.glob("rep-*"))) < after and proc.poll() is None:
        time.sleep(0.1)
    workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert workers, "the run has its worker processes"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "finished replications are kept" in err
    time.sleep(0.5)
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived the run"


def test_several_problems_give_one_line_each(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'extends = "nordost"\n[rules]\npaymnet_price_sek = 1\n'
        'misplacement_probability = 2\n[ward."Geriatrik 1"]\nbeds = -1\n'
    )
    proc = vk("validate", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert {"rules.paymnet_price_sek", "rules.misplacement_probability", "ward.Geriatrik 1.beds"} == {
        line.split(": ")[1] for line in lines
    }


def test_the_terminal_lines_are_swedish_with_lang_sv(tmp_path):
    out = tmp_path / "r"
    cmd = ["run", str(NORDOST), "--days", "20", "-n", "2", "--no-plots", "--lang", "sv", "--out", str(out)]
    first = vk(*cmd)
    assert first.returncode == 0 and f"resultat: {out}" in first.stdout, first.stderr
    again = vk(*cmd)
    assert "återanvände 2 av 2 replikeringar" in again.stderr and "reused" not in again.stderr
    other = str(ROOT / "scenarios" / "sip-campaign.toml")
    cmp = vk(
        "compare", str(NORDOST), other, "--days", "20", "-n", "1", "--no-plots", "--lang", "sv", cwd=tmp_path
    )
    assert cmp.returncode == 0, cmp.stderr
    assert "replikeringar körda" in cmp.stdout and "jämförelse: " in cmp.stdout
    assert not any(w in cmp.stdout for w in ("replications run", "comparison:"))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "reused the one replication from an earlier run; nothing left to run"),
        ("sv", "återanvände den enda replikeringen från en tidigare körning; inget kvar att köra"),
    ],
    ids=["en", "sv"],
)
def test_a_rerun_of_one_replication_says_it_reused_it_in_words_not_1_of_1(tmp_path, lang, said):
    # it said "reused 1 of 1 replications from an earlier run; ran 0"
    cmd = ["run", str(NORDOST), "--days", "20", "--no-plots", "--lang", lang, "--out", str(tmp_path / "r")]
    assert vk(*cmd).returncode == 0
    again = vk(*cmd)
    assert again.returncode == 0, again.stderr
    assert said in again.stderr.splitlines()
    assert "1 of 1" not in again.stderr and "1 av 1" not in again.stderr


def test_the_note_on_wards_without_a_coordinator_is_in_the_run_s_language(tmp_path):
    no_coordinator = 'ward."Medicin 1".coordinator_capacity=0'
    cmd = ["run", str(NORDOST), "--days", "20", "--no-plots", "--set", no_coordinator]
    proc = vk(*cmd, "--lang", "sv", "--out", str(tmp_path / "sv"))
    assert proc.returncode == 0, proc.stderr
    said = "obs: coordinator_capacity = 0 på 1 avdelning(ar) (Medicin 1): patienter som behöver insatser"
    assert said in proc.stderr, proc.stderr
    assert "note:" not in proc.stderr and "patients" not in proc.stderr
    proc = vk(*cmd, "--out", str(tmp_path / "en"))
    assert "note: coordinator_capacity = 0 on 1 ward(s) (Medicin 1): patients who need" in proc.stderr


def test_a_days_shorter_than_the_warm_up_says_the_warm_up_is_dropped(tmp_path):
    proc = vk("run", str(NORDOST), "--days", "20", "--no-plots", "--out", str(tmp_path / "short"))
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stderr.splitlines() if "warm-up" in line]
    assert notes == [
        f"note: {NORDOST}: --days 20 is not longer than its warm-up of 30 days; run without a warm-up "
        "(every day counts)"
    ]
    assert json.loads((tmp_path / "short" / "summary.json").read_text())["warmup_days"] == 0
    # a horizon longer than the warm-up keeps it, without a word
    proc = vk("run", str(NORDOST), "--days", "40", "--no-plots", "--out", str(tmp_path / "long"))
    assert proc.returncode == 0 and "warm-up" not in proc.stderr
    assert json.loads((tmp_path / "long" / "summary.json").read_text())["warmup_days"] == 30
    proc = vk(
        "run", str(NORDOST), "--days", "20", "--no-plots", "--lang", "sv", "--out", str(tmp_path / "sv")
    )
    assert proc.returncode == 0, proc.stderr
    assert f"obs: {NORDOST}: --days 20 är inte längre än dess insvängning på 30 dagar" in proc.stderr
    # compare says it once per scenario file, after its answer
    base, variant = ROOT / "scenarios" / "nordost-2019.toml", ROOT / "scenarios" / "weekend-everyone.toml"
    proc = vk("compare", str(base), str(variant), "-n", "2", "--days", "20", "--no-plots", "--out",
              str(tmp_path / "cmp"))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stderr.splitlines() if "warm-up" in line]
    assert [n.split(": ")[1] for n in notes] == [str(base), str(variant)]


def test_the_command_s_quick_exit_loses_no_output_and_keeps_the_exit_code(capsys):
    """After `run`, `compare`, `calibrate`, `validate` and `show` the console script ends the process
    without the interpreter's teardown (``main.entry``): everything printed must still arrive."""
    from vardkedja_cli.main import main

    scenario = str(ROOT / "scenarios" / "pandemic-spring-2020.toml")
    assert main(["show", scenario, "--format", "json"]) == 0
    in_process = capsys.readouterr().out
    assert len(in_process) > 8192  # more than the output buffer of a piped stdout
    shown = vk("show", scenario, "--format", "json")
    assert (shown.returncode, shown.stdout) == (0, in_process)
    bad = vk("validate", scenario, str(ROOT / "README.md"))
    assert bad.returncode == 2 and bad.stdout.count(": ok") == 1 and "README.md" in bad.stderr


def _close_fd(fd: int):
    import os

    return lambda: os.close(fd)


@pytest.mark.parametrize(("closed", "args"), [(2, ["-n", "2"]), (1, [])])
def test_a_run_started_with_stderr_or_stdout_closed_finishes(tmp_path, closed, args):
    """`2>&-` once left `run -n 2` waiting for good (its progress bar failed after the figure process was
    made, which then kept the main process waiting at exit); `>&-` gave a traceback."""
    out = tmp_path / "r"
    cmd = [EXE, "run", str(NORDOST), "--days", "40", *args, "--out", str(out)]
    pipe = {"stdout": subprocess.PIPE} if closed == 2 else {"stderr": subprocess.PIPE}
    proc = subprocess.run(cmd, cwd=ROOT, text=True, timeout=120, preexec_fn=_close_fd(closed), **pipe)
    assert proc.returncode == 0
    assert "Traceback" not in (proc.stdout or proc.stderr or "")
    assert (out / "summary.json").is_file() and (out / "figures" / "gap_network.png").is_file()


_INTERRUPTED_IMPORT = """
import sys, time
from pathlib import Path

class Interrupt:  # Ctrl-C arriving while scipy.special is being imported
    def find_spec(self, name, path=None, target=None):
        if name == "scipy.special":
            raise KeyboardInterrupt

sys.meta_path.insert(0, Interrupt())
from simulation import load_scenario
from runner.experiment import run_experiment
sc = load_scenario("scenarios/nordost.toml", days=365)
t0 = time.monotonic()
try:
    run_experiment(sc, Path(sys.argv[1]), replications=8, jobs=2)
except KeyboardInterrupt:
    reps = len(list(Path(sys.argv[1]).parent.glob(".*.partial/replications/rep-*")))
    print(round(time.monotonic() - t0, 1), reps)
"""


def test_an_interrupt_while_the_workers_start_stops_them_at_once(tmp_path):
    """Ctrl-C in the moment the main process imports what the interval needs, just after handing the
    replications to its workers, once waited for all of them (eight years here) before it stopped."""
    proc = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_IMPORT, str(tmp_path / "run")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    seconds, finished = proc.stdout.split()
    assert int(finished) < 8, proc.stdout
    assert float(seconds) < 5, proc.stdout


def test_an_interrupted_compare_says_what_is_kept_in_the_language_asked_for(tmp_path):
    out = tmp_path / "cmp"
    base = [
        EXE,
        "compare",
        str(ROOT / "scenarios" / "nordost-2019.toml"),
        str(ROOT / "scenarios" / "weekend-everyone.toml"),
    ]
    cmd = [*base, "-n", "6", "--days", "120", "--no-plots", "--lang", "sv", "--out", str(out)]
    staging = tmp_path / ".cmp.partial"
    code, err = _interrupt_when(cmd, lambda: bool(list(staging.glob("**/rep-*"))))
    assert code == 130, err
    assert "avbruten: färdiga replikeringar finns kvar bredvid" in err and str(out) in err
    assert "Traceback" not in err


def test_a_run_interrupted_before_any_replication_finished_does_not_say_any_is_kept(tmp_path):
    out = tmp_path / "r"
    cmd = [EXE, "run", str(NORDOST), "-n", "2", "-j", "1", "--no-plots", "--out", str(out)]
    staging = tmp_path / ".r.partial"
    code, err = _interrupt_when(cmd, (staging / "replications").is_dir, 0.02)
    assert code == 130, err
    assert not list((staging / "replications").glob("rep-*"))  # a year takes longer than the signal
    assert "interrupted before any replication finished" in err and "are kept" not in err


def _on_a_terminal(cmd: list[str]) -> list[str]:
    """Run ``cmd`` with stdout and stderr on a pseudo-terminal 100 columns wide (so tqdm shows its
    bar), check it succeeded, and return what the terminal shows: each line as its last ``\\r``
    left it."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))  # 100 columns, as a terminal
    proc = subprocess.Popen(cmd, stdout=child, stderr=child, cwd=ROOT)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=300) == 0
    os.close(main)
    text = b"".join(chunks).decode()
    return [line.split("\r")[-1] for line in text.replace("\r\n", "\n").split("\n")]


def test_compare_on_a_terminal_opens_with_the_answer_and_writes_nothing_onto_its_progress_bar(tmp_path):
    # on a terminal "nordost-2019: replications run 0, reused 3" was written onto the end of the bar
    # ("…114.60rep/s]nordost-2019: …"), and those lines came before the answer
    other = tmp_path / "other.toml"
    other.write_text('extends = "nordost"\nname = "other"\n[rules]\nsip_call_rate = 0.95\n')
    cmd = [EXE, "compare", str(NORDOST), str(other), "-n", "2", "-j", "1", "--days", "20", "--no-plots"]
    lines = _on_a_terminal([*cmd, "--out", str(tmp_path / "c")])
    bars = [line for line in lines if "rep" in line and "|" in line]
    assert bars, lines  # the bar was shown: this is a terminal
    for line in bars:
        assert re.search(r"\]\S", line) is None, line  # nothing written onto the bar's end
    said = [line for line in lines if line.strip() and line not in bars]
    assert said[0].startswith("other"), said  # the answer, first
    assert said.index("nordost: replications run 2, reused 0") > 1


@pytest.mark.parametrize("command", ["run", "compare"])
def test_with_lang_sv_the_terminal_and_its_progress_bar_are_swedish(tmp_path, command):
    # the bar said "replications: 67%|… 2/3 [00:01<00:00, 1.75rep/s]" ("rep" is a rope in Swedish)
    if command == "run":
        cmd = [EXE, "run", str(NORDOST), "-n", "3"]
    else:
        other = tmp_path / "other.toml"
        other.write_text('extends = "nordost"\nname = "other"\n[rules]\nsip_call_rate = 0.95\n')
        cmd = [EXE, "compare", str(NORDOST), str(other), "-n", "2"]
    cmd += ["-j", "1", "--days", "30", "--no-plots", "--lang", "sv", "--out", str(tmp_path / "out")]
    lines = _on_a_terminal(cmd)
    bars = [line for line in lines if "|" in line and "%" in line]
    assert bars, lines  # the bar was shown: this is a terminal
    assert all(line.startswith("replikeringar: ") for line in bars), bars
    assert all(re.search(r"replikering/s\]$|s/replikering\]$", line) for line in bars), bars
    text = "\n".join(lines)
    assert re.search(r"\brep\b", text) is None, text
    for english in ("replications", "note:", "results:", "comparison:", "reused", " run "):
        assert english not in text, english
    assert f"obs: {NORDOST}: --days 30 är inte längre än dess insvängning" in text  # its notes, too
    said = "resultat: " if command == "run" else "jämförelse: "
    assert any(line.startswith(said) for line in lines), lines


def test_a_compare_interrupted_before_any_replication_finished_leaves_no_staging_folder(tmp_path):
    """ "nothing to keep" once left ``.cmp.partial/runs/`` behind, empty of anything to resume."""
    out = tmp_path / "cmp"
    nordost_2019 = str(ROOT / "scenarios" / "nordost-2019.toml")
    cmd = [EXE, "compare", nordost_2019, str(NORDOST), "-n", "2", "-j", "1", "--no-plots", "--out", str(out)]
    staging = tmp_path / ".cmp.partial"
    code, err = _interrupt_when(cmd, (staging / "runs").is_dir, 0.02)
    assert code == 130, err
    assert "interrupted before any replication finished: nothing to keep" in err, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no staging folder, no lock file


def test_a_compare_interrupted_early_keeps_a_staging_folder_it_did_not_make(tmp_path):
    out = tmp_path / "cmp"
    staging = tmp_path / ".cmp.partial"
    (staging / "runs").mkdir(parents=True)  # an earlier attempt's: not this command's to remove
    cmd = [EXE, "compare", str(ROOT / "scenarios" / "nordost-2019.toml"), str(NORDOST), "-n", "2"]
    cmd += ["-j", "1", "--no-plots", "--out", str(out)]
    code, err = _interrupt_when(cmd, (staging / "runs" / ".nordost-2019.lock").exists, 0.02)
    assert code == 130, err
    assert staging.is_dir()


def test_a_compare_resumed_with_another_seed_notes_every_scenario_it_discards(tmp_path):
    # the first scenario's finished runs were discarded without a word, the second's with a note
    out = tmp_path / "cmp"
    nordost_2019 = str(ROOT / "scenarios" / "nordost-2019.toml")
    cmd = [EXE, "compare", nordost_2019, str(NORDOST), "-n", "4", "-j", "1", "--days", "20", "--no-plots"]
    cmd += ["--out", str(out)]
    runs = tmp_path / ".cmp.partial" / "runs"
    code, err = _interrupt_when(cmd, (runs / ".nordost.partial" / "replications" / "rep-0000").is_dir, 0.02)
    assert code == 130, err
    assert (runs / "nordost-2019" / "summary.json").is_file(), "the first scenario had finished"
    assert any((runs / ".nordost.partial" / "replications").glob("rep-*")), "the second had begun"
    again = subprocess.run([*cmd, "--seed", "5"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    discarded = [line for line in again.stderr.splitlines() if line.endswith("; discarded")]
    assert len(discarded) == 2, again.stderr
    assert f"{runs / 'nordost-2019'}: left by an interrupted run" in discarded[0]
    assert f"{runs / '.nordost.partial'}: left by an interrupted run" in discarded[1]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 5 and [s["seed"] for s in summary["scenarios"]] == [5, 5]


def test_a_compare_resumed_with_another_scenario_discards_the_dropped_ones_run(tmp_path):
    # `compare A B` interrupted, then `compare A C` into the same folder: B's unfinished run was
    # published inside the comparison of A and C (runs/.nordost.partial)
    out = tmp_path / "cmp"
    nordost_2019 = str(ROOT / "scenarios" / "nordost-2019.toml")
    tail = ["-n", "4", "-j", "1", "--days", "20", "--no-plots", "--out", str(out)]
    runs = tmp_path / ".cmp.partial" / "runs"
    ready = (runs / ".nordost.partial" / "replications" / "rep-0000").is_dir
    code, err = _interrupt_when([EXE, "compare", nordost_2019, str(NORDOST), *tail], ready, 0.02)
    assert code == 130, err
    assert (runs / "nordost-2019" / "summary.json").is_file(), "the first scenario had finished"
    other = ROOT / "scenarios" / "sip-campaign.toml"
    again = vk("compare", nordost_2019, str(other), *tail)
    assert again.returncode == 0, again.stderr
    assert "nordost-2019: replications run 0, reused 4" in again.stdout  # the same run: kept
    assert sorted(p.name for p in (out / "runs").iterdir()) == ["nordost-2019", "sip-campaign"]
    note = f"note: {runs / '.nordost.partial'}: left by an interrupted comparison of other scenarios"
    discarded = [line for line in again.stderr.splitlines() if line.endswith("; discarded")]
    assert discarded == [f"{note}; discarded"], again.stderr


def _short_calibration(tmp_path: Path) -> Path:
    """A scenario folder for `calibrate` whose scenarios run 30 days (a year's calibration takes minutes)."""
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    for name in ("nordost", "nordost-2019", "pandemic-spring-2020"):
        shutil.copy(ROOT / "scenarios" / f"{name}.toml", scenarios)
    base = scenarios / "nordost.toml"
    text = base.read_text(encoding="utf-8")
    text, changed = re.subn(r"(?m)^days = 365\b", "days = 30", text)
    assert changed == 1
    base.write_text(re.sub(r"(?m)^warmup_days = \d+", "warmup_days = 5", text), encoding="utf-8")
    return scenarios


def test_calibrate_with_one_replication_writes_no_interval(tmp_path):
    """ "1 replications" and "5.87 % [5.87, 5.87]": an interval of width 0 read as certainty."""
    scenarios = _short_calibration(tmp_path)
    out = tmp_path / "calibration.md"
    proc = vk("calibrate", "-n", "1", "-j", "1", "--scenario-dir", str(scenarios), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = out.read_text(encoding="utf-8")
    assert "one replication of each scenario" in doc and "1 replications" not in doc
    assert "one replication, no interval" in doc
    targets = [line for line in doc.splitlines() if line.startswith("| nordost-2019 |")]
    assert targets and not any("[" in line for line in targets), targets
    assert re.search(r"(?m)^\| 0\.2 \| \d+ \| \d+\.\d\d \| \d+\.\d \|$", doc), doc
    assert "Gap events per 100 discharges: baseline " in doc and "[" not in doc.split("Gap events")[1]


def test_calibrate_writes_its_document_in_swedish_with_lang_sv(tmp_path):
    # calibrate had no --lang: its document, figure and terminal lines were English whatever was asked
    scenarios = _short_calibration(tmp_path)
    out = tmp_path / "docs" / "kalibrering.md"
    cmd = ["calibrate", "-n", "2", "-j", "1", "--scenario-dir", str(scenarios), "--out", str(out)]
    proc = vk(*cmd, "--lang", "sv")
    assert proc.returncode == 0, proc.stderr
    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("# Kalibrering\n\nSkapad av `vardkedja calibrate` "), doc[:200]
    assert "2 replikeringar av varje scenario från slumptalsfrö 2019" in doc
    for heading in ("## Anpassad parameter", "## Mål", "## Relationernas styrka: dos–respons"):
        assert heading in doc
    assert "| nordost-2019 | Utskrivningsklara patienters andel av belagda vårddygn | 5,8 % |" in doc
    assert re.search(r"(?m)^\| 0,2 \| [\d\xa0]+ \[.+; .+\] \| \d+,\d\d \[", doc), doc  # 0,2 and [low; high]
    for english in ("Generated by", "## Targets", "Why the misses", "replications", "in range", "published"):
        assert english not in doc, english
    assert "kalibreringsdokument: " in proc.stdout and "inom intervallet" in proc.stdout
    assert "in range" not in proc.stdout and "calibration document" not in proc.stdout
    assert (tmp_path / "docs" / "figures" / "relationship-dose-response.png").stat().st_size > 1000

    helped = vk("calibrate", "--help")
    assert helped.returncode == 0
    assert (
        "--lang {en,sv} language of the calibration document, its figure and the terminal (default: en)"
        in (" ".join(helped.stdout.split()))
    )
