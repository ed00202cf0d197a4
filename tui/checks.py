"""Findings on a plan, in the words a careful reviewer would use.

Per-field rules come from each field's declared `kind` and `need` in `plan`, so a
new field is checked without touching this module. Cross-field rules (one
baseline, P50 <= P99, dates in order, ranges) follow. A finding never blocks a
save; errors block `copy` unless forced.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from tui.links import REFERENCE
from tui.metrics import parse_duration, range_problem, read_duration, read_number
from tui.plan import (
    OPTIONAL_SECTIONS,
    REQUIRED_SECTIONS,
    Document,
    EvalRow,
    Kind,
    Need,
    Observation,
    Plan,
    QuickActions,
    TimelineRow,
    TitleSection,
    field_info,
    fields_of,
    section_spec,
    sections,
)
from tui.template_text import NUMBER_PLACEHOLDERS, PLACEHOLDERS


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


@dataclass(frozen=True)
class Finding:
    level: Level
    section: str  # the section's title, as the wizard shows it
    field: str  # the field's label (with its row number inside a repeating group)
    message: str
    path: str  # where the field lives in the plan, e.g. "evaluation.rows.2.p50"

    def as_dict(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}

    def __str__(self) -> str:
        return f"{self.section} › {self.field}: {self.message}"


ISSUE_FORMS = "https://gitlab.com/<group>/<project>/-/issues/<n> or group/project#<n>"
# A namespace or project path segment never starts with `-` (that is GitLab's `/-/`).
_SEGMENT = r"[\w.~][\w.~-]*"
_HOST_PATH = rf"https?://[^/\s]+/(?:{_SEGMENT}/)+{_SEGMENT}"
_ISSUE_URL = re.compile(rf"^{_HOST_PATH}/(?:-/)?(?:issues|work_items)/\d+/?(?:[?#]\S*)?$", re.I)
_ISSUE_REF = re.compile(r"^(?:[\w.-]+(?:/[\w.-]+)+)?#\d+$")
# Stricter than links.WEB_LINK: a valid address has a host with a dot (or is localhost).
_VALID_URL = re.compile(
    r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$|^https?://localhost\S*$", re.I
)
_NEAR_MISSES = (
    (re.compile(r"/-/merge_requests/\d+|^[\w./-]*!\d+$"), "that is a merge request"),
    (re.compile(r"/-/epics/\d+|^[\w./-]*&\d+$"), "that is an epic"),
    (re.compile(r"/-/pipelines/\d+"), "that is a pipeline"),
)
_LABEL_BAD = re.compile(r'["\n\r]')


def is_empty(value: str, kind: str = Kind.TEXT) -> bool:
    """True for blank text and for the template's placeholder for that kind of field."""
    return not value.strip() or value.strip().lower() in PLACEHOLDERS.get(kind, frozenset())


def is_url(value: str) -> bool:
    return bool(_VALID_URL.match(value.strip()))


def is_reference(value: str) -> bool:
    value = value.strip()
    return is_url(value) or bool(REFERENCE.match(value))


def ff_issue_problem(value: str) -> str | None:
    """Why the value is not a GitLab issue link or reference; None when it is one."""
    value = value.strip()
    if _ISSUE_URL.match(value) or _ISSUE_REF.match(value):
        return None
    if _ISSUE_URL.match(f"https://{value}"):
        return f"add https:// in front: https://{value}"
    for pattern, what in _NEAR_MISSES:
        if pattern.search(value):
            return f"{what}. Give the rollout issue: {ISSUE_FORMS}"
    return f"not a GitLab issue. Give the rollout issue: {ISSUE_FORMS}"


def parse_date(value: str) -> date | None:
    value = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _timeline_date_problem(value: str) -> str | None:
    if value.strip().upper() == "TBD" or date_in(value):
        return None
    return (
        no_such_day(value)
        or "not a date: the order check reads YYYY-MM-DD (or TBD), e.g. 2025-06-09"
    )


# A date as engineers write it in an observed window: "May 17", "17 May 2025", "Aug 21st".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_HUMAN_DATE = re.compile(
    rf"^(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{_MONTH}))"
    r"(?:,?\s+\d{4})?$",
    re.I,
)
_ISO_SHAPE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_MONTH_DAYS = dict(
    zip(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
        strict=True,
    )
)


def no_such_day(value: str) -> str | None:
    """For a date written in a date's form that names no day of the calendar
    (2025-02-30, June 31): that, said plainly; None otherwise."""
    iso = _ISO_SHAPE.search(value)
    if iso and parse_date(iso.group(0)) is None:
        return f"there is no day {iso.group(0)}: check its month and day (YYYY-MM-DD)"
    human = _HUMAN_DATE.match(value.strip())
    if human:
        month = (human["month"] or human["month2"])[:3].lower()
        day = int(human["day"] or human["day2"])
        if not 1 <= day <= _MONTH_DAYS[month]:
            return f"there is no day {value.strip()}: check its month and day"
    return None


def _window_date_problem(value: str) -> str | None:
    impossible = no_such_day(value)
    if impossible or parse_date(value) or _HUMAN_DATE.match(value.strip()):
        return impossible
    return "not a date: write YYYY-MM-DD (checked for order) or a day such as May 17"


def date_in(value: str) -> date | None:
    """The ISO date a text holds, also after a word ("until 2025-05-29")."""
    found = re.search(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)", value)
    return parse_date(found.group(0)) if found else None


def _url_problem(value: str) -> str | None:
    if is_url(value):
        return None
    return _scheme_hint(value) or "not a link: give a full http(s):// address"


def _scheme_hint(value: str) -> str | None:
    """For an address typed without its scheme (gitlab.com/g/p): the fix, spelled out."""
    value = value.strip()
    if "://" not in value and is_url(f"https://{value}") and "/" in value:
        return f"add https:// in front: https://{value}"
    return None


def _links_problem(value: str) -> str | None:
    bad = [line for line in value.splitlines() if line.strip() and not _has_link(line)]
    return (
        f"'{bad[0].strip()}' is not a link: give http(s):// addresses, one a line" if bad else None
    )


def _has_link(line: str) -> bool:
    return any(is_reference(word) for word in line.split()) or "](http" in line


def _reference_problem(value: str) -> str | None:
    if is_reference(value) or _has_link(value):
        return None
    hint = _scheme_hint(value)
    if hint:
        return hint
    return "not a link or reference: give an http(s):// address or a reference such as group&123"


def _duration_problem(value: str) -> str | None:
    parts = read_duration(value)
    if parts is None:
        return "not a latency: write it with a unit, e.g. 17.5s, 850ms or 1m 5s"
    return next(filter(None, (range_problem(number) for number, _unit in parts)), None)


def _number_problem(value: str) -> str | None:
    number = read_number(value)
    return "not a number" if number is None else range_problem(number)


def _label_problem(value: str) -> str | None:
    if _LABEL_BAD.search(value):
        return "a label cannot hold a double quote or a line break"
    return None


_RULES: dict[str, Callable[[str], str | None]] = {
    "url": _url_problem,
    "links": _links_problem,
    "reference": _reference_problem,
    "ff_issue": ff_issue_problem,
    "timeline_date": _timeline_date_problem,
    "window_date": _window_date_problem,
    "duration": _duration_problem,
    "number": _number_problem,
}
_EMPTY_LEVEL = {"required": Level.ERROR, "recommended": Level.WARNING, "optional": Level.INFO}


def check(plan: Plan) -> list[Finding]:
    """Every finding on the plan: errors first, then warnings, then info."""
    findings = [*_field_findings(plan), *_cross_findings(plan)]
    # A field with a warning or error needs no "still empty" note as well.
    flagged = {f.path for f in findings if f.level is not Level.INFO}
    findings = [f for f in findings if f.level is not Level.INFO or f.path not in flagged]
    # A section the plan leaves out is not in the description: nothing to say on it.
    left_out = set(plan.document.left_out)
    findings = [f for f in findings if f.section not in left_out]
    return sorted(findings, key=lambda finding: LEVEL_ORDER[finding.level])


def _field_findings(plan: Plan) -> Iterator[Finding]:
    for spec in sections():
        yield from _walk(getattr(plan, spec.name), spec.title, spec.name, row="")


def _walk(model: BaseModel, section: str, path: str, row: str) -> Iterator[Finding]:
    for spec in fields_of(type(model)):
        name, help, kind, need = spec.name, spec.help, spec.kind, spec.need
        value: Any = getattr(model, name)
        where = f"{path}.{name}"
        field = f"{spec.label}{row}"
        if kind == Kind.ROWS:
            for index, entry in enumerate(value, start=1):
                yield from _walk(entry, section, f"{where}.{index - 1}", f" ({spec.noun} {index})")
            if not value and need not in (Need.OPTIONAL, Need.EXTRA):
                yield Finding(_EMPTY_LEVEL[need], section, field, f"no rows yet. {help}", where)
        elif kind == Kind.ITEMS:
            rule = _ITEM_RULES.get(name)
            yield from _item_findings(value, section, field, where, rule)
        elif kind == Kind.RANGES:
            yield from _range_findings(value, section, field, where)
        elif isinstance(value, str):
            yield from _value_findings(value, kind, need, section, field, where, help)


def _value_findings(
    value: str, kind: str, need: str, section: str, field: str, where: str, help: str
) -> Iterator[Finding]:
    if is_empty(value, kind):
        if need == "extra":
            return
        state = "still the template's placeholder" if value.strip() else "empty"
        if need == "required":
            message = f"required, and {state}. {help}"
        else:
            message = f"{state}; the description keeps the template's placeholder"
        yield Finding(_EMPTY_LEVEL[need], section, field, message, where)
        return
    rule = _RULES.get(kind)
    problem = rule(value) if rule else None
    if problem and kind in _LINK_KINDS and _words(value):
        return  # "TBD", "Testing in progress": what engineers write where a link goes
    if problem:
        # Only what is certainly wrong is an error; engineers write "TBD", "until
        # 2025-05-29", "May 17" or a sentence where a link or date was expected.
        # A table's cells beyond its columns are kept in its last, as `a | b`: the
        # author's notes column, not a wrong value.
        kept_cells = " | " in value
        level = Level.WARNING if kept_cells or _doubtful(kind, value) else Level.ERROR
        yield Finding(level, section, field, problem, where)


def _doubtful(kind: str, value: str) -> bool:
    """Whether a value that fails its kind's form may still be what the engineer meant
    (a warning), rather than certainly wrong (an error: 2025-02-30 is no date)."""
    if kind in {"timeline_date", "window_date"}:
        return no_such_day(value) is None
    return kind in _DOUBTS


_LINK_KINDS = frozenset({"url", "links", "reference"})


def _words(value: str) -> bool:
    """Plain words, not a link typed wrong: nothing a link has (/ : # & @ or a dot
    inside a word, as in gitlab.com)."""
    return not re.search(r"[/:#&@]|\.\w", value)


# Kinds whose format a real plan legitimately departs from: a doubt, not an error.
_DOUBTS = frozenset({"url", "links", "reference", "timeline_date", "window_date"})


def _quick_action_problem(value: str) -> str | None:
    from tui import gitlab

    if "\n" in value.strip() or not gitlab.is_quick_action(value.strip(), known_only=False):
        return "a quick action is one line starting with /, e.g. /milestone %18.2"
    if value.strip().endswith("`"):
        # See gitlab.older_reader_skips_to: the last quick actions stand below all else.
        return (
            "ends with a backtick: GitLab's older quick-action reader (self-managed "
            "instances before the Markdown-based one) would not run it; end it otherwise"
        )
    return None


# Rules for the entries of a list field, by the field's name.
_ITEM_RULES: dict[str, Callable[[str], str | None]] = {
    "labels": _label_problem,
    "extra": _quick_action_problem,
}


def _item_findings(
    items: list[str],
    section: str,
    field: str,
    where: str,
    rule: Callable[[str], str | None] | None,
) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, text in enumerate(items):
        spot = f"{field} (item {index + 1})"
        if not text.strip():
            yield Finding(Level.WARNING, section, spot, "empty: fill it or remove it", where)
            continue
        problem = rule(text) if rule else None
        if problem:
            yield Finding(Level.ERROR, section, spot, problem, f"{where}.{index}")
        if text.strip().lower() in seen:
            yield Finding(Level.WARNING, section, spot, "the same entry twice", where)
        seen.add(text.strip().lower())


# --- Cross-field rules -----------------------------------------------------------------


def _cross_findings(plan: Plan) -> Iterator[Finding]:
    yield from _title_findings(plan)
    yield from _publication_findings(plan)
    yield from _evaluation_findings(plan)
    yield from _timeline_findings(plan)
    yield from _persevere_findings(plan)
    yield from _left_out_findings(plan)


def _publication_findings(plan: Plan) -> Iterator[Finding]:
    """What decides who sees the issue and whether GitLab takes it at all."""
    from tui import gitlab

    if not plan.quick_actions.confidential:
        yield Finding(
            Level.WARNING,
            _section_title("quick_actions"),
            field_info(QuickActions, "confidential").label,
            "off: GitLab will create the issue public, and the plan shares SAFE metrics. "
            "Turn it on unless the issue may be public.",
            "quick_actions.confidential",
        )
    # Only a plan near GitLab's limit is rendered to measure it exactly.
    texts = list(_strings(plan.model_dump(), ""))
    if sum(len(text.encode()) for _, text in texts) > gitlab.MAX_DESCRIPTION_BYTES - 64 * 1024:
        from tui.render import render

        size = len(render(plan).encode())
        if size > gitlab.MAX_DESCRIPTION_BYTES:
            longest = max(texts, key=lambda entry: len(entry[1]))[0]
            yield Finding(
                Level.ERROR,
                _section_title(longest.split(".", 1)[0]),
                "the whole description",
                f"{size:,} bytes, and GitLab takes at most {gitlab.MAX_DESCRIPTION_BYTES:,}. "
                "Shorten the longest texts (this one is), or link to them.",
                longest,
            )


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every text in a dumped plan."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")


def _left_out_findings(plan: Plan) -> Iterator[Finding]:
    """A section the plan cannot do without is an error to leave out (the renderer
    keeps it anyway); a name that is no optional section leaves nothing out."""
    required = {_key(title) for title in (*REQUIRED_SECTIONS, _section_title("document"))}
    optional = {_key(title) for title in OPTIONAL_SECTIONS}
    section, field = _section_title("document"), field_info(Document, "left_out").label
    for index, name in enumerate(plan.document.left_out, start=1):
        spot = f"{field} (item {index})"
        if _key(name) in required:
            yield Finding(
                Level.ERROR,
                section,
                spot,
                f"{name.strip()} is required and cannot be left out",
                "document.left_out",
            )
        elif _key(name) not in optional:
            yield Finding(
                Level.WARNING,
                section,
                spot,
                f"no optional section is called {name.strip()!r}: it leaves nothing out. "
                f"Optional sections: {', '.join(OPTIONAL_SECTIONS)}",
                "document.left_out",
            )


def _key(title: str) -> str:
    # As the renderer compares titles: case and runs of spaces aside.
    return " ".join(title.lower().split())


def _section_title(name: str) -> str:
    return section_spec(name).title


def _title_findings(plan: Plan) -> Iterator[Finding]:
    title = plan.title.title.strip()
    if title.lower() == "[ai model] rollout plan":
        yield Finding(
            Level.ERROR,
            _section_title("title"),
            field_info(TitleSection, "title").label,
            f"still the template's placeholder: name the model, e.g. {plan.suggested_title()}",
            "title.title",
        )


# The evaluation row's values the Change row compares with the baseline's.
_CHANGE_ROW_FIELDS = ("score", "p50", "p99")


def _evaluation_findings(plan: Plan) -> Iterator[Finding]:
    rows = plan.evaluation.rows
    section = _section_title("evaluation")
    if not rows:
        return
    baselines = [index for index, row in enumerate(rows) if row.baseline]
    if len(baselines) != 1:
        message = (
            "no row is marked as the baseline: mark the model the candidates are compared to"
            if not baselines
            else f"{len(baselines)} rows are marked as the baseline: keep exactly one"
        )
        label = field_info(EvalRow, "baseline").label
        yield Finding(Level.ERROR, section, label, message, "evaluation.rows")
    for index, row in enumerate(rows):
        p50, p99 = parse_duration(row.p50), parse_duration(row.p99)
        if p50 is not None and p99 is not None and p50 > p99:
            yield Finding(
                Level.ERROR,
                section,
                f"{field_info(EvalRow, 'p50').label} (row {index + 1})",
                f"P50 ({row.p50}) is above P99 ({row.p99}): the median cannot exceed the 99th "
                "percentile; check the two values",
                f"evaluation.rows.{index}.p50",
            )
    if len(baselines) != 1:
        return
    baseline = rows[baselines[0]]
    for index, row in enumerate(rows):
        if row.baseline:
            continue
        spot = f"{field_info(EvalRow, 'metric').label} (row {index + 1})"
        if row.metric.strip() and baseline.metric.strip() and row.metric != baseline.metric:
            yield Finding(
                Level.WARNING,
                section,
                spot,
                f"'{row.metric}' differs from the baseline's '{baseline.metric}': the quality "
                "change cannot be computed",
                f"evaluation.rows.{index}.metric",
            )
        for spec in (field_info(EvalRow, name) for name in _CHANGE_ROW_FIELDS):
            mine, theirs = getattr(row, spec.name), getattr(baseline, spec.name)
            if not is_empty(theirs, spec.kind) and is_empty(mine, spec.kind):
                yield Finding(
                    Level.WARNING,
                    section,
                    f"{spec.label} (row {index + 1})",
                    "the baseline has it but this candidate does not: the Change row keeps "
                    "its placeholder",
                    f"evaluation.rows.{index}.{spec.name}",
                )


def _timeline_findings(plan: Plan) -> Iterator[Finding]:
    dated = [
        (index, parsed)
        for index, row in enumerate(plan.timeline.rows)
        if (parsed := date_in(row.date)) is not None
    ]
    for (before, first), (after, second) in itertools.pairwise(dated):
        if second < first:
            yield Finding(
                Level.WARNING,
                _section_title("timeline"),
                f"{field_info(TimelineRow, 'date').label} (row {after + 1})",
                f"{second.isoformat()} comes before row {before + 1}'s {first.isoformat()}: "
                "steps should be in date order",
                f"timeline.rows.{after}.date",
            )


def _persevere_findings(plan: Plan) -> Iterator[Finding]:
    noun = field_info(type(plan.persevere), "observations").noun
    for index, block in enumerate(plan.persevere.observations):
        first, last = parse_date(block.start), parse_date(block.end)
        if first and last and first > last:
            yield Finding(
                Level.ERROR,
                _section_title("persevere"),
                f"{field_info(Observation, 'start').label} ({noun} {index + 1})",
                f"the window starts ({first}) after it ends ({last})",
                f"persevere.observations.{index}.start",
            )


# `p50: 637ms to 782ms`, `Error rate: X %`: a name, then a value or a low-to-high range.
_RANGE_LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<low>.+?)(?:\s+to\s+(?P<high>.+))?$")
_MEASURE = re.compile(r"^(?P<number>\S+?)\s*(?P<unit>ms|s|m|h|%)?$", re.I)
_TO_MS = {"ms": Decimal(1), "s": Decimal(1000), "m": Decimal(60000), "h": Decimal(3600000)}


def _range_findings(value: str, section: str, field: str, where: str) -> Iterator[Finding]:
    """Each line an observed range; `X` and `Y` are the template's, still to fill."""
    to_fill = 0
    for line in value.splitlines():
        problem, placeholders = _range_problem(line)
        to_fill += placeholders
        if problem:
            level, message = problem
            yield Finding(level, section, field, f"'{line}': {message}", where)
    if to_fill:
        yield Finding(Level.INFO, section, field, f"{counted(to_fill, 'value')} still X", where)


def _range_problem(line: str) -> tuple[tuple[Level, str] | None, int]:
    """What is wrong with one range line, and how many of its values are still X."""
    form = "write name: low to high, e.g. p50: 637ms to 782ms"
    parts = _RANGE_LINE.match(line)
    if parts is None:
        return (Level.WARNING, f"not a range: {form}"), 0
    values = [v for v in (parts["low"], parts["high"]) if v is not None]
    measures = [_MEASURE.match(v.strip()) for v in values]
    if any(m is None for m in measures):
        return (Level.WARNING, f"not a measure: {form}"), 0
    placeholders = sum(m["number"].lower() in NUMBER_PLACEHOLDERS for m in measures if m)
    numbers: list[tuple[Decimal, str]] = []
    for measure in filter(None, measures):
        if measure["number"].lower() in NUMBER_PLACEHOLDERS:
            continue
        number = read_number(measure["number"])
        if number is None:
            return (Level.WARNING, f"'{measure['number']}' is not a number: {form}"), 0
        if range_problem(number):
            return (Level.ERROR, f"{range_problem(number)}"), placeholders
        unit = (measure["unit"] or "").lower()
        if unit == "%" and not 0 <= number <= 100:
            return (Level.ERROR, "a percentage must be between 0 and 100"), placeholders
        numbers.append((number * _TO_MS.get(unit, Decimal(1)), unit))
    if len(numbers) == 2 and _same_scale(*numbers) and numbers[0][0] > numbers[1][0]:
        return (Level.ERROR, "the range starts above its end: the lower bound comes first"), 0
    return None, placeholders


def _same_scale(low: tuple[Decimal, str], high: tuple[Decimal, str]) -> bool:
    """Both in time units, both percentages, or both bare numbers: comparable."""

    def scale(unit: str) -> str:
        return "time" if unit in _TO_MS else unit

    return scale(low[1]) == scale(high[1]) or "" in (low[1], high[1])


def counted(number: int, noun: str) -> str:
    """`1 warning`, `2 warnings`: the noun agrees with the number."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def remaining(count: int) -> str:
    """`1 error remains`, `2 errors remain`."""
    return f"{counted(count, 'error')} {'remains' if count == 1 else 'remain'}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level is Level.ERROR]
