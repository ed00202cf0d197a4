"""A non-editable install works: the wheel carries the templates and the console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_the_templates_and_renders_from_them(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("rollout_plan-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "tui/templates/description.md.j2" in names
        assert "tui/app.tcss" in names  # the wizard's styles
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "rollout-plan = tui.cli:main" in archive.read(entry_points).decode()
        archive.extractall(tmp_path / "site")
    # Run from the unpacked wheel alone, away from the source tree.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tui; print(tui.__file__, file=sys.stderr); "
            "from tui.cli import main; sys.exit(main(['render', '--blank']))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"PYTHONPATH": str(tmp_path / "site"), "ROLLOUT_PLAN_HOME": str(tmp_path / "h")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(str(tmp_path / "site"))
    from tui.plan import Plan
    from tui.render import render

    assert result.stdout == render(Plan())
    # The wizard starts from the wheel too (its styles found), up to its first frame.
    wizard = subprocess.run(
        [sys.executable, "-m", "tui", "new"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={
            "PYTHONPATH": str(tmp_path / "site"),
            "ROLLOUT_PLAN_HOME": str(tmp_path / "h"),
            "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
            "ROLLOUT_PLAN_EXIT_WHEN_READY": "1",
        },
    )
    assert wizard.returncode == 0, wizard.stderr
    assert "Come back with: rollout-plan resume" in wizard.stdout
