"""The plan as the issue description Markdown GitLab renders."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from tui import markdown
from tui.links import REFERENCE, WEB_LINK
from tui.metrics import change_rows
from tui.plan import FEATURE_FLAG_LINK, EvalRow, ItemState, KnownIssue, Link, Mitigation, Plan

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
        quick_actions=_quick_actions,
    )
    return env.get_template(TEMPLATE)


def render(plan: Plan) -> str:
    """The issue description: deterministic bytes, LF, no trailing spaces, one final newline."""
    text = _template().render(plan=plan, changes=change_rows(plan.evaluation))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _items(texts: list[str]) -> list[str]:
    """User list items made safe; empty ones are left out."""
    return [safe for safe in (markdown.item_text(text) for text in texts) if safe]


def _link(entry: Link) -> str:
    return markdown.link(entry.label, entry.url)


def _pipeline_cell(pipeline: str) -> str:
    if WEB_LINK.match(pipeline.strip()):
        return f" [pipeline]({markdown.url(pipeline)}) "
    return markdown.cell(pipeline, "[pipeline_link]")


def _model_cell(row: EvalRow) -> str:
    model = row.model.strip() or "[model]"
    return markdown.cell(f"{model} (baseline)" if row.baseline else model)


def _metric_cell(row: EvalRow) -> str:
    name, score = row.metric.strip(), row.score.strip() or "X"
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


def _quick_actions(actions: list[str]) -> list[str]:
    """The user's own quick actions: one line each, and only lines that are one."""
    lines = (" ".join(action.split()) for action in actions)
    return [line for line in lines if line.startswith("/") and len(line) > 1]
