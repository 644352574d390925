"""``explain``: the human-readable timeline behind a clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from palier.sla.clock import (
    ESCALATED,
    PENDING,
    RESUMED,
    Fact,
    clock_state,
    explain,
    fmt_duration,
    render_explanation,
)
from tests.sla.test_clock_scenarios import PARIS, STANDARD, created, june

H = timedelta(hours=1)


def test_explain_lists_counted_paused_and_closed_segments() -> None:
    facts = [created(june(16, 10)), Fact(june(16, 11), PENDING), Fact(june(17, 10), RESUMED),
             Fact(june(17, 11, 30), ESCALATED, level="L2")]
    lines = explain(facts, STANDARD, june(17, 12))
    texts = [line.text for line in lines]
    assert "created at L1, priority P3" in texts
    assert "paused (pending requester): 7h00 of business time not counted" in texts
    assert "escalated to L2" in texts
    assert "ola L1 target breached" in texts  # 1 h on Monday, 1 h on Tuesday: due 11:00
    assert next(line.at for line in lines if line.kind == "breach") == june(17, 11)
    assert [line.at for line in lines] == sorted(line.at for line in lines)
    counted = sum((line.business for line in lines if line.kind == "counted"), timedelta(0))
    assert counted == clock_state(facts, STANDARD, june(17, 12)).resolution.consumed
    assert all(line.at.tzinfo is not None and line.at.utcoffset() == 2 * H for line in lines)


def test_explain_names_holidays_and_time_outside_hours() -> None:
    friday = datetime(2025, 7, 11, 14, tzinfo=PARIS)
    text = render_explanation(explain([created(friday)], STANDARD,
                                      datetime(2025, 7, 15, 10, tzinfo=PARIS)))
    assert "holiday (National Day): not counted" in text
    assert "outside business hours: not counted" in text
    assert "2025-07-11 14:00 CEST → 18:00" in text
    assert "now: resolution (P3, target 16h00): 5h00 consumed" in text


def test_explain_shows_a_policy_change_and_breaches() -> None:
    facts = [created(june(16, 9), "P1")]
    lines = explain(facts, [(june(16, 9), STANDARD), (june(16, 10), STANDARD)], june(16, 15),
                    tz="UTC")
    kinds = {line.kind for line in lines}
    assert {"event", "policy", "counted", "closed", "breach", "now"} <= kinds
    assert lines[0].at.utcoffset() == timedelta(0)


def test_durations_read_as_hours_and_minutes() -> None:
    assert fmt_duration(timedelta(hours=27, minutes=5)) == "27h05"
    assert fmt_duration(-H) == "-1h00"
    assert fmt_duration(timedelta(seconds=61)) == "0h01m01s"
