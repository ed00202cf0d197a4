"""The one thread that writes a session's autosaves, in the order they were taken.

Snapshots are taken on the event loop (cheap) and written here (slow: fsync). Only
the newest waiting snapshot matters, so a newer one replaces one not yet started;
`Session.write` drops any snapshot older than what the file already holds, so the
quit flush, which writes on its own thread, can never be overwritten by a late one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from tui.session import ChangedOnDisk, Session, Snapshot

# What a write ended in: None when it landed (or was already superseded), else the
# ChangedOnDisk or OSError that stopped it.
Outcome = ChangedOnDisk | OSError | None


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
