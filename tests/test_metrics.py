"""Latencies as engineers write them, and the computed Change row."""

from __future__ import annotations

import pytest

from tui.metrics import latency_change, parse_duration, quality_change
from tui.plan import EvalRow


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("17.5s", 17.5),
        ("850ms", 0.85),
        ("1m 5s", 65.0),
        ("3m 10s", 190.0),
        ("1m5s", 65.0),
        ("2h", 7200.0),
        (" 44S ", 44.0),
    ],
)
def test_durations_parse(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "17.5", "fast", "1m and 5s", "X", "-3s", "5 sec"])
def test_non_durations_are_refused(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("17.5s", "22s", "+25.7% slower"),
        ("44s", "40s", "9.1% faster"),
        ("9.8s", "8.9s", "9.2% faster"),
        ("1m", "60000ms", "no change"),
        ("52s", "X", None),
        ("0s", "1s", None),
    ],
)
def test_latency_change(before: str, after: str, change: str | None) -> None:
    assert latency_change(before, after) == change


def test_quality_change_keeps_the_inputs_precision_and_sign() -> None:
    base = EvalRow(metric="qa", score="3.41")
    assert quality_change(base, EvalRow(metric="qa", score="3.62")) == "+0.21 change"
    assert quality_change(base, EvalRow(metric="qa", score="3.4")) == "-0.01 change"
    assert quality_change(base, EvalRow(metric="other", score="3.62")) is None
    assert quality_change(base, EvalRow(metric="qa", score="")) is None
