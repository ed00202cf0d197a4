"""Text that came from a file, made safe to print on a terminal.

A draft's title, a finding that quotes a value, a file name: any of them can hold
escape sequences (OSC 52 writes the clipboard, others retitle the window or move
the cursor) or bidi overrides that make a line read differently from what it
holds. Every such character is shown as a Python-style escape (`\\x1b`, `\\u202e`)
instead, so the user sees it and the terminal never acts on it.

Free of imports from the package, so error paths can use it cheaply.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Controls (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width
# characters, the BOM), lone surrogates, and the line/paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Anything outside printable ASCII is a candidate; most text never reaches the
# Unicode lookup.
_CANDIDATE = re.compile(r"[^\x20-\x7e]")
# In JSON text, line breaks and tabs outside strings are layout (json.dumps writes
# them as escapes inside strings).
_JSON_CANDIDATE = re.compile(r"[^\x20-\x7e\n\t]")


def is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe(text: str, keep: str = "") -> str:
    """`text` with every unsafe character escaped; the characters in `keep` (for
    example "\\n\\t" for a multi-line document) pass through."""

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        return char if char in keep or not is_unsafe(char) else escape_char(char)

    return _CANDIDATE.sub(replace, text)


def safe_json(data: Any, indent: int | None = 2) -> str:
    """`data` as JSON that a terminal can show (see `safe_json_text`)."""
    return safe_json_text(json.dumps(data, indent=indent, ensure_ascii=False))


def safe_json_text(text: str) -> str:
    """JSON text with readable non-ASCII text kept, but every unsafe character written
    as a `\\uXXXX` escape, which any JSON reader decodes back to the same value."""

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if not is_unsafe(char):
            return char
        # Outside the BMP, JSON spells a character as its UTF-16 surrogate pair.
        encoded = char.encode("utf-16-be", "surrogatepass")
        units = [int.from_bytes(encoded[i : i + 2], "big") for i in range(0, len(encoded), 2)]
        return "".join(f"\\u{unit:04x}" for unit in units)

    # JSON's own syntax is printable ASCII and layout, so any candidate sits inside
    # a string.
    return _JSON_CANDIDATE.sub(replace, text)
