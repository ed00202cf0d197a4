"""The wizard's state without widgets: values by path, groups, marks, saving."""

from __future__ import annotations

import pytest

from tests.plans import code_review_plan
from tui import drafts
from tui.checks import Level
from tui.plan import EvalRow, ItemState, Plan
from tui.session import ChangedOnDisk, Mark, Session


def session_of(plan: Plan | None = None) -> Session:
    return Session(drafts.create(plan))


def test_values_by_the_paths_findings_use() -> None:
    session = session_of(code_review_plan())
    assert session.get("evaluation.rows.1.model") == "claude-4-0-sonnet"
    session.set("evaluation.rows.1.p50", "9s")
    session.set("persevere.criteria.0", "Latency holds")
    session.set("checklist.stable_prompt", ItemState.DONE)
    plan = session.plan
    assert plan.evaluation.rows[1].p50 == "9s"
    assert plan.persevere.criteria[0] == "Latency holds"
    assert plan.checklist.stable_prompt is ItemState.DONE
    assert session.dirty


def test_setting_the_same_value_is_no_change() -> None:
    session = session_of()
    session.set("overview.epic", "")
    assert not session.dirty


def test_rows_are_added_removed_and_moved() -> None:
    session = session_of()
    assert session.add_row("evaluation.rows") == 0
    assert session.add_row("evaluation.rows") == 1
    assert session.add_row("evaluation.rows", at=0) == 0
    session.set("evaluation.rows.0.model", "a")
    session.set("evaluation.rows.2.model", "c")
    assert all(isinstance(r, EvalRow) for r in session.plan.evaluation.rows)
    assert session.move_row("evaluation.rows", 2, -1) == 1
    assert session.move_row("evaluation.rows", 0, -1) == 0  # already first: stays
    assert [r.model for r in session.plan.evaluation.rows] == ["a", "c", ""]
    session.remove_row("evaluation.rows", 0)
    assert [r.model for r in session.plan.evaluation.rows] == ["c", ""]
    assert session.add_row("pivot.criteria") == 3
    assert session.plan.pivot.criteria[3] == ""


def test_marks_show_findings_once_a_section_was_left_or_worked_on() -> None:
    session = session_of()
    assert session.mark("overview") is Mark.UNTOUCHED  # required field empty, not yet seen
    assert session.shown_findings("overview.ff_issue") == []
    session.reveal("overview")
    assert session.mark("overview") is Mark.ERRORS
    assert "required" in session.shown_findings("overview.ff_issue")[0].message
    session.set("overview.ff_issue", "gitlab-org/gitlab#1")
    session.set("overview.status_updates", "gitlab-org/gitlab#2")
    assert session.mark("overview") is Mark.DONE
    session.reveal("checklist")
    assert session.mark("checklist") is Mark.UNTOUCHED  # seen, clean, but nothing done


def test_a_row_message_gathers_its_cells() -> None:
    session = session_of()
    session.add_row("evaluation.rows")
    session.set("evaluation.rows.0.p50", "soon")
    session.reveal("evaluation.rows.0.p50")
    within = session.shown_findings("evaluation.rows.0", within=True)
    assert [f.path for f in within] == ["evaluation.rows.0.p50"]
    assert session.shown_findings("evaluation.rows.0") == []


def test_saving_refuses_to_overwrite_a_file_changed_elsewhere() -> None:
    session = session_of()
    session.set("legal.notes", "mine")
    session.save_now()
    other = drafts.load(session.draft.path)
    other.plan.legal.notes = "theirs"
    drafts.save(other)
    import os

    os.utime(session.draft.path, ns=(5, 5))
    session.set("legal.notes", "mine, again")
    with pytest.raises(ChangedOnDisk):
        session.save_now()
    assert drafts.load(session.draft.path).plan.legal.notes == "theirs"
    assert session.dirty  # the text is still to be saved somewhere
    session.save_now(force=True)
    assert drafts.load(session.draft.path).plan.legal.notes == "mine, again"


def test_a_new_empty_row_shows_no_finding_until_one_of_its_fields_is_left() -> None:
    from tests.plans import code_review_plan
    from tui import drafts
    from tui.session import Session

    session = Session(drafts.create(code_review_plan()))
    session.reveal("evaluation")  # the section was visited: its findings show
    index = session.add_row("evaluation.rows")
    row = f"evaluation.rows.{index}"
    # A candidate row missing the baseline's score and latencies has warnings...
    pending = {
        f for f in session.findings if f.path.startswith(row + ".") and f.level is not Level.INFO
    }
    assert pending
    # ...which wait while the row is new,
    assert session.shown_findings(row, within=True) == []
    session.reveal(f"{row}.pipeline")  # and all show once the user leaves one of its fields.
    assert set(session.shown_findings(row, within=True)) == pending
