"""Long text edited in the user's `$VISUAL`/`$EDITOR`: one path for the wizard and
plain mode. Free of Textual: the wizard passes a runner that suspends its screen."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from tui import drafts

# Runs the editor's command line; the wizard's runner hands the terminal over first.
Runner = Callable[[list[str]], "subprocess.CompletedProcess[bytes]"]


class EditorFailed(Exception):
    """The editor could not run (`ran` False) or gave up: the text stays as it was."""

    def __init__(self, message: str, ran: bool) -> None:
        super().__init__(message)
        self.ran = ran


def editor_command() -> str:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


def _run(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, check=False)


def edit(text: str, run: Runner = _run) -> str:
    """The text after the user edited it, through a private file in the data folder."""
    editor = editor_command()
    folder = drafts.private_dir(drafts.root() / "tmp")
    with tempfile.NamedTemporaryFile(
        "w", suffix=".md", dir=folder, delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text)
        path = Path(handle.name)
    try:
        result = run([*shlex.split(editor), str(path)])
        if result.returncode != 0:
            raise EditorFailed(f"{editor} exited with {result.returncode}: text unchanged.", True)
        return path.read_text(encoding="utf-8").removesuffix("\n")
    except (OSError, ValueError) as error:
        raise EditorFailed(f"Could not run the editor '{editor}': {error}", False) from None
    finally:
        path.unlink(missing_ok=True)
