"""The `rollout-plan` command line.

Headless commands (list, render, check, copy, export, import, delete) never
import Textual; only the commands that open the wizard do, lazily. Every mistake
a user can make ends in one line on stderr and a non-zero exit, never a traceback:
exit 1 when the plan has errors or an action was refused, exit 2 for a usage
mistake (unknown draft, unreadable file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui import __version__
from tui.errors import UserError

if TYPE_CHECKING:
    from tui.checks import Finding
    from tui.drafts import Draft

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
    commands.add_parser("resume", help="open the most recently edited draft")

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
    try:
        return handler(args)
    except UserError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `rollout-plan render X | head`: the reader left; that is not an error.
        sys.stderr.close()
        return EXIT_OK


def _fail(message: str) -> int:
    print(f"rollout-plan: {message}", file=sys.stderr)
    return EXIT_USAGE


# --- Headless commands -----------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
    from tui import drafts
    from tui.checks import Level, check

    found, broken = drafts.scan()
    rows = []
    for draft in found:
        findings = check(draft.plan)
        rows.append(
            {
                "id": draft.id,
                "title": draft.title,
                "ff_issue": draft.plan.overview.ff_issue,
                "created": draft.created,
                "updated": draft.updated,
                "errors": sum(f.level is Level.ERROR for f in findings),
                "warnings": sum(f.level is Level.WARNING for f in findings),
                "path": str(draft.path),
            }
        )
    unreadable = [
        {
            "id": b.id,
            "path": str(b.path),
            "reason": b.reason,
            "backup": drafts.has_readable_backup(b.path),
        }
        for b in broken
    ]
    if args.json:
        print(json.dumps({"drafts": rows, "unreadable": unreadable}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows and not unreadable:
        print("No drafts yet. Start one with: rollout-plan new")
        return EXIT_OK
    for row in rows:
        counts = f"{row['errors']} errors, {row['warnings']} warnings"
        print(f"{row['id']}  {drafts.local_time(row['updated'])}  {counts:<22}  {row['title']}")
    for entry in unreadable:
        hint = (
            f" (rollout-plan restore {entry['id']} puts back its backup)" if entry["backup"] else ""
        )
        print(f"{entry['id']}  UNREADABLE  {entry['path']}: {entry['reason']}{hint}")
    return EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    from tui.plan import Plan
    from tui.render import render

    if args.blank == bool(args.draft):
        raise UserError("render takes a DRAFT or --blank (one of the two)")
    plan = Plan() if args.blank else _resolve(args.draft).plan
    text = render(plan)
    if args.output:
        _write_output(Path(args.output), text)
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _write_output(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    from tui.checks import check, errors

    findings = check(_resolve(args.draft).plan)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        for line in _report_lines(findings):
            print(line)
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
    from tui.checks import check, errors
    from tui.clipboard import copy_to_system
    from tui.render import render

    draft = _resolve(args.draft)
    blocking = errors(check(draft.plan))
    if blocking and not args.force:
        where = ", ".join(f"{f.section} › {f.field}" for f in blocking)
        print(
            f"rollout-plan: not copied: {len(blocking)} error(s) remain ({where}). "
            f"See rollout-plan check {draft.id}, or copy anyway with --force.",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    text = render(draft.plan)
    result = copy_to_system(text)
    if result.confirmed:
        print(
            f"Copied the description of '{draft.title}' ({text.count(chr(10))} lines): "
            f"{result.detail}."
        )
        return EXIT_OK
    saved = drafts.export_markdown(f"{draft.id}.md", text)
    print(
        f"rollout-plan: not copied: {result.detail}. The description is saved in {saved}",
        file=sys.stderr,
    )
    return EXIT_FINDINGS


def _cmd_export(args: argparse.Namespace) -> int:
    sys.stdout.write(_resolve(args.draft).to_json())
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
        print(f"rollout-plan: warning: {note}", file=sys.stderr)
    print(draft.id)
    return EXIT_OK


def _read_input(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"no file {name}") from None
    except UnicodeDecodeError:
        raise UserError(f"{name} is not a UTF-8 text file") from None
    except OSError as error:
        raise UserError(f"cannot read {name}: {error.strerror}") from None


def _cmd_restore(args: argparse.Namespace) -> int:
    from tui import drafts

    restored = drafts.restore(args.draft)
    when = drafts.local_time(restored.updated)
    print(
        f"Restored draft {restored.id} '{restored.title}' as saved {when}. "
        "The version it replaced is now the backup: run restore again to undo."
    )
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace) -> int:
    from tui import drafts

    draft = _resolve(args.draft)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"delete asks for confirmation: add --yes to delete {draft.id}")
        answer = input(f"Delete draft {draft.id} '{draft.title}'? [y/N] ")
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
    return _open_wizard(draft, created=True)


def _cmd_open(args: argparse.Namespace) -> int:
    return _open_wizard(_resolve(args.draft))


def _cmd_resume(args: argparse.Namespace) -> int:
    from tui import drafts

    return _open_wizard(drafts.most_recent())


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


def _open_wizard(draft: Draft, created: bool = False) -> int:
    if not _interactive():
        if created:
            print(draft.id)
        print(
            f"rollout-plan: the wizard needs a terminal. Draft {draft.id} is saved at "
            f"{draft.path}; check, render or copy it from here.",
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
    "new": _cmd_new,
    "open": _cmd_open,
    "resume": _cmd_resume,
}
