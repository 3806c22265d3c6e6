"""`vardkedja analyze` ranks a lever that matters above one that does not, and its files are reproducible."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import numpy as np
import pandas as pd
import pytest
from sweep_helpers import BASE, EXE

from runner.fsmodes import MACHINE
from vardkedja_cli.main import main

DESIGN = f"""
name = "test-{{kind}}"
base = "{BASE.as_posix()}"
seed = 5
replications = {{reps}}
days = {{days}}
warmup_days = 0
metrics = ["gap_events.sip_not_called", "sip_rate"]

[design]
kind = "{{kind}}"
samples = {{samples}}
seed = 3

[[parameter]]
name = "sip_call_rate"
key = "rules.sip_call_rate"          # decides whether a SIP is called: matters
range = [0.0, 1.0]

[[parameter]]
name = "price"
key = "rules.payment_price_sek"      # only prices payment days afterwards: cannot move SIP calls
range = [5000.0, 10000.0]
"""


def _sweep_and_analyze(tmp_path, kind, samples, reps, days):
    path = tmp_path / f"{kind}.toml"
    path.write_text(DESIGN.format(kind=kind, samples=samples, reps=reps, days=days), encoding="utf-8")
    out = tmp_path / kind
    assert main(["sweep", str(path), "--out", str(out), "-j", "2"]) == 0
    assert main(["analyze", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def morris(tmp_path_factory):
    return _sweep_and_analyze(tmp_path_factory.mktemp("m"), "morris", 4, 2, 60)


def test_morris_ranks_the_lever_that_matters_first(morris):
    ranking = pd.read_csv(morris / "analysis" / "ranking.csv")
    top = ranking[(ranking["metric"] == "gap_events.sip_not_called") & (ranking["rank"] == 1)]
    assert top["parameter"].tolist() == ["sip_call_rate"] and top["measure"].tolist() == ["mu_star"]
    ix = pd.read_csv(morris / "analysis" / "indices.csv").set_index(["metric", "parameter"])
    mu = ix.loc["gap_events.sip_not_called", "mu_star"]
    assert mu["sip_call_rate"] > 3 * mu["price"]
    assert {"mu", "mu_star", "mu_star_conf", "sigma"} <= set(ix.columns)
    for name in ("report.html", "report.md", "points.csv", "figures/gap_events.sip_not_called.png"):
        assert (morris / "analysis" / name).stat().st_size > 0
    html = (morris / "analysis" / "report.html").read_text()
    assert "<table>" in html and 'src="figures/sip_rate.png"' in html


def test_analysis_files_are_byte_identical(morris, tmp_path):
    assert main(["analyze", str(morris), "--out", str(tmp_path / "again")]) == 0
    for p in sorted((morris / "analysis").rglob("*")):
        if p.is_file():
            assert (tmp_path / "again" / p.relative_to(morris / "analysis")).read_bytes() == p.read_bytes(), p


def test_sobol_indices_with_intervals(tmp_path):
    out = _sweep_and_analyze(tmp_path, "sobol", 8, 1, 40)
    ix = pd.read_csv(out / "analysis" / "indices.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(ix.columns)
    assert len(pd.read_parquet(out / "runs")) == 8 * (2 + 2)
    st = ix[ix["metric"] == "gap_events.sip_not_called"].set_index("parameter")["ST"]
    assert st["sip_call_rate"] > st["price"]


def test_a_sweep_too_small_says_its_ranking_is_not_resolved(tmp_path, capsys):
    # Sobol with N = 1: S1 = -425 and ST = 338 were ranked without a word (QA, 26 Nov 2026)
    out = _sweep_and_analyze(tmp_path, "sobol", 1, 1, 30)
    lines = capsys.readouterr().out.splitlines()
    ranked = [line for line in lines if "[ST]" in line]
    assert ranked and all("NOT RESOLVED" in line for line in ranked), lines
    ranking = pd.read_csv(out / "analysis" / "ranking.csv")
    assert not ranking["resolved"].any()
    md = (out / "analysis" / "report.md").read_text()
    assert "not resolved" in md and "is not a result" in md


def test_one_replication_gives_no_interval_in_points_csv(tmp_path):
    # it gave ci_low = ci_high = mean, a zero-width "95 % t-interval"
    out = _sweep_and_analyze(tmp_path, "lhs", 4, 1, 30)
    points = pd.read_csv(out / "analysis" / "points.csv")
    assert points["n"].eq(1).all() and points["mean"].notna().any()
    assert points["ci_low"].isna().all() and points["ci_high"].isna().all()
    assert (out / "analysis" / "figures" / "sip_rate.png").stat().st_size > 0  # drawn without bars


def test_a_lever_that_matters_is_resolved(morris):
    ranking = pd.read_csv(morris / "analysis" / "ranking.csv").set_index(["metric", "rank"])
    assert ranking.loc[("gap_events.sip_not_called", 1), "resolved"]


def test_analyze_refuses_an_unfinished_sweep(tmp_path, capsys):
    path = tmp_path / "m.toml"
    path.write_text(DESIGN.format(kind="morris", samples=2, reps=1, days=30), encoding="utf-8")
    out = tmp_path / "m"
    assert main(["sweep", "prepare", str(path), "--out", str(out)]) == 0
    assert main(["sweep", "run-one", str(out), "--index", "0"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "5 of 6 runs are missing" in err[0]
    assert main(["analyze", str(out), "--metric", "nope"]) == 2
    assert "--metric: 'nope' is not in this sweep" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("sobol", "too few base samples: 1"),
        ("morris", "too few base samples: 1"),
    ],
)
def test_one_base_sample_is_not_resolved_and_warns_nothing(tmp_path, kind, says):
    # zero-width bootstrap intervals (0.0, or 1e-16) around S1 = 1.246 or μ* = 82.5, an empty σ, and
    # resolved = True; Morris also printed numpy's "Degrees of freedom <= 0" on stderr (QA, 27 Nov 2026)
    from sweep_helpers import vk

    path = tmp_path / f"{kind}.toml"
    path.write_text(DESIGN.format(kind=kind, samples=1, reps=1, days=30), encoding="utf-8")
    out = tmp_path / kind
    assert main(["sweep", str(path), "--out", str(out), "-j", "1"]) == 0
    proc = vk("analyze", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr, proc.stderr
    ranked = [line for line in proc.stdout.splitlines() if line.startswith(("sip_rate", "gap_events"))]
    assert ranked and all(f"NOT RESOLVED: {says}" in line for line in ranked), proc.stdout
    ranking = pd.read_csv(out / "analysis" / "ranking.csv")
    assert list(ranking.columns) == ["metric", "rank", "parameter", "measure", "value", "resolved", "reason"]
    # Morris σ of one trajectory is undefined: a dash in the report, not "nan"
    assert re.search(r"\bnan\b", (out / "analysis" / "report.md").read_text(), re.IGNORECASE) is None
    assert not ranking["resolved"].any() and ranking["reason"].str.startswith(says).all()
    assert f"not resolved: {says}" in (out / "analysis" / "report.html").read_text()


def test_one_latin_hypercube_point_says_too_few_samples_not_that_no_lever_moves_it(tmp_path):
    from sweep_helpers import vk

    path = tmp_path / "lhs.toml"
    path.write_text(DESIGN.format(kind="lhs", samples=1, reps=1, days=30), encoding="utf-8")
    out = tmp_path / "lhs"
    assert main(["sweep", str(path), "--out", str(out), "-j", "1"]) == 0
    proc = vk("analyze", str(out))
    assert proc.returncode == 0 and "Warning" not in proc.stderr, proc.stderr
    assert (
        "no lever moves it" not in proc.stdout
        and "no lever moves it" not in (out / "analysis" / "report.md").read_text()
    )
    for metric in ("sip_rate", "gap_events.sip_not_called"):
        assert f"{metric}: not analysed (too few samples: 1 point," in proc.stdout, proc.stdout


def _ix(**columns):
    return pd.DataFrame({"metric": "m", "parameter": ["a", "b"], **columns})


@pytest.mark.parametrize(
    ("kind", "indices", "says"),
    [
        # S1 above 1 is sampling error as ST above 1 is
        ("sobol", _ix(S1=[1.246, 0.1], S1_conf=[0.3, 0.1], ST=[0.9, 0.1], ST_conf=[0.05, 0.05]), "outside"),
        # a zero-width interval around a nonzero index: no interval at all
        ("sobol", _ix(S1=[0.8, 0.1], S1_conf=[0.0, 0.1], ST=[0.9, 0.1], ST_conf=[0.05, 0.05]), "zero width"),
        ("sobol", _ix(S1=[0.8, 0.1], S1_conf=[0.1, np.nan], ST=[0.9, 0.1], ST_conf=[0.05, 0.05]), "missing"),
        ("sobol", _ix(S1=[0.8, 0.1], ST=[0.9, 0.1], ST_conf=[0.05, 0.05]), "missing"),
        ("morris", _ix(mu_star=[80.0, 20.0], mu_star_conf=[1e-15, 0.0], sigma=[3.0, 1.0]), "zero width"),
        ("morris", _ix(mu_star=[80.0, 20.0], mu_star_conf=[5.0, 5.0], sigma=[np.nan, np.nan]), "σ undefined"),
    ],
)
def test_an_index_without_a_real_interval_is_not_resolved(kind, indices, says):
    from vardkedja_cli.analyze import _unresolved

    why = _unresolved(indices, "m", kind)
    assert why is not None and says in why, why


def test_a_lever_with_no_effect_and_no_interval_leaves_the_ranking_resolved():
    # a lever that cannot move the metric has index 0 and interval 0: that is an answer, not a gap
    from vardkedja_cli.analyze import _unresolved

    ok = _ix(S1=[0.8, 0.0], S1_conf=[0.1, 0.0], ST=[0.9, 0.0], ST_conf=[0.05, 0.0])
    assert _unresolved(ok, "m", "sobol") is None
    ok = _ix(mu_star=[80.0, 0.0], mu_star_conf=[5.0, 0.0], sigma=[3.0, 0.0])
    assert _unresolved(ok, "m", "morris") is None


@pytest.mark.parametrize(
    ("metric", "title"),
    [
        ("ready_bed_days", "Utskrivningsklara bed-days (ready_bed_days)"),
        ("gap_events.sip_not_called", "Gap events: SIP not called (gap_events.sip_not_called)"),
        (
            "gaps_per_100_discharges_by_kind.no_care_contact",
            "Gap events per 100 discharges: no fast vårdkontakt named "
            "(gaps_per_100_discharges_by_kind.no_care_contact)",
        ),
        ("gap_events.not_a_kind", "gap_events.not_a_kind"),
    ],
)
def test_a_figure_is_titled_with_the_metrics_name_and_its_column(metric, title):
    # notebook 03's figures were titled ready_bed_days, the runs table's column alone
    from vardkedja_cli.analyze import _title

    assert _title(metric) == title


GRID5 = f"""
name = "test-grid5"
base = "{BASE.as_posix()}"
seed = 7
replications = 1
days = 20
warmup_days = 0
metrics = ["ready_bed_days", "sip_rate", "gap_events.sip_not_called"]

[design]
kind = "grid"

[[parameter]]
name = "sip_call_rate"
key = "rules.sip_call_rate"
levels = [0.0, 0.25, 0.5, 0.75, 1.0]

[[parameter]]
name = "price"
key = "rules.payment_price_sek"      # one level: this lever does not move
levels = [5000.0]
"""


@pytest.fixture(scope="module")
def grid5(tmp_path_factory):
    folder = tmp_path_factory.mktemp("g5")
    (folder / "grid5.toml").write_text(GRID5, encoding="utf-8")
    assert main(["sweep", str(folder / "grid5.toml"), "--out", str(folder / "g5"), "-j", "2"]) == 0
    assert main(["analyze", str(folder / "g5")]) == 0
    return folder / "g5"


def _exact_p(x, y):
    """Two-sided exact p of Spearman's ρ: the share of all pairings with |ρ| at least the observed."""
    from itertools import permutations

    from scipy import stats

    observed = abs(stats.spearmanr(x, y).statistic)
    rhos = [abs(stats.spearmanr(list(p), y).statistic) for p in permutations(x)]
    return sum(r >= observed - 1e-12 for r in rhos) / len(rhos)


def test_a_small_grids_spearman_p_value_is_exact(grid5):
    # the asymptotic p said ρ = 0.9 of 5 points had p = 0.037 (exact 0.083) and marked the ranking
    # resolved; ρ = 1 of 3 points had p = 0.0 (QA, grid with levels [0.2, 0.6, 1.0])
    ix = pd.read_csv(grid5 / "analysis" / "indices.csv")
    points = pd.read_csv(grid5 / "analysis" / "points.csv").sort_values("point")
    ranking = pd.read_csv(grid5 / "analysis" / "ranking.csv")
    for r in ix[ix["parameter"] == "sip_call_rate"].itertuples():
        pts = points[points["metric"] == r.metric]
        p = _exact_p(pts["sip_call_rate"].tolist(), pts["mean"].tolist())
        assert r.p_value == pytest.approx(p, abs=1e-12), r
        assert ranking[ranking["metric"] == r.metric]["resolved"].all() == (p < 0.05), r


@pytest.mark.parametrize(
    ("x", "y", "p"),
    [
        ([0.0, 0.25, 0.5, 0.75, 1.0], [5.0, 4.0, 2.0, 3.0, 1.0], 1 / 12),  # ρ = -0.9; asymptotic 0.037
        ([0.2, 0.6, 1.0], [1.0, 2.0, 3.0], 1 / 3),  # ρ = 1; asymptotic 0.0
        ([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], 1 / 12),  # four points: never significant
    ],
)
def test_spearman_p_value_of_few_points_is_exact(x, y, p):
    from vardkedja_cli.analyze import _spearman

    assert _spearman(np.array(x), np.array(y), seed=3)[1] == pytest.approx(p)


def test_spearman_p_value_from_random_permutations_is_the_same_on_a_rerun():
    from vardkedja_cli.analyze import _spearman

    rng = np.random.default_rng(1)
    x = rng.random(30)
    y = x + rng.random(30)
    first = _spearman(x, y, seed=3)
    assert first == _spearman(x, y, seed=3) and 0 < first[1] < 0.05


def test_a_lever_that_does_not_vary_is_not_ranked(grid5, tmp_path, capsys):
    # a one-level grid parameter got ρ = 0 and p = 1 and was ranked last in rankings marked resolved
    ix = pd.read_csv(grid5 / "analysis" / "indices.csv").set_index("parameter")
    assert ix.loc["price", ["spearman_rho", "p_value"]].isna().all(axis=None)
    assert ix.loc["sip_call_rate", "spearman_rho"].notna().all()
    ranking = pd.read_csv(grid5 / "analysis" / "ranking.csv")
    assert set(ranking["parameter"]) == {"sip_call_rate"} and ranking["rank"].eq(1).all()
    assert "price does not vary in this design" in (grid5 / "analysis" / "report.md").read_text()
    capsys.readouterr()
    assert main(["analyze", str(grid5), "--metric", "sip_rate", "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "sip_rate: sip_call_rate (1)  [abs_spearman_rho]  (not ranked: price does not vary" in out, out


def test_an_undefined_index_is_a_dash_in_the_report_and_empty_in_the_csv(grid5):
    # the report's indices table showed "nan" for the ρ and p of a lever that does not vary
    analysis = grid5 / "analysis"
    md = (analysis / "report.md").read_text()
    rows = [line for line in md.splitlines() if line.endswith("| price | – | – |")]
    assert len(rows) == 3, md
    html = (analysis / "report.html").read_text()
    assert "<td>price</td>\n<td>–</td>\n<td>–</td>" in html
    for text in (md, html, *(p.read_text() for p in analysis.glob("*.csv"))):
        assert re.search(r"\bnan\b", text, re.IGNORECASE) is None
    assert "ready_bed_days,price,,\n" in (analysis / "indices.csv").read_text()


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_an_analysis_of_fewer_metrics_replaces_the_earlier_one_whole(grid5, tmp_path):
    # analyze DIR, then analyze DIR --metric M, left the other metrics' figures in analysis/figures
    out = tmp_path / "a"
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["analyze", str(grid5), "--out", str(out)]) == 0
    assert len(list((out / "figures").iterdir())) == 3
    assert main(["analyze", str(grid5), "--out", str(out), "--metric", "sip_rate"]) == 0
    assert [p.name for p in (out / "figures").iterdir()] == ["sip_rate.png"]
    assert sorted(p.name for p in out.iterdir()) == [
        "figures", "indices.csv", "points.csv", "ranking.csv", "report.html", "report.md"
    ]  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "keep.txt"]  # nothing left beside it
    from runner.fsmodes import folder_mode

    assert out.stat().st_mode & 0o777 == folder_mode()  # not mkdtemp's 0700


def test_an_interrupted_analysis_leaves_the_earlier_one_as_it_was(grid5, tmp_path, monkeypatch):
    import vardkedja_cli.analyze as analyze_module

    out = tmp_path / "a"
    assert main(["analyze", str(grid5), "--out", str(out)]) == 0
    before = _files(out)

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(analyze_module, "_plot_points", stop)  # after the CSV files are written
    with pytest.raises(KeyboardInterrupt):
        analyze_module.analyze(grid5, out, ["sip_rate"])
    assert _files(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["a"]

    rename = analyze_module.os.rename

    def stop_publishing(src, dst):  # between moving the earlier analysis aside and the new one in
        if str(src).endswith(".tmp"):
            raise KeyboardInterrupt
        rename(src, dst)

    monkeypatch.undo()
    monkeypatch.setattr(analyze_module.os, "rename", stop_publishing)
    with pytest.raises(KeyboardInterrupt):
        analyze_module.analyze(grid5, out, ["sip_rate"])
    monkeypatch.undo()
    assert _files(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_what_an_analyze_killed_outright_left_beside_is_removed_by_the_next(grid5, tmp_path):
    # SIGKILL mid-way left .a.<random>.tmp beside the analysis, and nothing ever removed it
    out = tmp_path / "a"
    proc = subprocess.Popen(
        [EXE, "analyze", str(grid5), "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline and not list(tmp_path.glob(".a.*.tmp")):
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    left = [p.name for p in tmp_path.iterdir()]
    assert proc.returncode == -signal.SIGKILL and any(n.startswith(".a.") for n in left), left
    ended = subprocess.Popen(["true"])
    ended.wait()
    kept = [
        f".a.{MACHINE}-{os.getpid()}.at_work0.tmp",  # an analyze at work (this process is alive)
        ".a.0a0b0c0d-1.elsewhr0.tmp",  # another machine's: its writer cannot be looked up
        f".ab.{MACHINE}-{ended.pid}.otherdst.tmp",  # another destination's
        f".a.{MACHINE}-{ended.pid}.notafold.tmp",  # a file, not a folder analyze makes
    ]
    for name in kept[:3]:
        (tmp_path / name).mkdir()
    (tmp_path / kept[3]).write_text("")
    assert main(["analyze", str(grid5), "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a", *kept])
    assert _files(out) == _files(grid5 / "analysis")  # the analysis is the uninterrupted one


@pytest.mark.parametrize("other", ["notes.md", "figures/notes.md"])
def test_analyze_does_not_replace_a_folder_holding_other_files(grid5, tmp_path, capsys, other):
    out = tmp_path / "a"
    assert main(["analyze", str(grid5), "--out", str(out)]) == 0
    (out / other).write_text("mine")
    before = _files(out)
    capsys.readouterr()
    assert main(["analyze", str(grid5), "--out", str(out), "--metric", "sip_rate"]) == 2
    assert f"holds what analyze does not write ({other})" in capsys.readouterr().err
    assert _files(out) == before
    assert main(["analyze", str(grid5), "--out", str(grid5)]) == 2  # the sweep folder itself
    assert "analysis, manifest.json, runs" in capsys.readouterr().err


def test_the_reason_for_indices_out_of_bounds_names_the_bounds_checked():
    # it said "indices outside [0, 1]" while the check is [-0.1, 1.1]: an ST of 1.05 passes it
    from vardkedja_cli.analyze import _unresolved

    out = _ix(S1=[1.246, 0.1], S1_conf=[0.3, 0.1], ST=[0.9, 0.1], ST_conf=[0.05, 0.05])
    assert _unresolved(out, "m", "sobol") == "indices outside [-0.1, 1.1], too few samples"
    inside = _ix(S1=[0.8, -0.05], S1_conf=[0.1, 0.1], ST=[1.05, 0.1], ST_conf=[0.05, 0.05])
    assert "outside" not in (_unresolved(inside, "m", "sobol") or "")
