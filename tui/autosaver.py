"""The one thread that writes a session's autosaves, in the order they were taken.

Snapshots are taken on the event loop (cheap) and written here (slow: fsync). Only
the newest waiting snapshot matters, so a newer one replaces one not yet started;
`Session.write` drops any snapshot older than what the file already holds, so the
quit flush, which writes on its own thread, can never be overwritten by a late one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from tui import locks
from tui.session import ChangedOnDisk, Session, Snapshot

SAVE_DELAY = 0.8  # seconds of quiet typing before an autosave
FLUSH_WAIT = 10.0  # seconds quit waits for a write in progress (a stuck disk)

# What a write ended in: None when it landed (or was already superseded), else the
# ChangedOnDisk or OSError that stopped it.
Outcome = ChangedOnDisk | OSError | None


def clock() -> str:
    """The time shown in "saved HH:MM:SS"."""
    return datetime.now().strftime("%H:%M:%S")


class Autosaver:
    def __init__(self, session: Session, report: Callable[[Outcome], None]) -> None:
        self.session = session
        # Called on the writer thread after each write; must not block on the event
        # loop (the quit flush waits here while the loop is busy).
        self.report = report
        self._ready = threading.Condition()
        self._waiting: Snapshot | None = None
        self._writing = False
        self._closed = False
        self._thread: threading.Thread | None = None

    def submit(self, snapshot: Snapshot) -> None:
        with self._ready:
            if self._closed:
                return
            self._waiting = snapshot
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="autosave", daemon=True)
                self._thread.start()
            self._ready.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every submitted snapshot is written; False on timeout."""
        with self._ready:
            return self._ready.wait_for(
                lambda: self._waiting is None and not self._writing, timeout
            )

    def close(self) -> None:
        """Take no more snapshots; the thread writes what is waiting, then ends."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._waiting is not None or self._closed)
                snapshot, self._waiting = self._waiting, None
                if snapshot is None:
                    return  # closed with nothing left to write
                self._writing = True
            outcome: Outcome = None
            try:
                self.session.write(snapshot)
            except (ChangedOnDisk, OSError) as error:
                outcome = error
            finally:
                with self._ready:
                    self._writing = False
                    self._ready.notify_all()
            self.report(outcome)


class Countdown(Protocol):
    """A timer that can be restarted and stopped (Textual's `Timer` is one)."""

    def reset(self) -> None: ...

    def stop(self) -> None: ...


class SaveView(Protocol):
    """What saving tells the screen that shows the draft."""

    def show_status(self, text: str, level: str) -> None: ...

    def say(self, text: str, error: bool = False) -> None: ...

    def diverged(self, why: str, keep_copy: Callable[[], None]) -> None:
        """The draft changed elsewhere; nothing more is written to it from here.
        `keep_copy` saves this window's version as a new draft."""


class Saving:
    """When and how a window's draft is saved: after a pause in typing, on the
    autosave thread; at once on leaving (`flush`). Free of widgets: the screen passes
    its timer factory and a view for the status line and the dialogs.

    `report` is called on the writer thread with each write's outcome; the screen
    brings it back to the event loop and hands it to `done`."""

    def __init__(
        self,
        session: Session,
        view: SaveView,
        start_timer: Callable[[float, Callable[[], None]], Countdown],
        report: Callable[[Outcome], None],
    ) -> None:
        self.session = session
        self.view = view
        self.start_timer = start_timer
        self.saver = Autosaver(session, report)
        self._timer: Countdown | None = None
        self._failed = False
        self._pending = False  # "editing…" is showing

    def soon(self, now: bool = False) -> None:
        """Save after SAVE_DELAY of quiet (each call restarts it), or `now`."""
        if self.session.read_only or not self.session.dirty:
            return
        if now:
            self._in_background()
        elif self._timer is None:
            self._timer = self.start_timer(SAVE_DELAY, self._in_background)
        else:
            self._timer.reset()
        if not self._pending:
            self._pending = True
            self.view.show_status("editing…", "-pending")

    def now(self) -> None:
        """Write the draft now, even unchanged (ctrl+s: a retry after a failure)."""
        self.session.mark_dirty()
        self._in_background()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _nothing_to_save(self) -> bool:
        """Stops a pending autosave; True when there is nothing this window may write."""
        self._stop_timer()
        return self.session.read_only or not self.session.dirty

    def _in_background(self) -> None:
        if self._nothing_to_save():
            return
        if not locks.still_mine(self.session.draft.path):
            self._stop_writing(
                "Another rollout-plan took this draft over. Nothing more is written to it "
                "from here."
            )
            return
        self.saver.submit(self.session.snapshot())

    def done(self, outcome: Outcome) -> None:
        """A write of the autosave thread ended (on the event loop)."""
        if isinstance(outcome, ChangedOnDisk):
            if not self.session.read_only:  # once: a second queued write also failed
                self._stop_writing(
                    "The draft file changed on disk since this window opened it (another "
                    "editor or a restore). It was not overwritten."
                )
        elif isinstance(outcome, OSError):
            self._failed_with(str(outcome.strerror or outcome))
        else:
            self._failed = False
            self._pending = False
            if not self.session.dirty:
                self.view.show_status(f"saved {clock()}", "-saved")

    def _failed_with(self, reason: str) -> None:
        self.view.show_status("NOT SAVED", "-error")
        if not self._failed:
            self.view.say(
                f"Could not save the draft ({reason}). Your text is kept here; "
                "rollout-plan tries again at the next change (ctrl+s to retry now).",
                error=True,
            )
        self._failed = True

    def flush(self) -> None:
        """Save now, on this thread (quit, leaving the screen)."""
        self._stop_timer()
        # A write still running finishes first; one waiting is then superseded.
        self.saver.wait(timeout=FLUSH_WAIT)
        if self.session.moved and not self.session.read_only:
            self.session.mark_dirty()  # where the user was is worth a write on leaving
        if self._nothing_to_save():
            return
        if not locks.still_mine(self.session.draft.path):
            self.save_copy()
            return
        try:
            self.session.save_now()
        except ChangedOnDisk:
            self.save_copy()
        except OSError as error:
            self._failed_with(str(error.strerror or error))
        else:
            locks.release(self.session.draft.path)

    def close(self) -> None:
        """The window is gone: the thread writes what waits, and the lock goes."""
        self.saver.close()
        if not self.session.read_only:
            locks.release(self.session.draft.path)

    def _stop_writing(self, why: str) -> None:
        self.session.read_only = True
        self.view.show_status("not saving: the draft changed elsewhere", "-error")
        self.view.diverged(why, self.save_copy)

    def save_copy(self) -> None:
        """Keep this window's version as a new draft (the original changed elsewhere)."""
        copy = self.session.fork()
        locks.acquire(copy.path)
        self.view.say(f"Your version is saved as a new draft: {copy.id}")
        self.view.show_status(f"saved as {copy.id}", "-saved")
