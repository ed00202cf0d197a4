"""The suite leaves nothing in /tmp: a pytest plugin that fails the run when it does.

At the start the run gets a private temporary folder (`rollout-plan-tests-*` in the
system's temporary folder): TMPDIR and TMUX_TMPDIR point there, so every mkdtemp,
pytest's own tmp_path (basetemp), subprocesses and tmux sockets land in it. At the end
  - anything left in it but pytest's folder and tmux's is litter: a mkdtemp or
    TemporaryDirectory nobody removed;
  - a new `rollout-plan*` entry in the system's temporary folder is litter too: a path
    written there by hand, past TMPDIR.
Either fails the run, naming the entries. Other new entries in /tmp are not judged:
on a shared machine other programs write there during a run. A test that must use a
fixed path in /tmp (tests/scenarios.py: the path shows on screen) holds an flock on
/tmp itself while the path exists; the guard takes that lock before it looks, so
another run's scenario in progress is not taken for this run's litter.

When the run passed, the private folder is removed (pytest's tmp_path folders with
it, so /tmp does not grow by pytest-of-USER either); when a test failed it is kept
for a look, its path printed, until the next run starts. A run holds a lock on its
folder, so the next run removes only folders of runs that ended. Under pytest-xdist
only the controller does this: workers inherit TMPDIR and get their basetemp from it.

tests/conftest.py calls start() and finish(); `pytest -p tests.tmp_guard` loads the
same hooks into another run (tests/test_guards.py does, to see the guard fail).
"""

from __future__ import annotations

import fcntl
import fnmatch
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PRIVATE_PREFIX = "rollout-plan-tests-"
# Ours to clean, in the private folder: pytest's basetemp root, tmux's socket folder.
OWN_ENTRIES = ("pytest-of-*", "tmux-*")
# What this project could write straight into /tmp; any run's private folder aside.
WATCHED = "rollout-plan*"


@dataclass
class Watch:
    system_tmp: Path
    before: set[str]
    private: Path
    lock: int  # a descriptor of `private`, flocked while the run lasts


WATCH = pytest.StashKey[Watch]()


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def start(config: pytest.Config) -> None:
    if is_worker(config):
        return
    system_tmp = Path(tempfile.gettempdir())
    for kept in system_tmp.glob(f"{PRIVATE_PREFIX}*"):
        if locked(kept) is not None:  # that run has ended
            shutil.rmtree(kept, ignore_errors=True)
    before = set(os.listdir(system_tmp))
    private = Path(tempfile.mkdtemp(prefix=PRIVATE_PREFIX))
    lock = locked(private)
    assert lock is not None
    os.environ["TMPDIR"] = str(private)
    os.environ["TMUX_TMPDIR"] = str(private)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again
    config.stash[WATCH] = Watch(system_tmp, before, private, lock)


def locked(folder: Path) -> int | None:
    """A descriptor holding `folder`'s lock; None while another run holds it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def litter(watch: Watch) -> list[Path]:
    left = [
        watch.private / name
        for name in os.listdir(watch.private)
        if not any(fnmatch.fnmatch(name, own) for own in OWN_ENTRIES)
    ]
    fd = os.open(watch.system_tmp, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        new = set(os.listdir(watch.system_tmp)) - watch.before
    finally:
        os.close(fd)
    written = [
        watch.system_tmp / name
        for name in new
        if fnmatch.fnmatch(name, WATCHED) and not name.startswith(PRIVATE_PREFIX)
    ]
    return sorted(left) + sorted(written)


def finish(session: pytest.Session) -> None:
    watch = session.config.stash.get(WATCH, None)
    if watch is None:
        return
    found = litter(watch)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")

    def say(line: str) -> None:
        if reporter is not None:
            reporter.write_line(line, red=True)

    if found:
        say("The suite left files in the temporary folder (use tmp_path, or remove them):")
        for path in found:
            say(f"  {path}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if session.exitstatus == pytest.ExitCode.TESTS_FAILED:
        say(f"Kept for a look, with the tests' tmp_path folders: {watch.private}")
    else:
        shutil.rmtree(watch.private, ignore_errors=True)
    os.close(watch.lock)


def pytest_configure(config: pytest.Config) -> None:
    start(config)


@pytest.hookimpl(trylast=True)  # after session fixtures are torn down
def pytest_sessionfinish(session: pytest.Session) -> None:
    finish(session)
