"""The template's own words: its placeholders and its guidance lines, in all three
versions engineers have filled in (the current one, the older model rollout one and
the Code Suggestions predecessor).

The renderer writes the current version's (as Jinja globals), the importer reads
every version's as empty, and the checks treat a placeholder as a field still to
fill. Nothing else spells them out. This module holds data only: the plan imports it.
"""

from __future__ import annotations

# What the current template writes where a value is still to give.
LINK = "<insert_link>"  # the Langsmith experiment
PIPELINE = "[pipeline_link]"  # an evaluation row's pipeline
MODEL = "[model]"  # an evaluation row's model
VALUE = "X"  # a score or a latency
TIMELINE_DATE = "???"  # a timeline row's date
WHAT = "[what]"  # what an observation block observed
DATE = "[date]"  # an observation window's start or end
PLACEHOLDER = {
    "link": LINK,
    "pipeline": PIPELINE,
    "model": MODEL,
    "value": VALUE,
    "timeline_date": TIMELINE_DATE,
    "what": WHAT,
    "date": DATE,
}

# The evaluation table's example rows, as the current template ships them: written
# while the plan has no row, and read back as "no results yet".
EXAMPLE_EVALUATION_ROWS = (
    (PIPELINE, "claude-3-7-sonnet (baseline)", "context-qa-accuracy: X", "17.5s", "44s"),
    (PIPELINE, "claude-4-0-sonnet", "context-qa-accuracy: X", "22s", "40s"),
)

# Values the template ships as placeholders, by kind of field: a field holding one
# is still empty. Lower case, as they are compared. (An `X` is a placeholder for a
# latency, not for a title; `Y` and `XX` are the template's too, in its ranges and
# Change row.)
NUMBER_PLACEHOLDERS = frozenset({VALUE.lower(), "y", "xx"})
_DATE_PLACEHOLDERS = frozenset({DATE, TIMELINE_DATE})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "number": NUMBER_PLACEHOLDERS,
    "duration": NUMBER_PLACEHOLDERS,
    "timeline_date": _DATE_PLACEHOLDERS,
    "window_date": _DATE_PLACEHOLDERS,
    "url": frozenset({LINK, PIPELINE}),
    "text": frozenset({MODEL, WHAT}),
}

CONFIDENTIAL = "The issue is marked confidential, as we'll share SAFE metrics in the comments."

# The current template's guidance lines (written in underscores), by the plan section
# they stand in: the renderer writes them while that part of the plan is empty.
GUIDANCE = {
    "success": "Add your specific success criteria.",
    "dashboards": "Filter acceptance rate or latency dashboards to the new model. "
    "Add all relevant dashboards.",
    "legal": "Add legal notes here",
    "known_issues": "List issues you identified during evaluation, implementation, and "
    "rollout of the model.",
    "timeline": "Optional: Describe your expected timeline.",
    "feedback": "Add link to the internal feedback issue.",
    "persevere": "Define specific criteria that indicate successful rollout and continuation.",
    "pivot": "Define specific criteria that require pausing or rolling back the rollout.",
    "mitigation": "Describe how you will handle issues during rollout.",
    "announcement": "Describe where you will announce the model when ready for rollout to "
    "external users.",
}

# The same lines in the two older versions (typos included: they are the files' own).
OLDER_MODEL_ROLLOUT_GUIDANCE = (
    "Briefly describe the new model. Mention why you're introducing it.",
    "Add a list of success criteria.",
    "This can be the acceptance rate or latency dashboards filtered to the new model. "
    "Add as many dashboards as is relevant.",
    "Add legal notes here",
    "List the issues identified throughout the evaluation, implementation, and rollout "
    "of the model.",
    "Optional: Breifly describe the expected timeline.",
    "Add link to the internal feedback issue.",
    "Add specific criteria that indicates rollout is successful and should continue.",
    "Add specific criteria that indicates the rollout should be paused or rolled back.",
    "Describe how you will handle issues if they arise during rollout.",
    "Describe where to make announcements when the model is ready for rollout to external users.",
)
CODE_SUGGESTIONS_GUIDANCE = (
    "Add a short statement here about the new model. Make sure your overview includes a "
    "reason as to why you are introducing this new model.",
    "Add a list of success criteria here",
    "This can be the acceptance rate or latency dashboards filtered to the new model. "
    "Add as many dashboards as is relevant.",
    "Add legal notes here",
    "List of issues identified throughout the evaluation, implementation, and rollout of "
    "the model.",
    "Optional: add a short description here of the expected timeline.",
    "Add link to the internal feedback issue.",
    "Add details here about where to make announcements when the model is ready for "
    "rollout to external users.",
)

# Every guidance line of every version, and the confidential note: a section holding
# only these holds nothing of the engineer's. Lower case, as they are compared.
ALL_GUIDANCE = frozenset(
    line.lower()
    for line in (
        CONFIDENTIAL,
        *GUIDANCE.values(),
        *OLDER_MODEL_ROLLOUT_GUIDANCE,
        *CODE_SUGGESTIONS_GUIDANCE,
    )
)
