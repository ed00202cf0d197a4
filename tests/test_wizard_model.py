"""A model-based test of the whole wizard: Hypothesis drives Pilot through random
sequences of what a user does, and a plain model says where focus must be and what
every field must hold.

The model is the plan as a dict (what `model_dump` gives) plus where the focus is.
Each section's focus stops come from the plan's declared fields: every editor in
order, rows cell by cell, a group's "+ Add" after its rows. Invariants, after every
step: focus is on the stop the model expects (so always an editable widget), the
plan in memory equals the model, and after quit and resume the file on disk does.

Hypothesis calls rules synchronously; the app runs on an event loop this machine
owns, advanced by `run_until_complete` for each step.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from pydantic import BaseModel
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TabbedContent, TextArea

from tests.keyboard import burst, settle
from tui import drafts
from tui.app import RolloutApp
from tui.plan import Plan, field_info, field_suggestions, sections
from tui.screens.review import ReviewScreen
from tui.screens.wizard import WizardScreen
from tui.widgets.groups import AddButton

SECTIONS = sections()
ORDER = [spec.name for spec in SECTIONS]
TITLES = {spec.name: spec.title for spec in SECTIONS}
MODELS = {spec.name: spec.model for spec in SECTIONS}
# No space (it toggles a checkbox) and no x, n, o (they set a checklist item).
TEXT = st.text(alphabet="abcdefghijklmpqrstuvwyz0123456789-", min_size=1, max_size=4)


def editor_kind(model: type[BaseModel], name: str) -> str:
    """The widget the wizard builds for a field, as `fields.simple_editor` decides."""
    spec = field_info(model, name)
    kind = spec.kind
    if kind == "items" and spec.suggestions:
        return "picks"  # a checkbox per choice (the sections left out)
    if kind in ("rows", "items"):
        return kind
    if kind in ("state", "flag"):
        return "toggle"
    if kind in ("longtext", "links"):
        return "area"
    return "choice" if field_suggestions(model, name) else "text"


def entry_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    annotation = model.model_fields[name].annotation
    (entry,) = annotation.__args__  # type: ignore[union-attr]
    assert issubclass(entry, BaseModel)
    return entry


class Model:
    """The plan and the focus as the user expects them."""

    def __init__(self) -> None:
        self.plan: dict[str, Any] = Plan().model_dump(mode="json")
        self.section = ORDER[0]
        self.focus = "title.title"
        # Text areas start at the end and then keep their cursor; inputs go to the end.
        self.cursors: dict[str, int] = {}

    def get(self, path: str) -> Any:
        target: Any = self.plan
        for part in path.split("."):
            target = target[int(part)] if isinstance(target, list) else target[part]
        return target

    def set(self, path: str, value: Any) -> None:
        parent_path, _, last = path.rpartition(".")
        parent = self.get(parent_path)
        parent[int(last) if isinstance(parent, list) else last] = value

    def stops(self, section: str | None = None) -> list[tuple[str, str]]:
        """(path, kind) of every focus stop of a section, in tab order."""
        section = section or self.section
        model = MODELS[section]
        found: list[tuple[str, str]] = []
        for name in model.model_fields:
            path, kind = f"{section}.{name}", editor_kind(model, name)
            if kind == "rows":
                row_model = entry_model(model, name)
                for index in range(len(self.get(path))):
                    for cell in row_model.model_fields:
                        cell_kind = editor_kind(row_model, cell)
                        found.append((f"{path}.{index}.{cell}", cell_kind))
                found.append((path, "add"))
            elif kind == "items":
                found += [(f"{path}.{i}", "text") for i in range(len(self.get(path)))]
                found.append((path, "add"))
            elif kind == "picks":
                # The model only ever ticks choices, so its boxes are the choices'.
                choices = field_suggestions(model, name)
                found += [(f"{path}.{i}", "pick") for i in range(len(choices))]
            else:
                found.append((path, kind))
        return found

    def kind(self) -> str:
        return dict(self.stops())[self.focus]

    def index(self) -> int:
        return [path for path, _ in self.stops()].index(self.focus)

    def enter(self, section: str, at: str = "") -> None:
        """Entering a section focuses the stop at `at` (or the first inside it, or the
        nearest enclosing), else the section's first stop."""
        self.section = section
        paths = [path for path, _ in self.stops()]
        parts = at.split(".") if at else []
        while parts:
            prefix = ".".join(parts)
            for path in paths:
                if path == prefix or path.startswith(prefix + "."):
                    self.focus = path
                    return
            parts.pop()
        self.focus = paths[0]

    def group(self) -> tuple[str, int | None, str]:
        """(group path, row index or None on "+ Add", column) of the focus."""
        if self.kind() == "add":
            return self.focus, None, ""
        for path, kind in self.stops():
            if kind == "add" and self.focus.startswith(path + "."):
                index, _, column = self.focus[len(path) + 1 :].partition(".")
                return path, int(index), column
        raise AssertionError(f"{self.focus} is in no group")

    def in_group(self) -> bool:
        return self.kind() == "add" or any(
            kind == "add" and self.focus.startswith(path + ".") for path, kind in self.stops()
        )

    def new_entry(self, group: str) -> Any:
        section, name = group.split(".")
        model = MODELS[section]
        if editor_kind(model, name) == "items":
            return ""
        return entry_model(model, name)().model_dump(mode="json")

    def first_cell(self, group: str, index: int) -> str:
        return next(p for p, _ in self.stops() if p.startswith(f"{group}.{index}."))

    def focus_row(self, group: str, index: int, column: str) -> None:
        rows = self.get(group)
        if not rows:
            self.focus = group
        elif column:
            self.focus = f"{group}.{index}.{column}"
        else:
            self.focus = (
                self.first_cell(group, index) if self._has_cells(group) else (f"{group}.{index}")
            )

    def _has_cells(self, group: str) -> bool:
        section, name = group.split(".")
        return editor_kind(MODELS[section], name) == "rows"


class WizardMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.model = Model()
        self.draft = drafts.create()
        self.app: RolloutApp | None = None
        self.pilot: Pilot[None] | None = None
        self._steps: asyncio.Queue[tuple[Any, asyncio.Future[Any]]] | None = None
        self._server: asyncio.Task[None] | None = None
        self._start()

    # --- driving the app on our own loop -------------------------------------------
    # Textual keeps the running app in context variables, so every step runs inside
    # one task (the server) that holds `run_test` open; a step is handed to it.

    def _start(self) -> None:
        ready: asyncio.Future[None] = self.loop.create_future()
        self._server = self.loop.create_task(self._serve(ready))
        self.loop.run_until_complete(ready)

    async def _serve(self, ready: asyncio.Future[None]) -> None:
        self._steps = asyncio.Queue()
        self.app = RolloutApp(drafts.load(self.draft.path))
        async with self.app.run_test(size=(100, 32)) as pilot:
            self.pilot = pilot
            await self._settle()
            ready.set_result(None)
            while True:
                step, done = await self._steps.get()
                if step is None:
                    done.set_result(None)
                    break
                try:
                    done.set_result(await step())
                except BaseException as error:  # handed back to the rule
                    done.set_exception(error)

    def run(self, step: Any) -> Any:
        """Run `step` (a coroutine function) inside the app's task."""
        assert self._steps is not None
        done: asyncio.Future[Any] = self.loop.create_future()
        self._steps.put_nowait((step, done))
        return self.loop.run_until_complete(done)

    def _stop(self) -> None:
        """Leave `run_test` (the app exits) and wait for the server to end."""
        if self._server is None:
            return
        if not self._server.done():
            self.run(None)
        self.loop.run_until_complete(self._server)
        self._server = None

    async def _settle(self) -> None:
        assert self.pilot is not None
        for _ in range(3):
            await self.pilot.pause()

    def press(self, *keys: str) -> None:
        async def step() -> None:
            assert self.pilot is not None
            await self.pilot.press(*keys)
            await self._settle()

        self.run(step)

    def type(self, *keys: str) -> None:
        """Keys in one burst, as a terminal delivers fast typing."""

        async def step() -> None:
            assert self.app is not None and self.pilot is not None
            burst(self.app, *keys)
            await settle(self.pilot)

        self.run(step)

    def teardown(self) -> None:
        try:
            self._stop()
        finally:
            self.loop.close()

    @property
    def wizard(self) -> WizardScreen:
        assert self.app is not None
        screen = self.app.screen
        assert isinstance(screen, WizardScreen), f"expected the wizard, got {screen!r}"
        return screen

    # --- rules ---------------------------------------------------------------------

    @precondition(lambda self: ORDER.index(self.model.section) + 1 < len(ORDER))
    @rule()
    def next_section(self) -> None:
        self.press("ctrl+pagedown")
        self.model.enter(ORDER[ORDER.index(self.model.section) + 1])

    @precondition(lambda self: ORDER.index(self.model.section) > 0)
    @rule()
    def back_section(self) -> None:
        self.press("ctrl+pageup")
        self.model.enter(ORDER[ORDER.index(self.model.section) - 1])

    @rule(section=st.sampled_from(ORDER))
    def side_list_jump(self, section: str) -> None:
        delta = ORDER.index(section) - ORDER.index(self.model.section)
        self.press("ctrl+l")
        # A held arrow key arrives as a burst.
        self.type(*(["down"] * delta if delta > 0 else ["up"] * -delta), "enter")
        self.model.enter(section)

    @rule(section=st.sampled_from(ORDER))
    def palette_jump(self, section: str) -> None:
        self.press("ctrl+p")

        async def search() -> None:
            # The query is set whole: typing it key by key searches the commands once
            # a key and is not what this rule is about (the wizard's typing rules are).
            assert self.app is not None
            self.app.screen.query_one(Input).value = f"Go to {TITLES[section]}"
            await self._settle()

        self.run(search)
        self.press("enter")
        self.model.enter(section)

    @rule(data=st.data())
    def review_finding_jump(self, data: st.DataObject) -> None:
        self.press("ctrl+r")
        assert self.app is not None
        review = self.app.screen
        assert isinstance(review, ReviewScreen)
        if not review.findings:
            self.press("escape")
            return
        review.query_one(TabbedContent).active = "findings"
        index = data.draw(st.integers(0, len(review.findings) - 1), label="finding")
        findings = review.query_one("#finding-list", OptionList)
        findings.focus()
        findings.highlighted = index
        self.run(self._settle)
        path = review.findings[index].path
        self.press("enter")
        self.model.enter(path.split(".")[0], at=path)

    @precondition(lambda self: self.model.in_group())
    @rule()
    def add_row(self) -> None:
        group, index, _ = self.model.group()
        self.press("ctrl+n")
        rows = self.model.get(group)
        at = len(rows) if index is None else index + 1
        rows.insert(at, self.model.new_entry(group))
        self.model.focus_row(group, at, "")

    @precondition(lambda self: self.model.in_group() and self.model.kind() != "add")
    @rule()
    def remove_row(self) -> None:
        group, index, column = self.model.group()
        assert index is not None
        self.press("ctrl+delete")
        rows = self.model.get(group)
        del rows[index]
        self.model.focus_row(group, min(index, len(rows) - 1), column)

    @precondition(lambda self: self.model.in_group() and self.model.kind() != "add")
    @rule(delta=st.sampled_from([-1, 1]))
    def move_row(self, delta: int) -> None:
        group, index, column = self.model.group()
        assert index is not None
        self.press("ctrl+up" if delta < 0 else "ctrl+down")
        rows = self.model.get(group)
        target = index + delta
        if 0 <= target < len(rows):
            rows[index], rows[target] = rows[target], rows[index]
            index = target
        self.model.focus_row(group, index, column)

    @precondition(lambda self: self.model.index() + 1 < len(self.model.stops()))
    @rule()
    def tab(self) -> None:
        self.press("tab")
        self.model.focus = self.model.stops()[self.model.index() + 1][0]

    @precondition(lambda self: self.model.index() > 0)
    @rule()
    def shift_tab(self) -> None:
        self.press("shift+tab")
        self.model.focus = self.model.stops()[self.model.index() - 1][0]

    @rule(text=TEXT)
    def type_text(self, text: str) -> None:
        self.type(*text)
        kind, path = self.model.kind(), self.model.focus
        if kind == "text":
            self.model.set(path, self.model.get(path) + text)
        elif kind == "area":
            value = self.model.get(path)
            at = self.model.cursors.get(path, len(value))
            self.model.set(path, value[:at] + text + value[at:])
            self.model.cursors[path] = at + len(text)
        # Toggles, choices and "+ Add" take no letters.

    @precondition(lambda self: self.model.kind() == "pick")
    @rule()
    def tick(self) -> None:
        """Space on a choice's box: the choice is in the list or out of it, the list
        in the choices' order."""
        self.press("space")
        group, _, index = self.model.focus.rpartition(".")
        section, name = group.split(".")
        choices = field_suggestions(MODELS[section], name)
        choice = choices[int(index)]
        chosen = set(self.model.get(group)) ^ {choice}
        self.model.set(group, [c for c in choices if c in chosen])

    @rule()
    def save(self) -> None:
        self.press("ctrl+s")
        self.wizard.saver.wait()
        self.run(self._settle)
        assert self.on_disk() == self.model.plan

    @rule()
    def quit_and_resume(self) -> None:
        self.press("ctrl+q")
        self._stop()
        assert self.on_disk() == self.model.plan
        # Reopened where it was left: the same section, the field in focus (through
        # the same lookup as a jump), each text area's cursor at its end.
        self.model.cursors = {}
        self.model.enter(self.model.section, at=self.model.focus)
        self._start()

    # --- invariants ----------------------------------------------------------------

    def on_disk(self) -> dict[str, Any]:
        return json.loads(self.draft.path.read_text(encoding="utf-8"))["plan"]

    @invariant()
    def focus_is_where_the_model_says(self) -> None:
        assert self.app is not None
        screen = self.wizard
        focused = self.app.focused
        assert screen.current == self.model.section
        assert focused is not None, "nothing has focus: typing would be dropped"
        assert getattr(focused, "path", None) == self.model.focus, (
            f"focus on {focused!r}, expected {self.model.focus}"
        )
        if self.model.kind() == "add":
            assert isinstance(focused, AddButton)
        if isinstance(focused, TextArea):
            text = focused.text
            at = self.model.cursors.get(self.model.focus, len(self.model.get(self.model.focus)))
            assert focused.document.get_index_from_location(focused.cursor_location) == at, text

    @invariant()
    def memory_holds_what_was_typed(self) -> None:
        assert self.wizard.session.plan.model_dump(mode="json") == self.model.plan


WizardMachine.TestCase.settings = settings(
    max_examples=6,
    stateful_step_count=20,
    derandomize=True,  # the same sequences on every run: CI time is steady
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Shrinking replays whole app runs for minutes; the failing sequence is printed
    # as found. ROLLOUT_PLAN_SHRINK=1 shrinks it when working on a failure.
    phases=list(Phase)
    if os.environ.get("ROLLOUT_PLAN_SHRINK")
    else [Phase.explicit, Phase.generate],
)
test_the_wizard_against_its_model = WizardMachine.TestCase
