"""The order of a screen's keys in its footer (and its keys panel).

A footer too narrow for every key cuts the last ones. Textual lists the focused
widget's keys first, then its containers', then the screen's, so the keys a user
needs to get on (Next, Back, Review) would be the first cut. A screen with this
mixin lists its `FOOTER_FIRST` actions first, its `FOOTER_LAST` actions last, and
the others between in Textual's order. Each action shows under the key declared
first for it (f8 rather than ctrl+pagedown), or under the first a keymap gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

import textual.widgets
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen


def declared_keys(node: DOMNode, binding_id: str | None, keymap: Mapping[str, str]) -> list[str]:
    """The keys of the binding `binding_id` of `node`, in the order the keymap or the
    node's class declares them ([] for a binding without an id)."""
    if binding_id is None:
        return []
    keys = keymap.get(binding_id)
    if keys is None:
        declared = (
            binding
            for cls in type(node).__mro__
            for binding in vars(cls).get("BINDINGS", [])
            if isinstance(binding, Binding) and binding.id == binding_id
        )
        keys = next((binding.key for binding in declared), "")
    return [key.strip() for key in keys.split(",") if key.strip()]


class FooterOrder(Screen[Any]):
    FOOTER_FIRST: ClassVar[tuple[str, ...]] = ()
    FOOTER_LAST: ClassVar[tuple[str, ...]] = ("app.keys", "app.quit")

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        from tui.app import RolloutApp

        active = super().active_bindings
        middle = len(self.FOOTER_FIRST)
        keymap = self.app.keymap if isinstance(self.app, RolloutApp) else {}

        def rank(item: tuple[int, tuple[str, ActiveBinding]]) -> tuple[int, int]:
            position, (key, entry) = item
            action = entry.binding.action
            if action in self.FOOTER_FIRST:
                group = self.FOOTER_FIRST.index(action)
            elif action in self.FOOTER_LAST:
                group = middle + 1 + self.FOOTER_LAST.index(action)
            else:
                return middle, position  # as Textual lists them
            # One action's keys: the one declared first leads.
            declared = declared_keys(entry.node, entry.binding.id, keymap)
            return group, declared.index(key) if key in declared else len(declared)

        ordered = sorted(enumerate(active.items()), key=rank)
        return {key: _named(entry) for _, (key, entry) in ordered}


def _named(entry: ActiveBinding) -> ActiveBinding:
    """A group's row keys say what its rows are: "Add section", "Remove item"."""
    from tui.widgets.groups import GroupEditor

    binding = entry.binding
    if isinstance(entry.node, GroupEditor) and binding.description.endswith(" row"):
        described = binding.description.removesuffix("row") + entry.node.noun
        return entry._replace(binding=replace(binding, description=described))
    return entry


class Footer(textual.widgets.Footer):
    """Textual's footer, rebuilt only when the keys it would show change.

    Textual rebuilds every key of the footer (a widget each, styled anew) whenever
    the focus moves, the commonest thing in a form; moving between a form's fields
    mostly leaves the keys as they were."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus:
            self._shown = None  # Textual waits for the focus to come back to rebuild
        else:
            shown = tuple(
                (key, binding.description, binding.action, enabled, tooltip)
                for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                if binding.show
            )
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
