"""The wizard's section forms, one shown at a time. A form is built when first
shown; the next one is built meanwhile (prefetched), so Next is instant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from tui.plan import sections
from tui.session import Session
from tui.widgets.fields import FieldBox, editor_path
from tui.widgets.form import SectionForm

PREFETCH_DELAY = 0.2  # seconds after a section is shown before the next is built


class FormDeck(ContentSwitcher):
    def __init__(
        self,
        session: Session,
        on_edit: Callable[[str, Any, bool], None],
        on_leave: Callable[[], None],
    ) -> None:
        super().__init__(id="forms")
        self.session = session
        self.order = [spec.name for spec in sections()]
        self.on_edit = on_edit
        self.on_leave = on_leave

    def form(self, name: str) -> SectionForm:
        return self.query_one(f"#form-{name}", SectionForm)

    def has_form(self, name: str) -> bool:
        return bool(self.query(f"#form-{name}"))

    def show(self, name: str, at: str = "") -> None:
        """Show the form of section `name`, focused on the field at `at` (a path), or
        on its first; then build the next one."""
        existing = self.query(f"#form-{name}")
        if existing and existing.first().is_mounted:
            self.form(name).show_left_out()  # it may have been left out since it was built
            self.form(name).focus_path(at)
        elif existing:
            # Prefetched, still being built: it focuses itself once mounted.
            existing.first(SectionForm).focus_on_mount = at
        else:
            form = self._build(name)
            form.focus_on_mount = at
            self.mount(form)
        self.current = f"form-{name}"
        self.set_timer(PREFETCH_DELAY, self._prefetch_next)

    def refocus(self, focused: Widget | None, also_fine: Widget) -> None:
        """Focus the shown form's first field unless the focus is still in it (or on
        `also_fine`): back from a dialog, the widget that had it may be gone (rows
        rebuilt) or hidden (another section shown meanwhile)."""
        shown = (self.current or "").removeprefix("form-")
        form = self.form(shown) if self.has_form(shown) else None
        if form is None or not form.is_mounted:
            return  # it focuses itself once mounted
        if (
            focused is None
            or not focused.is_attached
            or (focused is not also_fine and form not in focused.ancestors)
        ):
            form.focus_path()

    def _prefetch_next(self) -> None:
        # After the section shown by then: the user may have moved on meanwhile.
        shown = (self.current or "").removeprefix("form-")
        index = self.order.index(shown) + 1
        if index < len(self.order) and not self.has_form(self.order[index]):
            form = self._build(self.order[index])
            form.display = False  # the switcher shows it when asked
            self.mount(form)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        shown = (self.current or "").removeprefix("form-")
        path = editor_path(event.widget)
        if path.split(".")[0] == shown:
            self.session.move_to(shown, path)  # where to open the draft next time
        # Show the whole field with its message, or the whole row of a group.
        for ancestor in event.widget.ancestors:
            if ancestor is self or not isinstance(ancestor, Widget):
                break
            if ancestor.has_class("row") or (
                isinstance(ancestor, FieldBox) and ancestor.kind not in ("rows", "items")
            ):
                # After the refresh: the field's message may just have appeared.
                self.call_after_refresh(ancestor.scroll_visible, animate=False)
                return

    def _build(self, name: str) -> SectionForm:
        index = self.order.index(name)
        titles = [spec.title for spec in sections()]
        back = titles[index - 1] if index else None
        next = titles[index + 1] if index + 1 < len(titles) else "Review"
        form = SectionForm(self.session, sections()[index], back, next, self.on_edit, self.on_leave)
        if self.session.read_only:
            form.add_class("-read-only")
        return form
