"""The teaching app: where patients fall between the chairs, day by day, in the browser.

Started by ``vardkedja app [SCENARIO]`` (which runs ``solara run teaching.app``). Mesa's SolaraViz gives
the frame: the title bar, play / pause / one day forward / reset, and the model rebuilt from its
parameters on reset. Around it this module puts what a class looks at:

- the chain picture (:mod:`teaching.chain_picture`): the organisations as the chain, edges as wide as
  the relationship is strong, turning red with gaps and flashing when a patient falls through today,
  each node with its waiting utskrivningsklara patients;
- three live plots (:mod:`teaching.live_plots`);
- one patient through the eight LUS steps (:mod:`teaching.journey_view`);
- the lesson (:mod:`teaching.session`, lessons.toml) with its explanation and the teacher's question;
- controls generated from the scenario schema (:mod:`teaching.controls`): a change rebuilds the same
  patients (same seed) from day 0 up to today, so the class sees what would have happened instead;
- Swedish and English.

The model is only stepped and read here; every rule is the simulation's.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter

from simulation.parameters import MAX_SEED
from teaching.chain_picture import chain_svg
from teaching.controls import CONTROLS
from teaching.journey_view import journey_html
from teaching.live_plots import LivePlots
from teaching.session import LESSONS, Setup, TeachingModel
from teaching.texts import LANGS, count, forums_here, lesson_over, lesson_text, number, sip_call_hint, t

__all__ = ["Choices", "ClassroomModel", "Page"]

SCENARIO_ENV = "VARDKEDJA_APP_SCENARIO"
"""A scenario file to explore freely (set by ``vardkedja app SCENARIO``); unset: the lessons."""
LANG_ENV = "VARDKEDJA_APP_LANG"
FREE = "free"
PLAY_INTERVAL_MS = 100
DRAW_WAIT_S = 5.0
"""Longest a step waits for the page to be drawn (a redraw that failed must not stop play for good)."""
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
DRAWER_BELOW_PX = 960
"""Solara's AppLayout makes the sidebar a drawer over the page below this width (``mobile_break_point``):
on a 1280×720 projector at 200 % zoom (640 px) it covers the picture, with Mesa's Step inside it."""
PAGE_CSS = (
    ".plot svg { width: 100%; height: auto; } .chain svg { max-width: 100%; }"
    # SolaraViz's part of the page and the app's sidebar declaration draw nothing there (their content
    # goes to the sidebar and the app bar), but each took a place in the page's column and a gap
    # after it: an empty band of 48 px above the day on a 1280×720 projector. Not laid out while empty
    # (!important: Vuetify's d-flex, on Solara's columns, says display: flex !important).
    " .app-page > :not(:has(:not(:empty), img, canvas, input, iframe, video)) { display: none !important; }"
    # the page's own Step (PageStep), only where Solara's sidebar is a drawer over the page: narrower
    # than Vuetify's mobile break point, 960 px (solara.AppLayout); under the drawer when it is open
    " .page-step { display: none !important; }"
    f" @media (max-width: {DRAWER_BELOW_PX - 0.02}px) {{ .page-step {{ display: inline-flex !important;"
    " position: fixed; right: 16px; bottom: 16px; z-index: 4; } }"
)
PLOT_COLUMN = {"flex": "1 1 560px", "min-width": "300px", "max-width": "900px"}
"""One live plot's share of the page: at least 560 px where there is room, so that on a 1280×720
projector each plot has a row of its own (it was 416 px wide there, its 8-point ticks 10 px tall), two
side by side on a wide screen; at most 900 px, so that the tallest still fits on the screen."""
LABEL_STYLE = "font-size:0.9em;margin-top:6px"
HINT_STYLE = {"font-size": "14px", "color": "#333"}  # read from the back of a classroom, off a projector
NOTE_STYLE = (
    "background:#e8f1fb;border-left:4px solid #1f77b4;padding:8px 12px;margin-top:6px;"
    "font-size:16px;color:#1a1a1a"
)
LESSON_STYLE = "font-size:16px;line-height:1.45;color:#1a1a1a"  # Vuetify's card text: 14 px at 60 % black


def parse_seed(text: str | None, lang: str) -> tuple[int | None, str]:
    """The seed typed into the app, or None and what is wrong with it (in ``lang``)."""
    try:
        value = int((text or "").strip())
    except ValueError:
        value = -1
    if 0 <= value <= MAX_SEED:
        return value, ""
    # number() writes an int exactly, and in Swedish with no-break spaces: the number stays on one line
    return None, t(lang, "app.seed_invalid", max=number(MAX_SEED, 0, lang))


ERROR_STYLE = "background:#fdecea;border-left:4px solid #d62728;padding:8px 12px"


class Choices:
    """The class's current choices. Mesa's Reset rebuilds the model from them (see ClassroomModel)."""

    def __init__(self, setup: Setup) -> None:
        """Start from ``setup``."""
        self.setup = setup
        self.drawn = threading.Event()
        """Set when the page shows the model's day; cleared while it is being drawn (see ChainView)."""
        self.drawn.set()
        self.controller = 0
        """Counts the times Mesa's play buttons were drawn anew (see Page): they keep their own state."""


class ClassroomModel(TeachingModel):
    """The teaching model as SolaraViz builds it: from the class's choices, guarded by a lock.

    SolaraViz steps the model in a worker thread while the page may be drawn from another; the lock
    makes a step and a snapshot of what is shown exclusive.
    """

    def __init__(self, choices: Choices, keep_day: bool = False) -> None:
        """Build the model; ``keep_day`` runs it up to the choices' day, else restarts the lesson."""
        setup = choices.setup if keep_day else replace(choices.setup, run_to=choices.setup.count_from - 1)
        self.lock = threading.Lock()
        self.choices = choices
        super().__init__(setup)

    def step(self) -> None:
        """One day, exclusive of a snapshot, once the page has drawn the day before.

        Playing, SolaraViz steps the model in its own thread and asks for a redraw after every day. A
        redraw the teacher starts (a slider moved, a lesson picked) is drawn in another thread, and it
        starts again whenever the state changes while it draws: a day stepped during every pass of a
        whole page's redraw (longer than the play interval on a busy machine) made Solara give up with
        "Too many renders", lose the change and freeze the page. So a step waits for the page.
        """
        self.choices.drawn.wait(timeout=DRAW_WAIT_S)
        with self.lock:
            super().step()

    def snapshot(self, lang: str) -> dict[str, Any]:
        """Everything the page shows today, taken under the lock."""
        with self.lock:
            ep = self.followed
            highlight = (
                () if ep is None else (ep.ward.name, ep.patient.kommun.name, ep.patient.vardcentral.name)
            )
            return {
                "day": self.day,
                "time": self.time,  # Mesa's count of steps, shown in its Information card
                "date": self.date,
                "off": self.day >= 0 and bool(self.calendar.is_off(self.day)),
                "ready": sum(w.ready_count for w in self.wards),
                "gaps": sum(self.gaps_by_kind.values()),
                "payment_days": self.payment_days,
                "price": self.params.rules.payment_price_sek,
                "svg": chain_svg(
                    self,
                    lang,
                    lay=self.layout,
                    edge_gaps=self.edge_gaps,
                    flashing=self.flashing,
                    highlight=highlight,
                ),
                "journey": journey_html(ep, self.day, self.followed_gaps, lang),
                "series": self.ready_series,
                "by_kind": dict(self.gaps_by_kind),
                "weekdays": list(self.weekday_discharges),
                "count_from": self.setup.count_from,
                "first_date": self.calendar.date(max(self.setup.count_from, 0)),
                "lesson_over": self.lesson_over,
            }


def day_heading(snap: dict[str, Any], lang: str, lesson: bool = False) -> str:
    """The heading above the picture: today, or, before the first watched day, what Step will simulate.

    Before the first step the model stands on the day before the class starts watching: day -1 shown
    as "Day 0" looked as if Step did nothing, and a lesson that starts on Monday 4 March opened on
    "Dag 61: sön 2019-03-03", the last of its silent days.
    """
    names = t(lang, "weekdays").split(",")
    first = snap["count_from"]
    if snap["day"] < first:
        date = snap["first_date"]
        key = "app.lesson_starts" if lesson else "app.not_started"
        return t(lang, key, day=first, weekday=names[date.weekday()], date=date.isoformat())
    text = t(
        lang, "app.day", day=snap["day"], weekday=names[snap["date"].weekday()], date=snap["date"].isoformat()
    )
    if snap["off"]:
        text += f" ({t(lang, 'app.off_day')})"
    return text


def stat_texts(snap: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """The numbers beside the day: (name, the number as shown, its words), each for its count (1 day).

    Every count is written as the money is: thousands separated (no-break spaces in Swedish).
    """
    ready, gaps, days = snap["ready"], snap["gaps"], snap["payment_days"]
    sek = number(days * snap["price"], 0, lang)
    return [
        ("ready", number(ready, 0, lang), count(lang, "app.stat.ready", ready)),
        ("gaps", number(gaps, 0, lang), count(lang, "app.stat.gaps", gaps)),
        ("payment", count(lang, "app.stat.payment_value", days, sek=sek), t(lang, "app.stat.payment")),
    ]


def initial_setup() -> Setup:
    """The app's first setup: the scenario given to ``vardkedja app``, else the first lesson."""
    path = os.environ.get(SCENARIO_ENV)
    if path:
        return Setup(Path(path))
    return Setup.for_lesson(next(iter(LESSONS)))


@solara.component_vue("lesson_top.vue")
def LessonTop(lesson: str) -> None:
    """A mark at the top of the lesson that the page scrolls to when ``lesson`` changes (lesson_top.vue)."""


def time_note(snap: dict[str, Any], lang: str) -> str:
    """How the page's day and Mesa's "Time" (in its Information card) are related.

    Mesa counts the days simulated (``model.time``: 62 once days 0–61 are done), the page names the
    day by its number from 0 (the scenario's own numbering): the card read one more than the page.
    """
    day = snap["day"]
    if day < 0:
        return t(lang, "app.time_note_none")
    return t(lang, "app.time_note", time=number(snap["time"], 0, lang), day=number(day, 0, lang))


@solara.component
def PageStep(model: ClassroomModel, lang: str) -> None:
    """One day forward from the page itself, shown only where the sidebar is a drawer (PAGE_CSS).

    Below 960 px (a projector at 200 % zoom) Solara's sidebar lies over the page, and Mesa's Step is in
    it: each day stepped was stepped with the picture covered. This button stays in a corner of the page
    and does what Mesa's Step does (a day, then a redraw); the model's lock keeps it apart from play.
    """

    def step() -> None:
        model.step()
        force_update()

    solara.Button(t(lang, "app.page_step"), on_click=step, color="primary", classes=["page-step"])


@solara.component
def LessonEnd(model: ClassroomModel, lang: str) -> None:
    """The end of the lesson: its day, the question again, and a button that steps on past it.

    At the lesson's end day the model stops running, so Mesa stops playing and greys out its play and
    Step buttons; this button steps on by hand, as the page's own Next day does (see PageStep).
    """
    lesson = model.lesson
    assert lesson is not None and lesson.end_day is not None
    line, on = lesson_over(lang, lesson.name, lesson.end_day, model.calendar.date(lesson.end_day))

    def step() -> None:
        model.step()
        force_update()

    with solara.Div(classes=["lesson-end"], style=NOTE_STYLE):
        solara.HTML(tag="strong", unsafe_innerHTML=escape(line), attributes={"class": "lesson-end-line"})
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "margin-top": "6px"}):
            solara.Text(on)
            solara.Button(t(lang, "app.page_step"), on_click=step, color="primary", classes=["step-on"])


@solara.component
def ChainView(model: ClassroomModel, lang: str) -> None:
    """Today's picture, numbers, the lesson, the patient followed and the plots."""
    update_counter.get()  # redrawn after every step (Mesa's force_update)
    model.choices.drawn.clear()  # no step until this drawing is on the page (ClassroomModel.step)
    solara.use_effect(model.choices.drawn.set)  # after every render, once it is committed
    plots = solara.use_memo(lambda: LivePlots(lang), [lang])
    snap = model.snapshot(lang)
    day_text = day_heading(snap, lang, lesson=model.lesson is not None)
    lesson = model.lesson
    with solara.Column(style={"padding": "4px 8px", "gap": "8px"}):
        LessonTop(lesson=f"{model.setup.scenario_path}|{model.setup.lesson}")
        PageStep(model, lang)
        with solara.Row(style={"flex-wrap": "wrap", "gap": "24px", "align-items": "baseline"}):
            solara.HTML(tag="h2", unsafe_innerHTML=day_text, attributes={"class": "day-label"})
            for name, value, label in stat_texts(snap, lang):
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"<strong style='font-size:1.3em'>{escape(value)}</strong> "
                    + escape(label),
                    attributes={"class": f"stat stat-{name}"},
                )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=escape(time_note(snap, lang)),
            attributes={"class": "time-note"},
            style=HINT_STYLE,
        )
        if lesson is not None:
            with solara.Card(t(lang, f"lesson.{lesson.name}.title"), classes=["lesson"]):
                # plain text, not solara.Markdown: that loads KaTeX from a CDN for maths the lessons do
                # not have, which a classroom without internet answers with 404s in the console
                solara.HTML(
                    tag="p",
                    unsafe_innerHTML=escape(lesson_text(lang, lesson.name, model.params)),
                    attributes={"class": "lesson-text"},
                    style=LESSON_STYLE,
                )
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"<strong>{escape(t(lang, 'app.question'))}:</strong> "
                    + escape(t(lang, f"lesson.{lesson.name}.question")),
                    attributes={"class": "question"},
                    style=NOTE_STYLE,
                )
                if snap["lesson_over"]:
                    LessonEnd(model, lang)
        with solara.Row(style={"flex-wrap": "wrap", "gap": "12px", "align-items": "flex-start"}):
            with solara.Column(style={"flex": "3 1 560px", "min-width": "320px"}):
                solara.HTML(tag="div", unsafe_innerHTML=snap["svg"], attributes={"class": "chain"})
            with solara.Column(style={"flex": "2 1 320px", "min-width": "280px"}):
                solara.HTML(tag="h3", unsafe_innerHTML=t(lang, "journey.title"))
                solara.HTML(tag="div", unsafe_innerHTML=snap["journey"])
        # one lesson (or scenario explored), one set of axes: a lever moved must not rescale them
        scope = (model.setup.scenario_path, model.setup.lesson)
        svgs = plots.svgs(snap["series"], snap["by_kind"], snap["weekdays"], snap["count_from"], scope)
        with solara.Row(style={"flex-wrap": "wrap", "gap": "8px"}, classes=["plots"]):
            for svg in svgs:
                with solara.Column(style=PLOT_COLUMN):
                    solara.HTML(tag="div", unsafe_innerHTML=svg, attributes={"class": "plot"})


@solara.component
def Controls(model: solara.Reactive[ClassroomModel], lang: str) -> None:
    """The lesson picker, the seed and the scenario's controls (ranges and values from the schema)."""
    current: ClassroomModel = model.value
    choices = current.choices
    setup = choices.setup
    error = solara.use_reactive("")
    seed = solara.use_reactive(str(current.seed))
    seed_problem = solara.use_reactive("")
    base = solara.use_memo(setup.base, [setup.scenario_path, setup.lesson])
    scenario = current.params

    def rebuild(new: Setup, keep_day: bool) -> None:
        # Playing, SolaraViz steps the shown model in its own thread and redraws the page after every
        # day. Holding that model's lock while the new one is built stops those steps (each waits for
        # the lock), so no redraws pile up behind a rebuild of a second or two, and today is read
        # while it cannot move. Play then goes on with the new model from today.
        old = model.value
        with old.lock:
            if keep_day:
                new = replace(new, run_to=old.day)
            try:
                fresh = ClassroomModel(Choices(new), keep_day=keep_day)
            except ValueError as exc:  # a combination the schema refuses: say so, keep the model
                error.set(t(lang, "app.error", message=str(exc).splitlines()[0]))
                return
            error.set("")
            choices.setup = new
            fresh.choices = choices
            if not old.running and fresh.running:
                # Mesa's controller keeps the stopped model's state (play and Step greyed out) until its
                # own Reset: a lesson picked after another's end could not be played
                choices.controller += 1
            model.set(fresh)

    def pick_lesson(title: str) -> None:
        name = next((n for n in LESSONS if t(lang, f"lesson.{n}.title") == title), FREE)
        if name == FREE:  # the scenario given to `vardkedja app`, else the lesson's, from day 0
            given = os.environ.get(SCENARIO_ENV)
            new = Setup(Path(given) if given else setup.scenario_path)
        else:
            new = Setup.for_lesson(name)
        rebuild(replace(new, seed=setup.seed), keep_day=False)  # the class's seed stays

    titles = [t(lang, "app.free")] + [t(lang, f"lesson.{n}.title") for n in LESSONS]
    now = t(lang, f"lesson.{setup.lesson}.title") if setup.lesson else t(lang, "app.free")
    with solara.Card():  # the picker's own label says "Lesson": a card title said it twice
        solara.Select(
            label=t(lang, "app.lesson"),
            value=now,
            values=titles,
            on_value=pick_lesson,
            classes=["lesson-picker"],
        )
        solara.Text(t(lang, "app.scenario", name=scenario.name))
        with solara.Row(style={"align-items": "center"}):
            solara.InputText(
                t(lang, "app.seed"),
                value=seed,
                continuous_update=False,
                error=seed_problem.value or False,
                classes=["seed"],
            )

            def apply_seed() -> None:
                number_, problem = parse_seed(seed.value, lang)
                seed_problem.set(problem)
                if number_ is not None:
                    rebuild(replace(setup, seed=number_), keep_day=False)

            solara.Button(t(lang, "app.apply_seed"), on_click=apply_seed, classes=["apply-seed"])
    with solara.Card(t(lang, "app.controls")):
        solara.Text(t(lang, "app.controls_note"), style=HINT_STYLE)
        if error.value:
            solara.HTML(
                tag="div",
                unsafe_innerHTML=escape(error.value),
                style=ERROR_STYLE,
                attributes={"class": "app-error"},  # not "error": Vuetify's own class recolours it
            )
        for control in CONTROLS:
            value = control.value(scenario)
            label = t(lang, f"ctl.{control.name}")

            def change(v: Any, name: str = control.name) -> None:
                new = setup.with_control(name, v, base, current.day)
                if new.changed != setup.changed:  # a slider re-reporting where it stands is no change
                    rebuild(new, keep_day=True)

            if control.switch:
                solara.Switch(
                    label=label, value=bool(value), on_value=change, classes=[f"ctl-{control.name}"]
                )
                if control.name == "relationships.enable_forums":  # who meets, and why it shows slowly
                    solara.Text(
                        forums_here(scenario, lang),
                        style=HINT_STYLE,
                        classes=["ctl-hint-forums"],
                    )
            else:
                rng = control.range(scenario)
                shown = number(float(value), 0 if rng.whole else 2, lang)
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"{escape(label)}: <strong>{shown}</strong>",
                    style=LABEL_STYLE,
                    attributes={"class": f"ctl-label-{control.name.replace('.', '-')}"},
                )
                with solara.Div(classes=[f"ctl-{control.name.replace('.', '-')}"]):
                    solara.SliderFloat(
                        "",
                        value=rng.snap(float(value)),
                        min=rng.low,
                        max=rng.high,
                        step=rng.step,
                        on_value=change,
                    )
                if control.name == "rules.sip_call_rate":  # what else decides a call: not the rate alone
                    solara.Text(
                        sip_call_hint(scenario, lang),
                        style=HINT_STYLE,
                        classes=["ctl-hint-sip"],
                    )


@solara.component
def SidebarCards(model: solara.Reactive[ClassroomModel], lang: solara.Reactive[str]) -> None:
    """The app's own sidebar: the language, the lesson and seed, the scenario's controls."""
    with solara.Sidebar():
        with solara.Card(t(lang.value, "app.language")):
            with solara.ToggleButtonsSingle(value=lang, classes=["language"]):
                for code in LANGS:
                    solara.Button(LANGUAGE_NAMES[code], value=code, classes=[f"lang-{code}"])
        Controls(model, lang.value)


@solara.component
def BelowMesaControls(model: solara.Reactive[ClassroomModel], lang: solara.Reactive[str]) -> None:
    """:func:`SidebarCards`, declared one component level deeper than SolaraViz declares its sidebar.

    Solara places sidebar content by the depth of the component that declares it, shallower first
    (``solara.Sidebar``: offset ``2**level``), whatever the order of the calls. Declared in Page, the
    app's twelve controls came first and Mesa's Reset / ▶ / Step sat below them, out of sight on a
    1366×768 screen. SolaraViz declares its sidebar one level below Page; this component puts the app's
    one level below that, so the play buttons come first.
    """
    SidebarCards(model, lang)


@solara.component
def Page() -> None:
    """The whole app (Solara's entry point)."""
    start = solara.use_memo(lambda: ClassroomModel(Choices(initial_setup())), [])
    model = solara.use_reactive(start)
    default_lang = os.environ.get(LANG_ENV, LANGS[0])
    lang = solara.use_reactive(default_lang if default_lang in LANGS else LANGS[0])
    solara.Title(t(lang.value, "app.title"))
    solara.Style(PAGE_CSS)
    with solara.Column(classes=["app-page"]):  # one level for all: the sidebar's order stays
        SolaraViz(
            model,
            components=[],  # the page is the app's own (ChainView); SolaraViz draws nothing here
            model_params={"choices": model.value.choices},
            name=t(lang.value, "app.title"),
            play_interval=PLAY_INTERVAL_MS,
        ).key(f"mesa-{model.value.choices.controller}")  # drawn anew: its play state starts afresh
        BelowMesaControls(model, lang)
        ChainView(model.value, lang.value)
