"""Writing user text into GitLab Flavored Markdown so it shows exactly as typed.

GitLab reads an issue description in two ways: comrak renders it, and the quick
action parser runs every line that starts with `/`. User text must survive both:
no line of it may run a quick action, open a heading that breaks the template's
skeleton, open a comment or code fence that swallows the rest of the issue, or
add a cell to a table. Each writer has its reader beside it (`read_block` for
`block`, ...), so that import -> render -> import gives back the same text.
"""

from __future__ import annotations

import re

from tui import gitlab
from tui.links import WEB_LINK

# What a line's text may start with, once past its indentation and any list or
# quote markers (`- `, `1. `, `> `), is escaped with `\` when it would be read as:
# `/` a quick action, `#` a heading, `<` the start of an HTML block or comment
# (any of CommonMark's seven kinds: a comment or `<details>` runs past the text's
# end), `>>>` a GitLab multi-line quote (it runs to the end of the description),
# `[x]:` a link definition (it would change the template's links and task boxes).
# `\` itself is escaped so that every escape can be undone on import.
# A list marker is a container only with a space after it (a lone `-` under a line
# of text is a heading underline, not an empty list item); a quote's `>` needs none,
# but `>>>` is not three quotes: it is what must be escaped.
# `<https://…>` and `<name@host>` are links, not HTML: a line may start with one. But
# `<!`, `<?` start a comment or declaration block before any link is looked for, so
# `<!--@0>`, an email address in form, hides the rest of the issue all the same.
_AUTOLINK = r"[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>|[^\s<>@!?][^\s<>@]*@[^\s<>]+>"
_CONTAINER = re.compile(r"^(?:[ \t]*(?:>(?!>>)|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")
_ESCAPED_START = re.compile(r"^(?:[/#\\]|<(?!" + _AUTOLINK + r")|>>>|\[(?=[^\]]*\]:))")
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+)[ \t]*$")


def lines_of(text: str) -> list[str]:
    """The text's lines, with any newline convention, trailing spaces dropped."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in normal.split("\n")]


def content_lines(text: str) -> list[str]:
    """The text's lines without the blank lines around them."""
    lines = lines_of(text)
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = len(lines) - next((i for i, line in enumerate(reversed(lines)) if line.strip()), 0)
    return lines[start:end]


def _split_container(line: str) -> tuple[str, str]:
    prefix = _CONTAINER.match(line)
    end = prefix.end() if prefix else 0
    return line[:end], line[end:]


def _safe_line(line: str, previous: str) -> str:
    prefix, rest = _split_container(line)
    if prefix.count(">") > gitlab.MAX_QUOTE_DEPTH:
        # Quotes nested deeper than any plan: the rest of the markers become text.
        cut = [i for i, char in enumerate(prefix) if char == ">"][gitlab.MAX_QUOTE_DEPTH]
        return f"{prefix[:cut]}\\{prefix[cut:]}{rest}"
    if _ESCAPED_START.match(rest):
        return f"{prefix}\\{rest}"
    if previous.strip() and _SETEXT_UNDERLINE.match(rest):
        # Under a line of text, `---` or `===` would turn it into a heading.
        return f"{prefix}\\{rest}"
    return line


def _needs_tree(text: str) -> bool:
    """Whether the text may hold code blocks or raw HTML, which only a parse can tell."""
    return "`" in text or "~~~" in text or "<" in text or "    " in text or "\t" in text


def block(text: str) -> str:
    """Free text (paragraphs, lists, code) as a block of the description.

    Every line that would run past the text's own end, or act in GitLab, is escaped
    at its start; lines inside the author's code blocks stay byte for byte; raw HTML
    inside a sentence is escaped where it is unclosed or hides what follows; a code
    fence left open is closed."""
    lines = content_lines(text)
    if not _needs_tree("\n".join(lines)):
        return "\n".join(_escape_lines(lines, frozenset()))
    code = _code_lines("\n".join(lines))
    safe = _escape_lines(lines, code)
    if _code_lines("\n".join(safe)) != code:
        # The escapes changed what is code (an HTML block that held a fence):
        # escape every line; a backslash shown in a code block is the lesser harm.
        safe = _escape_lines(lines, frozenset())
    safe = _escape_inline_html(safe)
    return "\n".join(safe + _closing_fences("\n".join(safe)))


def _escape_lines(lines: list[str], code: frozenset[int]) -> list[str]:
    out: list[str] = []
    previous = ""
    for number, line in enumerate(lines, start=1):
        out.append(line if number in code else _safe_line(line, previous))
        previous = line
    return out


def _code_lines(text: str) -> frozenset[int]:
    """The lines (1-based) inside code blocks, fences included, that stay verbatim.

    A line starting with `/` stays verbatim only inside a backtick fence at the
    left margin: GitLab's older, line-based quick action extractor skips those
    blocks, and only those."""
    found: set[int] = set()
    lines = text.split("\n")
    for node in gitlab.walk(gitlab.parse(text)):
        if gitlab.kind(node) != "CodeBlock":
            continue
        value = node.node_value.value
        skipped = value.fenced and chr(value.fence_char) == "`" and node.sourcepos.start.column == 1
        for number in range(node.sourcepos.start.line, node.sourcepos.end.line + 1):
            if skipped or not lines[number - 1].startswith("/"):
                found.add(number)
    return frozenset(found)


def _closing_fences(text: str) -> list[str]:
    """A fence for each code block left open at the top of the text: it would run on
    over every heading after the text. (One left open inside a list item or quote
    ends with it.)"""
    doc = gitlab.parse(text)
    import comrak

    last = doc.children[-1] if doc.children else None
    if last is None or not isinstance(last.node_value, comrak.CodeBlock):
        return []
    value = last.node_value.value
    if not value.fenced or value.closed:
        return []
    return [chr(value.fence_char) * value.fence_length]


_HTML_ROUNDS = 3  # rounds of escaping: a second is rare, a third never seen


def _escape_inline_html(lines: list[str]) -> list[str]:
    """Raw HTML inside sentences escaped as `\\<` where it is unclosed or hides text.

    Parsed again after each round: an escape can change what the HTML around it
    pairs with. What is still unsafe after the last round is left for the final
    reading check (render.checked) to refuse, never written unseen."""
    for _ in range(_HTML_ROUNDS):
        text = "\n".join(lines)
        if "<" not in text:
            return lines
        encoded = [line.encode() for line in lines]
        cuts = [
            (line, column)
            for line, column in gitlab.unsafe_inline_html(gitlab.parse(text), gitlab.Source(text))
            if encoded[line - 1][column - 1 : column] == b"<"
        ]
        if not cuts:
            return lines
        for line, column in sorted(cuts, reverse=True):
            raw = encoded[line - 1]
            encoded[line - 1] = raw[: column - 1] + b"\\" + raw[column - 1 :]
        lines = [line.decode() for line in encoded]
    return lines


def margin_block(text: str) -> str:
    """Free text that must start at the margin (after a list, it would join the last
    item): `block`, its first line's indentation dropped before it is made safe.
    Dropped after, an indented line kept verbatim as code would turn into text that
    is never escaped: `    <pre>` would open an HTML block over every later section."""
    lines = content_lines(text)
    if lines:
        lines[0] = lines[0].lstrip(" \t")
    return block("\n".join(lines))


def item_text(text: str) -> str:
    """A list item's text made safe. Its first line loses its indentation: spaces
    after the marker would move the item's content column, and lines written for
    the old column would fall out of the item."""
    safe = margin_block(text)
    if _BREAK_AFTER_MARKER.match(safe.split("\n", 1)[0]):
        # After `- `, a line of hyphens would make the whole item a thematic break.
        return "\\" + safe
    return safe


# Hyphens (two or more, spaces between allowed) that, after a `- ` marker, form `---`.
_BREAK_AFTER_MARKER = re.compile(r"^-[ \t]*-[- \t]*$")


def read_item(text: str) -> str:
    """A list item's text as the user typed it, from `item_text`'s output."""
    if text.startswith("\\") and _BREAK_AFTER_MARKER.match(text[1:].split("\n", 1)[0]):
        text = text[1:]
    return read_block(text)


def heading(title: str) -> str:
    """A heading's text: one line; a closing run of `#` kept as text; raw HTML that
    would run on escaped."""
    flat = " ".join(title.split())
    flat = re.sub(r"(^|\s)(#+)$", r"\1\\\2", flat)
    # Parsed as the heading it becomes, so its raw HTML is seen where it will stand.
    return _escape_inline_html(["# " + flat])[0][2:] if flat else flat


def read_heading(raw: str) -> str:
    """A heading's text as typed, from the source after its `#` marker."""
    text = raw.strip()
    if text.endswith("#"):  # a closing sequence, or a run of `#` kept as text
        text = re.sub(r"(?:^|[ \t]+)#+[ \t]*$", "", text).strip()
        text = re.sub(r"(^|\s)\\(#+)$", r"\1\2", text)
    return _unescape_inline_html(text) if "\\" in text else text


def hang(text: str, indent: int) -> str:
    """Lines after the first indented by `indent`, under a list item's marker."""
    first, *rest = text.split("\n")
    pad = " " * indent
    return "\n".join([first, *[(pad + line) if line else "" for line in rest]])


def item(text: str, indent: int) -> str:
    """A list item's text made safe; continuation lines indented under its marker."""
    return hang(item_text(text), indent)


def inline(text: str) -> str:
    """One line of text inside a sentence of the template (dates, numbers)."""
    flat = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", flat)


def cell(text: str, placeholder: str = "") -> str:
    """A table cell: pipes escaped, line breaks as `<br>`, never empty of its padding."""
    lines = [line.strip() for line in lines_of(text.strip())]
    value = "<br>".join(_escape_cell_line(line) for line in lines)
    value = value or placeholder
    return f" {value} " if value else " "


def _escape_cell_line(line: str) -> str:
    # Backslash, pipe and `<` are escaped the CommonMark way, so a `<br>` typed by
    # the user stays text and the `<br>` this writer adds is the only line break.
    return line.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")


def numbered(items: list[str]) -> str:
    """A numbered list of already-safe item texts, continuation lines aligned."""
    lines = []
    for number, text in enumerate(items, start=1):
        marker = f"{number}. "
        lines.append(marker + hang(text, len(marker)))
    return "\n".join(lines)


def bulleted(items: list[str]) -> str:
    """A bulleted list of already-safe item texts, continuation lines aligned."""
    return "\n".join("* " + hang(text, 2) for text in items)


def url(target: str) -> str:
    """A link destination; angle brackets when it holds spaces or parentheses."""
    target = " ".join(target.split())
    if re.search(r"[\s()<>]", target):
        return "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return target


def link(label: str, target: str) -> str:
    """`[label](url)`; a bare http(s) url when there is no label (GitLab links it);
    the label alone when there is no url."""
    label = " ".join(label.split())
    target = target.strip()
    if not target:
        return inline(label)
    if not label and WEB_LINK.match(target):
        return url(target)
    escaped = re.sub(r"([\\\[\]<])", r"\\\1", label or " ".join(target.split()))
    return f"[{escaped}]({url(target)})"


def label(name: str) -> str:
    """A label for `/label`, quoted as the template quotes them."""
    return '"' + " ".join(name.replace('"', "").split()) + '"'


# --- Readers: the inverse of each writer -----------------------------------------------


def read_block(text: str) -> str:
    """Free text as the user typed it, from `block`'s output (or hand-written Markdown)."""
    lines = content_lines(text)
    joined = "\n".join(lines)
    code = _code_lines(joined) if _needs_tree(joined) else frozenset()
    out = []
    previous = ""
    for number, line in enumerate(lines, start=1):
        if number not in code:
            prefix, rest = _split_container(line)
            if rest.startswith("\\") and (
                _ESCAPED_START.match(rest[1:])
                or (previous.strip() and _SETEXT_UNDERLINE.match(rest[1:]))
            ):
                line = prefix + rest[1:]
            else:
                line = _unescape_deep_quote(line)
            line = _unescape_inline_html(line)
        out.append(line)
        previous = line
    return "\n".join(out)


def _unescape_deep_quote(line: str) -> str:
    prefix, rest = _split_container(line)
    if rest.startswith("\\>") and prefix.count(">") == gitlab.MAX_QUOTE_DEPTH:
        return prefix + rest[1:]
    return line


# `\<` that `block` wrote before raw HTML inside a sentence (an escaped backslash
# is skipped whole, so `\\<` stays as written).
_ESCAPED_TAG = re.compile(r"\\\\|\\(<[A-Za-z/!?])")


def _unescape_inline_html(line: str) -> str:
    return _ESCAPED_TAG.sub(lambda m: m.group(1) or m.group(0), line)


# One pass, left to right, as CommonMark reads it: a backslash before ASCII
# punctuation is an escape; a `<br>` that is not escaped is a line break.
_CELL_TOKEN = re.compile(r"\\([!-/:-@\[-`{-~])|\s*<br\s*/?>\s*", re.I)


def read_cell(raw: str) -> str:
    """A cell's text from between its pipes: escapes undone, `<br>` back to a line break."""
    return _CELL_TOKEN.sub(lambda m: m.group(1) or "\n", raw.strip())


def split_row(line: str) -> list[str]:
    """The raw cells of a table row, split on pipes that are not escaped."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return re.split(r"(?<!\\)\|", body)


_INLINE_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|#])")


def read_inline(text: str) -> str:
    return _INLINE_ESCAPE.sub(r"\1", text.strip())
