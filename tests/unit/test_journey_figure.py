"""The timeline figure of one patient's eight LUS steps (teaching/journey_figure.py)."""

from __future__ import annotations

import io

import pytest
from builders import small_scenario_dict
from matplotlib.colors import to_rgb

from simulation import DischargeModel, scenario_from_dict
from simulation.journey import StepStatus, journey, ready_days, wants_all_steps
from teaching.journey_figure import WAIT_COLOUR, journey_figure
from teaching.journey_view import gap_texts
from teaching.texts import t


@pytest.fixture(scope="module")
def model():
    return DischargeModel(scenario_from_dict(small_scenario_dict(days=120)), seed=1).run()


def _episodes(model):
    return [e for e in model.episodes if wants_all_steps(e) and e.readmission_of < 0 and e.admitted >= 0]


def _wait_bars(ax):
    return [p for p in ax.patches if p.get_gid() == "wait"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_one_row_per_step_with_its_name_and_the_wait_as_long_as_the_wait(model, lang):
    ep = next(e for e in _episodes(model) if ready_days(e, model.day) >= 2)
    fig = journey_figure(ep, model.day, model.gaps.events, lang, model.calendar)
    ax = fig.axes[0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    for n in range(1, 9):
        assert f"{n}. {t(lang, f'journey.step.{n}')}" in labels
    red = _wait_bars(ax)
    assert len(red) == 1
    assert red[0].get_width() == ready_days(ep, model.day)
    assert red[0].get_x() == ep.ready
    assert red[0].get_facecolor()[:3] == pytest.approx(to_rgb(WAIT_COLOUR))
    assert f"Patient {ep.patient_id} " in ax.get_title(loc="left")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_wait_bar_for_a_patient_who_left_the_day_they_were_ready(model):
    ep = next(
        e
        for e in _episodes(model)
        if e.discharged >= 0 and e.discharged <= model.day and ready_days(e, model.day) == 0
    )
    fig = journey_figure(ep, model.day, model.gaps.events, "en", model.calendar)
    assert _wait_bars(fig.axes[0]) == []


def test_a_missed_step_is_named_with_its_gap(model):
    def missed(e):
        return [
            s for s in journey(e, model.day, model.gaps.events) if s.status is StepStatus.MISSED and s.gaps
        ]

    ep = next(e for e in _episodes(model) if missed(e))
    fig = journey_figure(ep, model.day, model.gaps.events, "en", model.calendar)
    texts = [x.get_text() for x in fig.axes[0].texts]
    for step in missed(ep):
        name = t("en", f"gap.{step.gaps[0].value}")
        assert any(name in x and t("en", "journey.status.missed") in x for x in texts), texts
    crosses = [line for line in fig.axes[0].lines if line.get_marker() == "X"]
    assert len(crosses) == len(
        [s for s in journey(ep, model.day, model.gaps.events) if s.status is StepStatus.MISSED]
    )


def test_the_figure_as_of_an_earlier_day_shows_only_what_was_done_by_then(model):
    ep = next(e for e in _episodes(model) if e.discharged > e.admitted + 2)
    early = journey_figure(ep, ep.admitted, model.gaps.events, "en", model.calendar)
    late = journey_figure(ep, model.day, model.gaps.events, "en", model.calendar)
    dots = [line for line in early.axes[0].lines if line.get_marker() == "o"]
    assert len(dots) == sum(
        1 for s in journey(ep, ep.admitted, model.gaps.events) if s.status is StepStatus.DONE
    )
    assert len(dots) < len([line for line in late.axes[0].lines if line.get_marker() in ("o", ">")])


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_done_step_with_a_gap_is_ringed_in_the_gap_colour_and_its_gaps_name_whom_they_concern(model, lang):
    # The app's row shows such a step in the gap colour with ⚠ (teaching/journey_view.py); the figure
    # drew it as cleanly done: the organisation's dot with a white edge and "by W1", no gap named.
    def flawed(e):
        return [s for s in journey(e, model.day, model.gaps.events) if s.status is StepStatus.DONE and s.gaps]

    ep = next(e for e in _episodes(model) if flawed(e) and len(gap_texts(flawed(e)[0], lang)) == 2)
    fig = journey_figure(ep, model.day, model.gaps.events, lang, model.calendar)
    ax = fig.axes[0]
    steps = journey(ep, model.day, model.gaps.events)
    dots = {(line.get_xdata()[0], line.get_ydata()[0]): line for line in ax.lines if line.get_marker() == "o"}
    for i, step in enumerate(steps):
        if step.status is not StepStatus.DONE or step.day > ax.get_xlim()[1]:
            continue
        dot = dots[(step.day, len(steps) - i - 0.5)]
        edge = to_rgb(dot.get_markeredgecolor())
        assert edge == (pytest.approx(to_rgb(WAIT_COLOUR)) if step.gaps else (1.0, 1.0, 1.0)), step.number
    fig.canvas.draw()
    inside = fig.bbox
    for step in flawed(ep):
        texts = [x for x in ax.texts if t(lang, "journey.by", actor=step.actor) in x.get_text()]
        notes = [x for x in texts if to_rgb(x.get_color()) == pytest.approx(to_rgb(WAIT_COLOUR))]
        assert len(notes) == 1, [x.get_text() for x in texts]
        note = notes[0].get_text().replace("\n", " ")
        for text in gap_texts(step, lang):  # e.g. "discharged without inskrivningsmeddelande (K1)"
            assert f"⚠ {text}" in note, note
        box = notes[0].get_window_extent()
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, (box, inside)
