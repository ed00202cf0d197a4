"""Every screen of the wizard in a fixed state, for snapshot tests and screenshots.

The same scenarios feed `tests/test_snapshots.py` (compared at 100×32 and 80×24)
and `python -m tests.screenshots` (the SVGs in `screenshots/`), so the pictures
in the README are the screens the tests check. Draft ids, clocks and the data
folder are pinned so a picture changes only when the screen does.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.conftest import CODE_REVIEW, DUO_WORKFLOW, until
from tui import drafts
from tui.app import RolloutApp
from tui.importer import parse_description
from tui.plan import CustomSection, ItemState, Plan, sections

# A fixed data folder for the scenarios that show its path (the home screen), so it
# cannot be tmp_path. pinned() empties it before such a scenario and removes it
# after, and holds a lock on its parent meanwhile: scenarios in other processes
# (pytest-xdist workers, another run on the same machine) wait instead of emptying it
# under each other. Every other scenario gets a folder of its own and runs at once.
HOME = Path("/tmp/rollout-plan-screens")
STAMP = "2026-06-02T09:30:00+00:00"
SIZES = {"100x32": (100, 32), "80x24": (80, 24), "60x20": (60, 20)}

Action = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Scenario:
    name: str
    app: Callable[[], RolloutApp]
    before: Action | None = None
    sizes: tuple[str, ...] = ("100x32", "80x24")
    shows_home: bool = False  # the data folder's path is on screen: the fixed one


@contextmanager
def pinned(shows_home: bool = True) -> Iterator[None]:
    """Fixed ids, clock, time zone and data folder while a scenario runs."""
    home = HOME if shows_home else Path(tempfile.mkdtemp(prefix="rollout-plan-screens-"))
    # flock on the folder /tmp itself: a lock file there would be litter of its own.
    parent = os.open(HOME.parent, os.O_RDONLY)
    if shows_home:
        fcntl.flock(parent, fcntl.LOCK_EX)
    shutil.rmtree(home, ignore_errors=True)
    ids = (f"{n:08x}" for n in itertools.count(0xA1B2C301))
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(drafts.HOME_ENV, str(home))
            patch.setenv("TZ", "UTC")
            time.tzset()
            patch.setattr(drafts, "new_id", lambda: next(ids))
            patch.setattr(drafts, "now", lambda: STAMP)
            patch.setattr("tui.autosaver.clock", lambda: "09:30:00")
            # Review offers `P` only where glab is installed: the pictures show it absent.
            patch.setattr("tui.screens.review.glab", lambda: None)
            # A blinking cursor is caught on or off depending on timing: keep it on.
            for widget in (Input, TextArea):
                patch.setattr(widget.cursor_blink, "_default", False)
            yield
    finally:
        time.tzset()
        shutil.rmtree(home, ignore_errors=True)
        os.close(parent)  # and with it the lock


def example_plan(path: Path, title: str) -> Plan:
    plan, _notes = parse_description(path.read_text(encoding="utf-8"))
    plan.title.title = title
    return plan


def code_review_draft() -> drafts.Draft:
    return drafts.create(example_plan(CODE_REVIEW, "[claude-4-0-sonnet] Rollout Plan"))


def home_app() -> RolloutApp:
    code_review_draft()
    drafts.create(example_plan(DUO_WORKFLOW, ""))
    drafts.create()
    (drafts.drafts_dir() / "0badf11e.json").write_text('{"schema_version": 1, "plan": ', "utf-8")
    return RolloutApp()


def section_app(name: str) -> Callable[[], RolloutApp]:
    return lambda: RolloutApp(code_review_draft(), section=name)


def invalid_overview_app() -> RolloutApp:
    """A plan whose feature flag issue is a merge request (resumed: findings show)."""
    plan = Plan()
    plan.overview.ff_issue = "gitlab-org/gitlab!123"
    return RolloutApp(drafts.create(plan), section="overview")


async def to_ff_issue(pilot: Pilot[None]) -> None:
    # The first section settles before the jump: the next one is prefetched (a timer).
    screen = pilot.app.screen
    await until(pilot, lambda: len(screen.query("SectionForm")) >= 2, "the prefetch")
    screen.jump_to("overview.ff_issue")  # type: ignore[attr-defined]

    def there() -> bool:
        return getattr(pilot.app.focused, "path", None) == "overview.ff_issue"

    await until(pilot, there, "the jump")
    await pilot.wait_for_scheduled_animations()  # the scroll to the field
    await pilot.pause()


async def review(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+r")
    await pilot.pause()


async def review_markdown(pilot: Pilot[None]) -> None:
    await review(pilot)
    pilot.app.screen.query_one("TabbedContent").active = "raw"  # type: ignore[attr-defined]
    await pilot.pause()


async def copy_anyway(pilot: Pilot[None]) -> None:
    await review(pilot)
    await pilot.press("c")
    await pilot.pause()


LONG_TITLE = (
    "[claude-4-0-sonnet-20250514-with-extended-thinking] Rollout Plan for "
    "Code Review Summaries in merge requests"
)


def long_title_draft() -> drafts.Draft:
    return drafts.create(example_plan(CODE_REVIEW, LONG_TITLE))


def long_title_home_app() -> RolloutApp:
    long_title_draft()
    drafts.create()
    return RolloutApp()


def no_color_checklist_app() -> RolloutApp:
    """The checklist as a terminal without colour shows it (NO_COLOR, read by the app
    when it is made): each item's state must read from its text."""
    plan = example_plan(CODE_REVIEW, "[claude-4-0-sonnet] Rollout Plan")
    plan.checklist.unit_primitives = ItemState.DONE
    plan.checklist.models_yml = ItemState.OPEN
    plan.checklist.pin_prompt = ItemState.NOT_APPLICABLE
    os.environ["NO_COLOR"] = "1"
    try:
        return RolloutApp(drafts.create(plan), section="checklist")
    finally:
        del os.environ["NO_COLOR"]


def own_sections_app() -> RolloutApp:
    """Your sections with two of the engineer's own (one with several lines of text)
    and Timeline left out: the rows' layout and the side list's marks."""
    plan = example_plan(CODE_REVIEW, "[claude-4-0-sonnet] Rollout Plan")
    plan.document.custom = [
        CustomSection(
            title="Evaluation result",
            level="3",
            after="Evaluation",
            body="| Metric | Value |\n| --- | --- |\n| Langsmith score | 0.82 |",
        ),
        CustomSection(title="Follow-ups"),
    ]
    plan.document.left_out = ["Timeline"]
    return RolloutApp(drafts.create(plan), section="document")


def scenarios() -> list[Scenario]:
    found = [Scenario("home", home_app, shows_home=True)]
    for index, spec in enumerate(sections(), start=1):
        found.append(Scenario(f"section-{index:02d}-{spec.name}", section_app(spec.name)))
    found += [
        Scenario("section-with-errors", invalid_overview_app, to_ff_issue),
        Scenario("review", lambda: RolloutApp(code_review_draft()), review),
        Scenario("review-markdown", lambda: RolloutApp(code_review_draft()), review_markdown),
        Scenario("review-findings", lambda: RolloutApp(drafts.create()), review),
        Scenario("review-copy-anyway", lambda: RolloutApp(drafts.create()), copy_anyway),
        Scenario("too-small", section_app("overview"), sizes=("60x20",)),
        Scenario("checklist-no-color", no_color_checklist_app),
        Scenario("long-title-home", long_title_home_app, shows_home=True),
        Scenario(
            "long-title-evaluation",
            lambda: RolloutApp(long_title_draft(), section="evaluation"),
        ),
        Scenario("long-title-review", lambda: RolloutApp(long_title_draft()), review),
        Scenario("own-sections", own_sections_app),
    ]
    return found
