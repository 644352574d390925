"""A small desk history built through the services at known times, with its facts stored."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from palier.reports import facts
from palier.reports.metrics import Facts, case_facts
from palier.tickets import services
from tests.factories import full_handoff

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


@pytest.fixture
def history(desk, time_machine) -> SimpleNamespace:
    """Five tickets of client A and one of client B:

    - ``fcr``: L1 takes, answers at +10, resolves at +30.
    - ``climb``: L1 → L2 (accepted) → L3 (accepted), resolved at L3; 60 min of L2 worklog.
    - ``bounce``: escalated to L2, returned to L1, paused 60 min, resolved, reopened, resolved.
    - ``down``: escalated to L2, accepted, de-escalated to L1, resolved at L1.
    - ``open``: taken, still open.
    - ``other``: client B, resolved at L1 (never counted for client A).
    """
    a, b, lv = desk.a, desk.b, desk.levels
    move = lambda n: time_machine.move_to(minutes(n), tick=False)  # noqa: E731
    move(0)
    fcr = desk.open(a)
    services.take(a.l1, fcr.pk)
    move(10)
    services.add_message(a.l1, fcr.pk, body="Try reconnecting now.")
    move(30)
    services.resolve(a.l1, fcr.pk, resolution="Reset the tunnel")

    move(0)
    climb = desk.open(a)
    services.take(a.l1, climb.pk)
    move(20)
    services.escalate(a.l1, climb.pk, to_level_id=lv["L2"].pk, handoff=full_handoff())
    move(30)
    services.accept(a.l2, climb.pk)
    services.log_work(a.l2, climb.pk, minutes=60)
    move(90)
    services.escalate(a.l2, climb.pk, to_level_id=lv["L3"].pk, handoff=full_handoff())
    move(100)
    services.accept(a.l3, climb.pk)
    move(160)
    services.resolve(a.l3, climb.pk, resolution="Replaced the firewall module")

    move(0)
    bounce = desk.open(a)
    services.take(a.l1, bounce.pk)
    move(5)
    services.escalate(a.l1, bounce.pk, to_level_id=lv["L2"].pk, handoff=full_handoff())
    move(15)
    services.return_escalation(a.l2, bounce.pk, reason="Check the cable first")
    move(20)
    services.set_pending(a.l1, bounce.pk, waiting_on="A photo of the cable")
    move(80)
    services.resume(a.l1, bounce.pk)
    move(90)
    services.resolve(a.l1, bounce.pk, resolution="New cable")
    move(200)
    services.reopen(a.requester, bounce.pk, reason="Still dropping")
    move(210)
    services.resolve(a.l1, bounce.pk, resolution="Second new cable")

    move(0)
    down = desk.open(a)
    services.take(a.l1, down.pk)
    move(10)
    services.escalate(a.l1, down.pk, to_level_id=lv["L2"].pk, handoff=full_handoff())
    move(20)
    services.accept(a.l2, down.pk)
    move(50)
    services.de_escalate(a.l2, down.pk, to_level_id=lv["L1"].pk,
                         instructions="Confirm with the user")
    move(70)
    services.resolve(a.l1, down.pk, resolution="Confirmed fixed")

    move(0)
    still_open = desk.open(a)
    services.take(a.l1, still_open.pk)
    move(40)
    services.add_message(a.l1, still_open.pk, body="Looking into it.")

    move(0)
    other = desk.open(b)
    services.take(b.l1, other.pk)
    move(15)
    services.resolve(b.l1, other.pk, resolution="Done")

    move(300)
    ids = [t.pk for t in (fcr, climb, bounce, down, still_open, other)]
    facts.store(ids)
    return SimpleNamespace(fcr=fcr, climb=climb, bounce=bounce, down=down, open=still_open,
                           other=other, ids=ids)


def journal_facts(ticket_ids: list[int], ranks: dict[str, int]) -> list[Facts]:
    """Each case's facts recomputed one ticket at a time from its row and journal (no batch,
    no SQL aggregation): the reference the stored facts and rollups are checked against."""
    desk_facts = facts.Desk.load()
    out = []
    for ticket_id in ticket_ids:
        (values,) = facts._select(f"SELECT {', '.join(facts.TICKET_FIELDS)} FROM "
                                  "tickets_ticket WHERE id IN ({ids})", [ticket_id])
        ticket = {k: (facts._when(v) if i >= 4 else v)
                  for i, (k, v) in enumerate(zip(facts.TICKET_FIELDS, values, strict=True))}
        events = facts._select("SELECT kind, actor_id, created_at, data FROM "
                               "tickets_ticketevent WHERE ticket_id IN ({ids}) "
                               "ORDER BY created_at, id", [ticket_id])
        steps = facts.ticket_steps(ticket, [(k, a, facts._when(t), facts._json(d))
                                            for k, a, t, d in events], desk_facts)
        out.append(case_facts(steps, ranks, first_level="L1"))
    return out

