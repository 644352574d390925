"""The Django side of ``bench/load.py``: prepare the load-test desk, and check it afterwards.

Run as ``python bench/_load_desk.py prepare|check FILE`` with the server's environment.

``prepare`` adds (once) a client on a 24×7 calendar whose SLA policy has one-minute
first-response and two-minute resolution targets, so that warnings and breaches come due
during a short run; it gives a few L1 agents that client and mints their API tokens and
session cookies, and session cookies for some of the client's requesters (the portal).
``check`` reads what the load generator was told (tickets created, messages
posted, tickets taken, all answered 2xx, and every create it sent with its idempotency key)
and verifies the journal, that no key opened two tickets or posted a message twice, and the
SLA ledger.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import F, Q  # noqa: E402

from palier.accounts.models import Agent, Level, Role, User  # noqa: E402
from palier.accounts.services import create_token  # noqa: E402
from palier.clients.models import Client, Contract  # noqa: E402
from palier.core import clock  # noqa: E402
from palier.idempotency.models import IdempotencyKey  # noqa: E402
from palier.sla.models import Calendar, SlaAlarm, SlaPolicy  # noqa: E402
from palier.tickets.models import EventKind, Ticket, TicketEvent  # noqa: E402

CLIENT_CODE = "loadtest"
MINUTES = {"response": 1, "resolution": 2}
SLA_KINDS = (EventKind.SLA_WARNING, EventKind.SLA_BREACH)


def prepare(agents: int, requesters: int) -> dict:
    """Create the load-test client once; return tokens, cookies and requesters."""
    client = _client()
    people = [User.objects.get_or_create(
        email=f"req-{n}@{CLIENT_CODE}.example",
        defaults={"role": Role.REQUESTER, "client": client, "full_name": f"Requester {n}"})[0]
        for n in range(requesters)]
    chosen = list(Agent.objects.filter(user__role=Role.AGENT, user__is_active=True,
                                       groups__level__code="L1")
                  .select_related("user").distinct().order_by("pk")[:agents])
    if not chosen:
        raise SystemExit("The desk has no L1 agent; seed it first.")
    sides = []
    for agent in chosen:
        agent.clients.add(client)
        _, secret = create_token(agent.user, name="load test", expires_days=2)
        sides.append({"email": agent.user.email, "token": secret,
                      "session": _session(agent.user)})
    portal = [{"email": p.email, "session": _session(p)} for p in people[:agents * 2]]
    return {"client": client.pk, "requesters": [p.email for p in people], "agents": sides,
            "portal": portal, "started_at": clock.now().isoformat()}


def _client() -> Client:
    client, created = Client.objects.get_or_create(code=CLIENT_CODE,
                                                   defaults={"name": "Load Test Ltd"})
    if created:
        calendar, _ = Calendar.objects.get_or_create(name="Load test 24×7",
                                                     defaults={"is_24x7": True})
        contract = Contract.objects.create(client=client, name="Load test",
                                           starts_on=date(2020, 1, 1))
        contract.included_levels.set(Level.objects.all())
        SlaPolicy.objects.create(
            name="Load test: one minute", contract=contract, calendar=calendar,
            response_minutes={p: MINUTES["response"] for p in ("P1", "P2", "P3", "P4")},
            resolution_minutes={p: MINUTES["resolution"] for p in ("P1", "P2", "P3", "P4")})
    return client


def _session(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def check(told: dict) -> dict:
    """Every acknowledged write is in the database, and every SLA alarm due fired once."""
    created = {int(k): v for k, v in told["created"].items()}
    tickets = {t.pk: t for t in Ticket.objects.filter(pk__in=created)}
    journal = _journal(list(tickets))
    missing = [n for pk, n in created.items() if pk not in tickets]
    no_created_event = [pk for pk in tickets if EventKind.CREATED not in journal[pk]["kinds"]]
    lost_messages = [m for m in told["messages"]
                     if m["body"] not in journal.get(m["ticket"], {}).get("bodies", {})]
    # A message retried after an answer lost in flight carries its first attempt's
    # idempotency key: found twice, the key did not hold.
    twice = [m for m in told["messages"]
             if journal.get(m["ticket"], {}).get("bodies", {}).get(m["body"], 0) > 1]
    lost_takes = [t for t in told["taken"]
                  if EventKind.ASSIGNED not in journal.get(t, {}).get("kinds", ())]
    return {"tickets_told": len(created), "tickets_missing": len(missing),
            "tickets_without_created_event": len(no_created_event),
            "messages_told": len(told["messages"]), "messages_missing": len(lost_messages),
            "messages_posted_twice": len(twice),
            "idempotency": check_submissions(told["submissions"]),
            "takes_told": len(told["taken"]), "takes_missing": len(lost_takes),
            "sla": check_sla(datetime.fromisoformat(told["checkpoint"])),
            "examples": {"missing": missing[:5], "lost_messages": lost_messages[:5]}}


def _journal(ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {pk: {"kinds": set(), "bodies": Counter()} for pk in ids}
    for start in range(0, len(ids), 5000):
        rows = TicketEvent.objects.filter(ticket_id__in=ids[start:start + 5000]) \
            .values_list("ticket_id", "kind", "body")
        for pk, kind, body in rows:
            found[pk]["kinds"].add(kind)
            found[pk]["bodies"][body] += 1
    return found


def check_submissions(sent: list[dict]) -> dict:
    """Every create sent (acknowledged or not, retried or not) opened at most one ticket, and
    each acknowledged one is the ticket its key is stored with. Each create's description is
    unique (it names its key), so the tickets bearing it are the ones it opened."""
    opened: Counter = Counter()
    holder: dict[str, int] = {}
    keys: dict[str, int] = {}
    for start in range(0, len(sent), 2000):
        chunk = sent[start:start + 2000]
        for pk, text in Ticket.objects.filter(
                client__code=CLIENT_CODE,
                description__in=[s["description"] for s in chunk]).values_list("pk",
                                                                               "description"):
            opened[text] += 1
            holder[text] = pk
        keys.update(IdempotencyKey.objects.filter(key__in=[s["key"] for s in chunk])
                    .values_list("key", "ticket_id"))
    acknowledged = [s for s in sent if s["ticket"] is not None]
    twice = [s["key"] for s in sent if opened[s["description"]] > 1]
    elsewhere = [s["key"] for s in acknowledged
                 if (keys.get(s["key"]), holder.get(s["description"])) != (s["ticket"],) * 2]
    return {"creates_sent": len(sent), "creates_acknowledged": len(acknowledged),
            "keys_with_two_tickets": len(twice),
            "acknowledged_not_the_keys_ticket": len(elsewhere),
            "unacknowledged_but_opened": sum(1 for s in sent if s["ticket"] is None
                                             and opened[s["description"]]),
            "examples": {"two_tickets": twice[:5], "elsewhere": elsewhere[:5]}}


def check_sla(checkpoint: datetime) -> dict:
    """Over the load-test client's tickets, as of ``checkpoint`` (when the workers had caught
    up, before the server stopped): nothing due is left unfired, each ledger row has exactly
    one journal event, and each target whose due time passed unmet has its breach."""
    cutoff = checkpoint - timedelta(seconds=5)
    mine = Ticket.objects.filter(client__code=CLIENT_CODE)
    overdue = mine.filter(next_sla_check_at__lte=cutoff).count()
    ledger = Counter(SlaAlarm.objects.filter(ticket__client__code=CLIENT_CODE)
                     .values_list("ticket_id", "target", "kind", "cycle"))
    events = Counter(
        (pk, d.get("target"), d.get("kind"), d.get("cycle") or "")
        for pk, d in TicketEvent.objects.filter(ticket__client__code=CLIENT_CODE,
                                                kind__in=SLA_KINDS)
        .values_list("ticket_id", "data"))
    twice = sum(1 for n in events.values() if n > 1)
    unmatched = len(set(events) ^ set(ledger))
    breached = {(pk, target) for pk, target, kind, _ in ledger if kind == "breach"}
    response_due = mine.filter(response_due_at__lte=cutoff).filter(
        Q(first_response_at__isnull=True) | Q(first_response_at__gt=F("response_due_at")))
    resolution_due = mine.filter(due_at__lte=cutoff).filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("due_at")))
    no_breach = [pk for pk in response_due.values_list("pk", flat=True)
                 if (pk, "response") not in breached]
    no_breach += [pk for pk in resolution_due.values_list("pk", flat=True)
                  if (pk, "resolution") not in breached]
    return {"alarms_in_ledger": sum(ledger.values()), "alarm_events": sum(events.values()),
            "fired_twice": twice, "ledger_event_mismatches": unmatched,
            "due_but_unfired_tickets": overdue, "targets_passed": response_due.count()
            + resolution_due.count(), "targets_passed_without_breach": len(no_breach)}


def lag_seconds() -> float:
    """How late the most overdue SLA check of the load client is (0: none)."""
    oldest = Ticket.objects.filter(client__code=CLIENT_CODE, next_sla_check_at__isnull=False) \
        .order_by("next_sla_check_at").values_list("next_sla_check_at", flat=True).first()
    return max(0.0, (clock.now() - oldest).total_seconds()) if oldest else 0.0


def main() -> None:
    mode = sys.argv[1]
    if mode == "prepare":
        print(json.dumps(prepare(int(sys.argv[2]), int(sys.argv[3]))))
    elif mode == "lag":
        print(json.dumps({"lag": lag_seconds()}))
    elif mode == "check":
        print(json.dumps(check(json.loads(Path(sys.argv[2]).read_text()))))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
