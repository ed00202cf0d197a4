"""Review: the description as GitLab will show it and as Markdown, every finding
with a jump to its field, and the ways out: copy, copy title, save to a file."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.option_list import Option

from tui import drafts
from tui.app import FOOTER_TAIL
from tui.checks import Level, counted, errors
from tui.clipboard import CopyResult, copy_to_system, copy_to_tmux
from tui.publish import glab
from tui.render import UnsafeDescription, checked, render
from tui.screens.gitlab_actions import GitLabActions
from tui.session import Session
from tui.widgets.fields import focus_now
from tui.widgets.footer import Footer
from tui.widgets.topbar import TopBar

ICONS = {Level.ERROR: "✗", Level.WARNING: "!", Level.INFO: "·"}


class ReviewScreen(GitLabActions):
    """Dismissed with the path of a finding to jump to, or None to go back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="review.back"),
        Binding("c", "copy", "Copy description", id="review.copy"),
        Binding("t", "copy_title", "Copy title", id="review.copy_title"),
        Binding("s", "save", "Save to file", id="review.save"),
        Binding("o", "open_in_gitlab", "Open in GitLab", id="review.open_in_gitlab"),
        Binding("P", "publish", "Publish (glab)", id="review.publish"),
        # Each tab by its number (as labelled) or its initial; kept out of the
        # footer, which keeps its room for the ways out.
        Binding("1,f", "show_tab('findings')", "Findings tab", id="review.findings", show=False),
        Binding("2,v", "show_tab('preview')", "Preview tab", id="review.preview", show=False),
        Binding("3,m", "show_tab('raw')", "Markdown tab", id="review.markdown", show=False),
        *FOOTER_TAIL,
    ]

    def __init__(self, session: Session, copy: bool = False) -> None:
        super().__init__()
        self.session = session
        self.copy_on_mount = copy  # the palette's "Copy description": review, then copy
        self.findings = session.findings
        self.glab = glab()  # `P` is offered only when glab is installed
        # What leaves the tool is checked against GitLab's reading; a description that
        # fails it is still shown, but never copied or saved.
        try:
            self.markdown, self.refusal = checked(session.plan), ""
        except UnsafeDescription as error:
            self.markdown, self.refusal = render(session.plan), str(error)

    def compose(self) -> ComposeResult:
        counts = {level: sum(f.level is level for f in self.findings) for level in Level}
        yield TopBar(
            f"Review · {self.session.draft.title}",
            f"{counted(counts[Level.ERROR], 'error')} · "
            f"{counted(counts[Level.WARNING], 'warning')}",
            "finding-counts",
            "-error" if counts[Level.ERROR] else "-saved",
        )
        initial = "findings" if counts[Level.ERROR] else "preview"
        with TabbedContent(initial=initial, id="review-tabs"):
            with TabPane(f"1 Findings ({len(self.findings)})", id="findings"):
                yield OptionList(*self._finding_options(), id="finding-list")
            with TabPane("2 Preview", id="preview"):
                yield VerticalScroll(id="preview-body")
            with TabPane("3 Markdown", id="raw"):
                yield TextArea(self.markdown, read_only=True, soft_wrap=True, id="raw-text")
        yield Static(id="review-status", markup=False)
        with Horizontal(classes="nav"):
            yield Button("← Sections", id="back", compact=True)
            yield Button("Copy description", id="copy", variant="primary", compact=True)
            yield Button("Copy title", id="copy-title", compact=True)
            yield Button("Save to file", id="save", compact=True)
        yield Footer()

    def _finding_options(self) -> list[Option]:
        if not self.findings:
            return [Option("No findings: the plan is complete.", disabled=True)]
        return [
            Option(Content(f"{ICONS[f.level]} {f}"), id=str(index))
            for index, f in enumerate(self.findings)
        ]

    def on_mount(self) -> None:
        if self.query_one(TabbedContent).active == "preview":
            self._build_preview()
            self.query_one("#copy", Button).focus()
        else:
            self.query_one("#finding-list", OptionList).focus()
        if self.copy_on_mount:
            self.call_after_refresh(self.action_copy)

    def system_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Copy description", "The Markdown", self.action_copy)
        yield SystemCommand("Copy title", "The issue title", self.action_copy_title)
        yield SystemCommand("Save to file", "Under exports/", self.action_save)

    def action_show_tab(self, tab: str) -> None:
        """Show a tab and put the focus in it, so arrows scroll or pick at once."""
        self.query_one(TabbedContent).active = tab
        if tab == "preview":
            self._build_preview()
        inside = {"findings": "#finding-list", "preview": "#preview-body", "raw": "#raw-text"}
        focus_now(self.query_one(inside[tab]))

    @on(TabbedContent.TabActivated)
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "preview":
            self._build_preview()

    def _build_preview(self) -> None:
        # The Markdown widget is heavy: built only once the preview is looked at.
        body = self.query_one("#preview-body", VerticalScroll)
        if body.children:
            return
        from textual.widgets import Markdown

        body.mount(Markdown(self.markdown, id="preview-markdown"))

    @on(OptionList.OptionSelected, "#finding-list")
    def finding_chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.findings[int(str(event.option.id))].path)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        actions = {
            "back": self.action_back,
            "copy": self.action_copy,
            "copy-title": self.action_copy_title,
            "save": self.action_save,
        }
        actions[str(event.button.id)]()

    def action_back(self) -> None:
        self.dismiss(None)

    # --- copy and save -------------------------------------------------------------

    def action_copy(self) -> None:
        if self.refusal:
            self._say(f"Not copied: {self.refusal}", warning=True)
            return
        blocking = errors(self.findings)
        if not blocking:
            self._copy(self.markdown, "the description")
            return
        from tui.screens.dialogs import confirm

        names = "; ".join(f"{f.section} › {f.field}" for f in blocking[:6])
        more = f" and {len(blocking) - 6} more" if len(blocking) > 6 else ""

        def chosen(anyway: bool | None) -> None:
            if anyway:
                self._copy(self.markdown, "the description")

        self.app.push_screen(
            confirm(
                f"{counted(len(blocking), 'error')} remain: {names}{more}."
                if len(blocking) != 1
                else f"1 error remains: {names}.",
                "Copy anyway?",
                go=("copy", "Copy anyway"),
            ),
            chosen,
        )

    def action_copy_title(self) -> None:
        self._copy(self.session.draft.title, "the title")

    def action_save(self) -> None:
        if self.refusal:
            self._say(f"Not saved: {self.refusal}", warning=True)
            return
        try:
            path = self._export()
        except OSError as error:  # a full disk, a read-only folder: said, not a crash
            self._say(str(error), warning=True)
            return
        self._say(f"Saved the description in {path}")

    def _copy(self, text: str, what: str) -> None:
        # OSC 52 reaches the terminal's clipboard, also over SSH; it cannot be read
        # back, so only the system clipboard's read-back counts as confirmed.
        self.app.copy_to_clipboard(text)
        self._copy_to_system(text, what)

    @work(thread=True, group="copy")
    def _copy_to_system(self, text: str, what: str) -> None:
        # tmux and pyperclip (xclip, wl-copy) are other programs: kept off the event loop.
        copy_to_tmux(text)
        result = copy_to_system(text)
        self.app.call_from_thread(self._copied, result, text, what)

    def _copied(self, result: CopyResult, text: str, what: str) -> None:
        # One line in the status bar: said once, covering nothing.
        lines = f" ({counted(text.count(chr(10)) + 1, 'line')})" if "\n" in text else ""
        if result.confirmed:
            self._say(f"Copied {what}{lines} to the clipboard.")
            return
        said = (
            f"Sent {what}{lines} to the terminal's clipboard (OSC 52, unconfirmed: "
            f"{result.detail})."
        )
        if what == "the title":
            self._say(said, warning=True)  # only the title: no word of the description
            return
        try:
            self._say(f"{said} Also saved in {self._export()}", warning=True)
        except OSError as error:
            self._say(f"{said} Not saved either: {error}", warning=True)

    def _export(self) -> str:
        return str(drafts.export_markdown(f"{self.session.draft.id}.md", self.markdown))

    def _say(self, text: str, warning: bool = False) -> None:
        status = self.query_one("#review-status", Static)
        status.update(text)
        status.set_class(warning, "-warning")
