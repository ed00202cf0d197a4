"""The questions asked when another window has, or had, the draft: open it anyway
(read-only, or taking it over), and what to do when it changed elsewhere."""

from __future__ import annotations

from enum import StrEnum

from tui.drafts import Draft
from tui.locks import Holder
from tui.screens.dialogs import Answer, Choice
from tui.terminal import safe


class LockAnswer(StrEnum):
    READ = "read"
    TAKE = "take"


class Diverged(StrEnum):
    COPY = "copy"
    RELOAD = "reload"


def open_locked(draft: Draft, other: Holder) -> Choice[LockAnswer | None]:
    """Another window has `draft` open: read-only, take over, or cancel (None)."""
    answers: list[Answer[LockAnswer | None]] = [
        ("read", "Read-only", LockAnswer.READ),
        ("take", "Take over", LockAnswer.TAKE),
        ("cancel", "Cancel", None),
    ]
    return Choice(
        # The title and the lock's host come from files: escaped.
        safe(
            f"Draft {draft.id} '{draft.title}' is open in another rollout-plan "
            f"({other.describe()})."
        ),
        "Open it read-only, or take it over? (The other window then stops saving.)",
        answers,
        None,
    )


def changed_elsewhere(why: str) -> Choice[Diverged | None]:
    """The draft changed elsewhere: keep this version as a copy, or reload."""
    answers: list[Answer[Diverged | None]] = [
        ("copy", "Save mine as a new draft", Diverged.COPY),
        ("reload", "Reload from disk", Diverged.RELOAD),
    ]
    return Choice(
        why,
        "Keep your version as a new draft, or reload the draft from disk "
        "(your changes here are then dropped)?",
        answers,
        None,
    )
