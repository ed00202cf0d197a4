"""Import: descriptions from GitLab (by this tool, by hand, older template) back to plans."""

from __future__ import annotations

import pytest

from tests.conftest import (
    CODE_REVIEW,
    DATA,
    DUO_WORKFLOW,
    OLDER_TEMPLATE,
    OLDER_VARIANT,
    PREDECESSOR_TEMPLATE,
    TEMPLATE,
    run_cli,
)
from tests.plans import code_review_plan
from tui import drafts
from tui.checks import Level, check
from tui.importer import parse_description
from tui.plan import (
    MITIGATION_TEXT,
    PERSEVERE_CRITERIA,
    CustomSection,
    EvalRow,
    ItemState,
    KnownIssue,
    Link,
    Plan,
    Resource,
    TimelineRow,
)
from tui.render import render

TEMPLATE_TEXT = TEMPLATE.read_text()


def imported(text: str) -> Plan:
    plan, notes = parse_description(text)
    assert notes == [], notes
    return plan


def with_section(heading: str, body: str) -> str:
    """The blank template with one section's body replaced."""
    start = TEMPLATE_TEXT.index(heading + "\n") + len(heading) + 1
    end = TEMPLATE_TEXT.index("\n#", start)
    return TEMPLATE_TEXT[:start] + "\n" + body.strip("\n") + "\n" + TEMPLATE_TEXT[end:]


@pytest.mark.parametrize(
    "example", [CODE_REVIEW, DUO_WORKFLOW, OLDER_VARIANT], ids=lambda p: p.stem
)
def test_import_render_import_is_stable(example) -> None:
    plan, _ = parse_description(example.read_text())
    again, notes = parse_description(render(plan))
    assert again == plan
    assert notes == []


def test_filled_example_imports_every_value() -> None:
    expected = code_review_plan()
    expected.title.title = ""  # the title is not part of the description
    assert imported(CODE_REVIEW.read_text()) == expected


def test_early_example_imports_placeholders_as_empty_and_references_as_typed() -> None:
    plan = imported(DUO_WORKFLOW.read_text())
    o = plan.overview
    assert (o.model_links, o.epic, o.ff_issue, o.status_updates) == (
        "",
        "gitlab-org&17120",
        "#546256",
        "",
    )
    c = plan.checklist
    assert (c.unit_primitives, c.models_yml, c.update_yml) == (
        ItemState.DONE,
        ItemState.OPEN,
        ItemState.OPEN,
    )
    assert plan.evaluation.langsmith_url == ""
    base, candidate = plan.evaluation.rows
    assert base == EvalRow(
        pipeline="https://gitlab.com/gitlab-org/modelops/ai-model-validation-and-research/ai-evaluation/evaluation-runner/-/pipelines/1869001122",
        model="claude-3-7-sonnet",
        metric="swe-bench-lite-resolved",
        score="0.41",
        p50="52s",
        p99="3m 10s",
        baseline=True,
    )
    assert candidate == EvalRow(
        model="claude-4-0-sonnet", metric="swe-bench-lite-resolved", p50="48s", p99="2m 55s"
    )
    assert (plan.success.prompt_registry, plan.success.chat_streaming) == (True, False)
    assert plan.success.custom == []
    assert [(r.date, r.audience, r.status) for r in plan.timeline.rows] == [
        ("2025-05-23", "Individual users at GitLab", "Feature flag deployed"),
        ("2025-06-05", "Internal GitLab users", ""),
        ("", "50% of all users", ""),
        ("", "100% of all users", ""),
    ]
    assert plan.persevere == Plan().persevere
    assert plan.mitigation.text == MITIGATION_TEXT
    assert plan.legal.notes == plan.feedback.issue == plan.announcement.text == ""
    assert plan.quick_actions == Plan().quick_actions  # /confidential twice is once


def test_blank_template_imports_as_a_blank_plan() -> None:
    # Its example evaluation rows are placeholders, not results.
    plan = imported(TEMPLATE_TEXT)
    expected = Plan()
    assert plan == expected


def test_older_variant_imports() -> None:
    plan = imported(OLDER_VARIANT.read_text())
    o = plan.overview
    assert o.summary.startswith("We are moving Code Generation to codestral-2501")
    assert o.ff_issue == "https://gitlab.com/gitlab-org/gitlab/-/work_items/512345"
    assert (plan.success.prompt_registry, plan.success.chat_streaming) == (False, False)
    assert plan.success.custom == ["Acceptance rate stays above 20% for a week"]
    assert plan.dashboards.links == [] and plan.known_issues.issues == []
    assert plan.timeline.rows[0].audience == "Code Creation team members and other stakeholeders"
    p = plan.persevere
    assert p.criteria[2] == "Nothing was raised as a blocker" and len(p.criteria) == 3
    assert [(o.what, o.start, o.end, o.ranges.splitlines()) for o in p.observations] == [
        (
            "latency",
            "May 17",
            "Aug 21",
            ["p50: 637ms to 782ms", "p90: 881ms to 1,046ms", "p95: 977ms to 1,212 ms"],
        ),
        ("acceptance rate", "July 4", "Aug 21", ["Acceptance rate: 13.9% to 20.4%"]),
    ]
    assert plan.pivot.criteria[0] == "Requests are not using the new model as expected"
    assert plan.mitigation.text.startswith("We will use a Feature Flag to control the rollout.")
    assert plan.quick_actions.labels == ["group::code creation", "devops::create", "type::feature"]
    # Sections the older template lacks keep the current template's defaults.
    assert plan.checklist == Plan().checklist
    assert plan.documentation == Plan().documentation


def test_a_hand_written_change_row_is_recomputed_and_its_own_words_kept_under_the_table() -> None:
    computed = "| **Change** | | **+0.21 change** | **9.2% faster** | **7.1% faster** |"
    text = CODE_REVIEW.read_text().replace(computed, "| **Change** | **+0.21** | 9% faster |")
    plan = imported(text)
    assert plan.evaluation.rows == code_review_plan().evaluation.rows
    assert plan.evaluation.more == "| **Change** | **+0.21** | 9% faster |"
    assert computed in render(plan)
    # The computed row, or the template's placeholder row, is nobody's words: not kept.
    assert imported(CODE_REVIEW.read_text()).evaluation.more == ""
    assert imported(render(plan)) == plan


def test_missing_cells_are_empty_and_extra_cells_are_kept_in_the_last() -> None:
    text = with_section(
        "### Timeline",
        "| Date | Audience | Status |\n|---|---|---|\n| 2025-06-01 | Team |\n"
        "| 2025-06-02 | All | Done | surprise |",
    )
    plan, notes = parse_description(text)
    assert [(r.date, r.audience, r.status) for r in plan.timeline.rows] == [
        ("2025-06-01", "Team", ""),
        ("2025-06-02", "All", "Done | surprise"),
    ]
    assert notes == [
        "Timeline row 2: cells beyond the table's columns, kept in its last: 'surprise'"
    ]
    assert "| 2025-06-02 | All | Done \\| surprise |" in render(plan)
    assert parse_description(render(plan))[0].timeline == plan.timeline


def test_an_evaluation_row_with_an_extra_cell_gives_one_note() -> None:
    text = CODE_REVIEW.read_text()
    row = next(line for line in text.splitlines() if "claude-4-0-sonnet" in line)
    plan, notes = parse_description(text.replace(row, row + " 12 runs |"))
    assert notes == [
        "Evaluation row 2: cells beyond the table's columns, kept in its last: '12 runs'",
        *parse_description(text)[1],
    ]
    assert plan.evaluation.rows[1].p99.endswith(" | 12 runs")
    # The author's notes column is no error (a warning says the latency is not alone).
    from tui.checks import Level, check

    p99 = [f for f in check(plan) if f.path == "evaluation.rows.1.p99"]
    assert [f.level for f in p99] == [Level.WARNING]


def test_several_links_escaped_pipes_and_breaks_in_cells() -> None:
    text = TEMPLATE_TEXT.replace(
        "| Model | <!-- Optional. Add relevant link(s) about the model. For example, links to "
        "model documentation. --> |",
        "| Model | https://a.example/one<br>https://b.example/two |",
    ).replace(
        "| Status updates | <!-- Optional, but recommended. --> |",
        "| Status updates | weekly \\| in #g_ai <br/> see epic |",
    )
    plan = imported(text)
    assert plan.overview.model_links == "https://a.example/one\nhttps://b.example/two"
    assert plan.overview.status_updates == "weekly | in #g_ai\nsee epic"


def test_extra_criteria_docs_and_labels_are_kept() -> None:
    text = (
        CODE_REVIEW.read_text()
        .replace("3. Identify no blockers", "3. Identify no blockers\n4. Error rate below 1%")
        .replace(
            "3. Success/acceptance rate decreases compared to the old model",
            "3. Success/acceptance rate decreases compared to the old model\n"
            "4. Legal asks us to stop",
        )
        .replace(
            "- [Model Selection Blueprint]",
            "- [Runbook](https://runbooks.example/ai)\n\n- [Model Selection Blueprint]",
        )
        + '/label ~"workflow::in dev" ~backend\n'
    )
    plan = imported(text)
    assert plan.persevere.criteria == [*PERSEVERE_CRITERIA, "Error rate below 1%"]
    assert plan.pivot.criteria[-1] == "Legal asks us to stop"
    assert Link(label="Runbook", url="https://runbooks.example/ai") in plan.documentation.links
    assert plan.quick_actions.labels[-2:] == ["workflow::in dev", "backend"]


def test_not_applicable_items_and_an_inconsistent_parent() -> None:
    text = TEMPLATE_TEXT.replace(
        "- [ ] Update the following", "- [x] Update the following"
    ).replace("- [ ] *Optional*: Pin", "- [~] *Optional*: Pin")
    plan, notes = parse_description(text)
    assert plan.checklist.pin_prompt is ItemState.NOT_APPLICABLE
    assert plan.checklist.update_yml is ItemState.OPEN
    assert notes == [
        "Checklist: the yml item was marked done but its two sub-items make it open; "
        "the plan follows the sub-items"
    ]


def test_nothing_is_dropped_silently() -> None:
    text = (
        TEMPLATE_TEXT.replace(
            "## Legal Notes", "## Risks\n\nVendor may rate-limit us.\n\n## Legal Notes"
        ).replace("### Checklist", "Our intro paragraph.\n\n### Checklist")
        + "\n/milestone %18.2\n"
    )
    plan, notes = parse_description(text)
    assert notes == []
    # A section of the engineer's own is kept, where it stood.
    assert plan.document.custom == [
        CustomSection(
            title="Risks", level="2", after="Dashboards", body="Vendor may rate-limit us."
        )
    ]
    assert "\n## Risks\n\nVendor may rate-limit us.\n\n## Legal Notes\n" in render(plan)
    # After the Overview table: the section's own text, where it stood.
    assert plan.overview.more == "Our intro paragraph."
    assert plan.quick_actions.extra == ["/milestone %18.2"]
    assert "/milestone %18.2" in render(plan).splitlines()[-1]


def test_known_issues_with_links_and_references() -> None:
    text = with_section(
        "## Known Issues",
        "- Truncated summaries: https://gitlab.com/g/p/-/issues/1\n- Flaky eval: g/p#2\n- Slow",
    )
    assert imported(text).known_issues.issues == [
        KnownIssue(description="Truncated summaries", link="https://gitlab.com/g/p/-/issues/1"),
        KnownIssue(description="Flaky eval", link="g/p#2"),
        KnownIssue(description="Slow"),
    ]


def test_free_text_that_would_run_a_quick_action_is_neutralised_on_render() -> None:
    text = with_section("## Legal Notes", "Reviewed.\n\\/close is what we must not do")
    plan = imported(text)
    assert plan.legal.notes == "Reviewed.\n/close is what we must not do"
    assert "\n\\/close is what we must not do\n" in render(plan)


def test_import_command_from_stdin_and_file(tmp_path) -> None:
    result = run_cli(
        "import", "-", "--title", "[claude-4-0-sonnet] Rollout Plan", stdin=CODE_REVIEW.read_text()
    )
    assert result.returncode == 0, result.stderr
    assert drafts.resolve(result.stdout.strip()).plan == code_review_plan()
    path = tmp_path / "issue.md"
    path.write_text(OLDER_VARIANT.read_text() + "/assign @me\n")
    result = run_cli("import", str(path))
    assert result.returncode == 0 and result.stderr == ""
    assert drafts.resolve(result.stdout.strip()).plan.quick_actions.extra == ["/assign @me"]


def test_import_of_something_else_says_so(tmp_path) -> None:
    result = run_cli("import", "-", stdin="just some notes\n")
    assert result.returncode == 0
    assert "no section headings found" in result.stderr


@pytest.mark.parametrize(
    ("template", "left_out"),
    [
        (TEMPLATE, []),
        (OLDER_TEMPLATE, ["Checklist", "Evaluation", "Documentation"]),
        (PREDECESSOR_TEMPLATE, ["Checklist", "Evaluation", "Documentation"]),
    ],
    ids=["current", "older", "predecessor"],
)
def test_all_three_template_versions_import_as_blank_plans(template, left_out) -> None:
    """Their guidance is the template's, not the engineer's: nothing lands in More, no
    note, no error but the two required fields still empty; sections a version lacks
    stay out."""
    plan, notes = parse_description(template.read_text())
    assert [note for note in notes if "/confidential" not in note] == []
    assert plan.document.left_out == left_out
    assert plan.document.custom == []
    assert not [
        name
        for name in ("overview", "success", "known_issues", "persevere", "pivot")
        if getattr(plan, name).more
    ]
    assert {f.path for f in check(plan) if f.level is Level.ERROR} == {
        "title.title",
        "overview.ff_issue",
    }


def test_a_second_overview_row_of_a_name_never_replaces_the_first() -> None:
    """A later `| Feature Flag Rollout Issue |` row (pasted, or planted) would move
    publish and open-in-gitlab to another project: it is kept as a row of one's own."""
    text = CODE_REVIEW.read_text()
    evil = "| Feature Flag Rollout Issue | https://gitlab.com/evil/evil/-/issues/9 |"
    status = next(line for line in text.splitlines() if line.startswith("| Status updates |"))
    plan, notes = parse_description(text.replace(status, f"{status}\n{evil}"))
    assert plan.overview.ff_issue == code_review_plan().overview.ff_issue
    assert [(r.name, r.links) for r in plan.overview.resources] == [
        ("Feature Flag Rollout Issue", "https://gitlab.com/evil/evil/-/issues/9")
    ]
    assert any("a second row of this name" in note for note in notes)
    assert parse_description(render(plan))[0].overview == plan.overview


@pytest.mark.parametrize(
    ("block", "what", "ranges", "more"),
    [
        (  # a range in words: the block's own line, which check calls no range
            "_Observed latency from May 1 to May 10_\n* p50 stayed between 600 and 800ms",
            "latency",
            "p50 stayed between 600 and 800ms",
            "",
        ),
        (  # in bold, a blank line before its list
            "**Observed error rate from May 1 to May 10**\n\n* Errors: 0.1% to 0.2%",
            "error rate",
            "Errors: 0.1% to 0.2%",
            "",
        ),
        (  # items of several lines: kept as written, in the section's More
            "_Observed x from May 1 to May 10_\n* a\n  continued line\n* b",
            "x",
            "",
            "* a\n  continued line\n* b",
        ),
    ],
)
def test_an_observation_blocks_list_stays_with_it_never_in_the_criteria(
    block: str, what: str, ranges: str, more: str
) -> None:
    text = (DATA / "real-plans" / "older-claude.md").read_text()
    plan, _notes = parse_description(text.replace("### Pivot", f"{block}\n\n### Pivot", 1))
    assert plan.persevere.criteria == parse_description(text)[0].persevere.criteria
    last = plan.persevere.observations[-1]
    assert (last.what, last.ranges, plan.persevere.more) == (what, ranges, more)
    assert parse_description(render(plan))[0] == plan


@pytest.mark.parametrize(
    ("items", "criteria", "more"),
    [
        ("- >>>\n- b", [">>>", "b"], ""),
        ("- a\n- >>>\n- b", ["a", ">>>", "b"], ""),
        ("- >>>\n  more\n- b", [">>>\nmore", "b"], ""),
        ("- a\n- >>>\n\nAfter the list.", ["a", ">>>"], "After the list."),
    ],
)
def test_an_open_gitlab_quote_in_a_list_item_keeps_every_item_once(
    items: str, criteria: list[str], more: str
) -> None:
    # comrak reports such a quote as running on over the next items and blocks: they
    # were read twice, once as the quote's item and once as themselves.
    blank = render(Plan())
    start = blank.index("### Pivot / Pause / Rollback Criteria")
    end = blank.index("## Mitigation")
    text = f"{blank[:start]}### Pivot / Pause / Rollback Criteria\n\n{items}\n\n{blank[end:]}"
    plan, notes = parse_description(text)
    assert (plan.pivot.criteria, plan.pivot.more) == (criteria, more)
    assert notes == []
    assert plan.mitigation == Plan().mitigation


@pytest.mark.parametrize("typed", ["a <!-- b --> c", "x <!---->", "a \\<!-- b --> c"])
def test_a_comment_typed_into_a_table_cell_comes_back_as_typed(typed: str) -> None:
    # It is written escaped, and shows as typed in GitLab; import dropped it as if
    # it were one of the template's own comments, leaving `a \ c`.
    plan = Plan()
    plan.timeline.rows = [TimelineRow(date="2025-01-01", audience="x", status=typed)]
    plan.overview.resources = [Resource(name="Runbook", links=typed)]
    back, notes = parse_description(render(plan))
    assert (back.timeline.rows[0].status, back.overview.resources[0].links) == (typed, typed)
    assert notes == []


@pytest.mark.parametrize(
    "section",
    ["checklist", "known_issues", "success", "dashboards", "persevere", "pivot", "documentation"],
)
def test_a_list_after_text_in_a_sections_more_stays_there(section: str) -> None:
    # It came back as the section's own items, moved above the text.
    plan = Plan()
    getattr(plan, section).more = "Notes:\n\n- a\n- b\n\n1. c\n   more of c"
    back, notes = parse_description(render(plan))
    assert getattr(back, section) == getattr(plan, section)
    assert notes == []
