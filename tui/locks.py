"""Who is editing a draft: `<id>.json.lock` beside it, holding pid, host, time and
what for ("edit" for a wizard, "restore" for `rollout-plan restore`).

Only one wizard writes a draft at a time. A lock whose process is gone (same host,
pid not running) is stale and is taken over silently; a lock from another host
cannot be checked, so it counts as live until the user takes over. A lock that does
not read as one (torn, or a pid no process can have) is broken, and counts as stale:
the file is in the user's own folder, so it can only hurt by blocking them.

Reading a lock and then writing or removing it happens under an OS lock on the
drafts folder, so two processes never both see a draft as free and both take it
(the kernel drops that OS lock when its process dies, so it never goes stale).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tui import drafts
from tui.errors import DraftError, StorageError

# pid_t is a C int on every system; beyond it, os.kill raises OverflowError. Zero and
# negative pids name process groups (-1: every process), never one process.
MAX_PID = 2**31 - 1
MAX_LOCK_BYTES = 4096
EDIT, RESTORE = "edit", "restore"
# A restore takes milliseconds; another one waits this long for it at most.
RESTORE_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    started: str
    purpose: str = EDIT

    @classmethod
    def me(cls, purpose: str = EDIT) -> Holder:
        return cls(os.getpid(), socket.gethostname(), drafts.now(), purpose)

    def is_me(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()

    def is_alive(self) -> bool:
        # On Windows, os.kill(pid, 0) does not probe: it terminates the process. A lock
        # there counts as live until the user takes over, like one from another host.
        if self.host != socket.gethostname() or os.name == "nt":
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # someone else's process, but alive
        except (OverflowError, OSError):
            return False
        return True

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}, since {drafts.local_time(self.started)}"


def lock_path(draft_path: Path) -> Path:
    return draft_path.with_name(draft_path.name + drafts.LOCK_SUFFIX)


def read(draft_path: Path) -> Holder | None:
    """The holder the lock file names, live or not; None when there is no lock or it
    does not read as one."""
    try:
        with lock_path(draft_path).open("rb") as handle:
            data = json.loads(handle.read(MAX_LOCK_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    pid, host = data.get("pid"), data.get("host")
    started, purpose = data.get("started", ""), data.get("for", EDIT)
    if type(pid) is not int or not 0 < pid <= MAX_PID:
        return None
    if not isinstance(host, str) or not isinstance(started, str) or purpose not in (EDIT, RESTORE):
        return None
    return Holder(pid, host, started, purpose)


def holder(draft_path: Path) -> Holder | None:
    """The live holder of the draft's lock, if any (a stale or broken lock is none)."""
    found = read(draft_path)
    return found if found is not None and found.is_alive() else None


@contextlib.contextmanager
def _guard(folder: Path) -> Iterator[None]:
    """This process alone reads-then-changes lock files in `folder` meanwhile."""
    try:
        # sys.platform rather than os.name: the type checker then checks each branch
        # on its own platform.
        if sys.platform == "win32":
            import msvcrt

            fd = os.open(folder / ".locks", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            except OSError:
                os.close(fd)
                raise
        else:
            import fcntl

            fd = os.open(folder, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                os.close(fd)
                raise
    except OSError as error:
        raise StorageError(f"cannot lock a draft in {folder}: {error.strerror}", error) from None
    try:
        yield
    finally:
        # Closing the file releases the OS lock (flock and msvcrt alike).
        os.close(fd)


def acquire(draft_path: Path, take_over: bool = False, purpose: str = EDIT) -> Holder | None:
    """Lock the draft for this process. Returns the other live holder instead when
    there is one and `take_over` is false; the lock is then left as it is."""
    with _guard(draft_path.parent):
        other = holder(draft_path)
        if other is not None and not other.is_me() and not take_over:
            return other
        me = Holder.me(purpose)
        text = json.dumps(
            {"pid": me.pid, "host": me.host, "started": me.started, "for": me.purpose}
        )
        drafts.write_atomic(lock_path(draft_path), text + "\n")
    return None


def still_mine(draft_path: Path) -> bool:
    """False once another process has taken the draft over (or the lock is gone)."""
    current = holder(draft_path)
    return current is not None and current.is_me()


def release(draft_path: Path) -> None:
    with _guard(draft_path.parent):
        if still_mine(draft_path):
            lock_path(draft_path).unlink(missing_ok=True)


# Threads of one process share its pid, so the lock file cannot tell them apart.
_in_process = threading.Lock()


@contextlib.contextmanager
def held(draft_path: Path, wait: float = RESTORE_WAIT_SECONDS) -> Iterator[None]:
    """Hold the draft's lock for a short change (a restore): waits while another
    restore holds it, refuses while a wizard has the draft open."""
    with _in_process:
        current = read(draft_path)
        mine_already = current is not None and current.is_me()
        deadline = time.monotonic() + wait
        while not mine_already and (other := acquire(draft_path, purpose=RESTORE)) is not None:
            if other.purpose != RESTORE:
                raise DraftError(
                    f"draft {draft_path.stem} is open in {other.describe()}: "
                    "restore it once that window is closed"
                )
            if time.monotonic() > deadline:
                raise DraftError(
                    f"draft {draft_path.stem} is being restored by {other.describe()}: try again"
                )
            time.sleep(0.01)
        try:
            yield
        finally:
            # A wizard of this process keeps the lock it had.
            if not mine_already:
                release(draft_path)
