"""The one-line bar over a screen: what the screen shows, and a status beside it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class TopBar(Horizontal):
    """A title, cut with an ellipsis when long, and a status that stays whole.

    The status's id says what it tells (`#save-status` is the wizard's save state);
    its level class (-saved, -pending, -warning, -error) colours it."""

    DEFAULT_CSS = """
    TopBar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    TopBar > .topbar-title {
        width: 1fr;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    TopBar > .topbar-status {
        width: auto;
        margin-left: 2;
        color: $text-muted;
        &.-saved { color: $success; }
        &.-pending { color: $text-muted; }
        &.-warning { color: $warning; }
        &.-error { color: $error; text-style: bold; }
    }
    """

    def __init__(self, title: str, status: str, status_id: str, level: str = "") -> None:
        super().__init__()
        self.heading = title
        self.status_text = status
        self.status_id = status_id
        self.level = level

    def compose(self) -> ComposeResult:
        yield Static(self.heading, markup=False, classes="topbar-title")
        yield Static(
            self.status_text, id=self.status_id, markup=False, classes=f"topbar-status {self.level}"
        )

    def show_title(self, text: str) -> None:
        # Called on every key in the wizard's title field. The title is 1fr wide in a
        # one-line bar, so its text never changes the layout.
        if text != self.heading:
            self.heading = text
            self.query_one(".topbar-title", Static).update(text, layout=False)

    def show_status(self, text: str, level: str = "") -> None:
        status = self.query_one(f"#{self.status_id}", Static)
        status.update(text)
        status.set_classes(f"topbar-status {level}")
