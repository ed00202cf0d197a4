"""Drafts written by older versions of rollout-plan, brought up to the current schema.

One function per step, from version N to N+1, on the raw JSON data, so a draft of
any older version is read by applying the steps in order. A migrated draft is
written back only when the user next saves it; the file on disk is left as it was
until then (and the backup keeps the old version after that).

Schema history:
1. The first release: `schema_version`, `id`, `created`, `updated`, `plan`.
2. Adds `written_by` ("rollout-plan <version>"), so a file from a newer release
   can say which release to upgrade to.
3. Plans are documents: each structured section gains `more` (the engineer's own
   Markdown), and the plan gains `document` (custom sections, left-out sections).
   All default to empty, so a schema-2 plan reads unchanged; the version says that
   older releases cannot read what 3 writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def _v1_to_v2(data: Data) -> Data:
    # Schema 1 was only ever written by the 0.1 releases.
    return {**data, "schema_version": 2, "written_by": data.get("written_by", "rollout-plan 0.1")}


def _v2_to_v3(data: Data) -> Data:
    # Every new field has its default: the plan's data needs no change.
    return {**data, "schema_version": 3}


STEPS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(data: Data, target: int) -> Data:
    """`data` (a draft's JSON object) moved from its version up to `target`."""
    version = data["schema_version"]
    while version < target:
        data = STEPS[version](data)
        version = data["schema_version"]
    return data
