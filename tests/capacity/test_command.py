"""``palier capacity``: readable reports, JSON, and clear errors."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.capacity.history import START, build


def run(*args) -> str:
    out = StringIO()
    call_command("capacity", *args, stdout=out)
    return out.getvalue()


def test_erlang_prints_the_reference_interval():
    text = run("erlang", "--rate", "720", "--aht", "240", "--agents", "55", "--target", "15")
    assert "0.2387" in text and "8.18 s" in text and "84.6 %" in text


def test_erlang_json_with_patience():
    data = json.loads(run("erlang", "--rate", "720", "--aht", "240", "--agents", "55",
                          "--target", "15", "--patience", "600", "--json"))
    assert data["patience"] == 600 and 0 < data["p_abandon"] < 0.05


def test_erlang_refuses_bad_numbers():
    with pytest.raises(CommandError):
        run("erlang", "--rate", "720", "--aht", "0", "--agents", "55", "--target", "15")


def test_plan_and_simulate_from_the_desk_history(desk, time_machine):
    build(desk, time_machine, desk.a, weeks=1, per_day=2)
    time_machine.move_to(START + timedelta(weeks=1) - timedelta(hours=8), tick=False)
    email = desk.a.manager.email
    assert "L1:" in run("estimate", "--as", email)
    text = run("simulate", "--as", email, "--weeks", "1", "--shift-left", "10",
               "--replications", "1")
    assert "[what-if]" in text and "Simulation:" in text
    data = json.loads(run("plan", "--as", email, "--weeks", "1", "--json"))
    assert len(data["plans"]) == 1


def test_plan_refuses_an_agent_and_an_unknown_user(desk):
    with pytest.raises(CommandError):
        run("plan", "--as", desk.a.l1.email)
    with pytest.raises(CommandError):
        run("plan", "--as", "nobody@example.test")


def test_a_missing_log_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="event log"):
        run("estimate", "--log", str(tmp_path / "none.xes.gz"))
