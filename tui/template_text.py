"""The template's own words: its placeholders and its guidance lines, in all three
versions engineers have filled in (the current one, the older model rollout one and
the Code Suggestions predecessor).

The renderer writes the current version's (as Jinja globals), the importer reads
every version's as empty, and the checks treat a placeholder as a field still to
fill. Nothing else spells them out. This module holds data only: the plan imports it.
"""

from __future__ import annotations

# Values the template ships as placeholders, by kind of field: a field holding one
# is still empty. Lower case, as they are compared. (An `X` is a placeholder for a
# latency, not for a title.)
NUMBER_PLACEHOLDERS = frozenset({"x", "y", "xx"})
_DATE_PLACEHOLDERS = frozenset({"[date]", "???"})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "number": NUMBER_PLACEHOLDERS,
    "percent": NUMBER_PLACEHOLDERS,
    "duration": NUMBER_PLACEHOLDERS,
    "date": _DATE_PLACEHOLDERS,
    "timeline_date": _DATE_PLACEHOLDERS,
    "window_date": _DATE_PLACEHOLDERS,
    "url": frozenset({"<insert_link>", "[pipeline_link]"}),
    "text": frozenset({"[model]", "[what]"}),
}
