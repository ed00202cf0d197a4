"""Benchmarks for rollout-plan, as ratios against a bare baseline measured in the same run.

    python bench/run.py          # a table
    python bench/run.py --json   # the same, one JSON object on the last line

Measured now (DESIGN §6): the headless command's start-up against importing its
libraries alone, rendering a large plan, and saving it atomically. The wizard's
figures (start-up, typing, memory) join when the wizard exists.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui import drafts  # noqa: E402
from tui.plan import EvalRow, Plan, TimelineRow  # noqa: E402
from tui.render import render  # noqa: E402

TARGETS = {"headless_ratio": 1.3, "render_large_ms": 20.0}


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


def measure(runs: int) -> dict[str, float]:
    home = tempfile.mkdtemp(prefix="rollout-plan-bench-")
    env = {**os.environ, "ROLLOUT_PLAN_HOME": home}
    baseline = median_seconds(
        run_process([sys.executable, "-c", "import pydantic, jinja2, platformdirs"], env), runs
    )
    headless = median_seconds(
        run_process([sys.executable, "-m", "tui", "render", "--blank"], env), runs
    )
    plan = large_plan()
    render_large = median_seconds(lambda: render(plan), runs * 4)
    os.environ["ROLLOUT_PLAN_HOME"] = home
    draft = drafts.create(plan)
    save = median_seconds(lambda: drafts.save(draft), runs * 4)
    return {
        "headless_ratio": round(headless / baseline, 3),
        "headless_ms": round(headless * 1000, 1),
        "baseline_import_ms": round(baseline * 1000, 1),
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
