"""Home: every draft with its title, FF issue, last edit and finding counts;
unreadable files with the reason. New, open, duplicate, delete, import, restore.

With many drafts, reading and checking every plan takes seconds, so the first frame
shows what is known without that: summaries cached since the last look, and for the
drafts saved since, their titles and times from the file as it is. A worker thread
reads and checks those and fills in their counts (or marks them unreadable).
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import get_current_worker

from tui import drafts, summaries
from tui.app import FOOTER_TAIL
from tui.drafts import Draft, Unreadable
from tui.errors import DraftError, UserError
from tui.plan import Plan
from tui.summaries import Summary
from tui.terminal import safe
from tui.widgets.footer import Footer
from tui.widgets.topbar import TopBar

BROKEN = "broken:"  # row-key prefix of unreadable files
COLUMNS = ("Title", "Edited", "Errors", "Warnings", "FF issue")
PENDING = "…"  # a count not known yet
FILL_BATCH = 25  # rows the worker fills in per trip to the event loop
# Rows in the first frame: more than any terminal shows. The table measures every
# row it holds before it draws (0.15 ms a row), so the others are added after it, a
# chunk a frame, and keys typed meanwhile are not held up.
FIRST_ROWS = 120


ISSUE_URL = re.compile(r"https?://[^/\s]+/(?P<project>[^\s]+?)/-/issues/(?P<number>\d+)/?")
MIN_TITLE = 16  # the Title column never narrower than this


def short_issue(text: str) -> str:
    """An issue URL as GitLab writes a reference (group/project#123): the list keeps
    room for it beside the title."""
    found = ISSUE_URL.fullmatch(text.strip())
    return f"{found['project']}#{found['number']}" if found else text


class DraftList(DataTable[Text | str]):
    """Every draft's row, then the unreadable files'. The first frame shows what is
    known without reading the plans; a worker reads the others and fills them in."""

    class Filled(Message):
        """Rows were filled in by the worker (a count known, a draft found unreadable)."""

    def __init__(self) -> None:
        super().__init__(id="drafts", cursor_type="row", zebra_stripes=True)
        self.found: dict[str, Summary] = {}
        self.broken: dict[str, Unreadable] = {}
        self._generation = 0  # bumped by each reload; later work of an older one stops
        self._select: str | None = None  # the row to put the cursor on once added

    def on_mount(self) -> None:
        for name in COLUMNS:
            self.add_column(name, key=name)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_title)

    def fit_title(self) -> None:
        """The Title column takes the room the other columns leave (a long title is
        cut, the FF issue stays whole)."""
        others = sum(
            column.get_render_width(self)
            for key, column in self.columns.items()
            if key.value != "Title"
        )
        title = self.columns[ColumnKey("Title")]
        room = self.scrollable_content_region.width - others - 2 * self.cell_padding
        width = max(MIN_TITLE, room)
        if title.auto_width or title.width != width:
            title.auto_width = False
            title.width = width
            self.refresh()

    def reload(self, select: str | None = None) -> summaries.FirstLook:
        """Show the drafts as they are now, the cursor on `select` (an id) once added."""
        look = summaries.first_look()
        self.found = {summary.id: summary for summary in look.found}
        self.broken = {b.id: b for b in look.broken}
        self.clear()
        self._generation += 1
        self._select = select
        self._add_rows([*self.found, *(BROKEN + b for b in self.broken)], self._generation)
        if look.pending:
            # After the first frame: the worker's thread would hold the GIL against it.
            self.call_after_refresh(self._fill_in, look, self._generation)
        else:
            look.cache.save()
        return look

    def selected(self) -> str | None:
        """The key of the row under the cursor (an id, or BROKEN + id)."""
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def _add_rows(self, keys: list[str], generation: int) -> None:
        """Add the rows of these keys, the first FIRST_ROWS now and the rest later.

        A row shows what is known when it is added: the worker may have filled in
        its draft already, or found it unreadable.
        """
        if generation != self._generation:
            return  # a newer reload filled the table
        for key in keys[:FIRST_ROWS]:
            summary = self.found.get(key)
            if summary is not None:
                self.add_row(*self._cells(summary), key=key)
            else:
                entry = self.broken[key.removeprefix(BROKEN)]
                self.add_row(*self._broken_cells(entry), key=BROKEN + entry.id)
            if key == self._select:
                self.move_cursor(row=self.row_count - 1)
                self._select = None
        if keys[FIRST_ROWS:]:
            self.call_after_refresh(self._add_rows, keys[FIRST_ROWS:], generation)
        self.fit_title()

    @staticmethod
    def _cells(summary: Summary) -> tuple[Text | str, ...]:
        # Text, not str: a title such as "[model] Rollout Plan" is not markup. And
        # escaped: Textual passes ESC through, so an OSC 52 in a title would write
        # the clipboard.
        return (
            Text(safe(summary.title)),
            drafts.local_time(summary.updated),
            PENDING if summary.errors is None else str(summary.errors),
            PENDING if summary.warnings is None else str(summary.warnings),
            Text(short_issue(safe(summary.ff_issue)) or "—"),
        )

    @staticmethod
    def _broken_cells(entry: Unreadable) -> tuple[Text | str, ...]:
        return (
            Text(f"UNREADABLE {safe(entry.path.name)}", style="bold"),
            "",
            "",
            "",
            Text(safe(entry.reason)),
        )

    @work(thread=True, exclusive=True, group="counts")
    def _fill_in(self, look: summaries.FirstLook, generation: int) -> None:
        """Read and check the drafts the first frame only glimpsed; fill in their rows."""
        worker = get_current_worker()
        batch: list[Summary | Unreadable] = []
        for index, (path, key) in enumerate(look.pending, start=1):
            if worker.is_cancelled or generation != self._generation:
                return  # a newer reload took over
            batch.append(summaries.complete(path, key, look.cache))
            if len(batch) == FILL_BATCH or index == len(look.pending):
                try:
                    self.app.call_from_thread(self._show_filled, batch, generation)
                except RuntimeError:
                    return  # the app is closing
                batch = []
        look.cache.save()

    def _show_filled(self, results: list[Summary | Unreadable], generation: int) -> None:
        if generation != self._generation:
            return  # reloaded meanwhile: a newer worker fills the new rows
        for result in results:
            if result.id not in self.found:
                continue
            added = result.id in self.rows  # else it shows this when added
            if isinstance(result, Unreadable):
                del self.found[result.id]
                self.broken[result.id] = result
                if added:
                    self.remove_row(result.id)
                    self.add_row(*self._broken_cells(result), key=BROKEN + result.id)
                continue
            self.found[result.id] = result
            if added:
                for column, cell in zip(COLUMNS, self._cells(result), strict=True):
                    self.update_cell(result.id, column, cell)
        self.post_message(self.Filled())
        self.fit_title()


class HomeScreen(Screen[None]):
    class OpenDraft(Message):
        """Open this draft in the section screens (handled by the app)."""

        def __init__(self, draft: Draft) -> None:
            super().__init__()
            self.draft = draft

    BINDINGS = [
        Binding("n", "new", "New", id="home.new"),
        Binding("enter", "open", "Open", id="home.open", show=True, priority=False),
        Binding("d", "duplicate", "Duplicate", id="home.duplicate"),
        Binding("delete,x", "delete", "Delete", id="home.delete"),
        Binding("i", "import", "Import", id="home.import"),
        Binding("r", "restore", "Restore backup", id="home.restore"),
        Binding("question_mark", "app.keys", "Keys", id="home.keys", show=False),
        *FOOTER_TAIL,
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("rollout-plan · drafts", str(drafts.drafts_dir()), "drafts-folder")
        yield DraftList()
        yield Static(id="home-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DraftList).focus()

    def reload(self, select: str | None = None) -> None:
        look = self.query_one(DraftList).reload(select)
        self._describe()
        if not look.found and not look.broken:
            self.query_one("#home-detail", Static).update(
                "No drafts yet. Press n to start one, or i to import an issue description."
            )

    @on(DataTable.RowHighlighted)
    @on(DraftList.Filled)
    def _describe(self) -> None:
        table = self.query_one(DraftList)
        key = table.selected()
        detail = self.query_one("#home-detail", Static)
        if key is None:
            detail.update("")
        elif key.startswith(BROKEN):
            entry = table.broken[key.removeprefix(BROKEN)]
            hint = (
                "r puts back its backup."
                if drafts.has_readable_backup(entry.path)
                else "It is left untouched; fix or remove it by hand."
            )
            detail.update(f"{safe(str(entry.path))}: {safe(entry.reason)}. {hint}")
        else:
            draft = table.found[key]
            detail.update(f"Draft {draft.id} · {safe(str(draft.path))}")

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    # --- actions -------------------------------------------------------------------

    def _draft(self) -> Draft | None:
        table = self.query_one(DraftList)
        key = table.selected()
        if key is None:
            return None
        if key.startswith(BROKEN):
            self.notify(
                "That file cannot be read: " + safe(table.broken[key.removeprefix(BROKEN)].reason),
                severity="warning",
                markup=False,
            )
            return None
        try:
            return drafts.load(table.found[key].path)
        except DraftError as error:
            # Changed on disk since the list was made.
            self.notify(safe(f"Cannot open draft {key}: {error}"), severity="warning", markup=False)
            self.reload()
            return None

    def action_new(self) -> None:
        self.post_message(self.OpenDraft(drafts.create(Plan())))

    def action_open(self) -> None:
        draft = self._draft()
        if draft is not None:
            self.post_message(self.OpenDraft(draft))

    def action_duplicate(self) -> None:
        draft = self._draft()
        if draft is None:
            return
        plan = draft.plan.model_copy(deep=True)
        if plan.title.title.strip():
            plan.title.title = f"{plan.title.title} (copy)"
        copy = drafts.create(plan)
        self.reload(select=copy.id)
        self.notify(f"Duplicated {draft.id} as {copy.id}.", markup=False)

    def action_delete(self) -> None:
        draft = self._draft()
        if draft is None:
            return
        from tui.screens.dialogs import confirm

        def chosen(delete: bool | None) -> None:
            if delete:
                drafts.delete(draft)
                self.reload()
                self.notify(f"Deleted draft {draft.id}.", markup=False)

        self.app.push_screen(
            confirm(
                f"Delete draft {draft.id} '{safe(draft.title)}'?",
                "Its file and its backup are removed.",
                go=("delete", "Delete"),
                cancel=("keep", "Keep"),
                safe_first=True,
            ),
            chosen,
        )

    def action_restore(self) -> None:
        key = self.query_one(DraftList).selected()
        if key is None:
            return
        ref = key.removeprefix(BROKEN)
        try:
            restored = drafts.restore(ref)
        except UserError as error:
            self.notify(safe(str(error)), severity="warning", markup=False)
            return
        self.reload(select=restored.id)
        self.notify(
            f"Restored {restored.id} as saved {drafts.local_time(restored.updated)}. "
            "Press r again to undo.",
            markup=False,
        )

    def action_import(self) -> None:
        from tui.screens.dialogs import AskText

        self.app.push_screen(
            AskText("Import which file? (an issue description .md, or an exported .json)"),
            self._import,
        )

    def _import(self, name: str | None) -> None:
        if not name:
            return
        path = Path(name).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not a UTF-8 text file"
            self.notify(f"Cannot read {path}: {reason}", severity="error", markup=False)
            return
        try:
            if path.suffix == ".json":
                plan, notes = drafts.from_json_text(text, path).plan, list[str]()
            else:
                from tui.importer import parse_description

                plan, notes = parse_description(text)
        except UserError as error:
            self.notify(safe(f"Cannot import {path}: {error}"), severity="error", markup=False)
            return
        draft = drafts.create(plan)
        for note in notes:
            self.notify(safe(note), severity="warning", timeout=10, markup=False)
        self.notify(f"Imported {path.name} as draft {draft.id}.", markup=False)
        self.post_message(self.OpenDraft(draft))
