"""Real ``palier worker`` processes racing on PostgreSQL: every alarm fires exactly once,
and a worker killed mid-batch loses nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from palier.core import clock
from palier.sla.models import SlaAlarm
from palier.tickets.models import Ticket, TicketEvent
from tests.sla.bulk import OWED_NOW, due_tickets

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict:
    """The environment of a worker process: the test database, nothing else changed."""
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@"
           f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    return {**os.environ, "PALIER_DATABASE_URL": url, **extra}


def _worker(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "palier", "worker", "--once",
                             "--jobs", "sla.alarms", *args],
                            cwd=ROOT, env=_env(**env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> int:
    out, err = process.communicate(timeout=300)
    assert process.returncode in (0, -signal.SIGKILL), err
    process.totals = re.findall(r"fired on (\d+) tickets", out)
    return process.returncode


def _assert_fired_exactly_once(ids: list[int]) -> None:
    events = Counter((e.ticket_id, e.data["target"], e.data["kind"], e.data["cycle"])
                     for e in TicketEvent.objects.filter(kind__in=["sla_warning", "sla_breach"]))
    assert max(events.values()) == 1
    assert len(events) == SlaAlarm.objects.count() == len(ids) * len(OWED_NOW)
    assert {(target, kind) for _, target, kind, _ in events} == OWED_NOW
    left = Ticket.objects.filter(pk__in=ids, next_sla_check_at__lte=clock.now())
    assert not left.exists()
    assert not Ticket.objects.filter(sla_claimed_until__isnull=False).exists()


def test_four_workers_racing_over_ten_thousand_due_tickets_fire_each_alarm_once(desk):
    ids = due_tickets(desk, desk.a, 10_000)
    workers = [_worker("--batch", "250") for _ in range(4)]
    assert [_finish(w) for w in workers] == [0, 0, 0, 0]
    held = [int(w.totals[-1]) for w in workers]
    assert sum(held) == len(ids)  # no ticket was held by two workers
    assert sum(1 for n in held if n) >= 2, held  # they really shared the work
    _assert_fired_exactly_once(ids)


def test_a_worker_killed_mid_batch_loses_nothing(desk):
    ids = due_tickets(desk, desk.a, 1_000)
    crashed = _worker("--batch", "100", "--lease", "8", PALIER_WORKER_CRASH_AFTER="250")
    assert _finish(crashed) == -signal.SIGKILL
    # Two batches were committed; the third was claimed, written, and never committed.
    fired = set(SlaAlarm.objects.values_list("ticket_id", flat=True))
    leased = set(Ticket.objects.filter(sla_claimed_until__gt=clock.now())
                 .values_list("pk", flat=True))
    assert (len(fired), len(leased)) == (200, 100) and not fired & leased
    assert _finish(_worker("--batch", "100")) == 0  # takes everything but the leased batch
    assert set(SlaAlarm.objects.values_list("ticket_id", flat=True)) == set(ids) - leased
    while Ticket.objects.filter(sla_claimed_until__gte=clock.now()).exists():
        time.sleep(0.2)  # real processes, real time: wait for the lease to run out
    assert _finish(_worker("--batch", "100")) == 0
    _assert_fired_exactly_once(ids)


def test_a_worker_stops_gracefully_on_sigterm(desk):
    due_tickets(desk, desk.a, 10)
    worker = subprocess.Popen([sys.executable, "-m", "palier", "worker", "--interval", "30",
                               "--jobs", "sla.alarms"],
                              cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True)
    assert "worker started" in worker.stdout.readline()
    while SlaAlarm.objects.count() < 10 * len(OWED_NOW):
        time.sleep(0.1)  # it fires what is due, then sleeps
    worker.send_signal(signal.SIGTERM)
    out, _ = worker.communicate(timeout=10)  # not the 30 s interval
    assert worker.returncode == 0 and "worker stopped: 20 warnings and 10 breaches" in out
