"""Drafts on disk: one pretty JSON file each, written atomically, private to the user.

Layout (docs/design.md §2): `<root>/drafts/<id>.json` holding
`{"schema_version", "written_by", "id", "created", "updated", "plan"}`, and beside it
`<id>.json.bak`, the version before the last save (an optional `"resume"` key says
where the wizard was left); `<root>/exports/` for
Markdown the app saves. Folders it creates are 0700 and files 0600: plans carry
confidential metrics. A folder that already exists keeps its mode (it may be a shared
1777 folder, or read-only on purpose). A save writes a temporary file in the same
folder, fsyncs it and renames it over the draft, so a crash leaves the old or the new
draft, never a torn one.

Names come from the tool, never from a file's content: a draft's id is its file
name, 8 hex digits, checked before it names anything (an export, a lock). A draft
file whose content says otherwise, or that is too deep, too big or dated out of
range, is unreadable, with the reason; reading one never raises anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tui import __version__
from tui.errors import DraftError, StorageError
from tui.migrations import migrate
from tui.plan import SCHEMA_VERSION, Plan

HOME_ENV = "ROLLOUT_PLAN_HOME"
DRAFT_SUFFIX = ".json"
BACKUP_SUFFIX = ".bak"
LOCK_SUFFIX = ".lock"  # see tui.locks
EXPORT_SUFFIX = ".md"
ID_PATTERN = re.compile(r"[0-9a-f]{8}")
# Far above any plan (GitLab takes descriptions up to 1 MiB), far below what would
# hurt to read: a bigger file in the drafts folder is not a draft.
MAX_DRAFT_BYTES = 16 * 1024 * 1024
# POSIX modes; Windows has no such bits (os.chmod there only sets read-only).
POSIX = os.name != "nt"


def root() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    # platformdirs is only needed when no override is set; imported lazily.
    import platformdirs

    return platformdirs.user_data_path("rollout-plan")


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def private_dir(path: Path) -> Path:
    """The folder, with any missing part created owner-only (0700).

    A folder that already exists is left as it is: the user chose its mode.
    """
    missing: list[Path] = []
    current = path
    try:
        while not current.is_dir() and current.parent != current:
            missing.append(current)
            current = current.parent
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                if not folder.is_dir():
                    raise
                continue  # made by another process meanwhile: not ours to change
            # mkdir's mode passes through the umask; the folder must end up 0700.
            set_mode(folder, 0o700)
    except OSError as error:
        raise StorageError(f"cannot create the folder {path}: {error.strerror}", error) from None
    return path


def set_mode(path: Path | str, mode: int) -> None:
    if POSIX:
        os.chmod(path, mode)


def own_dir(path: Path) -> Path:
    """One of the tool's folders: created private if missing, refused if it belongs to
    another user (who could read, plant or swap what is in it)."""
    private_dir(path)
    if path.is_symlink():
        # A link planted in a shared data folder would send plans wherever it points.
        raise StorageError(
            f"the folder {path} is a link (to {os.readlink(path)}); rollout-plan keeps plans "
            f"only in real folders: remove the link, or set {HOME_ENV} to another folder"
        )
    if POSIX and hasattr(os, "getuid"):
        try:
            owner = path.stat().st_uid
        except OSError as error:
            raise StorageError(f"cannot use the folder {path}: {error.strerror}", error) from None
        if owner != os.getuid():
            raise StorageError(
                f"the folder {path} belongs to another user (uid {owner}); rollout-plan keeps "
                f"plans only in folders of your own (set {HOME_ENV} to one)"
            )
    return path


def drafts_dir() -> Path:
    return own_dir(root() / "drafts")


def exports_dir() -> Path:
    return own_dir(root() / "exports")


def cache_dir() -> Path:
    """Disposable files that make start-up faster (compiled templates)."""
    return own_dir(root() / "cache")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local_time(stamp: str) -> str:
    """A stored timestamp as the user's local time, to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):
        # OverflowError: a date at the edge of the calendar moved into this time zone.
        return "?"


@dataclass(frozen=True)
class Published:
    """The issue `rollout-plan publish` created from the draft: the envelope's
    optional "published" key, which versions before it ignore."""

    url: str
    at: str

    def to_data(self) -> dict[str, str]:
        return {"url": self.url, "at": self.at}

    @classmethod
    def from_data(cls, data: object) -> Published | None:
        """The recorded issue; None when there is none or it is not one (a value
        edited by hand is dropped, not a reason to refuse the whole draft)."""
        if not isinstance(data, dict):
            return None
        url, at = data.get("url"), data.get("at", "")
        if not isinstance(url, str) or not _PUBLISHED_URL.match(url) or not isinstance(at, str):
            return None
        return cls(url, at)


# An http(s) address of printable ASCII: it is shown on the terminal and in lists.
_PUBLISHED_URL = re.compile(r"^https?://[\x21-\x7e]+$")


PLACE_KEY = "resume"
# A section name and a field path as the wizard names them (`evaluation.rows.2.p50`).
PLACE_PATTERN = re.compile(r"[a-z_]{1,40}(\.[a-z0-9_]{1,40}){0,6}")


@dataclass(frozen=True)
class Place:
    """The section and field the wizard was on; both as named in `plan.py`."""

    section: str
    path: str = ""

    @classmethod
    def read(cls, value: object) -> Place | None:
        """The place a draft file records, or None when it records none or a bad one
        (it only says where to put the cursor: never a reason to refuse the draft)."""
        if not isinstance(value, dict):
            return None
        section, path = value.get("section"), value.get("path", "")
        if not isinstance(section, str) or not isinstance(path, str):
            return None
        if not PLACE_PATTERN.fullmatch(section) or (path and not PLACE_PATTERN.fullmatch(path)):
            return None
        return cls(section, path)


@dataclass
class Draft:
    id: str
    created: str
    updated: str
    plan: Plan
    path: Path
    published: Published | None = None
    # Where the wizard was left (section and field path), so it reopens there. An
    # optional key: older releases ignore it, and a draft without it opens on Title.
    place: Place | None = None

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
        if self.published is not None:
            data["published"] = self.published.to_data()
        if self.place is not None:
            data[PLACE_KEY] = {"section": self.place.section, "path": self.place.path}
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
    existing = {path.stem for path in draft_files()}
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in existing:
            return candidate


def draft_path(draft_id: str) -> Path:
    """The file of the draft with this id; the one place an id becomes a path."""
    if not is_valid_id(draft_id):
        raise DraftError(f"{brief(draft_id)} is not a draft id (8 hex digits)")
    return drafts_dir() / f"{draft_id}{DRAFT_SUFFIX}"


def id_of(path: Path) -> str:
    """The draft id that a draft (or backup) file's name gives."""
    name = path.name.removesuffix(BACKUP_SUFFIX)
    stem = name.removesuffix(DRAFT_SUFFIX)
    if stem == name or not is_valid_id(stem):
        raise DraftError(
            f"its name is not a draft's (<id>{DRAFT_SUFFIX}, the id 8 hex digits); "
            "rollout-plan import FILE makes a draft of it"
        )
    return stem


def brief(value: object, limit: int = 40) -> str:
    """A value from a file, quoted for a message: ASCII only, and short."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        text = "?"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def create(plan: Plan | None = None) -> Draft:
    stamp = now()
    draft_id = new_id()
    draft = Draft(
        id=draft_id,
        created=stamp,
        updated=stamp,
        plan=plan or Plan(),
        path=draft_path(draft_id),
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
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise StorageError(f"cannot save {path}: {error.strerror}", error) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        set_mode(temp, 0o600)
        if keep_backup and path.is_file():
            _link_atomic(path, backup_path(path))
        os.replace(temp, path)
        _fsync_dir(folder)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise StorageError(f"cannot save {path}: {error.strerror}", error) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
    # The rename is durable only once the folder's entry is on disk. (Windows cannot
    # open a folder as a file; its renames are durable through NTFS's journal.)
    if not POSIX:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load(path: Path) -> Draft:
    """Read one draft file (or its backup); DraftError names what is wrong with it."""
    try:
        # Non-blocking: a named pipe planted as a draft must not hang every command.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise DraftError("it is not a regular file (a pipe, a device or a folder)")
            raw = handle.read(MAX_DRAFT_BYTES + 1)
    except FileNotFoundError:
        raise DraftError(f"no draft file at {path}") from None
    except OSError as error:
        raise DraftError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_DRAFT_BYTES:
        raise DraftError(f"the file is over {MAX_DRAFT_BYTES // 2**20} MiB: not a draft")
    if not raw.strip():
        raise DraftError("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DraftError("the file is not text (not UTF-8)") from None
    data = _parse_json(text)
    # What is wrong with the content is told first; then whether it is a draft's file.
    draft = _from_data(data, path, "")
    draft.id = id_of(path)
    stored_id = data.get("id", draft.id)
    if stored_id != draft.id:
        raise DraftError(
            f"the id inside, {brief(stored_id)}, is not the file's name ({draft.id}): "
            "the file was renamed or changed by hand"
        )
    return draft


def _parse_json(text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DraftError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise DraftError("nested too deeply to be a draft") from None
    try:
        # A lone surrogate (a JSON "\\ud800") is no character: it could be neither
        # saved nor printed.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise DraftError("it holds text that is not valid Unicode (a lone surrogate)") from None
    except RecursionError:
        raise DraftError("nested too deeply to be a draft") from None
    return data


def _valid_time(data: dict[str, Any], key: str) -> str:
    """A stored timestamp, checked to be one this tool can show and compare."""
    stamp = data.get(key, "")
    if stamp == "":
        return ""
    try:
        if not isinstance(stamp, str):
            raise TypeError
        moment = datetime.fromisoformat(stamp)
        moment.astimezone(UTC)
        moment.astimezone()
    except (TypeError, ValueError, OverflowError, OSError):
        raise DraftError(f"its '{key}' time, {brief(stamp)}, is not a date and time") from None
    return stamp


def _from_data(data: Any, path: Path, draft_id: str) -> Draft:
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
        id=draft_id,
        created=_valid_time(data, "created"),
        updated=_valid_time(data, "updated"),
        plan=plan,
        path=path,
        published=Published.from_data(data.get("published")),
        place=Place.read(data.get(PLACE_KEY)),
    )


def from_json_text(text: str, path: Path) -> Draft:
    """A draft from exported JSON text (used by `import FILE.json`).

    Its id and file are placeholders: the plan goes into a new draft, with an id of
    the tool's, and the id written in the text names nothing.
    """
    data = _parse_json(text)
    return _from_data(data, path, "")


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


def draft_files() -> list[Path]:
    """Every `*.json` file in the drafts folder, by name (a folder that cannot be
    listed is an error, not an empty list)."""
    folder = drafts_dir()
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.endswith(DRAFT_SUFFIX)]
    except OSError as error:
        raise StorageError(f"cannot list {folder}: {error.strerror}", error) from None
    return [folder / name for name in sorted(names)]


def scan() -> tuple[list[Draft], list[Unreadable]]:
    """Every draft, most recently edited first, and every file that could not be read."""
    drafts: list[Draft] = []
    broken: list[Unreadable] = []
    remove_stale_temps(drafts_dir())
    for path in draft_files():
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
    if is_valid_id(ref) and draft_path(ref).is_file():
        return draft_path(ref)
    separators = {"/", os.sep, os.altsep or "/"}
    candidate = Path(ref).expanduser()
    if (any(sep in ref for sep in separators) or ref.endswith(DRAFT_SUFFIX)) and (
        candidate.is_file()
    ):
        return candidate
    matches = [path for path in draft_files() if path.stem.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(path.stem for path in matches[:5])
        raise DraftError(f"'{ref}' matches several drafts ({names}): give more of the id")
    raise DraftError(f"no draft '{ref}' (see `rollout-plan list`)")


def most_recent() -> Draft:
    drafts, broken = scan()
    if not drafts and broken:
        raise DraftError(
            f"no draft can be read ({len(broken)} unreadable: see `rollout-plan list`); "
            "start a new one with `rollout-plan new`"
        )
    if not drafts:
        raise DraftError("there are no drafts yet: start one with `rollout-plan new`")
    return drafts[0]


def restore(ref: str) -> Draft:
    """Put a draft's backup back; the version it replaces becomes the backup, so a
    second restore undoes the first. Works on a draft file that no longer reads."""
    # Imported here: tui.locks builds on this module.
    from tui import locks

    path = find(ref)
    # Two restores at once would both move the same backup in, and lose a version.
    with locks.held(path):
        backup = backup_path(path)
        if not backup.is_file():
            raise DraftError(
                f"draft {path.stem} has no backup yet (one is kept from its first save)"
            )
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
    """Save Markdown as `<root>/exports/<id>.md`, private, and return its path."""
    draft_id = name.removesuffix(EXPORT_SUFFIX)
    if name == draft_id or not is_valid_id(draft_id):
        # Only a draft id names an export; anything else could point anywhere.
        raise DraftError(f"{brief(name)} is not an export name (<draft id>{EXPORT_SUFFIX})")
    path = exports_dir() / name
    write_atomic(path, text)
    return path
