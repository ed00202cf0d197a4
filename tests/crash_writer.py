"""Kill a process that is saving a draft, at random instants, and look at what is left.

    python tests/crash_writer.py KILLS [FOLDER]

Forks a child that saves two different plans in turn, as fast as it can; kills it
with SIGKILL after a random delay; then loads the draft and its backup. Prints one
JSON line: {"kills": n, "torn": n, "mid_write": n, "seconds": s}. A torn draft is one
that does not load, or loads as neither plan; a kill is mid-write when the save it
ended left its temporary file behind.

The delays span a few save cycles as measured on this machine first: longer ones
only let the child save more times before the same kill, shorter ones would never
reach the later steps of a save. The drafts live in FOLDER (the test gives its
tmp_path), or else in a temporary folder removed at the end: a run leaves nothing.
"""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tui import drafts
from tui.errors import DraftError
from tui.plan import EvalRow, Plan


def plans() -> tuple[Plan, Plan]:
    first, second = Plan(), Plan()
    first.legal.notes = "first " * 20_000  # large enough that a write takes a while
    second.legal.notes = "second " * 15_000
    second.evaluation.rows = [EvalRow(model=f"m{i}", baseline=i == 0) for i in range(50)]
    return first, second


def cycle_seconds(draft: drafts.Draft, plans: tuple[Plan, Plan], cycles: int = 20) -> float:
    """Median seconds of one cycle of the child's loop: both plans saved."""
    times = []
    for _ in range(cycles):
        start = time.perf_counter()
        for plan in plans:
            draft.plan = plan
            drafts.save(draft)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def left_behind(folder: Path) -> list[Path]:
    """The temporary files of saves that never finished (see drafts.write_atomic)."""
    return list(folder.glob(".*.tmp"))


def main(kills: int, folder: Path) -> int:
    # drafts reads the variable on each call: set here, it holds for the child too.
    os.environ[drafts.HOME_ENV] = str(folder)
    first, second = plans()
    draft = drafts.create(first)
    drafts.save(draft)
    longest_delay = 3 * cycle_seconds(draft, (first, second))
    torn = done = mid_write = 0
    start = time.monotonic()
    while done < kills:
        pid = os.fork()
        if pid == 0:  # the child saves until it is killed
            while True:
                for plan in (first, second):
                    draft.plan = plan
                    drafts.save(draft)
        time.sleep(random.uniform(0, longest_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        done += 1
        if unfinished := left_behind(draft.path.parent):
            mid_write += 1
            for path in unfinished:  # so the next kill's are its own
                path.unlink()
        for path in (draft.path, drafts.backup_path(draft.path)):
            try:
                if drafts.load(path).plan not in (first, second):
                    torn += 1
            except DraftError:
                torn += 1
    seconds_taken = round(time.monotonic() - start, 1)
    report = {"kills": done, "torn": torn, "mid_write": mid_write, "seconds": seconds_taken}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        raise SystemExit(main(int(sys.argv[1]), Path(sys.argv[2])))
    with tempfile.TemporaryDirectory(prefix="rollout-plan-crash-") as home:
        raise SystemExit(main(int(sys.argv[1]), Path(home)))
