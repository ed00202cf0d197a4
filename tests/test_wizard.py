"""The wizard driven by keyboard through Textual's Pilot, as a user would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from tests.conftest import errors_remain, run_cli, until
from tests.keyboard import type_text
from tui import drafts
from tui.app import RolloutApp
from tui.plan import Plan, sections
from tui.render import render
from tui.screens.review import ReviewScreen
from tui.screens.wizard import WizardScreen
from tui.widgets.fields import FieldMessage, StateField, dom_id

FF_ISSUE = "https://gitlab.com/gitlab-org/gitlab/-/issues/547713"


def wizard(app: RolloutApp) -> WizardScreen:
    screen = app.screen
    assert isinstance(screen, WizardScreen), f"expected the wizard, got {screen!r}"
    return screen


def editor(app: RolloutApp, path: str) -> Any:
    return app.screen.query_one(f"#{dom_id(path)}")


def focused_path(app: RolloutApp) -> str:
    return str(getattr(app.focused, "path", ""))


def saved_plan(draft: drafts.Draft) -> dict:
    return json.loads(draft.path.read_text(encoding="utf-8"))["plan"]


async def next_section(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+pagedown")
    await pilot.pause()


async def test_a_new_plan_by_keyboard_from_title_to_copy(board: list[str]) -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        # Title: focused on arrival.
        assert focused_path(app) == "title.title"
        await type_text(pilot, "[claude-4-0-sonnet] Rollout Plan")
        await next_section(pilot)
        # Overview: summary, model links, epic, then the feature flag issue.
        assert wizard(app).current == "overview"
        assert focused_path(app) == "overview.summary"
        await type_text(pilot, "Sonnet 4 for code review summaries.")
        await pilot.press("tab", "tab", "tab")
        assert focused_path(app) == "overview.ff_issue"
        await type_text(pilot, FF_ISSUE)
        await next_section(pilot)
        # Checklist: the first item is done, the second not applicable.
        assert focused_path(app) == "checklist.unit_primitives"
        await pilot.press("space", "tab", "space", "space")
        await next_section(pilot)
        # Evaluation: tab to "+ Add row", add two rows, fill them.
        assert focused_path(app) == "evaluation.langsmith_url"
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert focused_path(app) == "evaluation.rows.0.pipeline"
        await pilot.press("tab")
        await type_text(pilot, "claude-3-7-sonnet")
        await pilot.press("tab", "tab")
        await type_text(pilot, "3.41")
        await pilot.press("tab")
        await type_text(pilot, "9.8s")
        await pilot.press("tab")
        await type_text(pilot, "20s")
        await pilot.press("tab", "space")  # baseline
        await pilot.press("ctrl+n")
        await pilot.pause()
        # A new row starts at its first field, whichever field ctrl+n was pressed in.
        assert focused_path(app) == "evaluation.rows.1.pipeline"
        await pilot.press("tab")
        assert focused_path(app) == "evaluation.rows.1.model"
        await type_text(pilot, "claude-4-0-sonnet")
        await pilot.press("tab", "tab")
        await type_text(pilot, "3.62")
        await pilot.press("tab")
        await type_text(pilot, "12.3s")
        await pilot.press("tab")
        await type_text(pilot, "18s")
        # The Change row follows the values as they are typed.
        preview = str(app.screen.query_one(".change-preview").render())
        assert "+25.5% slower" in preview and "10.0% faster" in preview
        # Every other section: Next until Review.
        while isinstance(app.screen, WizardScreen):
            await next_section(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("c")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Copied the description" in str(app.screen.query_one("#review-status").render())
    assert board, "nothing reached the system clipboard"
    rendered = run_cli("render", draft.id)
    assert rendered.returncode == 0
    assert board[-1] == rendered.stdout
    assert app.clipboard == rendered.stdout  # the OSC 52 copy carried the same text
    plan = saved_plan(draft)
    assert plan["title"]["title"] == "[claude-4-0-sonnet] Rollout Plan"
    assert plan["overview"]["summary"] == "Sonnet 4 for code review summaries."
    assert plan["overview"]["ff_issue"] == FF_ISSUE
    assert plan["checklist"]["unit_primitives"] == "done"
    assert plan["checklist"]["models_yml"] == "not_applicable"
    rows = plan["evaluation"]["rows"]
    assert [(r["model"], r["score"], r["p50"], r["p99"], r["baseline"]) for r in rows] == [
        ("claude-3-7-sonnet", "3.41", "9.8s", "20s", True),
        ("claude-4-0-sonnet", "3.62", "12.3s", "18s", False),
    ]


async def test_navigation_never_traps_on_invalid_fields() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="overview")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.screen.query_one(f"#{dom_id('overview.ff_issue')}").focus()
        await type_text(pilot, "gitlab-org/gitlab!123")
        message = app.screen.query_one("#form-overview").query(FieldMessage)
        ff_message = next(m for m in message if m.path == "overview.ff_issue")
        assert not ff_message.display, "validated while typing"
        await pilot.press("tab")  # leaving the field validates it
        await pilot.pause()
        assert ff_message.display
        assert "merge request" in str(ff_message.render())
        # Forward, back, and a jump through the side list all move.
        await next_section(pilot)
        assert wizard(app).current == "checklist"
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        assert wizard(app).current == "overview"
        await pilot.press("ctrl+l")
        side = app.screen.query_one("#sections", OptionList)
        assert app.focused is side
        for _ in range(8 - side.highlighted):  # the timeline is ninth
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert wizard(app).current == "timeline"
        # The side list marks the invalid section.
        assert str(side.get_option_at_index(1).prompt).startswith("✗")


async def test_quitting_mid_typing_keeps_the_text() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="legal")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert focused_path(app) == "legal.notes"
        await type_text(pilot, "Reviewed by legal on 2025-06-01")
        await pilot.press("ctrl+q")  # at once: before the autosave's pause
    assert saved_plan(draft)["legal"]["notes"] == "Reviewed by legal on 2025-06-01"
    again = RolloutApp(drafts.load(draft.path), section="legal")
    async with again.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        area = editor(again, "legal.notes")
        assert isinstance(area, TextArea)
        assert area.text == "Reviewed by legal on 2025-06-01"


async def test_autosave_writes_after_a_pause_and_says_so() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="feedback")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await type_text(pilot, "gitlab-org/gitlab#1")
        assert saved_plan(draft)["feedback"]["issue"] == ""  # not per keystroke
        status = app.screen.query_one("#save-status")
        await until(pilot, lambda: str(status.render()).startswith("saved "), "the autosave")
        assert saved_plan(draft)["feedback"]["issue"] == "gitlab-org/gitlab#1"


async def test_repeating_rows_add_remove_reorder_and_the_table_follows() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="known_issues")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(".group-add").focus()
        for name in ("first", "second", "third"):
            await pilot.press("ctrl+n")
            await pilot.pause()
            await type_text(pilot, f"{name} problem")
        assert [i.description for i in draft.plan.known_issues.issues] == [
            "first problem",
            "second problem",
            "third problem",
        ]
        # The third row moves to the top; focus follows it.
        await pilot.press("ctrl+up", "ctrl+up")
        await pilot.pause()
        assert focused_path(app) == "known_issues.issues.0.description"
        # The second row (now "first problem") goes.
        await pilot.press("down")  # the cursor moves within the input, not rows
        app.screen.query_one(f"#{dom_id('known_issues.issues.1.description')}").focus()
        await pilot.press("ctrl+delete")
        await pilot.pause()
        await pilot.press("ctrl+q")
    saved = saved_plan(draft)["known_issues"]["issues"]
    assert [i["description"] for i in saved] == ["third problem", "second problem"]
    text = render(drafts.load(draft.path).plan)
    assert text.index("third problem") < text.index("second problem")
    assert "first problem" not in text


async def test_items_lists_add_and_remove_with_keys() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="pivot")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert focused_path(app) == "pivot.criteria.0"
        await pilot.press("ctrl+delete")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert focused_path(app) == "pivot.criteria.1"
        await type_text(pilot, "Error rate above 1%")
        await pilot.press("ctrl+q")
    criteria = saved_plan(draft)["pivot"]["criteria"]
    assert criteria[1] == "Error rate above 1%" and len(criteria) == 3


async def test_checklist_item_cycles_open_done_not_applicable() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="checklist")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        item = app.focused
        assert isinstance(item, StateField)
        assert "[ ] open" in str(item.render())
        await pilot.press("space")
        assert "[x] done" in str(item.render())
        await pilot.press("space")
        assert "[~] n/a" in str(item.render())
        await pilot.press("o")
        assert "[ ] open" in str(item.render())
        await pilot.press("x", "ctrl+q")
    assert saved_plan(draft)["checklist"]["unit_primitives"] == "done"


async def test_review_lists_findings_and_jumps_to_the_field() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        findings = app.screen.query_one("#finding-list", OptionList)
        first = str(findings.get_option_at_index(0).prompt)
        assert first.startswith("✗ Title › Issue title")
        await pilot.press("down", "enter")  # the second: the feature flag issue
        await pilot.pause()
        await pilot.pause()
        assert wizard(app).current == "overview"
        assert focused_path(app) == "overview.ff_issue"
        shown = [m for m in app.screen.query(FieldMessage) if m.path == "overview.ff_issue"]
        assert shown[0].display and "required" in str(shown[0].render())


async def test_copy_with_errors_asks_first_and_names_them(board: list[str]) -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        question = " ".join(str(s.render()) for s in app.screen.query(".dialog Static"))
        assert errors_remain(draft.plan) in question
        assert "Overview › Feature Flag Rollout Issue" in question
        await pilot.press("escape")  # no
        await pilot.pause()
        assert board == []
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#answer-copy").focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert board == [render(draft.plan)]


async def test_copy_without_a_system_clipboard_saves_the_file_and_says_so(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    plan = Plan()
    plan.title.title = "[m] Rollout Plan"
    plan.overview.ff_issue = FF_ISSUE
    draft = drafts.create(plan)
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#review-status").render())
    saved = home / "exports" / f"{draft.id}.md"
    assert saved.read_text(encoding="utf-8") == render(plan)
    assert "unconfirmed" in status
    assert "install xclip" in status
    assert str(saved) in status.replace("\n", "")


async def test_editor_key_edits_long_text_in_editor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "fake-editor"
    script.write_text('#!/bin/sh\nprintf "Written in the editor\\n" >> "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    draft = drafts.create()
    app = RolloutApp(draft, section="announcement")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await type_text(pilot, "In #ai-announcements. ")
        await pilot.press("ctrl+e")
        await pilot.pause()
        area = editor(app, "announcement.text")
        assert area.text == "In #ai-announcements. Written in the editor"
        await pilot.press("ctrl+q")
    assert (
        saved_plan(draft)["announcement"]["text"] == "In #ai-announcements. Written in the editor"
    )


async def test_ctrl_e_in_a_one_line_field_keeps_its_meaning() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await type_text(pilot, "abc")
        await pilot.press("ctrl+a", "ctrl+e", "d")
        field = editor(app, "title.title")
        assert isinstance(field, Input) and field.value == "abcd"


async def test_every_section_is_reachable_from_the_command_palette() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        titles = [spec.title for spec in sections()]
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {f"Go to {t}" for t in titles} <= commands
        assert {"Review", "Drafts", "Quit"} <= commands
        await pilot.press("ctrl+p")
        await type_text(pilot, "Go to Mitigation")
        await pilot.press("enter")
        await pilot.pause()
        assert wizard(app).current == "mitigation"


async def test_a_tiny_terminal_gets_a_message_and_resizing_back_keeps_everything() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="overview")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(f"#{dom_id('overview.ff_issue')}").focus()
        await type_text(pilot, "gitlab-org/gitlab#12")
        before = app.focused
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        message = str(app.screen.query_one("#too-small-message").render())
        assert "60×20" in message and "needs at least 70×20" in message
        await type_text(pilot, "xyz")  # keys go nowhere while it is too small
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert app.focused is before
        await type_text(pilot, "3")
        await pilot.press("ctrl+q")
    assert saved_plan(draft)["overview"]["ff_issue"] == "gitlab-org/gitlab#123"


async def test_a_failed_save_keeps_the_text_says_so_and_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="legal")
    real_write = drafts.write_atomic

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(drafts, "write_atomic", disk_full)
        await type_text(pilot, "kept")
        await pilot.press("ctrl+s")
        wizard(app).saver.wait()
        await pilot.pause()
        assert str(app.screen.query_one("#save-status").render()) == "NOT SAVED"
        assert any("No space left on device" in n.message for n in app._notifications)
        assert editor(app, "legal.notes").text == "kept"
        monkeypatch.setattr(drafts, "write_atomic", real_write)
        await pilot.press("ctrl+s")
        wizard(app).saver.wait()
        await pilot.pause()
        assert str(app.screen.query_one("#save-status").render()).startswith("saved ")
    assert saved_plan(draft)["legal"]["notes"] == "kept"


async def test_an_editor_that_fails_leaves_the_text_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "broken-editor"
    script.write_text('#!/bin/sh\necho garbage >> "$1"\nexit 3\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = RolloutApp(drafts.create(), section="legal")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await type_text(pilot, "mine")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert editor(app, "legal.notes").text == "mine"
        assert any("exited with 3" in n.message for n in app._notifications)
        monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert editor(app, "legal.notes").text == "mine"
        assert any("Could not run the editor" in n.message for n in app._notifications)


async def test_the_group_buttons_act_on_the_row_in_focus() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="pivot")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        editor(app, "pivot.criteria.2").focus()
        await pilot.click(".tool-up")
        await pilot.pause()
        assert focused_path(app) == "pivot.criteria.1"
        await pilot.click(".tool-remove")
        await pilot.pause()
        await pilot.click(".group-add")
        await pilot.pause()
        await pilot.press("ctrl+q")
    from tui.plan import PIVOT_CRITERIA

    assert saved_plan(draft)["pivot"]["criteria"] == [PIVOT_CRITERIA[0], PIVOT_CRITERIA[1], ""]
