"""`o` and `P` on the review screen, through Pilot, with the stand-in glab and browser."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Footer, Input

from tests.test_publish import BROWSER, GLAB, calls, executable, ready_plan
from tui import drafts
from tui.app import RolloutApp
from tui.render import render
from tui.screens.review import ReviewScreen

ISSUE = "https://gitlab.com/gitlab-org/gitlab/-/issues/14"


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The stand-in glab's records folder and the browser's log."""
    import sys

    folder = tmp_path / "bin"
    folder.mkdir()
    records = tmp_path / "glab-calls"
    records.mkdir()
    executable(folder / "glab", GLAB.format(python=sys.executable, folder=str(records)))
    log = tmp_path / "browser.log"
    executable(folder / "record-browser", BROWSER.format(log=log))
    monkeypatch.setenv("PATH", f"{folder}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("BROWSER", str(folder / "record-browser"))
    monkeypatch.setenv("ROLLOUT_PLAN_CONFIG", str(tmp_path / "config"))
    # webbrowser reads $BROWSER once per process, at its first use.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    return records, log


def status(app: RolloutApp) -> str:
    return str(app.screen.query_one("#review-status").render())


def footer_keys(app: RolloutApp) -> set[str]:
    footer = app.screen.query_one(Footer)
    return {str(item.description) for item in footer.query("FooterKey")}  # type: ignore[attr-defined]


async def open_review(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)


async def test_o_copies_the_description_and_opens_the_new_issue_page(
    tools: tuple[Path, Path], board: list[str]
) -> None:
    _records, log = tools
    draft = drafts.create(ready_plan())
    app = RolloutApp(draft)
    async with app.run_test(size=(120, 32)) as pilot:
        await open_review(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = status(app)
    assert board == [render(draft.plan)]
    assert log.read_text().splitlines() == [
        "https://gitlab.com/gitlab-org/gitlab/-/issues/new?issue[title]="
        "%5Bclaude-4-0-sonnet%5D%20Rollout%20Plan&issue[confidential]=true"
    ]
    assert "Copied the description" in said and "Opened GitLab's new-issue page" in said


async def test_o_asks_for_the_project_when_nothing_names_it(
    tools: tuple[Path, Path], board: list[str]
) -> None:
    _records, log = tools
    plan = ready_plan()
    plan.overview.ff_issue = "#123"
    draft = drafts.create(plan)
    app = RolloutApp(draft)
    async with app.run_test(size=(120, 32)) as pilot:
        await open_review(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"team/plans", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert log.read_text().startswith("https://gitlab.com/team/plans/-/issues/new?")


async def test_p_creates_the_issue_after_asking_and_records_it(
    tools: tuple[Path, Path], board: list[str]
) -> None:
    records, _log = tools
    draft = drafts.create(ready_plan())
    app = RolloutApp(draft)
    async with app.run_test(size=(120, 32)) as pilot:
        await open_review(pilot)
        assert "Publish (glab)" in footer_keys(app)
        await pilot.press("P")
        await pilot.pause()
        question = " ".join(str(s.render()) for s in app.screen.query(".dialog Static"))
        assert "Create a confidential issue in gitlab-org/gitlab on gitlab.com" in question
        await pilot.press("escape")  # no: nothing is sent
        await pilot.pause()
        assert calls(records) == []
        await pilot.press("P")
        await pilot.pause()
        app.screen.query_one("#answer-go").focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = status(app)
        assert f"Created issue #14: {ISSUE} (recorded in the draft)" in said
        # A second P offers to replace the description instead.
        await pilot.press("P")
        await pilot.pause()
        question = " ".join(str(s.render()) for s in app.screen.query(".dialog Static"))
        assert f"already issue #14: {ISSUE}" in question
        await pilot.press("escape")
    (call,) = calls(records)
    assert json.loads(str(call["stdin"]))["description"] == render(draft.plan)
    assert json.loads(draft.path.read_text())["published"]["url"] == ISSUE


async def test_p_is_not_offered_without_glab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    draft = drafts.create(ready_plan())
    app = RolloutApp(draft)
    async with app.run_test(size=(160, 32)) as pilot:
        await open_review(pilot)
        keys = footer_keys(app)
        assert "Open in GitLab" in keys
        assert "Publish (glab)" not in keys
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # the key does nothing: no dialog
