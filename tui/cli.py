"""The `rollout-plan` command line.

Headless commands (list, render, check, copy, export, import, delete) never
import Textual; only the commands that open the wizard do, lazily. Every mistake
a user can make ends in one line on stderr and a non-zero exit, never a traceback:
exit 1 when the plan has errors, an action was refused or standard output could
not be written (disk full), exit 2 for a usage mistake or a file that cannot be
read or written (unknown draft, unreadable file, no permission, disk full).

Text that came from a file (titles, ids, reasons, findings that quote a value) is
printed through tui.terminal, so no escape sequence in it reaches the terminal.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__
from tui.errors import StorageError, UserError
from tui.terminal import safe, safe_json, safe_json_text

if TYPE_CHECKING:
    from tui.checks import Finding
    from tui.drafts import Draft
    from tui.gitlab_links import Target
    from tui.plan import Plan
    from tui.publish import Issue

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_FAILED = 1  # the output could not be written
# Far above GitLab's 1 MiB description limit; a bigger input is not a plan.
MAX_INPUT_BYTES = 16 * 1024 * 1024
# These open the wizard, which writes to the terminal itself.
WIZARD_COMMANDS = {None, "new", "open", "resume"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rollout-plan",
        description="Write GitLab's [AI Model] Rollout Plan issue, section by section.",
        epilog="DRAFT is a draft id, a unique prefix of one, or a path to a draft file. "
        "With no command, the wizard opens on your drafts.",
    )
    parser.add_argument("--version", action="version", version=f"rollout-plan {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser("new", help="start a new draft and open the wizard on it")
    new.add_argument("--title", default="", help="the issue title")
    opener = commands.add_parser("open", help="open a draft in the wizard")
    opener.add_argument("draft", metavar="DRAFT")
    resume = commands.add_parser("resume", help="open the most recently edited draft")
    for wizard in (new, opener, resume):
        wizard.add_argument(
            "--plain",
            action="store_true",
            help="line-by-line prompts for screen readers and dumb terminals "
            "(also with TERM=dumb or ROLLOUT_PLAN_PLAIN=1)",
        )
        wizard.add_argument(
            "--color", action="store_true", help="in plain mode, colour and clipboard sequences"
        )

    lister = commands.add_parser("list", help="list drafts and unreadable draft files")
    lister.add_argument("--json", action="store_true", help="print JSON for scripts")

    render = commands.add_parser("render", help="print the issue description Markdown")
    render.add_argument("draft", metavar="DRAFT", nargs="?")
    render.add_argument("--blank", action="store_true", help="render an empty plan")
    render.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    check = commands.add_parser("check", help="list findings; exit 1 when there are errors")
    check.add_argument("draft", metavar="DRAFT")
    check.add_argument("--json", action="store_true", help="print JSON for scripts")

    copy = commands.add_parser("copy", help="copy the description to the clipboard")
    copy.add_argument("draft", metavar="DRAFT")
    copy.add_argument("--force", action="store_true", help="copy even while errors remain")

    export = commands.add_parser("export", help="print the draft as JSON")
    export.add_argument("draft", metavar="DRAFT")

    importer = commands.add_parser(
        "import", help="a new draft from an issue description (.md) or exported draft (.json)"
    )
    importer.add_argument("file", metavar="FILE", help="the file, or - for standard input")
    importer.add_argument("--title", default="", help="the issue title (not in the description)")

    restore = commands.add_parser(
        "restore", help="put back a draft's previous version (kept at every save)"
    )
    restore.add_argument("draft", metavar="DRAFT")

    opener_gitlab = commands.add_parser(
        "open-in-gitlab",
        help="copy the description and open GitLab's new-issue page with the title filled in",
    )
    publisher = commands.add_parser(
        "publish", help="create the issue with glab (the GitLab CLI) and record its address"
    )
    for gitlab_command in (opener_gitlab, publisher):
        gitlab_command.add_argument("draft", metavar="DRAFT")
        gitlab_command.add_argument(
            "--project", metavar="GROUP/PROJECT", help="the project to file the issue in"
        )
        gitlab_command.add_argument("--host", metavar="HOST", help="the GitLab host (gitlab.com)")
        gitlab_command.add_argument("--force", action="store_true", help="even while errors remain")
    publisher.add_argument(
        "--update", action="store_true", help="replace the description of the published issue"
    )

    delete = commands.add_parser("delete", help="remove a draft")
    delete.add_argument("draft", metavar="DRAFT")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # rollout-plan uses no pydantic plugins; looking for them scans every installed
    # package's metadata on the first model, a large share of a headless command's time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = build_parser().parse_args(argv)
    handler = _HANDLERS.get(args.command, _cmd_home)
    real_stdout = sys.stdout
    if args.command not in WIZARD_COMMANDS:
        sys.stdout = _Output(real_stdout)
    try:
        code = handler(args)
        sys.stdout.flush()
        return code
    except UserError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except OutputFailed as failure:
        _silence(real_stdout)
        if isinstance(failure.cause, BrokenPipeError):
            # `rollout-plan render X | head`: the reader left; that is not an error.
            return EXIT_OK
        _fail(f"cannot write the output: {failure.cause.strerror or failure.cause}")
        return EXIT_FAILED
    finally:
        sys.stdout = real_stdout


class OutputFailed(Exception):
    """Standard output could not take the text (disk full, closed pipe)."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Output:
    """sys.stdout, with a failed write told apart from every other OSError: only
    this one is the user's concern (`> /dev/full`); any other stays a visible bug."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as error:
            raise OutputFailed(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise OutputFailed(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence(stream: Any) -> None:
    """Send what is still buffered for `stream` to the null device, so the exit does
    not fail again flushing it (and print Python's own complaint)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _fail(message: str) -> int:
    print(f"rollout-plan: {safe(message)}", file=sys.stderr)
    return EXIT_USAGE


# --- Headless commands -----------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
    from tui import drafts, summaries

    # Summaries come from a cache while a draft's file is unchanged: listing many
    # drafts reads and checks only the ones edited since.
    found, broken = summaries.scan()
    # As JSON prints them; the text listing reads the same fields.
    rows: list[dict[str, Any]] = [
        {
            "id": summary.id,
            "title": summary.title,
            "ff_issue": summary.ff_issue,
            "created": summary.created,
            "updated": summary.updated,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "path": str(summary.path),
            "published": summary.published or None,
        }
        for summary in found
    ]
    unreadable: list[dict[str, Any]] = [
        {
            "id": b.id,
            "path": str(b.path),
            "reason": b.reason,
            "backup": drafts.has_readable_backup(b.path),
        }
        for b in broken
    ]
    if args.json:
        print(safe_json({"drafts": rows, "unreadable": unreadable}))
        return EXIT_OK
    if not rows and not unreadable:
        print("No drafts yet. Start one with: rollout-plan new")
        return EXIT_OK
    for row in rows:
        counts = f"{_counted(row['errors'], 'error')}, {_counted(row['warnings'], 'warning')}"
        when = drafts.local_time(row["updated"])
        issue = f"  → {safe(row['published'])}" if row["published"] else ""
        print(f"{row['id']}  {when}  {counts:<22}  {safe(row['title'])}{issue}")
    for entry in unreadable:
        hint = (
            f" (rollout-plan restore {safe(entry['id'])} puts back its backup)"
            if entry["backup"]
            else ""
        )
        print(
            f"{safe(entry['id'])}  UNREADABLE  {safe(entry['path'])}: {safe(entry['reason'])}{hint}"
        )
    return EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    from tui.plan import Plan

    if args.blank == bool(args.draft):
        raise UserError("render takes a DRAFT or --blank (one of the two)")
    plan = Plan() if args.blank else _resolve(args.draft).plan
    text = _checked_render(plan)
    if text is None:
        return EXIT_FINDINGS
    if args.output:
        _write_output(Path(args.output), text)
        print(f"Wrote {safe(args.output)}", file=sys.stderr)
    elif sys.stdout.isatty():
        # On a terminal the Markdown is for reading: its escape sequences are shown,
        # not run. Piped or redirected, it goes out byte for byte.
        sys.stdout.write(safe(text, keep="\n\t"))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _checked_render(plan: Plan) -> str | None:
    """The description, or None (and why, on stderr) when GitLab would misread it."""
    from tui.render import UnsafeDescription, checked

    try:
        return checked(plan)
    except UnsafeDescription as error:
        print(f"rollout-plan: {safe(str(error))}", file=sys.stderr)
        return None


def _write_output(path: Path, text: str) -> None:
    """Write `text` to the user's FILE, private (0600) like every file of the tool.

    A regular file is replaced atomically by a new one of ours, so its old mode and
    owner do not carry over and a full disk leaves it whole; a device or a pipe
    (/dev/stdout, a FIFO) is written as it is.
    """
    from tui import drafts

    try:
        special = path.exists() and not stat.S_ISREG(path.stat().st_mode)
        if special:
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            return
    except OSError as error:
        raise StorageError(f"cannot write {path}: {error.strerror}", error) from None
    target = path.resolve()  # through a symlink, to the file the user named
    if not target.parent.is_dir():
        raise StorageError(f"cannot write {path}: no folder {target.parent}")
    try:
        drafts.write_atomic(target, text)
    except StorageError as error:
        raise StorageError(f"cannot write {path}: {error.strerror}", error) from None


def _cmd_check(args: argparse.Namespace) -> int:
    from tui.checks import check, errors

    findings = check(_resolve(args.draft).plan)
    if args.json:
        print(safe_json([f.as_dict() for f in findings]))
    else:
        for line in _report_lines(findings):
            print(safe(line))
        print(_summary(findings))
    return EXIT_FINDINGS if errors(findings) else EXIT_OK


def _report_lines(findings: list[Finding]) -> list[str]:
    """Errors and warnings one a line; the many "still empty" notes one a section."""
    from tui.checks import Level

    lines = [f"{f.level:<8} {f}" for f in findings if f.level is not Level.INFO]
    empty_by_section: dict[str, list[str]] = {}
    for finding in findings:
        if finding.level is Level.INFO:
            empty_by_section.setdefault(finding.section, []).append(finding.field)
    for section, fields in empty_by_section.items():
        lines.append(f"{'info':<8} {section}: still empty: {', '.join(fields)}")
    return lines


def _summary(findings: list[Finding]) -> str:
    from collections import Counter

    counts = Counter(str(f.level) for f in findings)
    if not findings:
        return "No findings: the plan is complete."
    return ", ".join(
        f"{counts[level]} {level}{'s' if counts[level] != 1 else ''}"
        for level in ("error", "warning", "info")
    )


def _cmd_copy(args: argparse.Namespace) -> int:
    from tui import drafts
    from tui.clipboard import copy_to_system

    draft = _resolve(args.draft)
    if _refuse_errors(draft, args.force, "copied", anyway="copy anyway"):
        return EXIT_FINDINGS
    text = _checked_render(draft.plan)
    if text is None:
        return EXIT_FINDINGS
    result = copy_to_system(text)
    if result.confirmed:
        print(
            f"Copied the description of '{safe(draft.title)}' ({text.count(chr(10))} lines): "
            f"{result.detail}."
        )
        return EXIT_OK
    saved = drafts.export_markdown(f"{draft.id}.md", text)
    print(
        f"rollout-plan: not copied: {safe(result.detail)}. The description is saved in "
        f"{safe(str(saved))}",
        file=sys.stderr,
    )
    return EXIT_FINDINGS


def _cmd_export(args: argparse.Namespace) -> int:
    # The same JSON, with characters a terminal would act on written as \u escapes.
    sys.stdout.write(safe_json_text(_resolve(args.draft).to_json()))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from tui import drafts

    name = args.file
    text = _read_input(name)
    if name.endswith(".json") or (name == "-" and text.lstrip().startswith("{")):
        plan = drafts.from_json_text(text, Path(name)).plan
        notes: list[str] = []
    else:
        from tui.importer import parse_description

        plan, notes = parse_description(text)
    if args.title:
        plan.title.title = args.title
    draft = drafts.create(plan)
    for note in notes:
        print(f"rollout-plan: warning: {safe(note)}", file=sys.stderr)
    print(draft.id)
    return EXIT_OK


def _read_input(name: str) -> str:
    """The text of FILE (or standard input for -), at most MAX_INPUT_BYTES, with
    line ends made \\n as Python's text files do."""
    label = "standard input" if name == "-" else name
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with Path(name).open("rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"no file {name}") from None
    except OSError as error:
        raise UserError(f"cannot read {label}: {error.strerror}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise UserError(f"{label} is over {MAX_INPUT_BYTES // 2**20} MiB: not a plan")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{label} is not UTF-8 text (byte {error.start + 1})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_errors(draft: Draft, force: bool, what: str, anyway: str = "go ahead") -> bool:
    """Say why `what` is refused while the plan has errors (True then), as `copy` does."""
    from tui.checks import check, errors, remaining

    blocking = errors(check(draft.plan))
    if not blocking or force:
        return False
    where = safe(", ".join(f"{f.section} › {f.field}" for f in blocking))
    print(
        f"rollout-plan: not {what}: {remaining(len(blocking))} ({where}). "
        f"See rollout-plan check {draft.id}, or {anyway} with --force.",
        file=sys.stderr,
    )
    return True


def _gitlab_target(draft: Draft, args: argparse.Namespace) -> Target:
    """Where the issue goes: the flags, the FF issue link, the config file, or the
    user's answer (without a terminal, an error naming the flag)."""
    from tui import gitlab_links

    host, project, scheme = gitlab_links.where(
        args.host, args.project, draft.plan.overview.ff_issue
    )
    if project is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UserError(f"which GitLab project is the issue for? {gitlab_links.project_hint()}")
        answer = input(f"GitLab project on {host} for the issue (group/project): ")
        if not answer.strip():
            raise UserError(f"no project given: {gitlab_links.project_hint()}")
        project = gitlab_links.normal_project(answer)
    return gitlab_links.Target(host, project, scheme)


def _cmd_open_in_gitlab(args: argparse.Namespace) -> int:
    from tui import drafts
    from tui.browser import open_url
    from tui.clipboard import copy_to_system

    draft = _resolve(args.draft)
    if _refuse_errors(draft, args.force, "opened"):
        return EXIT_FINDINGS
    target = _gitlab_target(draft, args)
    text = _checked_render(draft.plan)
    if text is None:
        return EXIT_FINDINGS
    url = target.new_issue_url(draft.title, draft.plan.quick_actions.confidential)
    # The description first: the page is for pasting it.
    result = copy_to_system(text)
    if result.confirmed:
        print(f"Copied the description ({text.count(chr(10))} lines): {result.detail}.")
    else:
        saved = drafts.export_markdown(f"{draft.id}.md", text)
        print(
            f"rollout-plan: the description was not copied: {safe(result.detail)}. "
            f"It is saved in {safe(str(saved))}: paste it from there.",
            file=sys.stderr,
        )
    not_opened = open_url(url)
    if not_opened:
        print(f"No browser opened: {not_opened}. Open this address and paste the description:")
    else:
        print("Opened GitLab's new-issue page in your browser: paste the description there.")
    print(safe(url))
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from tui import drafts, gitlab_links, locks, publish

    draft = _resolve(args.draft)
    address = None
    if args.update:
        if args.project or args.host:
            raise UserError("publish --update edits the recorded issue: drop --project and --host")
        if draft.published is None:
            raise UserError(
                f"draft {draft.id} has no published issue to update: "
                f"create it with rollout-plan publish {draft.id}"
            )
        address = gitlab_links.issue_address(draft.published.url)
        if address is None:
            raise UserError(f"the recorded issue {safe(draft.published.url)} is not an issue URL")
    elif draft.published is not None:
        print(
            f"rollout-plan: not published: draft {draft.id} already is {safe(draft.published.url)}"
            f"; rollout-plan publish {draft.id} --update replaces its description",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    if publish.glab() is None:
        print(
            f"rollout-plan: not published: glab is not installed (not on PATH); "
            f"{publish.INSTALL_HINT}, or use rollout-plan open-in-gitlab {draft.id}",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    if _refuse_errors(draft, args.force, "published"):
        return EXIT_FINDINGS
    editor = locks.holder(draft.path)
    if editor is not None and not editor.is_me():
        print(
            f"rollout-plan: not published: draft {draft.id} is open in {editor.describe()}; "
            "publish it from there (P on review) or close that window first",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    target = address.target if address else _gitlab_target(draft, args)
    text = _checked_render(draft.plan)
    if text is None:
        return EXIT_FINDINGS
    try:
        if address is not None:
            issue = publish.update(address, text)
        else:
            issue = publish.create(target, draft.plan, draft.title, text)
    except publish.PublishError as error:
        print(f"rollout-plan: not published: {safe(str(error))}", file=sys.stderr)
        return EXIT_FINDINGS
    if address is not None:
        print(f"Replaced the description of issue #{issue.iid} ({text.count(chr(10))} lines).")
        print(safe(issue.url))
        return EXIT_OK
    print(_created_line(issue, target))
    print(safe(issue.url))
    if draft.plan.quick_actions.confidential and issue.confidential is False:
        print(
            "rollout-plan: warning: GitLab did not make the issue confidential; "
            "make it so now, it holds the plan's metrics",
            file=sys.stderr,
        )
    # Read again: the draft may have been saved while glab ran.
    try:
        current = drafts.load(draft.path)
        current.published = drafts.Published(issue.url, drafts.now())
        drafts.save(current)
    except UserError as error:
        raise UserError(f"the issue exists, but was not recorded in the draft: {error}") from None
    print(f"Recorded in draft {draft.id}: rollout-plan publish {draft.id} --update updates it.")
    return EXIT_OK


def _created_line(issue: Issue, target: Target) -> str:
    traits = ["confidential"] if issue.confidential else []
    if issue.labels:
        traits.append("labels " + ", ".join(issue.labels))
    details = f" ({'; '.join(traits)})" if traits else ""
    return safe(f"Created issue #{issue.iid} in {target.project} on {target.host}{details}.")


def _cmd_restore(args: argparse.Namespace) -> int:
    from tui import drafts

    restored = drafts.restore(args.draft)
    when = drafts.local_time(restored.updated)
    print(
        f"Restored draft {restored.id} '{safe(restored.title)}' as saved {when}. "
        "The version it replaced is now the backup: run restore again to undo."
    )
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace) -> int:
    from tui import drafts

    draft = _resolve(args.draft)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"delete asks for confirmation: add --yes to delete {draft.id}")
        answer = input(f"Delete draft {draft.id} '{safe(draft.title)}'? [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("Kept.")
            return EXIT_FINDINGS
    drafts.delete(draft)
    print(f"Deleted draft {draft.id}.")
    return EXIT_OK


def _resolve(ref: str) -> Draft:
    from tui import drafts

    return drafts.resolve(ref)


# --- Commands that open the wizard -----------------------------------------------------


def _cmd_new(args: argparse.Namespace) -> int:
    from tui import drafts
    from tui.plan import Plan, TitleSection

    draft = drafts.create(Plan(title=TitleSection(title=args.title)))
    return _open_wizard(draft, created=True, args=args)


def _cmd_open(args: argparse.Namespace) -> int:
    return _open_wizard(_resolve(args.draft), args=args)


def _cmd_resume(args: argparse.Namespace) -> int:
    from tui import drafts

    return _open_wizard(drafts.most_recent(), args=args)


def _cmd_home(args: argparse.Namespace) -> int:
    from tui import drafts

    if not _interactive():
        # Piped or scripted: the drafts list is the useful answer.
        _cmd_list(argparse.Namespace(json=False))
        print(
            "\nThe wizard needs a terminal. Without one:\n"
            "  rollout-plan import FILE.md   a draft from an issue description (- for stdin)\n"
            "  rollout-plan check DRAFT      what a reviewer would flag\n"
            "  rollout-plan render DRAFT     the description Markdown\n"
            "  rollout-plan copy DRAFT       the description on the clipboard\n"
            "  rollout-plan --help           every command"
        )
        return EXIT_OK
    # The home screen reads every draft itself; here it is enough to know of one.
    if not any(drafts.drafts_dir().glob(f"*{drafts.DRAFT_SUFFIX}")):
        # Nothing to choose from: start the first plan straight away.
        return _cmd_new(argparse.Namespace(title=""))
    from tui.app import RolloutApp

    RolloutApp().run()
    return EXIT_OK


def _interactive() -> bool:
    # An explicitly chosen Textual driver (benchmarks, a headless run) needs no TTY.
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def _open_wizard(
    draft: Draft, created: bool = False, args: argparse.Namespace | None = None
) -> int:
    from tui import plain

    if plain.wanted(getattr(args, "plain", False)):
        # Line by line on stdin and stdout: works piped, in a dumb terminal, and for
        # a screen reader; never imports Textual.
        return plain.run(draft, color=getattr(args, "color", False))
    if not _interactive():
        if created:
            print(draft.id)
        print(
            f"rollout-plan: the wizard needs a terminal. Draft {draft.id} is saved at "
            f"{safe(str(draft.path))}; check, render or copy it from here.",
            file=sys.stderr,
        )
        return EXIT_OK if created else EXIT_FINDINGS
    from tui.app import RolloutApp

    RolloutApp(draft).run()
    print(f"Draft {draft.id} is saved. Come back with: rollout-plan resume")
    return EXIT_OK


_HANDLERS = {
    "list": _cmd_list,
    "render": _cmd_render,
    "check": _cmd_check,
    "copy": _cmd_copy,
    "export": _cmd_export,
    "import": _cmd_import,
    "delete": _cmd_delete,
    "restore": _cmd_restore,
    "open-in-gitlab": _cmd_open_in_gitlab,
    "publish": _cmd_publish,
    "new": _cmd_new,
    "open": _cmd_open,
    "resume": _cmd_resume,
}
