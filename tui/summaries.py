"""What the drafts list shows of each draft (title, FF issue, times, finding counts),
kept in a cache so that listing 1,000 drafts does not read and check 1,000 plans.

A summary is reused while its draft file is the same file as when it was made: same
inode, modification time (ns) and size. Saves replace the file (a new inode), so any
save, by this tool or another, makes the summary stale. The cache is one private
file in `<root>/cache/`; it is disposable: a cache that is missing, unreadable,
from another version or malformed is ignored and rebuilt, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tui import __version__, drafts
from tui.drafts import Draft, Unreadable
from tui.errors import DraftError, StorageError
from tui.plan import SCHEMA_VERSION

CACHE_NAME = "summaries.json"
# Counts depend on the checks of this version, titles on this schema.
CACHE_VERSION = f"{__version__}/{SCHEMA_VERSION}/2"
MAX_CACHE_BYTES = 64 * 1024 * 1024
FileKey = tuple[int, int, int]  # inode, mtime in ns, size


@dataclass(frozen=True)
class Summary:
    id: str
    path: Path
    title: str
    ff_issue: str
    created: str
    updated: str
    # None until the plan was read and checked (the home screen fills them in later).
    errors: int | None
    warnings: int | None
    # The address of the issue `publish` created from it ("" while there is none).
    published: str = ""

    @property
    def counted(self) -> bool:
        return self.errors is not None and self.warnings is not None


_FIELDS = {"title": str, "ff_issue": str, "created": str, "updated": str, "published": str}


def of(draft: Draft) -> Summary:
    """The summary of a draft that was read: its plan checked, its findings counted."""
    # Imported here: the checks are the costly part, and a cached list never needs them.
    from tui.checks import Level, check

    findings = check(draft.plan)
    return Summary(
        id=draft.id,
        path=draft.path,
        title=draft.title,
        ff_issue=draft.plan.overview.ff_issue.strip(),
        created=draft.created,
        updated=draft.updated,
        errors=sum(f.level is Level.ERROR for f in findings),
        warnings=sum(f.level is Level.WARNING for f in findings),
        published=draft.published.url if draft.published else "",
    )


def file_key(path: Path) -> FileKey | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class Cache:
    """The summaries of the drafts folder's files, by file name."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[FileKey, Summary]] = {}
        self._changed = False
        self._path: Path | None = None
        try:
            self._path = drafts.cache_dir() / CACHE_NAME
        except StorageError:
            return  # no cache folder: every summary is made afresh
        self._entries = _read(self._path, drafts.drafts_dir())

    def get(self, path: Path, key: FileKey | None) -> Summary | None:
        entry = self._entries.get(path.name)
        if key is None or entry is None or entry[0] != key:
            return None
        return entry[1]

    def put(self, key: FileKey | None, summary: Summary) -> None:
        if key is None or not summary.counted:
            return
        self._entries[summary.path.name] = (key, summary)
        self._changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget the files that are gone (deleted drafts)."""
        gone = set(self._entries) - names
        for name in gone:
            del self._entries[name]
        self._changed = self._changed or bool(gone)

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written is skipped."""
        if not self._changed or self._path is None:
            return
        data = {
            "version": CACHE_VERSION,
            "entries": {
                name: {"key": list(key), **_stored(summary)}
                for name, (key, summary) in self._entries.items()
            },
        }
        with contextlib.suppress(StorageError, OSError):
            drafts.write_atomic(self._path, json.dumps(data, ensure_ascii=False))  # 0600
            self._changed = False


def _stored(summary: Summary) -> dict[str, Any]:
    stored = asdict(summary)
    del stored["path"], stored["id"]  # both come from the file's name
    return stored


def _read(path: Path, folder: Path) -> dict[str, tuple[FileKey, Summary]]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CACHE_BYTES + 1)
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        len(raw) > MAX_CACHE_BYTES
        or not isinstance(data, dict)
        or data.get("version") != CACHE_VERSION
    ):
        return {}
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return {}
    result = {}
    for name, entry in entries.items():
        summary = _entry(folder, name, entry)
        if summary is not None:
            result[name] = summary
    return result


def _entry(folder: Path, name: str, entry: Any) -> tuple[FileKey, Summary] | None:
    """One cached summary, checked: anything unexpected in it drops just that entry."""
    if not isinstance(entry, dict) or not name.endswith(drafts.DRAFT_SUFFIX):
        return None
    draft_id = name.removesuffix(drafts.DRAFT_SUFFIX)
    key = entry.get("key")
    if not drafts.is_valid_id(draft_id) or not (
        isinstance(key, list) and len(key) == 3 and all(type(part) is int for part in key)
    ):
        return None
    if not all(isinstance(entry.get(field), kind) for field, kind in _FIELDS.items()):
        return None
    counts = entry.get("errors"), entry.get("warnings")
    if not all(type(count) is int and count >= 0 for count in counts):
        return None
    summary = Summary(
        id=draft_id,
        path=folder / name,
        title=entry["title"],
        ff_issue=entry["ff_issue"],
        created=entry["created"],
        updated=entry["updated"],
        errors=counts[0],
        warnings=counts[1],
        published=entry["published"],
    )
    return (key[0], key[1], key[2]), summary


@dataclass
class FirstLook:
    """The drafts folder as far as it can be seen without reading plans: summaries
    from the cache, and for the other drafts their title and times from the file as
    it is, their counts left to `complete`."""

    cache: Cache
    found: list[Summary]
    broken: list[Unreadable]
    # The drafts in `found` still to read and check, with their files' keys.
    pending: list[tuple[Path, FileKey | None]]


def first_look() -> FirstLook:
    cache = Cache()
    look = FirstLook(cache, [], [], [])
    drafts.remove_stale_temps(drafts.drafts_dir())
    paths = drafts.draft_files()
    for path in paths:
        key = file_key(path)
        summary = cache.get(path, key)
        if summary is None:
            summary = _glimpse(path)
            if summary is None:
                # Not even JSON: reading it in full fails at once, and says why.
                try:
                    summary = of(drafts.load(path))
                except DraftError as error:
                    look.broken.append(Unreadable(path, str(error)))
                    continue
                cache.put(key, summary)
            else:
                look.pending.append((path, key))
        look.found.append(summary)
    cache.keep_only({path.name for path in paths})
    look.found.sort(key=lambda summary: summary.updated, reverse=True)
    return look


def complete(path: Path, key: FileKey | None, cache: Cache) -> Summary | Unreadable:
    """Read and check one draft that `first_look` only glimpsed (slow: run it off the
    event loop), and remember its summary in `cache` (saved by the caller)."""
    try:
        summary = of(drafts.load(path))
    except DraftError as error:
        return Unreadable(path, str(error))
    cache.put(key, summary)
    return summary


def _glimpse(path: Path) -> Summary | None:
    """A draft's title, FF issue and times from its JSON as it is, without the model
    or the checks; None when the file is not even a JSON object of a draft's shape."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(drafts.MAX_DRAFT_BYTES + 1)
        data = json.loads(raw)
        plan = data["plan"]
        title = plan.get("title", {}).get("title", "")
        ff_issue = plan.get("overview", {}).get("ff_issue", "")
        rows = plan.get("evaluation", {}).get("rows", [])
        stamps = data.get("created", ""), data.get("updated", "")
        if not all(isinstance(text, str) for text in (title, ff_issue, *stamps)):
            return None
        if not title.strip():
            # As Plan.suggested_title: the first candidate's model.
            models = (row.get("model", "") for row in rows if not row.get("baseline"))
            model = next((m.strip() for m in models if isinstance(m, str) and m.strip()), "")
            title = f"[{model or 'AI Model'}] Rollout Plan"
    except (OSError, ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return None
    return Summary(
        id=path.stem,
        path=path,
        title=title.strip(),
        ff_issue=ff_issue.strip(),
        created=stamps[0],
        updated=stamps[1],
        errors=None,
        warnings=None,
        published=_published_url(data.get("published")),
    )


def _published_url(value: Any) -> str:
    published = drafts.Published.from_data(value)
    return published.url if published else ""


def scan() -> tuple[list[Summary], list[Unreadable]]:
    """Every draft's summary, most recently edited first, and every file that could
    not be read; like `drafts.scan`, but only new or changed files are read."""
    cache = Cache()
    found: list[Summary] = []
    broken: list[Unreadable] = []
    drafts.remove_stale_temps(drafts.drafts_dir())
    paths = drafts.draft_files()
    for path in paths:
        key = file_key(path)
        summary = cache.get(path, key)
        if summary is None:
            try:
                summary = of(drafts.load(path))
            except DraftError as error:
                broken.append(Unreadable(path, str(error)))
                continue
            cache.put(key, summary)
        found.append(summary)
    cache.keep_only({path.name for path in paths})
    cache.save()
    found.sort(key=lambda summary: summary.updated, reverse=True)
    return found, broken
