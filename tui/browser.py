"""Opening an address in the user's web browser, where one can open.

Over SSH (without X forwarding) the browser would start on the remote machine, or a
text browser would take over the terminal; there the address is printed instead, for
the terminal to link. `$BROWSER` is the user's explicit choice and always used.
"""

from __future__ import annotations

import os
import sys

SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")


def why_not() -> str | None:
    """Why no browser can open here; None when one can."""
    if os.environ.get("BROWSER"):
        return None
    ssh = any(os.environ.get(name) for name in SSH_VARIABLES)
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None  # a local display, or X forwarded over SSH to the user's own
    if ssh:
        return "this is an SSH session, where no browser of yours can open"
    if sys.platform in ("darwin", "win32"):
        return None
    return "there is no graphical display to open a browser on"


def open_url(url: str) -> str | None:
    """Open `url` in a new browser tab; None when it opened, or why it did not.

    May wait for a browser command that runs in the foreground: call it off the
    event loop."""
    reason = why_not()
    if reason:
        return reason
    import webbrowser

    try:
        opened = webbrowser.open(url, new=2)
    except webbrowser.Error as error:
        return f"no browser could be found ({error})"
    return None if opened else "no browser could be started"
