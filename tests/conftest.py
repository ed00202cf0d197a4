"""Shared fixtures: every test gets its own ROLLOUT_PLAN_HOME, never the user's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

DATA = Path(__file__).parent / "data"
TEMPLATE = DATA / "ai-model-rollout-template.md"
CODE_REVIEW = DATA / "code-review-summary-filled.md"
DUO_WORKFLOW = DATA / "duo-workflow-early.md"
OLDER_VARIANT = DATA / "older-variant-filled.md"
EXAMPLES = [CODE_REVIEW, DUO_WORKFLOW]
CM = "{http://commonmark.org/xml/1.0}"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "home"
    monkeypatch.setenv("ROLLOUT_PLAN_HOME", str(root))
    yield root


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`rollout-plan ARGS` in a fresh interpreter, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )


def comrak_tree(markdown: str) -> ElementTree.Element:
    """The description as GitLab's Markdown engine (comrak, GFM extensions) parses it."""
    import comrak

    options = comrak.ExtensionOptions(table=True, tasklist=True, strikethrough=True, autolink=True)
    xml = comrak.markdown_to_xml(markdown, extension_options=options)
    return ElementTree.fromstring(xml.encode("utf-8"))


def text_of(element: ElementTree.Element) -> str:
    """The visible text of a node: comments and raw HTML left out."""
    if element.tag == f"{CM}html_inline" and (element.text or "").lower() == "<br>":
        return "\n"
    if element.tag in {f"{CM}html_inline", f"{CM}html_block"}:
        return ""
    parts = [element.text or ""] if element.tag in {f"{CM}text", f"{CM}code"} else []
    if element.tag in {f"{CM}softbreak", f"{CM}linebreak"}:
        parts.append("\n")
    for child in element:
        parts.append(text_of(child))
    return "".join(parts)


def headings(markdown: str) -> list[tuple[int, str]]:
    tree = comrak_tree(markdown)
    return [
        (int(node.get("level", "0")), text_of(node).strip()) for node in tree.iter(f"{CM}heading")
    ]


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts."""
    tree = comrak_tree(markdown)
    return [
        [[text_of(cell).strip() for cell in row.iter(f"{CM}table_cell")] for row in table]
        for table in tree.iter(f"{CM}table")
    ]


def comments(markdown: str) -> list[str]:
    """The HTML comments GitLab would hide, as comrak parses them."""
    tree = comrak_tree(markdown)
    found = []
    for tag in ("html_block", "html_inline"):
        for node in tree.iter(f"{CM}{tag}"):
            if (node.text or "").lstrip().startswith("<!--"):
                found.append((node.text or "").strip())
    return found
