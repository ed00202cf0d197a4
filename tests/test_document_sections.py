"""A plan is a document: the engineer's own sections, left-out sections, and each
section's More, edited in the wizard and checked in the rendered Markdown."""

from __future__ import annotations

from tui import drafts
from tui.app import RolloutApp
from tui.plan import sections
from tui.render import checked

SECTIONS = [name for name, *_ in sections()]


async def open_section(pilot, name: str) -> None:
    for _ in range(SECTIONS.index(name)):
        await pilot.press("f8")
        await pilot.pause()


async def type_into(pilot, field: str, text: str) -> None:
    """Focus a field of the Your sections screen (as a click would) and type."""
    pilot.app.screen.query_one(f"#f-document--{field}").focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def rendered(draft: drafts.Draft) -> str:
    return checked(drafts.load(draft.path).plan)


async def test_add_rename_move_and_remove_custom_sections() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await open_section(pilot, "document")
        # The empty group focuses "+ Add"; enter adds the first section, on its heading.
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "custom--0--title", "Evaluation result")
        await type_into(pilot, "custom--0--after", "Pivot criteria")
        await type_into(pilot, "custom--0--body", "Our own table.")
        app.screen.query_one("#f-document--custom--0--title").focus()
        await pilot.pause()
        await pilot.press("ctrl+n")  # a new section after this one, on its heading
        await pilot.pause()
        await pilot.press(*"Implementation Plan")
        await pilot.pause()
        await pilot.press("ctrl+q")
    text = rendered(draft)
    assert "## Evaluation result\n\nOur own table.\n\n## Mitigation and Rollback Plan" in text
    # No section to follow given: at the end.
    assert text.index("## Implementation Plan") > text.index("## Release Announcement")

    app = RolloutApp(drafts.load(draft.path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()  # it reopens where we left off: Your sections
        await pilot.pause()
        # Rename the first: its heading field, cleared (ctrl+u) and typed anew.
        app.screen.query_one("#f-document--custom--0--title").focus()
        await pilot.pause()
        await pilot.press("ctrl+u", *"Evaluation results (Langsmith)")
        await pilot.press("ctrl+down")  # move it below the second
        await pilot.pause()
        await pilot.press("ctrl+q")
    plan = drafts.load(draft.path).plan
    assert [c.title for c in plan.document.custom] == [
        "Implementation Plan",
        "Evaluation results (Langsmith)",
    ]

    app = RolloutApp(drafts.load(draft.path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()  # it reopens where we left off: Your sections
        app.screen.query_one("#f-document--custom--0--title").focus()
        await pilot.pause()
        await pilot.press("ctrl+delete")
        await pilot.pause()
        await pilot.press("ctrl+q")
    text = rendered(draft)
    assert "Implementation Plan" not in text
    assert "## Evaluation results (Langsmith)\n\nOur own table." in text


async def test_leave_out_timeline_and_bring_it_back() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await open_section(pilot, "document")
        add = app.screen.query("AddButton").last()
        add.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "left_out--0", "Timeline")
        await pilot.press("ctrl+q")
    text = rendered(draft)
    assert "### Timeline" not in text and "| Date | Audience | Status |" not in text
    assert "## Rollout\n\n### Feedback from GitLab Team Members" in text

    app = RolloutApp(drafts.load(draft.path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()  # it reopens where we left off: Your sections
        app.screen.query_one("#f-document--left_out--0").focus()
        await pilot.pause()
        await pilot.press("ctrl+delete")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert "### Timeline" in rendered(draft)


async def test_text_typed_in_a_sections_more_area_ends_that_section() -> None:
    draft = drafts.create()
    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await open_section(pilot, "dashboards")
        app.screen.query_one("#f-dashboards--more").focus()
        await pilot.pause()
        await pilot.press(*"Dashboards are TBD until the flag is on.")
        await pilot.pause()
        await pilot.press("ctrl+q")
    text = rendered(draft)
    start = text.index("### Dashboard References")
    section = text[start : text.index("## Legal Notes")]
    assert section.rstrip().endswith("Dashboards are TBD until the flag is on.")
