"""Never two writers: locks, take-over, and drafts changed behind the app's back."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.plans import code_review_plan
from tui import drafts, locks
from tui.app import RolloutApp
from tui.screens.dialogs import Choice
from tui.screens.wizard import WizardScreen


@pytest.fixture
def other_process() -> Iterator[int]:
    """The pid of another live process (standing in for a second rollout-plan)."""
    process = subprocess.Popen(["sleep", "60"])
    yield process.pid
    process.kill()
    process.wait()


def lock_by(draft: drafts.Draft, pid: int) -> None:
    import socket

    data = {"pid": pid, "host": socket.gethostname(), "started": drafts.now()}
    locks.lock_path(draft.path).write_text(json.dumps(data))


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_lock_is_taken_released_and_refused_to_others(other_process: int) -> None:
    draft = drafts.create()
    assert locks.acquire(draft.path) is None
    assert locks.still_mine(draft.path)
    locks.release(draft.path)
    assert not locks.lock_path(draft.path).exists()
    lock_by(draft, other_process)
    holder = locks.acquire(draft.path)
    assert holder is not None and holder.pid == other_process
    assert not locks.still_mine(draft.path)
    assert locks.acquire(draft.path, take_over=True) is None
    assert locks.still_mine(draft.path)


def test_a_stale_lock_is_taken_over_silently() -> None:
    draft = drafts.create()
    lock_by(draft, dead_pid())
    assert locks.holder(draft.path) is None
    assert locks.acquire(draft.path) is None and locks.still_mine(draft.path)


@pytest.mark.parametrize("garbage", ["", "{", '{"pid": "x"}', "[]"])
def test_a_broken_lock_counts_as_no_lock(garbage: str) -> None:
    draft = drafts.create()
    locks.lock_path(draft.path).write_text(garbage)
    assert locks.acquire(draft.path) is None


async def test_second_window_read_only_writes_nothing(other_process: int) -> None:
    draft = drafts.create()
    lock_by(draft, other_process)
    before = draft.path.read_bytes()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("enter")  # Read-only, the first answer
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert "read-only" in str(app.screen.query_one("#save-status").render())
        inputs = list(app.screen.query("#form-title Input"))
        assert inputs and all(widget.disabled for widget in inputs)
        await pilot.press(*"typed", "ctrl+s", "ctrl+q")
    assert draft.path.read_bytes() == before
    assert locks.holder(draft.path).pid == other_process  # type: ignore[union-attr]


async def test_take_over_then_the_first_window_stops_writing(other_process: int) -> None:
    draft = drafts.create()
    lock_by(draft, other_process)
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer-take").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert locks.still_mine(draft.path)
        await pilot.press(*"mine", "ctrl+s")
        await pilot.pause()
        wait_for_saves(app)
        await pilot.pause()  # its report reaches the screen
        await pilot.pause()
        assert json.loads(draft.path.read_text())["plan"]["title"]["title"] == "mine"
        # Now the other window takes it back; this one must notice before writing.
        lock_by(draft, other_process)
        await pilot.press(*" more", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert "took this draft over" in str(app.screen.query_one(".dialog-message").render())
        await pilot.press("enter")  # Save mine as a new draft
        await pilot.pause()
        # Work goes on in the new draft, rows included.
        await pilot.press(*"!", "ctrl+pagedown", "ctrl+pagedown", "ctrl+pagedown")
        await pilot.pause()
        app.screen.query_one("#form-evaluation .group-add").focus()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert json.loads(draft.path.read_text())["plan"]["title"]["title"] == "mine"
    found, _ = drafts.scan()
    assert sorted(d.plan.title.title for d in found) == ["mine", "mine more!"]
    copy = next(d for d in found if d.id != draft.id)
    assert len(copy.plan.evaluation.rows) == 1
    assert drafts.load(draft.path).plan.evaluation.rows == []


async def test_a_draft_changed_on_disk_is_not_overwritten() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        # Behind the app's back: another tool restores or edits the file.
        other = drafts.load(draft.path)
        other.plan = code_review_plan()
        drafts.save(other)
        os.utime(draft.path, ns=(1, 1))  # a different stamp even on coarse clocks
        await pilot.press(*"my title", "ctrl+s")
        await pilot.pause()
        wait_for_saves(app)
        for _ in range(50):  # its report reaches the screen, which opens the dialog
            await pilot.pause()
            if app.screen.query(".dialog-message"):
                break
        assert isinstance(app.screen, Choice)
        assert "changed on disk" in str(app.screen.query_one(".dialog-message").render())
        app.screen.query_one("#answer-copy").focus()
        await pilot.press("enter")
        await pilot.pause()
    assert drafts.load(draft.path).plan == code_review_plan()
    found, _ = drafts.scan()
    assert "my title" in [d.plan.title.title for d in found]


def wait_for_saves(app: RolloutApp) -> None:
    """Until the autosave thread has written what it was given."""
    from tui.screens.wizard import WizardScreen

    for screen in app.screen_stack:
        if isinstance(screen, WizardScreen):
            screen.saver.wait()
