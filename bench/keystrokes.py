"""Typing speed in every kind of field the wizard has, against a bare Textual field.

Each key is pressed the way a user types it: one key, then the app settles (the key
handled, the screen refreshed, layout included) before the next. So whatever a key
makes the wizard redraw (the title, the Change row) is counted, as it would be on
screen; queueing every key at once would let Textual fold many redraws into one.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from typing import Any

from bench.bare_app import BareApp
from tui import drafts
from tui.plan import EvalRow, Plan
from tui.widgets.fields import dom_id

KEYS = 40  # per batch: enough for a long value, short enough to repeat


@dataclass(frozen=True)
class FieldKind:
    name: str  # as reported in typing_worst_field
    section: str
    path: str
    chars: str  # what a user types there
    long_text: bool = False  # a TextArea, not an Input


FIELDS = (
    FieldKind("plain field (feedback.issue)", "feedback", "feedback.issue", "abcdefghij"),
    FieldKind("title (title.title)", "title", "title.title", "abcdefghij"),
    FieldKind(
        "evaluation cell (evaluation.rows.1.p50)", "evaluation", "evaluation.rows.1.p50", "1234"
    ),
    FieldKind(
        "timeline cell (timeline.rows.0.audience)",
        "timeline",
        "timeline.rows.0.audience",
        "abcdefghij",
    ),
    FieldKind("long text (legal.notes)", "legal", "legal.notes", "abcdefghij", long_text=True),
    FieldKind(
        "list item (persevere.criteria.0)", "persevere", "persevere.criteria.0", "abcdefghij"
    ),
)


def typing_plan() -> Plan:
    """Two evaluation rows, so the Change row is computed on every key of a cell."""
    plan = Plan()
    plan.evaluation.rows = [
        EvalRow(model="claude-3-7-sonnet", metric="qa", score="0.8", p50="17.5s", baseline=True),
        EvalRow(model="claude-4-0-sonnet", metric="qa", score="0.82", p50="", p99="40s"),
    ]
    return plan


def _text(widget: Any, long_text: bool) -> str:
    return str(widget.text if long_text else widget.value)


def _clear(widget: Any, long_text: bool) -> None:
    if long_text:
        widget.text = ""
    else:
        widget.value = ""


async def _handled(widget: Any) -> None:
    """Wait until the widget and everything above it (where its messages bubble to)
    have handled every message queued so far. Pilot's own wait visits every widget
    on the screen, a cost that grows with the screen and is the driver's, not the
    app's."""
    pending = [node for node in (widget, *widget.ancestors) if hasattr(node, "call_later")]
    done = asyncio.Event()
    count = 0

    def one_done() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            done.set()

    for node in pending:
        if node.call_later(one_done):
            count += 1
    if count:
        await done.wait()


async def key_batches(
    app: Any,
    selector: str,
    chars: str,
    long_text: bool,
    batches: int,
    quiet: bool = False,
    keys: int = KEYS,
) -> list[float]:
    """Seconds per key over `batches` batches of `keys` keys typed into `selector`.

    After each key, every message it caused is handled (the field's Changed, the
    wizard's edit) and the frame it calls for is drawn, layout included; nothing
    sleeps, so the time is the app's work, not a test driver's pauses.

    `quiet`: the field's Changed message is never sent, so the app does nothing with
    the key: what is left is Textual's own cost of a key in that screen (the floor).
    """
    from textual import events
    from textual.widgets import Input, TextArea

    samples = []
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        target = app.screen.query_one(selector)
        target.focus()
        await pilot.pause()
        for _ in range(batches + 1):  # the first batch warms up
            _clear(target, long_text)
            await pilot.pause()
            start = time.perf_counter()
            for index in range(keys):
                char = chars[index % len(chars)]
                if quiet:
                    with app.prevent(Input.Changed, TextArea.Changed):
                        app.post_message(events.Key(char, char))
                else:
                    app.post_message(events.Key(char, char))
                while len(_text(target, long_text)) <= index:
                    await asyncio.sleep(0)
                await _handled(target)  # the messages the key caused
                app.screen._on_timer_update()  # the frame it calls for
            samples.append((time.perf_counter() - start) / keys)
            await pilot.pause()
            if len(_text(target, long_text)) != keys:
                raise RuntimeError(f"typing into {selector} lost keys")
    return samples[1:]


def typing_figures(
    batches: int, rounds: int = 2, keys: int = KEYS
) -> dict[str, tuple[float, float, float]]:
    """{field kind: median seconds per key (in the wizard, in the bare field, in the
    wizard with the field's changes unheard: Textual's floor for that screen)}.

    Each kind is measured against the bare widget it is built on (an Input, or a
    TextArea for long text), interleaved so a noisy moment hits both.
    """
    from tui.app import RolloutApp

    names = [kind.name for kind in FIELDS]
    wizard: dict[str, list[float]] = {name: [] for name in names}
    bare: dict[str, list[float]] = {name: [] for name in names}
    floor: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        for kind in FIELDS:
            selector = "#" + dom_id(kind.path)
            for quiet, samples in ((False, wizard), (True, floor)):
                app = RolloutApp(drafts.create(typing_plan()), section=kind.section)
                samples[kind.name] += asyncio.run(
                    key_batches(app, selector, kind.chars, kind.long_text, batches, quiet, keys)
                )
            bare_app = BareApp(1, text_area=kind.long_text)
            bare[kind.name] += asyncio.run(
                key_batches(bare_app, "#input-0", kind.chars, kind.long_text, batches, keys=keys)
            )
    return {
        name: (
            statistics.median(wizard[name]),
            statistics.median(bare[name]),
            statistics.median(floor[name]),
        )
        for name in names
    }
