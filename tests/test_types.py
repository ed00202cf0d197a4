"""mypy checks tui/ with the settings in pyproject.toml ([tool.mypy]): every function
typed, every body checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mypy(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Its cache in tmp_path: nothing left in the repository or /tmp.
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_tui_type_checks(tmp_path: Path) -> None:
    result = mypy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_widget_type_is_an_error(tmp_path: Path) -> None:
    # The settings are strict enough to matter: a Static where a field editor is
    # expected, in an unannotated helper's body, fails the check.
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from textual.widgets import Static\n"
        "from tui.widgets.fields import FieldEditor\n\n"
        "def path_of(editor: FieldEditor) -> str:\n"
        "    return editor.path\n\n"
        "def helper():\n"
        "    return path_of(Static())\n",
        encoding="utf-8",
    )
    result = mypy(tmp_path, "--config-file", str(ROOT / "pyproject.toml"), str(planted))
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'incompatible type "Static"; expected "FieldEditor"' in result.stdout
    assert "Function is missing a return type annotation" in result.stdout
