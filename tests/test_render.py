"""The description Markdown: faithful to GitLab's template, safe for any user text."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from tests.conftest import (
    CODE_REVIEW,
    TEMPLATE,
    block_comments,
    comrak_doc,
    headings,
    tables,
    text_of,
)
from tests.plans import code_review_plan
from tui.plan import EvalRow, KnownIssue, Link, Plan, TimelineRow
from tui.render import render

CONFIDENTIAL = (
    "<!-- Do not remove this confidential declaration and make sure to mark this issue as "
    "confidential! -->"
)


def _split_tail(text: str) -> tuple[list[str], list[str]]:
    """(the lines before the trailing quick actions, those actions): the actions are
    the last lines starting with `/`, blank lines between them allowed."""
    lines = text.rstrip("\n").split("\n")
    block: list[str] = []
    while lines and (
        lines[-1].startswith("/")
        or (block and not lines[-1] and len(lines) > 1 and lines[-2].startswith("/"))
    ):
        line = lines.pop()
        if line:
            block.insert(0, line)
    return lines, block


def quick_action_block(text: str) -> list[str]:
    """The trailing lines starting with `/`: the only place quick actions may run."""
    return _split_tail(text)[1]


def body_lines(text: str) -> list[str]:
    return _split_tail(text)[0]


def visible_blocks(markdown: str) -> list[str]:
    """Each top-level block's visible text; comments and the quick actions left out."""
    blocks = [text_of(node).strip() for node in comrak_doc(markdown).children]
    blocks = [b for b in blocks if b]
    return blocks[:-1] if blocks[-1].startswith("/confidential") else blocks


def test_blank_render_has_the_templates_heading_skeleton() -> None:
    expected = headings(TEMPLATE.read_text())
    assert expected[0] == (2, "Overview") and (2, "Evaluation Template") in expected
    assert headings(render(Plan())) == expected


def test_blank_render_keeps_every_visible_text_of_the_template() -> None:
    assert visible_blocks(render(Plan())) == visible_blocks(TEMPLATE.read_text())


def test_blank_render_keeps_the_confidential_comment_and_drops_guidance_comments() -> None:
    text = render(Plan())
    assert text.startswith(CONFIDENTIAL + "\n")
    assert re.findall(r"<!--.*?-->", text, flags=re.S) == [CONFIDENTIAL]


def test_blank_render_ends_with_the_quick_actions_once() -> None:
    text = render(Plan())
    assert quick_action_block(text) == [
        "/confidential",
        '/label "type::feature"',
        '/label "feature::maintenance"',
        '/label "AI Model Migration"',
    ]
    assert body_lines(text)[-1] == ""  # a blank line before the quick actions


def test_quick_actions_follow_the_plan() -> None:
    plan = Plan()
    plan.quick_actions.confidential = False
    plan.quick_actions.labels = ["group::ai framework", 'odd "quoted" label']
    assert quick_action_block(render(plan)) == [
        '/label "group::ai framework"',
        '/label "odd quoted label"',
    ]


@pytest.mark.parametrize("plan", [Plan(), code_review_plan()], ids=["blank", "filled"])
def test_output_bytes_are_deterministic_and_clean(plan: Plan) -> None:
    text = render(plan)
    assert text == render(plan.model_copy(deep=True))
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert [line for line in text.split("\n") if line != line.rstrip()] == []


def test_filled_plan_renders_the_hand_filled_example() -> None:
    # The example was filled by hand in GitLab; ours differs only by trailing spaces.
    example = CODE_REVIEW.read_text()
    expected = "\n".join(line.rstrip() for line in example.split("\n"))
    assert render(code_review_plan()) == expected


def test_change_row_is_computed_from_baseline_and_candidate() -> None:
    plan = Plan()
    plan.evaluation.rows = [
        EvalRow(
            model="claude-3-7-sonnet",
            metric="qa",
            score="0.70",
            p50="17.5s",
            p99="44s",
            baseline=True,
        ),
        EvalRow(model="claude-4-0-sonnet", metric="qa", score="0.75", p50="22s", p99="40s"),
    ]
    table = tables(render(plan))[1]
    assert table[-1] == ["Change", "", "+0.05 change", "+25.7% slower", "9.1% faster"]


def test_one_change_row_per_candidate_names_the_candidate() -> None:
    plan = Plan()
    plan.evaluation.rows = [
        EvalRow(model="base", p50="10s", p99="20s", baseline=True),
        EvalRow(model="a", p50="5s", p99="20s"),
        EvalRow(model="b", p50="15s", p99="30s"),
    ]
    table = tables(render(plan))[1]
    assert table[-2:] == [
        ["Change", "a", "XX change", "50.0% faster", "no change"],
        ["Change", "b", "XX change", "+50.0% slower", "+50.0% slower"],
    ]


NASTY = "a | b\\|c `x|y` <br> line\nnext -->\n/close"


def test_every_table_cell_holds_its_text_whatever_it_contains() -> None:
    plan = Plan()
    o = plan.overview
    o.model_links = o.epic = o.ff_issue = o.status_updates = NASTY
    plan.evaluation.rows = [
        EvalRow(
            pipeline=NASTY,
            model=NASTY,
            metric="m|1",
            score=NASTY,
            p50=NASTY,
            p99=NASTY,
            baseline=True,
        ),
        EvalRow(pipeline="", model="", metric="", score="", p50="", p99=""),
    ]
    plan.timeline.rows = [TimelineRow(date=NASTY, audience=NASTY, status=NASTY)]
    text = render(plan)
    overview, evaluation, timeline = tables(text)
    shown = "a | b\\|c x|y <br> line\nnext -->\n/close"
    assert [row[1] for row in overview[1:]] == [shown] * 4
    assert evaluation[1] == [shown, f"{shown} (baseline)", f"m|1: {shown}", shown, shown]
    assert evaluation[2] == ["[pipeline_link]", "[model]", "X", "X", "X"]
    assert timeline[1] == [shown] * 3
    # In the source too, every row has exactly its header's cells: comrak would
    # silently drop or pad cells, so count the unescaped pipes.
    for line in text.split("\n"):
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line)) - 1
            header = {"Resource": 2, "Evaluation": 5, "Date": 3}
            assert cells in header.values(), line


def _fill_every_text(model: BaseModel, value: str) -> None:
    """Put `value` in every text field of the model, its rows and its lists."""
    for name, info in type(model).model_fields.items():
        current = getattr(model, name)
        if isinstance(current, BaseModel):
            _fill_every_text(current, value)
        elif isinstance(current, str) and info.annotation is str:
            setattr(model, name, value)
        elif isinstance(current, list):
            for entry in current:
                if isinstance(entry, BaseModel):
                    _fill_every_text(entry, value)
            if current and isinstance(current[0], str):
                setattr(model, name, [value] * len(current))


def _plan_with_rows() -> Plan:
    plan = Plan()
    plan.evaluation.rows = [EvalRow(baseline=True), EvalRow()]
    plan.success.custom = ["x"]
    plan.dashboards.links = [Link()]
    plan.known_issues.issues = [KnownIssue()]
    return plan


@pytest.mark.parametrize(
    "attack",
    [
        "/close",
        "first line\n/close\n  /label ~hacked",
        "## Known Issues\nheading?\n---",
        "<!-- swallow the rest",
        "```\nunclosed fence",
        "\\/already escaped",
    ],
)
def test_no_user_text_runs_a_quick_action_or_breaks_the_skeleton(attack: str) -> None:
    plan = _plan_with_rows()
    _fill_every_text(plan.title, attack)
    for name in Plan.model_fields:
        if name != "quick_actions":
            _fill_every_text(getattr(plan, name), attack)
    text = render(plan)
    assert [line for line in body_lines(text) if line.lstrip().startswith("/")] == []
    assert quick_action_block(text)[0] == "/confidential"
    assert headings(text) == headings(render(Plan()))
    assert block_comments(text) == [CONFIDENTIAL]
    # The text is still there, shown as typed.
    assert attack.split("\n")[-1].strip("`\\/- ") in text


def test_free_text_is_shown_as_typed() -> None:
    plan = Plan()
    plan.legal.notes = "/close this?\n# not a heading\n\\ backslash"
    blocks = visible_blocks(render(plan))
    legal = blocks[blocks.index("Legal Notes") + 1]
    assert legal == "/close this?\n# not a heading\n\\ backslash"


def test_a_known_issue_written_as_a_bracket_label_is_no_link_definition() -> None:
    """`- [X]: link` would define a link named x: the checklist's `[x]` boxes would
    read as links, and a ticked item would come back unticked."""
    from tui.importer import parse_description

    plan = Plan()
    plan.checklist.stable_prompt = "done"
    for description in ("[X]", "0\n0\n\n[0]"):  # on its first line, or after a blank one
        plan.known_issues.issues = [
            KnownIssue(description=description, link="https://gitlab.example.com/")
        ]
        back, _notes = parse_description(render(plan))
        assert back.checklist.stable_prompt == "done"
        assert back.known_issues == plan.known_issues


def test_a_description_over_gitlabs_limit_is_refused_without_blaming_field_by_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Finding the field to blame re-reads the whole description once a field: for a
    megabyte that took two minutes. Too long needs no culprit: the message says why."""
    from tui import render as render_module

    def no_search(plan: Plan) -> str:
        raise AssertionError("searched field by field")

    monkeypatch.setattr(render_module, "_culprit", no_search)
    plan = Plan()
    plan.document.preamble = "#x\n" * 400_000
    with pytest.raises(render_module.UnsafeDescription, match="too long"):
        render_module.checked(plan)
