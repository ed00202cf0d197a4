"""Long text handed to the user's `$VISUAL`/`$EDITOR` from a widget: the terminal goes
to the editor meanwhile (`tui.editor` does the rest, for plain mode too)."""

from __future__ import annotations

import subprocess

from textual.app import SuspendNotSupported
from textual.widget import Widget

from tui.editor import EditorFailed, edit


def edit_outside(widget: Widget, text: str) -> str | None:
    """`text` as the user left it in the editor; None when the editor failed or gave
    up (said in a notification), the text then unchanged."""

    def run_suspended(command: list[str]) -> subprocess.CompletedProcess[bytes]:
        try:
            with widget.app.suspend():
                return subprocess.run(command, check=False)
        except SuspendNotSupported:
            return subprocess.run(command, check=False)

    try:
        return edit(text, run_suspended)
    except EditorFailed as error:
        widget.notify(str(error), severity="information" if error.ran else "error", markup=False)
        return None
