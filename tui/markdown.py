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

# A line starting with one of these (after its indentation) is escaped with `\`:
# `/` runs a quick action, `#` opens a heading, `<!--`, `<?`, `<!X` and `<pre` (and
# kin) open an HTML block that runs past the text's end, and `\` must be escaped
# itself so that the escape can be undone on import.
_LINE_START_ESCAPED = re.compile(r"^(\s*)([/#\\]|<[!?]|<(?:script|pre|style|textarea)\b)", re.I)
_LINE_START_UNESCAPED = re.compile(r"^(\s*)\\([/#\\<])")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def lines_of(text: str) -> list[str]:
    """The text's lines, with any newline convention, trailing spaces dropped."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in normal.split("\n")]


def _safe_line(line: str, previous: str) -> str:
    if _LINE_START_ESCAPED.match(line):
        return _LINE_START_ESCAPED.sub(r"\1\\\2", line, count=1)
    if previous.strip() and _SETEXT_UNDERLINE.match(line):
        # Under a line of text, `---` or `===` would turn it into a heading.
        return "\\" + line.lstrip()
    return line


def block(text: str) -> str:
    """Free text (paragraphs, lists, code) as a block of the description."""
    lines = lines_of(text)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    out: list[str] = []
    open_fence = ""
    previous = ""
    for line in lines:
        safe = _safe_line(line, previous)
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            if not open_fence:
                open_fence = marker
            elif marker[0] == open_fence[0] and len(marker) >= len(open_fence):
                open_fence = ""
        out.append(safe)
        previous = line
    if open_fence:
        # An unclosed fence would swallow every heading after it.
        out.append(open_fence)
    return "\n".join(out)


def item(text: str, indent: int) -> str:
    """A list item's text; continuation lines indented under the item's marker."""
    body = block(text)
    if not body:
        return ""
    first, *rest = body.split("\n")
    pad = " " * indent
    return "\n".join([first, *[(pad + line) if line else "" for line in rest]])


def inline(text: str) -> str:
    """One line of text inside a sentence of the template (dates, numbers)."""
    flat = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", flat)


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
        first, *rest = text.split("\n")
        lines.append(marker + first)
        lines.extend((" " * len(marker) + line) if line else "" for line in rest)
    return "\n".join(lines)


def url(target: str) -> str:
    """A link destination; angle brackets when it holds spaces or parentheses."""
    target = " ".join(target.split())
    if re.search(r"[\s()<>]", target):
        return "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return target


def link(label: str, target: str) -> str:
    """`[label](url)`, the bare url when there is no label, the label with no url."""
    label = " ".join(label.split())
    target = target.strip()
    if not target:
        return inline(label)
    if not label:
        return url(target)
    escaped = re.sub(r"([\\\[\]])", r"\\\1", label)
    return f"[{escaped}]({url(target)})"


def label(name: str) -> str:
    """A label for `/label`, quoted as the template quotes them."""
    return '"' + " ".join(name.replace('"', "").split()) + '"'


# --- Readers: the inverse of each writer -----------------------------------------------


def read_block(text: str) -> str:
    """Free text as the user typed it, from `block`'s output (or hand-written Markdown)."""
    lines = lines_of(text)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    out = []
    previous = ""
    for line in lines:
        if _LINE_START_UNESCAPED.match(line):
            line = _LINE_START_UNESCAPED.sub(r"\1\2", line, count=1)
        elif previous.strip() and line.startswith("\\") and _SETEXT_UNDERLINE.match(line[1:]):
            line = line[1:]
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


_INLINE_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|])")


def read_inline(text: str) -> str:
    return _INLINE_ESCAPE.sub(r"\1", text.strip())
