"""The command palette (ctrl+p) offers each screen's own commands, and they work."""

from __future__ import annotations

from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from tests.conftest import until
from tests.test_publish import ready_plan
from tui import drafts
from tui.app import RolloutApp
from tui.render import render
from tui.screens.review import ReviewScreen
from tui.screens.wizard import WizardScreen


def listed(pilot: Pilot[Any], name: str) -> bool:
    return any(
        name in str(commands.get_option_at_index(index).prompt)
        for commands in pilot.app.screen.query(CommandList)
        for index in range(commands.option_count)
    )


async def run_command(pilot: Pilot[Any], name: str) -> None:
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
    await pilot.press(*name)
    # The palette searches in the background; enter picks the best match once listed.
    await until(pilot, lambda: listed(pilot, name), f"{name!r} listed")
    await pilot.press("enter")


async def test_copy_description_from_the_wizard_reviews_then_copies(board: list[str]) -> None:
    draft = drafts.create(ready_plan())
    app = RolloutApp(draft, section="overview")
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WizardScreen), "the wizard")
        await run_command(pilot, "Copy description")
        await until(pilot, lambda: bool(board), "the copy")
        assert isinstance(app.screen, ReviewScreen)
        assert board == [render(draft.plan)]


async def test_go_to_a_section_from_the_palette() -> None:
    app = RolloutApp(drafts.create(), section="overview")
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WizardScreen), "the wizard")
        await run_command(pilot, "Go to Timeline")
        await until(pilot, lambda: isinstance(app.screen, WizardScreen), "back in the wizard")
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await until(pilot, lambda: wizard.current == "timeline", "the timeline shown")
