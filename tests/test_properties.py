"""Properties over whole plans: no input breaks the description, and nothing is lost."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

from tests.conftest import block_comments, headings, table_source_rows
from tests.strategies import faithful_plans, hostile_plans
from tests.test_render import CONFIDENTIAL, body_lines, quick_action_block
from tui import gitlab
from tui.importer import parse_description
from tui.metrics import change_rows
from tui.plan import Plan
from tui.render import TEMPLATE_TABLES, expected_headings, quick_action_lines, render

SKELETON = headings(render(Plan()))
OLD_EXTRACTOR_SKIPS = re.compile(r"^```.+?\n```$", re.M | re.S)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(hostile_plans)
def test_no_plan_can_break_the_description(plan: Plan) -> None:
    text = render(plan)
    # The template's skeleton holds: user text adds no heading and hides none; the
    # engineer's own sections stand between the template's headings.
    top = gitlab.top_headings(gitlab.parse(text))
    assert len(top) == len(SKELETON) + len(plan.document.custom) or plan.document.left_out
    if not plan.document.left_out:
        assert [heading for heading in top if heading in SKELETON] == SKELETON
    assert block_comments(text) == [CONFIDENTIAL]
    # GitLab reads it as meant: the template's headings stand, the plan's quick
    # actions (and only those) run, every table row has its header's cells.
    assert (
        gitlab.reading_problems(
            text, expected_headings(plan), quick_action_lines(plan), TEMPLATE_TABLES
        )
        == []
    )
    # GitLab's older extractor (one regex over the text) would run no user line
    # either: it skips from the top to the last line ending in a backtick, and
    # ``` blocks closed by a bare ``` line.
    lines = body_lines(text)
    skipped = gitlab.older_reader_skips_to("\n".join(lines))
    body = OLD_EXTRACTOR_SKIPS.sub("", "\n".join(lines[skipped:]))
    assert [line for line in body.split("\n") if line.startswith("/")] == []
    assert quick_action_block(text).count("/confidential") == (
        1 if plan.quick_actions.confidential else 0
    )
    # Every table keeps its rows and, in the source, exactly its header's cells
    # (comrak itself pads or cuts a row to the header's width, so count the pipes).
    rows = table_source_rows(text)
    evaluation_rows = (len(plan.evaluation.rows) or 2) + len(change_rows(plan.evaluation))
    # An Overview row of one's own is written when it holds something.
    resources = [r for r in plan.overview.resources if r.name.strip() or r.links.strip()]
    for header, count, width in (
        ("Resource", 4 + len(resources), 2),
        ("Evaluation Pipeline", evaluation_rows, 5),
        ("Date", len(plan.timeline.rows), 3),
    ):
        assert len(rows[header]) == 1 + count, header
        for line in rows[header]:
            assert len(re.findall(r"(?<!\\)\|", line)) - 1 == width, line


@FUZZ
@given(faithful_plans)
def test_render_then_import_gives_the_plan_back(plan: Plan) -> None:
    plan.title.title = ""  # the title lives outside the description
    back, notes = parse_description(render(plan))
    if not plan.quick_actions.confidential:
        # No /confidential in the text: an import stays confidential, and says so once.
        assert back.quick_actions.confidential
        assert [note for note in notes if "/confidential" in note] == notes and len(notes) == 1
        back.quick_actions.confidential = False
    else:
        assert notes == []
    assert back.model_dump() == plan.model_dump()


def test_a_100_kb_field_renders_and_imports() -> None:
    plan = Plan()
    paragraph = " ".join(["A long note with | pipes and `code`."] * 40)
    plan.legal.notes = "\n\n".join([paragraph] * 70)
    assert len(plan.legal.notes) > 100_000
    text = render(plan)
    assert headings(text) == SKELETON
    assert parse_description(text)[0].legal.notes == plan.legal.notes.strip()
