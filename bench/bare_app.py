"""The baseline for the wizard's benchmarks: a bare Textual app with N inputs that,
like any pydantic program, has loaded `pydantic.main` (docs/design.md §6).

python bench/bare_app.py N    # exits at its first interactive frame when
                              # ROLLOUT_PLAN_EXIT_WHEN_READY is set
"""

from __future__ import annotations

import os
import sys

import pydantic.main  # noqa: F401  (the floor docs/design.md §6 measures against)
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Footer, Input, TextArea


class BareApp(App[None]):
    def __init__(self, inputs: int, text_area: bool = False) -> None:
        super().__init__()
        self.inputs = inputs
        # A TextArea instead: the bare counterpart of the wizard's long-text fields.
        self.text_area = text_area

    def compose(self) -> ComposeResult:
        for index in range(self.inputs):
            field: Widget = (
                TextArea(id=f"input-{index}", compact=True, soft_wrap=True)
                if self.text_area
                else Input(id=f"input-{index}", compact=True)
            )
            yield field
        yield Footer()

    def on_ready(self) -> None:
        if os.environ.get("ROLLOUT_PLAN_EXIT_WHEN_READY"):
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    BareApp(int(sys.argv[1]) if len(sys.argv) > 1 else 1).run()
