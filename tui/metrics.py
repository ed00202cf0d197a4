"""Numbers read from the plan's text fields, and the computed Change row.

Every function here is total: any text gives a value or None, never an exception,
and every string it builds is short. A number a measurement can hold has at most
`MAX_DIGITS` digits before and after the decimal point; beyond that (`1E+1000000`,
`1E-9999999`) the text is not read as a number at all, so no arithmetic or
formatting ever meets a million-digit value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation, localcontext

from tui.plan import EvalRow, Evaluation

# 10^15 ms is 31,000 years; 15 decimal places is far below any instrument's
# resolution. Both leave room for every real score, latency and rate.
MAX_DIGITS = 15
# Longer text is no plain number of the sizes above, even with separators and
# leading zeros; refusing it first keeps the parse cheap on pasted megabytes.
_MAX_NUMBER_TEXT = 4 * MAX_DIGITS
# Possessive quantifiers: a long run of digits with no unit fails in one pass, where
# backtracking would take quadratic time (seconds for a few thousand digits).
_DURATION = re.compile(r"\s*+(?:\d++(?:\.\d++)?+\s*+(?:ms|h|m|s)\s*+)++", re.IGNORECASE)
_DURATION_PART = re.compile(r"(\d++(?:\.\d++)?+)\s*+(ms|h|m|s)", re.IGNORECASE)
_UNIT_SECONDS = {"ms": Decimal("0.001"), "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}
# Wide enough that sums and differences of in-range numbers are exact.
_EXACT = 4 * MAX_DIGITS


def range_problem(value: Decimal) -> str | None:
    """Why a finite number cannot be a measurement; None when it can."""
    if value and value.adjusted() >= MAX_DIGITS:
        return f"too large to be a measurement: at most {MAX_DIGITS} digits before the point"
    if decimal_places(value) > MAX_DIGITS:
        return f"more decimal places than any measurement has: at most {MAX_DIGITS} after the point"
    return None


def decimal_places(value: Decimal) -> int:
    """Significant digits after the point: 0.50 has 1, 1E-9 has 9, 1200 has 0."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    trailing_zeros = 0
    for digit in reversed(digits):
        if digit:
            break
        trailing_zeros += 1
    return max(0, -(exponent + trailing_zeros))


def read_number(text: str) -> Decimal | None:
    """The finite number written in `text` (`0.82`, `8,200`, `61%`), whatever its size."""
    compact = text.strip().removesuffix("%").strip().replace(",", "")
    if not compact or len(compact) > _MAX_NUMBER_TEXT:
        return None
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_number(text: str) -> Decimal | None:
    """A number a measurement can hold (`0.82`, `8200`, `61%` reads as 61); None otherwise."""
    value = read_number(text)
    return value if value is not None and range_problem(value) is None else None


def read_duration(text: str) -> list[tuple[Decimal, str]] | None:
    """The (number, unit) parts of a well-formed duration, whatever their size."""
    if not _DURATION.fullmatch(text):
        return None
    return [(Decimal(value), unit.lower()) for value, unit in _DURATION_PART.findall(text)]


def parse_duration(text: str) -> float | None:
    """Seconds in `17.5s`, `850ms`, `1m 5s`, `2h`; None when it is not a duration.

    A bare number is refused: `17.5` could be seconds or milliseconds. So is a part
    no measurement can hold (`1000000000000000000s`).
    """
    parts = read_duration(text)
    if parts is None or any(range_problem(number) for number, _unit in parts):
        return None
    with localcontext(prec=_EXACT):
        seconds = sum((number * _UNIT_SECONDS[unit] for number, unit in parts), Decimal())
    return float(seconds)


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
    with localcontext(prec=_EXACT):
        delta = after - before
    # `0 - -0` is -0; a difference of nothing has no sign to show.
    delta = delta if delta else abs(delta)
    places = max(_places_written(baseline.score), _places_written(candidate.score))
    return f"{delta:+.{places}f} change"


def _places_written(text: str) -> int:
    """Decimal places as the engineer wrote them (`3.40` has 2), at most MAX_DIGITS."""
    number = read_number(text)
    if number is None:
        return 0
    exponent = number.as_tuple().exponent
    # `0E-1000000` is a plain zero written with a million places.
    return min(-exponent, MAX_DIGITS) if isinstance(exponent, int) and exponent < 0 else 0


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
