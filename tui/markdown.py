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

from tui.links import WEB_LINK

# What a line's text may start with, once past its indentation and any list or
# quote markers (`- `, `1. `, `> `), is escaped with `\` when it would be read as:
# `/` a quick action, `#` a heading, `<!--`, `<?`, `<!X` or `<pre` (and kin) an
# HTML block that runs past the text's end. `\` itself is escaped so that every
# escape can be undone on import.
# A list marker is a container only with a space after it (a lone `-` under a line
# of text is a heading underline, not an empty list item); a quote's `>` needs none.
_CONTAINER = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*")
_ESCAPED_START = re.compile(r"^(?:[/#\\]|<[!?]|<(?:script|pre|style|textarea)\b)", re.I)
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+)[ \t]*$")
# A backtick fence's info string cannot hold a backtick (```a` is inline code).
_FENCE = re.compile(r"^(?:(`{3,})([^`]*)|(~{3,})(.*))$")


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


def fence_marker(line: str) -> tuple[str, str]:
    """(the ``` or ~~~ run, the info string after it) when the line is a code fence,
    inside a list item or quote too; ("", "") when it is not."""
    match = _FENCE.match(_split_container(line)[1])
    if not match:
        return "", ""
    return match.group(1) or match.group(3), (match.group(2) or match.group(4) or "").strip()


def closes(line: str, opened: str) -> bool:
    """Whether the line closes a fence opened with `opened`: same character, at least
    as long, nothing after it."""
    marker, info = fence_marker(line)
    return bool(marker) and not info and marker[0] == opened[0] and len(marker) >= len(opened)


def _safe_line(line: str, previous: str) -> str:
    prefix, rest = _split_container(line)
    if _ESCAPED_START.match(rest):
        return f"{prefix}\\{rest}"
    if previous.strip() and _SETEXT_UNDERLINE.match(rest):
        # Under a line of text, `---` or `===` would turn it into a heading.
        return f"{prefix}\\{rest}"
    return line


def block(text: str) -> str:
    """Free text (paragraphs, lists, code) as a block of the description."""
    lines = content_lines(text)
    out: list[str] = []
    open_fence = ""
    previous = ""
    for line in lines:
        safe = _safe_line(line, previous)
        if open_fence:
            if closes(line, open_fence):
                open_fence = ""
        else:
            open_fence = fence_marker(line)[0]
        out.append(safe)
        previous = line
    if open_fence:
        # An unclosed fence would swallow every heading after it.
        out.append(open_fence)
    return "\n".join(out)


def item_text(text: str) -> str:
    """A list item's text made safe. Its first line loses its indentation: spaces
    after the marker would move the item's content column, and lines written for
    the old column would fall out of the item."""
    return block(text).lstrip(" \t")


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
    escaped = re.sub(r"([\\\[\]])", r"\\\1", label or " ".join(target.split()))
    return f"[{escaped}]({url(target)})"


def label(name: str) -> str:
    """A label for `/label`, quoted as the template quotes them."""
    return '"' + " ".join(name.replace('"', "").split()) + '"'


# --- Readers: the inverse of each writer -----------------------------------------------


def read_block(text: str) -> str:
    """Free text as the user typed it, from `block`'s output (or hand-written Markdown)."""
    lines = content_lines(text)
    out = []
    previous = ""
    for line in lines:
        prefix, rest = _split_container(line)
        if rest.startswith("\\") and (
            _ESCAPED_START.match(rest[1:])
            or (previous.strip() and _SETEXT_UNDERLINE.match(rest[1:]))
        ):
            line = prefix + rest[1:]
        out.append(line)
        previous = line
    return "\n".join(out)


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
