"""A plan is a document: the engineer's own sections, left-out sections, and each
section's More, edited in the wizard and checked in the rendered Markdown."""

from __future__ import annotations

import html
import itertools

from textual.widgets import OptionList, TextArea

from tests.conftest import headings, run_cli
from tests.test_wizard import wizard
from tui import drafts
from tui.app import RolloutApp
from tui.checks import Level, check
from tui.plan import CustomSection, Plan, sections
from tui.render import checked
from tui.widgets.fields import FlagField

SECTIONS = [spec.name for spec in sections()]


# The wizard opens on the section a test is about (as resume does): walking there
# section by section is tested in tests/test_wizard.py and tests/test_keys.py.


async def fill(pilot, field: str, text: str) -> None:
    """Focus a field of the Your sections screen (as a click would) and give it `text`
    whole, as a paste would: typing key by key is tested in tests/test_keys.py."""
    editor = pilot.app.screen.query_one(f"#f-document--{field}")
    editor.focus()
    await pilot.pause()
    if isinstance(editor, TextArea):
        editor.load_text(text)
    else:
        editor.value = text
    await pilot.pause()


async def choose(pilot, field: str, start: str) -> None:
    """Open a choice field's menu, type the start of a choice to find it, take it."""
    pilot.app.screen.query_one(f"#f-document--{field}").focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*start)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def rendered(draft: drafts.Draft) -> str:
    return checked(drafts.load(draft.path).plan)


async def test_add_rename_move_and_remove_custom_sections() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="document")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        # Enter on the empty group's "+ Add" (focused as a click would: the section's
        # first field is Before the first heading) adds the first section, on its heading.
        app.screen.query_one("#f-document--custom-group AddButton").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot, "custom--0--title", "Evaluation result")
        await choose(pilot, "custom--0--after", "Pivot")
        await fill(pilot, "custom--0--body", "Our own table.")
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


def side_line(app: RolloutApp, name: str) -> str:
    side = app.screen.query_one("#sections", OptionList)
    return str(side.get_option_at_index(SECTIONS.index(name)).prompt)


async def tick(pilot, section_title: str) -> None:
    """Focus the Left out checkbox of a section (as a click would) and press space."""
    boxes = [b for b in pilot.app.screen.query(FlagField) if str(b.label) == section_title]
    assert len(boxes) == 1, f"no single Left out box for {section_title}"
    boxes[0].focus()
    await pilot.pause()
    await pilot.press("space")
    await pilot.pause()


async def test_leave_out_timeline_and_bring_it_back() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="document")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        offered = {str(b.label) for b in app.screen.query(FlagField)}
        # The required parts are not offered.
        assert "Timeline" in offered and "Pivot criteria" in offered
        assert not offered & {"Title", "Overview", "Labels & confidentiality", "Your sections"}
        await tick(pilot, "Timeline")
        assert side_line(app, "timeline") == "  Timeline · left out"
        # Its form says so, and how to bring it back.
        wizard(app).show_section("timeline")
        await pilot.pause()
        note = app.screen.query_one("#form-timeline .left-out-note")
        assert note.display and "Bring it back under Your sections" in str(note.render())
        wizard(app).show_section("document")
        await pilot.pause()
        await pilot.press("ctrl+q")
    text = rendered(draft)
    assert "### Timeline" not in text and "| Date | Audience | Status |" not in text
    assert "## Rollout\n\n### Feedback from GitLab Team Members" in text

    app = RolloutApp(drafts.load(draft.path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()  # it reopens where we left off: Your sections
        await tick(pilot, "Timeline")
        assert "left out" not in side_line(app, "timeline")
        wizard(app).show_section("timeline")
        await pilot.pause()
        assert not app.screen.query_one("#form-timeline .left-out-note").display
        await pilot.press("ctrl+q")
    assert "### Timeline" in rendered(draft)


async def test_a_left_out_name_that_is_no_optional_section_is_shown_and_can_be_unticked() -> None:
    draft = drafts.create()
    draft.plan.document.left_out = ["Overview", "Timelines"]  # an older draft's typing
    drafts.save(draft)
    app = RolloutApp(drafts.load(draft.path), section="document")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await tick(pilot, "Timelines")  # unticked: gone from the plan
        await tick(pilot, "Overview")
        await pilot.press("ctrl+q")
    assert drafts.load(draft.path).plan.document.left_out == []


async def test_text_typed_in_a_sections_more_area_ends_that_section() -> None:
    draft = drafts.create()
    app = RolloutApp(draft, section="dashboards")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.screen.query_one("#f-dashboards--more").focus()
        await pilot.pause()
        await pilot.press(*"Dashboards are TBD until the flag is on.")
        await pilot.pause()
        await pilot.press("ctrl+q")
    text = rendered(draft)
    start = text.index("### Dashboard References")
    section = text[start : text.index("## Legal Notes")]
    assert section.rstrip().endswith("Dashboards are TBD until the flag is on.")


def test_leaving_out_a_required_section_is_an_error_an_unknown_name_a_warning() -> None:
    plan = Plan()
    plan.document.left_out = ["Timeline", "Overview", "Timelines"]
    found = [f for f in check(plan) if f.path == "document.left_out"]
    assert [(f.level, f.field) for f in found] == [
        (Level.ERROR, "Left out (item 2)"),
        (Level.WARNING, "Left out (item 3)"),
    ]
    assert "Overview is required" in found[0].message
    assert "'Timelines'" in found[1].message and "Timeline, Feedback" in found[1].message


async def test_the_side_list_shows_your_sections_under_the_one_they_follow() -> None:
    plan = Plan()
    plan.document.custom = [
        CustomSection(title="Evaluation result", after="Evaluation"),
        CustomSection(title="Follow-ups"),
    ]
    draft = drafts.create(plan)
    app = RolloutApp(draft, section="document")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert side_line(app, "evaluation").endswith("Evaluation\n   ↳ Evaluation result")
        assert side_line(app, "document").endswith("Your sections\n   ↳ Follow-ups")
        # Moved to the end: it follows Your sections in the side list too.
        await choose(pilot, "custom--0--after", "(at")
        assert side_line(app, "evaluation").endswith("Evaluation")
        assert side_line(app, "document").endswith(
            "Your sections\n   ↳ Evaluation result\n   ↳ Follow-ups"
        )
        await pilot.press("ctrl+q")
    assert drafts.load(draft.path).plan.document.custom[0].after == ""


async def test_the_footer_names_what_a_group_adds() -> None:
    """ctrl+n adds a section on Your sections, an observation on Persevere, an item
    in a list: the footer says which."""

    def footer(app: RolloutApp) -> set[str]:
        return {b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show}

    app = RolloutApp(drafts.create(), section="document")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert {"Add section", "Remove section"} <= footer(app)
        assert "Add row" not in footer(app)
    app = RolloutApp(drafts.create(), section="pivot")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert "Add item" in footer(app)


async def test_a_list_item_of_several_lines_is_edited_in_a_text_area() -> None:
    """Written over two lines in GitLab and imported: a one-line input would draw its
    second line over the screen."""
    draft = drafts.create()
    draft.plan.persevere.criteria = ["Identify no blockers", "Keep latency\nwithin range"]
    drafts.save(draft)
    app = RolloutApp(drafts.load(draft.path), section="persevere")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        second = app.screen.query_one("#f-persevere--criteria--1")
        assert isinstance(second, TextArea) and second.text == "Keep latency\nwithin range"
        assert not isinstance(app.screen.query_one("#f-persevere--criteria--0"), TextArea)


async def test_a_wrapped_text_area_shows_every_character_at_its_width() -> None:
    """Built ahead (prefetched) and laid out later, a text area drew lines wrapped for
    another width: the snapshot caught `about-claud` / `/models/overview`, an `e` lost
    from the screen (not from the plan)."""
    from tests.scenarios import code_review_draft

    app = RolloutApp(code_review_draft(), section="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        area = app.screen.query_one("#f-overview--model_links", TextArea)
        screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        for number, line in enumerate(area.text.split("\n")):
            cuts = [0, *area.wrapped_document.get_offsets(number), len(line)]
            for start, end in itertools.pairwise(cuts):
                assert line[start:end].strip() in screen, line[start:end]


def test_a_section_above_overview_stays_above_it() -> None:
    """An engineer's "Summary" above Overview was imported as placed at the end, and
    one the wizard placed after Title was left out of the description altogether."""
    blank = checked(Plan())
    top = blank.index("## Overview")
    text = blank[:top] + "## Summary\n\nWhat this rollout is.\n\n" + blank[top:]
    imported = run_cli("import", "-", stdin=text)
    assert imported.returncode == 0, imported.stderr
    draft = drafts.most_recent()
    assert [(c.title, c.after) for c in draft.plan.document.custom] == [("Summary", "Title")]
    written = run_cli("render", draft.id).stdout
    assert [title for _, title in headings(written)][:2] == ["Summary", "Overview"]
    assert "What this rollout is." in written.split("## Overview")[0]
    # Placed after Title in the wizard: written there, never left out.
    plan = Plan()
    plan.document.custom = [CustomSection(title="TL;DR", after="Title", body="Short.")]
    assert [title for _, title in headings(checked(plan))][:2] == ["TL;DR", "Overview"]
