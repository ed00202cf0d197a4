"""The system clipboard for real: xclip on a virtual X display (xvfb-run).

`.ci/run` installs xvfb and xclip; elsewhere the test is skipped when they are
missing, and in CI it fails instead of hiding.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import CODE_REVIEW, run_cli
from tui.clipboard import copy_to_tmux, osc52, tmux_passthrough


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing: .ci/run installs them")
        pytest.skip(f"{', '.join(missing)} not installed")


def test_cli_copy_is_read_back_by_xclip_under_xvfb() -> None:
    need("xvfb-run", "xclip")
    draft_id = run_cli("import", str(CODE_REVIEW), "--title", "T").stdout.strip()
    expected = run_cli("render", draft_id).stdout
    copy = f"{shlex.quote(sys.executable)} -m tui copy {draft_id}"
    # Both in one X session: the copy, then what any other program would paste.
    script = f"{copy} >&2 && xclip -o -selection clipboard"
    result = subprocess.run(
        ["xvfb-run", "-a", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    assert "copied to the system clipboard" in result.stderr
    assert result.stdout == expected


def test_osc52_carries_the_text_and_tmux_gets_it_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    text = "## Overview\n| a | b |\n"
    sequence = osc52(text)
    assert sequence.startswith("\x1b]52;c;") and sequence.endswith("\a")
    assert base64.b64decode(sequence[7:-1]).decode() == text
    monkeypatch.delenv("TMUX", raising=False)
    assert tmux_passthrough(text) == ""
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    wrapped = tmux_passthrough(text)
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]52;c;") and wrapped.endswith("\x1b\\")


def test_inside_tmux_the_wizard_hands_the_text_to_tmux(monkeypatch: pytest.MonkeyPatch) -> None:
    need("tmux")
    # A socket's path holds at most 107 bytes: a pytest-xdist worker's tmp_path is deeper
    # than that, the run's temporary folder is not (and the folder goes with the test).
    folder = Path(tempfile.mkdtemp(prefix="sock-"))
    socket = folder / "tmux.sock"
    tmux = ["tmux", "-S", str(socket), "-f", os.devnull]
    try:
        subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24"], check=True, timeout=30)
        # What tmux sets in its panes: the server's socket, its pid, the session.
        monkeypatch.setenv("TMUX", f"{socket},0,0")
        text = "## Overview\n| a | b |\n"
        copy_to_tmux(text)
        shown = subprocess.run(
            [*tmux, "show-buffer"], capture_output=True, text=True, check=True, timeout=30
        )
        assert shown.stdout == text
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
