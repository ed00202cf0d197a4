"""Guard rails on the code's shape: what may import what (pyproject's [tool.importlinter])."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui
from tests import tmp_guard

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


LITTERING_TESTS = """
import os
import tempfile
from pathlib import Path


def test_clean(tmp_path):
    (tmp_path / "kept-in-tmp-path").write_text("fine")


def test_forgets_a_mkdtemp():
    tempfile.mkdtemp(prefix="left-behind-")


def test_writes_past_tmpdir():
    (Path(os.environ["SYSTEM_TMP"]) / "rollout-plan-by-hand").mkdir()
"""


def run_guarded(
    tmp_path: Path, *selection: str, options: tuple[str, ...] = ()
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run LITTERING_TESTS under tests/tmp_guard.py with its own system temporary
    folder; the result and that folder."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir(exist_ok=True)
    run = tmp_path / "run"
    run.mkdir(exist_ok=True)
    (run / "pytest.ini").write_text("[pytest]\n")  # none of this project's options
    (run / "test_littering.py").write_text(LITTERING_TESTS)
    env = {
        **os.environ,
        "TMPDIR": str(system_tmp),
        "SYSTEM_TMP": str(system_tmp),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.tmp_guard",
            "-p",
            "no:cacheprovider",
            *options,
            *[f"test_littering.py::{name}" for name in selection],
        ],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, system_tmp


def test_a_clean_run_leaves_the_temporary_folder_as_it_found_it(tmp_path: Path) -> None:
    result, system_tmp = run_guarded(tmp_path, "test_clean")
    assert result.returncode == 0, result.stdout + result.stderr
    # pytest's own tmp_path folders went with the run's private folder.
    assert list(system_tmp.iterdir()) == []


@pytest.mark.parametrize("workers", [0, 2], ids=["one process", "xdist"])
def test_litter_in_the_temporary_folder_fails_the_run_and_is_named(
    tmp_path: Path, workers: int
) -> None:
    # Under pytest-xdist the workers' mkdtemp lands in the controller's folder too.
    options = ("-n", str(workers)) if workers else ()
    if workers:
        pytest.importorskip("xdist")
    result, system_tmp = run_guarded(
        tmp_path, "test_forgets_a_mkdtemp", "test_writes_past_tmpdir", options=options
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed" in result.stdout  # the tests passed; the litter failed the run
    named = [line.strip() for line in result.stdout.splitlines() if line.startswith("  /")]
    assert [Path(line).name.startswith("left-behind-") for line in named] == [True, False]
    assert named[1] == str(system_tmp / "rollout-plan-by-hand")


def test_a_failed_run_keeps_its_folder_until_the_next_run_ends_it(tmp_path: Path) -> None:
    failed, system_tmp = run_guarded(tmp_path, "test_forgets_a_mkdtemp")
    assert failed.returncode == 1
    [kept] = system_tmp.glob("rollout-plan-tests-*")
    assert f"Kept for a look, with the tests' tmp_path folders: {kept}" in failed.stdout
    # A run still going holds its folder's lock: the next run leaves that one alone.
    running = system_tmp / "rollout-plan-tests-running"
    running.mkdir()
    lock = tmp_guard.locked(running)
    try:
        clean, _ = run_guarded(tmp_path, "test_clean")
    finally:
        assert lock is not None
        os.close(lock)
    assert clean.returncode == 0, clean.stdout
    assert list(system_tmp.iterdir()) == [running]


def test_design_citations_name_sections_of_docs_design() -> None:
    # Comments cite the design as "docs/design.md §n": each §n must be a section there,
    # and no citation may point outside the repository (the bare form the code once had).
    outside = "DESIGN" + " §"  # spelled apart so this file does not match itself
    sections = set(re.findall(r"^## (\d+)\. ", (ROOT / "docs" / "design.md").read_text(), re.M))
    files = [
        ROOT / "README.md",
        *(p for d in ("tui", "tests", "bench") for p in (ROOT / d).rglob("*.py")),
    ]
    cited: dict[str, set[str]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert outside not in text, f"{path} cites the design outside the repository"
        for number in re.findall(r"docs/design\.md §(\d+)", text):
            cited.setdefault(number, set()).add(path.name)
    assert cited, "no citation found: the pattern is wrong"
    assert {n: names for n, names in cited.items() if n not in sections} == {}
