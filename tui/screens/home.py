"""Home: every draft with its title, FF issue, last edit and finding counts;
unreadable files with the reason. New, open, duplicate, delete, import, restore."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui import drafts
from tui.checks import Level, check
from tui.drafts import Draft, Unreadable
from tui.errors import UserError
from tui.plan import Plan
from tui.terminal import safe

BROKEN = "broken:"  # row-key prefix of unreadable files


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "new", "New", id="home.new"),
        Binding("enter", "open", "Open", id="home.open", show=True, priority=False),
        Binding("d", "duplicate", "Duplicate", id="home.duplicate"),
        Binding("delete,x", "delete", "Delete", id="home.delete"),
        Binding("i", "import", "Import", id="home.import"),
        Binding("r", "restore", "Restore backup", id="home.restore"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, Draft] = {}
        self.broken: dict[str, Unreadable] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("rollout-plan · drafts", id="draft-title")
            yield Static(str(drafts.drafts_dir()), id="save-status", markup=False)
        yield DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        yield Static(id="home-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Title", "Edited", "Errors", "Warnings", "FF issue")
        self.reload()
        table.focus()

    def reload(self, select: str | None = None) -> None:
        found, broken = drafts.scan()
        self.found = {d.id: d for d in found}
        self.broken = {b.id: b for b in broken}
        table = self.query_one(DataTable)
        table.clear()
        for draft in found:
            findings = check(draft.plan)
            # Text, not str: a title such as "[model] Rollout Plan" is not markup. And
            # escaped: Textual passes ESC through, so an OSC 52 in a title would write
            # the clipboard.
            table.add_row(
                Text(safe(draft.title)),
                drafts.local_time(draft.updated),
                str(sum(f.level is Level.ERROR for f in findings)),
                str(sum(f.level is Level.WARNING for f in findings)),
                Text(safe(draft.plan.overview.ff_issue.strip()) or "—"),
                key=draft.id,
            )
        for entry in broken:
            table.add_row(
                Text(f"UNREADABLE {safe(entry.path.name)}", style="bold"),
                "",
                "",
                "",
                Text(safe(entry.reason)),
                key=BROKEN + entry.id,
            )
        if select is not None:
            keys = [*self.found, *(BROKEN + b for b in self.broken)]
            if select in keys:
                table.move_cursor(row=keys.index(select))
        self._describe()
        if not found and not broken:
            self.query_one("#home-detail", Static).update(
                "No drafts yet. Press n to start one, or i to import an issue description."
            )

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(DataTable.RowHighlighted)
    def _describe(self) -> None:
        key = self._selected()
        detail = self.query_one("#home-detail", Static)
        if key is None:
            detail.update("")
        elif key.startswith(BROKEN):
            entry = self.broken[key.removeprefix(BROKEN)]
            hint = (
                "r puts back its backup."
                if drafts.has_readable_backup(entry.path)
                else "It is left untouched; fix or remove it by hand."
            )
            detail.update(f"{safe(str(entry.path))}: {safe(entry.reason)}. {hint}")
        else:
            draft = self.found[key]
            detail.update(f"Draft {draft.id} · {safe(str(draft.path))}")

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_open()

    # --- actions -------------------------------------------------------------------

    def _draft(self) -> Draft | None:
        key = self._selected()
        if key is None:
            return None
        if key.startswith(BROKEN):
            self.notify(
                "That file cannot be read: " + safe(self.broken[key.removeprefix(BROKEN)].reason),
                severity="warning",
                markup=False,
            )
            return None
        return self.found[key]

    def action_new(self) -> None:
        self.app.open_draft(drafts.create(Plan()))  # type: ignore[attr-defined]

    def action_open(self) -> None:
        draft = self._draft()
        if draft is not None:
            self.app.open_draft(draft)  # type: ignore[attr-defined]

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
        from tui.screens.dialogs import Choice

        def chosen(answer: str | None) -> None:
            if answer == "delete":
                drafts.delete(draft)
                self.reload()
                self.notify(f"Deleted draft {draft.id}.", markup=False)

        self.app.push_screen(
            Choice(
                f"Delete draft {draft.id} '{safe(draft.title)}'?",
                "Its file and its backup are removed.",
                [("keep", "Keep"), ("delete", "Delete")],
            ),
            chosen,
        )

    def action_restore(self) -> None:
        key = self._selected()
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
                plan, notes = drafts.from_json_text(text, path).plan, []
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
        self.app.open_draft(draft)  # type: ignore[attr-defined]
