"""A section's form, generated from its model in `plan.py`.

A new field is one line in `plan.py` (and one in the template): its `kind` picks
the editor, its label and help are shown, its `need` marks it required.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from tui.checks import Level
from tui.metrics import change_rows
from tui.plan import Kind, SectionSpec, field_info, fields_of
from tui.session import Session
from tui.widgets.fields import (
    EDITORS,
    FieldBox,
    FieldEditor,
    FieldMessage,
    PickList,
    StateField,
    TextField,
    edited_value,
    field_editor,
    focus_now,
    take_pending_keys,
)
from tui.widgets.groups import AddButton, ItemsEditor, RowsEditor, focus_stops


class ChangePreview(Static):
    """The evaluation table's computed Change rows, as the description will show them."""

    DEFAULT_CSS = """
    ChangePreview {
        color: $text-muted;
        border-left: thick $accent;
        padding-left: 1;
        margin-bottom: 1;
    }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(markup=False, classes="change-preview")
        self.session = session
        self.shown: list[str] | None = None

    def on_mount(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Called on every key typed in the evaluation section: redraws only what
        changed, and lays the screen out again only when the preview's height may
        have changed (a layout of the whole wizard costs more than the key)."""
        lines = ["Computed for the description:"]
        for row in change_rows(self.session.plan.evaluation):
            versus = f" ({row.versus})" if row.versus else ""
            lines.append(f"Change{versus}: quality {row.quality} · P50 {row.p50} · P99 {row.p99}")
        if lines == self.shown:
            return
        width = self.content_region.width
        unwrapped = all(cell_len(line) <= width for line in [*lines, *(self.shown or [])])
        same_height = self.shown is not None and len(lines) == len(self.shown) and unwrapped
        self.shown = lines
        self.update("\n".join(lines), layout=not same_height)


# Widgets a section shows below its fields, beyond what the model declares.
SECTION_EXTRAS = {"evaluation": ChangePreview}


def editor_for(session: Session, model: type[BaseModel], section: str, name: str) -> Widget:
    spec = field_info(model, name)
    path = f"{section}.{name}"
    if spec.kind == Kind.ROWS:
        return RowsEditor(session, path, spec.noun)
    if spec.kind == Kind.ITEMS:
        if spec.suggestions:
            return PickList(path, session.get(path), list(spec.suggestions))
        return ItemsEditor(session, path, spec.noun)
    editor = field_editor(model, name, path, session.get(path))
    if path == "title.title" and isinstance(editor, TextField):
        editor.placeholder = session.plan.suggested_title()
    return editor


LEFT_OUT_NOTE = (
    "Left out: this section is not in the description. "
    "Bring it back under Your sections › Left out."
)


class SectionForm(VerticalScroll):
    DEFAULT_CSS = """
    SectionForm {
        padding: 0 1 0 2;
        height: 1fr;
        & > .section-title {
            text-style: bold;
            color: $accent;
        }
        & > .section-help {
            color: $text-muted;
            margin-bottom: 1;
        }
        & > .left-out-note {
            color: $warning;
            margin-bottom: 1;
        }
        /* Compact editors have no border: a tinted background shows where to type. */
        & Input, & TextArea, & Select > SelectCurrent { background: $boost; }
        & Input:focus, & TextArea:focus, & Select:focus > SelectCurrent {
            background: $accent 25%;
        }
    }
    """

    BINDINGS = [
        # Priority, so the new item is there before the next key is routed: text
        # typed straight after enter goes into it, not into the item rebuilt away.
        # Only in a list item (check_action); a one-line field's enter moves on
        # like tab (TextField.action_submit).
        Binding("enter", "list_enter", "New item", id="form.list_enter", show=False, priority=True),
    ]

    def __init__(
        self,
        session: Session,
        spec: SectionSpec,
        back: str | None,
        next: str,
        on_edit: Callable[[str, Any, bool], None],
        on_leave: Callable[[], None],
    ) -> None:
        super().__init__(id=f"form-{spec.name}", classes="section-form")
        self.session = session
        self.section = spec.name
        self.section_title = spec.title
        self.help = spec.help
        self.model: type[BaseModel] = spec.model
        self.back = back
        self.next = next
        # Set before mounting: focus once built, on this path ("" for the first field).
        self.focus_on_mount: str | None = None
        # Called with (path, value, left) for every change; handled here rather than
        # bubbled to the screen, to keep a keystroke's message path short.
        self.on_edit = on_edit
        # Called when the focus steps past the last field: the next section. A call,
        # not a message, so the section changes before the next key is routed.
        self.on_leave = on_leave

    def compose(self) -> ComposeResult:
        yield Static(self.section_title, markup=False, classes="section-title")
        yield Static(self.help, markup=False, classes="section-help")
        yield Static(LEFT_OUT_NOTE, markup=False, classes="left-out-note")
        for spec in fields_of(self.model):
            editor = editor_for(self.session, self.model, self.section, spec.name)
            path = f"{self.section}.{spec.name}"
            yield FieldBox(path, spec.label, spec.help, spec.need, spec.kind, editor)
        extra = SECTION_EXTRAS.get(self.section)
        if extra is not None:
            yield extra(self.session)
        with Horizontal(classes="nav"):
            if self.back:
                yield Button(f"← {self.back}", id="back", compact=True)
            yield Button(f"Next: {self.next} →", id="next", variant="primary", compact=True)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    @on(StateField.Changed)
    @on(PickList.Changed)
    def edited(self, event: Message) -> None:
        change = edited_value(event)
        if change is None:
            return
        event.stop()
        path, value = change
        # A checkbox, checklist item or choice is "left" as soon as it changes.
        left = not isinstance(value, str) or isinstance(event, Select.Changed)
        self.on_edit(path, value, left)

    def on_mount(self) -> None:
        if self.has_class("-read-only"):
            # Another window owns the draft: show it, but take no typing that would
            # then be lost.
            for widget in self.query(f"{EDITORS}, .group-add"):
                widget.disabled = True
        # Unless the user has moved on meanwhile (next pressed several times fast):
        # a section built late must not take the focus from the one shown.
        if self.focus_on_mount is not None and self.display:
            # Now, not after a refresh: keys typed as the section appears must land.
            self.focus_path(self.focus_on_mount)
        self.show_findings()
        self.show_left_out()

    def show_left_out(self) -> None:
        """Say so on a section the plan leaves out: its fields stay, but are not written."""
        # A form mounted but not yet composed has no note yet: its on_mount says it.
        for note in self.query(".left-out-note"):
            note.display = self.section_title in self.session.plan.document.left_out

    def focus_path(self, path: str = "") -> None:
        """Focus the editor of `path`, or the first one inside it (a row, a group; an
        empty group's "+ Add"), or the nearest enclosing; else the form's first field."""
        stops = self._stops()
        parts = path.split(".") if path else []
        while parts:
            prefix = ".".join(parts)
            for widget in stops:
                widget_path = widget.path
                if widget_path == prefix or widget_path.startswith(prefix + "."):
                    # The screen's on_descendant_focus scrolls the field into view.
                    focus_now(widget)
                    return
            parts.pop()
        if stops:
            focus_now(stops[0])
            self.scroll_home(animate=False)
        else:
            focus_now(self)  # read-only: nothing to type into, but the form scrolls

    # --- keys --------------------------------------------------------------------

    def _stops(self) -> list[FieldEditor | AddButton]:
        return [w for w in focus_stops(self) if w.focusable]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "list_enter":
            focused = self.screen.focused
            return type(focused) is TextField and any(
                isinstance(a, ItemsEditor) for a in focused.ancestors
            )
        return True

    async def action_list_enter(self) -> None:
        """Enter in a list item: a new item below it, as GitLab's editor continues a
        list; in an empty last item, the list ends there (the item goes)."""
        # Keys read before this one (a tab, say) may still be on their way to the
        # item that had focus then; where they leave the focus decides.
        await take_pending_keys(self.screen)
        field = self.screen.focused
        ancestors = field.ancestors if field is not None else []
        group = next((a for a in ancestors if isinstance(a, ItemsEditor)), None)
        if not isinstance(field, TextField) or group is None or self not in group.ancestors:
            if field is not None:
                field._forward_event(events.Key("enter", "\r"))  # its own enter, then
            return
        if field.value.strip():
            await group.action_add()
        elif field.path == f"{group.path}.{len(group.entries) - 1}":
            await group.end_list()
            self.step_from(group.query_one(AddButton), 1, leave=True)
        else:
            self.step_from(field, 1, leave=True)

    def step_from(self, widget: Widget, delta: int, leave: bool = False) -> None:
        """Focus the field `delta` stops after (or before) `widget`; past the last one,
        the next section (`leave`) or nothing."""
        stops = self._stops()
        index = stops.index(widget) + delta if widget in stops else 0
        if index >= len(stops):
            if leave:
                self.on_leave()
        elif index >= 0:
            focus_now(stops[index])

    def show_findings(self) -> None:
        """Put each revealed finding under its field; clear the others."""
        for message in self.query(FieldMessage):
            # The same lines the plain mode prints after an answer (tui.plain).
            lines = self.session.messages(message.path, message.within)
            if lines:
                text = "\n".join(
                    f"{'✗' if level is Level.ERROR else '!'} {line}" for level, line in lines
                )
                message.show(str(lines[0][0]), text)
            else:
                message.show(None, "")
        self.show_changes()

    def show_changes(self) -> None:
        # Its children only: a query of the whole form on every key costs 1 ms.
        for preview in self.query_children(ChangePreview):
            preview.refresh_rows()
