"""Never lose a plan: kills during saves, backups, restore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.plans import code_review_plan
from tui import drafts
from tui.plan import Plan

WRITER = Path(__file__).with_name("crash_writer.py")


# docs/design.md §6 and the README promise this many; about 8 s here.
KILLS = 1000


def test_a_thousand_kills_during_saves_leave_no_torn_draft(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(WRITER), str(KILLS), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["kills"], report["torn"]) == (KILLS, 0)
    # The kills land inside saves, not only between them (about 40% here).
    assert report["mid_write"] >= KILLS // 10, report


def test_every_save_keeps_the_previous_version() -> None:
    draft = drafts.create(Plan())
    draft.plan = code_review_plan()
    drafts.save(draft)
    backup = drafts.backup_path(draft.path)
    assert drafts.load(backup).plan == Plan()
    assert backup.stat().st_mode & 0o777 == 0o600
    draft.plan.legal.notes = "later"
    drafts.save(draft)
    assert drafts.load(backup).plan == code_review_plan()


def test_restore_puts_the_backup_back_and_can_be_undone() -> None:
    draft = drafts.create(code_review_plan())
    draft.plan.legal.notes = "a mistake"
    drafts.save(draft)
    result = run_cli("restore", draft.id)
    assert result.returncode == 0, result.stderr
    assert "run restore again to undo" in result.stdout
    assert drafts.resolve(draft.id).plan == code_review_plan()
    run_cli("restore", draft.id)
    assert drafts.resolve(draft.id).plan.legal.notes == "a mistake"


def test_an_unreadable_draft_points_at_its_backup_and_restores(home: Path) -> None:
    draft = drafts.create(code_review_plan())
    drafts.save(draft)
    draft.path.write_text('{"schema_version": 1, "plan": {"legal": ')  # torn by hand
    listed = run_cli("list")
    assert f"(rollout-plan restore {draft.id} puts back its backup)" in listed.stdout
    assert json.loads(run_cli("list", "--json").stdout)["unreadable"][0]["backup"] is True
    assert run_cli("restore", draft.id[:4]).returncode == 0
    assert drafts.resolve(draft.id).plan == code_review_plan()


def test_restore_without_a_backup_says_so() -> None:
    draft = drafts.create(Plan())
    result = run_cli("restore", draft.id)
    assert result.returncode == 2
    assert result.stderr == (
        f"rollout-plan: draft {draft.id} has no backup yet (one is kept from its first save)\n"
    )


def test_delete_removes_the_backup_too() -> None:
    draft = drafts.create(Plan())
    drafts.save(draft)
    assert run_cli("delete", draft.id, "--yes").returncode == 0
    assert list(draft.path.parent.iterdir()) == []
