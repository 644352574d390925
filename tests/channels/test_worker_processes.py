"""Real ``palier worker`` processes on PostgreSQL share the channel jobs: each notification
is sent exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from palier.channels.models import Delivery, OutboundMessage

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _worker(port: int) -> subprocess.Popen:
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@"
           f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    env = {**os.environ, "PALIER_DATABASE_URL": url, "PALIER_SMTP_HOST": "127.0.0.1",
           "PALIER_SMTP_PORT": str(port)}
    return subprocess.Popen([sys.executable, "-m", "palier", "worker", "--once", "--jobs",
                             "channels.*"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_three_workers_send_every_notification_exactly_once(desk, smtp, settings):
    for n in range(15):
        desk.open(desk.a if n % 2 else desk.b, title=f"Ticket {n}")
    workers = [_worker(settings.EMAIL_PORT) for _ in range(3)]
    for process in workers:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    ids = Counter(m["Message-ID"] for m in smtp.messages  # (other apps' jobs mail too)
                  if m["Message-ID"].endswith("@palier.localhost>"))
    assert len(ids) == 15 and max(ids.values()) == 1
    assert OutboundMessage.objects.filter(status=Delivery.SENT).count() == 15
