"""Shared fixtures: every test gets its own ROLLOUT_PLAN_HOME, never the user's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests import tmp_guard
from tui import gitlab
from tui.checks import Finding, Level, check
from tui.plan import Plan

if TYPE_CHECKING:
    from textual.pilot import Pilot

DATA = Path(__file__).parent / "data"
TEMPLATE = DATA / "ai-model-rollout-template.md"
CODE_REVIEW = DATA / "code-review-summary-filled.md"
DUO_WORKFLOW = DATA / "duo-workflow-early.md"
OLDER_VARIANT = DATA / "older-variant-filled.md"
# The template's two earlier versions engineers filled in (shared/reference).
OLDER_TEMPLATE = DATA / "template-older-model-rollout.md"
PREDECESSOR_TEMPLATE = DATA / "template-code-suggestions-predecessor.md"
EXAMPLES = [CODE_REVIEW, DUO_WORKFLOW]

# Every kind of broken draft file, with what the user is told about it.
BROKEN_FILES = [
    (b"", "the file is empty"),
    (b"{not json", "not valid JSON"),
    (b'{"schema_version": 2, "plan": {"title": {"ti', "not valid JSON"),
    (b"\xff\xfe\x00binary", "not text"),
    (b'{"plan": {}}', "no schema_version"),
    (b"[1, 2]", "not a rollout-plan draft"),
    (b'{"schema_version": 99, "plan": {}}', "upgrade rollout-plan to open it"),
    (b'{"schema_version": 2, "plan": {"overview": {"ff_issue": 5}}}', "overview.ff_issue"),
]
BROKEN_IDS = [
    "empty",
    "not-json",
    "truncated",
    "binary",
    "no-version",
    "wrong-shape",
    "newer",
    "wrong-type",
]


# The longest tests start first: under pytest-xdist a worker that drew one of them near
# the end would run on alone for a minute while the other has finished.
LONG_FIRST = (
    "tests/test_wizard_model.py",
    "tests/test_bench.py",
    "tests/test_crash_safety.py",
    "tests/test_properties.py",
    "tests/test_documents.py",
)


def pytest_configure(config: pytest.Config) -> None:
    tmp_guard.start(config)
    if config.getoption("--snapshot-update", False) and config.getoption("numprocesses", 0):
        # Updating writes and prunes whole snapshot files: one process must see every
        # snapshot test, so the run goes without workers (before xdist starts them).
        config.option.numprocesses = 0
        config.option.dist = "no"
        config.option.tx = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))  # a stable sort


@pytest.hookimpl(trylast=True)  # after session fixtures are torn down
def pytest_sessionfinish(session: pytest.Session) -> None:
    # Fails the run when it left anything in /tmp (see tests/tmp_guard.py).
    tmp_guard.finish(session)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "home"
    monkeypatch.setenv("ROLLOUT_PLAN_HOME", str(root))
    # Never the user's keymap.toml: the default keys, unless a test writes one here.
    monkeypatch.setenv("ROLLOUT_PLAN_CONFIG", str(tmp_path / "config"))
    yield root


# Counts of findings come from the checks, never copied from today's rules: a new rule
# must not break a test about how counts are shown.
def errors_in(plan: Plan) -> list[Finding]:
    return [finding for finding in check(plan) if finding.level is Level.ERROR]


def finding_counts(plan: Plan) -> tuple[int, int]:
    """How many errors and warnings the checks find in `plan`."""
    levels = [finding.level for finding in check(plan)]
    return levels.count(Level.ERROR), levels.count(Level.WARNING)


def errors_remain(plan: Plan) -> str:
    """How a refusal counts the plan's errors: `1 error remains`, `2 errors remain`."""
    count = len(errors_in(plan))
    return f"{count} error remains" if count == 1 else f"{count} errors remain"


async def until(
    pilot: Pilot[Any],
    holds: Callable[[], bool],
    what: str,
    seen: Callable[[], object] | None = None,
    cap: float = 30,
) -> None:
    """Let the app run until `holds()` is true: a timer fired and its work landed (an
    autosave, a toast, a prefetched form). Waiting on the outcome, not on a guess of
    how long it takes; `cap` only ends a wait that would never end, saying what was
    `seen` instead."""
    deadline = time.monotonic() + cap
    while not holds():
        if time.monotonic() > deadline:
            instead = f"; instead: {seen()!r}" if seen else ""
            raise AssertionError(f"{what}: still not so after {cap:g} s{instead}")
        await pilot.pause(0.02)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`rollout-plan ARGS` in a fresh interpreter, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )


def comrak_doc(markdown: str) -> Any:
    """The description as GitLab parses it: comrak with GitLab's own options."""
    return gitlab.parse(gitlab.normalise(markdown))


kind = gitlab.kind
walk = gitlab.walk
text_of = gitlab.text_of


def headings(markdown: str) -> list[tuple[int, str]]:
    return [
        (node.node_value.value.level, text_of(node).strip())
        for node in walk(comrak_doc(markdown))
        if kind(node) == "Heading"
    ]


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    return [
        [[text_of(cell).strip() for cell in row.children] for row in table.children]
        for table in walk(comrak_doc(markdown))
        if kind(table) == "Table"
    ]


def table_source_rows(markdown: str) -> dict[str, list[str]]:
    """The source lines of each table's rows, keyed by its first header cell."""
    lines = markdown.split("\n")
    found: dict[str, list[str]] = {}
    for table in walk(comrak_doc(markdown)):
        if kind(table) == "Table":
            first = text_of(table.children[0].children[0]).strip()
            rows = [lines[row.sourcepos.start.line - 1] for row in table.children]
            found.setdefault(first, rows)
    return found


def block_comments(markdown: str) -> list[str]:
    """HTML comments standing as blocks: each hides everything up to its `-->`.

    (A comment inside a sentence hides at most the rest of its own paragraph.)
    """
    return [
        str(node.node_value.value.literal).strip()
        for node in walk(comrak_doc(markdown))
        if kind(node) == "HtmlBlock"
        and str(node.node_value.value.literal).lstrip().startswith("<!--")
    ]


@pytest.fixture
def board(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system clipboard, as pyperclip sees it: what was copied, last one last."""
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    monkeypatch.setattr(pyperclip, "paste", lambda: copied[-1] if copied else "")
    return copied
