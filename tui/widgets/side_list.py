"""The wizard's side list: every section with its mark, the engineer's own sections
under the one each follows, and Review last."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.plan import REQUIRED_SECTIONS, sections
from tui.session import Session

REVIEW = "review"  # the option after the sections
SIDE_WIDTH = 20  # of a section of one's own in the side list, after its indent


def _key(title: str) -> str:
    # Section titles compared as the renderer does: case and runs of spaces aside.
    return " ".join(title.lower().split())


class SectionList(OptionList):
    def __init__(self, session: Session) -> None:
        options = [Option(spec.title, id=spec.name) for spec in sections()]
        options.append(Option("  Review", id=REVIEW))
        super().__init__(*options, id="sections")
        self.session = session
        self._prompts: dict[str, str] = {}  # what each line shows

    def refresh_marks(self) -> None:
        """Redraw the lines whose mark, left-out state or own sections changed."""
        for index, spec in enumerate(sections()):
            prompt = self._prompt(spec.name, spec.title)
            if self._prompts.get(spec.name) != prompt.plain:
                self._prompts[spec.name] = prompt.plain
                self.replace_option_prompt_at_index(index, prompt)

    def _prompt(self, name: str, title: str) -> Content:
        """A section's line: its mark and title, dimmed and marked when the plan
        leaves it out; below it, indented, the engineer's own sections that follow
        it (those at the end, under Your sections)."""
        document = self.session.plan.document
        left_out = {_key(t) for t in document.left_out} - {_key(t) for t in REQUIRED_SECTIONS}
        if _key(title) in left_out:
            line = Content.assemble(("  ", ""), (f"{title} · left out", "dim"))
        else:
            line = Content(f"{self.session.mark(name)} {title}")
        titles = {_key(s.title) for s in sections() if s.name != "document"}
        for custom in document.custom:
            place = _key(custom.after) if _key(custom.after) in titles else ""
            if place == _key(title) or (not place and name == "document"):
                own = custom.title.strip() or "(untitled)"
                if len(own) > SIDE_WIDTH:
                    own = own[: SIDE_WIDTH - 1] + "…"
                line = Content.assemble(line, ("\n   ↳ " + own, "italic"))
        return line
