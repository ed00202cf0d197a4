"""Who is editing a draft: `<id>.json.lock` beside it, holding pid, host and time.

Only one wizard writes a draft at a time. A lock whose process is gone (same host,
pid not running) is stale and is taken over silently; a lock from another host
cannot be checked, so it counts as live until the user takes over.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from tui import drafts


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    started: str

    @classmethod
    def me(cls) -> Holder:
        return cls(os.getpid(), socket.gethostname(), drafts.now())

    def is_me(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()

    def is_alive(self) -> bool:
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # someone else's process, but alive
        return True

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}, since {drafts.local_time(self.started)}"


def lock_path(draft_path: Path) -> Path:
    return draft_path.with_name(draft_path.name + drafts.LOCK_SUFFIX)


def holder(draft_path: Path) -> Holder | None:
    """The live holder of the draft's lock, if any (a stale or broken lock is none)."""
    try:
        data = json.loads(lock_path(draft_path).read_text(encoding="utf-8"))
        found = Holder(int(data["pid"]), str(data["host"]), str(data.get("started", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if found.is_alive() else None


def acquire(draft_path: Path, take_over: bool = False) -> Holder | None:
    """Lock the draft for this process. Returns the other live holder instead when
    there is one and `take_over` is false; the lock is then left as it is."""
    other = holder(draft_path)
    if other is not None and not other.is_me() and not take_over:
        return other
    me = Holder.me()
    text = json.dumps({"pid": me.pid, "host": me.host, "started": me.started}) + "\n"
    drafts.write_atomic(lock_path(draft_path), text)
    return None


def still_mine(draft_path: Path) -> bool:
    """False once another process has taken the draft over (or the lock is gone)."""
    current = holder(draft_path)
    return current is not None and current.is_me()


def release(draft_path: Path) -> None:
    if still_mine(draft_path):
        lock_path(draft_path).unlink(missing_ok=True)
