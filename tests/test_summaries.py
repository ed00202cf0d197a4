"""The drafts list's summary cache: reused while a file is unchanged, never trusted
beyond that, private, and disposable."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.conftest import finding_counts, run_cli
from tests.plans import code_review_plan
from tui import drafts, summaries
from tui.errors import StorageError


def listed() -> dict[str, dict[str, object]]:
    result = run_cli("list", "--json")
    assert result.returncode == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)["drafts"]}


def cache_file(home: Path) -> Path:
    return home / "cache" / summaries.CACHE_NAME


def test_list_fills_a_private_cache_and_reads_from_it(home: Path) -> None:
    draft = drafts.create(code_review_plan())
    first = listed()
    assert first[draft.id]["title"] == "[claude-4-0-sonnet] Rollout Plan"
    cached = cache_file(home)
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    # A summary that says otherwise shows: the list did not read the draft again.
    data = json.loads(cached.read_text())
    data["entries"][f"{draft.id}.json"]["title"] = "from the cache"
    cached.write_text(json.dumps(data))
    assert listed()[draft.id]["title"] == "from the cache"


def test_a_saved_draft_is_summarised_again(home: Path) -> None:
    draft = drafts.create()
    assert listed()[draft.id]["errors"] == finding_counts(draft.plan)[0]
    draft.plan = code_review_plan()
    drafts.save(draft)
    row = listed()[draft.id]
    assert (row["title"], row["errors"], row["warnings"]) == (
        "[claude-4-0-sonnet] Rollout Plan",
        0,
        0,
    )


def test_a_draft_broken_since_it_was_cached_is_shown_broken(home: Path) -> None:
    draft = drafts.create()
    listed()
    draft.path.write_text("{not json")
    result = run_cli("list")
    assert result.returncode == 0
    assert "UNREADABLE" in result.stdout
    assert "not valid JSON" in result.stdout


def test_deleted_drafts_leave_the_cache(home: Path) -> None:
    keep, gone = drafts.create(), drafts.create()
    listed()
    drafts.delete(gone)
    assert set(listed()) == {keep.id}
    entries = json.loads(cache_file(home).read_text())["entries"]
    assert set(entries) == {f"{keep.id}.json"}


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"version": "0.0.1/1/1", "entries": {}}',
        b'{"version": "%s", "entries": {"../x.json": {}}}',
        b'{"version": "%s", "entries": {"%s.json": {"key": "x", "title": 5}}}',
    ],
    ids=["not-json", "wrong-shape", "other-version", "bad-name", "bad-entry"],
)
def test_a_bad_cache_is_ignored_and_rebuilt(home: Path, content: bytes) -> None:
    draft = drafts.create(code_review_plan())
    cached = cache_file(home)
    cached.parent.mkdir(parents=True, exist_ok=True)
    if b"%s" in content:
        text = content.decode().replace("%s", summaries.CACHE_VERSION, 1)
        content = text.replace("%s", draft.id).encode()
    cached.write_bytes(content)
    row = listed()[draft.id]
    assert (row["title"], row["errors"]) == ("[claude-4-0-sonnet] Rollout Plan", 0)
    assert json.loads(cached.read_text())["version"] == summaries.CACHE_VERSION


def test_a_cache_that_cannot_be_written_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    draft = drafts.create()

    def full_disk(path: Path, text: str, keep_backup: bool = False) -> None:
        raise StorageError(f"cannot save {path}: No space left on device")

    monkeypatch.setattr(drafts, "write_atomic", full_disk)
    found, broken = summaries.scan()
    assert [summary.id for summary in found] == [draft.id]
    assert found[0].errors == finding_counts(draft.plan)[0]
    assert broken == []


async def test_home_fills_in_counts_and_finds_broken_drafts_after_its_first_frame(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable

    from tui.app import RolloutApp
    from tui.screens import home as home_screen
    from tui.screens.home import PENDING

    # Rows come a chunk a frame after the first: the worker may fill in a row before
    # it is added.
    monkeypatch.setattr(home_screen, "FIRST_ROWS", 7)

    made = [drafts.create(code_review_plan() if i % 2 else None) for i in range(30)]
    # Valid JSON, so its title shows at once; only reading it finds what is wrong.
    wrong = drafts.create()
    data = json.loads(wrong.path.read_text())
    data["plan"]["checklist"]["unit_primitives"] = "half done"
    wrong.path.write_text(json.dumps(data))
    assert len(summaries.first_look().pending) == 31

    app = RolloutApp()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    assert len(rows) == 31
    unreadable = [row for row in rows if row[0].startswith("UNREADABLE")]
    assert [row[0] for row in unreadable] == [f"UNREADABLE {wrong.id}.json"]
    assert "checklist.unit_primitives" in unreadable[0][4]
    counts = {(row[0], row[2], row[3]) for row in rows if row not in unreadable}
    assert counts == {
        ("[AI Model] Rollout Plan", "2", "6"),
        ("[claude-4-0-sonnet] Rollout Plan", "0", "0"),
    }
    assert PENDING not in {cell for row in rows for cell in row}
    # What the worker learnt is cached: the next look reads no plan.
    look = summaries.first_look()
    assert [path for path, _ in look.pending] == [wrong.path]
    assert {summary.id for summary in look.found if summary.counted} == {d.id for d in made}
