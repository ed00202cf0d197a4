"""The draft store: private files, atomic saves, ids and prefixes, unreadable files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import BROKEN_FILES, BROKEN_IDS
from tests.plans import code_review_plan
from tui import drafts
from tui.errors import DraftError
from tui.plan import SCHEMA_VERSION, Plan


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_lives_under_rollout_plan_home(home: Path) -> None:
    draft = drafts.create()
    assert draft.path.parent == home / "drafts"


def test_folders_and_files_are_private(home: Path) -> None:
    draft = drafts.create(code_review_plan())
    exported = drafts.export_markdown(f"{draft.id}.md", "text\n")
    assert mode(home) == 0o700
    assert mode(home / "drafts") == 0o700
    assert mode(home / "exports") == 0o700
    assert mode(draft.path) == 0o600
    assert mode(exported) == 0o600


def test_draft_file_layout_is_stable_pretty_json() -> None:
    draft = drafts.create(code_review_plan())
    text = draft.path.read_text()
    data = json.loads(text)
    assert list(data) == ["schema_version", "written_by", "id", "created", "updated", "plan"]
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["plan"]["overview"]["ff_issue"].endswith("/-/issues/547713")
    assert text == draft.to_json() and text.startswith("{\n  ")


def test_save_and_load_round_trip_every_value() -> None:
    draft = drafts.create()
    draft.plan = code_review_plan()
    drafts.save(draft)
    assert drafts.resolve(draft.id).plan == code_review_plan()


def test_a_failed_save_leaves_the_previous_draft_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    draft = drafts.create(code_review_plan())
    before = draft.path.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    draft.plan.legal.notes = "changed"
    with pytest.raises(OSError):
        drafts.save(draft)
    assert draft.path.read_bytes() == before
    assert [p.name for p in draft.path.parent.iterdir()] == [draft.path.name]


def test_resolve_by_id_prefix_and_path() -> None:
    draft = drafts.create()
    assert drafts.resolve(draft.id).id == draft.id
    assert drafts.resolve(draft.id[:3]).id == draft.id
    assert drafts.resolve(str(draft.path)).id == draft.id


def test_unknown_draft_says_so() -> None:
    with pytest.raises(DraftError, match="no draft 'nope'"):
        drafts.resolve("nope")


def test_ambiguous_prefix_names_the_candidates(home: Path) -> None:
    folder = drafts.drafts_dir()
    for draft_id in ("abc111", "abc222"):
        drafts.write_atomic(folder / f"{draft_id}.json", drafts.create().to_json())
    with pytest.raises(DraftError, match=r"'abc' matches several drafts \(abc111, abc222\)"):
        drafts.resolve("abc")


@pytest.mark.parametrize(("content", "reason"), BROKEN_FILES, ids=BROKEN_IDS)
def test_unreadable_files_are_listed_with_the_reason(content: bytes, reason: str) -> None:
    good = drafts.create()
    broken = drafts.drafts_dir() / "broken.json"
    broken.write_bytes(content)
    found, unreadable = drafts.scan()
    assert [d.id for d in found] == [good.id]
    assert [(u.path, reason in u.reason) for u in unreadable] == [(broken, True)]
    assert broken.read_bytes() == content  # never rewritten or removed


def test_scan_lists_most_recently_edited_first() -> None:
    first, second = drafts.create(), drafts.create()
    first.updated = "2099-01-01T00:00:00+00:00"
    drafts.write_atomic(first.path, first.to_json())
    assert [d.id for d in drafts.scan()[0]] == [first.id, second.id]
    assert drafts.most_recent().id == first.id


def test_plan_defaults_hold_the_templates_prefilled_values() -> None:
    plan = Plan()
    assert [r.audience for r in plan.timeline.rows][-1] == "100% of all users"
    assert plan.quick_actions.confidential is True
    assert len(plan.documentation.links) == 3


def test_temporary_files_of_killed_saves_are_cleared_but_young_ones_kept() -> None:
    import os
    import time

    draft = drafts.create()
    folder = drafts.drafts_dir()
    old = folder / f".{draft.path.name}.abc123.tmp"
    young = folder / f".{draft.path.name}.def456.tmp"
    old.write_text("{ torn")
    young.write_text("{ being written")
    hours_ago = time.time() - 2 * drafts.STALE_TEMP_SECONDS
    os.utime(old, (hours_ago, hours_ago))
    found, broken = drafts.scan()
    assert not old.exists() and young.exists()
    assert [d.id for d in found] == [draft.id] and broken == []
