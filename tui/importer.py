"""An issue description made from the template, read back into a plan.

Descriptions come from this tool, from engineers filling the template by hand in
GitLab, and from older versions of the template. The reader is forgiving: it
finds sections by their heading whatever the case or wording of older variants,
treats the template's placeholders as empty, recomputes the Change row instead of
reading it, and copes with missing or extra table cells. It is also honest:
anything it cannot place in the plan is named in a note, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tui import markdown
from tui.checks import is_empty
from tui.links import REFERENCE, REFERENCE_PATTERN, WEB_LINK
from tui.plan import (
    FEATURE_FLAG_LINK,
    EvalRow,
    ItemState,
    Kind,
    KnownIssue,
    Link,
    Plan,
    TimelineRow,
)

# The template's guidance lines, current and older wordings: a section holding only
# one of these is empty. Compared without the surrounding underscores, lower case.
GUIDANCE = frozenset(
    line.lower()
    for line in (
        "Add your specific success criteria.",
        "Add a list of success criteria here",
        "Filter acceptance rate or latency dashboards to the new model. "
        "Add all relevant dashboards.",
        "This can be the acceptance rate or latency dashboards filtered to the new model. "
        "Add as many dashboards as is relevant.",
        "Add legal notes here",
        "List issues you identified during evaluation, implementation, and rollout of the model.",
        "List of issues identified throughout the evaluation, implementation, and rollout of "
        "the model.",
        "Optional: Describe your expected timeline.",
        "Optional: add a short description here of the expected timeline.",
        "Add link to the internal feedback issue.",
        "Define specific criteria that indicate successful rollout and continuation.",
        "Define specific criteria that require pausing or rolling back the rollout.",
        "Describe how you will handle issues during rollout.",
        "Describe where you will announce the model when ready for rollout to external users.",
        "Add details here about where to make announcements when the model is ready for "
        "rollout to external users.",
        "Add a short statement here about the new model. Make sure your overview includes a "
        "reason as to why you are introducing this new model.",
        "Briefly describe the new model. Mention why you're introducing it.",
        "The issue is marked confidential, as we'll share SAFE metrics in the comments.",
    )
)

# The template's comments: on lines of their own (possibly several lines long) and
# inside table cells. A comment the user wrote inside a sentence is theirs and stays.
_BLOCK_COMMENT = re.compile(r"^ {0,3}<!--.*?-->[ \t]*(?:\n|$)", re.S | re.M)
_CELL_COMMENT = re.compile(r"<!--.*?-->")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_QUICK_ACTION = re.compile(r"^/[a-z_]+\b", re.I)
_TABLE_ROW = re.compile(r"^\s*\|")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_TASK = re.compile(r"^\s*[-*+]\s+\[([ xX~])\]\s+(.*)$")
_MD_LINK = re.compile(r"^\[((?:\\.|[^\]\\])*)\]\((<[^>]*>|[^)\s]*)\)$")
# "description: link" where the link is a url (bare, or in <> when it holds
# parentheses or spaces) or a GitLab reference.
_TRAILING_LINK = re.compile(
    rf"^(.*?):\s+(<https?://[^>]*>|https?://\S+|{REFERENCE_PATTERN})$", re.S
)


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Reader:
    """Reads one description into `plan`, noting what it could not place."""

    plan: Plan = field(default_factory=Plan)
    notes: list[str] = field(default_factory=list)

    def note(self, where: str, what: str, text: str) -> None:
        excerpt = " ".join(text.split())
        if len(excerpt) > 70:
            excerpt = excerpt[:67] + "..."
        self.notes.append(f"{where}: {what}: '{excerpt}'")


def parse_description(text: str) -> tuple[Plan, list[str]]:
    """The plan a description holds, and notes on anything that was not imported."""
    reader = Reader()
    body, actions = _split_quick_actions(_strip_template_comments(text))
    preamble, sections = _split_sections(body)
    _read_quick_actions(reader, actions)
    for line in preamble:
        if line.strip() and not _is_guidance(line):
            reader.note("Before the first heading", "text not imported", line)
    for section in sections:
        key = _section_key(section.heading)
        handler = _SECTIONS.get(key) if key else None
        if handler is None:
            if "".join(section.lines).strip():
                reader.note(
                    f"Section '{section.heading}'",
                    "no place in the plan for it",
                    "\n".join(section.lines),
                )
            else:
                reader.notes.append(
                    f"Section '{section.heading}': not part of the template, skipped"
                )
            continue
        handler(reader, section)
    if not sections:
        reader.notes.append("no section headings found: is this a rollout plan description?")
    return reader.plan, reader.notes


# --- Splitting -------------------------------------------------------------------------


def _strip_template_comments(text: str) -> str:
    text = _BLOCK_COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(
        _CELL_COMMENT.sub("", line) if _TABLE_ROW.match(line) else line for line in text.split("\n")
    )


def _outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it stands outside a fenced code block."""
    flags, fence = [], ""
    for line in lines:
        flags.append(not fence)
        if fence:
            if markdown.closes(line, fence):
                fence = ""
        else:
            fence = markdown.fence_marker(line)[0]
    return flags


def _split_quick_actions(text: str) -> tuple[list[str], list[str]]:
    lines = [line.rstrip() for line in text.split("\n")]
    body, actions = [], []
    for line, outside in zip(lines, _outside_fences(lines), strict=True):
        if outside and _QUICK_ACTION.match(line):
            actions.append(line.strip())
        else:
            body.append(line)
    return body, actions


def _split_sections(lines: list[str]) -> tuple[list[str], list[Section]]:
    preamble: list[str] = []
    sections: list[Section] = []
    for line, outside in zip(lines, _outside_fences(lines), strict=True):
        heading = _HEADING.match(line) if outside else None
        if heading:
            sections.append(Section(heading.group(2).strip()))
        elif sections:
            sections[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, sections


def _section_key(heading: str) -> str:
    return " ".join(re.sub(r"[^\w/ ]", " ", heading.lower()).split())


def _is_guidance(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > 2 and stripped[0] == stripped[-1] == "_":
        stripped = stripped[1:-1]
    return stripped.strip().lower() in GUIDANCE


def _paragraphs(lines: list[str]) -> list[list[str]]:
    result: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            result[-1].append(line)
        elif result[-1]:
            result.append([])
    return [p for p in result if p]


def _free_text(lines: list[str]) -> str:
    """A section's text without the template's guidance lines, as the user typed it."""
    kept = [p for p in _paragraphs(lines) if not (len(p) == 1 and _is_guidance(p[0]))]
    return markdown.read_block("\n\n".join("\n".join(p) for p in kept))


def _table(lines: list[str], first_header: str) -> tuple[list[list[str]], list[str]]:
    """The body rows of the template's table (found by its first header cell), cells read,
    and the other lines. A table of the user's own in the text is left with the text."""
    rows: list[list[str]] = []
    rest: list[str] = []
    state = "before"  # -> "delimiter" after the header row -> "body" -> "after"
    for line in lines:
        is_row = bool(_TABLE_ROW.match(line))
        if state == "before" and is_row and _first_cell(line) == first_header.lower():
            state = "delimiter"
            continue
        if state == "delimiter" and _DELIMITER_ROW.match(line):
            state = "body"
            continue
        if state in {"delimiter", "body"} and is_row:
            state = "body"
            rows.append([markdown.read_cell(cell) for cell in markdown.split_row(line)])
            continue
        if state != "before":
            state = "after"
        rest.append(line)
    return rows, rest


def _first_cell(line: str) -> str:
    return " ".join(markdown.read_cell(markdown.split_row(line)[0]).lower().split())


def _cells(row: list[str], count: int, reader: Reader, where: str) -> list[str]:
    """Exactly `count` cells: missing ones empty, extra non-empty ones noted."""
    extra = [cell for cell in row[count:] if cell.strip()]
    if extra:
        reader.note(where, "extra cells not imported", " | ".join(extra))
    return (row + [""] * count)[:count]


def _list_items(lines: list[str], raw: bool = False) -> tuple[list[str], list[str]]:
    """Top-level list items, continuation lines dedented under the item; other lines apart.

    Nested items and indented lines belong to the item above them, whatever the
    numbering (`1.` repeated, as older descriptions have it, or `1.`, `2.`, ...).
    """
    items: list[list[str]] = []
    rest: list[str] = []
    base = content = 0
    blank = False
    for line in lines:
        match = _LIST_ITEM.match(line)
        indent = len(line) - len(line.lstrip())
        if match and (not items or indent <= base):
            base, content = indent, match.start(3)
            items.append([match.group(3)])
        elif not line.strip():
            blank = True
            continue
        elif items and (indent > base or not blank):
            # Indented under the item, or a lazy continuation right after it.
            if blank:
                items[-1].append("")
            items[-1].append(line[min(indent, content) :])
        else:
            rest.append(line)
        blank = False
    texts = ["\n".join(item) for item in items]
    return (texts if raw else [markdown.read_block(text) for text in texts]), rest


def _value(text: str, kind: Kind) -> str:
    """The value as typed; empty when it is the template's placeholder for its kind."""
    return "" if is_empty(text, kind) else text.strip()


def _unbracket(text: str) -> str:
    """`<https://…>` (how a url with spaces or parentheses is written) without its <>."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">") and WEB_LINK.match(text[1:-1].replace(" ", "")):
        return text[1:-1]
    return text


def _read_link(text: str) -> Link:
    """`[label](url)`, `<url>`, a bare url, `label: url`, or a label alone."""
    text = text.strip()
    match = _MD_LINK.match(text)
    if match:
        label, target = markdown.read_inline(match.group(1)), match.group(2).strip("<>")
        # `[x](x)` is how a link without a label is written when it is not a web url.
        return Link(label="" if label == target else label, url=target)
    if WEB_LINK.match(_unbracket(text)):
        return Link(label="", url=_unbracket(text))
    trailing = _TRAILING_LINK.match(text)
    if trailing and WEB_LINK.match(_unbracket(trailing.group(2))):
        label = markdown.read_inline(trailing.group(1))
        return Link(label=label, url=_unbracket(trailing.group(2)))
    return Link(label=markdown.read_inline(text), url="")


# --- Sections --------------------------------------------------------------------------


def _read_overview(reader: Reader, section: Section) -> None:
    rows, rest = _table(section.lines, "Resource")
    o = reader.plan.overview
    fields = {
        "model": "model_links",
        "epic or issue": "epic",
        "feature flag rollout issue": "ff_issue",
        "status updates": "status_updates",
    }
    for row in rows:
        name = " ".join(row[0].lower().split()) if row else ""
        target = fields.get(name)
        cells = _cells(row, 2, reader, f"Overview row '{row[0] if row else ''}'")
        if target:
            setattr(o, target, cells[1].strip())
        elif "".join(cells).strip():
            reader.note("Overview", "row not part of the template, not imported", " | ".join(cells))
    o.summary = _free_text(rest)


_CHECKLIST_ITEMS = (
    # (words in the item's text, field); most specific first.
    ("unit_primitives", "unit_primitives"),
    ("model.yml", "models_yml"),
    ("models.yml", "models_yml"),
    ("pin the prompt version", "pin_prompt"),
    ("non-stable prompt", "unstable_prompt"),
    ("stable* prompt version", "stable_prompt"),
    ("stable prompt version", "stable_prompt"),
)
_BOX = {
    " ": ItemState.OPEN,
    "x": ItemState.DONE,
    "X": ItemState.DONE,
    "~": ItemState.NOT_APPLICABLE,
}


def _read_checklist(reader: Reader, section: Section) -> None:
    c = reader.plan.checklist
    parent: ItemState | None = None
    for line in section.lines:
        task = _TASK.match(line)
        if not task:
            if line.strip():
                reader.note("Checklist", "line not imported", line)
            continue
        state, text = _BOX[task.group(1)], task.group(2).lower()
        if "update the following" in text:
            parent = state
            continue
        name = next((name for words, name in _CHECKLIST_ITEMS if words in text), None)
        if name is None:
            reader.note("Checklist", "item not part of the template, not imported", task.group(2))
        else:
            setattr(c, name, state)
    if parent is not None and parent != c.update_yml:
        reader.notes.append(
            f"Checklist: the yml item was marked {parent.value} but its two sub-items make it "
            f"{c.update_yml.value}; the plan follows the sub-items"
        )


_LANGSMITH = re.compile(r"\*\*Langsmith Experiment\*\*:?\s*\[[^\]]*\]\((<[^>]*>|[^)\s]*)\)", re.I)
_TEMPLATE_EXAMPLE_ROWS = (
    ["[pipeline_link]", "claude-3-7-sonnet (baseline)", "context-qa-accuracy: X", "17.5s", "44s"],
    ["[pipeline_link]", "claude-4-0-sonnet", "context-qa-accuracy: X", "22s", "40s"],
)


def _read_evaluation(reader: Reader, section: Section) -> None:
    ev = reader.plan.evaluation
    rows, rest = _table(section.lines, "Evaluation Pipeline")
    for line in rest:
        match = _LANGSMITH.search(line)
        if match:
            target = match.group(1).strip("<>")
            ev.langsmith_url = "" if target == "insert_link" else target
        elif line.strip():
            reader.note("Evaluation Template", "text not imported", line)
    body = [r for r in rows if r and not r[0].strip().strip("*").lower().startswith("change")]
    if [_cells(r, 5, reader, "Evaluation") for r in body] == list(_TEMPLATE_EXAMPLE_ROWS):
        return  # the template's example rows, untouched: no results yet
    ev.rows = [
        _eval_row(_cells(r, 5, reader, f"Evaluation row {i}")) for i, r in enumerate(body, 1)
    ]


def _eval_row(cells: list[str]) -> EvalRow:
    pipeline, model, metric_cell, p50, p99 = cells
    link = _MD_LINK.match(pipeline.strip())
    if link:
        pipeline = link.group(2).strip("<>")
    baseline = model.strip().lower().endswith("(baseline)")
    if baseline:
        model = model.strip()[: -len("(baseline)")]
    name, _, score = metric_cell.rpartition(": ")
    return EvalRow(
        pipeline=_value(pipeline, "url"),
        model=_value(model, "text"),
        metric=name.strip(),
        score=_value(score, "number"),
        p50=_value(p50, "duration"),
        p99=_value(p99, "duration"),
        baseline=baseline,
    )


_REGISTRY_CHECK = "verify the prompt registry selects the correct prompt version"
_STREAMING_CHECK = "confirm duo chat streaming works correctly"


def _read_success(reader: Reader, section: Section) -> None:
    s = reader.plan.success
    items, rest = _list_items(section.lines)
    s.prompt_registry = any(_REGISTRY_CHECK in item.lower() for item in items)
    s.chat_streaming = any(_STREAMING_CHECK in item.lower() for item in items)
    s.custom = [
        item
        for item in items
        if _REGISTRY_CHECK not in item.lower() and _STREAMING_CHECK not in item.lower()
    ]
    _note_leftover(reader, "Rollout Success Criteria", rest)


def _note_leftover(reader: Reader, where: str, lines: list[str]) -> None:
    text = _free_text(lines)
    if text:
        reader.note(where, "text not imported", text)


def _read_links(reader: Reader, section: Section, where: str) -> list[Link]:
    items, rest = _list_items(section.lines)
    _note_leftover(reader, where, rest)
    return [_read_link(item) for item in items]


def _read_dashboards(reader: Reader, section: Section) -> None:
    reader.plan.dashboards.links = _read_links(reader, section, "Dashboard References")


def _read_documentation(reader: Reader, section: Section) -> None:
    reader.plan.documentation.links = _read_links(reader, section, "Useful Documentation")


def _read_legal(reader: Reader, section: Section) -> None:
    reader.plan.legal.notes = _free_text(section.lines)


def _read_known_issues(reader: Reader, section: Section) -> None:
    # Raw items: the ": link" that ends an item is split off before the description's
    # own escapes are undone.
    items, rest = _list_items(section.lines, raw=True)
    issues = []
    for item in items:
        trailing = _TRAILING_LINK.match(item)
        bare = _unbracket(item)
        if trailing:
            description = markdown.read_block(trailing.group(1))
            issues.append(KnownIssue(description=description, link=_unbracket(trailing.group(2))))
        elif WEB_LINK.match(bare) or REFERENCE.match(bare):
            issues.append(KnownIssue(description="", link=bare))
        else:
            issues.append(KnownIssue(description=markdown.read_block(item)))
    text = _free_text(rest)
    if text:
        # Known issues written as prose: kept whole as one issue rather than lost.
        issues.append(KnownIssue(description=text))
    reader.plan.known_issues.issues = issues


def _read_rollout(reader: Reader, section: Section) -> None:
    _note_leftover(reader, "Rollout", section.lines)


def _read_timeline(reader: Reader, section: Section) -> None:
    t = reader.plan.timeline
    rows, rest = _table(section.lines, "Date")
    t.description = _free_text(rest)
    t.rows = [
        TimelineRow(
            date=_value(date, "timeline_date"), audience=audience.strip(), status=status.strip()
        )
        for date, audience, status in (
            _cells(row, 3, reader, f"Timeline row {i}") for i, row in enumerate(rows, 1)
        )
    ]


def _read_feedback(reader: Reader, section: Section) -> None:
    reader.plan.feedback.issue = _free_text(section.lines)


_OBSERVED_LATENCY = re.compile(r"^_?Observed latency from (.*?) to (.*?)_?$", re.I)
_OBSERVED_RATE = re.compile(
    r"^_?Observed (?:success/acceptance|acceptance|success) rate from (.*?) to (.*?)_?$", re.I
)
_RANGE = re.compile(
    r"^[*-]\s+(p50|p90|p95|rate|acceptance rate|success rate|success/acceptance rate):\s*"
    r"(.*?)\s+to\s+(.*?)$",
    re.I,
)


def _read_persevere(reader: Reader, section: Section) -> None:
    p = reader.plan.persevere
    criteria_lines: list[str] = []
    for line in section.lines:
        stripped = line.strip()
        latency, rate, span = (
            _OBSERVED_LATENCY.match(stripped),
            _OBSERVED_RATE.match(stripped),
            _RANGE.match(stripped),
        )
        if latency:
            p.latency_from, p.latency_to = (_date(v) for v in latency.groups())
        elif rate:
            p.rate_from, p.rate_to = (_date(v) for v in rate.groups())
        elif span:
            key = span.group(1).lower()
            low, high = (_measure(v) for v in span.groups()[1:])
            if key in {"p50", "p90", "p95"}:
                setattr(p, f"{key}_min", low)
                setattr(p, f"{key}_max", high)
            else:
                p.rate_min, p.rate_max = low, high
        else:
            criteria_lines.append(line)
    items, rest = _list_items(criteria_lines)
    p.criteria = items
    _note_leftover(reader, "Persevere / Continue Criteria", rest)


def _date(text: str) -> str:
    return _value(markdown.read_inline(text), "date")


def _measure(text: str) -> str:
    """`8200 ms`, `1,046ms`, `61%` -> the number as written, without its unit."""
    value = markdown.read_inline(text)
    value = re.sub(r"\s*(ms|%)$", "", value.strip(), flags=re.I)
    return _value(value, "number")


def _read_pivot(reader: Reader, section: Section) -> None:
    items, rest = _list_items(section.lines)
    reader.plan.pivot.criteria = items
    _note_leftover(reader, "Pivot / Pause / Rollback Criteria", rest)


_NAMED_FLAG = re.compile(re.escape(FEATURE_FLAG_LINK) + r" named `([^`\n]+)`")
_FLAG_LINE = re.compile(r"\n*^Feature flag: `([^`\n]+)`$", re.M)


def _read_mitigation(reader: Reader, section: Section) -> None:
    m = reader.plan.mitigation
    text = _free_text(section.lines)
    named = _NAMED_FLAG.search(text)
    flag_line = _FLAG_LINE.search(text)
    if named:
        m.feature_flag = named.group(1)
        text = text.replace(named.group(0), FEATURE_FLAG_LINK, 1)
    elif flag_line:
        m.feature_flag = flag_line.group(1)
        text = (text[: flag_line.start()] + text[flag_line.end() :]).strip("\n")
    m.text = text


def _read_announcement(reader: Reader, section: Section) -> None:
    reader.plan.announcement.text = _free_text(section.lines)


def _read_ignored(reader: Reader, section: Section) -> None:
    """Sections of static template text (Evaluation Metrics): nothing to import."""


_LABEL_TOKEN = re.compile(r'~?"([^"]+)"|~?(\S+)')


def _read_quick_actions(reader: Reader, actions: list[str]) -> None:
    qa = reader.plan.quick_actions
    qa.confidential = False
    qa.labels, qa.extra = [], []
    for action in actions:
        command, _, rest = action.partition(" ")
        command = command.lower()
        if command == "/confidential":
            qa.confidential = True
        elif command in {"/label", "/labels"}:
            for quoted, bare in _LABEL_TOKEN.findall(rest):
                name = (quoted or bare).strip()
                if name and name not in qa.labels:
                    qa.labels.append(name)
        elif action not in qa.extra:
            # Kept, and run again when the description is pasted: nothing to warn about.
            qa.extra.append(action)


_SECTIONS: dict[str, Callable[[Reader, Section], None]] = {
    "overview": _read_overview,
    "checklist": _read_checklist,
    "evaluation metrics": _read_ignored,
    "evaluation template": _read_evaluation,
    "rollout success criteria": _read_success,
    "dashboard references": _read_dashboards,
    "legal notes": _read_legal,
    "known issues": _read_known_issues,
    "known issue list": _read_known_issues,
    "rollout": _read_rollout,
    "timeline": _read_timeline,
    "feedback from gitlab team members": _read_feedback,
    "persevere / continue criteria": _read_persevere,
    "pivot / pause / rollback criteria": _read_pivot,
    "mitigation and rollback plan": _read_mitigation,
    "useful documentation": _read_documentation,
    "release announcement": _read_announcement,
}
