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
4. Observations are general: Persevere's fixed latency and rate fields (`latency_from`,
   `p50_min`, ..., `rate_max`) become `observations`, a list of blocks each with what
   was observed, its window and its ranges as lines (`p50: 8200 ms to 10100 ms`),
   written the way the description showed them, X and Y where a value was empty.
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


def _v3_to_v4(data: Data) -> Data:
    plan = dict(data.get("plan", {}))
    old = plan.get("persevere")
    if isinstance(old, dict):
        plan["persevere"] = {
            key: value for key, value in old.items() if key in ("criteria", "more")
        } | {"observations": _observations(old)}
    return {**data, "schema_version": 4, "plan": plan}


def _observations(old: Data) -> list[Data]:
    def bound(name: str, placeholder: str) -> str:
        value = old.get(name, "")
        return value if isinstance(value, str) and value.strip() else placeholder

    latency = [
        f"{p}: {bound(f'{p}_min', 'X')} ms to {bound(f'{p}_max', 'Y')} ms"
        for p in ("p50", "p90", "p95")
    ]
    rate = f"Rate: {bound('rate_min', 'X')}% to {bound('rate_max', 'Y')}%"
    return [
        {
            "what": "latency",
            "start": old.get("latency_from", ""),
            "end": old.get("latency_to", ""),
            "ranges": "\n".join(latency),
        },
        {
            "what": "success/acceptance rate",
            "start": old.get("rate_from", ""),
            "end": old.get("rate_to", ""),
            "ranges": rate,
        },
    ]


STEPS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def migrate(data: Data, target: int) -> Data:
    """`data` (a draft's JSON object) moved from its version up to `target`."""
    version = data["schema_version"]
    while version < target:
        data = STEPS[version](data)
        version = data["schema_version"]
    return data
