"""The keys people try first, each driven through Pilot as a user presses it."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import TabbedContent, TextArea

from tests.keyboard import type_text
from tests.test_wizard import editor, focused_path, saved_plan, wizard
from tui import drafts, keymap
from tui.app import RolloutApp
from tui.plan import Plan
from tui.widgets.footer import Footer
from tui.widgets.groups import AddButton


async def test_enter_in_a_one_line_field_moves_to_the_next_and_from_the_last_to_next_section() -> (
    None
):
    draft = drafts.create()
    app = RolloutApp(draft, section="persevere")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor(app, "persevere.observations.0.start").focus()
        await pilot.pause()
        await type_text(pilot, "2026-01-05")
        await pilot.press("enter")
        assert focused_path(app) == "persevere.observations.0.end"
        await type_text(pilot, "2026-02-05")
        assert draft.plan.persevere.observations[0].end == "2026-02-05"
        assert draft.plan.persevere.observations[0].start == "2026-01-05"
        # Feedback has one field: enter there goes on to the next section.
        wizard(app).show_section("feedback")
        await pilot.pause()
        await type_text(pilot, "gitlab-org/gitlab#1")
        await pilot.press("enter")
        await pilot.pause()
        assert wizard(app).current == "persevere"


async def test_enter_in_a_list_item_adds_one_below_and_an_empty_last_item_ends_the_list() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="pivot")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert focused_path(app) == "pivot.criteria.0"
        await pilot.press("enter")
        await type_text(pilot, "Error rate above 1%")
        assert focused_path(app) == "pivot.criteria.1"
        assert draft.plan.pivot.criteria[:2] == [
            "Requests fail to use the new model as expected",
            "Error rate above 1%",
        ]
        editor(app, "pivot.criteria.3").focus()
        await pilot.pause()
        await pilot.press("enter")  # a new, empty last item
        assert focused_path(app) == "pivot.criteria.4"
        await pilot.press("enter")  # enter again: the list ends, the empty item goes
        await pilot.pause()
        assert len(draft.plan.pivot.criteria) == 4
        assert not focused_path(app).startswith("pivot.criteria")  # past the list


async def test_up_and_down_move_between_checklist_items_and_leave_the_first_alone() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="checklist")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        first = focused_path(app)
        await pilot.press("down")
        second = focused_path(app)
        assert second != first and second.startswith("checklist.")
        await pilot.press("o")  # sets the item in focus, not the first one
        await pilot.press("x")
        assert draft.plan.checklist.model_dump()[second.split(".")[1]] == "done"
        assert draft.plan.checklist.model_dump()[first.split(".")[1]] == "open"
        await pilot.press("up")
        assert focused_path(app) == first


async def test_up_and_down_move_between_rows_in_the_same_column() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="timeline")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor(app, "timeline.rows.0.audience").focus()
        await pilot.pause()
        await pilot.press("down")
        assert focused_path(app) == "timeline.rows.1.audience"
        await pilot.press("up", "up")
        assert focused_path(app) == "timeline.description"  # above the first row
        last = len(draft.plan.timeline.rows) - 1
        editor(app, f"timeline.rows.{last}.date").focus()
        await pilot.pause()
        await pilot.press("down")
        assert isinstance(app.focused, AddButton)


async def test_a_prefilled_text_area_starts_at_the_end_and_ctrl_home_end_move() -> None:
    plan = Plan()
    plan.legal.notes = "First line\nsecond line"
    draft = drafts.create(plan)
    app = RolloutApp(draft, section="legal")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        area = app.focused
        assert isinstance(area, TextArea)
        await type_text(pilot, ".")
        assert area.text == "First line\nsecond line."
        await pilot.press("ctrl+home")
        await type_text(pilot, ">")
        await pilot.press("ctrl+end")
        await type_text(pilot, "!")
        assert area.text == ">First line\nsecond line.!"


async def test_ctrl_u_clears_the_whole_field_and_the_footer_says_so() -> None:
    plan = Plan()
    plan.overview.epic = "https://gitlab.com/groups/gitlab-org/-/epics/17571"
    draft = drafts.create(plan)
    app = RolloutApp(draft, section="overview")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor(app, "overview.epic").focus()
        await pilot.pause()
        await pilot.press("home", "ctrl+u")  # from anywhere in it
        await type_text(pilot, "gitlab-org&1")
        assert draft.plan.overview.epic == "gitlab-org&1"
        footer = {b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert "Clear field" in footer


def footer_keys(app: RolloutApp) -> list[Any]:
    """The keys the footer shows on screen, as widgets."""
    return list(app.screen.query_one(Footer).query("FooterKey"))


async def test_the_footer_follows_the_keys_and_is_kept_while_they_stay() -> None:
    """Textual rebuilds the footer at every move of the focus; ours only when the keys
    it shows change (tabbing through a form rebuilt some 15 widgets a key)."""
    app = RolloutApp(drafts.create(), section="overview")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor(app, "overview.epic").focus()
        await pilot.pause()
        before = footer_keys(app)
        await pilot.press("tab")
        await pilot.pause()
        assert focused_path(app) == "overview.ff_issue"
        assert footer_keys(app) == before  # the same widgets: nothing rebuilt
        # Onto the Overview's own rows: the footer shows the group's keys.
        app.screen.query_one("#form-overview").query_one(AddButton).focus()
        await pilot.pause()
        shown = {str(key.description) for key in footer_keys(app)}
        assert "Add row" in shown, shown


@pytest.mark.parametrize(("forward", "back"), [("f8", "f7"), ("alt+n", "alt+p")])
async def test_section_keys_beside_ctrl_pagedown(forward: str, back: str) -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press(forward)
        await pilot.pause()
        assert wizard(app).current == "overview"
        # Also from a text area, where f7 would otherwise select all.
        assert isinstance(app.focused, TextArea)
        await pilot.press(back)
        await pilot.pause()
        assert wizard(app).current == "title"


async def test_f1_shows_every_key_of_the_screen_and_hides_them_again() -> None:
    app = RolloutApp(drafts.create())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        panel = app.screen.query("HelpPanel")
        assert panel
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_a_keymap_file_rebinds_by_binding_id() -> None:
    keymap.config_dir().mkdir(parents=True)
    keymap.keymap_path().write_text(
        '[keymap]\n"wizard.next" = "ctrl+j"\n"wizard.back" = "ctrl+b, f7"\n', encoding="utf-8"
    )
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f8")  # replaced: no longer next
        await pilot.pause()
        assert wizard(app).current == "title"
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert wizard(app).current == "overview"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert wizard(app).current == "title"
        await pilot.press("ctrl+q")
    assert saved_plan(draft) is not None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[keymap\n", "not valid TOML"),
        ('[keymap]\n"wizard.nxt" = "f9"\n', "no binding 'wizard.nxt'"),
        ('[keymap]\n"wizard.next" = 9\n', "needs keys as text"),
        ('[keymap]\n"wizard.next" = "ctrl + j"\n', "is not a key name"),
        ('"wizard.next" = "f9"\n', "one [keymap] table"),
    ],
)
async def test_a_bad_keymap_is_one_line_and_the_defaults_apply(text: str, said: str) -> None:
    keymap.config_dir().mkdir(parents=True)
    keymap.keymap_path().write_text(text, encoding="utf-8")
    app = RolloutApp(drafts.create())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1
        assert said in messages[0] and "keymap.toml" in messages[0]
        assert "\n" not in messages[0] and messages[0].endswith("the default keys apply.")
        await pilot.press("f8")
        await pilot.pause()
        assert wizard(app).current == "overview"


async def test_review_tabs_by_number_or_initial_with_the_focus_inside() -> None:
    app = RolloutApp(drafts.create())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        tabs = app.screen.query_one(TabbedContent)
        for key, tab, inside in (
            ("2", "preview", "preview-body"),
            ("3", "raw", "raw-text"),
            ("1", "findings", "finding-list"),
            ("v", "preview", "preview-body"),
            ("m", "raw", "raw-text"),
            ("f", "findings", "finding-list"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert (tabs.active, app.focused and app.focused.id) == (tab, inside), key


async def test_copy_title_says_one_line_about_the_title_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    app = RolloutApp(drafts.create())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#review-status").render())
        assert status.startswith("Sent the title to the terminal's clipboard")
        assert "description" not in status and "exports" not in status
        assert not app._notifications  # said once, in the status line
