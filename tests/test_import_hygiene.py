"""Headless commands must never import Textual: they stay fast and work anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.plans import code_review_plan
from tui import drafts

PROBE = """
import json, sys
from tui.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'pyperclip'})
print('MODULES=' + json.dumps(heavy), file=sys.stderr)
"""


def loaded_heavy_modules(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("MODULES=")][-1]
    return json.loads(line.removeprefix("MODULES="))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["list"],
        ["list", "--json"],
        ["render", "--blank"],
        ["render", "{id}"],
        ["check", "{id}"],
        ["export", "{id}"],
        ["import", "{json}"],
        ["delete", "nope"],
        ["restore", "{id}"],
        # Both stop before the clipboard or glab: unknown draft, nothing published yet.
        ["open-in-gitlab", "nope"],
        ["publish", "{id}", "--update"],
    ],
    ids=lambda args: " ".join(args),
)
def test_headless_commands_do_not_import_textual(args: list[str], tmp_path) -> None:
    draft = drafts.create(code_review_plan())
    exported = tmp_path / "d.json"
    exported.write_text(draft.to_json())
    filled = [a.format(id=draft.id, json=exported) for a in args]
    assert loaded_heavy_modules(*filled) == []


def test_the_probe_would_see_textual() -> None:
    # Guard the guard: the probe reports a module that was imported.
    code = PROBE.replace("from tui.cli import main", "import textual\nfrom tui.cli import main")
    result = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, timeout=60
    )
    assert 'MODULES=["rich", "textual"]' in result.stderr or 'MODULES=["textual"]' in (
        result.stderr
    )


WIZARD_PROBE = """
import json, os, sys
from tui.cli import main
main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m in {
    'textual.widgets._markdown', 'markdown_it', 'jinja2', 'tui.render', 'tui.importer'})
print('MODULES=' + json.dumps(loaded), file=sys.stderr)
"""


def test_the_wizard_starts_without_preview_renderer_or_importer() -> None:
    """The Markdown preview, Jinja2 and the importer load only when first used."""
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "ROLLOUT_PLAN_EXIT_WHEN_READY": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", WIZARD_PROBE, "new"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("MODULES=")]
    assert line, result.stderr
    assert json.loads(line[-1].removeprefix("MODULES=")) == []


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
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=":review\n:quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert "## Overview" in result.stdout, result.stderr  # it did review the plan
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("MODULES=")][-1]
    assert json.loads(line.removeprefix("MODULES=")) == []
