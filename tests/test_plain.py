"""The plain mode (`--plain`, TERM=dumb, ROLLOUT_PLAN_PLAIN=1), driven as a user would:
answers through a pipe and through a pseudo-terminal, the draft checked on disk."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import errors_in, errors_remain, run_cli
from tui import drafts
from tui.plan import ItemState, Plan, TitleSection, sections
from tui.render import render
from tui.session import Session

SECTIONS = len(sections())  # the wizard's sections, in the plan's order
FF_ISSUE = "https://gitlab.com/gitlab-org/gitlab/-/issues/547713"
MERGE_REQUEST = "https://gitlab.com/gitlab-org/gitlab/-/merge_requests/190000"
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="pseudo-terminals are POSIX")


def plain(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, stdin=stdin)


def only_draft() -> drafts.Draft:
    found, broken = drafts.scan()
    assert not broken
    [draft] = found
    return draft


def saved_plan(draft_id: str) -> dict:
    return json.loads(drafts.draft_path(draft_id).read_text(encoding="utf-8"))["plan"]


# --- Done when -------------------------------------------------------------------------


def test_quit_at_once_prints_the_title_prompt_and_saves_a_draft_list_shows() -> None:
    result = plain("new", "--plain", "--title", "Plain", stdin=":quit\n")
    assert result.returncode == 0, result.stderr
    assert f"Section 1 of {len(sections())}: Title" in result.stdout
    assert "Title: Issue title, required" in result.stdout
    assert "Current value: Plain" in result.stdout
    assert "\x1b" not in result.stdout + result.stderr
    draft = only_draft()
    assert f"Draft {draft.id} is saved." in result.stdout
    listed = run_cli("list")
    assert draft.id in listed.stdout and "Plain" in listed.stdout


async def test_a_merge_request_as_ff_issue_gets_the_wizards_message_word_for_word() -> None:
    from tui.app import RolloutApp
    from tui.widgets.fields import FieldMessage, dom_id

    result = plain("new", "--plain", stdin=f":goto overview.ff_issue\n{MERGE_REQUEST}\n:quit\n")
    assert result.returncode == 0, result.stderr
    after = result.stdout.split("Overview: Feature Flag Rollout Issue, required", 1)[1]
    said = [line for line in after.splitlines() if line.startswith("error: ")]
    assert said, after

    draft = drafts.create()
    app = RolloutApp(draft, section="overview")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.screen.query_one(f"#{dom_id('overview.ff_issue')}").focus()
        await pilot.press(*MERGE_REQUEST, "tab")
        await pilot.pause()
        [message] = [m for m in app.screen.query(FieldMessage) if m.path == "overview.ff_issue"]
        shown = str(message.render())
    assert shown.startswith("✗ that is a merge request")
    assert said[0].removeprefix("error: ") == shown.removeprefix("✗ ")


# --- a whole plan from a script ----------------------------------------------------------

# Every prompt of a new plan in the wizard's order, one answer (or command) a line.
WHOLE_PLAN = [
    # Title
    "[claude-4-0-sonnet] Rollout Plan",
    # Overview: summary and model links take several lines, up to a lone dot.
    "Sonnet 4 for code review summaries.",
    "It writes shorter summaries.",
    ".",
    "https://docs.anthropic.com/en/docs/about-claude/models",
    ".",
    "gitlab-org&17541",
    FF_ISSUE,
    "https://gitlab.com/gitlab-org/gitlab/-/issues/547700#note_1",
    "",  # More rows: none
    "",  # More: kept empty
    # Checklist
    "done",
    "n/a",
    "",
    "x",
    "open",
    "",  # More: kept empty
    # Evaluation: the group starts empty; :add makes a row.
    "https://smith.langchain.com/o/1/datasets/2/compare",
    ":add",
    "https://gitlab.com/gitlab-org/prompt-library/-/pipelines/1",
    "claude-3-7-sonnet",
    "review-summary-correctness",
    "3.41",
    "9.8s",
    "20s",
    "yes",
    ":add",
    "https://gitlab.com/gitlab-org/prompt-library/-/pipelines/2",
    "claude-4-0-sonnet",
    "review-summary-correctness",
    "3.62",
    "12.3s",
    "18s",
    "",
    "",
    "",  # More: kept empty
    # Success criteria
    "",
    "no",
    ":add",
    "Acceptance rate stays above 30%.",
    "",
    "",  # More: kept empty
    # Dashboards
    ":add",
    "Latency",
    "https://dashboards.gitlab.net/d/ai-gateway",
    "",
    "",  # More: kept empty
    # Legal notes
    "Reviewed by legal.",
    "..",
    "Second line.",
    ".",
    # Known issues
    ":add",
    "Slow first token",
    "gitlab-org/gitlab#2",
    "",
    "",  # More: kept empty
    # Timeline: description kept empty, three rows answered, the fourth skipped.
    "",
    "2025-06-01",
    "",
    "planned",
    "2025-06-15",
    "",
    "In progress",
    "TBD",
    "",
    "",
    ":done",
    "",  # More: kept empty
    # Feedback
    "gitlab-org/gitlab#3",
    # Persevere: keep, change, remove the criteria; then the observed figures.
    "",
    "Keep acceptance above 30%",
    ":remove",
    "",
    # Observed latency: what it is kept, its window, its ranges (several lines).
    "",
    "2025-06-01",
    "2025-06-15",
    "p50: 800 ms to 1200 ms",
    "p95: X ms to Y ms",
    ".",
    # Observed rate: a new name, no window, one range.
    "error rate",
    "",
    "",
    "Error rate: 0.5% to 0.9%",
    ".",
    "",  # no more observations
    "",  # More: kept empty
    # Pivot
    ":done",
    "",  # More: kept empty
    # Mitigation
    "",
    "claude_sonnet_4_rollout",
    # Documentation
    ":done",
    "",  # More: kept empty
    # Release announcement
    "In #ai-announcements.",
    ".",
    # Your sections: nothing before the first heading, none of your own, none left out
    "",
    "",
    "",
    # Labels & confidentiality
    "",
    "",
    "",
    "",
    ":add",
    "group::code review",
    "",
    ":add",
    "/milestone %18.2",
    "",
    # The end
    ":quit",
]


def whole_plan_through_session() -> Plan:
    """The same answers, given to a Session the way the wizard's widgets give them."""
    session = Session(drafts.create())
    answers = {
        "title.title": "[claude-4-0-sonnet] Rollout Plan",
        "overview.summary": "Sonnet 4 for code review summaries.\nIt writes shorter summaries.",
        "overview.model_links": "https://docs.anthropic.com/en/docs/about-claude/models",
        "overview.epic": "gitlab-org&17541",
        "overview.ff_issue": FF_ISSUE,
        "overview.status_updates": "https://gitlab.com/gitlab-org/gitlab/-/issues/547700#note_1",
        "checklist.unit_primitives": ItemState.DONE,
        "checklist.models_yml": ItemState.NOT_APPLICABLE,
        "checklist.unstable_prompt": ItemState.DONE,
        "evaluation.langsmith_url": "https://smith.langchain.com/o/1/datasets/2/compare",
    }
    for path, value in answers.items():
        session.set(path, value)
    for values in (
        ("1", "claude-3-7-sonnet", "3.41", "9.8s", "20s", True),
        ("2", "claude-4-0-sonnet", "3.62", "12.3s", "18s", False),
    ):
        row = f"evaluation.rows.{session.add_row('evaluation.rows')}"
        number, model, score, p50, p99, baseline = values
        session.set(
            f"{row}.pipeline", f"https://gitlab.com/gitlab-org/prompt-library/-/pipelines/{number}"
        )
        session.set(f"{row}.model", model)
        session.set(f"{row}.metric", "review-summary-correctness")
        session.set(f"{row}.score", score)
        session.set(f"{row}.p50", p50)
        session.set(f"{row}.p99", p99)
        session.set(f"{row}.baseline", baseline)
    session.set("success.chat_streaming", False)
    session.add_row("success.custom")
    session.set("success.custom.0", "Acceptance rate stays above 30%.")
    session.add_row("dashboards.links")
    session.set("dashboards.links.0.label", "Latency")
    session.set("dashboards.links.0.url", "https://dashboards.gitlab.net/d/ai-gateway")
    session.set("legal.notes", "Reviewed by legal.\n.\nSecond line.")
    session.add_row("known_issues.issues")
    session.set("known_issues.issues.0.description", "Slow first token")
    session.set("known_issues.issues.0.link", "gitlab-org/gitlab#2")
    for index, (date, status) in enumerate(
        [("2025-06-01", "Planned"), ("2025-06-15", "In progress"), ("TBD", "")]
    ):
        session.set(f"timeline.rows.{index}.date", date)
        session.set(f"timeline.rows.{index}.status", status)
    session.set("feedback.issue", "gitlab-org/gitlab#3")
    session.set("persevere.criteria.1", "Keep acceptance above 30%")
    session.remove_row("persevere.criteria", 2)
    for name, value in {
        "0.start": "2025-06-01",
        "0.end": "2025-06-15",
        "0.ranges": "p50: 800 ms to 1200 ms\np95: X ms to Y ms",
        "1.what": "error rate",
        "1.ranges": "Error rate: 0.5% to 0.9%",
    }.items():
        session.set(f"persevere.observations.{name}", value)
    session.set("mitigation.feature_flag", "claude_sonnet_4_rollout")
    session.set("announcement.text", "In #ai-announcements.")
    session.add_row("quick_actions.labels")
    session.set("quick_actions.labels.3", "group::code review")
    session.add_row("quick_actions.extra")
    session.set("quick_actions.extra.0", "/milestone %18.2")
    return session.plan


def test_a_whole_plan_answered_from_a_script_is_the_wizards_plan() -> None:
    result = plain("new", "--plain", stdin="\n".join(WHOLE_PLAN) + "\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "End of the plan." in result.stdout
    draft = only_draft()
    expected = whole_plan_through_session()
    assert draft.plan == expected
    assert render(draft.plan) == render(expected)
    # Nothing the script typed was taken for something else.
    assert "No command" not in result.stdout
    assert "Answer yes or no (Enter keeps it)" not in result.stdout
    # The section headers came in the wizard's order, each once.
    headers = [line for line in result.stdout.splitlines() if line.startswith("Section ")]
    assert [h.split(": ", 1)[0] for h in headers] == [
        f"Section {n} of {SECTIONS}" for n in range(1, SECTIONS + 1)
    ]
    # Rows are announced by number, with the group's size.
    assert "Evaluation: Evaluation results, row 2 of 2: P50 latency" in result.stdout
    assert "Findings: 0 errors" in result.stdout
    # Leaving the evaluation says the computed Change row, as the wizard shows it.
    assert "Change: quality +0.21 change, P50 +25.5% slower, P99 10.0% faster" in result.stdout


async def test_the_same_answers_typed_in_the_wizard_render_the_same_description() -> None:
    """A short Pilot run against the plain mode: same answers, same Markdown."""
    from tui.app import RolloutApp

    script = [
        "[claude-4-0-sonnet] Rollout Plan",
        ":goto overview.ff_issue",
        FF_ISSUE,
        "",  # status updates
        "",  # More rows
        "",  # More
        "done",
        "n/a",
        ":goto legal",
        "Reviewed by legal.",
        ".",
        ":quit",
    ]
    result = plain("new", "--plain", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    from_plain = only_draft()

    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press(*"[claude-4-0-sonnet] Rollout Plan", "ctrl+pagedown")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", *FF_ISSUE, "ctrl+pagedown")
        await pilot.pause()
        await pilot.press("space", "tab", "space", "space")
        for _ in range(4):  # checklist → evaluation → success → dashboards → legal
            await pilot.press("ctrl+pagedown")
            await pilot.pause()
        await pilot.press(*"Reviewed by legal.", "ctrl+q")
    from_wizard = drafts.load(draft.path)
    assert from_plain.plan == from_wizard.plan
    assert render(from_plain.plan) == render(from_wizard.plan)


# --- commands ----------------------------------------------------------------------------


def test_back_next_goto_and_review() -> None:
    script = [
        ":back",  # at the first section: stays, says so
        ":next",
        ":back",
        ":goto timeline",
        ":goto 2",
        ":goto evaluation.rows.0.p50",  # no such row yet
        ":goto nowhere",
        ":goto overview.ff_issue",
        "gitlab-org/gitlab#12",
        ":review",
        ":quit",
    ]
    result = plain("new", "--plain", "--title", "[m] Rollout Plan", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "This is the first section." in out
    headers = [line for line in out.splitlines() if line.startswith("Section ")]
    assert headers == [
        f"Section 1 of {len(sections())}: Title",
        f"Section 2 of {SECTIONS}: Overview",
        f"Section 1 of {len(sections())}: Title",
        f"Section 9 of {SECTIONS}: Timeline",
        f"Section 2 of {SECTIONS}: Overview",
    ]
    assert "No field evaluation.rows.0.p50 in Evaluation." in out
    assert "No section or field nowhere." in out
    # :goto PATH lands on that field's prompt.
    assert out.count("Overview: Feature Flag Rollout Issue, required") == 1
    assert saved_plan(only_draft().id)["overview"]["ff_issue"] == "gitlab-org/gitlab#12"
    # :review: the findings, then the Markdown.
    review = out.split("Findings:", 1)[1]
    assert "warning: Overview, Status updates" in review
    assert review.index("warning: Overview, Status updates") < review.index("## Overview")
    assert "| Feature Flag Rollout Issue | gitlab-org/gitlab#12 |" in review
    assert "/confidential" in review


def test_groups_add_remove_and_done() -> None:
    script = [
        ":goto pivot",
        ":remove",  # item 1 of 3 goes; the old item 2 is asked as item 1
        ":add",  # a new item 2, after it
        "Latency doubles",
        ":done",
        "",  # the section's More
        ":quit",
    ]
    result = plain("new", "--plain", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Pivot criteria: Criteria, item 1 of 3" in out
    assert "Removed item 1.\nPivot criteria: Criteria, item 1 of 2" in out
    assert "Added item 2.\nPivot criteria: Criteria, item 2 of 3" in out
    # :done leaves the group: the next prompt is the section's More, then the next section.
    after = out.split("Pivot criteria: Criteria, item 3 of 3", 1)[1]
    assert "Pivot criteria: Criteria" not in after
    assert "Pivot criteria: More" in after
    assert f"Section 13 of {SECTIONS}: Mitigation" in after
    criteria = saved_plan(only_draft().id)["pivot"]["criteria"]
    assert criteria == [
        "Latency increases or spikes for the new model vs the old model",
        "Latency doubles",
        "Success/acceptance rate decreases compared to the old model",
    ]


def test_help_and_an_unknown_command() -> None:
    result = plain("new", "--plain", stdin=":help\n:frobnicate\n::not a command\n:quit\n")
    assert ":goto PATH" in result.stdout and ":review" in result.stdout
    assert "No command :frobnicate. :help lists them." in result.stdout
    # Two colons give a value that starts with one.
    assert saved_plan(only_draft().id)["title"]["title"] == ":not a command"


def test_an_answer_a_field_cannot_take_is_asked_again_and_nothing_blocks() -> None:
    script = [
        *[":goto checklist", "maybe", "done"],
        *[":goto persevere.observations.0.start", "2025-02-30", "", ":quit"],
    ]
    result = plain("new", "--plain", stdin="\n".join(script) + "\n")
    assert "Answer done, open or n/a (Enter keeps it)." in result.stdout
    # An error is said, and the next prompt follows at once.
    after = result.stdout.split("error: From (observation 1): there is no day 2025-02-30", 1)[1]
    assert (
        after.split("\n", 1)[1]
        .lstrip()
        .startswith("Persevere criteria: Observed, observation 1 of 2: To")
    )
    plan = saved_plan(only_draft().id)
    assert plan["checklist"]["unit_primitives"] == "done"
    assert plan["persevere"]["observations"][0]["start"] == "2025-02-30"


# --- end of input, signals, the terminal -------------------------------------------------


def test_end_of_input_mid_section_keeps_every_answer() -> None:
    script = [
        "[m] Rollout Plan",
        "First line of the summary",
        "second line",  # no closing dot: the input ends here
    ]
    result = plain("new", "--plain", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    draft = only_draft()
    assert f"Draft {draft.id} is saved." in result.stdout
    plan = saved_plan(draft.id)
    assert plan["title"]["title"] == "[m] Rollout Plan"
    assert plan["overview"]["summary"] == "First line of the summary\nsecond line"
    # The draft goes on where it was left.
    again = plain("resume", "--plain", stdin="\n:quit\n")
    assert "Current value: [m] Rollout Plan" in again.stdout


def test_text_from_the_draft_is_printed_escaped() -> None:
    hostile = "\x1b]52;c;aGk=\x07[m] \u202eRollout Plan"
    draft = drafts.create(Plan(title=TitleSection(title=hostile)))
    draft.plan.overview.model_links = "docs.example\x1b[2J"
    drafts.save(draft)
    # The value in the prompt, the finding that quotes it, the review, the Markdown.
    result = plain("open", draft.id, "--plain", stdin=":goto overview.model_links\n\n:review\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    # Control characters never get into a value; what is left is shown escaped.
    assert "]52;c;aGk=[m] \\u202eRollout Plan" in result.stdout
    assert "Current value: docs.example[2J" in result.stdout
    assert "warning: 'docs.example[2J' is not a link" in result.stdout


@pytest.mark.parametrize(
    "env", [{"TERM": "dumb"}, {"ROLLOUT_PLAN_PLAIN": "1"}], ids=["TERM=dumb", "PLAIN=1"]
)
def test_a_dumb_terminal_or_the_variable_starts_plain_mode(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "new", "--title", "Dumb"],
        input=":quit\n",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Title: Issue title, required" in result.stdout
    assert "\x1b" not in result.stdout


def test_a_draft_open_elsewhere_asks_and_cancel_leaves_it() -> None:
    from tui import locks

    draft = drafts.create()
    assert locks.acquire(draft.path) is None  # this test process: a live holder
    try:
        result = plain("open", draft.id, "--plain", stdin="c\n")
        assert result.returncode == 1
        assert "is open in another rollout-plan" in result.stdout
        assert "Not opened." in result.stdout
        read_only = plain("open", draft.id, "--plain", stdin="r\nNew title\n:quit\n")
        assert "Read-only: not changed." in read_only.stdout
        assert saved_plan(draft.id)["title"]["title"] == ""
    finally:
        locks.release(draft.path)


class Terminal:
    """rollout-plan on a pseudo-terminal: what it writes, and keys typed to it."""

    def __init__(self, *args: str) -> None:
        master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "TERM": "xterm-256color"},
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master
        self.output = b""
        self.seen = 0

    def expect(self, text: str) -> None:
        """Read until `text` appears after what was already expected (a hang is a
        failure after a minute, never a timing assertion)."""
        wanted = text.encode()
        deadline = time.monotonic() + 60
        while wanted not in self.output[self.seen :]:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; the screen ends {self.output[-800:]!r}"
            if select.select([self.fd], [], [], left)[0] and not self._read():
                raise AssertionError(f"exited before {text!r}: {self.output[-800:]!r}")
        self.seen = self.output.index(wanted, self.seen) + len(wanted)

    def _read(self) -> bool:
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the other side closed
            return False
        self.output += chunk
        return bool(chunk)

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\n")

    def finish(self) -> int:
        while select.select([self.fd], [], [], 60)[0] and self._read():
            pass
        os.close(self.fd)
        return self.process.wait(timeout=60)


@POSIX_ONLY
def test_on_a_terminal_goto_answer_and_ctrl_d() -> None:
    term = Terminal("new", "--plain", "--title", "[m] Rollout Plan")
    term.expect("Title: Issue title, required")
    term.expect("> ")
    term.type(":goto overview.ff_issue")
    term.expect("Overview: Feature Flag Rollout Issue, required")
    term.expect("> ")
    term.type(MERGE_REQUEST)
    term.expect("error: that is a merge request.")
    term.expect("Overview: Status updates")
    term.expect("> ")
    os.write(term.fd, b"\x04")  # ctrl+d at an empty prompt: the end of input
    assert term.finish() == 0
    assert b"\x1b" not in term.output
    assert b"is saved. Come back with: rollout-plan resume --plain" in term.output
    assert saved_plan(only_draft().id)["overview"]["ff_issue"] == MERGE_REQUEST


@POSIX_ONLY
def test_on_a_terminal_color_only_when_asked() -> None:
    term = Terminal("new", "--plain", "--color")
    term.expect("Issue title")
    term.expect("> ")
    term.type("")
    term.expect("error: ")
    term.type(":quit")
    assert term.finish() == 0
    assert b"\x1b[1m" in term.output and b"\x1b[31m" in term.output


@POSIX_ONLY
def test_a_hang_up_mid_text_saves_what_was_typed() -> None:
    term = Terminal("new", "--plain")
    term.expect("> ")
    term.type("[m] Rollout Plan")
    term.expect("Overview: Summary")
    term.expect("> ")
    term.type("A summary, cut short")
    term.expect("... ")
    term.process.send_signal(signal.SIGHUP)
    assert term.finish() == 128 + signal.SIGHUP
    plan = saved_plan(only_draft().id)
    assert plan["title"]["title"] == "[m] Rollout Plan"
    assert plan["overview"]["summary"] == "A summary, cut short"
    # The lock went with it: the draft opens again without asking.
    assert not Path(str(only_draft().path) + drafts.LOCK_SUFFIX).exists()


def test_a_draft_changed_on_disk_meanwhile_is_kept_and_the_answers_go_to_a_new_one() -> None:
    """Another editor wrote the draft between two answers: its file is not overwritten."""
    import io

    from tui import plain as plain_mode

    draft = drafts.create()

    class Answers(io.StringIO):
        def readline(self, *args: object) -> str:
            line = super().readline()
            if line.startswith("gitlab-org"):  # the other editor saves first
                other = drafts.load(draft.path)
                other.plan.legal.notes = "From the other window"
                drafts.save(other)
            return line

    out = io.StringIO()
    answers = Answers("[m] Rollout Plan\n:goto overview.ff_issue\ngitlab-org/gitlab#1\n:quit\n")
    assert plain_mode.run(drafts.load(draft.path), stdin=answers, stdout=out) == 0
    said = out.getvalue()
    assert "The draft file changed on disk since it was opened here." in said
    kept = drafts.load(draft.path).plan
    assert kept.legal.notes == "From the other window"
    assert kept.overview.ff_issue == ""
    [mine] = [d for d in drafts.scan()[0] if d.id != draft.id]
    assert f"your version goes on as draft {mine.id}" in said
    assert (mine.plan.title.title, mine.plan.overview.ff_issue) == (
        "[m] Rollout Plan",
        "gitlab-org/gitlab#1",
    )
    for path in (draft.path, mine.path):
        assert not Path(str(path) + drafts.LOCK_SUFFIX).exists()


def test_copy_asks_while_errors_remain_then_uses_the_system_clipboard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    import pyperclip

    from tui import plain as plain_mode

    board: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", board.append)
    monkeypatch.setattr(pyperclip, "paste", lambda: board[-1] if board else "")
    draft = drafts.create()
    out = io.StringIO()
    answers = io.StringIO(":copy\nno\n:copy\nyes\n:copy title\n:quit\n")
    assert plain_mode.run(draft, stdin=answers, stdout=out) == 0
    said = out.getvalue()
    names = "; ".join(f"{e.section}, {e.field}" for e in errors_in(draft.plan))
    assert f"{errors_remain(draft.plan)}: {names}." in said
    assert "Not copied." in said
    assert board == [render(draft.plan), "[AI Model] Rollout Plan"]
    assert "Copied the description (" in said and "copied to the system clipboard" in said
    assert "\x1b" not in said  # no OSC 52 without --color


def test_a_field_that_is_still_wrong_says_so_when_reached_and_when_answered_again() -> None:
    """A screen reader hears the finding on arrival, and again after an answer that is
    still wrong: silence would sound like the answer was taken as fine."""
    plan = Plan()
    plan.persevere.observations[0].start = "2025-02-30"
    draft = drafts.create(plan)
    script = [":goto persevere.observations.0.start", "2025-02-30", "", ":quit"]
    result = plain("open", draft.id, "--plain", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    prompt, after = result.stdout.split("observation 1 of 2: From", 1)[1].split("> ", 1)
    assert "error: there is no day 2025-02-30" in prompt
    assert "error: From (observation 1): there is no day 2025-02-30" in after.split("> ", 1)[0]
