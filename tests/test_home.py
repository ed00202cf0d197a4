"""The home screen: drafts, and what a user does with them."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable, Input

from tests.conftest import CODE_REVIEW, finding_counts, until
from tests.plans import code_review_plan
from tui import drafts
from tui.app import RolloutApp
from tui.screens.dialogs import Choice
from tui.screens.home import HomeScreen
from tui.screens.wizard import WizardScreen


def table_rows(app: RolloutApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_home_lists_drafts_with_counts_and_enter_opens_one() -> None:
    filled = drafts.create(code_review_plan())
    blank = drafts.create()
    app = RolloutApp()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        rows = {row[0]: row for row in table_rows(app)}
        assert rows["[claude-4-0-sonnet] Rollout Plan"][2:4] == ["0", "0"]
        # An issue URL shows as GitLab's short reference: whole beside the title.
        assert filled.plan.overview.ff_issue.endswith("/gitlab-org/gitlab/-/issues/547713")
        assert rows["[claude-4-0-sonnet] Rollout Plan"][4] == "gitlab-org/gitlab#547713"
        assert rows["[AI Model] Rollout Plan"][2:4] == [str(n) for n in finding_counts(blank.plan)]
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[r[0] for r in table_rows(app)].index("[AI Model] Rollout Plan"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert app.screen.session.draft.id == blank.id


async def test_new_duplicate_and_back_home_with_escape() -> None:
    original = drafts.create(code_review_plan())
    app = RolloutApp()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        titles = sorted(row[0] for row in table_rows(app))
        assert titles == [
            "[claude-4-0-sonnet] Rollout Plan",
            "[claude-4-0-sonnet] Rollout Plan (copy)",
        ]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        await pilot.press(*"Third plan")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Third plan" in [row[0] for row in table_rows(app)]
    found, _ = drafts.scan()
    assert len(found) == 3
    copy = next(d for d in found if d.title.endswith("(copy)"))
    assert copy.plan.evaluation == original.plan.evaluation


async def test_delete_asks_and_keeps_unless_confirmed() -> None:
    draft = drafts.create()
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("enter")  # "Keep" has the focus
        await pilot.pause()
        assert draft.path.exists()
        await pilot.press("delete")
        await pilot.pause()
        app.screen.query_one("#answer-delete").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert table_rows(app) == []
    assert not draft.path.exists()


async def test_import_from_home_opens_the_imported_plan() -> None:
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        app.focused.value = str(CODE_REVIEW)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        plan = app.screen.session.plan
        assert plan.overview.ff_issue == code_review_plan().overview.ff_issue


async def test_import_of_a_missing_file_says_so_and_stays_home(tmp_path: Path) -> None:
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.focused.value = str(tmp_path / "nope.md")  # type: ignore[union-attr]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("Cannot read" in m and "nope.md" in m for m in messages)
    assert drafts.scan() == ([], [])


async def test_restore_puts_back_the_backup_of_a_broken_draft() -> None:
    draft = drafts.create(code_review_plan())
    drafts.save(draft)  # the backup now holds a good version
    draft.path.write_text('{"schema_version": 2, "plan": {"le')
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert table_rows(app)[0][0] == f"UNREADABLE {draft.path.name}"
        assert "r puts back its backup" in str(app.screen.query_one("#home-detail").render())
        await pilot.press("r")
        await pilot.pause()
        assert table_rows(app)[0][0] == "[claude-4-0-sonnet] Rollout Plan"
    assert drafts.load(draft.path).plan == code_review_plan()


async def test_home_never_changes_what_it_shows(home: Path) -> None:
    """Opening and leaving the home screen writes nothing."""
    draft = drafts.create(code_review_plan())
    before = draft.path.read_bytes()
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("down", "up", "ctrl+q")
    assert draft.path.read_bytes() == before
    assert json.loads(before)["id"] == draft.id


async def test_odd_text_in_names_notes_and_fields_is_shown_as_typed(tmp_path: Path) -> None:
    """Square brackets are Textual markup; user text must never be read as such."""
    source = tmp_path / "plan [bold]x[b].md"
    original = CODE_REVIEW.read_text(encoding="utf-8")
    epic = next(line for line in original.splitlines() if line.startswith("| Epic or Issue |"))
    text = original.replace(epic, f"{epic} [red]Extra[/red] |", 1)
    source.write_text(text, encoding="utf-8")
    app = RolloutApp()

    seen: list[str] = []  # every toast shown so far: each goes after a few seconds

    def toasts() -> str:
        for toast in app.screen.query("Toast"):
            if (text := str(toast.render())) not in seen:
                seen.append(text)
        return " ".join(seen)

    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.focused.value = str(source)  # type: ignore[union-attr]
        await pilot.press("enter")
        # Two toasts: the import, and its note on a cell beyond the table's columns.
        shown = ("plan [bold]x[b].md", "[red]Extra[/red]")
        await until(pilot, lambda: all(t in toasts() for t in shown), "the import's toasts", toasts)
        assert isinstance(app.screen, WizardScreen)
        app.screen.query_one(Input).value = "[b]not bold[/b] [link=x]y"
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("ctrl+q")
    found, _ = drafts.scan()
    assert found[0].plan.title.title == "[b]not bold[/b] [link=x]y"


async def test_at_100_columns_a_long_title_gives_way_to_the_ff_issue() -> None:
    plan = code_review_plan()
    plan.title.title = "[claude-4-0-sonnet-20250514-with-extended-thinking] Rollout Plan " * 2
    drafts.create(plan)
    app = RolloutApp()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert sum(widths) <= table.scrollable_content_region.width
        ff = list(table.columns.values())[-1]
        assert ff.content_width >= len("gitlab-org/gitlab#547713")
