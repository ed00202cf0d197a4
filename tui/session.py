"""One draft being edited: values by path, findings, section marks, saving.

This is the wizard's state without the widgets, so it is tested without Textual.
A *path* names one value in the plan the way `checks.Finding.path` does:
`overview.ff_issue`, `evaluation.rows.2.p50`, `persevere.criteria.0`.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple, get_args

from pydantic import BaseModel

from tui import drafts
from tui.checks import Finding, Level, check
from tui.drafts import Draft, Place
from tui.plan import Plan, sections


class Mark(StrEnum):
    """A section's status in the side list."""

    UNTOUCHED = "○"
    DONE = "✓"
    WARNINGS = "!"
    ERRORS = "✗"


@dataclass(frozen=True)
class DiskState:
    """What the draft file looked like when this session last read or wrote it."""

    mtime_ns: int
    size: int

    @classmethod
    def of(cls, draft: Draft) -> DiskState | None:
        try:
            stat = os.stat(draft.path)
        except OSError:
            return None
        return cls(stat.st_mtime_ns, stat.st_size)


class ChangedOnDisk(Exception):
    """The draft file was written by someone else since this session read it."""


class Snapshot(NamedTuple):
    """The draft file's content as of one version of the plan in memory."""

    version: int
    text: str
    place: Place | None = None


class Session:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        # Every change bumps `version`; `saved` is the version the file on disk holds.
        # Unsaved work is the difference, so a save that lands late never hides a newer
        # change, and an older snapshot never overwrites a newer one.
        self.version = 0
        self.saved = 0
        # Set when another wizard holds the draft: nothing is written.
        self.read_only = False
        self._findings: list[Finding] | None = None
        # Paths whose findings are shown under their fields: a field shows its
        # message once it was left, a section once it was left or had been worked on.
        self.revealed: set[str] = {s.name for s in sections() if self.touched(s.name)}
        self.fresh = ""  # the row just added, whose findings wait (see add_row)
        self.disk = DiskState.of(draft)
        # Where the file says the wizard was left; moving elsewhere is saved on quit
        # even with no other change, so `resume` reopens there.
        self.saved_place = draft.place
        # Saves come from the autosave thread and from quit; one at a time.
        self._write_lock = threading.Lock()

    @property
    def dirty(self) -> bool:
        """True while memory holds changes the file does not."""
        return self.version > self.saved

    def move_to(self, section: str, path: str = "") -> None:
        """Remember the section and field in use, for the next open of this draft."""
        self.draft.place = Place(section, path)

    @property
    def moved(self) -> bool:
        """True when the place in use is not the one the file records."""
        return self.draft.place != self.saved_place

    def mark_dirty(self) -> None:
        """Have the next save write, even with no change (a retry, ctrl+s)."""
        self.version += 1

    @property
    def plan(self) -> Plan:
        return self.draft.plan

    # --- values by path ------------------------------------------------------------

    def get(self, path: str) -> Any:
        target: Any = self.plan
        for part in path.split("."):
            target = target[int(part)] if isinstance(target, list) else getattr(target, part)
        return target

    def set(self, path: str, value: Any) -> None:
        parent_path, _, last = path.rpartition(".")
        parent = self.get(parent_path)
        if isinstance(parent, list):
            if parent[int(last)] == value:
                return
            parent[int(last)] = value
        else:
            if getattr(parent, last) == value:
                return
            setattr(parent, last, value)
        self.changed()

    def changed(self) -> None:
        self.version += 1
        self._findings = None

    # --- repeating groups ----------------------------------------------------------

    def add_row(self, path: str, at: int | None = None) -> int:
        """Insert an empty row (or item) into the group at `path`; return its index."""
        rows = self.get(path)
        at = len(rows) if at is None else max(0, min(at, len(rows)))
        rows.insert(at, self._new_entry(path))
        # A row just added has nothing typed yet: its findings wait until a field of
        # it is left (only the newest row is tracked; indices shift as rows change).
        self.fresh = f"{path}.{at}"
        self.changed()
        return at

    def remove_row(self, path: str, index: int) -> None:
        del self.get(path)[index]
        self.fresh = ""
        self.changed()

    def move_row(self, path: str, index: int, delta: int) -> int:
        """Move a row up (delta -1) or down (+1); return where it is now."""
        rows = self.get(path)
        target = index + delta
        if not 0 <= index < len(rows) or not 0 <= target < len(rows):
            return index
        rows[index], rows[target] = rows[target], rows[index]
        self.fresh = ""
        self.changed()
        return target

    def _new_entry(self, path: str) -> Any:
        parent_path, _, name = path.rpartition(".")
        model = type(self.get(parent_path))
        annotation = model.model_fields[name].annotation
        (entry_type,) = get_args(annotation)
        return (
            entry_type()
            if isinstance(entry_type, type) and issubclass(entry_type, BaseModel)
            else ""
        )

    # --- findings ------------------------------------------------------------------

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = check(self.plan)
        return self._findings

    def reveal(self, path: str) -> None:
        if self.fresh and path.startswith(self.fresh + "."):
            self.fresh = ""  # a field of the new row was left: the row is no longer new
        self.revealed.add(path)

    def is_revealed(self, path: str) -> bool:
        if self.fresh and (path == self.fresh or path.startswith(self.fresh + ".")):
            return False
        parts = path.split(".")
        return any(".".join(parts[:n]) in self.revealed for n in range(1, len(parts) + 1))

    def shown_findings(self, path: str, within: bool = False) -> list[Finding]:
        """Errors and warnings of this field (`within`: and of what is under it, such
        as a row's cells), each once its own field has been revealed."""
        return [
            f
            for f in self.findings
            if f.level is not Level.INFO
            and (f.path == path or (within and f.path.startswith(path + ".")))
            and self.is_revealed(f.path)
        ]

    def messages(self, path: str, within: bool = False) -> list[tuple[Level, str]]:
        """The message under a field, line by line, as every front end shows it: each
        shown finding's text, naming the cell when it is about one inside `path`
        (under a row or a list)."""
        return [
            (f.level, f"{f.field}: {f.message}" if f.path != path else f.message)
            for f in self.shown_findings(path, within)
        ]

    def touched(self, section: str) -> bool:
        return getattr(self.plan, section) != type(getattr(self.plan, section))()

    def mark(self, section: str) -> Mark:
        """Errors and warnings show once the section was left or worked on; done
        means worked on and clean."""
        touched = self.touched(section)
        if section not in self.revealed and not touched:
            return Mark.UNTOUCHED
        levels = {f.level for f in self.findings if f.path.split(".")[0] == section}
        if Level.ERROR in levels:
            return Mark.ERRORS
        if Level.WARNING in levels:
            return Mark.WARNINGS
        return Mark.DONE if touched else Mark.UNTOUCHED

    # --- saving --------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The draft file's next content; cheap enough for the event loop."""
        self.draft.updated = drafts.now()
        return Snapshot(self.version, self.draft.to_json(), self.draft.place)

    def write(self, snapshot: Snapshot, force: bool = False) -> bool:
        """Write a snapshot unless the file already holds a newer one (False then);
        safe to call from any thread.

        Refuses (ChangedOnDisk) when the file changed since this session last saw
        it, so another editor's work is never overwritten unknowingly.
        """
        with self._write_lock:
            if snapshot.version <= self.saved:
                return False
            if not force and DiskState.of(self.draft) != self.disk:
                raise ChangedOnDisk(str(self.draft.path))
            drafts.write_atomic(self.draft.path, snapshot.text, keep_backup=True)
            self.disk = DiskState.of(self.draft)
            self.saved = max(self.saved, snapshot.version)
            self.saved_place = snapshot.place
            return True

    def save_now(self, force: bool = False) -> None:
        self.write(self.snapshot(), force=force)

    def fork(self) -> Draft:
        """Go on in a new draft holding this plan; the draft file it came from is left
        as it is (another window owns it, or it changed on disk)."""
        copy = drafts.create(self.plan)
        copy.place, self.saved_place = self.draft.place, None
        self.draft = copy
        self.disk = DiskState.of(copy)
        self.read_only = False
        self.saved = self.version
        return copy
