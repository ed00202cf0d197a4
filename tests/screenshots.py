"""Write `screenshots/<screen>.svg` for every screen: `python -m tests.screenshots`.

The pictures come from the scenarios the snapshot tests check, at 100×32.
"""

from __future__ import annotations

from pathlib import Path

from textual._doc import take_svg_screenshot  # what pytest-textual-snapshot uses

from tests.scenarios import SIZES, pinned, scenarios

OUT = Path(__file__).resolve().parent.parent / "screenshots"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.svg"):
        old.unlink()
    for scenario in scenarios():
        size = scenario.sizes[0]
        with pinned():
            svg = take_svg_screenshot(
                app=scenario.app(),
                terminal_size=SIZES[size],
                run_before=scenario.before,
                title=f"rollout-plan · {scenario.name}",
            )
        (OUT / f"{scenario.name}.svg").write_text(svg, encoding="utf-8")
        print(f"screenshots/{scenario.name}.svg")


if __name__ == "__main__":
    main()
