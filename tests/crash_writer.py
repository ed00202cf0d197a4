"""Kill a process that is saving a draft, at random instants, and look at what is left.

    python tests/crash_writer.py KILLS [FOLDER]

Forks a child that saves two different plans in turn, as fast as it can; kills it
with SIGKILL after a random delay; then loads the draft and its backup. Prints one
JSON line: {"kills": n, "torn": n, "seconds": s}. A torn draft is one that does not
load, or loads as neither plan. The drafts live in FOLDER (the test gives its
tmp_path), or else in a temporary folder removed at the end: a run leaves nothing.
"""

from __future__ import annotations

import json
import os
import random
import signal
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


def main(kills: int, folder: Path) -> int:
    # drafts reads the variable on each call: set here, it holds for the child too.
    os.environ[drafts.HOME_ENV] = str(folder)
    first, second = plans()
    draft = drafts.create(first)
    drafts.save(draft)
    torn = done = 0
    start = time.monotonic()
    while done < kills:
        pid = os.fork()
        if pid == 0:  # the child saves until it is killed
            while True:
                for plan in (first, second):
                    draft.plan = plan
                    drafts.save(draft)
        time.sleep(random.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        done += 1
        for path in (draft.path, drafts.backup_path(draft.path)):
            try:
                if drafts.load(path).plan not in (first, second):
                    torn += 1
            except DraftError:
                torn += 1
    seconds_taken = round(time.monotonic() - start, 1)
    print(json.dumps({"kills": done, "torn": torn, "seconds": seconds_taken}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        raise SystemExit(main(int(sys.argv[1]), Path(sys.argv[2])))
    with tempfile.TemporaryDirectory(prefix="rollout-plan-crash-") as home:
        raise SystemExit(main(int(sys.argv[1]), Path(home)))
