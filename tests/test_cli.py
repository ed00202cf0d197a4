"""The command line as a user meets it: exit codes, messages, files on disk."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from tests.conftest import TEMPLATE, errors_remain, finding_counts, run_cli
from tests.plans import code_review_plan
from tui import drafts


def new_draft() -> str:
    result = run_cli("new", "--title", "[m] Rollout Plan")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def filled_draft() -> drafts.Draft:
    return drafts.create(code_review_plan())


def help_commands(help_text: str) -> list[str]:
    """The subcommands argparse lists under `COMMAND`, in order.

    Each starts a line indented four spaces; a help text that wraps continues on a
    line indented further.
    """
    section = help_text.split("positional arguments:\n", 1)[1].split("\n\n", 1)[0]
    return [m.group(1) for m in re.finditer(r"^ {4}(\S+)", section, flags=re.MULTILINE)]


def test_version_and_help() -> None:
    from importlib.metadata import version

    assert run_cli("--version").stdout.strip() == f"rollout-plan {version('rollout-plan')}"
    result = run_cli("--help")
    assert result.returncode == 0
    assert help_commands(result.stdout) == [
        "new",
        "open",
        "resume",
        "list",
        "render",
        "check",
        "copy",
        "export",
        "import",
        "restore",
        "open-in-gitlab",
        "publish",
        "delete",
    ]


def test_help_commands_reads_one_name_a_command() -> None:
    # Guard the guard: a wrapped help line is not a command, and a command left out
    # of the help is missing from the list.
    shown = (
        "usage: x\n\npositional arguments:\n  COMMAND\n    new           start\n"
        "    open-in-gitlab\n                  copy the description\n\noptions:\n"
        "  -h, --help\n"
    )
    assert help_commands(shown) == ["new", "open-in-gitlab"]


def test_list_with_no_drafts_says_how_to_start() -> None:
    result = run_cli("list")
    assert result.returncode == 0
    assert result.stdout == "No drafts yet. Start one with: rollout-plan new\n"


def test_new_creates_a_draft_that_list_shows(home: Path) -> None:
    draft_id = new_draft()
    assert (home / "drafts" / f"{draft_id}.json").is_file()
    listed = json.loads(run_cli("list", "--json").stdout)
    [row] = listed["drafts"]
    errors, _warnings = finding_counts(drafts.resolve(draft_id).plan)
    assert (row["id"], row["title"], row["errors"]) == (draft_id, "[m] Rollout Plan", errors)
    assert listed["unreadable"] == []
    assert draft_id in run_cli("list").stdout


def test_list_shows_unreadable_files_with_the_reason(home: Path) -> None:
    new_draft()
    (home / "drafts" / "torn.json").write_text('{"schema_version": 1, "pl')
    result = run_cli("list")
    assert result.returncode == 0
    assert "torn  UNREADABLE" in result.stdout and "not valid JSON" in result.stdout
    assert (home / "drafts" / "torn.json").exists()


def test_render_blank_prints_the_template() -> None:
    result = run_cli("render", "--blank")
    assert result.returncode == 0
    assert result.stdout.startswith("<!-- Do not remove this confidential declaration")
    assert "## Evaluation Template" in result.stdout
    assert result.stdout.count("/confidential") == 1
    assert result.stdout.splitlines()[:5] == TEMPLATE.read_text().splitlines()[2:7]


def test_render_a_draft_to_a_file(tmp_path: Path) -> None:
    draft = filled_draft()
    out = tmp_path / "issue.md"
    result = run_cli("render", draft.id[:4], "-o", str(out))
    assert result.returncode == 0
    assert out.read_text() == run_cli("render", draft.id).stdout
    assert "| **Change** | | **+0.21 change** | **9.2% faster** | **7.1% faster** |" in (
        out.read_text()
    )


def test_render_needs_a_draft_or_blank() -> None:
    result = run_cli("render")
    assert result.returncode == 2
    assert result.stderr == "rollout-plan: render takes a DRAFT or --blank (one of the two)\n"


@pytest.mark.parametrize("command", ["render", "check", "copy", "export", "open", "delete"])
def test_unknown_draft_is_one_clear_line(command: str) -> None:
    result = run_cli(command, "nope")
    assert result.returncode == 2
    assert result.stderr == "rollout-plan: no draft 'nope' (see `rollout-plan list`)\n"


def test_check_exit_codes_and_json() -> None:
    draft = filled_draft()
    result = run_cli("check", draft.id)
    assert result.returncode == 0, result.stdout
    draft.plan.overview.ff_issue = "gitlab-org/gitlab!12"
    drafts.save(draft)
    result = run_cli("check", draft.id)
    assert result.returncode == 1
    assert "error    Overview › Feature Flag Rollout Issue: that is a merge request" in (
        result.stdout
    )
    findings = json.loads(run_cli("check", draft.id, "--json").stdout)
    assert {"level", "section", "field", "message", "path"} <= set(findings[0])
    assert findings[0]["level"] == "error"


def test_check_with_warnings_only_exits_zero() -> None:
    draft = filled_draft()
    draft.plan.overview.status_updates = ""
    drafts.save(draft)
    result = run_cli("check", draft.id)
    assert result.returncode == 0
    assert "warning  Overview › Status updates" in result.stdout


def test_copy_refuses_while_errors_remain() -> None:
    draft_id = new_draft()
    result = run_cli("copy", draft_id)
    assert result.returncode == 1
    plan = drafts.resolve(draft_id).plan
    assert f"not copied: {errors_remain(plan)} (Overview › Feature Flag Rollout Issue" in (
        result.stderr
    )
    assert "--force" in result.stderr


def test_copy_without_a_clipboard_saves_the_file_and_says_so(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = filled_draft()
    monkeypatch.setenv("PATH", "/nonexistent")  # no xclip, xsel or wl-copy to be found
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run_cli("copy", draft.id)
    saved = home / "exports" / f"{draft.id}.md"
    assert result.returncode == 1
    assert "no system clipboard found (install xclip or xsel (X11) or wl-clipboard" in (
        result.stderr
    )
    assert str(saved) in result.stderr
    assert saved.read_text() == run_cli("render", draft.id).stdout
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_copy_puts_the_render_on_the_clipboard(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import pyperclip

    from tui.cli import main
    from tui.render import render

    board: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", board.append)
    monkeypatch.setattr(pyperclip, "paste", lambda: board[-1])
    draft = filled_draft()
    assert main(["copy", draft.id]) == 0
    assert board == [render(draft.plan)]
    assert "Copied the description of '[claude-4-0-sonnet] Rollout Plan'" in capsys.readouterr().out


def test_copy_that_cannot_be_read_back_is_not_called_a_success(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import pyperclip

    from tui.cli import main

    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: "")
    assert main(["copy", filled_draft().id]) == 1
    assert "the clipboard did not keep the text" in capsys.readouterr().err


def test_export_then_import_json_gives_the_same_plan(tmp_path: Path) -> None:
    draft = filled_draft()
    exported = run_cli("export", draft.id)
    assert exported.returncode == 0
    path = tmp_path / "draft.json"
    path.write_text(exported.stdout)
    imported = run_cli("import", str(path))
    assert imported.returncode == 0, imported.stderr
    new_id = imported.stdout.strip()
    assert new_id != draft.id
    assert drafts.resolve(new_id).plan == draft.plan
    from_stdin = run_cli("import", "-", stdin=exported.stdout)
    assert drafts.resolve(from_stdin.stdout.strip()).plan == draft.plan


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "rollout-plan: no file {path}\n"),
        ("{broken", "rollout-plan: not valid JSON (line 1: Expecting property name"),
        ('{"schema_version": 1, "plan": {"nope": 1}}', "rollout-plan: the plan does not fit"),
    ],
)
def test_import_of_a_bad_file_is_one_line(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content)
    result = run_cli("import", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(message.format(path=path))
    assert result.stderr.count("\n") == 1


def test_delete_asks_outside_a_terminal_for_yes(home: Path) -> None:
    draft_id = new_draft()
    refused = run_cli("delete", draft_id)
    assert refused.returncode == 2
    assert "add --yes" in refused.stderr
    assert (home / "drafts" / f"{draft_id}.json").exists()
    done = run_cli("delete", draft_id, "--yes")
    assert done.returncode == 0
    assert not (home / "drafts" / f"{draft_id}.json").exists()


def test_resume_with_no_drafts_says_how_to_start() -> None:
    result = run_cli("resume")
    assert result.returncode == 2
    assert "start one with `rollout-plan new`" in result.stderr


def test_bare_command_without_a_terminal_lists_drafts_and_what_works() -> None:
    draft_id = new_draft()
    result = run_cli()
    assert result.returncode == 0
    assert result.stdout.startswith(draft_id)
    assert "The wizard needs a terminal" in result.stdout
    assert "rollout-plan import FILE.md" in result.stdout


def test_render_to_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    draft = filled_draft()
    result = run_cli("render", draft.id, "-o", str(tmp_path / "missing" / "issue.md"))
    assert result.returncode == 2
    assert result.stderr.startswith("rollout-plan: cannot write ")
    assert result.stderr.count("\n") == 1


def test_open_without_a_terminal_says_where_the_draft_is() -> None:
    draft = filled_draft()
    result = run_cli("open", draft.id)
    assert result.returncode == 1
    assert "the wizard needs a terminal" in result.stderr
    assert f"Draft {draft.id} is saved at {draft.path}" in result.stderr


def test_copy_force_copies_despite_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyperclip

    from tui.cli import main

    board: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", board.append)
    monkeypatch.setattr(pyperclip, "paste", lambda: board[-1])
    draft_id = new_draft()  # the feature flag issue is still missing: an error
    assert main(["copy", draft_id]) == 1 and board == []
    assert main(["copy", draft_id, "--force"]) == 0
    assert board[0].startswith("<!-- Do not remove this confidential declaration")
