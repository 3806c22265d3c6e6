"""mesa.batch_run returns each run's summary; the EMA Workbench drives the model through the adapter."""

from __future__ import annotations

import warnings

import pytest
from sweep_helpers import BASE

from runner.batch import BatchModel
from runner.design import METRICS, SweepError
from simulation import DischargeModel, load_scenario, summarise


def test_batch_run_returns_the_summary_of_each_run():
    from mesa.batchrunner import batch_run

    rows = batch_run(
        BatchModel,
        parameters={"base": str(BASE), "days": 30, "rules.sip_call_rate": [0.1, 0.9]},
        rng=[11, 12],
        max_steps=100,
        display_progress=False,
    )
    assert len(rows) == 4
    for row in rows:
        assert set(METRICS) <= set(row)
        # the same run made by hand gives the same summary
        scenario = load_scenario(
            BASE, {"rules.sip_call_rate": row["rules.sip_call_rate"]}, days=30, warmup_days=0
        )
        summary = summarise(DischargeModel(scenario, seed=row["seed"]).run())
        assert row["ready_bed_days"] == summary["ready_bed_days"]
        assert row["gap_events.sip_not_called"] == summary["gap_events"]["sip_not_called"]
        assert row["sip_rate"] == pytest.approx(summary["sip_rate"], nan_ok=True)
    assert {r["seed"] for r in rows} == {11, 12}


def test_batch_model_keeps_the_daily_table():
    model = BatchModel(base=str(BASE), seed=3, days=20)
    while model.running:
        model.step()
    daily = model.daily_collector.get_model_vars_dataframe()
    assert len(daily) == 20 and "ready_in_beds" in daily
    final = model.datacollector.get_model_vars_dataframe()
    assert len(final) == 1 and final["ready_bed_days"].iloc[0] == model.summary["ready_bed_days"]


def test_ema_workbench_runs_experiments_with_bounds_from_the_schema():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns about optional packages it lacks
        from ema_workbench import IntegerParameter, RealParameter, SequentialEvaluator, perform_experiments

    from runner.ema import ema_model

    model = ema_model(
        BASE,
        uncertainties={"admissions": "patients.admissions_per_1000_65plus"},
        levers={
            "sip_call_rate": "rules.sip_call_rate",
            "weekend": ["weekend_staffing.assessor", "weekend_staffing.vardcentral"],
            "taby_assessors": 'kommun."Täby".assessor_capacity',
        },
        bounds={"patients.admissions_per_1000_65plus": (220, 320), 'kommun."Täby".assessor_capacity': (1, 8)},
        outcomes=["ready_bed_days", "gap_events.sip_not_called"],
        days=30,
        seed=4,
    )
    levers = {p.name: p for p in model.levers}
    assert isinstance(levers["sip_call_rate"], RealParameter)
    assert (levers["sip_call_rate"].lower_bound, levers["sip_call_rate"].upper_bound) == (0.0, 1.0)
    assert isinstance(levers["taby_assessors"], IntegerParameter)
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=2, policies=2, evaluator=evaluator)
    assert len(experiments) == 4
    assert set(outcomes) == {"ready_bed_days", "gap_events__sip_not_called"}
    assert (outcomes["ready_bed_days"] > 0).all()
    # an experiment re-run by hand gives the same outcome
    e = experiments.iloc[0]
    settings = {
        "patients.admissions_per_1000_65plus": float(e["admissions"]),
        "rules.sip_call_rate": float(e["sip_call_rate"]),
        "weekend_staffing.assessor": float(e["weekend"]),
        "weekend_staffing.vardcentral": float(e["weekend"]),
        'kommun."Täby".assessor_capacity': int(e["taby_assessors"]),
    }
    summary = summarise(DischargeModel(load_scenario(BASE, settings, days=30, warmup_days=0), seed=4).run())
    assert outcomes["ready_bed_days"][0] == summary["ready_bed_days"]


def test_ema_adapter_needs_bounds_the_schema_lacks():
    from runner.ema import ema_model

    with pytest.raises(SweepError, match=r"capacity.home_help_starts: the schema gives no upper bound"):
        ema_model(BASE, levers=["capacity.home_help_starts"])
    with pytest.raises(SweepError, match=r"rules.nope: unknown key"):
        ema_model(BASE, levers=["rules.nope"])
