"""Plans hold confidential metrics: private files, and nothing that reaches the network."""

from __future__ import annotations

import ast
import stat
from pathlib import Path

from tests.plans import code_review_plan
from tui import drafts, locks

PACKAGE = Path(__file__).resolve().parents[1] / "tui"
NETWORK_MODULES = {"urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "ssl"}


def imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_the_product_imports_a_network_library() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_modules(path) & NETWORK_MODULES)
        for path in PACKAGE.rglob("*.py")
        if imported_modules(path) & NETWORK_MODULES
    }
    assert offenders == {}
    # socket only names the host in a lock file; it opens no connection.
    users = sorted(p.name for p in PACKAGE.rglob("*.py") if "socket" in imported_modules(p))
    assert users == ["locks.py"]
    assert "connect" not in (PACKAGE / "locks.py").read_text()


def test_drafts_backups_locks_and_exports_are_private(home: Path) -> None:
    draft = drafts.create(code_review_plan())
    drafts.save(draft)
    locks.acquire(draft.path)
    exported = drafts.export_markdown(f"{draft.id}.md", "text")
    files = [draft.path, drafts.backup_path(draft.path), locks.lock_path(draft.path), exported]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (home, home / "drafts", home / "exports"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
