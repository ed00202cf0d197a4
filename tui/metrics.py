"""Numbers read from the plan's text fields, and the computed Change row."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from tui.plan import EvalRow, Evaluation

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|m|s)", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """Seconds in `17.5s`, `850ms`, `1m 5s`, `2h`; None when it is not a duration.

    A bare number is refused: `17.5` could be seconds or milliseconds.
    """
    compact = text.strip()
    if not compact:
        return None
    parts = _DURATION_PART.findall(compact)
    if not parts or _DURATION_PART.sub("", compact).strip():
        return None
    return sum(float(value) * _UNIT_SECONDS[unit.lower()] for value, unit in parts)


def parse_number(text: str) -> Decimal | None:
    """A plain number (`0.82`, `8200`, `61%` reads as 61); None otherwise."""
    compact = text.strip().removesuffix("%").strip().replace(",", "")
    if not compact:
        return None
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def latency_change(baseline: str, candidate: str) -> str | None:
    """`+25.7% slower` or `9.1% faster`, relative to the baseline; None if unknown."""
    before, after = parse_duration(baseline), parse_duration(candidate)
    if before is None or after is None or before == 0:
        return None
    percent = (after - before) / before * 100
    if round(percent, 1) == 0:
        return "no change"
    if percent > 0:
        return f"+{percent:.1f}% slower"
    return f"{-percent:.1f}% faster"


def quality_change(baseline: EvalRow, candidate: EvalRow) -> str | None:
    """`+0.21 change`: the candidate's score minus the baseline's, same metric only."""
    if baseline.metric.strip() != candidate.metric.strip():
        return None
    before, after = parse_number(baseline.score), parse_number(candidate.score)
    if before is None or after is None:
        return None
    delta = after - before
    places = max(_decimal_places(baseline.score), _decimal_places(candidate.score))
    return f"{delta:+.{places}f} change"


def _decimal_places(text: str) -> int:
    number = parse_number(text)
    if number is None:
        return 0
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True)
class ChangeRow:
    """The five cells of one Change row; the first is always **Change**."""

    versus: str  # the candidate's model, named only when there are several
    quality: str
    p50: str
    p99: str


# The template's own Change row: what stays while a value cannot be computed.
PLACEHOLDER_CHANGE = ChangeRow(versus="", quality="XX change", p50="+X% slower", p99="XX% faster")


def change_rows(evaluation: Evaluation) -> list[ChangeRow]:
    """One Change row for each candidate against the single baseline."""
    baselines = [row for row in evaluation.rows if row.baseline]
    candidates = [row for row in evaluation.rows if not row.baseline]
    if not candidates:
        return [PLACEHOLDER_CHANGE]
    baseline = baselines[0] if len(baselines) == 1 else None
    rows = []
    for candidate in candidates:
        versus = candidate.model.strip() if len(candidates) > 1 else ""
        if baseline is None:
            rows.append(replace(PLACEHOLDER_CHANGE, versus=versus))
            continue
        rows.append(
            ChangeRow(
                versus=versus,
                quality=quality_change(baseline, candidate) or PLACEHOLDER_CHANGE.quality,
                p50=latency_change(baseline.p50, candidate.p50) or PLACEHOLDER_CHANGE.p50,
                p99=latency_change(baseline.p99, candidate.p99) or PLACEHOLDER_CHANGE.p99,
            )
        )
    return rows
