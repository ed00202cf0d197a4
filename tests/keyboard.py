"""Keys as a terminal delivers them: a burst read at once, not one key per frame.

Pilot's `press` lets every key settle before the next (two idle waits of at least
20 ms each, and a visit to every widget on the screen). That is right for keys that
move focus or open screens one at a time; for text it hides nothing a user would see
and costs most of the suite's time. Text typed fast, or pasted without bracketed
paste, reaches the app as one read: every key queued before the first is handled.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot

# A burst goes through three queues before its last effect lands: the app's (the
# keys), the focused widget's (the keys forwarded), the screen's (what the widget
# posts, e.g. Changed). Pilot's pause waits for every queue once; one more round is
# for the messages those post in turn.
SETTLE_ROUNDS = 4


def burst(app: App[Any], *keys: str) -> None:
    """Queue `keys` as one read from the terminal: all before the first is handled."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app.post_message(event)  # what the driver does with each key it reads


async def settle(pilot: Pilot[Any]) -> None:
    """Let a burst, and everything it caused, be handled."""
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` into the field in focus, fast, as a person or a paste does."""
    burst(pilot.app, *text)
    await settle(pilot)
