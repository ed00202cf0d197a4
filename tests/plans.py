"""Plans built by hand for tests, mirroring the shared examples' facts."""

from __future__ import annotations

from tui.plan import (
    EvalRow,
    ItemState,
    KnownIssue,
    Link,
    Plan,
)


def code_review_plan() -> Plan:
    """Every fact of tests/data/code-review-summary-filled.md, as a plan."""
    plan = Plan()
    plan.title.title = "[claude-4-0-sonnet] Rollout Plan"
    o = plan.overview
    o.model_links = "https://docs.anthropic.com/en/docs/about-claude/models/overview"
    o.epic = "https://gitlab.com/groups/gitlab-org/-/epics/17541"
    o.ff_issue = "https://gitlab.com/gitlab-org/gitlab/-/issues/547713"
    o.status_updates = "https://gitlab.com/gitlab-org/gitlab/-/issues/547700#note_2541110099"
    c = plan.checklist
    c.unit_primitives = ItemState.DONE
    c.models_yml = ItemState.DONE
    c.pin_prompt = ItemState.NOT_APPLICABLE
    c.unstable_prompt = ItemState.DONE
    c.stable_prompt = ItemState.OPEN
    ev = plan.evaluation
    ev.langsmith_url = (
        "https://smith.langchain.com/o/477de7ad/datasets/6b2c/compare?selectedSessions=9f1e"
    )
    pipelines = "https://gitlab.com/gitlab-org/modelops/ai-model-validation-and-research/ai-evaluation/prompt-library/-/pipelines/"
    ev.rows = [
        EvalRow(
            pipeline=pipelines + "1871234567",
            model="claude-3-7-sonnet",
            metric="review-summary-correctness",
            score="3.41",
            p50="9.8s",
            p99="21s",
            baseline=True,
        ),
        EvalRow(
            pipeline=pipelines + "1871234890",
            model="claude-4-0-sonnet",
            metric="review-summary-correctness",
            score="3.62",
            p50="8.9s",
            p99="19.5s",
        ),
    ]
    plan.success.custom = ["Summary generation error rate stays below 0.5% for 7 consecutive days."]
    plan.dashboards.links = [
        Link(
            label="Code Review Summary latency",
            url="https://dashboards.gitlab.net/d/ai-gateway-code-review/code-review-summary?orgId=1",
        ),
        Link(
            label="AI Gateway error budget",
            url="https://dashboards.gitlab.net/d/ai-gateway-main/ai-gateway-overview?orgId=1",
        ),
    ]
    plan.legal.notes = (
        "No new data processing terms: the model is served by the same vendor under the "
        "existing agreement."
    )
    plan.known_issues.issues = [
        KnownIssue(
            description=(
                "Summaries of merge requests with more than 400 changed files are truncated"
            ),
            link="https://gitlab.com/gitlab-org/gitlab/-/issues/548002",
        )
    ]
    t = plan.timeline
    t.description = (
        "We move to the next audience after 3 working days without a pivot criterion being met."
    )
    for row, (date, status) in zip(
        t.rows,
        [
            ("2025-06-09", "Done"),
            ("2025-06-12", "Done"),
            ("2025-06-17", "In progress"),
            ("2025-06-24", "Planned"),
        ],
        strict=True,
    ):
        row.date, row.status = date, status
    plan.feedback.issue = "https://gitlab.com/gitlab-org/gitlab/-/issues/547790"
    latency, rate = plan.persevere.observations
    latency.start, latency.end = rate.start, rate.end = "2025-05-26", "2025-06-06"
    latency.ranges = (
        "p50: 8200 ms to 10100 ms\np90: 14000 ms to 17500 ms\np95: 17000 ms to 21500 ms"
    )
    rate.ranges = "Rate: 61% to 66%"
    plan.mitigation.feature_flag = "code_review_summary_claude_4_0"
    plan.announcement.text = (
        'Announced in the 18.2 release post under "Code Review" and in #duo-chat on Slack '
        "once at 100%."
    )
    plan.quick_actions.labels.append("group::code review")
    return plan
