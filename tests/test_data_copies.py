"""tests/data holds copies of ../shared so the suite runs anywhere; keep them in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import (
    CODE_REVIEW,
    DUO_WORKFLOW,
    OLDER_TEMPLATE,
    PREDECESSOR_TEMPLATE,
    TEMPLATE,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared beside this checkout")
@pytest.mark.parametrize(
    ("copy", "original"),
    [
        (TEMPLATE, "reference/ai-model-rollout-template.md"),
        (CODE_REVIEW, "examples/code-review-summary-filled.md"),
        (DUO_WORKFLOW, "examples/duo-workflow-early.md"),
        (OLDER_TEMPLATE, "reference/template-older-model-rollout.md"),
        (PREDECESSOR_TEMPLATE, "reference/template-code-suggestions-predecessor.md"),
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_copy_matches_shared(copy: Path, original: str) -> None:
    assert copy.read_bytes() == (SHARED / original).read_bytes(), f"refresh {copy} from shared/"
