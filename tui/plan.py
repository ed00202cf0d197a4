"""The rollout plan: one pydantic model per template section, one field per fact.

This module is the single source of truth for the fields of the plan: their
labels, help texts (the template's guidance), defaults (the template's prefilled
values), how much they matter, and what kind of value they hold. The wizard's
screens, the checks and the renderer all read it; nothing else lists fields.

Every user-typed value is stored as text, as typed but clean: without the
whitespace around it, observed ranges one a line (see `clean`). A plan must always
be savable whatever its findings, so parsing (dates, latencies, ranges) happens
in `checks` and `metrics`, never here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from tui import template_text

SCHEMA_VERSION = 4  # see tui/migrations.py for what changed


class Need(StrEnum):
    """How much a field matters: the level of its "still empty" finding."""

    REQUIRED = "required"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"
    EXTRA = "extra"  # beyond the template (kept from older ones); empty is normal


class Kind(StrEnum):
    """What a value is: drives the widget the wizard shows and the rule `checks` applies."""

    TEXT = "text"  # one line of free text
    LONGTEXT = "longtext"  # several lines of free text (Markdown)
    URL = "url"  # one http(s) link
    LINKS = "links"  # one or more links or references, one a line
    REFERENCE = "reference"  # a GitLab link or a reference such as group&123 or #45
    FF_ISSUE = "ff_issue"  # the feature flag rollout issue: a GitLab issue link or reference
    WINDOW_DATE = "window_date"  # YYYY-MM-DD, or a date as engineers write it (May 17)
    TIMELINE_DATE = "timeline_date"  # YYYY-MM-DD or TBD
    DURATION = "duration"  # 17.5s, 850ms, 1m 5s
    NUMBER = "number"  # a plain number (milliseconds, metric values)
    LABEL = "label"  # a GitLab label name
    STATE = "state"  # a checklist item: open / done / not applicable
    FLAG = "flag"  # a yes/no switch
    ROWS = "rows"  # a repeating group of sub-models
    ITEMS = "items"  # a repeating list of texts
    RANGES = "ranges"  # observed ranges, one a line: `p50: 637ms to 782ms`


# Kinds edited as several lines of text (a text area; `$EDITOR` in plain mode).
MULTILINE_KINDS: frozenset[Kind] = frozenset({Kind.LONGTEXT, Kind.LINKS, Kind.RANGES})


@dataclass(frozen=True)
class FieldSpec:
    """One field of the plan as declared with `field`: all that the wizard, the
    checks, the renderer and the importer know about it."""

    name: str  # the attribute
    label: str
    help: str
    kind: Kind
    need: Need
    suggestions: tuple[str, ...] = ()  # the usual values: a choice in the wizard
    blank: str = ""  # the label of the empty choice, when there are suggestions
    noun: str = ""  # what one entry of a repeating group is called: row, section, item

    @property
    def placeholders(self) -> frozenset[str]:
        """What the template writes for this field while it is empty (lower case)."""
        return template_text.PLACEHOLDERS.get(self.kind, frozenset())


@dataclass(frozen=True)
class SectionSpec:
    """One section of the plan: a wizard step, and a part of the description."""

    name: str  # the attribute on Plan
    title: str  # as the wizard and the findings name it
    help: str
    model: type[BaseModel]
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return field_info(self.model, name)


def field(
    label: str,
    help: str = "",
    *,
    kind: Kind = Kind.TEXT,
    need: Need = Need.OPTIONAL,
    default: Any = "",
    default_factory: Any = None,
    suggestions: tuple[str, ...] = (),
    noun: str = "",
) -> Any:
    """A model field carrying what the wizard and the checks need to know about it.

    Adding a field to the plan is one line of this in a section's model (and its
    line in the Jinja template): every other module reads it through `field_info`."""
    # Plain strings in pydantic's schema extras, so a JSON schema of the plan reads well.
    extra: dict[str, Any] = {"kind": str(kind), "need": str(need)}
    if suggestions:
        extra["suggestions"] = list(suggestions)
    if noun:
        extra["noun"] = noun
    if default_factory is not None:
        return Field(
            default_factory=default_factory, title=label, description=help, json_schema_extra=extra
        )
    return Field(default=default, title=label, description=help, json_schema_extra=extra)


# What an entry of a group is called unless its field says (`noun=`).
_NOUNS = {"rows": "row", "items": "item"}


@functools.cache  # read on every assignment (the cleaning validator): models never change
def field_info(model: type[BaseModel], name: str) -> FieldSpec:
    """The spec of one field, as declared with `field`."""
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return FieldSpec(
        name=name,
        label=info.title or name,
        help=info.description or "",
        kind=Kind(str(extra.get("kind", Kind.TEXT))),
        need=Need(str(extra.get("need", Need.OPTIONAL))),
        suggestions=tuple(str(s) for s in extra.get("suggestions", ())),  # type: ignore[union-attr]
        blank=str(extra.get("blank", "")),
        noun=str(extra.get("noun", _NOUNS.get(str(extra.get("kind")), ""))),
    )


def fields_of(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The specs of a model's fields, in declaration order."""
    return tuple(field_info(model, name) for name in model.model_fields)


def table_rows(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The fields the template writes as rows of the section's two-column table
    (Overview's Resource | Links): those of one line; its free text and the rows of
    one's own are not among them."""
    return tuple(s for s in fields_of(model) if s.kind not in (Kind.LONGTEXT, Kind.ROWS))


def field_suggestions(model: type[BaseModel], name: str) -> list[str]:
    """The usual values of a field, when it declares them (a choice in the wizard)."""
    return list(field_info(model, name).suggestions)


# C0 controls but tab and line feed, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: str, kind: Kind) -> str:
    """The value as stored: what a user means, without what they did not mean to type.

    Free text keeps its indentation (a code block may open it) and loses only the
    blank lines around it and the spaces at its end; inner lines are never touched.
    Observed ranges keep one range a line, without blank lines.
    """
    # Control characters are never text: from a hostile file, ESC would drive the
    # terminal that shows the value. Line ends are made \n.
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if kind == Kind.LONGTEXT:
        return re.sub(r"\A(?:[^\S\n]*\n)+", "", value).rstrip()
    if kind == Kind.RANGES:
        # One range a line, each a list item in the description: blank lines say nothing.
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())
    value = value.strip()
    if kind == Kind.LABEL:
        # Typed the GitLab way, `~label` or `~"scoped::label"`: the name alone is kept.
        value = value.removeprefix("~")
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1].strip()
    return value


class Model(BaseModel):
    # Unknown keys are refused so a mistyped or newer draft is reported, not half-read.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # Every path that fills a field (the wizard, import, a draft file) stores it clean.
    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None:
            return value
        kind = field_info(cls, info.field_name).kind
        if kind in (Kind.STATE, Kind.FLAG, Kind.ROWS):
            return value
        if kind == Kind.ITEMS and isinstance(value, list):
            # Labels are items too, and read the way GitLab writes them.
            each = Kind.LABEL if info.field_name == "labels" else kind
            return [clean(item, each) if isinstance(item, str) else item for item in value]
        return clean(value, kind) if isinstance(value, str) else value


def more_field() -> Any:
    """The section's own Markdown beyond the template's fields: what the engineer adds,
    and whatever an import cannot put in a field, in order. Shown at the section's end."""
    return field(
        "More",
        "Your own Markdown for this section, shown at its end: notes, tables, links.",
        kind=Kind.LONGTEXT,
        need=Need.EXTRA,
    )


# --- Title -----------------------------------------------------------------------------


class TitleSection(Model):
    title: str = field(
        "Issue title",
        "The GitLab issue's title, suggested as [<candidate model>] Rollout Plan.",
        need=Need.REQUIRED,
    )


# --- Overview --------------------------------------------------------------------------


class Resource(Model):
    """A row of the Overview table beyond the template's four."""

    name: str = field("Resource", "What the link is, e.g. Dashboards.")
    links: str = field("Links", "Links or text, as in the template's rows.")


class Overview(Model):
    summary: str = field(
        "Summary",
        "Optional. A short statement about the new model and why you are introducing it.",
        kind=Kind.LONGTEXT,
        need=Need.EXTRA,
    )
    model_links: str = field(
        "Model",
        "Optional. Links about the model, for example its documentation. One a line.",
        kind=Kind.LINKS,
    )
    epic: str = field(
        "Epic or Issue",
        "We recommend creating an epic when introducing a new model.",
        kind=Kind.REFERENCE,
    )
    ff_issue: str = field(
        "Feature Flag Rollout Issue",
        "The issue that tracks the feature flag's rollout: "
        "https://gitlab.com/<group>/<project>/-/issues/<n> or group/project#<n>.",
        kind=Kind.FF_ISSUE,
        need=Need.REQUIRED,
    )
    status_updates: str = field(
        "Status updates",
        "Optional, but recommended. Where status updates are posted.",
        kind=Kind.REFERENCE,
        need=Need.RECOMMENDED,
    )
    resources: list[Resource] = field(
        "More rows",
        "Rows of your own in the Overview table, after the template's.",
        kind=Kind.ROWS,
        need=Need.EXTRA,
        default_factory=list,
    )
    more: str = more_field()


# --- Checklist -------------------------------------------------------------------------


class ItemState(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


def state_field(label: str, help: str = "") -> Any:
    return field(label, help, kind=Kind.STATE, default=ItemState.OPEN)


class Checklist(Model):
    unit_primitives: ItemState = state_field(
        "Add a new configurable to unit_primitives.yml",
        "Part of: update the yml files to support customer personal model selection.",
    )
    models_yml: ItemState = state_field(
        "Add the new feature model to model.yml",
        "Part of: update the yml files to support customer personal model selection.",
    )
    pin_prompt: ItemState = state_field(
        "Optional: pin the prompt version in the Rails client behind a feature flag",
        "Override the prompt version behind a feature flag in the GitLab Rails client.",
    )
    unstable_prompt: ItemState = state_field(
        "Optional: configure the prompt registry with a non-stable prompt",
        "A non-stable prompt (alpha, dev, rc) once you fully roll out to internal/external users.",
    )
    stable_prompt: ItemState = state_field(
        "Add a stable prompt version once fully rolled out",
        "A stable prompt version (not dev, alpha or beta) in the prompt registry.",
    )
    more: str = more_field()

    @property
    def update_yml(self) -> ItemState:
        """The parent item is derived from its two children, never stored."""
        children = {self.unit_primitives, self.models_yml}
        if children == {ItemState.NOT_APPLICABLE}:
            return ItemState.NOT_APPLICABLE
        if ItemState.OPEN in children:
            return ItemState.OPEN
        return ItemState.DONE


# --- Evaluation ------------------------------------------------------------------------


class EvalRow(Model):
    pipeline: str = field("Evaluation pipeline", "Link to the evaluation pipeline.", kind=Kind.URL)
    model: str = field("Model", "The model evaluated, for example claude-4-0-sonnet.")
    metric: str = field("Quality metric", "Its name, for example context-qa-accuracy.")
    score: str = field("Score", "The quality metric's value, for example 0.82.", kind=Kind.NUMBER)
    p50: str = field("P50 latency", "For example 17.5s, 850ms or 1m 5s.", kind=Kind.DURATION)
    p99: str = field("P99 latency", "For example 44s.", kind=Kind.DURATION)
    baseline: bool = field(
        "Baseline", "The model the candidates are compared to.", kind=Kind.FLAG, default=False
    )


class Evaluation(Model):
    langsmith_url: str = field(
        "Langsmith experiment", "Link to the experiment's results.", kind=Kind.URL
    )
    rows: list[EvalRow] = field(
        "Evaluation results",
        "One row a model; mark exactly one as the baseline. The Change row is computed.",
        kind=Kind.ROWS,
        need=Need.RECOMMENDED,
        default_factory=list,
    )
    more: str = more_field()


# --- Success criteria ------------------------------------------------------------------


class SuccessCriteria(Model):
    prompt_registry: bool = field(
        "Verify the prompt registry selects the correct prompt version",
        "The template's first criterion, with its Kibana filter.",
        kind=Kind.FLAG,
        default=True,
    )
    chat_streaming: bool = field(
        "Confirm Duo Chat streaming works correctly",
        "The template's second criterion (V2 Duo Chat only).",
        kind=Kind.FLAG,
        default=True,
    )
    custom: list[str] = field(
        "Your criteria",
        "Add your specific success criteria.",
        kind=Kind.ITEMS,
        default_factory=list,
    )
    more: str = more_field()


# --- Dashboards, legal notes, known issues ---------------------------------------------


class Link(Model):
    label: str = field("Label", "What the link shows.")
    url: str = field("URL", "http(s) link.", kind=Kind.URL)


class Dashboards(Model):
    links: list[Link] = field(
        "Dashboards",
        "Filter acceptance rate or latency dashboards to the new model. "
        "Add all relevant dashboards.",
        kind=Kind.ROWS,
        default_factory=list,
    )
    more: str = more_field()


class LegalNotes(Model):
    notes: str = field("Legal notes", "Add legal notes here.", kind=Kind.LONGTEXT)


class KnownIssue(Model):
    description: str = field("Description", "What goes wrong.")
    link: str = field("Issue", "Optional link or reference to the issue.", kind=Kind.REFERENCE)


class KnownIssues(Model):
    issues: list[KnownIssue] = field(
        "Known issues",
        "Issues you identified during evaluation, implementation, and rollout of the model.",
        kind=Kind.ROWS,
        default_factory=list,
    )
    more: str = more_field()


# --- Rollout ---------------------------------------------------------------------------

TIMELINE_AUDIENCES = (
    "Feature team members and other stakeholders",
    "All GitLab team members",
    "50% of all users",
    "100% of all users",
)
TIMELINE_STATUSES = ("Planned", "In progress", "Done", "Paused", "Rolled back")


class TimelineRow(Model):
    date: str = field("Date", "YYYY-MM-DD, or TBD.", kind=Kind.TIMELINE_DATE, need=Need.RECOMMENDED)
    audience: str = field("Audience", "Who gets the model at this step.")
    status: str = field("Status", "Where this step stands.", suggestions=TIMELINE_STATUSES)


class Timeline(Model):
    description: str = field(
        "Description", "Optional: describe your expected timeline.", kind=Kind.LONGTEXT
    )
    rows: list[TimelineRow] = field(
        "Timeline",
        "One row a step of the rollout.",
        kind=Kind.ROWS,
        default_factory=lambda: [TimelineRow(audience=a) for a in TIMELINE_AUDIENCES],
    )
    more: str = more_field()


class Feedback(Model):
    issue: str = field(
        "Feedback issue", "Add link to the internal feedback issue.", kind=Kind.REFERENCE
    )


PERSEVERE_CRITERIA = (
    "Maintain latency within observed p50/90/95 ranges",
    "Keep success/acceptance rate within observed range or improve it",
    "Identify no blockers",
)
PIVOT_CRITERIA = (
    "Requests fail to use the new model as expected",
    "Latency increases or spikes for the new model vs the old model",
    "Success/acceptance rate decreases compared to the old model",
)


# The template's two observation blocks; X and Y are still to fill.
LATENCY_RANGES = ("p50: X ms to Y ms", "p90: X ms to Y ms", "p95: X ms to Y ms")
RATE_RANGES = ("Rate: X% to Y%",)


class Observation(Model):
    """One "_Observed <what> from <start> to <end>_" block and its ranges. Engineers
    rename them ("error rate"), write human dates ("May 17") and add their own."""

    what: str = field("Observed", "What was observed, e.g. latency or error rate.")
    start: str = field("From", "YYYY-MM-DD, or as you write dates (May 17).", kind=Kind.WINDOW_DATE)
    end: str = field("To", "YYYY-MM-DD, or as you write dates (Aug 21).", kind=Kind.WINDOW_DATE)
    ranges: str = field(
        "Ranges",
        "One a line: name: low to high, e.g. p50: 637ms to 782ms. X is still to fill.",
        kind=Kind.RANGES,
    )


def template_observations() -> list[Observation]:
    return [
        Observation(what="latency", ranges="\n".join(LATENCY_RANGES)),
        Observation(what="success/acceptance rate", ranges="\n".join(RATE_RANGES)),
    ]


class Persevere(Model):
    criteria: list[str] = field(
        "Criteria",
        "Define specific criteria that indicate successful rollout and continuation.",
        kind=Kind.ITEMS,
        default_factory=lambda: list(PERSEVERE_CRITERIA),
    )
    observations: list[Observation] = field(
        "Observed",
        "What was observed, over which window, in which ranges.",
        kind=Kind.ROWS,
        noun="observation",
        default_factory=template_observations,
    )
    more: str = more_field()


class Pivot(Model):
    criteria: list[str] = field(
        "Criteria",
        "Define specific criteria that require pausing or rolling back the rollout.",
        kind=Kind.ITEMS,
        default_factory=lambda: list(PIVOT_CRITERIA),
    )
    more: str = more_field()


FEATURE_FLAG_LINK = "[feature flag](https://docs.gitlab.com/operations/feature_flags/)"
MITIGATION_TEXT = (
    f"We will control the rollout using a {FEATURE_FLAG_LINK}. If we need to pause, pivot, "
    "or rollback the model, we will disable the feature flag, especially for external users, "
    "to investigate potential issues."
)


class Mitigation(Model):
    text: str = field(
        "Plan",
        "Describe how you will handle issues during rollout.",
        kind=Kind.LONGTEXT,
        default=MITIGATION_TEXT,
    )
    feature_flag: str = field(
        "Feature flag name", "The flag that controls the rollout, for example my_model_rollout."
    )


DOCUMENTATION_LINKS = (
    (
        "Prompt Versioning Guidelines",
        "https://docs.gitlab.com/development/ai_features/actions/"
        "#appendix-a-prompt-versioning-conventions",
    ),
    (
        "How to add a new prompt version",
        "https://docs.gitlab.com/development/ai_features/actions/"
        "#1-add-your-action-to-the-cloud-connector-feature-list",
    ),
    (
        "Model Selection Blueprint",
        "https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/"
        "ai_model_selection/",
    ),
)


class Documentation(Model):
    links: list[Link] = field(
        "Useful documentation",
        "The template's links, plus your own.",
        kind=Kind.ROWS,
        default_factory=lambda: [Link(label=label, url=url) for label, url in DOCUMENTATION_LINKS],
    )
    more: str = more_field()


class Announcement(Model):
    text: str = field(
        "Release announcement",
        "Describe where you will announce the model when ready for rollout to external users.",
        kind=Kind.LONGTEXT,
    )


# --- The document around the template ------------------------------------------------

# Sections a plan cannot do without: the feature flag rollout issue is in Overview,
# and the confidential declaration comes with the quick actions.
REQUIRED_SECTIONS = ("Title", "Overview", "Labels & confidentiality")


class CustomSection(Model):
    title: str = field("Heading", "The section's heading, as it shows in the issue.")
    level: str = field(
        "Level",
        "2 for a section (##), 3 for a part of one (###), and so on.",
        default="2",
        suggestions=("1", "2", "3", "4", "5", "6"),
    )
    # Its choices are the sections' titles, known once Plan is defined (below it).
    after: str = field(
        "After",
        "The template section it follows: Title puts it first, above Overview; "
        "(at the end), after the last.",
        need=Need.EXTRA,
    )
    body: str = field("Text", "The section's Markdown.", kind=Kind.LONGTEXT)


class Document(Model):
    custom: list[CustomSection] = field(
        "Your sections",
        "Sections of your own, each after the template section you choose.",
        kind=Kind.ROWS,
        noun="section",
        default_factory=list,
    )
    left_out: list[str] = field(
        "Left out",
        "Optional template sections this plan does without: tick one to leave it out, "
        "untick it to bring it back.",
        kind=Kind.ITEMS,
        default_factory=list,
    )
    # Last: rare, and the screen opens on what it is for (its own sections).
    preamble: str = field(
        "Before the first heading",
        "Markdown of your own between the confidential declaration and the first heading.",
        kind=Kind.LONGTEXT,
        need=Need.EXTRA,
    )


DEFAULT_LABELS = ("type::feature", "feature::maintenance", "AI Model Migration")


class QuickActions(Model):
    confidential: bool = field(
        "Confidential",
        "Mark the issue confidential: the plan shares SAFE metrics.",
        kind=Kind.FLAG,
        default=True,
    )
    labels: list[str] = field(
        "Labels",
        "Add appropriate labels based on the feature, team and category.",
        kind=Kind.ITEMS,
        default_factory=lambda: list(DEFAULT_LABELS),
    )
    extra: list[str] = field(
        "Other quick actions",
        "More quick actions to run when the issue is created, e.g. /milestone %18.2.",
        kind=Kind.ITEMS,
        default_factory=list,
    )


# --- The plan --------------------------------------------------------------------------


def section(title: str, help: str, model: type[BaseModel]) -> Any:
    return Field(default_factory=model, title=title, description=help)


class Plan(Model):
    """Sections in template order; the wizard shows them in this order."""

    title: TitleSection = section(
        "Title", "The issue title, suggested as [<candidate model>] Rollout Plan.", TitleSection
    )
    overview: Overview = section(
        "Overview",
        "Links reviewers need. The feature flag rollout issue is required.",
        Overview,
    )
    checklist: Checklist = section(
        "Checklist", "What to change to support customer personal model selection.", Checklist
    )
    evaluation: Evaluation = section(
        "Evaluation",
        "Evaluation metrics from the prompt-library or evaluation-runner.",
        Evaluation,
    )
    success: SuccessCriteria = section(
        "Success criteria", "What shows the rollout succeeded.", SuccessCriteria
    )
    dashboards: Dashboards = section(
        "Dashboards", "Acceptance rate and latency dashboards for the new model.", Dashboards
    )
    legal: LegalNotes = section("Legal notes", "Anything legal reviewers need.", LegalNotes)
    known_issues: KnownIssues = section(
        "Known issues", "Issues found so far, with links.", KnownIssues
    )
    timeline: Timeline = section("Timeline", "When each audience gets the model.", Timeline)
    feedback: Feedback = section("Feedback", "Feedback from GitLab team members.", Feedback)
    persevere: Persevere = section(
        "Persevere criteria",
        "When to continue, and the latency and success rates observed.",
        Persevere,
    )
    pivot: Pivot = section("Pivot criteria", "When to pause or roll back.", Pivot)
    mitigation: Mitigation = section(
        "Mitigation", "How issues during rollout are handled.", Mitigation
    )
    documentation: Documentation = section("Documentation", "Useful documentation.", Documentation)
    announcement: Announcement = section(
        "Release announcement", "Where the release is announced.", Announcement
    )
    document: Document = section(
        "Your sections",
        "Sections of your own, and template sections this plan leaves out.",
        Document,
    )
    quick_actions: QuickActions = section(
        "Labels & confidentiality", "Quick actions run when the issue is created.", QuickActions
    )

    def criteria_untouched(self) -> bool:
        """True while the persevere, pivot and mitigation sections hold the template's text.

        The template's guidance lines under those headings stay until the engineer
        starts on that part of the plan, as engineers do by hand.
        """
        return (
            self.persevere == Persevere()
            and self.pivot == Pivot()
            and self.mitigation == Mitigation()
        )

    def candidates(self) -> list[EvalRow]:
        return [row for row in self.evaluation.rows if not row.baseline]

    def suggested_title(self) -> str:
        """The template's title suggestion, filled with the first candidate's model."""
        model = next((r.model.strip() for r in self.candidates() if r.model.strip()), "")
        return f"[{model or 'AI Model'}] Rollout Plan"


def _choose_from(model: type[BaseModel], name: str, choices: list[str], blank: str = "") -> None:
    """Give a declared field its choices (and the label of its empty choice, stored
    as ""), for fields whose choices are the plan's own sections."""
    extra = model.model_fields[name].json_schema_extra
    assert isinstance(extra, dict)
    suggestions: list[Any] = list(choices)  # JSON values, as pydantic's extras are
    extra["suggestions"] = suggestions
    if blank:
        extra["blank"] = blank
    # A spec read before the choices were given would be stale.
    field_info.cache_clear()
    sections.cache_clear()


@functools.cache
def sections() -> tuple[SectionSpec, ...]:
    """Every section of the plan, in template order."""
    result = []
    for name, info in Plan.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        result.append(
            SectionSpec(name, info.title or name, info.description or "", model, fields_of(model))
        )
    return tuple(result)


def section_spec(name: str) -> SectionSpec:
    """The section whose attribute on Plan is `name`."""
    return next(spec for spec in sections() if spec.name == name)


# A section of one's own follows a template section (the wizard's own Your sections
# and the quick actions, always last, are no place for it); only optional sections
# can be left out.
_TEMPLATE_TITLES = [
    info.title or name for name, info in Plan.model_fields.items() if name != "document"
]
OPTIONAL_SECTIONS = tuple(t for t in _TEMPLATE_TITLES if t not in REQUIRED_SECTIONS)
_choose_from(
    CustomSection,
    "after",
    [t for t in _TEMPLATE_TITLES if t != "Labels & confidentiality"],
    blank="(at the end)",
)
_choose_from(Document, "left_out", list(OPTIONAL_SECTIONS))
