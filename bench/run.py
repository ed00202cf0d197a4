"""Benchmarks for rollout-plan, as ratios against a bare baseline measured in the same run.

    python bench/run.py          # a table
    python bench/run.py --json   # the same, one JSON object on the last line

What is measured (DESIGN §6), each against a baseline run in the same session:
- headless: `rollout-plan render --blank` ÷ importing pydantic, jinja2, platformdirs;
- wizard start: process start to the first interactive frame of `rollout-plan new`
  (headless driver) ÷ the same for a bare Textual app with as many inputs
  (`bench/bare_app.py`); peak memory of the two, from the same runs;
- typing: the app's time to take 200 keystrokes into a field, with validation and
  autosave on ÷ the same into a bare `Input`;
- rendering and saving a large plan, in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui import drafts  # noqa: E402
from tui.plan import EvalRow, Plan, TimelineRow, TitleSection  # noqa: E402
from tui.render import render  # noqa: E402

TARGETS = {
    "headless_ratio": 1.3,
    "tui_start_ratio": 1.3,
    "typing_ratio": 1.2,
    "tui_peak_mib_ratio": 1.3,
    "render_large_ms": 20.0,
}
HEADLESS_DRIVER = "textual.drivers.headless_driver:HeadlessDriver"
KEYSTROKES = 200


def large_plan() -> Plan:
    """50 evaluation rows, 100 criteria, 30 timeline rows (DESIGN §6)."""
    plan = Plan()
    plan.overview.ff_issue = "https://gitlab.com/gitlab-org/gitlab/-/issues/1"
    plan.evaluation.rows = [
        EvalRow(
            pipeline=f"https://gitlab.com/g/p/-/pipelines/{i}",
            model=f"model-{i}",
            metric="qa-accuracy",
            score=f"0.{i:02d}",
            p50=f"{10 + i / 10}s",
            p99=f"{30 + i}s",
            baseline=i == 0,
        )
        for i in range(50)
    ]
    plan.persevere.criteria = [f"Criterion {i} with | a pipe and `code`" for i in range(50)]
    plan.pivot.criteria = [f"Pivot when {i}% of requests fail" for i in range(50)]
    plan.timeline.rows = [
        TimelineRow(date=f"2025-07-{1 + i % 28:02d}", audience=f"Audience {i}", status="Planned")
        for i in range(30)
    ]
    return plan


def median_seconds(action: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run_process(args: list[str], env: dict[str, str]) -> Callable[[], object]:
    def action() -> object:
        return subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)

    return action


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def start_figures(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median start-up seconds and median peak MiB over `runs` (after a warm-up)."""
    run_measured(args, env)
    samples = [run_measured(args, env) for _ in range(runs)]
    return (
        statistics.median(s for s, _ in samples),
        statistics.median(m for _, m in samples),
    )


async def keystroke_batches(app: Any, field: str, batches: int) -> list[float]:
    """Seconds the app takes to process KEYSTROKES key presses into `field`, per batch.

    The keys are queued at once and timed until the field holds them all: the
    app's processing time, without a test driver's pauses between keys.
    """
    from textual import events

    samples = []
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        target = app.screen.query_one(field)
        target.focus()
        await pilot.pause()
        for _ in range(batches + 1):  # the first batch warms up
            target.value = ""
            await pilot.pause()
            start = time.perf_counter()
            for index in range(KEYSTROKES):
                char = "abcdefghij"[index % 10]
                app.post_message(events.Key(char, char))
            while len(target.value) < KEYSTROKES:
                await asyncio.sleep(0)
            samples.append(time.perf_counter() - start)
            await pilot.pause()
    return samples[1:]


def typing_figures(runs: int) -> tuple[float, float]:
    """Median seconds per KEYSTROKES keys: the wizard's field, a bare Input."""
    from bench.bare_app import BareApp
    from tui.app import RolloutApp

    wizard: list[float] = []
    bare: list[float] = []
    for _ in range(2):  # interleaved, so a noisy moment hits both
        app = RolloutApp(drafts.create(), section="feedback")
        wizard += asyncio.run(keystroke_batches(app, "#f-feedback--issue", runs))
        bare += asyncio.run(keystroke_batches(BareApp(1), "#input-0", runs))
    return statistics.median(wizard), statistics.median(bare)


def measure(runs: int) -> dict[str, float]:
    home = tempfile.mkdtemp(prefix="rollout-plan-bench-")
    env = {**os.environ, "ROLLOUT_PLAN_HOME": home}
    baseline = median_seconds(
        run_process([sys.executable, "-c", "import pydantic, jinja2, platformdirs"], env), runs
    )
    headless = median_seconds(
        run_process([sys.executable, "-m", "tui", "render", "--blank"], env), runs
    )
    tui_env = {**env, "TEXTUAL_DRIVER": HEADLESS_DRIVER, "ROLLOUT_PLAN_EXIT_WHEN_READY": "1"}
    # The first screen is the Title section: a bare app with as many inputs.
    inputs = len(TitleSection.model_fields)
    tui_runs = max(2, runs // 3)
    wizard_start, wizard_mib = start_figures(
        [sys.executable, "-m", "tui", "new"], tui_env, tui_runs
    )
    bare_start, bare_mib = start_figures(
        [sys.executable, str(ROOT / "bench" / "bare_app.py"), str(inputs)], tui_env, tui_runs
    )
    os.environ["ROLLOUT_PLAN_HOME"] = home
    typing, typing_bare = typing_figures(tui_runs)
    plan = large_plan()
    render_large = median_seconds(lambda: render(plan), runs * 4)
    os.environ["ROLLOUT_PLAN_HOME"] = home
    draft = drafts.create(plan)
    save = median_seconds(lambda: drafts.save(draft), runs * 4)
    return {
        "headless_ratio": round(headless / baseline, 3),
        "headless_ms": round(headless * 1000, 1),
        "baseline_import_ms": round(baseline * 1000, 1),
        "tui_start_ratio": round(wizard_start / bare_start, 3),
        "tui_start_ms": round(wizard_start * 1000, 1),
        "bare_start_ms": round(bare_start * 1000, 1),
        "typing_ratio": round(typing / typing_bare, 3),
        "typing_ms": round(typing * 1000, 1),
        "bare_typing_ms": round(typing_bare * 1000, 1),
        "tui_peak_mib_ratio": round(wizard_mib / bare_mib, 3),
        "tui_peak_mib": round(wizard_mib, 1),
        "bare_peak_mib": round(bare_mib, 1),
        "render_large_ms": round(render_large * 1000, 2),
        "save_ms": round(save * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON object")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per benchmark")
    args = parser.parse_args()
    results = measure(args.runs)
    for key, value in results.items():
        target = TARGETS.get(key)
        verdict = "" if target is None else ("  ok" if value <= target else f"  over {target}")
        print(f"{key:<20} {value:>10}{verdict}")
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
