"""Benchmarks for rollout-plan, as ratios against a bare baseline measured in the same run.

    python bench/run.py            # a table: figure, value, baseline, target, met?
    python bench/run.py --json     # the same, then one JSON object on the last line
    python bench/run.py --quick    # one run of each on small inputs: checks the benchmark
                                   # itself (tests/test_bench.py); its figures mean nothing

What is measured (docs/design.md §6), each against a baseline run in the same session:
- headless: `rollout-plan render --blank` ÷ `import pydantic.main, jinja2, platformdirs`;
- wizard start: process start to the first interactive frame of `rollout-plan new`
  (headless driver) ÷ the same for a bare Textual app with as many inputs that also
  imports `pydantic.main` (`bench/bare_app.py`); peak memory of the two, same runs;
- typing: time per key, each key handled and its frame drawn, with validation and
  autosave on, in every kind of field ÷ the same in the bare widget; the worst kind
  is the figure (`bench/keystrokes.py`); with it, the floor: the same keys in the
  same screen with the app deaf to them (Textual's own cost there);
- many drafts: the home screen's first frame with 1,000 drafts ÷ with one; `list`
  of 1,000 drafts (with its summary cache, and without);
- import: `parse_description` on 1 MiB descriptions of several shapes, the worst
  (`bench/corpus.py`, each shape in its own process);
- rendering and saving (through Session and the autosaver) a large plan.

Every file goes into one temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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

from bench.corpus import MIB, SHAPES, write_drafts  # noqa: E402
from tui import drafts  # noqa: E402
from tui.autosaver import Autosaver  # noqa: E402
from tui.plan import EvalRow, Plan, TimelineRow, TitleSection  # noqa: E402
from tui.render import render  # noqa: E402
from tui.session import Session  # noqa: E402

# Each figure and its docs/design.md §6 target (a ratio, or seconds or milliseconds).
TARGETS: dict[str, float] = {
    "headless_ratio": 1.3,
    "tui_start_ratio": 1.3,
    "typing_ratio": 1.2,
    "tui_peak_mib_ratio": 1.3,
    "home_1000_ratio": 1.5,
    "list_1000_s": 1.0,
    "import_1mib_s": 1.0,
    "render_large_ms": 20.0,
}
HEADLESS_DRIVER = "textual.drivers.headless_driver:HeadlessDriver"
BASELINE_IMPORTS = "import pydantic.main, jinja2, platformdirs"
# The floor under any pydantic program that has a model at all: defining the first
# model imports pydantic.fields (annotated_types) and the plugin loader
# (importlib.metadata, email), which `import pydantic.main` alone does not.
ONE_MODEL = (
    BASELINE_IMPORTS + "\nfrom pydantic import BaseModel\n"
    "class Model(BaseModel):\n    x: int = 0\nModel()"
)
MANY_DRAFTS = 1000
# --quick checks that every part of the benchmark runs and reports, on less input.
QUICK_KEYS = 8
QUICK_BYTES = MIB // 16


def large_plan() -> Plan:
    """50 evaluation rows, 100 criteria, 30 timeline rows (docs/design.md §6)."""
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
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(args)}\n{errors.decode()}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def start_figures(
    pairs: list[tuple[list[str], dict[str, str]]], runs: int
) -> list[tuple[float, float]]:
    """Median (start-up seconds, peak MiB) of each command, runs interleaved so a
    noisy moment on the shared machine hits every command alike."""
    for args, env in pairs:
        run_measured(args, env)  # warm-up: disk caches, compiled templates
    samples: list[list[tuple[float, float]]] = [[] for _ in pairs]
    for _ in range(runs):
        for index, (args, env) in enumerate(pairs):
            samples[index].append(run_measured(args, env))
    return [
        (statistics.median(s for s, _ in runs_of), statistics.median(m for _, m in runs_of))
        for runs_of in samples
    ]


def import_figures(env: dict[str, str], timeout: float, size: int) -> dict[str, float]:
    """Seconds `parse_description` takes on each shape filled to `size` bytes
    (`timeout` when it did not finish in time: the figure is then at least that)."""
    seconds = {}
    for shape in SHAPES:
        try:
            result = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "import_shape.py"), shape, str(size)],
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            seconds[shape] = timeout
            continue
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["?"])[-1]
            raise SystemExit(f"import of the {shape} shape failed: {last}")
        seconds[shape] = float(result.stdout.split()[0])
    return seconds


def save_seconds(home: Path, runs: int) -> tuple[float, float]:
    """(seconds of a whole save, seconds of its event-loop share) of a large plan,
    through what the wizard uses: a Session's snapshot, written by the Autosaver."""
    session = Session(drafts.create(large_plan()))
    saver = Autosaver(session, lambda outcome: None)
    snapshot_times: list[float] = []

    def save() -> None:
        session.changed()
        start = time.perf_counter()
        snapshot = session.snapshot()
        snapshot_times.append(time.perf_counter() - start)
        saver.submit(snapshot)
        saver.wait()

    whole = median_seconds(save, runs)
    saver.close()
    if session.dirty:
        raise SystemExit("the benchmark's saves did not land")
    return whole, statistics.median(snapshot_times)


def measure(home: Path, runs: int, quick: bool) -> dict[str, Any]:
    os.environ["ROLLOUT_PLAN_HOME"] = str(home / "wizard")
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    tui_env = {**env, "TEXTUAL_DRIVER": HEADLESS_DRIVER, "ROLLOUT_PLAN_EXIT_WHEN_READY": "1"}
    tui_runs = max(1, runs // 3)

    # Headless start-up, against the imports any such pydantic program makes.
    baseline = median_seconds(run_process([sys.executable, "-c", BASELINE_IMPORTS], env), runs)
    headless = median_seconds(
        run_process([sys.executable, "-m", "tui", "render", "--blank"], env), runs
    )
    one_model = median_seconds(run_process([sys.executable, "-c", ONE_MODEL], env), runs)

    # The wizard's first frame and peak memory, against a bare app with as many inputs
    # (the first screen is the Title section).
    inputs = len(TitleSection.model_fields)
    (wizard_start, wizard_mib), (bare_start, bare_mib) = start_figures(
        [
            ([sys.executable, "-m", "tui", "new"], tui_env),
            ([sys.executable, str(ROOT / "bench" / "bare_app.py"), str(inputs)], tui_env),
        ],
        tui_runs,
    )

    # The home screen and `list` with one draft and with 1,000.
    one, many = home / "one", home / "many"
    write_drafts(one / "drafts", 1)
    write_drafts(many / "drafts", MANY_DRAFTS)
    home_env = {k: v for k, v in tui_env.items() if k != "ROLLOUT_PLAN_HOME"}
    (home_one, _), (home_many, _) = start_figures(
        [
            ([sys.executable, "-m", "tui"], {**home_env, "ROLLOUT_PLAN_HOME": str(one)}),
            ([sys.executable, "-m", "tui"], {**home_env, "ROLLOUT_PLAN_HOME": str(many)}),
        ],
        tui_runs,
    )
    many_env = {**env, "ROLLOUT_PLAN_HOME": str(many)}
    list_args = [sys.executable, "-m", "tui", "list"]
    list_warm = median_seconds(run_process(list_args, many_env), tui_runs)

    def list_cold() -> None:
        shutil.rmtree(many / "cache", ignore_errors=True)
        run_process(list_args, many_env)()

    list_cold_s = median_seconds(list_cold, tui_runs, warmup=0)

    # Typing, in every kind of field.
    from bench.keystrokes import typing_figures

    if quick:
        typing = typing_figures(batches=1, rounds=1, keys=QUICK_KEYS)
    else:
        typing = typing_figures(batches=3, rounds=2)
    ratios = {name: wizard / bare for name, (wizard, bare, _) in typing.items()}
    floors = {name: floor / bare for name, (_, bare, floor) in typing.items()}
    worst = max(ratios, key=ratios.__getitem__)

    imports = import_figures(env, timeout=20 if quick else 60, size=QUICK_BYTES if quick else MIB)
    worst_shape = max(imports, key=imports.__getitem__)

    plan = large_plan()
    render_large = median_seconds(lambda: render(plan), runs * 4)
    save, save_snapshot = save_seconds(home, runs * 4)
    return {
        "headless_ratio": round(headless / baseline, 3),
        "headless_ms": round(headless * 1000, 1),
        "baseline_import_ms": round(baseline * 1000, 1),
        "headless_floor_ratio": round(one_model / baseline, 3),
        "one_model_ms": round(one_model * 1000, 1),
        "tui_start_ratio": round(wizard_start / bare_start, 3),
        "tui_start_ms": round(wizard_start * 1000, 1),
        "bare_start_ms": round(bare_start * 1000, 1),
        "typing_ratio": round(ratios[worst], 3),
        "typing_worst_field": worst,
        "typing_ms": round(typing[worst][0] * 1000, 3),
        "bare_typing_ms": round(typing[worst][1] * 1000, 3),
        "typing_ratios": {name: round(ratio, 3) for name, ratio in ratios.items()},
        # Textual's own cost of a key in the same screen, the app deaf to it: the floor.
        "typing_floor_ratio": round(floors[worst], 3),
        "typing_floor_ratios": {name: round(ratio, 3) for name, ratio in floors.items()},
        "tui_peak_mib_ratio": round(wizard_mib / bare_mib, 3),
        "tui_peak_mib": round(wizard_mib, 1),
        "bare_peak_mib": round(bare_mib, 1),
        "home_1000_ratio": round(home_many / home_one, 3),
        "home_1000_ms": round(home_many * 1000, 1),
        "home_1_ms": round(home_one * 1000, 1),
        "list_1000_s": round(list_warm, 3),
        "list_1000_cold_s": round(list_cold_s, 3),
        "import_1mib_s": round(imports[worst_shape], 3),
        "import_worst_shape": worst_shape,
        "import_shapes_s": {shape: round(s, 3) for shape, s in imports.items()},
        "render_large_ms": round(render_large * 1000, 2),
        "save_ms": round(save * 1000, 2),
        "save_snapshot_ms": round(save_snapshot * 1000, 2),
    }


# figure: (what it is compared with, in the results)
BASELINES = {
    "headless_ratio": ("headless_ms", "baseline_import_ms"),
    "tui_start_ratio": ("tui_start_ms", "bare_start_ms"),
    "typing_ratio": ("typing_ms", "bare_typing_ms"),
    "tui_peak_mib_ratio": ("tui_peak_mib", "bare_peak_mib"),
    "home_1000_ratio": ("home_1000_ms", "home_1_ms"),
}


def table(results: dict[str, Any]) -> str:
    lines = ["| figure | value | baseline | target | met? |", "| --- | --- | --- | --- | --- |"]
    for key, target in TARGETS.items():
        value = results[key]
        if key in BASELINES:
            ours, theirs = BASELINES[key]
            shown = f"{value} ({results[ours]})"
            baseline = str(results[theirs])
        else:
            shown, baseline = str(value), "—"
        if key == "typing_ratio":
            shown += f", {results['typing_worst_field']}"
        if key == "import_1mib_s":
            shown += f", {results['import_worst_shape']}"
        met = "yes" if value <= target else "no"
        limit = (
            f"< {target}"
            if key in ("list_1000_s", "import_1mib_s", "render_large_ms")
            else f"≤ {target}"
        )
        lines.append(f"| {key} | {shown} | {baseline} | {limit} | {met} |")
    floor = results["headless_floor_ratio"]
    lines.append(f"| headless_floor_ratio (one trivial model) | {floor} | — | — | — |")
    for key in ("list_1000_cold_s", "save_ms", "save_snapshot_ms"):
        lines.append(f"| {key} | {results[key]} | — | — | — |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON object")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per benchmark")
    parser.add_argument(
        "--quick", action="store_true", help="one run each, small inputs: checks the bench"
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="rollout-plan-bench-") as home:
        results = measure(Path(home), runs, args.quick)
    if args.quick:
        print("Quick run: inputs scaled down (imports of 64 KiB, 8 keys); not the figures.")
    print(table(results))
    for name, ratio in results["typing_ratios"].items():
        floor = results["typing_floor_ratios"][name]
        print(f"  typing {name}: {ratio} (Textual's floor in that screen: {floor})")
    for shape, seconds in results["import_shapes_s"].items():
        print(f"  import {shape}: {seconds} s")
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
