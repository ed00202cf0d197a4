"""Drafts from older schema versions open, keep every value, and are upgraded only
when saved again."""

from __future__ import annotations

import json
import shutil

from tests.conftest import DATA, run_cli
from tests.plans import code_review_plan
from tui import drafts
from tui.migrations import STEPS, migrate
from tui.plan import SCHEMA_VERSION

SCHEMA_1 = DATA / "draft-schema-1.json"


def test_every_older_version_has_a_step_and_a_sample_file() -> None:
    assert sorted(STEPS) == list(range(1, SCHEMA_VERSION))
    for version in STEPS:
        sample = DATA / f"draft-schema-{version}.json"
        assert json.loads(sample.read_text())["schema_version"] == version


def test_schema_2_to_3_keeps_the_plan_and_reads_with_empty_document_parts() -> None:
    from tui.plan import Plan

    data = json.loads((DATA / "draft-schema-2.json").read_text())
    upgraded = migrate(data, 3)
    assert upgraded["schema_version"] == 3
    assert upgraded["plan"] == data["plan"]
    plan = Plan.model_validate(migrate(data, SCHEMA_VERSION)["plan"])
    assert plan.document.custom == [] and plan.document.left_out == []
    assert plan.timeline.more == ""


def test_schema_3_to_4_turns_persevere_fields_into_observation_blocks_rendered_the_same() -> None:
    """The draft was imported from the example at schema 3: after the upgrade its
    Persevere section renders exactly as the example wrote it."""
    from tui import render
    from tui.plan import Persevere, Plan

    data = json.loads((DATA / "draft-schema-3.json").read_text())
    upgraded = migrate(data, 4)
    plan = Plan.model_validate(upgraded["plan"])
    [latency, rate] = plan.persevere.observations
    assert (latency.what, latency.start, latency.end) == ("latency", "2025-05-26", "2025-06-06")
    assert rate.ranges == "Rate: 61% to 66%"

    def persevere_part(text: str) -> str:
        return text[text.index("### Persevere") : text.index("### Pivot")]

    example = (DATA / "code-review-summary-filled.md").read_text()
    assert persevere_part(render.render(plan)) == persevere_part(example)
    # Empty schema-3 fields become the template's blocks, X and Y included.
    blank = {"criteria": list(Persevere().criteria), "latency_from": "", "p50_min": ""}
    empty = migrate({"schema_version": 3, "plan": {"persevere": blank}}, 4)
    assert Persevere.model_validate(empty["plan"]["persevere"]) == Persevere()


def test_schema_1_to_2_records_which_release_wrote_it() -> None:
    data = json.loads(SCHEMA_1.read_text())
    upgraded = migrate(data, 2)
    assert upgraded["schema_version"] == 2
    assert upgraded["written_by"] == "rollout-plan 0.1"
    assert upgraded["plan"] == data["plan"]
    assert data["schema_version"] == 1  # the input is not changed in place


def test_a_schema_1_draft_opens_and_is_upgraded_on_save() -> None:
    path = drafts.drafts_dir() / "0e1d0001.json"
    shutil.copy(SCHEMA_1, path)
    draft = drafts.load(path)
    assert draft.plan == code_review_plan()
    assert (draft.created, draft.updated) == (
        "2026-11-20T10:00:00+00:00",
        "2026-11-21T16:30:00+00:00",
    )
    assert json.loads(path.read_text())["schema_version"] == 1  # reading changes nothing
    drafts.save(draft)
    saved = json.loads(path.read_text())
    assert saved["schema_version"] == SCHEMA_VERSION
    assert saved["written_by"].startswith("rollout-plan ")
    backup = json.loads(drafts.backup_path(path).read_text())
    assert backup["schema_version"] == 1  # the old version stays restorable


def test_cli_reads_a_schema_1_draft() -> None:
    shutil.copy(SCHEMA_1, drafts.drafts_dir() / "0e1d0001.json")
    listed = run_cli("list")
    assert listed.returncode == 0
    assert "0e1d0001" in listed.stdout and "UNREADABLE" not in listed.stdout
    assert run_cli("check", "0e1d0001").returncode == 0


def test_a_newer_schema_names_the_release_that_wrote_it() -> None:
    path = drafts.drafts_dir() / "f0f0f0f0.json"
    path.write_text(json.dumps({"schema_version": 7, "written_by": "rollout-plan 3.1", "plan": {}}))
    _, broken = drafts.scan()
    assert "written by rollout-plan 3.1 (schema 7" in broken[0].reason
    assert "upgrade rollout-plan to open it" in broken[0].reason
