"""Headless commands must never import Textual: they stay fast and work anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.plans import code_review_plan
from tests.test_cli import help_commands
from tests.test_publish import BROWSER, GLAB, executable
from tui import drafts

PROBE = """
import json, sys
from tui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:  # argparse's --help, --version and usage errors
    code = stop.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'pyperclip'})
print('PROBE=' + json.dumps({'exit': code, 'modules': heavy}), file=sys.stderr)
"""


class Probed(NamedTuple):
    exit: int
    modules: list[str]  # the heavy modules it loaded
    stdout: str
    stderr: str


def probe(
    *args: str, env: dict[str, str] | None = None, stdin: str = "", script: str = PROBE
) -> Probed:
    """Run `rollout-plan ARGS` in a fresh interpreter and see what it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("PROBE=")]
    assert lines, result.stderr
    found = json.loads(lines[-1].removeprefix("PROBE="))
    return Probed(found["exit"], found["modules"], result.stdout, result.stderr)


@pytest.fixture
def stand_ins(tmp_path: Path) -> dict[str, str]:
    """An environment where open-in-gitlab and publish do all their work and reach
    nothing: a stand-in glab first on PATH, a stand-in browser, no display (so no
    system clipboard either)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    records = tmp_path / "glab-calls"
    records.mkdir()
    executable(bin_dir / "glab", GLAB.format(python=sys.executable, folder=str(records)))
    browser = executable(bin_dir / "browser", BROWSER.format(log=tmp_path / "browser.log"))
    env = {
        k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "BROWSER"}
    }
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "BROWSER": str(browser)}


# Each case does its real work: the draft exists and has a backup, the stand-ins answer.
# Expected: the exit code, and the heavy modules the command may load (copying reaches
# for pyperclip, and with no display it finds no clipboard: `copy` exits 1, as
# documented, and saves the description instead; open-in-gitlab says so and goes on).
CASES = [
    (["--help"], 0, []),
    (["--version"], 0, []),
    (["list"], 0, []),
    (["list", "--json"], 0, []),
    (["render", "--blank"], 0, []),
    (["render", "{id}"], 0, []),
    (["check", "{id}"], 0, []),
    (["export", "{id}"], 0, []),
    (["import", "{json}"], 0, []),
    (["delete", "{id}", "--yes"], 0, []),
    (["restore", "{id}"], 0, []),
    (["copy", "{id}"], 1, ["pyperclip"]),
    (["open-in-gitlab", "{id}", "--project", "group/project"], 0, ["pyperclip"]),
    (["publish", "{id}", "--project", "group/project"], 0, []),
]


@pytest.mark.parametrize(
    ("args", "exit_code", "modules"), CASES, ids=[" ".join(case[0]) for case in CASES]
)
def test_headless_commands_do_not_import_textual(
    args: list[str], exit_code: int, modules: list[str], tmp_path: Path, stand_ins: dict[str, str]
) -> None:
    draft = drafts.create(code_review_plan())
    drafts.save(draft)  # the first save keeps a backup, for restore
    exported = tmp_path / "d.json"
    exported.write_text(draft.to_json())
    filled = [a.format(id=draft.id, json=exported) for a in args]
    probed = probe(*filled, env=stand_ins)
    assert probed.exit == exit_code, probed.stderr
    assert probed.modules == modules


def test_every_command_has_a_probe() -> None:
    from tui.cli import WIZARD_COMMANDS, build_parser

    headless = set(help_commands(build_parser().format_help())) - WIZARD_COMMANDS
    assert {case[0][0] for case in CASES} - {"--help", "--version"} == headless


def test_the_probe_would_see_textual() -> None:
    # Guard the guard: the probe reports a module that was imported.
    script = PROBE.replace("from tui.cli import main", "import textual\nfrom tui.cli import main")
    assert "textual" in probe("--version", script=script).modules


def test_the_probe_sees_a_failing_exit() -> None:
    assert probe("render", "no-such-draft").exit == 2


WIZARD_PROBE = PROBE.replace(
    "{'textual', 'rich', 'pyperclip'}",
    "{'textual.widgets._markdown', 'markdown_it', 'jinja2', 'tui.render', 'tui.importer'}",
).replace("m.split('.')[0] for m in sys.modules", "m for m in sys.modules")


def test_the_wizard_starts_without_preview_renderer_or_importer() -> None:
    """The Markdown preview, Jinja2 and the importer load only when first used."""
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "ROLLOUT_PLAN_EXIT_WHEN_READY": "1",
    }
    probed = probe("new", env=env, script=WIZARD_PROBE)
    assert probed.exit == 0, probed.stderr
    assert probed.modules == []


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["new", "--plain"], {}),
        (["resume", "--plain"], {}),
        (["new"], {"TERM": "dumb"}),
        (["new"], {"ROLLOUT_PLAN_PLAIN": "1"}),
    ],
    ids=["new --plain", "resume --plain", "TERM=dumb", "ROLLOUT_PLAN_PLAIN=1"],
)
def test_plain_mode_does_not_import_textual(args: list[str], env: dict[str, str]) -> None:
    """The plain mode runs where Textual cannot (a dumb terminal, a pipe): it never
    loads it, not even to review the plan."""
    drafts.create(code_review_plan())
    probed = probe(*args, stdin=":review\n:quit\n", env={**os.environ, **env})
    assert probed.exit == 0, probed.stderr
    assert "## Overview" in probed.stdout, probed.stderr  # it did review the plan
    assert probed.modules == []
