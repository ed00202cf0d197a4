"""Putting the description on the system clipboard, and saying truthfully whether it worked."""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass

INSTALL_HINT = "install xclip or xsel (X11) or wl-clipboard (Wayland)"


@dataclass(frozen=True)
class CopyResult:
    confirmed: bool
    detail: str  # what happened, for the user


def copy_to_system(text: str) -> CopyResult:
    """Copy with pyperclip and read it back: only a read-back that matches is a success."""
    import pyperclip

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return CopyResult(False, f"no system clipboard found ({INSTALL_HINT})")
    try:
        back = pyperclip.paste()
    except pyperclip.PyperclipException:
        return CopyResult(False, "the clipboard took the text but it could not be read back")
    if back != text:
        return CopyResult(False, "the clipboard did not keep the text (is a display running?)")
    return CopyResult(True, "copied to the system clipboard")


def osc52(text: str) -> str:
    """The terminal sequence that puts `text` on the clipboard (OSC 52)."""
    import base64

    return f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}\a"


def tmux_passthrough(text: str) -> str:
    """Inside tmux, OSC 52 wrapped to pass through to the outer terminal ('' outside).

    tmux itself takes a plain OSC 52 when `set-clipboard` is on; with it off, only a
    passthrough sequence (allowed by `allow-passthrough on`) reaches the terminal.
    """
    if not os.environ.get("TMUX"):
        return ""
    return "\x1bPtmux;" + osc52(text).replace("\x1b", "\x1b\x1b") + "\x1b\\"


def copy_to_tmux(text: str) -> None:
    """Inside tmux, put `text` in tmux's paste buffer and, through `-w`, on the outer
    terminal's clipboard: tmux (3.2+) sends its own OSC 52, whatever
    `allow-passthrough` says. The wizard's way past tmux: Textual writes only a plain
    OSC 52 to the terminal. Runs a program: call it off the event loop."""
    if not os.environ.get("TMUX"):
        return
    # Best effort, as OSC 52 is: an old tmux or a gone server changes nothing.
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["tmux", "load-buffer", "-w", "-"],
            input=text.encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=5,
        )
