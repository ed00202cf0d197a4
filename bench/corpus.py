"""Inputs the benchmarks need: a drafts folder of any size, and 1 MiB descriptions.

Everything is written under a folder the caller owns (bench/run.py uses a
TemporaryDirectory), never in the user's data or in /tmp directly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui import __version__
from tui.plan import SCHEMA_VERSION, EvalRow, Observation, Plan, TimelineRow
from tui.render import render

MIB = 1024 * 1024


def sample_plan(index: int) -> Plan:
    """A plan as an engineer leaves it half-way: some findings, some rows."""
    plan = Plan()
    plan.title.title = f"[model-{index}] Rollout Plan" if index % 3 else ""
    plan.overview.ff_issue = f"https://gitlab.com/gitlab-org/gitlab/-/issues/{index}"
    plan.evaluation.rows = [
        EvalRow(model="claude-3-7-sonnet", metric="qa", score="0.8", p50="17.5s", baseline=True),
        EvalRow(model=f"model-{index}", metric="qa", score="0.82", p50="16s", p99="x"),
    ]
    plan.legal.notes = f"Reviewed by legal on draft {index}.\n\n" + "Some notes. " * 40
    plan.timeline.rows[0].date = "2025-07-01"
    return plan


def write_drafts(folder: Path, count: int) -> None:
    """`count` draft files in `folder`, as `drafts.create` would leave them (without
    its fsync per file: the benchmark reads them, it does not test saving)."""
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(count):
        draft_id = f"{index:08x}"
        stamp = (start + timedelta(minutes=index)).isoformat(timespec="seconds")
        data = {
            "schema_version": SCHEMA_VERSION,
            "written_by": f"rollout-plan {__version__}",
            "id": draft_id,
            "created": stamp,
            "updated": stamp,
            "plan": sample_plan(index).model_dump(mode="json"),
        }
        path = folder / f"{draft_id}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.chmod(path, 0o600)


# --- 1 MiB descriptions -----------------------------------------------------------------
#
# Each shape fills GitLab's 1 MiB limit in one way: what the tool writes (many rows,
# many items), and what hand-written descriptions hold (one huge line, deep nesting,
# a fence left open, inline syntax that never closes, many headings).


def _repeat_to(line: str, size: int) -> str:
    return line * max(1, size // len(line.encode("utf-8")))


def _rendered(fill: Callable[[Plan, int], None], size_bytes: int) -> str:
    """Render a plan whose content grows until the description is about `size_bytes`."""

    def size(count: int) -> int:
        plan = Plan()
        fill(plan, count)
        return len(render(plan).encode("utf-8"))

    # The description grows linearly with the content: two points give the count.
    small, large = size(100), size(200)
    plan = Plan()
    fill(plan, max(1, 100 + (size_bytes - small) * 100 // (large - small)))
    return render(plan)


def _eval_rows(plan: Plan, count: int) -> None:
    plan.evaluation.rows = [
        EvalRow(
            pipeline=f"https://gitlab.com/g/p/-/pipelines/{i}",
            model=f"model-{i}",
            metric="qa-accuracy",
            score="0.8",
            p50="17.5s",
            p99="44s",
            baseline=i == 0,
        )
        for i in range(count)
    ]


def _timeline_rows(plan: Plan, count: int) -> None:
    plan.timeline.rows = [
        TimelineRow(date="2025-07-01", audience=f"Audience {i} of the rollout", status="Planned")
        for i in range(count)
    ]


def _criteria(plan: Plan, count: int) -> None:
    plan.persevere.criteria = [f"Criterion {i}: latency stays within range" for i in range(count)]


def _observations(plan: Plan, count: int) -> None:
    plan.persevere.observations = [
        Observation(what=f"m{i}", start="May 1", end="May 2", ranges="p50: 1ms to 2ms")
        for i in range(count)
    ]


def _with_legal(text: str) -> str:
    """The blank description with `text` as its legal notes, as typed into GitLab."""
    blank = render(Plan())
    return blank.replace("_Add legal notes here_", text, 1)


# Each takes the size in bytes to fill: MIB for the figures, less for a quick check.
SHAPES: dict[str, Callable[[int], str]] = {
    "eval_rows": lambda size: _rendered(_eval_rows, size),
    "timeline_rows": lambda size: _rendered(_timeline_rows, size),
    "list_items": lambda size: _rendered(_criteria, size),
    "observations": lambda size: _rendered(_observations, size),
    "long_line": lambda size: _with_legal(_repeat_to("word ", size)),
    "paragraphs": lambda size: _with_legal(_repeat_to("A line of legal notes.\n\n", size)),
    "nesting": lambda size: _with_legal(_repeat_to("> " * 50 + "- " * 50 + "deep\n", size)),
    "nesting_refused": lambda size: _with_legal(_repeat_to("> " * 200 + "deep\n", size)),
    "open_fence": lambda size: _with_legal("```\n" + _repeat_to("| not | a | table |\n", size)),
    "inline_unclosed": lambda size: _with_legal(_repeat_to("`[*_<a href=", size)),
    "headings": lambda size: _with_legal(_repeat_to("## Legal Notes\n| a | b |\n", size)),
}
