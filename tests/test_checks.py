"""Findings: the rules a careful reviewer applies, with messages that say how to fix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.plans import code_review_plan
from tui.checks import Level, check, ff_issue_problem
from tui.plan import EvalRow, Plan


def findings_at(plan: Plan, path: str) -> list[tuple[str, str]]:
    return [(str(f.level), f.message) for f in check(plan) if f.path == path]


@pytest.mark.parametrize(
    "value",
    [
        "https://gitlab.com/gitlab-org/gitlab/-/issues/547713",
        "https://gitlab.com/gitlab-org/modelops/applied-ml/code-suggestions/ai-assist/-/issues/12",
        "https://gitlab.com/gitlab-org/gitlab/-/work_items/547713",
        "https://gitlab.com/gitlab-org/gitlab/issues/547713",
        "https://gitlab.com/gitlab-org/gitlab/-/issues/547700#note_2541110099",
        "https://gitlab.example.com/group/project/-/issues/3?foo=bar",
        "#546256",
        "gitlab-org/gitlab#545600",
        "gitlab-org/sub.group/my-project#1",
    ],
)
def test_accepted_feature_flag_issue_forms(value: str) -> None:
    assert ff_issue_problem(value) is None


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("https://gitlab.com/gitlab-org/gitlab/-/merge_requests/1", "merge request"),
        ("gitlab-org/gitlab!12", "merge request"),
        ("&123", "epic"),
        ("https://gitlab.com/groups/gitlab-org/-/epics/17541", "epic"),
        ("https://gitlab.com/gitlab-org/gitlab/-/pipelines/99", "pipeline"),
        ("https://gitlab.com/gitlab-org/-/issues/1", "not a GitLab issue"),
        ("gitlab-org#1x", "not a GitLab issue"),
        ("see the issue", "not a GitLab issue"),
    ],
)
def test_near_misses_are_refused_with_an_accepted_form(value: str, said: str) -> None:
    problem = ff_issue_problem(value)
    assert problem is not None and said in problem
    assert "/-/issues/<n>" in problem


def test_missing_ff_issue_is_an_error_naming_section_and_field() -> None:
    [finding] = [f for f in check(Plan()) if f.path == "overview.ff_issue"]
    assert finding.level is Level.ERROR
    assert str(finding).startswith("Overview › Feature Flag Rollout Issue: required")


def test_filled_example_has_no_errors_or_warnings() -> None:
    assert [f for f in check(code_review_plan()) if f.level is not Level.INFO] == []


@pytest.mark.parametrize(
    ("path", "value", "level", "words"),
    [
        ("evaluation.langsmith_url", "smith.langchain.com/x", "warning", "add https:// in front"),
        ("persevere.observations.0.start", "26/05/2025", "warning", "YYYY-MM-DD"),
        ("persevere.observations.0.start", "May 17", None, ""),
        ("persevere.observations.0.start", "17 May 2025", None, ""),
        ("persevere.observations.0.start", "last spring", "warning", "such as May 17"),
        ("persevere.observations.0.start", "2025-02-30", "error", "YYYY-MM-DD"),
        ("persevere.observations.0.start", "June 31", "error", "there is no day June 31"),
        ("persevere.observations.0.end", "Feb 29", None, ""),
        ("timeline.rows.0.date", "until 2025-13-01", "error", "there is no day 2025-13-01"),
        ("persevere.observations.1.ranges", "Rate: 61% to 120%", "error", "between 0 and 100"),
        ("persevere.observations.1.ranges", "Rate: abc to 66%", "warning", "not a number"),
        ("persevere.observations.1.ranges", "Rate somewhere", "warning", "name: low to high"),
        ("persevere.observations.1.ranges", "Error rate: X %", "info", "1 value still X"),
        ("persevere.observations.0.ranges", "p95: 977ms to 1,212 ms", None, ""),
        ("persevere.observations.0.ranges", "p95: 2s to 1,212 ms", "error", "lower bound"),
        ("persevere.observations.0.ranges", "p95: 1E+99999 to 1 ms", "error", "too large"),
        ("overview.status_updates", "", "warning", "empty"),
        ("overview.epic", "gitlab-org&17120", None, ""),
        ("feedback.issue", "the usual place", None, ""),
        ("feedback.issue", "gitlab.com/g/p/-/issues/3", "warning", "add https:// in front"),
        ("feedback.issue", "#ai feedback", "warning", "not a link or reference"),
        ("overview.status_updates", "Testing in Progress", None, ""),
        ("overview.status_updates", "TBD", None, ""),
    ],
)
def test_field_rules(path: str, value: str, level: str | None, words: str) -> None:
    plan = code_review_plan()
    *parents, name = path.split(".")
    owner: Any = plan
    for part in parents:
        owner = owner[int(part)] if part.isdigit() else getattr(owner, part)
    setattr(owner, name, value)
    found = findings_at(plan, path)
    if level is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0][0] == level and words in found[0][1], found


def test_timeline_dates_read_an_iso_date_after_a_word_and_doubt_other_text() -> None:
    plan = code_review_plan()
    plan.timeline.rows[0].date = "until 2025-05-29"
    plan.timeline.rows[1].date = "end of June"
    plan.timeline.rows[2].date = "2025-05-01"
    found = [f for f in check(plan) if f.section == "Timeline"]
    # Row 3's date comes before row 1's; row 2 has no date to order, only a doubt.
    assert sorted((f.level, f.field) for f in found) == [
        (Level.WARNING, "Date (row 2)"),
        (Level.WARNING, "Date (row 3)"),
    ]


def test_timeline_dates_accept_tbd_and_warn_when_out_of_order() -> None:
    plan = code_review_plan()
    plan.timeline.rows[1].date = "TBD"
    plan.timeline.rows[3].date = "2025-06-01"
    [finding] = [f for f in check(plan) if f.section == "Timeline"]
    assert finding.level is Level.WARNING
    assert finding.message.startswith("2025-06-01 comes before row 3's 2025-06-17")


def test_exactly_one_baseline() -> None:
    plan = code_review_plan()
    plan.evaluation.rows[0].baseline = False
    assert ("error", "no row is marked as the baseline") in [
        (str(f.level), f.message[:32]) for f in check(plan)
    ]
    plan.evaluation.rows[0].baseline = plan.evaluation.rows[1].baseline = True
    assert any("2 rows are marked as the baseline" in f.message for f in check(plan))


def test_latency_rules_per_row() -> None:
    plan = code_review_plan()
    plan.evaluation.rows[1] = EvalRow(
        model="new", metric="review-summary-correctness", p50="30s", p99="10s"
    )
    messages = [f.message for f in check(plan) if f.section == "Evaluation"]
    assert any(m.startswith("P50 (30s) is above P99 (10s)") for m in messages)
    assert any(m.startswith("the baseline has it but this candidate does not") for m in messages)


def test_ranges_and_windows_run_forwards() -> None:
    plan = code_review_plan()
    latency, rate = plan.persevere.observations
    latency.ranges = latency.ranges.replace("14000 ms to 17500 ms", "18000 ms to 14000 ms")
    rate.start = "2025-07-01"
    errors = {(f.path, f.message) for f in check(plan) if f.level is Level.ERROR}
    assert errors == {
        (
            "persevere.observations.0.ranges",
            "'p90: 18000 ms to 14000 ms': the range starts above its end: the lower bound "
            "comes first",
        ),
        (
            "persevere.observations.1.start",
            "the window starts (2025-07-01) after it ends (2025-06-06)",
        ),
    }
    # Each finding names its entry the way the wizard boxes it: Observation 2.
    assert {f.field for f in check(plan) if f.path == "persevere.observations.1.start"} == {
        "From (observation 2)"
    }
    # Human dates are taken as written, with no order check.
    rate.start, rate.end = "Aug 21", "May 17"
    assert not [f for f in check(plan) if f.level is Level.ERROR and "window" in f.message]


def test_labels_cannot_hold_quotes() -> None:
    plan = code_review_plan()
    plan.quick_actions.labels.append('bad"label')
    errors = [f for f in check(plan) if f.level is Level.ERROR]
    assert [f.field for f in errors] == ["Labels (item 5)"]


def test_template_title_is_a_placeholder() -> None:
    plan = code_review_plan()
    plan.title.title = "[AI Model] Rollout Plan"
    [finding] = [f for f in check(plan) if f.level is Level.ERROR]
    assert "e.g. [claude-4-0-sonnet] Rollout Plan" in finding.message


def test_one_finding_per_field_and_no_note_for_fields_beyond_the_template() -> None:
    plan = code_review_plan()
    plan.evaluation.rows[1].score = ""
    at_score = [f for f in check(plan) if f.path == "evaluation.rows.1.score"]
    assert [f.level for f in at_score] == [Level.WARNING]
    assert [f for f in check(Plan()) if f.path == "overview.summary"] == []


def test_an_address_without_its_scheme_is_told_to_add_https() -> None:
    from tui.checks import ff_issue_problem

    assert ff_issue_problem("gitlab.com/g/p/-/issues/1") == (
        "add https:// in front: https://gitlab.com/g/p/-/issues/1"
    )
    plan = Plan()
    plan.overview.epic = "gitlab.com/groups/gitlab-org/-/epics/17571"
    said = [f.message for f in check(plan) if f.path == "overview.epic"]
    assert said == ["add https:// in front: https://gitlab.com/groups/gitlab-org/-/epics/17571"]
