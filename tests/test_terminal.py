"""The wizard in a real terminal: tmux runs `rollout-plan`, keys go in, the pane
is read back. `.ci/run` installs tmux; without it these tests fail in CI."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CODE_REVIEW, run_cli


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing: .ci/run installs it")
        pytest.skip("tmux is not installed")
    session = Tmux(tmp_path)
    yield session
    session.stop()


ANSI = re.compile(r"\x1b\[[0-9;:]*m")  # colours in `capture-pane -e`


class Tmux:
    """One private tmux server (its own socket and an empty config)."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"rollout-plan-test-{uuid.uuid4().hex[:8]}"
        self.config = folder / "tmux.conf"
        self.config.write_text("set -s set-clipboard on\nset -s escape-time 0\n")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=30,
        )

    def start(self, *command: str, width: int = 100, height: int = 32, **extra: str) -> None:
        env = {
            "ROLLOUT_PLAN_HOME": os.environ["ROLLOUT_PLAN_HOME"],
            "ROLLOUT_PLAN_CONFIG": os.environ["ROLLOUT_PLAN_CONFIG"],
            "TERM": "xterm-256color",
            **extra,
        }
        assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        line = f"exec env {assignments} {shlex.quote(sys.executable)} -m tui " + " ".join(
            shlex.quote(part) for part in command
        )
        result = self.run(
            "new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), line
        )
        assert result.returncode == 0, result.stderr

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "main").stdout

    def wait_for(self, *texts: str, timeout: float = 20) -> str:
        """The pane once it shows every one of `texts` (a frame may be half drawn)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never showed; the pane reads:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        assert self.run("send-keys", "-t", "main", *keys).returncode == 0

    def type(self, text: str) -> None:
        assert self.run("send-keys", "-t", "main", "-l", text).returncode == 0

    def move(self, key: str, to: str, timeout: float = 20) -> None:
        """Send a key that moves the focus to the field labelled `to`, and wait until
        that field's line is drawn focused.

        Textual routes a key to the widget in focus when the key is read, so text
        sent before a tab has been handled would still go to the field it leaves;
        a person typing is never that fast. The line is found by its label each
        time: the form may scroll meanwhile (it shows the field that had focus)."""

        def line() -> str:  # with its colours; the last with the label: rows come last
            pane = self.run("capture-pane", "-e", "-p", "-t", "main").stdout.splitlines()
            labelled = [ln for ln in pane if f" {to}" in ANSI.sub("", ln)]
            return labelled[-1] if labelled else ""

        before = line()
        assert before, f"no field labelled {to}:\n{self.screen()}"
        self.keys(key)
        deadline = time.monotonic() + timeout
        while line() == before:
            assert time.monotonic() < deadline, f"{key} did not reach {to}:\n{self.screen()}"
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.run("has-session", "-t", "main").returncode == 0

    def wait_gone(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.alive():
            assert time.monotonic() < deadline, f"still running:\n{self.screen()}"
            time.sleep(0.1)

    def stop(self) -> None:
        self.run("kill-server")


def only_draft() -> dict[str, str]:
    listing = run_cli("list", "--json")
    import json

    found = json.loads(listing.stdout)["drafts"]
    assert len(found) == 1, listing.stdout
    return found[0]


def test_new_in_a_real_terminal_then_quit_and_list(tmux: Tmux) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    tmux.type("[e2e-model] Rollout Plan")
    tmux.keys("C-PageDown")
    sections = ("Title", "Overview", "Checklist", "Labels & confidentiality", "Review")
    tmux.wait_for("Links reviewers need", *sections)
    tmux.keys("C-q")
    tmux.wait_gone()
    draft = only_draft()
    assert draft["title"] == "[e2e-model] Rollout Plan"


def test_a_closed_terminal_keeps_what_was_typed(tmux: Tmux) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    tmux.type("typed just before the window closed")
    tmux.wait_for("typed just before the window closed")
    pid = int(tmux.run("display", "-p", "-t", "main", "#{pane_pid}").stdout)
    tmux.run("kill-session", "-t", "main")  # SIGHUP, before the autosave pause ends
    deadline = time.monotonic() + 15
    while only_draft()["title"] != "typed just before the window closed":
        assert time.monotonic() < deadline, "the typed title was not saved on SIGHUP"
        time.sleep(0.2)
    # And the process ends: its terminal is gone (it was once left running, spinning).
    while _running(pid):
        assert time.monotonic() < deadline, "still running after the hang-up"
        time.sleep(0.2)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    # A zombie has ended; only its parent has not looked yet.
    return not (state.exists() and state.read_text().split(") ", 1)[1].startswith("Z"))


def test_copy_inside_tmux_reaches_its_buffer(tmux: Tmux) -> None:
    imported = run_cli("import", str(CODE_REVIEW), "--title", "[claude-4-0-sonnet] Rollout Plan")
    draft_id = imported.stdout.strip()
    expected = run_cli("render", draft_id).stdout
    tmux.start("open", draft_id)
    tmux.wait_for("Issue title")
    tmux.keys("C-r")
    tmux.wait_for("Copy description")
    tmux.keys("c")
    tmux.wait_for("Sent the description" if not _has_clipboard() else "Copied the description")
    buffer = tmux.run("show-buffer")
    assert buffer.returncode == 0, "tmux received no OSC 52 copy"
    assert buffer.stdout == expected
    tmux.keys("C-q")
    tmux.wait_gone()


def _has_clipboard() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def test_a_second_window_on_the_same_draft_is_offered_read_only(tmux: Tmux) -> None:
    draft_id = run_cli("new").stdout.strip()
    tmux.start("open", draft_id)
    tmux.wait_for("Issue title")
    tmux.type("first window")
    second = Tmux(Path(tmux.config.parent))
    try:
        second.start("open", draft_id)
        second.wait_for("Open it read-only, or take it over?", "Read-only", "Take over")
        second.keys("Enter")  # read-only is the first answer
        second.wait_for("read-only")
        second.keys("C-q")
        second.wait_gone()
    finally:
        second.stop()
    tmux.keys("C-q")
    tmux.wait_gone()
    assert only_draft()["title"] == "first window"


def test_bare_command_with_no_drafts_starts_a_new_one(tmux: Tmux) -> None:
    tmux.start()
    tmux.wait_for("Issue title", "Overview")
    tmux.type("first plan")
    tmux.wait_for("first plan")
    tmux.keys("C-q")
    tmux.wait_gone()
    assert only_draft()["title"] == "first plan"


def exported_plan(draft_id: str) -> dict:
    import json

    exported = run_cli("export", draft_id)
    assert exported.returncode == 0, exported.stderr
    return json.loads(exported.stdout)["plan"]


def test_ctrl_n_in_empty_dashboards_then_typing_fills_the_first_row(tmux: Tmux) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    for _ in range(5):  # title, overview, checklist, evaluation, success criteria
        tmux.keys("C-PageDown")
    tmux.wait_for("+ Add row", "Acceptance rate and latency dashboards")
    tmux.keys("C-n")  # "+ Add row" has the focus: no tab needed
    tmux.type("Latency p50")
    tmux.wait_for("Latency p50")
    tmux.move("Tab", to="URL")
    tmux.type("https://dashboards.gitlab.net/d/abc")
    tmux.wait_for("gitlab.net/d/abc")  # the field scrolls to its end
    tmux.keys("C-q")
    tmux.wait_gone()
    links = exported_plan(only_draft()["id"])["dashboards"]["links"]
    assert links == [{"label": "Latency p50", "url": "https://dashboards.gitlab.net/d/abc"}]


def test_ctrl_n_from_a_rows_last_field_types_into_the_next_rows_first(tmux: Tmux) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    for _ in range(3):  # title, overview, checklist
        tmux.keys("C-PageDown")
    tmux.wait_for("Langsmith experiment", "+ Add row")
    tmux.move("Tab", to="+ Add row")
    tmux.keys("Enter")
    tmux.wait_for("Row 1")
    for value, next_fields in (
        ("https://ci/1", ["Model"]),
        ("claude-3-7-sonnet", ["Quality metric", "Score"]),
        ("3.41", ["P50 latency"]),
        ("9.8s", ["P99 latency"]),
        ("20s", ["Baseline"]),
    ):
        tmux.type(value)
        tmux.wait_for(value)
        for name in next_fields:
            tmux.move("Tab", to=name)
    tmux.move("Space", to="Baseline")  # the row's last field, ticked
    tmux.keys("C-n")
    tmux.type("https://ci/2")
    tmux.wait_for("Row 2", "https://ci/2")
    tmux.keys("C-q")
    tmux.wait_gone()
    rows = exported_plan(only_draft()["id"])["evaluation"]["rows"]
    assert [(r["pipeline"], r["model"], r["baseline"]) for r in rows] == [
        ("https://ci/1", "claude-3-7-sonnet", True),
        ("https://ci/2", "", False),
    ]


# The bytes each section key arrives as, from the terminals people use: xterm's
# function keys (GNOME Terminal, Konsole, Windows Terminal, macOS Terminal and iTerm2
# with fn on a laptop), alt as an ESC prefix (the Linux terminals, Windows Terminal,
# macOS Terminal with "Use Option as Meta", iTerm2 with Option as Esc+), and
# ctrl+pagedown/up where no tab bar takes them.
SECTION_KEYS = [
    ("f8/f7", "1b5b31397e", "1b5b31387e"),
    ("alt+n/alt+p", "1b6e", "1b70"),
    ("ctrl+pagedown/up", "1b5b363b357e", "1b5b353b357e"),
]


@pytest.mark.parametrize(
    ("name", "forward", "back"), SECTION_KEYS, ids=[k[0] for k in SECTION_KEYS]
)
def test_section_keys_arrive_as_the_terminals_send_them(
    tmux: Tmux, name: str, forward: str, back: str
) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    tmux.keys("-H", *(forward[i : i + 2] for i in range(0, len(forward), 2)))
    tmux.wait_for("Links about the model")
    tmux.keys("-H", *(back[i : i + 2] for i in range(0, len(back), 2)))
    tmux.wait_for("Issue title")
    # And as tmux itself names the keys (what it sends for a key pressed in it).
    tmux.keys({"f8/f7": "F8", "alt+n/alt+p": "M-n", "ctrl+pagedown/up": "C-PageDown"}[name])
    tmux.wait_for("Links about the model")
    tmux.keys("C-q")
    tmux.wait_gone()


def test_resume_reopens_on_legal_notes_with_the_text_and_the_focus(tmux: Tmux) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    for _ in range(6):  # title, overview, checklist, evaluation, success, dashboards
        tmux.keys("F8")
    tmux.wait_for("Add legal notes here.")
    tmux.type("Reviewed by legal")
    tmux.wait_for("Reviewed by legal")
    tmux.keys("C-q")
    tmux.wait_gone()
    tmux.start("resume")
    tmux.wait_for("Add legal notes here.", "Reviewed by legal")
    tmux.type(" on Monday")  # goes where the focus is: the end of the notes
    tmux.wait_for("Reviewed by legal on Monday")
    tmux.keys("C-q")
    tmux.wait_gone()
    assert exported_plan(only_draft()["id"])["legal"]["notes"] == "Reviewed by legal on Monday"


def test_without_colour_the_checklist_reads_from_its_text(tmux: Tmux) -> None:
    tmux.start("new", NO_COLOR="1")
    tmux.wait_for("Issue title")
    tmux.keys("F8", "F8")
    screen = tmux.wait_for("[ ] open")
    assert screen.count("[ ] open") >= 3
    tmux.keys("x")
    tmux.wait_for("[x] done")
    tmux.keys("C-q")
    tmux.wait_gone()


def test_a_group_screen_footer_keeps_next_back_and_review_at_100_columns(tmux: Tmux) -> None:
    tmux.start("new")
    tmux.wait_for("Issue title")
    for _ in range(3):  # to Evaluation, a group screen
        tmux.keys("F8")
    tmux.wait_for("+ Add row")
    tmux.move("Tab", to="+ Add row")
    tmux.keys("Enter")
    footer = tmux.wait_for("Row 1").rstrip("\n").splitlines()[-1]
    for key in ("f8 Next", "f7 Back", "^r Review"):
        assert key in footer, footer
    tmux.keys("C-q")
    tmux.wait_gone()
