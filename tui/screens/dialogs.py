"""Small screens: a question with answers, a line of text, and the too-small notice."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static


class Choice(ModalScreen[str | None]):
    """A question and its answers as buttons; escape answers None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, message: str, question: str, answers: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.message = message
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.message, markup=False, classes="dialog-message")
            yield Static(self.question, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for key, text in self.answers:
                    yield Button(text, id=f"answer-{key}", compact=True)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def answered(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id).removeprefix("answer-"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


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
