"""The wizard as line-by-line prompts: for screen readers, braille displays,
`TERM=dumb`, Emacs shell buffers and transcripts.

Nothing here addresses the cursor or redraws: lines go to stdout, answers come
from stdin, and escape sequences are written only with `--color`. The prompts are
generated from the field spec in `plan.py`, in the wizard's order; the message
printed after an answer is `Session.messages`, the text the wizard shows under
that field; every answer is saved through the same Session, lock and atomic write.
Textual is never imported, so this runs wherever Python does.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypedDict

from pydantic import BaseModel

from tui import drafts, locks
from tui.checks import Finding, Level
from tui.drafts import Draft
from tui.errors import StorageError
from tui.plan import MULTILINE_KINDS, ItemState, Kind, Need, fields_of, sections
from tui.session import ChangedOnDisk, Mark, Session
from tui.terminal import safe

PLAIN_ENV = "ROLLOUT_PLAN_PLAIN"
END_OF_TEXT = "."  # a line holding only this ends a multi-line answer
# Answers to a checklist item, as typed (lower case).
STATE_ANSWERS = {
    "done": ItemState.DONE,
    "d": ItemState.DONE,
    "x": ItemState.DONE,
    "open": ItemState.OPEN,
    "o": ItemState.OPEN,
    "n/a": ItemState.NOT_APPLICABLE,
    "na": ItemState.NOT_APPLICABLE,
    "n": ItemState.NOT_APPLICABLE,
}
STATE_WORDS = {ItemState.OPEN: "open", ItemState.DONE: "done", ItemState.NOT_APPLICABLE: "n/a"}
FLAG_ANSWERS = {"yes": True, "y": True, "no": False, "n": False}
MARK_WORDS = {
    Mark.UNTOUCHED: "not started",
    Mark.DONE: "done",
    Mark.WARNINGS: "has warnings",
    Mark.ERRORS: "has errors",
}
# SGR codes, used only with --color.
BOLD, RED, YELLOW, RESET = "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[0m"
LEVEL_COLORS = {Level.ERROR: RED, Level.WARNING: YELLOW, Level.INFO: ""}

HELP = """\
Answering:
  Enter on an empty line keeps the current value; - clears it.
  Several lines (long text, links): end with a line holding only a dot (.);
    type .. for a line holding a dot. Commands work on the first line only:
    :edit there opens the text in $EDITOR.
  Checklist items: done, open or n/a. Switches: yes or no.
  A value that starts with a colon: type it with two (::).
Repeating groups (rows, lists):
  :add     add a row after this one (at the group's end: a last row)
  :remove  remove this row
  :done    leave the group, on to the next field
Anywhere:
  :back, :next       the previous or next section
  :goto SECTION      a section by name or number, e.g. :goto timeline or :goto 9
  :goto PATH         a field as `rollout-plan check --json` names it, e.g. overview.ff_issue
  :review            every finding, then the description's Markdown
  :copy              the description to the clipboard (:copy title for the title)
  :save              save now (every answer is saved anyway)
  :quit              save and leave (end of input, ctrl+d, does the same)
  :help              this list"""


def _change_lines(session: Session) -> list[str]:
    """The evaluation's computed Change rows, as the wizard shows them below the table."""
    from tui.metrics import change_rows

    lines = ["Computed for the description:"]
    for row in change_rows(session.plan.evaluation):
        versus = f" ({row.versus})" if row.versus else ""
        lines.append(f"Change{versus}: quality {row.quality}, P50 {row.p50}, P99 {row.p99}")
    return lines


# Said when a section is left, beyond its fields (the wizard's SECTION_EXTRAS).
SECTION_NOTES: dict[str, Callable[[Session], list[str]]] = {"evaluation": _change_lines}


def wanted(flag: bool) -> bool:
    """Plain mode was asked for: --plain, a dumb terminal, or ROLLOUT_PLAN_PLAIN."""
    env = os.environ.get(PLAIN_ENV, "").strip().lower()
    return flag or os.environ.get("TERM") == "dumb" or env not in ("", "0", "no", "false")


# --- what is asked, in order -------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One prompt: a value of the plan, or the end of a repeating group."""

    path: str  # the value asked for; at a group's end, the group's own path
    section: str  # the section's attribute name
    label: str
    help: str
    kind: Kind
    need: Need
    suggestions: tuple[str, ...] = ()
    group: str = ""  # inside a repeating group: the group's path
    group_label: str = ""
    group_help: str = ""
    noun: str = ""  # what an entry of its group is called: row, item, observation, ...
    index: int = -1  # the row or item within the group
    count: int = 0  # how many the group holds
    end: bool = False  # the prompt after a group's last row

    @property
    def row_path(self) -> str:
        return f"{self.group}.{self.index}"


class _Group(TypedDict):
    """The Step fields of a value inside a repeating group."""

    group: str
    group_label: str
    group_help: str
    count: int


def section_steps(session: Session, section: str) -> list[Step]:
    """The prompts of a section for the plan as it is now (groups grow and shrink)."""
    model: type[BaseModel] = type(getattr(session.plan, section))
    steps: list[Step] = []
    for spec in fields_of(model):
        label, help, kind, need = spec.label, spec.help, spec.kind, spec.need
        path = f"{section}.{spec.name}"
        if kind not in (Kind.ROWS, Kind.ITEMS):
            steps.append(Step(path, section, label, help, kind, need, spec.suggestions))
            continue
        entries = session.get(path)
        group = _Group(group=path, group_label=label, group_help=help, count=len(entries))
        noun = spec.noun
        for index, entry in enumerate(entries):
            if isinstance(entry, BaseModel):
                for sub in fields_of(type(entry)):
                    steps.append(
                        Step(
                            f"{path}.{index}.{sub.name}",
                            section,
                            sub.label,
                            sub.help,
                            sub.kind,
                            sub.need,
                            sub.suggestions,
                            noun=noun,
                            index=index,
                            **group,
                        )
                    )
            else:
                steps.append(
                    Step(
                        f"{path}.{index}",
                        section,
                        label,
                        "",
                        Kind.TEXT,
                        Need.OPTIONAL,
                        **group,
                        noun=noun,
                        index=index,
                    )
                )
        steps.append(Step(path, section, label, help, kind, need, noun=noun, end=True, **group))
    return steps


def message_place(session: Session, step: Step) -> tuple[str, bool]:
    """Where the wizard shows the message about this value: (path, within).

    A row's cells share one message line under the row; a list's items one under
    the list; any other field has its own.
    """
    if step.end or not step.group:
        return step.path, step.kind == Kind.ITEMS
    if step.noun == "item":
        return group_place(step)
    return step.row_path, True


def group_place(step: Step) -> tuple[str, bool]:
    """Where the wizard shows the message about a whole group (no rows, no baseline)."""
    return step.group, step.noun == "item"


# --- control flow --------------------------------------------------------------------


class Leave(Exception):
    """Stop asking: :quit, the end of input, or a signal (its number, else 0)."""

    def __init__(self, signum: int = 0) -> None:
        super().__init__(signum)
        self.signum = signum


class OutputGone(Exception):
    """Standard output cannot be written any more (the terminal closed)."""


class Plain:
    def __init__(
        self,
        session: Session,
        stdin: TextIO,
        stdout: TextIO,
        color: bool = False,
    ) -> None:
        self.session = session
        self.stdin = stdin
        self.stdout = stdout
        self.color = color
        self.echo_newline = not _isatty(stdin)  # piped answers are not echoed
        self.order = [spec.name for spec in sections()]
        self.section = 0
        self.index = 0
        self.at_end = False
        self.announced: str | None = None
        self.announced_group = ""
        self.reading = False
        self.pending_signal = 0
        # What was last printed under each message place, so a row's message is said
        # again only when it changed.
        self.said: dict[str, list[tuple[Level, str]]] = {}
        self.save_failed = False
        # Lines of a multi-line answer cut short by the end of input, kept on the way out.
        self.pending_text: str | None = None

    # --- output ----------------------------------------------------------------

    def say(self, text: str = "", style: str = "") -> None:
        if self.color and style and text:
            text = f"{style}{text}{RESET}"
        self.write(text + "\n")

    def write(self, text: str) -> None:
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except OSError:
            raise OutputGone from None

    # --- input -----------------------------------------------------------------

    def read(self, prompt: str = "> ") -> str:
        """One line of input (without its line end); Leave at the end of input."""
        self.write(prompt)
        self.reading = True
        try:
            if self.pending_signal:
                raise Leave(self.pending_signal)
            line = self.stdin.readline()
        finally:
            self.reading = False
        if not line:
            if self.echo_newline:
                self.write("\n")
            raise Leave()
        if self.echo_newline:
            self.write("\n")
        return line.removesuffix("\n").removesuffix("\r")

    def on_signal(self, signum: int, _frame: Any) -> None:
        # Only a blocked read is interrupted; during a save the signal waits its turn,
        # so no write is ever cut short.
        self.pending_signal = signum
        if self.reading:
            raise Leave(signum)

    # --- the walk --------------------------------------------------------------

    def steps(self) -> list[Step]:
        return section_steps(self.session, self.order[self.section])

    def run(self) -> None:
        draft = self.session.draft
        self.say(f"rollout-plan, plain mode. Draft {draft.id}: {safe(draft.title)}.", BOLD)
        self.say("Enter keeps a value, - clears it, :help lists the commands.")
        if self.session.read_only:
            self.say("This draft is open read-only: answers are not kept.", YELLOW)
        while True:
            if self.at_end:
                self.ask_at_end()
                continue
            steps = self.steps()
            if self.index >= len(steps):
                self.move_to(self.section + 1)
                continue
            self.ask(steps[self.index])

    def move_to(self, section: int, path: str = "") -> None:
        """Go to a section (past the last: the end), at the step of `path` if given."""
        if not self.at_end and section != self.section:
            self.leave_section()
        if section >= len(self.order):
            self.at_end = True
            self.announced = None
            self.say()
            self.say("That was the last section.", BOLD)
            self.print_findings(brief=True)
            return
        self.at_end = False
        self.announced_group = ""
        self.section = section
        self.index = 0
        if path:
            self.index = next(
                (
                    i
                    for i, step in enumerate(self.steps())
                    if step.path == path or step.path.startswith(path + ".")
                ),
                0,
            )

    def leave_section(self) -> None:
        name = self.order[self.section]
        # As in the wizard: a section's findings count once it was left.
        self.session.reveal(name)
        mark = self.session.mark(name)
        if mark in (Mark.ERRORS, Mark.WARNINGS):
            title = sections()[self.section].title
            count = sum(
                f.level is not Level.INFO
                for f in self.session.findings
                if f.path.split(".")[0] == name
            )
            self.say(f"{title} {MARK_WORDS[mark]}: {count} to look at (:review lists them).")
        if name in SECTION_NOTES:
            for line in SECTION_NOTES[name](self.session):
                self.say(safe(line))

    def announce(self, step: Step) -> None:
        if self.announced != step.section:
            self.announced = step.section
            spec = sections()[self.section]
            self.say()
            self.say(f"Section {self.section + 1} of {len(self.order)}: {spec.title}", BOLD)
            if spec.help:
                self.say(spec.help)
        if step.group and step.group != self.announced_group:
            self.announced_group = step.group
            self.say()
            count = _count(step.count, step.noun)
            self.say(f"{step.group_label}: a repeating group, {count}.")
            if step.group_help:
                self.say(step.group_help)
            self.say(f":add adds {_a(step.noun)}, :remove removes one, :done leaves the group.")

    # --- one prompt ------------------------------------------------------------

    def describe(self, step: Step) -> list[str]:
        title = sections()[self.section].title
        if step.end:
            count = _count(step.count, step.noun)
            return [
                f"{title}: {step.group_label}, {count}. "
                f":add adds {_a(step.noun)}; Enter or :done goes on."
            ]
        where = f"{title}: {step.label}"
        if step.group:
            position = f"{step.noun} {step.index + 1} of {step.count}"
            where = (
                f"{title}: {step.group_label}, {position}"
                if step.noun == "item"
                else f"{title}: {step.group_label}, {position}: {step.label}"
            )
        if step.need == "required":
            where += ", required"
        lines = [where]
        if step.help:
            lines.append(f"  {step.help}")
        lines += [f"  {line}" for line in self.current(step)]
        # What is wrong with the value now, before it is answered again: heard first.
        lines += [f"  {f.level}: {safe(f.message)}" for f in self.wrong_now(step)]
        how = {
            "state": "Answer done, open or n/a.",
            "flag": "Answer yes or no.",
        }.get(step.kind)
        if step.kind in MULTILINE_KINDS:
            how = "Several lines: end with a line holding only a dot (.); :edit opens $EDITOR."
        if step.suggestions:
            how = "Choices: " + ", ".join(step.suggestions) + "."
        if how:
            lines.append(f"  {how}")
        return lines

    def current(self, step: Step) -> list[str]:
        value = self.session.get(step.path)
        if step.kind == "state":
            return [f"Current value: {STATE_WORDS[ItemState(value)]}."]
        if step.kind == "flag":
            return [f"Current value: {'yes' if value else 'no'}."]
        if not str(value).strip():
            return ["Current value: empty."]
        lines = str(value).split("\n")
        if len(lines) == 1:
            return [f"Current value: {safe(lines[0])}"]
        return [f"Current value, {len(lines)} lines:"] + [f"  {safe(line)}" for line in lines]

    def ask(self, step: Step) -> None:
        self.announce(step)
        for number, line in enumerate(self.describe(step)):
            self.say(line, BOLD if number == 0 else "")
        while True:
            line = self.read()
            if line.startswith(":") and not line.startswith("::"):
                if self.command(line, step):
                    return
                continue
            if step.end:
                if line.strip():
                    self.say(f"Type :add for another {step.noun}, or Enter to go on.")
                    continue
                self.index += 1
                self.finish_group(step)
                return
            value = self.answer(step, line.removeprefix(":"))
            if value is _INVALID:
                continue
            self.store(step, value)
            self.index += 1
            return

    def answer(self, step: Step, line: str) -> Any:
        """The value an answer stands for: _KEEP, _INVALID (said why) or the value."""
        if step.kind in MULTILINE_KINDS:
            return self.read_text(line)
        if line.strip() == "":
            return _KEEP
        if step.kind == "state":
            state = STATE_ANSWERS.get(line.strip().lower())
            if state is None:
                self.say("Answer done, open or n/a (Enter keeps it).")
                return _INVALID
            return state
        if step.kind == "flag":
            flag = FLAG_ANSWERS.get(line.strip().lower())
            if flag is None:
                self.say("Answer yes or no (Enter keeps it).")
                return _INVALID
            return flag
        if line.strip() == "-":
            return ""
        if step.suggestions:
            chosen = [s for s in step.suggestions if s.lower() == line.strip().lower()]
            return chosen[0] if chosen else line
        return line

    def read_text(self, first: str) -> Any:
        """Several lines, up to a line holding only a dot; the end of input keeps
        what was typed."""
        if first.strip() == "":
            return _KEEP
        if first.strip() == "-":
            return ""
        lines: list[str] = []
        line = first
        while line != END_OF_TEXT:
            lines.append("." if line == ".." else line)
            try:
                line = self.read("... ")
            except Leave:
                self.pending_text = "\n".join(lines)
                raise
        return "\n".join(lines)

    def store(self, step: Step, value: Any) -> None:
        if value is not _KEEP and self.session.read_only:
            self.say("Read-only: not changed.")
        elif value is not _KEEP:
            self.session.set(step.path, value)
        self.session.reveal(step.path)
        place, within = message_place(self.session, step)
        # A row's cells share one message: it is said again only when it changes, or
        # when the answer itself still has a finding (silence would sound like "fine").
        self.tell(place, within, always=place == step.path or bool(self.wrong_now(step)))
        self.save()

    def wrong_now(self, step: Step) -> list[Finding]:
        """The errors and warnings on the step's own value."""
        return [
            f for f in self.session.findings if f.path == step.path and f.level is not Level.INFO
        ]

    def tell(self, place: str, within: bool, always: bool) -> None:
        """Print the message the wizard shows at `place`, in words: after an answer
        (`always`), else only when it changed since it was last printed."""
        lines = self.session.messages(place, within)
        before = self.said.get(place, [])
        self.said[place] = lines
        if lines == before and not always:
            return
        if not lines:
            if before:
                self.say("No findings here now.")
            return
        for level, text in lines:
            self.say(f"{level}: {safe(text)}", LEVEL_COLORS[level])

    def finish_group(self, step: Step) -> None:
        self.announced_group = ""
        self.session.reveal(step.group)
        self.tell(*group_place(step), always=False)

    # --- commands --------------------------------------------------------------

    def command(self, line: str, step: Step | None) -> bool:
        """Run a command typed at a prompt; True when it moved to another prompt."""
        name, _, argument = line[1:].strip().partition(" ")
        name, argument = name.lower(), argument.strip()
        simple: dict[str, Callable[[], None]] = {
            "help": lambda: self.say(HELP),
            "review": self.review,
            "save": self.save_on_request,
            "copy": lambda: self.copy(argument),
        }
        if name in simple:
            simple[name]()
            return False
        if name == "quit":
            raise Leave()
        if name == "back":
            if self.at_end:
                self.move_to(len(self.order) - 1)
            elif self.section == 0:
                self.say("This is the first section.")
                return False
            else:
                self.move_to(self.section - 1)
            return True
        if name == "next":
            self.move_to(self.section + 1 if not self.at_end else len(self.order))
            return True
        if name == "goto":
            return self.goto(argument)
        if name in ("add", "remove", "done"):
            return self.group_command(name, step)
        if name == "edit":
            if step is None or step.kind not in MULTILINE_KINDS or step.end:
                self.say(":edit works at a prompt for several lines of text.")
                return False
            edited = self.run_editor(str(self.session.get(step.path)))
            if edited is None:
                return False
            self.store(step, edited)
            self.index += 1
            return True
        self.say(f"No command :{safe(name)}. :help lists them.")
        return False

    def goto(self, target: str) -> bool:
        if not target:
            self.say("Go where? :goto SECTION (a name or number) or :goto PATH.")
            return False
        titles = {spec.title.lower(): index for index, spec in enumerate(sections())}
        names = {name: index for index, name in enumerate(self.order)}
        wanted_name = target.lower()
        if wanted_name.isdigit() and 1 <= int(wanted_name) <= len(self.order):
            self.move_to(int(wanted_name) - 1)
            return True
        if wanted_name in names or wanted_name in titles:
            self.move_to(names.get(wanted_name, titles.get(wanted_name, 0)))
            return True
        section = target.split(".")[0]
        if section in names and "." in target:
            steps = section_steps(self.session, section)
            if any(s.path == target or s.path.startswith(target + ".") for s in steps):
                self.move_to(names[section], target)
                self.session.reveal(target)
                return True
            self.say(f"No field {safe(target)} in {sections()[names[section]].title}.")
            return False
        self.say(
            f"No section or field {safe(target)}. Sections: "
            + ", ".join(f"{i + 1} {name}" for i, name in enumerate(self.order))
            + "."
        )
        return False

    def group_command(self, name: str, step: Step | None) -> bool:
        if step is None or not step.group:
            self.say(f":{name} works inside a repeating group (rows or a list).")
            return False
        if self.session.read_only:
            self.say("Read-only: not changed.")
            return False
        group = step.group
        if name == "done":
            self.finish_group(step)
            self.jump_past(group)
            return True
        if name == "add":
            at = self.session.add_row(group, None if step.end else step.index + 1)
            self.session.reveal(group)
            self.save()
            self.say(f"Added {step.noun} {at + 1}.")
            self.jump_to(f"{group}.{at}")
            return True
        if step.end:
            self.say(f"Go to a {step.noun} to remove it; this is the group's end.")
            return False
        self.session.remove_row(group, step.index)
        self.session.reveal(group)
        self.save()
        self.say(f"Removed {step.noun} {step.index + 1}.")
        if step.index < step.count - 1:
            self.jump_to(f"{group}.{step.index}")  # the next row, now at this place
        else:
            self.index = self.group_end(group)
        return True

    def jump_to(self, path: str) -> None:
        steps = self.steps()
        self.index = next(
            i for i, s in enumerate(steps) if s.path == path or s.path.startswith(path + ".")
        )

    def jump_past(self, group: str) -> None:
        self.index = self.group_end(group) + 1

    def group_end(self, group: str) -> int:
        return next(i for i, s in enumerate(self.steps()) if s.end and s.path == group)

    def ask_at_end(self) -> None:
        self.say(
            "End of the plan. :review shows findings and the Markdown, :copy copies it, "
            ":back or :goto returns to a section, :quit leaves."
        )
        line = self.read()
        if line.startswith(":"):
            self.command(line, None)

    # --- review and copy -------------------------------------------------------

    def print_findings(self, brief: bool = False) -> None:
        findings = self.session.findings
        loud = [f for f in findings if f.level is not Level.INFO]
        quiet = [f for f in findings if f.level is Level.INFO]
        counts = {level: sum(f.level is level for f in findings) for level in Level}
        self.say(
            f"Findings: {_count(counts[Level.ERROR], 'error')}, "
            f"{_count(counts[Level.WARNING], 'warning')}, {_count(counts[Level.INFO], 'note')}."
        )
        for finding in loud:
            self.say(safe(_finding_line(finding)), LEVEL_COLORS[finding.level])
        if brief:
            if quiet:
                self.say(":review lists the notes too, then the Markdown.")
            return
        empty: dict[str, list[str]] = {}
        for finding in quiet:
            empty.setdefault(finding.section, []).append(finding.field)
        for section, fields in empty.items():
            self.say(safe(f"info: {section}: still empty: {', '.join(fields)}."))

    def review(self) -> None:
        from tui.render import render

        self.session.reveal(self.order[self.section])
        self.print_findings()
        markdown = render(self.session.plan)
        self.say()
        self.say(f"The description, {markdown.count(chr(10))} lines:", BOLD)
        self.write(safe(markdown, keep="\n\t"))
        self.say("End of the description.", BOLD)

    def copy(self, what: str) -> None:
        from tui.checks import errors, remaining
        from tui.render import UnsafeDescription, checked

        if what.lower() == "title":
            text, name = self.session.draft.title, "the title"
        else:
            blocking = errors(self.session.findings)
            if blocking:
                names = "; ".join(f"{f.section}, {f.field}" for f in blocking[:6])
                more = f" and {len(blocking) - 6} more" if len(blocking) > 6 else ""
                self.say(safe(f"{remaining(len(blocking))}: {names}{more}."))
                self.say("Copy anyway? Answer yes or no.")
                if FLAG_ANSWERS.get(self.read().strip().lower()) is not True:
                    self.say("Not copied.")
                    return
            try:
                text, name = checked(self.session.plan), "the description"
            except UnsafeDescription as error:
                self.say(safe(f"Not copied: {error}"), YELLOW)
                return
        self.copy_text(text, name)

    def copy_text(self, text: str, name: str) -> None:
        from tui.clipboard import copy_to_system, osc52, tmux_passthrough

        # The wizard's chain: the terminal's clipboard (OSC 52, through tmux too), then
        # the system clipboard, read back. The terminal sequences only with --color:
        # a dumb terminal or a screen reader would show them as text.
        sent = self.color and _isatty(self.stdout)
        if sent:
            self.write(osc52(text) + tmux_passthrough(text))
        result = copy_to_system(text)
        lines = f" ({text.count(chr(10))} lines)" if "\n" in text else ""
        if result.confirmed:
            self.say(f"Copied {name}{lines}: {result.detail}.")
            return
        try:
            saved = f"The description is saved in {self.export()}"
        except OSError as error:
            saved = f"The description could not be saved either ({error})"
        terminal = "Sent to the terminal's clipboard (OSC 52), which cannot be confirmed; " * sent
        self.say(safe(f"Not copied for sure: {terminal}{result.detail}. {saved}"), YELLOW)

    def export(self) -> Path:
        from tui.render import checked

        name = f"{self.session.draft.id}{drafts.EXPORT_SUFFIX}"
        return drafts.export_markdown(name, checked(self.session.plan))

    # --- saving ----------------------------------------------------------------

    def save_on_request(self) -> None:
        self.session.mark_dirty()
        if self.save():
            self.say(f"Saved draft {self.session.draft.id}.")

    def save(self) -> bool:
        """Write the draft when it changed; say so only when that fails."""
        session = self.session
        if session.read_only or not session.dirty:
            return not session.read_only
        try:
            if not locks.still_mine(session.draft.path):
                self.fork("Another rollout-plan took this draft over.")
                return True
            try:
                session.save_now()
            except ChangedOnDisk:
                self.fork("The draft file changed on disk since it was opened here.")
                return True
        except OSError as error:
            if not self.save_failed:
                self.say(
                    f"NOT SAVED: {safe(str(error.strerror or error))}. Your answers are kept "
                    "here; saving is tried again after the next answer (:save tries now).",
                    RED,
                )
            self.save_failed = True
            return False
        if self.save_failed:
            self.say("Saved again.")
        self.save_failed = False
        return True

    def fork(self, why: str) -> None:
        """Go on in a new draft: the other editor's file is never overwritten."""
        original = self.session.draft.path
        copy = self.session.fork()  # written whole as it is created
        locks.acquire(copy.path)
        locks.release(original)  # only if still ours: a taker-over keeps theirs
        self.say(f"{why} It was not overwritten: your version goes on as draft {copy.id}.")

    def run_editor(self, text: str) -> str | None:
        from tui.editor import EditorFailed, edit

        if not (_isatty(self.stdin) and _isatty(self.stdout)):
            self.say(":edit needs a terminal; type the lines here instead.")
            return None
        try:
            return edit(text)
        except EditorFailed as error:
            self.say(safe(str(error)))
            return None


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_KEEP = _Marker("keep")  # an empty answer: the value stays
_INVALID = _Marker("invalid")  # an answer that cannot be the value; asked again


def _finding_line(finding: Finding) -> str:
    where = f"{finding.section}, {finding.field}"
    return f"{finding.level}: {where}: {finding.message} (:goto {finding.path})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# --- the command -----------------------------------------------------------------------


@contextlib.contextmanager
def _signals(handler: Callable[[int, Any], None]) -> Iterator[None]:
    """Route hang-up, termination and ctrl+c to `handler` meanwhile (where they exist)."""
    names = ("SIGHUP", "SIGTERM", "SIGINT")  # no SIGHUP on Windows
    previous: dict[int, Any] = {}
    for name in names:
        number = getattr(signal, name, None)
        if number is None:
            continue
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, old)


def _open_session(draft: Draft, stdin: TextIO, stdout: TextIO) -> Session | None:
    """A session holding the draft's lock, or read-only; None when the user cancels."""
    session = Session(draft)
    try:
        other = locks.acquire(draft.path)
    except StorageError as error:
        stdout.write(safe(f"{error}. The draft is open read-only.") + "\n")
        session.read_only = True
        return session
    if other is None:
        return session
    stdout.write(
        safe(
            f"Draft {draft.id} '{draft.title}' is open in another rollout-plan "
            f"({other.describe()}).\n"
        )
        + "Open it read-only (r), take it over (t: the other window then stops saving), "
        "or cancel (c)?\n> "
    )
    stdout.flush()
    answer = stdin.readline().strip().lower()
    if not _isatty(stdin):
        stdout.write("\n")
    if answer in ("t", "take", "take over"):
        locks.acquire(draft.path, take_over=True)
        return session
    if answer in ("r", "read", "read-only"):
        session.read_only = True
        return session
    return None


def run(
    draft: Draft, color: bool = False, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Walk the draft's plan as prompts until :quit or the end of input; saved on the way out."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    with contextlib.suppress(ValueError):
        # Undecodable input is text with a replacement character, not a traceback;
        # a terminal that cannot show a character gets its escape.
        if isinstance(stdin, io.TextIOWrapper):
            stdin.reconfigure(errors="replace")
        if isinstance(stdout, io.TextIOWrapper):
            stdout.reconfigure(errors="backslashreplace")
    session = _open_session(draft, stdin, stdout)
    if session is None:
        stdout.write("Not opened.\n")
        return 1
    plain = Plain(session, stdin, stdout, color)
    code = 0
    with _signals(plain.on_signal):
        try:
            plain.run()
        except Leave as leave:
            code = 128 + leave.signum if leave.signum else 0
        except OutputGone:
            code = 1
        finally:
            pending = plain.pending_text
            if pending is not None and not session.read_only:
                # The end of input in the middle of several lines keeps what was typed.
                steps = plain.steps() if not plain.at_end else []
                if plain.index < len(steps):
                    session.set(steps[plain.index].path, pending)
            saved = False
            with contextlib.suppress(OutputGone):
                saved = plain.save()
            if not session.read_only:
                locks.release(session.draft.path)
    if code == 0 or code == 128 + getattr(signal, "SIGINT", 2):
        with contextlib.suppress(OSError):
            where = f"Draft {session.draft.id} is saved." if saved else "The draft was NOT saved."
            stdout.write(f"{where} Come back with: rollout-plan resume --plain\n")
            stdout.flush()
    return code
