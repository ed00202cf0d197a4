"""The user's own keys: `keymap.toml` in the config folder, binding ids to keys.

    # ~/.config/rollout-plan/keymap.toml on Linux; ~/Library/Application Support/
    # rollout-plan/ on macOS; %LOCALAPPDATA%\\rollout-plan\\ on Windows
    [keymap]
    "wizard.next" = "f8,alt+j"      # several keys: comma-separated
    "wizard.review" = "ctrl+o"

A binding id names one action of one screen (`wizard.next`, `review.copy`); its keys
replace the default ones. The file is read once at start; one with a mistake is
ignored as a whole (with one line saying what is wrong), so the defaults apply.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

CONFIG_ENV = "ROLLOUT_PLAN_CONFIG"
FILE_NAME = "keymap.toml"
# Textual's key names: letters, digits and words joined by "+" (ctrl+pagedown, f8,
# alt+n, question_mark); several keys of one binding are comma-separated.
KEY = re.compile(r"[a-z0-9_]+(\+[a-z0-9_]+)*")


class KeymapError(Exception):
    """The keymap file cannot be used; the message is one line naming the file."""


def config_dir() -> Path:
    """Where rollout-plan's settings live (ROLLOUT_PLAN_CONFIG overrides, for tests)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("rollout-plan")


def keymap_path() -> Path:
    return config_dir() / FILE_NAME


def load(known_ids: Callable[[], set[str]]) -> dict[str, str]:
    """The user's keymap (binding id → keys), empty when there is no file.

    `known_ids` gives the binding ids the app has (an unknown one is a typo, and
    saying so beats a key that silently does nothing); called only when there is a
    keymap, as it imports every screen."""
    path = keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise KeymapError(f"{path}: cannot be read ({reason})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KeymapError(f"{path}: not valid TOML ({error})") from None
    table = data.get("keymap")
    if not isinstance(table, dict) or set(data) != {"keymap"}:
        raise KeymapError(f'{path}: expected one [keymap] table of "binding.id" = "keys"')
    keymap: dict[str, str] = {}
    known = known_ids() if table else set()
    for binding_id, keys in table.items():
        if binding_id not in known:
            raise KeymapError(
                f"{path}: no binding '{binding_id}' (there are: {', '.join(sorted(known))})"
            )
        if not isinstance(keys, str) or not keys.strip():
            raise KeymapError(f"{path}: '{binding_id}' needs keys as text, e.g. \"f8,alt+n\"")
        names = [key.strip().lower() for key in keys.split(",")]
        bad = [key for key in names if not KEY.fullmatch(key)]
        if bad:
            raise KeymapError(f"{path}: '{binding_id}': '{bad[0]}' is not a key name")
        keymap[binding_id] = ",".join(names)
    return keymap
