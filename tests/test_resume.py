"""Reopening a draft where it was left: the section and field, the cursor at the end."""

from __future__ import annotations

import json

from textual.widgets import DataTable, TextArea

from tests.keyboard import type_text
from tests.test_wizard import editor, focused_path, wizard
from tui import drafts
from tui.app import RolloutApp


async def test_quit_then_open_again_lands_on_the_same_field_with_the_cursor_at_the_end() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="legal")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await type_text(pilot, "Reviewed by legal")
        await pilot.press("ctrl+q")
    saved = json.loads(draft.path.read_text(encoding="utf-8"))
    assert saved["resume"] == {"section": "legal", "path": "legal.notes"}
    again = RolloutApp(drafts.load(draft.path))  # as `resume` and `open` start it
    async with again.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert wizard(again).current == "legal"
        assert focused_path(again) == "legal.notes"
        area = editor(again, "legal.notes")
        assert isinstance(area, TextArea)
        assert area.cursor_location == area.document.end
        await type_text(pilot, " on Monday")
        assert area.text == "Reviewed by legal on Monday"


async def test_a_row_field_is_reopened_and_moving_without_typing_is_remembered() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="timeline")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor(app, "timeline.rows.2.audience").focus()
        await pilot.pause()
        await pilot.press("ctrl+q")  # nothing typed: the place alone is saved
    again = RolloutApp(drafts.load(draft.path))
    async with again.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert focused_path(again) == "timeline.rows.2.audience"
        field = editor(again, "timeline.rows.2.audience")
        assert field.cursor_position == len(field.value) > 0


async def test_the_drafts_list_enter_opens_where_the_draft_was_left() -> None:
    draft = drafts.create()
    draft.place = drafts.Place("overview", "overview.ff_issue")
    drafts.save(draft)
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        await pilot.press("enter")
        await pilot.pause()
        assert wizard(app).current == "overview"
        assert focused_path(app) == "overview.ff_issue"


async def test_an_older_draft_or_a_bad_place_opens_on_the_title() -> None:
    draft = drafts.create()
    data = json.loads(draft.path.read_text(encoding="utf-8"))
    assert "resume" not in data  # never moved: nothing recorded
    for place in (None, {"section": "no_such_section", "path": ""}, {"section": 3}, "legal"):
        data["resume"] = place
        draft.path.write_text(json.dumps(data), encoding="utf-8")
        loaded = drafts.load(draft.path)
        app = RolloutApp(loaded)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert wizard(app).current == "title", place
            assert focused_path(app) == "title.title"
            await pilot.press("ctrl+q")
