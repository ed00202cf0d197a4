"""How GitLab reads a description: the one place that knows it.

GitLab renders an issue description with comrak, its own Markdown engine, with the
extensions below, and runs the quick actions it finds in it. Everything that
decides how GitLab reads our Markdown lives here: the importer reads descriptions
through `parse`, the renderer checks its own output with `problems`, and the tests
use the same functions, so the three can never disagree about what GitLab sees.

comrak's source positions are 1-based lines and 1-based *byte* columns, end
inclusive; `Source` turns them back into the author's text, byte for byte.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import comrak

# GitLab's limit on a description's size, in bytes.
MAX_DESCRIPTION_BYTES = 1_048_576

# comrak's nested block quotes cost time with the square of their depth, and its
# Python binding converts the tree recursively, so a hostile depth would hang the
# import or overflow the stack. No plan nests quotes this deep.
MAX_QUOTE_DEPTH = 100

# The tree is built on a thread of its own with a deep stack: emphasis or links
# nested tens of thousands deep are legal Markdown and must not crash the tool.
_PARSER_STACK_BYTES = 512 * 1024 * 1024
# Nesting costs at least a character a level, and the default stack holds
# thousands of levels: shorter texts are parsed on the caller's thread.
_SHALLOW_TEXT = 16_000

# Quick actions GitLab runs in an issue description (docs: user/project/quick_actions).
# A line `/name` with another name is text: GitLab shows it and runs nothing.
QUICK_ACTION_NAMES = frozenset(
    [
        "add_child",
        "add_contacts",
        "add_email",
        "approve",
        "assign",
        "assign_reviewer",
        "award",
        "blocked_by",
        "blocks",
        "board_move",
        "bug",
        "cc",
        "checkin_reminder",
        "child_epic",
        "clear_health_status",
        "clear_weight",
        "clone",
        "close",
        "confidential",
        "convert_to_ticket",
        "copy_metadata",
        "create_merge_request",
        "done",
        "draft",
        "due",
        "duplicate",
        "epic",
        "estimate",
        "estimate_time",
        "exclude",
        "health_status",
        "invite_email",
        "iteration",
        "label",
        "labels",
        "link",
        "lock",
        "merge",
        "milestone",
        "move",
        "page",
        "parent_epic",
        "promote",
        "promote_to",
        "promote_to_incident",
        "publish",
        "q",
        "react",
        "ready",
        "rebase",
        "reassign",
        "reassign_reviewer",
        "relabel",
        "relate",
        "remove_child",
        "remove_child_epic",
        "remove_contacts",
        "remove_due_date",
        "remove_email",
        "remove_epic",
        "remove_estimate",
        "remove_estimate_time",
        "remove_iteration",
        "remove_milestone",
        "remove_parent",
        "remove_parent_epic",
        "remove_reviewer",
        "remove_time_spent",
        "remove_zoom",
        "reopen",
        "request_review",
        "request_changes",
        "reviewer",
        "set_parent",
        "severity",
        "shrug",
        "spend",
        "spend_time",
        "spent",
        "status",
        "submit_review",
        "subscribe",
        "summarize_diff",
        "tableflip",
        "target_branch",
        "timeline",
        "title",
        "todo",
        "type",
        "unapprove",
        "unassign",
        "unassign_reviewer",
        "unlabel",
        "unlink",
        "unlock",
        "unsubscribe",
        "weight",
        "wip",
        "zoom",
    ]
)

# The shape of a quick action line: `/name`, then nothing or spaces and arguments.
_ACTION_SHAPE = re.compile(r"^/([A-Za-z_][A-Za-z0-9_]*)(?:[ \t].*)?$")

# Inline nodes whose text may run over several lines: a line inside one is part of
# it, not a line of its own, so it can never be a quick action.
_SPANNING_INLINES = frozenset({"Code", "HtmlInline", "Math", "Link", "Image"})


# Raw HTML a reader may keep inside a sentence: void tags, and pairs of tags that
# open and close in the same paragraph. Elements whose content the browser never
# shows as Markdown (or hides, or that nest what follows) are unsafe even closed.
_VOID_TAGS = frozenset({"br", "wbr", "hr"})
_SWALLOWING_TAGS = frozenset(
    [
        "script",
        "style",
        "textarea",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "title",
        "template",
        "object",
        "embed",
        "select",
        "option",
        "math",
        "svg",
        "frameset",
        "frame",
        "head",
        "body",
        "html",
        "meta",
        "link",
        "base",
        "form",
        "input",
        "button",
        "dialog",
    ]
)
_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _extensions() -> comrak.ExtensionOptions:
    import comrak

    return comrak.ExtensionOptions(
        table=True,
        strikethrough=True,
        autolink=True,
        tasklist=True,
        footnotes=True,
        description_lists=True,
        math_dollars=True,
        math_code=True,
        multiline_block_quotes=True,
        alerts=True,
    )


def _parse_options() -> comrak.ParseOptions:
    import comrak

    # Strict task lists: `[ ]` and `[x]`. GitLab's `[~]` (not applicable) reaches the
    # tree as an ordinary item whose text starts with `[~]`; callers read it there.
    return comrak.ParseOptions()


class TooDeep(ValueError):
    """Markdown nested deeper than any plan; the message names the line."""


def normalise(text: str) -> str:
    """The text as GitLab stores it: LF line ends, no byte order mark."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def quote_depth_problem(text: str) -> str | None:
    """Where a line nests block quotes deeper than MAX_QUOTE_DEPTH, if anywhere."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(">", 0, _prefix_end(line)) > MAX_QUOTE_DEPTH:
            return f"line {number} nests more than {MAX_QUOTE_DEPTH} block quotes"
    return None


_PREFIX = re.compile(r"[ \t>]*")


def _prefix_end(line: str) -> int:
    match = _PREFIX.match(line)
    return match.end() if match else 0


def parse(text: str) -> comrak.AstNode:
    """The syntax tree of `text` (already `normalise`d) as GitLab builds it.

    Raises TooDeep for nesting no plan has (see MAX_QUOTE_DEPTH)."""
    import comrak

    problem = quote_depth_problem(text)
    if problem:
        raise TooDeep(problem)
    result: list[Any] = []

    def build() -> None:
        try:
            result.append(comrak.parse_document(text, _extensions(), _parse_options()))
        except BaseException as error:  # handed to the caller's thread
            result.append(error)

    if len(text) < _SHALLOW_TEXT:
        build()  # too short to nest deep enough to matter: no thread needed
        return _result(result)
    previous = threading.stack_size()
    try:
        threading.stack_size(_PARSER_STACK_BYTES)
    except (ValueError, RuntimeError):
        build()  # a platform that refuses a deep stack: parse here
    else:
        try:
            worker = threading.Thread(target=build, name="comrak")
            worker.start()
        finally:
            threading.stack_size(previous)
        worker.join()
    return _result(result)


def _result(result: list[Any]) -> Any:
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def kind(node: Any) -> str:
    """The node's type name: Heading, Paragraph, Table, HtmlBlock, ..."""
    return type(node.node_value).__name__


def walk(node: Any) -> Iterator[Any]:
    """The node and everything under it, in document order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def text_of(node: Any) -> str:
    """What a reader sees of a node: comments and raw HTML left out, `<br>` a break."""
    parts: list[str] = []
    for current in walk(node):
        name, value = kind(current), current.node_value
        if name == "Text":
            parts.append(str(value.value))
        elif name == "Code":
            parts.append(str(value.value.literal))
        elif name in {"SoftBreak", "LineBreak"} or (
            name == "HtmlInline" and re.fullmatch(r"<br\s*/?>", str(value.value), re.I)
        ):
            parts.append("\n")
    return "".join(parts)


def is_comment(node: Any) -> bool:
    """An HTML comment standing as a block (it hides everything up to its `-->`)."""
    return kind(node) == "HtmlBlock" and node.node_value.value.block_type == 2


@dataclass(frozen=True)
class Source:
    """The text a tree was parsed from, addressed by comrak's byte positions."""

    text: str

    def __post_init__(self) -> None:
        texts = self.text.split("\n")
        object.__setattr__(self, "_texts", texts)
        object.__setattr__(self, "_lines", [line.encode() for line in texts])

    @property
    def lines(self) -> list[bytes]:
        return self.__dict__["_lines"]

    def line(self, number: int) -> str:
        """Line `number` (1-based), whole."""
        texts = self.__dict__["_texts"]
        return texts[number - 1] if 0 < number <= len(texts) else ""

    def span(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        """The text from `start` to `end` inclusive, each (line, byte column), 1-based."""
        (first, first_col), (last, last_col) = start, end
        if last < first:
            return ""
        chunks = self.lines[first - 1 : last]
        if not chunks:
            return ""
        if first == last:
            return chunks[0][first_col - 1 : last_col].decode(errors="replace")
        chunks = [chunks[0][first_col - 1 :], *chunks[1:-1], chunks[-1][:last_col]]
        return b"\n".join(chunks).decode(errors="replace")

    def of(self, node: Any) -> str:
        """The node's own source text."""
        pos = node.sourcepos
        return self.span((pos.start.line, pos.start.column), (pos.end.line, pos.end.column))


def top_headings(doc: Any) -> list[tuple[int, str]]:
    """The document's own headings (not those inside quotes, lists or HTML): level, text."""
    return [
        (child.node_value.value.level, text_of(child).strip())
        for child in doc.children
        if kind(child) == "Heading"
    ]


def is_quick_action(line: str, known_only: bool = True) -> bool:
    """Whether a line, standing where GitLab runs quick actions, is one."""
    shape = _ACTION_SHAPE.match(line.rstrip())
    if shape is None:
        return False
    return not known_only or shape.group(1).lower() in QUICK_ACTION_NAMES


def older_reader_skips_to(text: str) -> int:
    """The last line GitLab's older quick-action reader skips from the top (0: none).

    That reader (Gitlab::QuickActions::Extractor before the Markdown-based one) runs
    one regex over the whole description. Its branch for inline code on separate
    rows, ^.*`\n*.+?\n*`$ with `.` matching line breaks, matches at the first line
    whenever a later line ends in a backtick with another backtick before it: from
    the top to the last such line, and no quick action in that stretch runs. (Its
    other branches, for ``` fences, <tag> ... </tag> lines and >>> quotes, the
    writer keeps user text out of line by line.) Worked out, not matched: on a long
    description that regex backtracks for minutes."""
    lines = text.split("\n")
    for number in range(len(lines), 0, -1):
        if lines[number - 1].endswith("`"):
            end = sum(len(line) + 1 for line in lines[:number]) - 2  # its backtick
            if "`" in text[: end - 1]:  # another one, a character at least before it
                return number
            return 0
    return 0


def quick_action_lines(doc: Any, source: Source, known_only: bool = True) -> list[int]:
    """The numbers of the lines GitLab runs as quick actions.

    A quick action is a line of a top-level paragraph that starts at column 0 with
    `/name`, and is not inside an inline code span, raw HTML or link that spans
    lines. Nowhere else: in a quote, a list, a table, raw HTML, a comment or a code
    block the same line is text. With `known_only`, only GitLab's own command names
    count (what GitLab runs); without, any `/word` line does (what might, some day).
    """
    found: list[int] = []
    for paragraph in doc.children:
        if kind(paragraph) != "Paragraph" or paragraph.sourcepos.start.column != 1:
            continue
        first, last = paragraph.sourcepos.start.line, paragraph.sourcepos.end.line
        # A span can only hide a line it reaches from an earlier one.
        inside = _lines_inside_spans(paragraph) if last > first else set()
        for number in range(first, last + 1):
            if number in inside:
                continue
            if is_quick_action(source.line(number), known_only):
                found.append(number)
    return found


def _lines_inside_spans(paragraph: Any) -> set[int]:
    """Lines that start inside an inline node begun on an earlier line."""
    inside: set[int] = set()
    for node in walk(paragraph):
        if kind(node) in _SPANNING_INLINES:
            pos = node.sourcepos
            inside.update(range(pos.start.line + 1, pos.end.line + 1))
    return inside


def unsafe_inline_html(doc: Any, source: Source) -> list[tuple[int, int]]:
    """(line, byte column) of the `<` of each piece of raw HTML inside a sentence that
    is unclosed there, or hides or swallows text: in GitLab's page it would run on
    over what follows (a `<details>` nests every later section)."""
    unsafe: list[tuple[int, int]] = []
    for leaf in walk(doc):
        if kind(leaf) in {"Paragraph", "TableCell", "Heading"}:
            unsafe.extend(_unsafe_in_leaf(leaf, source))
    return unsafe


def _unsafe_in_leaf(leaf: Any, source: Source) -> list[tuple[int, int]]:
    unsafe: list[tuple[int, int]] = []
    open_tags: list[tuple[str, tuple[int, int]]] = []
    for html, where in _inline_html(leaf, source):
        if html.startswith("<!--"):
            if "--!>" in html:
                # A browser ends the comment there (comrak reads on to `-->`): what
                # stands between would be live HTML.
                unsafe.append(where)
            continue  # a comment closed inside the sentence hides only itself
        tag = _TAG.match(html)
        name = tag.group(2).lower() if tag else ""
        if not tag or name in _SWALLOWING_TAGS:
            unsafe.append(where)
        elif name in _VOID_TAGS:
            # Nothing to close. Any other tag written `<x/>` is still open in a
            # browser (HTML heeds the `/` only on void tags), so it is counted open.
            continue
        elif tag.group(1):
            if open_tags and open_tags[-1][0] == name:
                open_tags.pop()
            else:
                unsafe.append(where)
        else:
            open_tags.append((name, where))
    return unsafe + [where for _, where in open_tags]


def _inline_html(leaf: Any, source: Source) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each piece of raw HTML in `leaf`, with where its `<` really stands.

    comrak's positions of inlines go wrong after a link whose destination or title
    holds a line break: `[](\n)<b>` puts `<b>` at line 1, column 6 (counted on from
    the link's line), and later lines are numbered short by the breaks in the link,
    their columns right. So each piece is looked for in order, from where the last
    one ended: where comrak says if it is there; else line by line, at comrak's
    column on that line, or the first `<` on it that begins the same text and no
    backslash escapes. The search moves on with the pieces: linear in the leaf."""
    cursor = (leaf.sourcepos.start.line, 1)
    last_line = min(leaf.sourcepos.end.line, len(source.lines))
    for node in walk(leaf):
        if kind(node) != "HtmlInline":
            continue
        html = str(node.node_value.value)
        head = html.split("\n", 1)[0].encode()
        said = (node.sourcepos.start.line, node.sourcepos.start.column)
        if said >= cursor and _holds(source, said, head):
            where: tuple[int, int] | None = said
        else:
            where = _look_from(source, head, cursor, said[1], last_line)
        where = where or said  # not found: the reading check reports it
        cursor = (where[0], where[1] + len(head))
        yield html, where


def _look_from(
    source: Source, text: bytes, start: tuple[int, int], column: int, last_line: int
) -> tuple[int, int] | None:
    line, first = start
    while line <= last_line:
        raw = source.lines[line - 1]
        if column >= first and _holds(source, (line, column), text):
            return line, column
        found = raw.find(text, first - 1)
        while found >= 0 and is_escaped(raw, found):
            found = raw.find(text, found + 1)
        if found >= 0:
            return line, found + 1
        line, first = line + 1, 1
    return None


def _holds(source: Source, at: tuple[int, int], text: bytes) -> bool:
    line, column = at
    if not 0 < line <= len(source.lines):
        return False
    return source.lines[line - 1][column - 1 : column - 1 + len(text)] == text


def is_escaped(text: str | bytes, index: int) -> bool:
    """Whether the character at `index` follows an odd run of backslashes: `\\<` is
    text, `\\\\<` a backslash and then the `<` itself."""
    run = 0
    while run < index and text[index - run - 1] in ("\\", 92):  # 92: b"\\"[0]
        run += 1
    return run % 2 == 1


def table_width_problems(doc: Any, source: Source, tables: Mapping[str, str]) -> list[int]:
    """Lines of table rows whose source cells differ in number from their header's, in
    the template's tables: `tables` maps a table's first header cell to the heading it
    stands under. Only the first such table at the top of that section is the
    template's; a table of the author's (in their own section or text) may leave cells
    out, as GFM allows."""
    problems = []
    heading, seen = "", set()
    for node in doc.children:
        if kind(node) == "Heading":
            heading = text_of(node).strip()
            continue
        if kind(node) != "Table" or not node.children or not node.children[0].children:
            continue
        header = text_of(node.children[0].children[0]).strip()
        if tables.get(header) != heading or header in seen:
            continue
        seen.add(header)
        width = len(node.children[0].children)
        for row in node.children[1:]:
            # comrak pads or cuts a row to its header's width; the source tells.
            if _source_cells(source.line(row.sourcepos.start.line)) != width:
                problems.append(row.sourcepos.start.line)
    return problems


def _source_cells(row: str) -> int:
    """How many cells a table row's source holds, as GFM splits it: on pipes that
    are not escaped, a leading and a trailing pipe left out."""
    body = row.strip().removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return len(re.split(r"(?<!\\)\|", body))


def reading_problems(
    markdown: str,
    headings: list[tuple[int, str]],
    actions: list[str],
    tables: Mapping[str, str] | None = None,
    html_blocks: int = 1,
) -> list[str]:
    """How GitLab's reading of `markdown` differs from what it is meant to be.

    `headings` are the document's own headings, in order; `actions` the quick
    action lines that must run, exactly those; `tables` the template's tables (first
    header cell -> the heading above) whose rows must have their header's cells;
    `html_blocks` how many raw HTML blocks it has (the template's confidential
    declaration). Any `/word` line GitLab could run
    counts as live here, known command or not: output is held to the strict rule."""
    if len(markdown.encode()) > MAX_DESCRIPTION_BYTES:
        return [f"it is over GitLab's limit of {MAX_DESCRIPTION_BYTES:,} bytes"]
    try:
        doc = parse(markdown)
    except TooDeep as error:
        return [str(error)]
    source = Source(markdown)
    problems = []
    found = top_headings(doc)
    if found != headings:
        missing = [title for _, title in headings if (_, title) not in found]
        extra = [title for level, title in found if (level, title) not in headings]
        problems.append(
            "the template's headings would not stand as written"
            + (f" ('{missing[0]}' is hidden)" if missing else "")
            + (f" (a heading '{extra[0]}' is added)" if extra else "")
        )
    live = [source.line(n).strip() for n in sorted(set(quick_action_lines(doc, source, False)))]
    if live != actions:
        unexpected = [line for line in live if line not in actions]
        problems.append(
            f"GitLab would run '{unexpected[0]}'"
            if unexpected
            else "a quick action of the plan would not run"
        )
    live_lines = quick_action_lines(doc, source, known_only=False)
    skipped = older_reader_skips_to(markdown)
    # An action ending in a backtick hides itself from that reader: check says so;
    # what matters here is that it hides no other.
    hidden = [n for n in live_lines if n <= skipped and not source.line(n).rstrip().endswith("`")]
    if hidden:
        problems.append(
            f"GitLab's older quick-action reader would not run '{source.line(hidden[0])}' "
            f"(line {skipped} ends in a backtick: it skips every line above)"
        )
    blocks = [node for node in doc.children if kind(node) == "HtmlBlock"]
    if len(blocks) != html_blocks:
        problems.append("raw HTML or a comment stands as a block of its own")
    # GitLab takes a quick action's line out before it renders anything.
    taken_out = set(live_lines)
    unsafe = [where for where in unsafe_inline_html(doc, source) if where[0] not in taken_out]
    if unsafe:
        problems.append(f"raw HTML on line {unsafe[0][0]} would run on over what follows")
    widths = table_width_problems(doc, source, tables or {})
    if widths:
        problems.append(f"a table row (line {widths[0]}) has more or fewer cells than its header")
    return problems
