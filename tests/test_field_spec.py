"""Adding a field is one line in plan.py plus its line in the Jinja template.

The test does exactly that to a copy of the package (tui/ and templates/ in
tmp_path), then asks the copy, in a fresh interpreter: does plain mode's step list
(the wizard's form generator without a screen) ask for it, does `check()` report
it required and empty, does the renderer write it, and does an import read it
back. Each fails as soon as that module lists fields of its own instead of
reading the spec.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One line each in plan.py, after an existing declaration (the anchor).
OVERVIEW_ANCHOR = "class Overview(Model):\n"
OVERVIEW_LINE = '    dri: str = field("DRI", "Who leads the rollout.", need=Need.REQUIRED)\n'
FEEDBACK_ANCHOR = "class Feedback(Model):\n"
FEEDBACK_LINE = (
    '    survey: str = field("Survey", "The feedback survey.", kind=Kind.URL, need=Need.REQUIRED)\n'
)
# The Overview table is written from the spec (plan.table_rows): no template line.
# The Feedback section is prose: its new field needs one.
TEMPLATE_ANCHOR = '{{ plan.feedback.issue | block or "_" ~ guidance.feedback ~ "_" }}\n'
TEMPLATE_LINE = "\nSurvey: {{ plan.feedback.survey | url or placeholder.link }}\n"

PROBE = """
import json, sys
import tui
from tui import drafts
from tui.checks import check
from tui.importer import parse_description
from tui.plain import section_steps
from tui.plan import Plan
from tui.render import render
from tui.session import Session

def probe(section, name, value):
    path = f"{section}.{name}"
    session = Session(drafts.create(Plan()))
    empty = [f for f in check(Plan()) if f.path == path]
    plan = Plan()
    setattr(getattr(plan, section), name, value)
    text = render(plan)
    back, _notes = parse_description(text)
    return {
        "steps": [(s.path, s.label) for s in section_steps(session, section)],
        "empty": [(f.level.value, f.section, f.field) for f in empty],
        "filled": [f.path for f in check(plan) if f.path == path],
        "rendered": text,
        "read_back": getattr(getattr(back, section), name),
    }

print(json.dumps({
    "package": tui.__file__,
    "dri": probe("overview", "dri", "Ada Lovelace"),
    "survey": probe("feedback", "survey", "https://forms.example.com/s/1"),
}))
"""


def _insert_after(path: Path, anchor: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    # The anchor is there once: a rewrite of plan.py or the template fails here, loudly.
    assert text.count(anchor) == 1, f"{anchor!r} is no longer in {path.name}"
    path.write_text(text.replace(anchor, anchor + line), encoding="utf-8")


def _add_fields(tmp_path: Path) -> dict[str, dict[str, object]]:
    """The copy's answers, once one line per field was added to plan.py (and one to
    the template for the Feedback field)."""
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "tui", source / "tui", ignore=ignore)
    shutil.copytree(ROOT / "templates", source / "templates", ignore=ignore)
    plan = source / "tui" / "plan.py"
    _insert_after(plan, OVERVIEW_ANCHOR, OVERVIEW_LINE)
    _insert_after(plan, FEEDBACK_ANCHOR, FEEDBACK_LINE)
    _insert_after(source / "templates" / "description.md.j2", TEMPLATE_ANCHOR, TEMPLATE_LINE)
    env = {**os.environ, "PYTHONPATH": str(source)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers: dict[str, dict[str, object]] = json.loads(result.stdout)
    assert answers["package"] == str(source / "tui" / "__init__.py")  # the copy, not the repo
    return answers


def test_a_new_field_is_asked_checked_rendered_and_read_back(tmp_path: Path) -> None:
    answers = _add_fields(tmp_path)

    dri, survey = answers["dri"], answers["survey"]
    # The wizard's steps (plain mode) ask for both, under their labels.
    assert ["overview.dri", "DRI"] in dri["steps"]
    assert ["feedback.survey", "Survey"] in survey["steps"]
    # Empty and required: an error naming the section and the label; filled: none.
    assert dri["empty"] == [["error", "Overview", "DRI"]]
    assert survey["empty"] == [["error", "Feedback", "Survey"]]
    assert dri["filled"] == survey["filled"] == []
    # The renderer writes them: the Overview table's row from the spec, the Feedback
    # line from the template's new line.
    assert "| DRI | Ada Lovelace |" in str(dri["rendered"]).splitlines()
    assert "Survey: https://forms.example.com/s/1" in str(survey["rendered"]).splitlines()
    # An Overview row is a simple field: the importer reads it back by its label.
    assert dri["read_back"] == "Ada Lovelace"
