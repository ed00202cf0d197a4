"""Putting the description on the system clipboard, and saying truthfully whether it worked."""

from __future__ import annotations

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
