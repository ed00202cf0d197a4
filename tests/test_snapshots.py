"""Every screen, compared with its stored SVG at 100×32 and 80×24.

After an intended change of the look: `pytest tests/test_snapshots.py
--snapshot-update`, then `python -m tests.screenshots` for the README's pictures.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.scenarios import SIZES, Scenario, pinned, scenarios

CASES = [(scenario, size) for scenario in scenarios() for size in scenario.sizes]


# Spread over the workers: only the scenarios that show the data folder's path share
# the fixed one, and scenarios.pinned has them take turns.
@pytest.mark.parametrize(
    ("scenario", "size"), CASES, ids=[f"{scenario.name}-{size}" for scenario, size in CASES]
)
def test_screen(scenario: Scenario, size: str, snap_compare: Any) -> None:
    with pinned(scenario.shows_home):
        app = scenario.app()
        assert snap_compare(app, terminal_size=SIZES[size], run_before=scenario.before)
