"""Repeating groups: rows of a sub-model (evaluation, timeline, links) and lists of
texts (criteria, labels). Rows are added, removed and moved with the keyboard
(or the group's buttons, which act on the focused row); the group then rebuilds
from the session, and focus follows the row it was on. A new row is focused on
its first field; a group with no rows, on its "+ Add" button.

Groups can hold many rows, so each row is kept to few widgets: a grid of labels
and editors, and one message line for the whole row.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static, TextArea

from tui.plan import Kind, fields_of
from tui.session import Session
from tui.widgets.fields import (
    EDITORS,
    FieldEditor,
    FieldMessage,
    LongTextField,
    TextField,
    dom_id,
    editor_path,
    editors_in,
    field_editor,
    focus_now,
    simple_editor,
    take_pending_keys,
)

LONG_CELL_HEIGHT = 5  # lines of a text area in a row


class AddButton(Button):
    """A group's "+ Add" button; `path` is the group's, so a jump to an empty group
    lands here."""

    def __init__(self, path: str, noun: str) -> None:
        super().__init__(f"+ Add {noun}", classes="group-add", compact=True)
        self.path = path


def focus_stops(node: Widget) -> list[FieldEditor | AddButton]:
    """Where typing can go: an editor, or the "+ Add" button of a group (enter adds
    a row), in the order of the screen."""
    return [
        w for w in node.query(f"{EDITORS}, AddButton") if isinstance(w, FieldEditor | AddButton)
    ]


class GroupEditor(Vertical):
    DEFAULT_CSS = """
    GroupEditor {
        height: auto;
        & .row {
            height: auto;
            border: round $panel;
            border-title-color: $text-muted;
            padding: 0 1;
            &:focus-within { border: round $accent; }
        }
        & .row-grid, & .items-grid {
            grid-size: 2;
            grid-columns: 20 1fr;
            grid-rows: 1;
            grid-gutter: 0 1;
            height: auto;
        }
        & .items-grid { grid-columns: 4 1fr; }
        & .row-label, & .item-number { color: $text-muted; }
        & .group-tools {
            height: 1;
            & Button {
                width: auto;
                min-width: 0;
                margin-right: 2;
            }
            /* Specific enough to win over Button's own background. */
            & Button.group-tool { background: $panel; }
        }
    }
    """

    class Restructured(Message):
        """Rows were added, removed or moved (the values are already in the session)."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    # Priority: the app then finishes the rebuild, focus included, before it routes
    # the next key, so text typed straight after ctrl+n goes into the new row.
    BINDINGS = [
        Binding("ctrl+n", "add", "Add row", id="group.add", priority=True),
        Binding("ctrl+delete", "remove", "Remove row", id="group.remove", priority=True),
        Binding("ctrl+up", "move(-1)", "Move up", id="group.up", priority=True),
        Binding("ctrl+down", "move(1)", "Move down", id="group.down", priority=True),
        # Not priority: a status menu keeps its own up and down.
        Binding("up", "step(-1)", "Row above", id="group.row_up", show=False),
        Binding("down", "step(1)", "Row below", id="group.row_down", show=False),
    ]

    def __init__(self, session: Session, path: str, noun: str) -> None:
        super().__init__(classes="group", id=dom_id(path) + "-group")
        self.session = session
        self.path = path
        self.noun = noun
        self._last_focused = ""  # the path of the editor last focused in this group

    @property
    def entries(self) -> list[Any]:
        return self.session.get(self.path)

    def compose(self) -> ComposeResult:
        yield from self.body()
        with Horizontal(classes="group-tools"):
            yield AddButton(self.path, self.noun)
            # Mouse helpers acting on the focused row; the keyboard has its own keys,
            # so these take no tab stop.
            for name, key, text in (
                ("-1", "up", "↑ up"),
                ("1", "down", "↓ down"),
                ("remove", "remove", "✕ remove"),
            ):
                if not self.entries:
                    break
                button = Button(text, name=name, classes=f"group-tool tool-{key}", compact=True)
                button.can_focus = False
                yield button

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        path = editor_path(event.widget)
        if path.startswith(self.path + "."):
            self._last_focused = path

    def _focused_place(self) -> tuple[int | None, str]:
        """(entry index, field name within the entry) of the editor in focus, or of the
        last one that was: a click on a button may take the focus away first."""
        focused = self.screen.focused
        if isinstance(focused, AddButton):
            return None, ""  # "+ Add" adds at the end and names no row to move
        path = editor_path(focused)
        if not path.startswith(self.path + "."):
            path = self._last_focused
        if not path.startswith(self.path + "."):
            return None, ""
        index, _, rest = path[len(self.path) + 1 :].partition(".")
        if int(index) >= len(self.entries):
            return None, ""
        return int(index), rest

    async def _take_pending_keys(self) -> None:
        await take_pending_keys(self.screen)

    async def action_add(self) -> None:
        await self._take_pending_keys()
        index, _column = self._focused_place()
        at = self.session.add_row(self.path, None if index is None else index + 1)
        await self._rebuild(at, "")  # a new row is filled from its first field

    async def action_remove(self) -> None:
        await self._take_pending_keys()
        index, column = self._focused_place()
        if index is None:
            self.app.bell()
            return
        self.session.remove_row(self.path, index)
        await self._rebuild(min(index, len(self.entries) - 1), column)

    async def action_move(self, delta: int) -> None:
        await self._take_pending_keys()
        index, column = self._focused_place()
        if index is None:
            self.app.bell()
            return
        await self._rebuild(self.session.move_row(self.path, index, delta), column)

    async def end_list(self) -> None:
        """Drop the (empty) entry in focus: enter in an empty last item ends a list."""
        await self._take_pending_keys()
        index, _column = self._focused_place()
        if index is not None:
            self.session.remove_row(self.path, index)
            await self.recompose()
            self.post_message(self.Restructured(self.path))

    def action_step(self, delta: int) -> None:
        """Up and down: the same field of the row above or below; below the last row,
        "+ Add"; above the first, the field before the group."""
        index, column = self._focused_place()
        focused = self.screen.focused
        if index is None or focused is None:
            return
        target = f"{self.path}.{index + delta}" + (f".{column}" if column else "")
        found = [w for w in editors_in(self) if w.path == target]
        if found:
            focus_now(found[0])
        elif delta > 0:
            focus_now(self.query_one(AddButton))
        else:
            from tui.widgets.form import SectionForm

            first = next(w for w in editors_in(self) if w.focusable)
            form = next(a for a in self.ancestors if isinstance(a, SectionForm))
            form.step_from(first, -1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            # Only from an editor in a row; on "+ Add" up and down do nothing special.
            focused = self.screen.focused
            return (
                focused is not None
                and self in focused.ancestors
                and editor_path(focused).startswith(self.path + ".")
            )
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = str(event.button.name)
        if event.button.has_class("group-add"):
            await self.action_add()
        elif name == "remove":
            await self.action_remove()
        else:
            await self.action_move(int(name))

    async def _rebuild(self, focus_index: int, column: str) -> None:
        """Rebuild from the session; focus the row at `focus_index` on `column` (or its
        first field), or the "+ Add" button when no row is left."""
        await self.recompose()
        self.post_message(self.Restructured(self.path))
        row = f"{self.path}.{focus_index}"
        editors: list[Widget] = [w for w in editors_in(self) if f"{w.path}.".startswith(row + ".")]
        same = [w for w in editors if editor_path(w) == f"{row}.{column}"]
        focus_now((same or editors or [self.query_one(AddButton)])[0])


def grid_of(cells: list[Widget], classes: str) -> Grid:
    """(label, editor) pairs in a two-column grid, one line a pair; a text area (a
    section's text, an item of several lines) gets LONG_CELL_HEIGHT lines."""
    grid = Grid(*cells, classes=classes)
    editors = cells[1::2]
    if any(isinstance(editor, TextArea) for editor in editors):
        heights = [LONG_CELL_HEIGHT if isinstance(e, TextArea) else 1 for e in editors]
        grid.styles.grid_rows = " ".join(map(str, heights))
        for editor in editors:
            if isinstance(editor, TextArea):
                editor.styles.height = LONG_CELL_HEIGHT
    return grid


class ItemsEditor(GroupEditor):
    """A list of texts, one numbered input each; findings in one line below."""

    def body(self) -> ComposeResult:
        cells: list[Widget] = []
        for index, value in enumerate(self.entries):
            # An item of several lines (written so in GitLab, imported) gets a text
            # area: a one-line input would draw its second line over the screen.
            kind = Kind.LONGTEXT if "\n" in str(value) else Kind.TEXT
            editor = simple_editor(f"{self.path}.{index}", value, "", kind, [])
            cells += [Static(f"{index + 1}.", classes="item-number"), editor]
        yield grid_of(cells, "items-grid")


class RowsEditor(GroupEditor):
    """Rows of a sub-model (an evaluation result, a timeline step, a link)."""

    def body(self) -> ComposeResult:
        for index, value in enumerate(self.entries):
            yield self.row(index, value)

    def row(self, index: int, value: Any) -> Widget:
        assert isinstance(value, BaseModel)
        model = type(value)
        path = f"{self.path}.{index}"
        cells: list[Widget] = []
        for spec in fields_of(model):
            name = spec.name
            editor = field_editor(model, name, f"{path}.{name}", getattr(value, name))
            if isinstance(editor, TextField | LongTextField) and not editor.placeholder:
                editor.placeholder = spec.help
            label = "" if spec.kind == Kind.FLAG else spec.label
            cells += [
                Static(label, markup=False, classes="row-label"),
                editor,
            ]
        box = Vertical(grid_of(cells, "row-grid"), FieldMessage(path, within=True), classes="row")
        box.border_title = f"{self.noun.capitalize()} {index + 1}"
        return box
