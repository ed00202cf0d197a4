"""The section screens: the side list of sections and the current section's form.

Navigation never waits on validation. Findings are shown when a field loses
focus and when a section is left; typing only stores the value and restarts the
autosave timer, and the save itself runs on the autosave thread (`autosaver`).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    ContentSwitcher,
    Footer,
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from tui import drafts, locks
from tui.app import FOOTER_TAIL
from tui.autosaver import Autosaver, Outcome
from tui.plan import REQUIRED_SECTIONS, sections
from tui.session import ChangedOnDisk, Session
from tui.widgets.fields import FieldBox, LongTextField, editor_path, focus_now
from tui.widgets.footer import FooterOrder
from tui.widgets.form import SectionForm
from tui.widgets.groups import GroupEditor

SAVE_DELAY = 0.8  # seconds of quiet typing before an autosave
FLUSH_WAIT = 10.0  # seconds quit waits for a write in progress (a stuck disk)
REVIEW = "review"
SIDE_WIDTH = 20  # of a section of one's own in the side list, after its indent


def _key(title: str) -> str:
    # Section titles compared as the renderer does: case and runs of spaces aside.
    return " ".join(title.lower().split())


def clock() -> str:
    """The time shown in "saved HH:MM:SS"."""
    return datetime.now().strftime("%H:%M:%S")


class Diverged(StrEnum):
    """What to do when the draft changed elsewhere."""

    COPY = "copy"
    RELOAD = "reload"


class WizardScreen(FooterOrder, Screen[None]):
    class ShowHome(Message):
        """Back to the drafts list (handled by the app)."""

    class OpenDraft(Message):
        """Open this draft afresh, on `section` (handled by the app)."""

        def __init__(self, draft: drafts.Draft, section: str) -> None:
            super().__init__()
            self.draft = draft
            self.section = section

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
        Binding("ctrl+e", "editor", "$EDITOR", id="wizard.editor", priority=True),
        Binding("ctrl+s", "save", "Save", id="wizard.save", show=False),
        Binding("escape", "home", "Drafts", id="wizard.home", show=False),
        *FOOTER_TAIL,
    ]

    def __init__(self, session: Session, section: str | None = None, at: str = "") -> None:
        super().__init__()
        self.session = session
        self.order = [name for name, *_ in sections()]
        self.current = section if section in self.order else self.order[0]
        # The field to open on (a path in `current`), as the draft recorded it.
        self.opening_at = at if at.split(".")[0] == self.current else ""
        self._save_timer: Timer | None = None
        self._save_failed = False
        self._pending = False  # "editing…" is showing
        self.saver = Autosaver(session, self._report_from_thread)
        self._side_prompts: dict[str, str] = {}  # what each side-list line shows

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="draft-title", markup=False)
            yield Static(id="save-status", markup=False)
        # The screen lays these two out as a grid (app.tcss) rather than in a row
        # container: one level less for every keystroke to pass through.
        options = [Option(title, id=name) for name, title, *_ in sections()]
        options.append(Option("  Review", id=REVIEW))
        yield OptionList(*options, id="sections")
        yield ContentSwitcher(id="forms")
        yield Footer()

    def on_mount(self) -> None:
        self._show_title()
        if self.session.read_only:
            self._status("read-only: another window is editing this draft", "-warning")
        else:
            self._status(f"draft {self.session.draft.id}", "")
        self.show_section(self.current, at=self.opening_at)

    def _show_title(self) -> None:
        # Called on every key in the title and the evaluation rows. The title is 1fr
        # wide in a one-line bar, so its text never changes the layout.
        title = self.query_one("#draft-title", Static)
        text = f"rollout-plan · {self.session.draft.title}"
        if str(title.content) != text:
            title.update(text, layout=False)

    def _status(self, text: str, level: str) -> None:
        status = self.query_one("#save-status", Static)
        status.update(text)
        status.set_classes(level)

    # --- sections ------------------------------------------------------------------

    def form(self, name: str) -> SectionForm:
        return self.query_one(f"#form-{name}", SectionForm)

    def show_section(self, name: str, at: str = "") -> None:
        """Show a section, focused on the field at `at` (a path), or on its first."""
        if name == REVIEW:
            self.action_review()
            return
        if name != self.current:
            self.session.reveal(self.current)
            self.save_soon(now=True)
        self.current = name
        self.session.move_to(name, at)
        switcher = self.query_one("#forms", ContentSwitcher)
        existing = switcher.query(f"#form-{name}")
        if existing and existing.first().is_mounted:
            self.form(name).focus_path(at)
        elif existing:
            # Prefetched, still being built: it focuses itself once mounted.
            existing.first(SectionForm).focus_on_mount = at
        else:
            form = self._build_form(name)
            form.focus_on_mount = at
            switcher.mount(form)
        switcher.current = f"form-{name}"
        self.refresh_findings()
        self.query_one("#sections", OptionList).highlighted = self.order.index(name)
        # Build the next section while the user reads this one, so Next is instant.
        self.set_timer(0.2, self._prefetch_next)

    def _prefetch_next(self) -> None:
        index = self.order.index(self.current) + 1
        if index < len(self.order):
            switcher = self.query_one("#forms", ContentSwitcher)
            name = self.order[index]
            if not switcher.query(f"#form-{name}"):
                form = self._build_form(name)
                form.display = False  # the switcher shows it when asked
                switcher.mount(form)

    def _build_form(self, name: str) -> SectionForm:
        index = self.order.index(name)
        titles = [title for _, title, *_ in sections()]
        _, title, help, model = sections()[index]
        back = titles[index - 1] if index else None
        next = titles[index + 1] if index + 1 < len(titles) else "Review"
        form = SectionForm(
            self.session, name, title, help, model, back, next, self.apply_edit, self.action_next
        )
        if self.session.read_only:
            form.add_class("-read-only")
        return form

    def refresh_findings(self) -> None:
        side = self.query_one("#sections", OptionList)
        for index, (name, title, *_) in enumerate(sections()):
            prompt = self._side_prompt(name, title)
            if self._side_prompts.get(name) != prompt.plain:
                self._side_prompts[name] = prompt.plain
                side.replace_option_prompt_at_index(index, prompt)
        self.form(self.current).show_findings()

    def _side_prompt(self, name: str, title: str) -> Content:
        """A section's line in the side list: its mark and title, dimmed and marked
        when the plan leaves it out; below it, indented, the engineer's own sections
        that follow it (those at the end, under Your sections)."""
        document = self.session.plan.document
        left_out = {_key(t) for t in document.left_out} - {_key(t) for t in REQUIRED_SECTIONS}
        if _key(title) in left_out:
            line = Content.assemble(("  ", ""), (f"{title} · left out", "dim"))
        else:
            line = Content(f"{self.session.mark(name)} {title}")
        titles = {_key(t) for n, t, *_ in sections() if n != "document"}
        for custom in document.custom:
            place = _key(custom.after) if _key(custom.after) in titles else ""
            if place == _key(title) or (not place and name == "document"):
                own = custom.title.strip() or "(untitled)"
                if len(own) > SIDE_WIDTH:
                    own = own[: SIDE_WIDTH - 1] + "…"
                line = Content.assemble(line, ("\n   ↳ " + own, "italic"))
        return line

    def action_next(self) -> None:
        index = self.order.index(self.current)
        self.show_section(self.order[index + 1] if index + 1 < len(self.order) else REVIEW)

    def action_back(self) -> None:
        index = self.order.index(self.current)
        if index:
            self.show_section(self.order[index - 1])

    def action_sections(self) -> None:
        self.query_one("#sections", OptionList).focus()

    @on(OptionList.OptionSelected, "#sections")
    def section_chosen(self, event: OptionList.OptionSelected) -> None:
        self.show_section(str(event.option.id))

    @on(Button.Pressed, "#next")
    def next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.action_back()

    def action_review(self) -> None:
        from tui.screens.review import ReviewScreen

        self.session.reveal(self.current)
        self.save_soon(now=True)
        self.refresh_findings()
        self.app.push_screen(ReviewScreen(self.session), self._back_from_review)

    def review_and_copy(self) -> None:
        from tui.screens.review import ReviewScreen

        self.session.reveal(self.current)
        self.save_soon(now=True)
        self.refresh_findings()
        self.app.push_screen(ReviewScreen(self.session, copy=True), self._back_from_review)

    def _back_from_review(self, jump_to: str | None) -> None:
        if jump_to:
            self.jump_to(jump_to)

    def jump_to(self, path: str) -> None:
        """Show the field at `path` (a finding's path), with its message."""
        self.session.reveal(path)
        self.show_section(path.split(".")[0], at=path)

    def on_screen_resume(self) -> None:
        # Back from a dialog or review: the widget that had focus may be gone (rows
        # rebuilt) or hidden (another section shown meanwhile).
        focused = self.focused
        form = self.form(self.current) if self.query(f"#form-{self.current}") else None
        if form is None or not form.is_mounted:
            return  # it focuses itself once mounted
        lost = focused is None or not focused.is_attached
        elsewhere = not lost and focused is not self.query_one("#sections")
        if lost or (elsewhere and focused is not None and form not in focused.ancestors):
            form.focus_path()

    def system_commands(self) -> Iterable[SystemCommand]:
        for name, title, help, _model in sections():
            yield SystemCommand(f"Go to {title}", help, lambda name=name: self.show_section(name))
        yield SystemCommand("Review", "The description, findings, copy", self.action_review)
        yield SystemCommand(
            "Copy description", "Review, then copy the Markdown", self.review_and_copy
        )
        yield SystemCommand("Drafts", "Back to all drafts", self.action_home)

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
            self.form("evaluation").show_changes()
        if left:
            self.session.reveal(path)
            self.refresh_findings()
        self.save_soon()

    def on_group_editor_restructured(self, message: GroupEditor.Restructured) -> None:
        self.session.reveal(message.path)
        self.refresh_findings()
        self.save_soon()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        path = editor_path(event.widget)
        if path.split(".")[0] == self.current:
            self.session.move_to(self.current, path)
        # Show the whole field with its message, or the whole row of a group.
        for ancestor in event.widget.ancestors:
            if not isinstance(ancestor, Widget):
                break  # the screen: the widget is in no field or row
            if ancestor.has_class("row") or (
                isinstance(ancestor, FieldBox) and ancestor.kind not in ("rows", "items")
            ):
                # After the refresh: the field's message may just have appeared.
                self.call_after_refresh(ancestor.scroll_visible, animate=False)
                return

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        path = editor_path(event.widget)
        if path:
            self.session.reveal(path)
            self.refresh_findings()

    # --- saving --------------------------------------------------------------------

    def save_soon(self, now: bool = False) -> None:
        if self.session.read_only or not self.session.dirty:
            return
        if now:
            self._save_in_background()
        elif self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_in_background)
        else:
            self._save_timer.reset()
        if not self._pending:
            self._pending = True
            self._status("editing…", "-pending")

    def _nothing_to_save(self) -> bool:
        """Stops a pending autosave; True when there is nothing this window may write."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        return self.session.read_only or not self.session.dirty

    def _save_in_background(self) -> None:
        if self._nothing_to_save():
            return
        if not locks.still_mine(self.session.draft.path):
            self._taken_over()
            return
        self.saver.submit(self.session.snapshot())

    class SaveDone(Message):
        """A write of the autosave thread ended (posted from that thread)."""

        def __init__(self, outcome: Outcome) -> None:
            super().__init__()
            self.outcome = outcome

    def _report_from_thread(self, outcome: Outcome) -> None:
        # A message, which Textual posts thread-safely and handles in the screen's
        # context; not call_from_thread, which waits for the loop, and the loop may
        # itself be waiting for this thread (the quit flush).
        with contextlib.suppress(RuntimeError):  # the loop is gone: the app quit
            self.post_message(self.SaveDone(outcome))

    def on_wizard_screen_save_done(self, message: SaveDone) -> None:
        self._save_done(message.outcome)

    def _save_done(self, outcome: Outcome) -> None:
        if not self.is_attached:
            return  # left for the drafts list; the flush saved and said so
        if isinstance(outcome, ChangedOnDisk):
            if not self.session.read_only:  # once: a second queued write also failed
                self._changed_on_disk()
        elif isinstance(outcome, OSError):
            self._save_failed_with(str(outcome.strerror or outcome))
        else:
            self._saved()

    def _saved(self) -> None:
        self._save_failed = False
        self._pending = False
        if not self.session.dirty:
            self._status(f"saved {clock()}", "-saved")

    def _save_failed_with(self, reason: str) -> None:
        self._status("NOT SAVED", "-error")
        if not self._save_failed:
            self.notify(
                f"Could not save the draft ({reason}). Your text is kept here; "
                "rollout-plan tries again at the next change (ctrl+s to retry now).",
                severity="error",
                timeout=10,
                markup=False,
            )
        self._save_failed = True

    def action_save(self) -> None:
        self.session.mark_dirty()
        self._save_in_background()

    def flush(self) -> None:
        """Save now, on this thread (quit, leaving the screen)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        # A write still running finishes first; one waiting is then superseded.
        self.saver.wait(timeout=FLUSH_WAIT)
        if self.session.moved and not self.session.read_only:
            self.session.mark_dirty()  # where the user was is worth a write on leaving
        if self._nothing_to_save():
            return
        if not locks.still_mine(self.session.draft.path):
            self._save_copy()
            return
        try:
            self.session.save_now()
        except ChangedOnDisk:
            self._save_copy()
        except OSError as error:
            self._save_failed_with(str(error.strerror or error))
        else:
            locks.release(self.session.draft.path)

    def on_unmount(self) -> None:
        self.saver.close()
        if not self.session.read_only:
            locks.release(self.session.draft.path)

    # --- someone else wrote the draft ----------------------------------------------

    def _taken_over(self) -> None:
        self._stop_writing(
            "Another rollout-plan took this draft over. Nothing more is written to it from here."
        )

    def _changed_on_disk(self) -> None:
        self._stop_writing(
            "The draft file changed on disk since this window opened it (another editor "
            "or a restore). It was not overwritten."
        )

    def _stop_writing(self, why: str) -> None:
        from tui.screens.dialogs import Choice

        self.session.read_only = True
        self._status("not saving: the draft changed elsewhere", "-error")

        def chosen(answer: Diverged | None) -> None:
            if answer is Diverged.COPY:
                self._save_copy()
            elif answer is Diverged.RELOAD:
                self.post_message(
                    self.OpenDraft(drafts.load(self.session.draft.path), self.current)
                )

        answers: list[tuple[str, str, Diverged | None]] = [
            ("copy", "Save mine as a new draft", Diverged.COPY),
            ("reload", "Reload from disk", Diverged.RELOAD),
        ]
        self.app.push_screen(
            Choice(
                why,
                "Keep your version as a new draft, or reload the draft from disk "
                "(your changes here are then dropped)?",
                answers,
                None,
            ),
            chosen,
        )

    def _save_copy(self) -> None:
        copy = self.session.fork()
        locks.acquire(copy.path)
        self.notify(f"Your version is saved as a new draft: {copy.id}", timeout=10, markup=False)
        self._status(f"saved as {copy.id}", "-saved")

    # --- $EDITOR -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "editor":
            # Only for long text; elsewhere ctrl+e keeps its usual meaning (end of line).
            return isinstance(self.focused, LongTextField) and not self.session.read_only
        return True

    def action_editor(self) -> None:
        area = self.focused
        if not isinstance(area, LongTextField):
            return
        edited = self._run_editor(area.text)
        if edited is not None and edited != area.text:
            area.load_text(edited)
            self.session.set(area.path, edited)
            self.save_soon()
        # The terminal was handed to the editor; typing goes on where it was.
        if area.is_attached:
            focus_now(area)

    def _run_editor(self, text: str) -> str | None:
        from textual.app import SuspendNotSupported

        from tui.editor import EditorFailed, edit

        def run_suspended(command: list[str]) -> subprocess.CompletedProcess[bytes]:
            try:
                with self.app.suspend():
                    return subprocess.run(command, check=False)
            except SuspendNotSupported:
                return subprocess.run(command, check=False)

        try:
            return edit(text, run_suspended)
        except EditorFailed as error:
            self.notify(str(error), severity="information" if error.ran else "error", markup=False)
            return None
