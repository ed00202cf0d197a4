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
from typing import Any

from tui import gitlab, markdown, template_text
from tui.checks import is_empty
from tui.errors import UserError
from tui.links import REFERENCE, REFERENCE_PATTERN, WEB_LINK
from tui.metrics import PLACEHOLDER_CHANGE, change_rows
from tui.plan import (
    FEATURE_FLAG_LINK,
    REQUIRED_SECTIONS,
    CustomSection,
    EvalRow,
    Evaluation,
    ItemState,
    Kind,
    KnownIssue,
    Link,
    Observation,
    Overview,
    Plan,
    Resource,
    TimelineRow,
    clean,
    table_rows,
)
from tui.plan import sections as sections_of_plan
from tui.template_text import ALL_GUIDANCE

_MD_LINK = re.compile(r"^\[((?:\\.|[^\]\\])*)\]\((<[^>]*>|[^)\s]*)\)$")
# "description: link" where the link is a url (bare, or in <> when it holds
# parentheses or spaces) or a GitLab reference.
_TRAILING_LINK = re.compile(
    rf"^(.*?):\s+(<https?://[^>]*>|https?://\S+|{REFERENCE_PATTERN})$", re.S
)


class UnreadableDescription(UserError):
    """A description no plan can come from (nested past any sane depth)."""


@dataclass(eq=False)  # one block is itself: compared, hashed and found by identity
class Block:
    """One top-level block of the description as GitLab parses it, with its source
    lines (1-based, inclusive) less the quick action lines GitLab takes out."""

    node: Any
    first: int
    last: int
    lines: list[str]

    @property
    def kind(self) -> str:
        return gitlab.kind(self.node)


@dataclass
class Section:
    """A heading and everything up to the next one: its blocks as GitLab parses them,
    and its lines as the author wrote them (less what GitLab hides or runs)."""

    heading: str  # as a reader sees it
    level: int = 2
    raw_title: str = ""  # as its author wrote it, after the `#` marker
    blocks: list[Block] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # line number -> text
    dropped: set[int] = field(default_factory=set)

    def drop(self, number: int) -> None:
        """Takes a line out of the section's text (it was read into a field)."""
        self.lines.pop(number, None)
        self.dropped.add(number)

    def text(self, blocks: list[Block] | None = None, within: range | None = None) -> str:
        """The section's text, or only the lines not in its other blocks: every line
        the author wrote, byte for byte, link definitions included."""
        # A set: a list scanned for each block was quadratic in a section's blocks
        # (8,000 observation blocks took 11 s).
        kept = None if blocks is None else set(blocks)
        excluded = (
            set()
            if kept is None
            else {
                number
                for block in self.blocks
                if block not in kept
                for number in range(block.first, block.last + 1)
            }
        )
        out: list[str] = []
        gap = False
        for number in sorted(self.lines):
            if number in excluded or (within is not None and number not in within):
                gap = True
                continue
            line = self.lines[number]
            if gap and not line.strip() and out and not out[-1].strip():
                continue  # a taken-out block leaves one blank line, not two
            gap = number + 1 in self.dropped or number + 1 in excluded
            out.append(line)
        return "\n".join(out)


@dataclass
class Reader:
    """Reads one description into `plan`, noting what it could not place."""

    source: gitlab.Source
    plan: Plan = field(default_factory=Plan)
    notes: list[str] = field(default_factory=list)

    def note(self, where: str, what: str, text: str) -> None:
        excerpt = " ".join(text.split())
        if len(excerpt) > 70:
            excerpt = excerpt[:67] + "..."
        self.notes.append(f"{where}: {what}: '{excerpt}'")


def parse_description(text: str) -> tuple[Plan, list[str]]:
    """The plan a description holds, and notes on anything that was not imported.

    The description is read as GitLab reads it (`tui.gitlab`): sections are its
    top-level headings, quick actions the lines GitLab would run, and every other
    line text that stays in its section, taken byte for byte from the source."""
    text = gitlab.normalise(text)
    try:
        doc = gitlab.parse(text)
    except gitlab.TooDeep as error:
        raise UnreadableDescription(f"not a rollout plan description: {error}") from None
    reader = Reader(gitlab.Source(text))
    preamble, sections, actions = _split(reader, doc)
    _read_quick_actions(reader, actions)
    # Text of the author's own above the first heading stays there.
    reader.plan.document.preamble = clean(markdown.read_block(preamble.text()), Kind.LONGTEXT)
    seen: set[str] = set()
    seen_keys: set[str] = set()
    # The plan section the engineer's own sections follow: above Overview, they
    # follow the title (it comes before the description).
    last = "title"
    for section in sections:
        key = _section_key(section.heading)
        handler = _SECTIONS.get(key) if key else None
        if handler is None or key in seen_keys:
            # Not the template's, or a second one of its headings: the author's own.
            reader.plan.document.custom.append(_custom_section(reader, section, last))
            continue
        handler(reader, section)
        seen_keys.add(key)
        name = _HEADING_SECTION.get(key)
        if name:
            seen.add(name)
            last = name
    for custom in reader.plan.document.custom:
        if custom.after == _TITLES.get(last):
            custom.after = ""  # after the last section: at the end, as "" places it
    if not sections:
        reader.notes.append("no section headings found: is this a rollout plan description?")
    else:
        reader.plan.document.left_out = [
            spec.title
            for spec in sections_of_plan()
            if spec.name not in seen
            and spec.name not in _NOT_IN_TEXT
            and spec.title not in REQUIRED_SECTIONS
        ]
    return reader.plan, reader.notes


def _custom_section(reader: Reader, section: Section, after: str) -> CustomSection:
    """A section the template lacks, kept with its level, title and text, after the
    template section it followed."""
    # Built without validation (a description may hold thousands): the values are
    # cleaned here as the model's validator would.
    return CustomSection.model_construct(
        title=clean(markdown.read_heading(section.raw_title), Kind.TEXT),
        level=str(section.level),
        after=_TITLES.get(after, ""),
        body=clean(_free_text(section), Kind.LONGTEXT),
    )


# --- Splitting -------------------------------------------------------------------------


def _split(reader: Reader, doc: Any) -> tuple[Section, list[Section], list[str]]:
    """What stands before the first heading, the sections, and the quick actions."""
    source = reader.source
    live = set(gitlab.quick_action_lines(doc, source))
    actions = [source.line(number).strip() for number in sorted(live)]
    preamble = Section("")
    sections: list[Section] = []
    current = preamble
    every = {number: source.line(number).rstrip() for number in range(1, len(source.lines) + 1)}
    starts = {n.sourcepos.start.line: n for n in doc.children if gitlab.kind(n) == "Heading"}
    # Each line belongs to the section whose heading is above it.
    owner: dict[int, Section] = {}
    for number in range(1, len(source.lines) + 1):
        node = starts.get(number)
        if node is not None:
            current = Section(
                gitlab.text_of(node).strip(),
                node.node_value.value.level,
                _heading_source(source, node),
            )
            sections.append(current)
            for line in range(node.sourcepos.start.line, node.sourcepos.end.line + 1):
                owner[line] = current
                current.dropped.add(line)
            continue
        owner.setdefault(number, current)
    for number, text in every.items():  # one pass: cost linear in the lines
        section = owner.get(number, preamble)
        if number not in section.dropped:
            section.lines[number] = text
    for number in live:
        owner[number].drop(number)
    children = list(doc.children)
    for index, node in enumerate(children):
        first, last = node.sourcepos.start.line, node.sourcepos.end.line
        if index + 1 < len(children):
            # A block ends before the next begins: comrak has an open GitLab quote
            # (`>>>`) in a list item run on over the blocks after its list.
            last = max(first, min(last, children[index + 1].sourcepos.start.line - 1))
        kind = gitlab.kind(node)
        if kind in {"Heading", "FootnoteDefinition"} or first not in owner:
            continue  # footnotes are gathered at the end, but their lines stay put
        section = owner[first]
        if gitlab.is_comment(node):
            after = _after_comment(reader, node, first)
            for n in range(first, last + 1):
                section.drop(n)
            if after:
                section.lines[last] = after[0]
                section.dropped.discard(last)
            continue
        lines = [source.line(n).rstrip() for n in range(first, last + 1) if n not in live]
        if _is_guidance_block(node, lines):
            for n in range(first, last + 1):
                section.drop(n)
            continue
        if "".join(lines).strip():
            section.blocks.append(Block(node, first, last, lines))
    return preamble, sections, actions


def _heading_source(source: gitlab.Source, node: Any) -> str:
    """A heading's text as written: after its `#` marker (ATX), or its text lines
    above the underline (setext)."""
    start, end = node.sourcepos.start.line, node.sourcepos.end.line
    if node.node_value.value.setext:
        return " ".join(source.line(n).strip() for n in range(start, end))
    return re.sub(r"^ {0,3}#{1,6}(?:[ \t]+|$)", "", source.line(start))


def _after_comment(reader: Reader, node: Any, first: int) -> list[str]:
    """What a comment block shows: nothing, but for text after its `-->` on the
    closing line. The template's comments are guidance, dropped."""
    literal = str(node.node_value.value.literal)
    end = literal.rfind("-->")
    if end < 0:
        reader.notes.append(
            f"line {first}: a comment (<!--) is never closed, so GitLab hides everything "
            "after it; that text was not imported"
        )
        return []
    after = literal[end + 3 :].strip()
    return [after] if after else []


def _section_key(heading: str) -> str:
    return " ".join(re.sub(r"[^\w/ ]", " ", heading.lower()).split())


def _is_guidance(line: str) -> bool:
    stripped = line.strip()
    if len(stripped) > 2 and stripped[0] == stripped[-1] == "_":
        stripped = stripped[1:-1]
    return stripped.strip().lower() in ALL_GUIDANCE


def _is_guidance_block(node: Any, lines: list[str]) -> bool:
    """A paragraph that is one of the template's guidance lines."""
    return gitlab.kind(node) == "Paragraph" and len(lines) == 1 and _is_guidance(lines[0])


def _free_text(section: Section, blocks: list[Block] | None = None) -> str:
    """Text as the user typed it: the section's blocks (or some of them), unescaped."""
    return markdown.read_block(section.text(blocks))


def _table(
    reader: Reader, section: Section, first_header: str
) -> tuple[list[list[str]], list[Block]]:
    """The body rows of the template's table (found by its first header cell), cells read,
    and the section's other blocks. A table of the user's own is left with the text."""
    for block in section.blocks:
        if block.kind != "Table" or not block.node.children:
            continue
        header = block.node.children[0]
        first = gitlab.text_of(header.children[0]) if header.children else ""
        if " ".join(first.lower().split()) != first_header.lower():
            continue
        rows = [
            [markdown.read_cell(_drop_comments(cell)) for cell in markdown.split_row(line)]
            for line in (
                reader.source.line(row.sourcepos.start.line) for row in block.node.children[1:]
            )
        ]
        return rows, [other for other in section.blocks if other is not block]
    return [], list(section.blocks)


def _around_table(section: Section, rest: list[Block]) -> tuple[str, str]:
    """The section's text before its table, and after it (all of it "before" when
    the section has no table), read as the user typed it."""
    others = set(rest)
    table = next((block for block in section.blocks if block not in others), None)
    if table is None:
        return _free_text(section, rest), ""
    end = max(section.lines, default=0) + 1
    return (
        markdown.read_block(section.text(rest, range(0, table.first))),
        markdown.read_block(section.text(rest, range(table.last + 1, end))),
    )


def _drop_comments(text: str) -> str:
    """The text without its `<!-- ... -->` comments (the template's, in table cells).
    An escaped `\\<!--` is text, as written for a comment typed into a cell."""
    out: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        if gitlab.is_escaped(text, start):
            out.append(text[position : start + 4])
            position = start + 4
            continue
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[position:start])
        position = end + 3
    out.append(text[position:])
    return "".join(out)


def _cells(row: list[str], count: int, reader: Reader | None, where: str) -> list[str]:
    """Exactly `count` cells: missing ones empty; extra ones kept in the last cell, as
    `a | b` (the author's column of notes is not the template's, but it is theirs)."""
    cells = (row + [""] * count)[:count]
    extra = [cell for cell in row[count:] if cell.strip()]
    if extra:
        cells[-1] = " | ".join(cell for cell in [cells[-1], *extra] if cell.strip())
        if reader is not None:
            reader.note(
                where, "cells beyond the table's columns, kept in its last", " | ".join(extra)
            )
    return cells


def _list_items(
    reader: Reader, section: Section, blocks: list[Block] | None = None, raw: bool = False
) -> tuple[list[str], list[Block]]:
    """The items of the section's list, as their authors wrote them (nested lists
    and continuation lines included, dedented under the marker), and the section's
    other blocks. Its list is the lists it opens with: once text of the author's
    stands between, a list is theirs too (a list in the section's More came back
    as its items, moved above the text)."""
    items: list[str] = []
    rest: list[Block] = []
    for block in section.blocks if blocks is None else blocks:
        if block.kind != "List" or rest:
            rest.append(block)
            continue
        for text in _items_source(reader.source, block):
            items.append(text if raw else markdown.read_item(text))
    return items, rest


# A list item's marker and the spaces after it (one to four; more make code).
_MARKER = re.compile(rb"(?:[-*+]|\d{1,9}[.)])(?: {1,4}(?! )|\t|(?=\n)|$)")


def _items_source(source: gitlab.Source, block: Block) -> list[str]:
    """Each item's own text (see _item_source): an item ends before the next begins,
    and the last one with its list."""
    items = list(block.node.children)
    ends = [after.sourcepos.start.line - 1 for after in items[1:]]
    ends.append(block.last)
    return [_item_source(source, item, end) for item, end in zip(items, ends, strict=True)]


def _item_source(source: gitlab.Source, item: Any, last_line: int) -> str:
    """A list item's own text, task box included: from just after its marker,
    continuation lines dedented under it, up to `last_line` at most.

    Its last line is the furthest any of its blocks reaches: comrak ends an item
    before some of its own blocks. But not past `last_line`: a GitLab quote (`>>>`)
    left open in an item reports that it runs on through the next items."""
    start = item.sourcepos.start
    raw = source.lines[start.line - 1]
    marker = _MARKER.match(raw, start.column - 1)
    column = (marker.end() if marker else start.column - 1) + 1
    last = max([item.sourcepos.end.line, *(c.sourcepos.end.line for c in item.children)])
    last = max(start.line, min(last, last_line))
    text = source.span((start.line, column), (last, len(source.lines[last - 1])))
    indent = column - 1
    first, *rest = text.split("\n")
    dedented = [line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in rest]
    return "\n".join([first, *dedented]).rstrip()


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


# The template's rows of the Overview table, by their first cell.
_OVERVIEW_ROWS = {" ".join(spec.label.lower().split()): spec.name for spec in table_rows(Overview)}


def _read_overview(reader: Reader, section: Section) -> None:
    rows, rest = _table(reader, section, "Resource")
    o = reader.plan.overview
    read: set[str] = set()
    for row in rows:
        name = " ".join(row[0].lower().split()) if row else ""
        target = _OVERVIEW_ROWS.get(name)
        cells = _cells(row, 2, reader, f"Overview row '{row[0] if row else ''}'")
        if target and target not in read:
            setattr(o, target, cells[1].strip())
            read.add(target)
        elif target:
            # The first row is the plan's: a later one never replaces it unseen (the
            # feature flag issue decides where publish and open-in-gitlab go).
            reader.note(
                "Overview", "a second row of this name, kept as a row of your own", cells[1]
            )
            o.resources.append(Resource(name=cells[0].strip(), links=cells[1].strip()))
        elif "".join(cells).strip():
            o.resources.append(Resource(name=cells[0].strip(), links=cells[1].strip()))
    o.summary, after = _around_table(section, rest)
    _keep(o, after)


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
    # Its list is the lists it opens with; a list after text of the author's is
    # theirs, kept as written (see _list_items).
    _, others = _list_items(reader, section, raw=True)
    _keep(c, _free_text(section, others))
    kept_as_written = set(others)  # blocks compare by identity
    for block in section.blocks:
        if block.kind != "List" or block in kept_as_written:
            continue
        for node in gitlab.walk(block.node):
            if gitlab.kind(node) not in {"Item", "TaskItem"}:
                continue
            line = _first_line(reader.source, node)
            if gitlab.kind(node) == "TaskItem":
                symbol = node.node_value.value.symbol or " "
            elif line.startswith("[~]"):
                symbol = "~"  # GitLab's "not applicable"
            else:
                _keep(c, f"- {line}")
                continue
            line = line[3:].strip()  # past the box
            state, text = _BOX.get(symbol, ItemState.OPEN), line.lower()
            if "update the following" in text:
                parent = state
                continue
            name = next((name for words, name in _CHECKLIST_ITEMS if words in text), None)
            if name is None:
                _keep(c, f"- [{symbol}] {line}")
            else:
                setattr(c, name, state)
    if parent is not None and parent != c.update_yml:
        reader.notes.append(
            f"Checklist: the yml item was marked {parent.value} but its two sub-items make it "
            f"{c.update_yml.value}; the plan follows the sub-items"
        )


def _first_line(source: gitlab.Source, item: Any) -> str:
    """The first line of a list item's text, after its marker (and task box)."""
    return _item_source(source, item, item.sourcepos.start.line).strip()


_LANGSMITH = re.compile(r"\*\*Langsmith Experiment\*\*:?\s*\[[^\]]*\]\((<[^>]*>|[^)\s]*)\)", re.I)


def _read_evaluation(reader: Reader, section: Section) -> None:
    ev = reader.plan.evaluation
    rows, rest = _table(reader, section, "Evaluation Pipeline")
    for number, line in list(section.lines.items()):
        match = _LANGSMITH.search(line)
        if match:
            target = match.group(1).strip("<>")
            ev.langsmith_url = "" if target == "insert_link" else target
            section.drop(number)
    _keep(ev, _free_text(section, rest))
    body = [r for r in rows if r and not r[0].strip().strip("*").lower().startswith("change")]
    examples = [list(row) for row in template_text.EXAMPLE_EVALUATION_ROWS]
    if [_cells(r, 5, None, "") for r in body] != examples:
        # Not the template's example rows, untouched (no results yet): the author's.
        ev.rows = [
            _eval_row(_cells(r, 5, reader, f"Evaluation row {i}")) for i, r in enumerate(body, 1)
        ]
    others = set(rest)
    table = [block for block in section.blocks if block not in others]
    _keep(ev, "\n".join(_hand_written_changes(section, table, ev)))


_CHANGE_ROW = re.compile(r"^\s*\|?\s*\**\s*change\b", re.I)


def _hand_written_changes(
    section: Section, table: list[Block], evaluation: Evaluation
) -> list[str]:
    """The author's Change rows that say something else than the computed ones (or the
    template's placeholder row): kept, as written, under the table. The rows are
    computed, but the words are the author's."""
    said = {
        _plain_cells(["Change", c.versus, c.quality, c.p50, c.p99])
        for c in [*change_rows(evaluation), PLACEHOLDER_CHANGE]
    }
    lines = [
        section.lines.get(number, "")
        for block in table
        for number in range(block.first, block.last + 1)
    ]
    return [
        line
        for line in lines
        if _CHANGE_ROW.match(line)
        and _plain_cells([markdown.read_cell(cell) for cell in markdown.split_row(line)])
        not in said
    ]


def _plain_cells(cells: list[str]) -> tuple[str, ...]:
    """Cells compared as a reader sees them: no bold, no spacing, no empty tail."""
    plain = [" ".join(cell.replace("*", "").split()) for cell in cells]
    while plain and not plain[-1]:
        plain.pop()
    return tuple(plain)


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
        pipeline=_value(pipeline, Kind.URL),
        model=_value(model, Kind.TEXT),
        metric=name.strip(),
        score=_value(score, Kind.NUMBER),
        p50=_value(p50, Kind.DURATION),
        p99=_value(p99, Kind.DURATION),
        baseline=baseline,
    )


_REGISTRY_CHECK = "verify the prompt registry selects the correct prompt version"
_STREAMING_CHECK = "confirm duo chat streaming works correctly"


def _read_success(reader: Reader, section: Section) -> None:
    s = reader.plan.success
    items, rest = _list_items(reader, section)
    s.prompt_registry = any(_REGISTRY_CHECK in item.lower() for item in items)
    s.chat_streaming = any(_STREAMING_CHECK in item.lower() for item in items)
    s.custom = [
        item
        for item in items
        if _REGISTRY_CHECK not in item.lower() and _STREAMING_CHECK not in item.lower()
    ]
    _keep(s, _free_text(section, rest))


def _keep(target: Any, text: str) -> None:
    """Text with no field of its own goes to the section's own Markdown, in order."""
    text = text.strip("\n")
    if text:
        target.more = f"{target.more}\n\n{text}" if target.more else text


def _read_links(reader: Reader, section: Section, target: Any) -> list[Link]:
    items, rest = _list_items(reader, section)
    _keep(target, _free_text(section, rest))
    return [_read_link(item) for item in items]


def _read_dashboards(reader: Reader, section: Section) -> None:
    dashboards = reader.plan.dashboards
    dashboards.links = _read_links(reader, section, dashboards)


def _read_documentation(reader: Reader, section: Section) -> None:
    documentation = reader.plan.documentation
    documentation.links = _read_links(reader, section, documentation)


def _read_legal(reader: Reader, section: Section) -> None:
    reader.plan.legal.notes = _free_text(section)


def _read_known_issues(reader: Reader, section: Section) -> None:
    # Raw items: the ": link" that ends an item is split off before the description's
    # own escapes are undone.
    items, rest = _list_items(reader, section, raw=True)
    issues = []
    for item in items:
        trailing = _TRAILING_LINK.match(item)
        bare = _unbracket(item)
        if trailing:
            head = trailing.group(1)
            before, _, last = head.rpartition("\n")
            if re.fullmatch(r"[ \t]*\\\[[^\]\n]*\]", last):
                # `\[X]: link`, escaped not to be a link definition
                last = last.replace("\\[", "[", 1)
                head = f"{before}\n{last}" if "\n" in head else last
            description = markdown.read_item(head)
            issues.append(KnownIssue(description=description, link=_unbracket(trailing.group(2))))
        elif WEB_LINK.match(bare) or REFERENCE.match(bare):
            issues.append(KnownIssue(description="", link=bare))
        else:
            issues.append(KnownIssue(description=markdown.read_item(item)))
    reader.plan.known_issues.issues = issues
    _keep(reader.plan.known_issues, _free_text(section, rest))


def _read_rollout(reader: Reader, section: Section) -> None:
    _keep(reader.plan.timeline, _free_text(section))


def _read_timeline(reader: Reader, section: Section) -> None:
    t = reader.plan.timeline
    rows, rest = _table(reader, section, "Date")
    t.description, after = _around_table(section, rest)
    _keep(t, after)
    t.rows = [
        TimelineRow(
            date=_value(date, Kind.TIMELINE_DATE), audience=audience.strip(), status=status.strip()
        )
        for date, audience, status in (
            _cells(row, 3, reader, f"Timeline row {i}") for i, row in enumerate(rows, 1)
        )
    ]


def _read_feedback(reader: Reader, section: Section) -> None:
    reader.plan.feedback.issue = _free_text(section)


# `_Observed latency from May 17 to Aug 21_` (or in bold): an observation block's
# first line; the list under it holds its ranges.
_OBSERVED = re.compile(r"^(\*\*|__|[_*])Observed (.+?) from (.+?) to (.+?)\1$", re.I)


def _one_line(item: str) -> bool:
    return bool(item) and "\n" not in item and item == item.strip()


def _read_persevere(reader: Reader, section: Section) -> None:
    p = reader.plan.persevere
    criteria: list[str] = []
    observations: list[Observation] = []
    rest: list[Block] = []
    opened: Observation | None = None  # a block whose window line ended its paragraph
    for block in section.blocks:
        if block.kind == "List":
            items = [markdown.read_item(text) for text in _items_source(reader.source, block)]
            if opened is not None and all(_one_line(item) for item in items):
                # One line an item: its ranges, as written (check says which lines
                # are no `name: low to high`).
                opened.ranges = "\n".join(items)
            elif opened is not None or rest:
                # Items of several lines, or a list after text of the author's (as
                # in More): kept as written, in More.
                rest.append(block)
            else:
                criteria += items
            opened = None
            continue
        opened = None
        for number in range(block.first, block.last + 1):
            window = _OBSERVED.match(section.lines.get(number, "").strip())
            opened = None
            if window:
                what, start, end = (markdown.read_inline(v) for v in window.groups()[1:])
                opened = Observation(
                    what=_value(what, Kind.TEXT),
                    start=_value(start, Kind.WINDOW_DATE),
                    end=_value(end, Kind.WINDOW_DATE),
                )
                observations.append(opened)
                section.drop(number)
        rest.append(block)
    p.criteria = criteria
    p.observations = observations
    _keep(p, _free_text(section, rest))


def _read_pivot(reader: Reader, section: Section) -> None:
    items, rest = _list_items(reader, section)
    reader.plan.pivot.criteria = items
    _keep(reader.plan.pivot, _free_text(section, rest))


_NAMED_FLAG = re.compile(re.escape(FEATURE_FLAG_LINK) + r" named `([^`\n]+)`")
_FLAG_LINE = re.compile(r"\n*^Feature flag: `([^`\n]+)`$", re.M)


def _read_mitigation(reader: Reader, section: Section) -> None:
    m = reader.plan.mitigation
    text = _free_text(section)
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
    reader.plan.announcement.text = _free_text(section)


_EVALUATION_METRICS = re.compile(r"^Use this base table to share evaluation metrics", re.I)


def _read_evaluation_metrics(reader: Reader, section: Section) -> None:
    """The template's static text under Evaluation Metrics; anything else is kept."""
    kept = [
        block
        for block in section.blocks
        if not (block.kind == "Paragraph" and _EVALUATION_METRICS.match(block.lines[0]))
    ]
    _keep(reader.plan.evaluation, _free_text(section, kept))


_LABEL_TOKEN = re.compile(r'~?"([^"]+)"|~?(\S+)')


def _read_quick_actions(reader: Reader, actions: list[str]) -> None:
    qa = reader.plan.quick_actions
    qa.labels, qa.extra = [], []
    # GitLab takes quick actions out of a description once it has run them, so one
    # copied from an issue never shows /confidential: the plan stays confidential.
    qa.confidential = True
    if not any(action.split(" ", 1)[0].lower() == "/confidential" for action in actions):
        reader.notes.append(
            "no /confidential in the description (GitLab removes quick actions once it "
            "has run them): the plan stays confidential; turn that off under "
            "Labels & confidentiality only if the issue may be public"
        )
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
    "evaluation metrics": _read_evaluation_metrics,
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

# The plan section each template heading belongs to (what a custom section follows,
# and which sections the description has).
_HEADING_SECTION = {
    "overview": "overview",
    "checklist": "checklist",
    "evaluation metrics": "evaluation",
    "evaluation template": "evaluation",
    "rollout success criteria": "success",
    "dashboard references": "dashboards",
    "legal notes": "legal",
    "known issues": "known_issues",
    "known issue list": "known_issues",
    "timeline": "timeline",
    "feedback from gitlab team members": "feedback",
    "persevere / continue criteria": "persevere",
    "pivot / pause / rollback criteria": "pivot",
    "mitigation and rollback plan": "mitigation",
    "useful documentation": "documentation",
    "release announcement": "announcement",
}
# Plan sections that are not a part of the description's text.
_NOT_IN_TEXT = frozenset({"title", "document", "quick_actions"})
# The wizard's title of each plan section, as custom sections name what they follow.
_TITLES = {spec.name: spec.title for spec in sections_of_plan()}
