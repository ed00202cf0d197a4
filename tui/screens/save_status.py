"""What saving says, shown on a screen: the top bar's status, a notification, and
the question when the draft changed elsewhere (`autosaver.SaveView`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.screens.lock_dialogs import Diverged, changed_elsewhere
from tui.widgets.topbar import TopBar


class SaveStatus:
    def __init__(self, screen: Screen[Any], reload: Callable[[], None]) -> None:
        self.screen = screen
        self.reload = reload  # drop this window's changes; open the draft from disk

    def show_status(self, text: str, level: str) -> None:
        self.screen.query_one(TopBar).show_status(text, level)

    def say(self, text: str, error: bool = False) -> None:
        severity: SeverityLevel = "error" if error else "information"
        self.screen.notify(text, severity=severity, timeout=10, markup=False)

    def diverged(self, why: str, keep_copy: Callable[[], None]) -> None:
        def chosen(answer: Diverged | None) -> None:
            if answer is Diverged.COPY:
                keep_copy()
            elif answer is Diverged.RELOAD:
                self.reload()

        self.screen.app.push_screen(changed_elsewhere(why), chosen)
