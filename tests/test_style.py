"""The code stays formatted and lint-clean: ruff is part of the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [["format", "--check"], ["check"]], ids=" ".join)
def test_ruff(command: list[str]) -> None:
    # Through this interpreter: the virtual environment need not be on PATH.
    ruff = [sys.executable, "-m", "ruff"]
    result = subprocess.run([*ruff, *command, "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
