"""Saves land in order: the newest text is always the one left on disk, and `dirty`
says whether memory holds more than the file. Writes are held at a gate
(threading.Event) so they complete in the order the test chooses."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.keyboard import type_text
from tests.test_wizard import wizard
from tui import drafts
from tui.app import RolloutApp
from tui.autosaver import Autosaver, Outcome
from tui.session import Session


def on_disk(session: Session) -> str:
    return json.loads(session.draft.path.read_text(encoding="utf-8"))["plan"]["legal"]["notes"]


class GatedWrites:
    """drafts.write_atomic, but the draft's first write waits at a gate until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, draft: Path) -> None:
        self.draft = draft
        self.real = drafts.write_atomic
        self.entered = threading.Event()  # the first write reached the gate
        self.release = threading.Event()
        self.written: list[str] = []  # legal notes, in the order they reached the disk
        self.calls = 0
        monkeypatch.setattr(drafts, "write_atomic", self)

    def __call__(self, path: Path, text: str, **kwargs: Any) -> None:
        if path != self.draft:  # a lock file
            self.real(path, text, **kwargs)
            return
        self.calls += 1
        if self.calls == 1:
            self.entered.set()
            assert self.release.wait(timeout=30), "the test never opened the gate"
        self.real(path, text, **kwargs)
        self.written.append(json.loads(text)["plan"]["legal"]["notes"])


def test_an_older_snapshot_that_lands_late_is_dropped() -> None:
    session = Session(drafts.create())
    session.set("legal.notes", "old")
    older = session.snapshot()
    session.set("legal.notes", "new")
    newer = session.snapshot()
    assert session.write(newer)
    assert not session.write(older)  # its thread lost the race for the lock
    assert on_disk(session) == "new"
    assert not session.dirty


def test_dirty_clears_only_when_the_write_carrying_the_change_lands() -> None:
    session = Session(drafts.create())
    session.set("legal.notes", "a")
    taken = session.snapshot()
    assert session.dirty  # taken, not yet written
    session.set("legal.notes", "ab")  # typed while the write runs
    session.write(taken)
    assert on_disk(session) == "a"
    assert session.dirty
    session.write(session.snapshot())
    assert on_disk(session) == "ab" and not session.dirty


def test_the_autosaver_writes_the_newest_snapshot_last(monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(drafts.create())
    gate = GatedWrites(monkeypatch, session.draft.path)
    outcomes: list[Outcome] = []
    saver = Autosaver(session, outcomes.append)
    session.set("legal.notes", "one")
    saver.submit(session.snapshot())
    assert gate.entered.wait(timeout=30)
    for text in ("two", "three"):  # queued behind the held write
        session.set("legal.notes", text)
        saver.submit(session.snapshot())
    assert session.dirty
    gate.release.set()
    assert saver.wait(timeout=30)
    assert gate.written == ["one", "three"]  # "two" was superseded before it started
    assert on_disk(session) == "three"
    assert not session.dirty
    assert outcomes == [None, None]
    saver.close()


def test_writes_racing_on_many_threads_leave_the_newest(monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(drafts.create())
    snapshots = []
    for index in range(8):
        session.set("legal.notes", f"v{index}")
        snapshots.append(session.snapshot())
    start = threading.Barrier(len(snapshots))

    def write(snapshot: Any) -> None:
        start.wait()
        session.write(snapshot)

    # Started newest first, so the older ones tend to reach the lock last.
    threads = [threading.Thread(target=write, args=(s,)) for s in reversed(snapshots)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert on_disk(session) == "v7"
    assert not session.dirty


async def test_quit_waits_for_a_write_in_progress_and_saves_the_newest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = drafts.create()
    gate = GatedWrites(monkeypatch, draft.path)
    app = RolloutApp(draft, section="legal")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await type_text(pilot, "first")
        await pilot.press("ctrl+s")  # the autosave thread now holds "first" at the gate
        assert gate.entered.wait(timeout=30)
        await type_text(pilot, " and more")
        screen = wizard(app)
        real_wait = screen.saver.wait

        def wait_after_release(timeout: float | None = None) -> bool:
            # The held write completes only once quit is already waiting for it.
            gate.release.set()
            return real_wait(timeout)

        screen.saver.wait = wait_after_release  # type: ignore[method-assign]
        await pilot.press("ctrl+q")
    assert gate.written == ["first", "first and more"]
    assert json.loads(draft.path.read_text(encoding="utf-8"))["plan"]["legal"]["notes"] == (
        "first and more"
    )
