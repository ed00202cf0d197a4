"""Guard rails on the code's shape: what may import what (pyproject's [tool.importlinter])."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import tui

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    # --no-cache: no .import_linter_cache in the work tree, and no stale graph.
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_core_modules_never_import_textual_screens_or_widgets() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_breaks_when_a_core_module_imports_textual(tmp_path: Path) -> None:
    # Guard the guard: the same contract, on a copy of the package whose plan.py
    # imports Textual, must fail and name the chain.
    copy = tmp_path / "tui"
    shutil.copytree(Path(tui.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    plan = copy / "plan.py"
    plan.write_text(plan.read_text() + "\nimport textual  # planted by the test\n")
    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken" in result.stdout
    assert "tui.plan -> textual" in result.stdout
