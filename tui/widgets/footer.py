"""The order of a screen's keys in its footer (and its keys panel).

A footer too narrow for every key cuts the last ones. Textual lists the focused
widget's keys first, then its containers', then the screen's, so the keys a user
needs to get on (Next, Back, Review) would be the first cut. A screen with this
mixin lists its `FOOTER_FIRST` actions first, its `FOOTER_LAST` actions last, and
the others between in Textual's order. Each action shows under the key declared
first for it (f8 rather than ctrl+pagedown), or under the first a keymap gives.
"""

from __future__ import annotations

from typing import ClassVar

from textual.screen import Screen

ActiveBindings = dict  # key → textual.binding.ActiveBinding


class FooterOrder(Screen):  # type: ignore[type-arg]
    FOOTER_FIRST: ClassVar[tuple[str, ...]] = ()
    FOOTER_LAST: ClassVar[tuple[str, ...]] = ("app.keys", "app.quit")

    @property
    def active_bindings(self) -> ActiveBindings:
        active = super().active_bindings
        middle = len(self.FOOTER_FIRST)

        def rank(item: tuple[int, tuple[str, object]]) -> tuple[int, int]:
            position, (key, entry) = item
            action = entry.binding.action  # type: ignore[attr-defined]
            if action in self.FOOTER_FIRST:
                group = self.FOOTER_FIRST.index(action)
            elif action in self.FOOTER_LAST:
                group = middle + 1 + self.FOOTER_LAST.index(action)
            else:
                return middle, position  # as Textual lists them
            # One action's keys: the one declared first leads.
            declared = list(entry.node._bindings.key_to_bindings)  # type: ignore[attr-defined]
            return group, declared.index(key) if key in declared else len(declared)

        ordered = sorted(enumerate(active.items()), key=rank)
        return {key: entry for _, (key, entry) in ordered}
