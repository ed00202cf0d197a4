"""One editor widget per kind of field, and the box that labels it.

Every editor is a `FieldEditor`: it carries the `path` of the value it edits (as in
`checks.Finding.path`). The screen reads changes from the widgets' own Changed
messages (`edited_value` turns each into the value to store): one message per
keystroke, bubbling once.
Which editor a field gets comes from its declared `kind` in `plan.py`; nothing
here names a particular field.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from pydantic import BaseModel
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea
from textual.widgets._select import SelectCurrent, SelectOverlay

from tui.plan import MULTILINE_KINDS, ItemState, Kind, Need, field_info

# What a well-formed value looks like, shown in an empty field. (Not the template's
# placeholder values: those are checks.PLACEHOLDERS.)
HINTS: dict[str, str] = {
    "url": "https://…",
    "links": "one link a line: https://…",
    "reference": "group/project#123 or https://gitlab.com/…",
    "ff_issue": "https://gitlab.com/<group>/<project>/-/issues/<n>",
    "timeline_date": "YYYY-MM-DD or TBD",
    "duration": "17.5s, 850ms or 1m 5s",
    "number": "a number, e.g. 0.82",
    "label": "a label name",
}
NEED_NOTES: dict[str, str] = {"required": "required", "recommended": "recommended"}


def focus_now(widget: Widget) -> None:
    """Focus `widget` before the next key is handled.

    `Widget.focus()` only queues the change behind the keys already read from the
    terminal, so keys typed quickly after the action would still go to the old focus.
    """
    widget.screen.set_focus(widget, scroll_visible=False)


async def take_pending_keys(screen: Screen[Any]) -> None:
    """Let the field in focus handle the keys it was sent before the one being handled.

    A priority key runs as soon as it is read, maybe before the field has handled
    the text typed just before (and before the form has stored it); a rebuild or a
    focus move then would drop that text or send it astray. A callback queued behind
    those keys, on the field and on each container its messages bubble through,
    runs once they are handled. The screen too: keys bound there (tab) reach it by
    bubbling. (Not the app: this runs in its task.)"""
    node: Widget | None = screen.focused
    while node is not None:
        done = asyncio.Event()
        node.call_later(done.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=1)
        node = node.parent if isinstance(node.parent, Widget) else None


def dom_id(path: str) -> str:
    """A widget id for the editor of `path` (ids allow no dots)."""
    return "f-" + path.replace(".", "--")


# The CSS class every FieldEditor carries, so a query finds them all:
# `query(EDITORS)`. (A query by type sees only a widget's first line of bases.)
EDITOR = "field-editor"
EDITORS = f".{EDITOR}"


class FieldEditor(Widget):
    """A widget that edits one value of the plan, the one at `path`.

    A mixin, listed after the Textual widget it extends (`TextField(Input,
    FieldEditor)`), so the widget keeps its own CSS type and style."""

    path: str

    def edits(self, path: str) -> None:
        self.path = path
        self.add_class(EDITOR)


def editor_path(widget: object) -> str:
    """The path `widget` edits, or "" for a widget that edits none."""
    return widget.path if isinstance(widget, FieldEditor) else ""


def editors_in(node: Widget) -> list[FieldEditor]:
    return [w for w in node.query(EDITORS) if isinstance(w, FieldEditor)]


class Edited(Message):
    """A value changed in an editor that has no Changed message of its own."""

    def __init__(self, path: str, value: Any) -> None:
        super().__init__()
        self.path = path
        self.value = value


class TextField(Input, FieldEditor):
    # Input sets its virtual size (the value's width) on every key, and Widget lays
    # the whole screen out again when it changes: in the wizard, most of a key's
    # cost. A field is 1fr wide and one line high whatever its value, so a repaint
    # is all a change of its virtual size needs.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, path: str, value: str, kind: str) -> None:
        # No select-on-focus: tabbing into a filled field and typing must not
        # replace what was there.
        super().__init__(
            value,
            placeholder=HINTS.get(kind, ""),
            id=dom_id(path),
            compact=True,
            select_on_focus=False,
        )
        self.edits(path)
        self.cursor_position = 0  # unfocused, a long value shows its beginning

    BINDINGS = [
        # Input's ctrl+u deletes left of the cursor; named and shown, it clears.
        Binding("ctrl+u", "clear", "Clear field", id="field.clear"),
    ]

    def on_focus(self) -> None:
        self.cursor_position = len(self.value)

    def on_blur(self) -> None:
        self.cursor_position = 0

    def action_clear(self) -> None:
        self.value = ""

    async def action_submit(self) -> None:
        # Enter moves on as tab does (resolved in key order, like tab); from a
        # section's last field, to the next section.
        from tui.widgets.form import SectionForm

        form = next((a for a in self.ancestors if isinstance(a, SectionForm)), None)
        if form is None:
            await super().action_submit()
        else:
            form.step_from(self, 1, leave=True)


class LongTextField(TextArea, FieldEditor):
    """Several lines of Markdown; ctrl+e opens it in $EDITOR.

    First focused, the cursor goes to the end: text typed into a prefilled field
    continues it rather than going in before it."""

    BINDINGS = [
        Binding("ctrl+home", "to_start", "Start of text", id="field.text_start", show=False),
        Binding("ctrl+end", "to_end", "End of text", id="field.text_end", show=False),
        # Only here: elsewhere ctrl+e keeps its usual meaning (end of line). The id is
        # the one keymaps have named it by since it was the wizard's.
        Binding("ctrl+e", "editor", "$EDITOR", id="wizard.editor"),
    ]

    def __init__(self, path: str, value: str, kind: str) -> None:
        super().__init__(
            value,
            id=dom_id(path),
            compact=True,
            soft_wrap=True,
            tab_behavior="focus",
            placeholder=HINTS.get(kind, ""),
        )
        self.edits(path)
        self.visited = False

    def on_focus(self) -> None:
        if not self.visited:
            self.visited = True
            self.action_to_end()

    def on_resize(self) -> None:
        # Textual rewraps the text on a resize but can leave lines drawn for the old
        # width: in a real terminal a prefetched form showed a word missing until the
        # field took focus. Draw it all again at the new width.
        self.refresh()

    def action_to_start(self) -> None:
        self.move_cursor((0, 0))

    def action_editor(self) -> None:
        from tui.widgets.external_editor import edit_outside

        edited = edit_outside(self, self.text)
        if edited is not None and edited != self.text:
            self.load_text(edited)  # its Changed message stores it, as typing does
        # The terminal was handed to the editor; typing goes on where it was.
        if self.is_attached:
            focus_now(self)

    def action_to_end(self) -> None:
        self.move_cursor(self.document.end)


class ChoiceField(Select[str], FieldEditor):
    """A text field whose usual values are known (a timeline status).

    Textual's Select moves focus to its menu and back with `focus()`, which waits
    behind keys already read. With `enter down enter tab` arriving in one read, the
    menu took focus after the tab and kept the next typed text (its type-to-search),
    or the select took focus back after the tab moved on, so the next row's date and
    status went into a closed select and were dropped. Here focus moves at once,
    and a key that already moved it elsewhere wins. Keys that reach the select
    while its menu is open (sent to it before the menu took focus) act on the menu.
    """

    BINDINGS = [
        Binding("enter,space", "menu('select')", "Show menu", show=False),
        Binding("down", "menu('cursor_down')", "Show menu", show=False),
        Binding("up", "menu('cursor_up')", "Show menu", show=False),
    ]

    def __init__(self, path: str, value: str, choices: list[str], blank: str = "") -> None:
        options = list(choices)
        if value and value not in options:
            options.append(value)  # an imported value stays selectable
        # `blank`: what an empty value means (stored as ""), shown as its own choice.
        super().__init__(
            [(choice, choice) for choice in options],
            value=value or Select.NULL,
            prompt=blank or "choose…",
            id=dom_id(path),
            compact=True,
        )
        self.edits(path)

    def _watch_expanded(self, expanded: bool) -> None:
        # Select's own watcher, with the focus given at once.
        overlay = self.query_one(SelectOverlay)
        self.set_class(expanded, "-expanded")
        if not expanded:
            return
        if self.screen.focused is self:
            focus_now(overlay)
        index = next((i for i, (_, v) in enumerate(self._options) if v == self.value), None)
        overlay.select(None if self.value is Select.NULL else index)
        self.query_one(SelectCurrent).has_value = self.value is not Select.NULL

    def action_menu(self, action: str) -> None:
        if self.expanded:
            getattr(self.query_one(SelectOverlay), f"action_{action}")()
        else:
            self.action_show_overlay()

    def _menu_closed(self) -> None:
        self.expanded = False
        if self.screen.focused is self.query_one(SelectOverlay):
            focus_now(self)

    @on(SelectOverlay.UpdateSelection)
    def _chosen(self, event: SelectOverlay.UpdateSelection) -> None:
        event.prevent_default()  # Select's handler would focus() late
        event.stop()
        value = self._options[event.option_index][1]
        if value != self.value:
            self.value = value
        self._menu_closed()

    @on(SelectOverlay.Dismiss)
    def _dismissed(self, event: SelectOverlay.Dismiss) -> None:
        event.prevent_default()
        event.stop()
        self._menu_closed()


class FlagField(Checkbox, FieldEditor):
    """A yes/no field drawn `[x]` or `[ ]`: the state reads without colour."""

    DEFAULT_CSS = """
    FlagField {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, path: str, value: bool, label: str) -> None:
        super().__init__(Content(label), value, id=dom_id(path), compact=True)
        self.edits(path)

    @property
    def _button(self) -> Content:
        return Content.assemble(
            ("[x]" if self.value else "[ ]", self.get_visual_style("toggle--button"))
        )


STATE_LOOK = {
    ItemState.OPEN: "[ ] open",
    ItemState.DONE: "[x] done",
    ItemState.NOT_APPLICABLE: "[~] n/a ",
}
STATE_CYCLE = list(STATE_LOOK)


class StateField(Static, FieldEditor, can_focus=True):
    """A checklist item: open, done or not applicable. Space cycles."""

    DEFAULT_CSS = """
    StateField {
        height: auto;
        padding: 0 1;
        &:focus { background: $accent 30%; }
        &.-done { color: $success; }
        &.-na { color: $text-muted; }
    }
    """

    class Changed(Edited):
        """The item's state changed."""

    BINDINGS = [
        Binding("space,enter", "cycle", "Open/done/n/a", show=True),
        Binding("x", "set('done')", "Done", show=False),
        Binding("n", "set('not_applicable')", "N/a", show=False),
        Binding("o", "set('open')", "Open", show=False),
        Binding("down", "step(1)", "Next item", show=False),
        Binding("up", "step(-1)", "Previous item", show=False),
    ]

    def __init__(self, path: str, value: ItemState, label: str) -> None:
        super().__init__(id=dom_id(path), markup=False)
        self.edits(path)
        self.label = label
        self.state = ItemState(value)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        self.update(f"{STATE_LOOK[self.state]}  {self.label}")
        self.set_class(self.state is ItemState.DONE, "-done")
        self.set_class(self.state is ItemState.NOT_APPLICABLE, "-na")

    def action_cycle(self) -> None:
        self.action_set(STATE_CYCLE[(STATE_CYCLE.index(self.state) + 1) % len(STATE_CYCLE)])

    def action_set(self, state: str) -> None:
        self.state = ItemState(state)
        self._show()
        self.post_message(self.Changed(self.path, self.state))

    def on_click(self) -> None:
        self.action_cycle()

    def action_step(self, delta: int) -> None:
        from tui.widgets.form import SectionForm

        form = next((a for a in self.ancestors if isinstance(a, SectionForm)), None)
        if form is not None:
            form.step_from(self, delta)


def edited_value(event: Message) -> tuple[str, Any] | None:
    """(path, value) from an editor's Changed message; None for widgets that are no field."""
    widget: Widget
    value: Any
    if isinstance(event, Input.Changed):
        widget, value = event.input, event.value
    elif isinstance(event, TextArea.Changed):
        widget, value = event.text_area, event.text_area.text
    elif isinstance(event, Checkbox.Changed):
        widget, value = event.checkbox, event.value
    elif isinstance(event, Select.Changed):
        widget, value = event.select, "" if event.value is Select.NULL else str(event.value)
    elif isinstance(event, Edited):
        return event.path, event.value
    else:
        return None
    return (widget.path, value) if isinstance(widget, FieldEditor) else None


class FieldMessage(Static):
    """The finding under a field; empty (and hidden) while there is none to show."""

    DEFAULT_CSS = """
    FieldMessage {
        height: auto;
        padding-left: 1;
        &.-error { color: $error; }
        &.-warning { color: $warning; }
    }
    """

    def __init__(self, path: str, within: bool = False) -> None:
        super().__init__(markup=False, classes="field-message")
        self.path = path
        # `within`: also the findings of everything under `path` (a row, a list).
        self.within = within
        self.display = False
        self.shown: tuple[str | None, str] = (None, "")

    def show(self, level: str | None, text: str) -> None:
        # Called for every field when findings refresh: touch styles only on change.
        if (level, text) == self.shown:
            return
        self.shown = (level, text)
        self.display = bool(text)
        self.update(text)
        self.set_classes(f"field-message -{level}" if level else "field-message")


class PickBox(FlagField):
    """One of a PickList's checkboxes: the text it stands for."""

    def __init__(self, path: str, value: bool, choice: str) -> None:
        super().__init__(path, value, choice)
        self.choice = choice


class PickList(Vertical):
    """A list of texts chosen from known ones (the sections a plan leaves out): a
    checkbox each. A value that is none of them (typed in an older draft, imported)
    keeps a checkbox of its own, so unticking it is how it goes."""

    class Changed(Edited):
        """The texts ticked changed."""

    def __init__(self, path: str, value: list[str], choices: list[str]) -> None:
        super().__init__(id=dom_id(path), classes="pick-list")
        self.path = path
        self.chosen = list(value)
        self.choices = [*choices, *(v for v in value if v not in choices)]

    def compose(self) -> ComposeResult:
        for index, choice in enumerate(self.choices):
            yield PickBox(f"{self.path}.{index}", choice in self.chosen, choice)

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        event.stop()
        if not isinstance(event.checkbox, PickBox):
            return
        choice = event.checkbox.choice
        if event.value and choice not in self.chosen:
            self.chosen.append(choice)
        elif not event.value:
            self.chosen = [c for c in self.chosen if c != choice]
        # In the choices' order, whatever the order of the ticks.
        self.chosen.sort(key=self.choices.index)
        self.post_message(self.Changed(self.path, list(self.chosen)))


def simple_editor(
    path: str, value: Any, label: str, kind: Kind, suggestions: list[str]
) -> FieldEditor:
    """The editor for one value that is not a repeating group."""
    if kind == "state":
        return StateField(path, value, label)
    if kind == "flag":
        return FlagField(path, value, label)
    if kind in MULTILINE_KINDS:
        return LongTextField(path, value, kind)
    if suggestions:
        return ChoiceField(path, value, suggestions)
    return TextField(path, value, kind)


def field_editor(model: type[BaseModel], name: str, path: str, value: Any) -> FieldEditor:
    """The editor for the model's field `name`, as its declaration asks."""
    spec = field_info(model, name)
    choices = list(spec.suggestions)
    if choices and spec.blank and spec.kind == Kind.TEXT:
        return ChoiceField(path, value, choices, spec.blank)
    return simple_editor(path, value, spec.label, spec.kind, choices)


class FieldBox(Vertical):
    """A field as the user sees it: label, guidance, editor, and its finding."""

    DEFAULT_CSS = """
    FieldBox {
        height: auto;
        margin-bottom: 1;
        & > .field-help { color: $text-muted; }
        & > .field-help.-after { padding-left: 4; }
        &.kind-longtext TextArea, &.kind-links TextArea {
            height: 5;
            min-height: 3;
        }
    }
    """

    def __init__(
        self, path: str, label: str, help: str, need: Need, kind: Kind, editor: Widget
    ) -> None:
        super().__init__(classes=f"field kind-{kind}")
        self.path = path
        self.label = label
        self.help = help
        self.need = need
        self.kind = kind
        self.editor = editor

    def compose(self) -> ComposeResult:
        # A flag or checklist item carries its label itself.
        if self.kind not in ("flag", "state"):
            marker = " *" if self.need == "required" else ""
            note = NEED_NOTES.get(self.need, "")
            yield Static(
                Content.assemble(
                    (self.label + marker, "bold"), (f"  {note}" if note else "", "dim")
                ),
                classes="field-label",
            )
        # A checkbox reads best with its explanation after it.
        help_first = self.kind not in ("flag", "state")
        if self.help and help_first:
            yield Static(self.help, markup=False, classes="field-help")
        yield self.editor
        if self.help and not help_first:
            yield Static(self.help, markup=False, classes="field-help -after")
        yield FieldMessage(self.path, within=self.kind == "items")
