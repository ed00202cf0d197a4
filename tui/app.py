"""The wizard: a thin App that opens drafts on the home screen or straight in the
section screens. The state lives in `session.Session`; the screens show it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen

from tui import keymap, locks
from tui.drafts import Draft
from tui.errors import StorageError
from tui.session import Session
from tui.terminal import safe

if TYPE_CHECKING:
    from tui.screens.dialogs import TooSmall
    from tui.screens.home import HomeScreen
    from tui.screens.wizard import WizardScreen

EXIT_WHEN_READY = "ROLLOUT_PLAN_EXIT_WHEN_READY"

# Below this the layout cannot show a label, a field and the side list.
MIN_WIDTH, MIN_HEIGHT = 70, 20


HANG_UP_GRACE = 3.0  # seconds a hung-up app has to end by itself


# The app's own keys as each screen's footer shows them, after the screen's keys.
FOOTER_TAIL = [
    Binding("f1", "app.keys", "Keys", id="footer.keys"),
    Binding("ctrl+q", "app.quit", "Quit", id="footer.quit"),
]


@runtime_checkable
class Flushes(Protocol):
    """A screen holding typed text that quitting must save first."""

    def flush(self) -> None: ...


@runtime_checkable
class HasCommands(Protocol):
    """A screen with commands of its own in the command palette."""

    def system_commands(self) -> Iterable[SystemCommand]: ...


def binding_ids() -> set[str]:
    """Every binding id a keymap may name."""
    from tui.screens.home import HomeScreen
    from tui.screens.review import ReviewScreen
    from tui.screens.wizard import WizardScreen
    from tui.widgets.fields import LongTextField, StateField, TextField
    from tui.widgets.form import SectionForm
    from tui.widgets.groups import GroupEditor, RowsEditor

    classes = [RolloutApp, HomeScreen, ReviewScreen, WizardScreen, SectionForm]
    classes += [GroupEditor, RowsEditor, StateField, TextField, LongTextField]
    return {
        binding.id
        for cls in classes
        for ancestor in cls.__mro__
        for binding in getattr(ancestor, "BINDINGS", [])
        if isinstance(binding, Binding) and binding.id and not binding.id.startswith("footer.")
    }


class RolloutApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "rollout-plan"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # Not shown here: the app's keys would come first in every footer, and a
        # narrow footer keeps only its first keys. Each screen shows these last
        # (FOOTER_TAIL).
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        Binding("f1", "keys", "Keys", id="app.keys", show=False),
    ]

    def __init__(self, draft: Draft | None = None, section: str | None = None) -> None:
        super().__init__()
        self.initial_draft = draft
        self.initial_section = section
        self.too_small: TooSmall | None = None  # the notice, while the terminal is too small
        self.keymap: dict[str, str] = {}  # the user's keys by binding id, as the footers order them

    def on_mount(self) -> None:
        self._load_keymap()
        self._watch_hangups()
        if self.initial_draft is None:
            self.show_home()
        else:
            self.open_draft(self.initial_draft, self.initial_section)
        self.call_after_refresh(self._check_size)

    def on_ready(self) -> None:
        # bench/run.py measures start-up to the first interactive frame, then leaves.
        if os.environ.get(EXIT_WHEN_READY):
            self.call_after_refresh(self.exit)

    # --- keys ----------------------------------------------------------------------

    def _load_keymap(self) -> None:
        try:
            keys = keymap.load(binding_ids)
        except keymap.KeymapError as error:
            self.notify(
                safe(f"{error}; the default keys apply."),
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        for own in ("keys", "quit"):  # the footers show the app's keys under their own ids
            if f"app.{own}" in keys:
                keys[f"footer.{own}"] = keys[f"app.{own}"]
        self.keymap = keys
        self.set_keymap(keys)

    def action_keys(self) -> None:
        """Show (or hide) every key of the screen, beside it."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # --- what the screens ask for --------------------------------------------------

    def on_home_screen_open_draft(self, message: HomeScreen.OpenDraft) -> None:
        self.open_draft(message.draft)

    def on_wizard_screen_open_draft(self, message: WizardScreen.OpenDraft) -> None:
        self.open_draft(message.draft, message.section)

    def on_wizard_screen_show_home(self, message: WizardScreen.ShowHome) -> None:
        self.show_home()

    # --- opening drafts ------------------------------------------------------------

    def open_draft(self, draft: Draft, section: str | None = None) -> None:
        """Open a draft in the section screens, unless another wizard has it open;
        on `section`, else where it was left (its first field, if never)."""
        try:
            other = locks.acquire(draft.path)
        except StorageError as error:
            # No lock, no saving either (a read-only folder, a full disk): show the plan.
            session = Session(draft)
            session.read_only = True
            self._show_wizard(session, section)
            self.notify(
                safe(f"{error}. The draft is open read-only."),
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        if other is None:
            self._show_wizard(Session(draft), section)
            return
        from tui.screens.lock_dialogs import LockAnswer, open_locked

        def chosen(answer: LockAnswer | None) -> None:
            if answer is LockAnswer.TAKE:
                locks.acquire(draft.path, take_over=True)
                self._show_wizard(Session(draft), section)
            elif answer is LockAnswer.READ:
                session = Session(draft)
                session.read_only = True
                self._show_wizard(session, section)
            elif not self.screen_stack or len(self.screen_stack) <= 1:
                self.show_home()

        self.push_screen(open_locked(draft, other), chosen)

    def _show_wizard(self, session: Session, section: str | None) -> None:
        from tui.screens.wizard import WizardScreen

        place = session.draft.place
        if section is None and place is not None:
            self._replace_top(WizardScreen(session, place.section, place.path))
        else:
            self._replace_top(WizardScreen(session, section))

    def show_home(self) -> None:
        from tui.screens.home import HomeScreen

        self._replace_top(HomeScreen())

    def _replace_top(self, screen: Screen[None]) -> None:
        # The default screen stays at the bottom; one working screen sits on it.
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # --- quitting never loses typed text -------------------------------------------

    def flush(self) -> None:
        """Save every open draft now, on this thread (quit, hang-up)."""
        for screen in self.screen_stack:
            if isinstance(screen, Flushes):
                screen.flush()

    async def action_quit(self) -> None:
        self.flush()
        self.exit()

    def _watch_hangups(self) -> None:
        # A closed SSH session or terminal sends SIGHUP; save before going.
        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._hang_up)

    def _hang_up(self) -> None:
        self.flush()
        # The terminal is gone and the drafts are saved. Restoring a terminal that no
        # longer exists has left the process running (spinning, once its data folder
        # went too): if it has not ended in a few seconds, it is ended.
        ender = threading.Timer(HANG_UP_GRACE, os._exit, args=(0,))
        ender.daemon = True
        ender.start()
        self.exit()

    # --- terminal size -------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size | None = None) -> None:
        from tui.screens.dialogs import TooSmall

        size = size or self.size
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        shown = self.too_small is not None and self.screen is self.too_small
        if small and not shown:
            self.too_small = TooSmall(MIN_WIDTH, MIN_HEIGHT)
            self.push_screen(self.too_small)
        elif not small and shown:
            self.pop_screen()
            self.too_small = None
        elif small:
            self.screen.refresh()

    # --- command palette -----------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, HasCommands):
            yield from screen.system_commands()
        yield SystemCommand("Quit", "Save and quit", self.action_quit)
