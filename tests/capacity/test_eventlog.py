"""The small XES reader and the BPIC 2013 replay."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest

from palier.capacity import planner
from palier.capacity.estimation import estimate, from_cases
from palier.capacity.eventlog import level_of, read_cases, visits
from palier.capacity.experiment import simulate

BPIC = Path("/work/shared/data/bpic2013_volvo_it_incidents/07_bpic2013_incidents.xes.gz")


def _event(group: str, status: str, at: str, impact: str = "Medium") -> str:
    return (f'<event><string key="org:group" value="{group}"/>'
            f'<string key="lifecycle:transition" value="{status}"/>'
            f'<string key="impact" value="{impact}"/>'
            f'<date key="time:timestamp" value="{at}"/></event>')


def _log(tmp_path, traces: list[list[str]]) -> Path:
    body = "".join(f'<trace><string key="concept:name" value="c{i}"/>{"".join(t)}</trace>'
                   for i, t in enumerate(traces))
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(
        f'<log xmlns="http://www.xes-standard.org/">{body}</log>'.encode()))
    return path


def test_the_level_is_the_suffix_of_the_group():
    assert [level_of(g) for g in ("G97", "G230 2nd", "V5 3rd", "S9 2nd")] == [0, 1, 2, 1]


def test_a_case_becomes_visits_with_outcomes(tmp_path):
    path = _log(tmp_path, [[
        _event("D5", "In Progress", "2012-05-02T09:00:00+02:00"),
        _event("G230 2nd", "Awaiting Assignment", "2012-05-02T09:30:00+02:00"),
        _event("G230 2nd", "In Progress", "2012-05-02T10:00:00+02:00"),
        _event("G230 2nd", "Wait - User", "2012-05-02T10:20:00+02:00"),
        _event("G230 2nd", "In Progress", "2012-05-02T12:20:00+02:00"),
        _event("D5", "In Progress", "2012-05-02T12:30:00+02:00"),
        _event("D5", "Resolved", "2012-05-02T12:40:00+02:00"),
    ]])
    (case,) = read_cases(path)
    assert case.key == "c0" and case.resolved
    first, second, third = visits(case)
    assert (first.level, first.outcome, first.to_level, first.handling) == (0, "escalate", 1,
                                                                            1800)
    assert (second.outcome, second.pauses, second.paused, second.handling) == (
        "return", 1, 7200, 1800)
    assert (third.level, third.outcome) == (0, "resolve")


def test_estimation_from_a_log_gives_routing_and_observed_shares(tmp_path):
    resolved_at_l1 = [_event("D5", "In Progress", f"2012-05-0{d}T09:00:00+00:00")
                      for d in (1,)] + [_event("D5", "Resolved", "2012-05-01T09:10:00+00:00")]
    escalated = [_event("D5", "In Progress", "2012-05-02T09:00:00+00:00"),
                 _event("X 2nd", "In Progress", "2012-05-02T09:20:00+00:00"),
                 _event("X 2nd", "Resolved", "2012-05-02T10:00:00+00:00")]
    obs = from_cases(read_cases(_log(tmp_path, [resolved_at_l1, resolved_at_l1, escalated])))
    est = estimate(obs, ("L1", "L2"))
    assert est.model.levels[0].escalation(0) == pytest.approx(1 / 3)
    assert est.observed_escalation == {"L2": pytest.approx(1 / 3)}


def test_a_malformed_log_is_refused(tmp_path):
    path = tmp_path / "bad.xes"
    path.write_text("<log><trace>")
    with pytest.raises(Exception):  # noqa: B017 - the XML parser's own error
        read_cases(path)


@pytest.mark.slow
@pytest.mark.skipif(not BPIC.exists(), reason="the BPIC 2013 log is not on this machine")
def test_bpic_2013_replay_reproduces_the_escalation_shares_within_two_points():
    obs = from_cases(read_cases(BPIC))
    est = estimate(obs, ("L1", "L2", "L3"), tz="Europe/Brussels",
                   since=max(obs.arrivals) - 28 * 86400)
    model = replace(est.model, trend=0.0)  # a stationary replay of the log's last weeks
    plan = planner.plan(model, planner.Options(weeks=12))
    result = simulate(model, plan.scheduled, replications=20, seed=2013, warmup_hours=168,
                      cooldown_hours=7 * 168)
    for code, observed in est.observed_escalation.items():
        simulated = result.measures[f"escalated.{code}"].mean
        assert abs(simulated - observed) < 0.02, (code, simulated, observed)
