"""Small screens: a question with answers, a line of text, and the too-small notice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

R = TypeVar("R")
# An answer: its button's key (the button id is answer-<key>), its text, and what the
# dialog returns for it.
Answer = tuple[str, str, R]


class Choice(ModalScreen[R], Generic[R]):
    """A question and its answers as buttons; escape answers `escape`."""

    BINDINGS = [Binding("escape", "dismiss_escape", "Cancel")]

    def __init__(
        self, message: str, question: str, answers: Sequence[Answer[R]], escape: R
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.message = message
        self.question = question
        self.answers = {f"answer-{key}": (text, value) for key, text, value in answers}
        self.escape = escape

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.message, markup=False, classes="dialog-message")
            yield Static(self.question, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for id, (text, _value) in self.answers.items():
                    yield Button(text, id=id, compact=True)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        self.dismiss(self.answers[str(event.button.id)][1])

    def action_dismiss_escape(self) -> None:
        self.dismiss(self.escape)


def confirm(
    message: str,
    question: str,
    go: tuple[str, str],
    cancel: tuple[str, str] = ("cancel", "Cancel"),
    safe_first: bool = False,
) -> Choice[bool]:
    """A yes-or-no question, each answer a (key, text): True for `go`, False for
    `cancel` or escape. `safe_first` puts cancel first, where the focus starts."""
    answers: list[Answer[bool]] = [(*go, True), (*cancel, False)]
    return Choice(message, question, answers[::-1] if safe_first else answers, False)


class AskText(ModalScreen[str | None]):
    """One line of text, e.g. the path of a file to import."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, question: str, placeholder: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, classes="dialog-question")
            yield Input(placeholder=self.placeholder, id="answer")
            yield Static("enter to confirm · escape to cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TooSmall(Screen[None]):
    """Shown over everything while the terminal is too small; the work below is kept."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(id="too-small")
        self.min_width = width
        self.min_height = height

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-message", markup=False)

    def on_mount(self) -> None:
        self.on_resize()

    def on_resize(self) -> None:
        size = self.app.size
        self.query_one("#too-small-message", Static).update(
            f"The terminal is {size.width}×{size.height}; rollout-plan needs at least "
            f"{self.min_width}×{self.min_height}.\nEnlarge the window: your work is kept "
            "and saved. ctrl+q quits."
        )
