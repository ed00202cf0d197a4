"""Every kind of broken draft file, as `list`, `open` and the home screen show it:
named with the reason, never changed, never hiding the good drafts."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.conftest import BROKEN_FILES, BROKEN_IDS, run_cli
from tui import drafts
from tui.app import RolloutApp

CASES = pytest.mark.parametrize(("content", "reason"), BROKEN_FILES, ids=BROKEN_IDS)


def broken_file(content: bytes) -> drafts.Path:
    path = drafts.drafts_dir() / "0b0b0b0b.json"
    path.write_bytes(content)
    return path


@CASES
def test_list_names_the_file_and_the_reason(content: bytes, reason: str) -> None:
    good = drafts.create()
    path = broken_file(content)
    result = run_cli("list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith(good.id) for line in lines)
    broken_line = next(line for line in lines if "UNREADABLE" in line)
    assert str(path) in broken_line and reason in broken_line
    assert path.read_bytes() == content


@CASES
def test_open_says_why_in_one_line(content: bytes, reason: str) -> None:
    path = broken_file(content)
    result = run_cli("open", "0b0b0b0b")
    assert result.returncode == 2
    assert result.stderr.startswith("rollout-plan: ") and reason in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert path.read_bytes() == content


@CASES
async def test_home_screen_shows_it_and_will_not_open_it(content: bytes, reason: str) -> None:
    good = drafts.create()
    path = broken_file(content)
    app = RolloutApp()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == good.title
        assert rows[1][0] == f"UNREADABLE {path.name}" and reason in rows[1][4]
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert any("cannot be read" in n.message for n in app._notifications)
        detail = str(app.screen.query_one("#home-detail").render())
        assert "left untouched" in detail
    assert path.read_bytes() == content
