"""The baseline for the wizard's benchmarks: a bare Textual app with N inputs.

python bench/bare_app.py N    # exits at its first interactive frame when
                              # ROLLOUT_PLAN_EXIT_WHEN_READY is set
"""

from __future__ import annotations

import os
import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Input


class BareApp(App[None]):
    def __init__(self, inputs: int) -> None:
        super().__init__()
        self.inputs = inputs

    def compose(self) -> ComposeResult:
        for index in range(self.inputs):
            yield Input(id=f"input-{index}")
        yield Footer()

    def on_ready(self) -> None:
        if os.environ.get("ROLLOUT_PLAN_EXIT_WHEN_READY"):
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    BareApp(int(sys.argv[1]) if len(sys.argv) > 1 else 1).run()
