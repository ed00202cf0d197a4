"""Typing always goes into a field: after every action one editable widget has focus,
and keys sent in one burst (as a terminal delivers them) land where they were meant."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from tests.keyboard import burst, settle, type_text
from tests.test_wizard import editor, focused_path, next_section, wizard
from tui import drafts
from tui.app import RolloutApp
from tui.screens.review import ReviewScreen
from tui.widgets.groups import AddButton


def saved(draft: drafts.Draft) -> dict:
    return json.loads(draft.path.read_text(encoding="utf-8"))["plan"]


async def test_timeline_dates_and_statuses_typed_in_bursts_all_land() -> None:
    # The lost timeline rows: `date`, then `Tab Tab Enter Down Enter Tab`, per row.
    # The status select took focus back after the tab had moved on (or its menu
    # took it after), so the next rows' text went into a closed select.
    draft = drafts.create()
    app = RolloutApp(draft, section="timeline")
    dates = ["2026-01-05", "2026-02-10", "2026-03-15", "2026-04-20"]
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor(app, "timeline.rows.0.date").focus()
        await pilot.pause()
        for date in dates:
            burst(app, *date, "tab", "tab", "enter", "down", "enter", "tab")
            await settle(pilot)
        assert isinstance(app.focused, AddButton)  # past the last row
        await pilot.press("ctrl+q")
    rows = saved(draft)["timeline"]["rows"]
    assert [(r["date"], r["status"]) for r in rows] == [(d, "Planned") for d in dates]


async def test_ctrl_n_in_a_rows_last_field_starts_the_new_row_at_its_first() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="evaluation")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "enter")  # "+ Add row"
        await pilot.pause()
        assert focused_path(app) == "evaluation.rows.0.pipeline"
        editor(app, "evaluation.rows.0.p99").focus()
        await pilot.pause()
        # As a terminal delivers fast typing: the keys before ctrl+n are still
        # waiting at their fields when it runs, those after it must reach the new row.
        burst(app, *"20s", "ctrl+n", *"https://ci/2")
        await settle(pilot)
        assert focused_path(app) == "evaluation.rows.1.pipeline"
        await pilot.press("ctrl+q")
    rows = saved(draft)["evaluation"]["rows"]
    assert [(r["pipeline"], r["p99"]) for r in rows] == [("", "20s"), ("https://ci/2", "")]


async def test_an_empty_group_focuses_its_add_button_and_enter_or_ctrl_n_adds() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="success")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await next_section(pilot)
        assert wizard(app).current == "dashboards"
        assert isinstance(app.focused, AddButton)
        await pilot.press("enter")
        await pilot.pause()
        assert focused_path(app) == "dashboards.links.0.label"
        await type_text(pilot, "Latency")
        await next_section(pilot)
        await next_section(pilot)
        assert wizard(app).current == "known_issues"
        assert isinstance(app.focused, AddButton)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert focused_path(app) == "known_issues.issues.0.description"
        await type_text(pilot, "Slow at first")
        await pilot.press("ctrl+delete")  # the only row goes: back to "+ Add"
        await pilot.pause()
        assert isinstance(app.focused, AddButton)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Slow")
        await pilot.press("ctrl+q")
    plan = saved(draft)
    assert plan["dashboards"]["links"] == [{"label": "Latency", "url": ""}]
    assert [i["description"] for i in plan["known_issues"]["issues"]] == ["Slow"]


async def test_a_review_jump_to_a_section_never_opened_lands_on_the_field() -> None:
    draft = drafts.create()
    app = RolloutApp(drafts.load(draft.path))  # as `rollout-plan resume` opens it
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        findings = review.query_one("#finding-list", OptionList)
        index = next(i for i, f in enumerate(review.findings) if f.path == "timeline.rows.1.date")
        assert "Timeline › Date (row 2)" in str(findings.get_option_at_index(index).prompt)
        findings.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert wizard(app).current == "timeline"
        assert focused_path(app) == "timeline.rows.1.date"
        await type_text(pilot, "2026-12-10")
        await pilot.press("ctrl+q")
    assert saved(draft)["timeline"]["rows"][1]["date"] == "2026-12-10"


async def test_every_way_into_a_section_focuses_a_field() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert focused_path(app) == "title.title"
        await pilot.press("ctrl+l", "down", "down", "enter")  # side list
        await pilot.pause()
        assert focused_path(app) == "checklist.unit_primitives"
        await pilot.press("ctrl+p")
        await type_text(pilot, "Go to Mitigation")
        await pilot.press("enter")  # palette
        await pilot.pause()
        assert wizard(app).current == "mitigation"
        assert focused_path(app).startswith("mitigation.")
        await pilot.press("ctrl+pageup")  # back, into a section built earlier
        await pilot.pause()
        assert focused_path(app) == "pivot.criteria.0"
        await pilot.press("ctrl+r", "escape")  # review and back
        await pilot.pause()
        assert focused_path(app) == "pivot.criteria.0"
        await type_text(pilot, "!")
        await pilot.press("ctrl+q")
    assert saved(draft)["pivot"]["criteria"][0].endswith("!")


async def test_text_typed_straight_after_next_lands_in_the_new_section() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="timeline")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        # Feedback is not built yet: it is mounted while these keys wait.
        burst(app, "ctrl+pagedown", *"group/project#7", "ctrl+pageup", *"Slow")
        await settle(pilot)
        await pilot.press("ctrl+q")
    plan = saved(draft)
    assert plan["feedback"]["issue"] == "group/project#7"
    assert plan["timeline"]["description"] == "Slow"
