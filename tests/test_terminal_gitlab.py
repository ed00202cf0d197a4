"""`o` on review in a real terminal: tmux runs the wizard with `set-clipboard on` and
a browser that records the address it is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CODE_REVIEW, run_cli
from tests.test_publish import BROWSER, executable
from tests.test_terminal import Tmux, tmux  # noqa: F401 (the fixture)


def test_o_in_tmux_opens_the_new_issue_page_and_fills_tmux_buffer(
    tmux: Tmux,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = tmp_path / "browser.log"
    browser = executable(tmp_path / "record-browser", BROWSER.format(log=log))
    # The tmux server, started by this process, passes its environment on to the wizard.
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setenv("ROLLOUT_PLAN_CONFIG", str(tmp_path / "config"))
    imported = run_cli("import", str(CODE_REVIEW), "--title", "[claude-4-0-sonnet] Rollout Plan")
    draft_id = imported.stdout.strip()
    expected = run_cli("render", draft_id).stdout
    tmux.start("open", draft_id)
    tmux.wait_for("Issue title")
    tmux.keys("C-r")
    tmux.wait_for("Copy description")
    tmux.keys("o")
    tmux.wait_for("Opened GitLab")
    assert log.read_text().splitlines() == [
        "https://gitlab.com/gitlab-org/gitlab/-/issues/new?issue[title]="
        "%5Bclaude-4-0-sonnet%5D%20Rollout%20Plan&issue[confidential]=true"
    ]
    buffer = tmux.run("show-buffer")
    assert buffer.returncode == 0, "tmux received no OSC 52 copy"
    assert buffer.stdout == expected
    tmux.keys("C-q")
    tmux.wait_gone()
