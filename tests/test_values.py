"""Values as a user types them: numbers no measurement can hold are findings, never a
crash or a huge render; surrounding whitespace and a typed `%` are not stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tests.plans import code_review_plan
from tui import drafts
from tui.checks import Level, check
from tui.metrics import change_rows
from tui.plan import EvalRow, Plan
from tui.render import render

HOSTILE_NUMBERS = [
    "1E+1000000",
    "1E-9999999",
    "-1E+1000000",
    "NaN",
    "-sNaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e999999999999999999999",
    "1" * 5000,
    "0." + "0" * 5000 + "1",
]


def scored(score: str) -> Plan:
    """The filled example with the candidate's score replaced."""
    plan = code_review_plan()
    plan.evaluation.rows[1].score = score
    return plan


def findings_at(plan: Plan, path: str) -> list[tuple[Level, str]]:
    return [(f.level, f.message) for f in check(plan) if f.path == path]


def short_id(value: object) -> str:
    text = str(value)
    return text if len(text) < 30 else f"{text[:12]}…({len(text)} chars)"


@pytest.mark.parametrize("score", HOSTILE_NUMBERS, ids=short_id)
def test_a_score_no_measurement_can_hold_is_an_error_and_renders_small(score: str) -> None:
    plan = scored(score)
    [(level, message)] = findings_at(plan, "evaluation.rows.1.score")
    assert level is Level.ERROR
    assert message.startswith(("not a number", "too large", "more decimal places")), message
    text = render(plan)
    assert len(text) < len(render(scored("3.62"))) + len(score) + 100
    assert "| **XX change** |" in text  # the quality change is not computed


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("1E+1000000", "too large to be a measurement: at most 15 digits before the point"),
        ("1000000000000000", "too large to be a measurement: at most 15 digits before the point"),
        ("1E-9999999", "more decimal places than any measurement has: at most 15 after the point"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
    ],
)
def test_the_finding_says_what_is_wrong(score: str, message: str) -> None:
    assert findings_at(scored(score), "evaluation.rows.1.score") == [(Level.ERROR, message)]


@pytest.mark.parametrize(
    "score", ["-0", "999999999999999", "0.000000000000001", "1E+3", "0.1000000000000000000"]
)
def test_numbers_at_the_edge_of_the_range_are_accepted(score: str) -> None:
    assert findings_at(scored(score), "evaluation.rows.1.score") == []


def test_the_change_row_stays_short_at_the_edges_of_the_range() -> None:
    plan = code_review_plan()
    base, candidate = plan.evaluation.rows
    base.score, candidate.score = (
        "-999999999999999.999999999999999",
        "999999999999999.999999999999999",
    )
    [row] = change_rows(plan.evaluation)
    assert row.quality == "+1999999999999999.999999999999998 change"
    base.score, candidate.score = "0", "-0"
    assert change_rows(plan.evaluation)[0].quality == "+0 change"
    base.score, candidate.score = "0E-1000000", "1"
    assert change_rows(plan.evaluation)[0].quality == "+1.000000000000000 change"


@pytest.mark.parametrize(
    ("latency", "message"),
    [
        ("1" * 5000 + "s", "too large to be a measurement"),
        ("0." + "0" * 5000 + "1ms", "more decimal places"),
        ("1e309s", "not a latency"),
    ],
    ids=short_id,
)
def test_a_latency_no_measurement_can_hold_is_an_error(latency: str, message: str) -> None:
    plan = code_review_plan()
    plan.evaluation.rows[1].p50 = latency
    [(level, said)] = findings_at(plan, "evaluation.rows.1.p50")
    assert level is Level.ERROR and said.startswith(message), said
    assert "| **+X% slower** |" in render(plan)


def test_a_rate_with_too_many_places_is_an_error_even_between_0_and_100() -> None:
    plan = code_review_plan()
    plan.persevere.observations[1].ranges = "Rate: 1E-9999999% to 20%"
    [(level, said)] = findings_at(plan, "persevere.observations.1.ranges")
    assert level is Level.ERROR and "more decimal places" in said


ROW_FIELDS = ["score", "p50", "p99"]
NUMBERISH = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE_NUMBERS),
    st.from_regex(r"[-+]?\d{0,20}(\.\d{0,20})?([eE][-+]?\d{1,8})?\s*(%|ms|s|m|h)?", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(
    ranges=st.lists(st.tuples(NUMBERISH, NUMBERISH), max_size=4),
    rows=st.lists(
        st.fixed_dictionaries({name: NUMBERISH for name in ROW_FIELDS}), min_size=2, max_size=3
    ),
)
def test_any_text_in_any_numeric_field_checks_and_renders_without_harm(
    ranges: list[tuple[str, str]], rows: list[dict[str, str]]
) -> None:
    plan = Plan()
    plan.persevere.observations[0].ranges = "\n".join(
        f"p{i}: {a} to {b}" for i, (a, b) in enumerate(ranges)
    )
    # The first row is the baseline, so every other row gets a computed Change row.
    plan.evaluation.rows = [
        EvalRow(metric="m", baseline=index == 0, **values) for index, values in enumerate(rows)
    ]
    check(plan)  # never raises
    typed = sum(len(a) + len(b) for a, b in ranges) + sum(
        len(v) for row in rows for v in row.values()
    )
    assert len(render(plan)) < len(render(Plan())) + 2 * typed + 2000
    for row in change_rows(plan.evaluation):
        assert max(len(row.quality), len(row.p50), len(row.p99)) < 80


# --- Clean values ----------------------------------------------------------------------


def test_surrounding_whitespace_is_not_stored() -> None:
    plan = Plan()
    plan.overview.ff_issue = " https://gitlab.com/gitlab-org/gitlab/-/issues/512345 "
    plan.evaluation.rows = [EvalRow(model="\tclaude-4-0-sonnet  ", score=" 3.62 ", p50="9s ")]
    plan.quick_actions.labels = [" group::code review "]
    assert plan.overview.ff_issue == "https://gitlab.com/gitlab-org/gitlab/-/issues/512345"
    assert plan.evaluation.rows[0].model_dump(include={"model", "score", "p50"}) == {
        "model": "claude-4-0-sonnet",
        "score": "3.62",
        "p50": "9s",
    }
    assert plan.quick_actions.labels == ["group::code review"]


def test_free_text_keeps_its_indentation_and_loses_only_blank_lines_around_it() -> None:
    plan = Plan()
    plan.legal.notes = "\n  \n    indented code\n\n  - a list\n     \n"
    assert plan.legal.notes == "    indented code\n\n  - a list"


@pytest.mark.parametrize(
    "typed", ["Rate: 20% to 34%", "  Rate: 20% to 34%  ", "\nRate: 20% to 34%\n\n"]
)
def test_an_observed_range_is_stored_and_rendered_as_typed_its_unit_once(typed: str) -> None:
    plan = code_review_plan()
    plan.persevere.observations[1].ranges = typed
    assert plan.persevere.observations[1].ranges == "Rate: 20% to 34%"
    assert findings_at(plan, "persevere.observations.1.ranges") == []
    [line] = [line for line in render(plan).split("\n") if line.startswith("* Rate:")]
    assert line == "* Rate: 20% to 34%"


def test_a_draft_file_with_untidy_values_loads_clean(tmp_path: Path) -> None:
    exported = json.loads(run_cli("export", drafts.create(code_review_plan()).id).stdout)
    exported["plan"]["persevere"]["observations"][1]["ranges"] = "\n  Rate: 27% to 66%  \n\n"
    exported["plan"]["overview"]["ff_issue"] += " "
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(exported))
    imported = run_cli("import", str(path))
    assert imported.returncode == 0, imported.stderr
    plan = drafts.resolve(imported.stdout.strip()).plan
    assert plan.persevere.observations[1].ranges == "Rate: 27% to 66%"
    assert plan.overview.ff_issue == "https://gitlab.com/gitlab-org/gitlab/-/issues/547713"
    rendered = run_cli("render", imported.stdout.strip()).stdout
    assert "\n* Rate: 27% to 66%\n" in rendered


async def test_typing_a_huge_score_in_the_wizard_shows_a_finding_not_a_crash() -> None:
    from textual.widgets import Input

    from tui.app import RolloutApp
    from tui.widgets.fields import FieldMessage, dom_id

    plan = code_review_plan()
    plan.evaluation.rows[1].score = ""
    draft = drafts.create(plan)
    app = RolloutApp(draft, section="evaluation")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.screen.query_one(f"#{dom_id('evaluation.rows.1.score')}", Input).focus()
        await pilot.press(*"1E+1000000", "tab")
        await pilot.pause()
        preview = str(app.screen.query_one(".change-preview").render())
        assert "quality XX change" in preview
        shown = [str(m.render()) for m in app.screen.query(FieldMessage) if m.display]
        assert any("Score (row 2): too large to be a measurement" in text for text in shown), shown
        await pilot.press("ctrl+q")
    assert drafts.load(draft.path).plan.evaluation.rows[1].score == "1E+1000000"


def test_control_characters_never_reach_a_stored_value(tmp_path: Path) -> None:
    """An escape sequence in a hostile draft (OSC 52 writes the clipboard) is dropped
    when the draft is read, so no screen ever sends it to the terminal."""
    from tui import drafts

    draft = drafts.create(Plan())
    data = json.loads(draft.path.read_text())
    data["plan"]["title"]["title"] = "Plan \x1b]52;c;aGk=\x07 \x9b2J\r\nend"
    data["plan"]["legal"]["notes"] = "a\x00b\tc\r\nd"
    draft.path.write_text(json.dumps(data))
    plan = drafts.load(draft.path).plan
    assert plan.title.title == "Plan ]52;c;aGk= 2J\nend"
    assert plan.legal.notes == "ab\tc\nd"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("~backend", "backend"), ('~"group::code creation"', "group::code creation"), ("x", "x")],
)
def test_labels_typed_the_gitlab_way_are_stored_bare(typed: str, stored: str) -> None:
    plan = Plan()
    plan.quick_actions.labels = [typed]
    assert plan.quick_actions.labels == [stored]
    assert f'/label "{stored}"' in render(plan)
    assert not [f for f in check(plan) if f.path.startswith("quick_actions.labels")]
