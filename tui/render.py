"""The plan as the issue description Markdown GitLab renders."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from tui import gitlab, markdown, template_text
from tui.errors import UserError
from tui.links import REFERENCE, WEB_LINK
from tui.metrics import change_rows
from tui.plan import (
    FEATURE_FLAG_LINK,
    REQUIRED_SECTIONS,
    CustomSection,
    EvalRow,
    ItemState,
    KnownIssue,
    Link,
    Mitigation,
    Overview,
    Plan,
    sections,
    table_rows,
)

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "description.md.j2"
_BOX = {ItemState.OPEN: " ", ItemState.DONE: "x", ItemState.NOT_APPLICABLE: "~"}


def template_dirs() -> list[Path]:
    """Where the templates are: inside the installed package, or the source tree's."""
    package = Path(__file__).resolve().parent
    candidates = [package / "templates", package.parent / "templates"]
    return [path for path in candidates if (path / TEMPLATE).is_file()]


@functools.cache
def _template() -> jinja2.Template:
    # Imported here so commands that never render do not pay for Jinja2.
    import jinja2

    dirs = template_dirs()
    if not dirs:
        raise FileNotFoundError(f"{TEMPLATE} is missing from the installation")
    from tui.drafts import cache_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        # Compiling the template costs more than rendering it; keep the bytecode.
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache_dir())),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        cell=markdown.cell,
        block=markdown.block,
        inline=markdown.inline,
        numbered=markdown.numbered,
        bulleted=markdown.bulleted,
        url=lambda target: markdown.url(target) if target.strip() else "",
        label=markdown.label,
        items=_items,
        box=_BOX.__getitem__,
        link=_link,
        pipeline_cell=_pipeline_cell,
        model_cell=_model_cell,
        metric_cell=_metric_cell,
        known_issue=_known_issue,
        mitigation=_mitigation,
    )
    # The template's own words, as the importer and the checks know them.
    env.globals.update(
        placeholder=template_text.PLACEHOLDER,
        guidance=template_text.GUIDANCE,
        confidential=template_text.CONFIDENTIAL,
        example_rows=template_text.EXAMPLE_EVALUATION_ROWS,
    )
    return env.get_template(TEMPLATE)


def render(plan: Plan) -> str:
    """The issue description: deterministic bytes, LF, no trailing spaces, one final newline."""
    shown, after = _document(plan)
    text = _template().render(
        plan=plan,
        changes=change_rows(plan.evaluation),
        actions=_action_block(plan),
        shown=shown,
        after=after,
        overview_rows=table_rows(Overview),
    )
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _key(title: str) -> str:
    return " ".join(title.lower().split())


def _document(plan: Plan) -> tuple[Callable[[str], bool], Callable[[str], str]]:
    """`shown(section)`: whether a template section is in the description;
    `after(section)`: what follows it, the section's own Markdown and the engineer's
    sections placed after it (`after("")`: those placed at the end)."""
    titles = {spec.name: spec.title for spec in sections()}
    left_out = {_key(title) for title in plan.document.left_out}
    by_title = {_key(title): name for name, title in titles.items()}
    placed: dict[str, list[CustomSection]] = {name: [] for name in [*titles, ""]}
    for custom in plan.document.custom:
        placed[by_title.get(_key(custom.after), "")].append(custom)

    def shown(name: str) -> bool:
        if name == "rollout":  # the heading over Timeline, Feedback, Persevere and Pivot
            return any(shown(part) for part in ("timeline", "feedback", "persevere", "pivot"))
        return titles[name] in REQUIRED_SECTIONS or _key(titles[name]) not in left_out

    @functools.cache
    def after(name: str) -> str:
        parts = []
        more = getattr(getattr(plan, name, None), "more", "") if name else ""
        if more.strip() and shown(name):
            # Many sections end with a list: an indented first line would join its
            # last item. Like a list item's text, it starts at the margin.
            parts.append(markdown.margin_block(more))
        parts += [_custom_section(custom) for custom in placed[name]]
        return "\n\n".join(parts)

    return shown, after


def _custom_section(custom: CustomSection) -> str:
    level = int(custom.level) if custom.level.strip() in {"1", "2", "3", "4", "5", "6"} else 2
    heading = "#" * level + " " + markdown.heading(custom.title)
    body = markdown.block(custom.body)
    return f"{heading}\n\n{body}" if body else heading


def _items(texts: list[str]) -> list[str]:
    """User list items made safe; empty ones are left out."""
    return [safe for safe in (markdown.item_text(text) for text in texts) if safe]


def _link(entry: Link) -> str:
    return markdown.link(entry.label, entry.url)


def _pipeline_cell(pipeline: str) -> str:
    if WEB_LINK.match(pipeline.strip()):
        return f" [pipeline]({markdown.url(pipeline)}) "
    return markdown.cell(pipeline, template_text.PIPELINE)


def _model_cell(row: EvalRow) -> str:
    model = row.model.strip() or template_text.MODEL
    return markdown.cell(f"{model} (baseline)" if row.baseline else model)


def _metric_cell(row: EvalRow) -> str:
    name, score = row.metric.strip(), row.score.strip() or template_text.VALUE
    return markdown.cell(f"{name}: {score}" if name else score)


def _known_issue(issue: KnownIssue) -> str:
    text = markdown.item(issue.description, indent=2)
    target = issue.link.strip()
    if not target:
        return text
    if WEB_LINK.match(target):
        reference = markdown.url(target)
    elif REFERENCE.match(target):
        reference = target  # group/project#12 as GitLab links it
    else:
        reference = markdown.inline(target)
    head, _, last = text.rpartition("\n")
    if re.fullmatch(r"[ \t]*\[[^\]\n]*\]", last):
        # `[X]: link` would be a link definition (on an item's first line, or after a
        # blank line in it), not the issue's text.
        indent = len(last) - len(last.lstrip())
        last = f"{last[:indent]}\\{last[indent:]}"
        text = f"{head}\n{last}" if head or "\n" in text else last
    return f"{text}: {reference}" if text else reference


def _mitigation(mitigation: Mitigation) -> str:
    text, flag = mitigation.text, " ".join(mitigation.feature_flag.replace("`", "").split())
    if flag:
        named = f"{FEATURE_FLAG_LINK} named `{flag}`"
        if FEATURE_FLAG_LINK in text:
            text = text.replace(FEATURE_FLAG_LINK, named, 1)
        else:
            text = "\n\n".join(part for part in (text.rstrip(), f"Feature flag: `{flag}`") if part)
    return markdown.block(text)


def quick_action_lines(plan: Plan) -> list[str]:
    """The quick actions the description runs, one line each, in order: the only
    lines of it GitLab may run."""
    qa = plan.quick_actions
    lines = ["/confidential"] if qa.confidential else []
    lines += [f"/label {markdown.label(name)}" for name in qa.labels if name.strip()]
    # The user's own: one line each, and only lines that are one.
    extra = (" ".join(action.split()) for action in qa.extra)
    lines += [line for line in extra if gitlab.is_quick_action(line, known_only=False)]
    # One ending in a backtick first: GitLab's older reader skips every line above
    # the last such line (gitlab.older_reader_skips_to), so it loses only those,
    # never /confidential (check calls them errors).
    return sorted(lines, key=lambda line: not line.endswith("`"))


# Characters that can open an inline span (code, link, raw HTML, math) running onto
# the next line, where it would hide that line's quick action from GitLab.
_SPANNING = re.compile(r"[`\[<$]")


def _action_block(plan: Plan) -> str:
    """The quick actions as the description's last block: one line each, and each a
    paragraph of its own when one could hide the next."""
    lines = quick_action_lines(plan)
    separator = "\n\n" if any(_SPANNING.search(line) for line in lines) else "\n"
    return separator.join(lines)


class UnsafeDescription(UserError):
    """The description would not read in GitLab as the plan says; names the field."""


def checked(plan: Plan) -> str:
    """The description, once GitLab's reading of it is what the plan says: the
    template's headings stand, only the plan's quick actions run, every table row
    has its header's cells, and it fits GitLab's size limit.

    Raises UnsafeDescription naming the field whose text breaks it."""
    text = render(plan)
    problems = _reading_problems(plan, text)
    if problems and problems[0].startswith("it is over"):
        # No search for the field to blame: each try would read a whole megabyte.
        raise UnsafeDescription(
            f"the description is too long: {problems[0]}; shorten the longest fields"
        )
    if problems:
        path = _culprit(plan)
        where = _describe(path) if path else ""
        # A value the checks call wrong is the user's to mend; anything else, ours.
        mend = (
            "mend it first (check says how)"
            if path and _check_error_at(plan, ".".join(map(str, path)))
            else "please report this as a bug of rollout-plan"
        )
        raise UnsafeDescription(
            f"the description would not read right in GitLab: {problems[0]}"
            + (f"; the cause is the text in {where}" if where else "")
            + f". Nothing was written; {mend}."
        )
    return text


def _check_error_at(plan: Plan, path: str) -> bool:
    from tui.checks import Level, check  # checks reads the rendered description too

    return any(f.level is Level.ERROR and f.path == path for f in check(plan))


@functools.cache
def template_headings() -> tuple[tuple[int, str], ...]:
    """The headings every description has: the template's, in its order."""
    return tuple(gitlab.top_headings(gitlab.parse(render(Plan()))))


def expected_headings(plan: Plan) -> list[tuple[int, str]]:
    """The headings the plan's description must have, in order: the template's (less
    the sections left out) and the engineer's own, where they stand."""
    if not plan.document.custom and not plan.document.left_out:
        return list(template_headings())
    skeleton = Plan()
    skeleton.document = plan.document.model_copy(deep=True)
    for custom in skeleton.document.custom:
        custom.body = ""
    return gitlab.top_headings(gitlab.parse(render(skeleton)))


# The template's tables, by their first header cell, and the heading each stands under:
# each row has its header's cells.
TEMPLATE_TABLES = {
    "Resource": "Overview",
    "Evaluation Pipeline": "Evaluation Template",
    "Date": "Timeline",
}


def _reading_problems(plan: Plan, text: str) -> list[str]:
    return gitlab.reading_problems(
        text, expected_headings(plan), quick_action_lines(plan), TEMPLATE_TABLES
    )


def _culprit(plan: Plan) -> tuple[str | int, ...]:
    """The first field that, emptied, makes the description read right (() if none)."""
    data = plan.model_dump()
    for path, _value in _text_leaves(data, ()):
        trial = plan.model_dump()
        _set(trial, path, "")
        candidate = Plan.model_validate(trial)
        if not _reading_problems(candidate, render(candidate)):
            return path
    return ()


def _text_leaves(
    value: object, path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, Enum):
        return []  # a state, not text
    if isinstance(value, str):
        return [(path, value)] if value.strip() else []
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _text_leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _text_leaves(item, (*path, i))]
    return []


def _set(data: object, path: tuple[str | int, ...], value: str) -> None:
    for key in path[:-1]:
        data = data[key]  # type: ignore[index]
    data[path[-1]] = value  # type: ignore[index]


def _describe(path: tuple[str | int, ...]) -> str:
    """`('evaluation', 'rows', 1, 'p50')` as "Evaluation › P50 Latency (row 2)"."""
    from pydantic import BaseModel

    from tui.plan import field_info, section_spec

    spec = section_spec(str(path[0]))
    model: object = spec.model
    words, row = [spec.title], ""
    for key in path[1:]:
        if isinstance(key, int):
            is_row = isinstance(model, type) and issubclass(model, BaseModel)
            row = f" ({'row' if is_row else 'item'} {key + 1})"
            continue
        if not (
            isinstance(model, type) and issubclass(model, BaseModel) and key in model.model_fields
        ):
            break
        label = field_info(model, key).label
        if label != words[-1]:  # a field named like its section is named once
            words.append(label)
        annotation = model.model_fields[key].annotation
        arguments = getattr(annotation, "__args__", ())
        model = arguments[0] if arguments else annotation
    return " › ".join(words) + row
