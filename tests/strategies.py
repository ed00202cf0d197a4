"""Hypothesis strategies for whole plans, built from the model's own field list.

`hostile_plans` put any text in every field: unicode, emoji, right-to-left marks,
pipes, backticks, HTML, comment markers, quick-action lines. `faithful_plans` hold
what a user can type in each field in the form the wizard stores it (one-line
fields without line breaks, free text without trailing spaces), so that render ->
import must give the very same plan back.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from tests.conftest import headings
from tui.plan import (
    REQUIRED_SECTIONS,
    CustomSection,
    Document,
    ItemState,
    Link,
    Plan,
    Resource,
    field_info,
)
from tui.plan import sections as plan_sections
from tui.render import render
from tui.template_text import PLACEHOLDERS

# Any character but surrogates and control characters (a terminal cannot type them).
ANY_CHAR = st.characters(exclude_categories=("Cs", "Cc"))
TRICK_TEXTS = [
    "|",
    "\\",
    "\\|",
    "`",
    "```",
    "~~~",
    "<br>",
    "<BR/>",
    "<!--",
    "-->",
    "/close",
    "/label ~x",
    "#",
    "## Overview",
    "---",
    "===",
    "*",
    "_",
    "[",
    "](",
    ")",
    "<",
    ">",
    "&lt;",
    "<details>",
    "<pre>",
    "\u202e",
    "\u200f",
    "مرحبا",
    "🙂",
    "👩‍💻",
    ":",
    " ",
    "  ",
    "- ",
    "1. ",
    "[ ]",
    "[x]",
    "**Change**",
    "???",
    "X",
]
TRICKS = st.sampled_from(TRICK_TEXTS)
# What a faithful value never holds (see _fit): drawing them only to throw the value
# away made most generated plans invalid, and Hypothesis gives up after three.
UNFIT_TRICKS = ("<!--", "```", "~~~")
FAITHFUL_TRICKS = st.sampled_from([t for t in TRICK_TEXTS if t not in UNFIT_TRICKS])
WORD = st.text(ANY_CHAR, min_size=1, max_size=8)


def _chunks(
    max_size: int, tricks: st.SearchStrategy[str] = TRICKS, min_size: int = 0
) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(WORD, tricks), min_size=min_size, max_size=max_size).map("".join)


def hostile_text() -> st.SearchStrategy[str]:
    line = _chunks(6)
    return st.lists(line, max_size=4).map("\n".join) | line


# --- Faithful values ----------------------------------------------------------------


def one_line(min_size: int = 0) -> st.SearchStrategy[str]:
    """What a one-line input holds: no line breaks, no outer whitespace, single spaces.
    With `min_size`, that many chunks at least (it may still be only spaces)."""
    return _chunks(5, FAITHFUL_TRICKS, min_size).map(lambda text: " ".join(text.split()))


def cell_text() -> st.SearchStrategy[str]:
    """A table cell: several lines allowed, each without outer whitespace."""
    return st.lists(one_line(), max_size=3).map(lambda lines: "\n".join(lines).strip())


def block_text() -> st.SearchStrategy[str]:
    """Free text: lines without trailing spaces, one blank line at most between them."""

    def tidy(lines: list[str]) -> str:
        text = "\n".join(line.rstrip() for line in lines)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n")

    line = st.one_of(one_line(), one_line().map(lambda s: "  " + s), st.just(""))
    return st.lists(line, max_size=5).map(tidy)


_LIST_MARKER_START = re.compile(r"^(?=(?:[-*+]|\d{1,9}[.)])(?:\s|$))")


def more_text() -> st.SearchStrategy[str]:
    """A section's More text, which follows the section's own list: at the margin and
    not starting with a list item (see _fit); drawn so, not drawn and thrown away."""
    return block_text().map(lambda text: _LIST_MARKER_START.sub("x ", text.lstrip()))


def item_text() -> st.SearchStrategy[str]:
    """A list entry: a first line of text, maybe more lines under it."""
    return st.tuples(one_line(min_size=1).filter(bool), block_text()).map(
        lambda parts: parts[0] + ("\n" + parts[1] if parts[1] else "")
    )


URL = st.builds(
    lambda path: "https://gitlab.example.com/" + path,
    st.text(st.sampled_from("abcXYZ019-_/.~()%?=&#"), max_size=20),
)
REFERENCE = st.sampled_from(["#12", "group/project#34", "gitlab-org&17120", "g/p!9"])


# Fields whose values the template writes back in a form that cannot hold every
# text; each entry says why, and the test keeps to values that can round-trip.
def _fit(path: str, value: str) -> bool:
    lowered = value.strip().lower()
    if any(lowered in values for values in PLACEHOLDERS.values()):
        return False  # the template's placeholders read back as empty
    if "<!--" in value or "```" in value or "~~~" in value:
        return False  # a comment or an unclosed fence is tidied by the writer
    if re.search(r"\\<[A-Za-z/!?]", value):
        # A typed `\<b>` shows `<b>`, as the escaped raw HTML the writer makes does:
        # it reads back as `<b>`, which renders the same.
        return False
    if path.endswith(".more") and (
        value[:1] in {" ", "\t"} or re.match(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)", value)
    ):
        # It may follow the section's own list: it starts at the margin, as an item's
        # text does, and a list it starts with reads as more of the section's items.
        return False
    if path == "mitigation.feature_flag":
        return "`" not in value  # written as `code`, which cannot hold a backtick
    if path.endswith(".metric") or path.endswith(".score"):
        return ": " not in value  # "metric: score" shares one cell
    if path.endswith(".model"):
        return not lowered.endswith("(baseline)")
    if path.endswith(".pipeline"):
        return not re.match(r"^\**\s*change", lowered) and not value.startswith("[")
    if path.startswith("persevere.observations."):
        # Written inside a sentence: "_Observed <what> from <start> to <end>_".
        return " to " not in lowered and " from " not in lowered
    return True


def faithful_value(path: str, kind: str) -> st.SearchStrategy[str]:
    if path.endswith(("langsmith_url", ".url")):
        return URL
    if path.endswith("known_issues.issues.link"):
        return st.one_of(st.just(""), URL, REFERENCE)
    if path.startswith(("overview.", "evaluation.rows.", "timeline.rows.")):
        strategy = cell_text()
    elif path.endswith(".more"):
        strategy = more_text()
    elif kind == "longtext" or path == "feedback.issue":
        strategy = block_text()
    elif kind == "ranges":
        # `name: value` lines, each a list item under its window line.
        line = st.tuples(
            one_line(min_size=1).map(lambda s: s.replace(":", "")).filter(str.strip),
            one_line(min_size=1).filter(str.strip),
        ).map(lambda parts: f"{parts[0].strip()}: {parts[1].strip()}")
        return st.lists(line.filter(lambda v: _fit(path, v)), max_size=3).map("\n".join)
    elif path == "known_issues.issues.description":
        strategy = item_text()
    else:
        strategy = one_line()
    return strategy.filter(lambda value: _fit(path, value))


def _model_strategy(model: type[BaseModel], prefix: str, faithful: bool) -> Any:
    fields: dict[str, Any] = {}
    strategy = st.fixed_dictionaries(fields).map(lambda values: model(**values))
    for name, info in model.model_fields.items():
        kind = field_info(model, name).kind
        path = f"{prefix}{name}"
        annotation = info.annotation
        if kind == "state":
            fields[name] = st.sampled_from(list(ItemState))
        elif kind == "flag":
            fields[name] = st.booleans()
        elif kind == "rows":
            row_model = annotation.__args__[0]  # type: ignore[union-attr]
            rows = _model_strategy(row_model, f"{path}.", faithful)
            fields[name] = st.lists(rows, max_size=3)
        elif kind == "items":
            fields[name] = st.lists(_item_strategy(path, faithful), max_size=4, unique=True)
        elif faithful:
            fields[name] = faithful_value(path, kind)
        else:
            fields[name] = hostile_text()
    if faithful and model is Resource:
        # An empty row is not written; one named as a template row reads back as that row.
        return strategy.filter(
            lambda r: (
                (r.name.strip() or r.links.strip())
                and " ".join(r.name.lower().split())
                not in {"model", "epic or issue", "feature flag rollout issue", "status updates"}
            )
        )
    if faithful and model is Link:
        # A link whose label is its url is written `[url](url)` and reads back unlabelled.
        return strategy.filter(lambda link: link.label != link.url)
    return strategy


def _item_strategy(path: str, faithful: bool) -> st.SearchStrategy[str]:
    if not faithful:
        return hostile_text()
    if path == "quick_actions.labels":
        return one_line(min_size=1).map(lambda s: s.replace('"', "'")).filter(bool)
    if path == "quick_actions.extra":
        # One ending in a backtick is written first (render.quick_action_lines).
        return st.builds(
            lambda word, rest: f"/{word} {rest}".strip(),
            st.sampled_from(["milestone", "assign", "due", "weight"]),
            one_line(),
        ).filter(lambda action: not action.endswith("`"))
    # An entry naming one of the template's own success criteria reads back as that
    # criterion kept, not as an entry of the user's.
    return item_text().filter(
        lambda s: (
            _fit(path, s)
            and "verify the prompt registry" not in s.lower()
            and "confirm duo chat streaming" not in s.lower()
        )
    )


# The template's headings as an import reads them, and the sections a plan may leave out.
_TEMPLATE_KEYS = {" ".join(title.lower().split()) for _, title in headings(render(Plan()))}
_OPTIONAL = [spec.title for spec in plan_sections() if spec.title not in REQUIRED_SECTIONS][
    :-1
]  # not "Your sections"


def _faithful_document() -> st.SearchStrategy[Document]:
    """Custom sections as an import can read them back: a title that is no template
    heading, placed after a section the plan has (the last one is written ""), or
    after the title: above Overview."""

    def plan_of(left_out: list[str], customs: list[tuple[str, str, str, str]]) -> Document:
        order = [title for title in _OPTIONAL if title in left_out]
        kept = [title for title in ["Overview", *_OPTIONAL] if title not in order]
        return Document(
            left_out=order,
            custom=[
                CustomSection(
                    title=t, level=lv, after=a if a in ["Title", *kept[:-1]] else "", body=b
                )
                for t, lv, a, b in customs
            ],
        )

    custom = st.tuples(
        one_line().filter(
            lambda t: (
                " ".join(t.lower().split()) not in _TEMPLATE_KEYS
                and _fit("document.custom.title", t)
            )
        ),
        st.sampled_from(["1", "2", "3", "4", "5", "6"]),
        st.sampled_from(["", "Title", "Overview", *_OPTIONAL]),  # Title: above Overview
        faithful_value("document.custom.body", "longtext"),
    )
    return st.builds(
        plan_of,
        st.lists(st.sampled_from(_OPTIONAL[:-1]), max_size=3, unique=True),
        st.lists(custom, max_size=3),
    ).map(_canonical_order)


def _canonical_order(document: Document) -> Document:
    """Custom sections in the order the description shows them, as import reads them."""
    titles = ["Title", "Overview", *_OPTIONAL]
    position = {title: i for i, title in enumerate(titles)}
    document.custom = sorted(document.custom, key=lambda c: position.get(c.after, len(titles)))
    return document


def plans(faithful: bool) -> st.SearchStrategy[Plan]:
    sections = {
        name: _model_strategy(type(getattr(Plan(), name)), f"{name}.", faithful)
        for name in Plan.model_fields
    }
    if not faithful:
        return st.fixed_dictionaries(sections).map(lambda values: Plan(**values))
    sections["document"] = _faithful_document()
    return st.fixed_dictionaries(sections).map(lambda values: _left_out_empty(Plan(**values)))


def _left_out_empty(plan: Plan) -> Plan:
    """A section left out is not in the description, so it reads back as the template's."""
    names = {spec.title: spec.name for spec in plan_sections()}
    for title in plan.document.left_out:
        name = names[title]
        setattr(plan, name, type(getattr(plan, name))())
    return plan


hostile_plans = plans(faithful=False)
faithful_plans = plans(faithful=True)
