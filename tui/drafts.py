"""Drafts on disk: one pretty JSON file each, written atomically, private to the user.

Layout (DESIGN §2): `<root>/drafts/<id>.json` holding
`{"schema_version", "written_by", "id", "created", "updated", "plan"}`, and beside it
`<id>.json.bak`, the version before the last save; `<root>/exports/` for
Markdown the app saves. Folders are 0700 and files 0600: plans carry confidential
metrics. A save writes a temporary file in the same folder, fsyncs it and renames
it over the draft, so a crash leaves the old or the new draft, never a torn one.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tui import __version__
from tui.errors import DraftError
from tui.migrations import migrate
from tui.plan import SCHEMA_VERSION, Plan

HOME_ENV = "ROLLOUT_PLAN_HOME"
DRAFT_SUFFIX = ".json"
BACKUP_SUFFIX = ".bak"
LOCK_SUFFIX = ".lock"  # see tui.locks


def root() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    # platformdirs is only needed when no override is set; imported lazily.
    import platformdirs

    return platformdirs.user_data_path("rollout-plan")


def private_dir(path: Path) -> Path:
    """Create the folder (and parents) if needed, and make it owner-only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def drafts_dir() -> Path:
    return private_dir(private_dir(root()) / "drafts")


def exports_dir() -> Path:
    return private_dir(private_dir(root()) / "exports")


def cache_dir() -> Path:
    """Disposable files that make start-up faster (compiled templates)."""
    return private_dir(private_dir(root()) / "cache")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local_time(stamp: str) -> str:
    """A stored timestamp as the user's local time, to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp or "?"


@dataclass
class Draft:
    id: str
    created: str
    updated: str
    plan: Plan
    path: Path

    @property
    def title(self) -> str:
        return self.plan.title.title.strip() or self.plan.suggested_title()

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "written_by": f"rollout-plan {__version__}",
            "id": self.id,
            "created": self.created,
            "updated": self.updated,
            "plan": self.plan.model_dump(mode="json"),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@dataclass
class Unreadable:
    """A file in the drafts folder that could not be read, and why."""

    path: Path
    reason: str

    @property
    def id(self) -> str:
        return self.path.stem


def new_id() -> str:
    existing = {path.stem for path in drafts_dir().glob(f"*{DRAFT_SUFFIX}")}
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in existing:
            return candidate


def create(plan: Plan | None = None) -> Draft:
    stamp = now()
    draft_id = new_id()
    draft = Draft(
        id=draft_id,
        created=stamp,
        updated=stamp,
        plan=plan or Plan(),
        path=drafts_dir() / f"{draft_id}{DRAFT_SUFFIX}",
    )
    write_atomic(draft.path, draft.to_json())
    return draft


def save(draft: Draft) -> Draft:
    draft.updated = now()
    write_atomic(draft.path, draft.to_json(), keep_backup=True)
    return draft


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def write_atomic(path: Path, text: str, keep_backup: bool = False) -> None:
    """Replace `path` with `text` so that a crash leaves either version, whole.

    With `keep_backup`, the version being replaced becomes `<path>.bak` first (a
    hard link, swapped in atomically too), so the last save can always be undone.
    """
    folder = private_dir(path.parent)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        if keep_backup and path.is_file():
            _link_atomic(path, backup_path(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _link_atomic(source: Path, target: Path) -> None:
    """Make `target` another name for `source`'s current content, atomically."""
    link = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    os.link(source, link)
    try:
        os.replace(link, target)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load(path: Path) -> Draft:
    """Read one draft file; DraftError names what is wrong with it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftError(f"no draft file at {path}") from None
    except OSError as error:
        raise DraftError(f"cannot read {path}: {error.strerror}") from None
    if not raw.strip():
        raise DraftError("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DraftError("the file is not text (not UTF-8)") from None
    except json.JSONDecodeError as error:
        raise DraftError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    return _from_data(data, path)


def _from_data(data: Any, path: Path) -> Draft:
    if not isinstance(data, dict) or "plan" not in data:
        raise DraftError("not a rollout-plan draft (no plan in it)")
    version = data.get("schema_version")
    if not isinstance(version, int):
        raise DraftError("not a rollout-plan draft (no schema_version)")
    if version > SCHEMA_VERSION:
        writer = str(data.get("written_by") or "a newer rollout-plan")
        raise DraftError(
            f"written by {writer} (schema {version}; this one, {__version__}, reads up to "
            f"{SCHEMA_VERSION}): upgrade rollout-plan to open it"
        )
    if version < 1:
        raise DraftError(f"not a rollout-plan draft (schema_version {version})")
    data = migrate(data, SCHEMA_VERSION)
    try:
        plan = Plan.model_validate(data["plan"])
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise DraftError(f"the plan does not fit the model at {where}: {first['msg']}") from None
    return Draft(
        id=str(data.get("id") or path.stem),
        created=str(data.get("created", "")),
        updated=str(data.get("updated", "")),
        plan=plan,
        path=path,
    )


def from_json_text(text: str, path: Path) -> Draft:
    """A draft from exported JSON text (used by `import FILE.json`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DraftError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    return _from_data(data, path)


# A temporary file this old was left by a save that was killed; a live save takes
# milliseconds.
STALE_TEMP_SECONDS = 3600


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files that interrupted saves left behind (never a draft)."""
    removed = []
    cutoff = time.time() - STALE_TEMP_SECONDS
    for temp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
                removed.append(temp)
    return removed


def scan() -> tuple[list[Draft], list[Unreadable]]:
    """Every draft, most recently edited first, and every file that could not be read."""
    drafts: list[Draft] = []
    broken: list[Unreadable] = []
    remove_stale_temps(drafts_dir())
    for path in sorted(drafts_dir().glob(f"*{DRAFT_SUFFIX}")):
        try:
            drafts.append(load(path))
        except DraftError as error:
            broken.append(Unreadable(path, str(error)))
    drafts.sort(key=lambda draft: draft.updated, reverse=True)
    return drafts, broken


def resolve(ref: str) -> Draft:
    """A draft by id, unique id prefix, or path to a draft file."""
    return load(find(ref))


def find(ref: str) -> Path:
    """The file of a draft by id, unique id prefix or path, readable or not."""
    ref = ref.strip()
    if not ref:
        raise DraftError("give a draft id (see `rollout-plan list`)")
    folder = drafts_dir()
    exact = folder / f"{ref}{DRAFT_SUFFIX}"
    if "/" not in ref and exact.is_file():
        return exact
    candidate = Path(ref).expanduser()
    if ("/" in ref or ref.endswith(DRAFT_SUFFIX)) and candidate.is_file():
        return candidate
    matches = sorted(path for path in folder.glob(f"*{DRAFT_SUFFIX}") if path.stem.startswith(ref))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(path.stem for path in matches[:5])
        raise DraftError(f"'{ref}' matches several drafts ({names}): give more of the id")
    raise DraftError(f"no draft '{ref}' (see `rollout-plan list`)")


def most_recent() -> Draft:
    drafts, _ = scan()
    if not drafts:
        raise DraftError("there are no drafts yet: start one with `rollout-plan new`")
    return drafts[0]


def restore(ref: str) -> Draft:
    """Put a draft's backup back; the version it replaces becomes the backup, so a
    second restore undoes the first. Works on a draft file that no longer reads."""
    path = find(ref)
    backup = backup_path(path)
    if not backup.is_file():
        raise DraftError(f"draft {path.stem} has no backup yet (one is kept from its first save)")
    try:
        restored = load(backup)
    except DraftError as error:
        raise DraftError(f"the backup of {path.stem} cannot be read either: {error}") from None
    write_atomic(path, backup.read_text(encoding="utf-8"), keep_backup=path.is_file())
    restored.path = path
    return restored


def has_readable_backup(path: Path) -> bool:
    try:
        load(backup_path(path))
    except DraftError:
        return False
    return True


def delete(draft: Draft) -> None:
    draft.path.unlink(missing_ok=True)
    backup_path(draft.path).unlink(missing_ok=True)
    draft.path.with_name(draft.path.name + LOCK_SUFFIX).unlink(missing_ok=True)


def export_markdown(name: str, text: str) -> Path:
    """Save Markdown under `<root>/exports/`, private, and return its path."""
    path = exports_dir() / name
    write_atomic(path, text)
    return path
