"""The section screens: the side list of sections and the current section's form.

Navigation never waits on validation. Findings are shown when a field loses
focus and when a section is left; typing only stores the value and restarts the
autosave timer (`autosaver.Saving`), and the save itself runs on the autosave thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, OptionList

from tui import drafts
from tui.app import FOOTER_TAIL
from tui.autosaver import Autosaver, Outcome, Saving
from tui.plan import sections
from tui.screens.save_status import SaveStatus
from tui.session import Session
from tui.widgets.deck import FormDeck
from tui.widgets.fields import editor_path
from tui.widgets.footer import Footer, FooterOrder
from tui.widgets.groups import GroupEditor
from tui.widgets.side_list import REVIEW, SectionList
from tui.widgets.topbar import TopBar


class WizardScreen(FooterOrder, Screen[None]):
    class ShowHome(Message):
        """Back to the drafts list (handled by the app)."""

    class OpenDraft(Message):
        """Open this draft afresh, on `section` (handled by the app)."""

        def __init__(self, draft: drafts.Draft, section: str) -> None:
            super().__init__()
            self.draft = draft
            self.section = section

    class SaveDone(Message):
        """A write of the autosave thread ended (posted from that thread)."""

        def __init__(self, outcome: Outcome) -> None:
            super().__init__()
            self.outcome = outcome

    DEFAULT_CLASSES = "wizard"
    FOOTER_FIRST = ("next", "back", "review")
    FOOTER_LAST = ("sections", "editor", "app.keys", "app.quit")
    # Section keys that reach the app everywhere: ctrl+pagedown/up are taken by the
    # tabs of GNOME Terminal, xfce4-terminal and Konsole, and need fn on a Mac
    # laptop; alt+n/p arrive as ESC n/p (macOS: with Option as Meta, iTerm2's
    # Esc+); f8/f7 arrive as CSI 19~/18~ (macOS laptop: with fn). In the footer, in
    # this order, before the lower-priority keys: a narrow footer keeps its first.
    BINDINGS = [
        # Priority: scrolling containers bind ctrl+pagedown/up to sideways paging,
        # and a text area binds f7 to select-all.
        Binding("f8,alt+n,ctrl+pagedown", "next", "Next", id="wizard.next", priority=True),
        Binding("f7,alt+p,ctrl+pageup", "back", "Back", id="wizard.back", priority=True),
        Binding("ctrl+r", "review", "Review", id="wizard.review"),
        Binding("ctrl+l", "sections", "Sections", id="wizard.sections"),
        Binding("ctrl+s", "save", "Save", id="wizard.save", show=False),
        Binding("escape", "home", "Drafts", id="wizard.home", show=False),
        *FOOTER_TAIL,
    ]

    def __init__(self, session: Session, section: str | None = None, at: str = "") -> None:
        super().__init__()
        self.session = session
        self.order = [spec.name for spec in sections()]
        self.current = section if section in self.order else self.order[0]
        # The field to open on (a path in `current`), as the draft recorded it.
        self.opening_at = at if at.split(".")[0] == self.current else ""
        view = SaveStatus(self, reload=self._reload)
        self.saving = Saving(session, view, self.set_timer, self._report_from_thread)
        # Held rather than queried: the forms are reached on every key.
        self.top = TopBar("", "", "save-status")
        self.side = SectionList(session)
        self.deck = FormDeck(session, self.apply_edit, self.action_next)

    @property
    def saver(self) -> Autosaver:
        """The autosave thread (tests wait on it)."""
        return self.saving.saver

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.top
        # The screen lays these two out as a grid (app.tcss) rather than in a row
        # container: one level less for every keystroke to pass through.
        yield self.side
        yield self.deck
        yield Footer()

    def on_mount(self) -> None:
        self._show_title()
        if self.session.read_only:
            status = "read-only: another window is editing this draft", "-warning"
        else:
            status = f"draft {self.session.draft.id}", ""
        self.top.show_status(*status)
        self.show_section(self.current, at=self.opening_at)

    def _show_title(self) -> None:
        # Called on every key in the title and the evaluation rows.
        self.top.show_title(f"rollout-plan · {self.session.draft.title}")

    # --- sections ------------------------------------------------------------------

    def show_section(self, name: str, at: str = "") -> None:
        """Show a section, focused on the field at `at` (a path), or on its first."""
        if name == REVIEW:
            self.action_review()
            return
        if name != self.current:
            self.session.reveal(self.current)
            self.saving.soon(now=True)
        self.current = name
        self.session.move_to(name, at)
        self.deck.show(name, at)
        self.refresh_findings()
        self.side.highlighted = self.order.index(name)

    def refresh_findings(self) -> None:
        self.side.refresh_marks()
        self.deck.form(self.current).show_findings()

    def action_next(self) -> None:
        index = self.order.index(self.current)
        self.show_section(self.order[index + 1] if index + 1 < len(self.order) else REVIEW)

    def action_back(self) -> None:
        index = self.order.index(self.current)
        if index:
            self.show_section(self.order[index - 1])

    def action_sections(self) -> None:
        self.side.focus()

    @on(OptionList.OptionSelected, "#sections")
    def section_chosen(self, event: OptionList.OptionSelected) -> None:
        self.show_section(str(event.option.id))

    @on(Button.Pressed, "#next")
    def next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.action_back()

    def action_review(self, copy: bool = False) -> None:
        from tui.screens.review import ReviewScreen

        self.session.reveal(self.current)
        self.saving.soon(now=True)
        self.refresh_findings()
        self.app.push_screen(ReviewScreen(self.session, copy=copy), self._back_from_review)

    def _back_from_review(self, jump_to: str | None) -> None:
        if jump_to:
            self.jump_to(jump_to)

    def jump_to(self, path: str) -> None:
        """Show the field at `path` (a finding's path), with its message."""
        self.session.reveal(path)
        self.show_section(path.split(".")[0], at=path)

    def on_screen_resume(self) -> None:
        self.deck.refocus(self.focused, self.side)  # back from a dialog or review

    def system_commands(self) -> Iterable[SystemCommand]:
        for spec in sections():
            yield SystemCommand(f"Go to {spec.title}", spec.help, self._go_to(spec.name))
        yield SystemCommand("Review", "The description, findings, copy", self.action_review)
        yield SystemCommand(
            "Copy description",
            "Review, then copy the Markdown",
            lambda: self.action_review(copy=True),
        )
        yield SystemCommand("Drafts", "Back to all drafts", self.action_home)

    def _go_to(self, name: str) -> Callable[[], None]:
        return lambda: self.show_section(name)

    def action_home(self) -> None:
        self.flush()
        self.post_message(self.ShowHome())

    # --- editing -------------------------------------------------------------------

    def apply_edit(self, path: str, value: object, left: bool) -> None:
        """A field changed (called by the section form, once per keystroke)."""
        if self.session.read_only:
            return
        self.session.set(path, value)
        if path == "title.title" or path.startswith("evaluation.rows"):
            self._show_title()
        if path.startswith("evaluation."):
            self.deck.form("evaluation").show_changes()
        if left:
            self.session.reveal(path)
            self.refresh_findings()
        self.saving.soon()

    def on_group_editor_restructured(self, message: GroupEditor.Restructured) -> None:
        self.session.reveal(message.path)
        self.refresh_findings()
        self.saving.soon()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        path = editor_path(event.widget)
        if path:
            self.session.reveal(path)
            self.refresh_findings()

    # --- saving (autosaver.Saving decides; this shows) -----------------------------

    def action_save(self) -> None:
        self.saving.now()

    def flush(self) -> None:
        """Save now, on this thread (quit, leaving the screen)."""
        self.saving.flush()

    def _report_from_thread(self, outcome: Outcome) -> None:
        # A message, which Textual posts thread-safely and handles in the screen's
        # context; not call_from_thread, which waits for the loop, and the loop may
        # itself be waiting for this thread (the quit flush).
        with contextlib.suppress(RuntimeError):  # the loop is gone: the app quit
            self.post_message(self.SaveDone(outcome))

    def on_wizard_screen_save_done(self, message: SaveDone) -> None:
        if self.is_attached:  # else left for the drafts list; the flush saved and said so
            self.saving.done(message.outcome)

    def on_unmount(self) -> None:
        self.saving.close()

    def _reload(self) -> None:
        self.post_message(self.OpenDraft(drafts.load(self.session.draft.path), self.current))
