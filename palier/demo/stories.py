"""The life of one demo ticket, told through the ticket services.

Level 1 takes it and often solves it at first contact; otherwise it may wait on the
requester, go to a vendor, or escalate with a handoff (which can be returned), be accepted,
go on to level 3, come back down with instructions, and finally be resolved, sometimes
reopened, then closed.
"""

from __future__ import annotations

from palier.accounts.models import User
from palier.demo import phrases
from palier.demo.replay import Replay, Truncated
from palier.tickets import services
from palier.tickets.models import TicketStatus


def tell(replay: Replay) -> None:
    """Play the replay's plan until it is closed or reaches the present."""
    try:
        opener = replay.open()
        if replay.rank() == 1:
            _level_one(replay, opener)
        else:
            agent = replay.member()
            replay.act((2, 20) if replay.plan.urgent else (10, 120), services.take, agent)
            _upper(replay, agent, replay.rank())
        _aftercare(replay)
    except Truncated:
        pass


def _level_one(r: Replay, opener: User | None) -> None:
    plan = r.plan
    agent = opener or r.l1()
    r.act((1, 3) if opener else (10, 240), services.take, agent)
    if plan.fcr:
        if r.rng.random() < 0.35:
            r.act((3, 15), services.log_work, agent, minutes=r.rng.randint(4, 15),
                  note="Solved during the first contact")
        r.act((1, 5), services.resolve, agent, resolution=plan.resolution)
        return
    r.act((2, 20), services.add_message, agent, body=r.say("first_response"))
    if plan.pending:
        _pending(r, agent)
    if plan.vendor == 1:
        _vendor(r, agent)
    if plan.top == 1:
        r.act((30, 600), services.log_work, agent, minutes=r.minutes(1))
        r.act((5, 240), services.resolve, agent, resolution=plan.resolution)
        return
    _escalate(r, agent, 2)


def _escalate(r: Replay, agent: User, target: int) -> None:
    """Escalate to ``target`` with a handoff; a thin one is returned first."""
    plan = r.plan
    if r.rng.random() < 0.25:
        r.act((5, 60), services.add_message, agent, internal=True,
              body=r.note("l1_note" if target == 2 else f"l{target - 1}_note"))
    r.act((15, 240), services.log_work, agent, minutes=r.minutes(target - 1),
          note="Diagnosis before escalation")
    thin = bool(plan.returned) and target == 2
    r.act((1, 10), services.escalate, agent, to_level_id=r.level_id(target),
          handoff=r.handoff(thin=thin))
    receiver = r.member()
    if thin:
        reason = r.pick(phrases.RETURN_REASONS[plan.returned])
        r.act((30, 480), services.return_escalation, receiver, reason=reason)
        if plan.returned == "wrong_level":
            _resolve_after_instructions(r, agent, 1, message="procedure")
            return
        r.act((60, 900), services.add_message, agent, internal=True,
              body=r.note("more_evidence"))
        r.act((1, 10), services.escalate, agent, to_level_id=r.level_id(target),
              handoff=r.handoff())
        receiver = r.member()
    r.act((5, 30) if plan.urgent else (30, 600), services.accept, receiver)
    if target == 2 and r.rng.random() < 0.5:
        r.act((5, 30), services.add_message, receiver,
              body=r.say("progress", group=r.cast.group_names[r.ticket.group_id]))
    _upper(r, receiver, target)


def _upper(r: Replay, agent: User, rank: int) -> None:
    """Work at level 2 or 3: investigate, maybe alert, vendor, go up or come back down."""
    plan = r.plan
    slow = 1.0 if rank == 2 else 1.6
    if r.rng.random() < 0.75:
        r.act((60 * slow, 900 * slow), services.add_message, agent, internal=True,
              body=r.note(f"l{rank}_note"))
    if plan.alert and not r.alerted:
        r.alerted = True
        r.act((5, 30), services.alert_managers, agent, reason=r.pick(phrases.ALERTS))
        r.act((5, 30), services.add_message, r.cast.manager, internal=True,
              body=r.note("manager"))
    if plan.chaser and rank == 2:
        r.act((120, 900), services.add_message, plan.requester, body=r.say("chaser"))
    if plan.vendor == rank:
        _vendor(r, agent)
    if plan.top > rank:  # the escalation logs the time spent here
        _escalate(r, agent, rank + 1)
        return
    r.act((120 * slow, 1500 * slow), services.log_work, agent, minutes=r.minutes(rank))
    if plan.de_escalate:
        r.act((5, 60), services.de_escalate, agent, to_level_id=r.level_id(rank - 1),
              instructions=r.pick(phrases.INSTRUCTIONS["to_l1" if rank == 2 else "to_l2"]))
        lower = r.assignee()
        if lower is None:
            lower = r.member()
            r.act((10, 120), services.take, lower)
        _resolve_after_instructions(r, lower, rank - 1)
    else:
        r.act((30, 900 * slow), services.resolve, agent, resolution=plan.resolution)


def _resolve_after_instructions(r: Replay, agent: User, rank: int, *,
                                message: str = "confirm") -> None:
    """A lower level finishes the job it was handed back, then resolves."""
    if rank == 1:
        r.act((10, 120), services.add_message, agent, body=r.say(message))
        r.act((30, 600), services.add_message, r.plan.requester, body=r.say("thanks"))
    else:
        r.act((120, 900), services.add_message, agent, internal=True,
              body="Applied the change on the remaining hosts as instructed.")
    r.act((2, 20), services.log_work, agent, minutes=r.minutes(rank))
    r.act((2, 30), services.resolve, agent, resolution=r.plan.resolution)


def _pending(r: Replay, agent: User) -> None:
    """Ask the requester something; they answer (which resumes the ticket) or the agent
    resumes it after a while."""
    r.act((5, 60), services.set_pending, agent, waiting_on=r.say("question"))
    if r.rng.random() < 0.85:
        r.act((60, 1500), services.add_message, r.plan.requester,
              body=r.say("requester_reply"))
    else:
        r.act((900, 1500), services.resume, agent)


def _vendor(r: Replay, agent: User) -> None:
    """Engage a vendor, tell the requester, wait for the vendor, resume."""
    vendor = r.pick(phrases.VENDORS[r.plan.leaf.area])
    reference = f"{r.rng.choice(('SR', 'CAS', 'INC'))}-{r.rng.randint(100000, 9999999)}"
    r.act((10, 120), services.engage_vendor, agent, vendor=vendor, reference=reference)
    r.act((1, 10), services.add_message, agent,
          body=r.say("vendor", vendor=vendor, reference=reference))
    r.act((1200, 4800), services.add_message, agent, internal=True,
          body=r.note("vendor_reply", vendor=vendor))
    r.act((5, 60), services.resume, agent)


def _aftercare(r: Replay) -> None:
    """After the resolution: sometimes reopened and resolved again; then closed."""
    if r.ticket.status != TicketStatus.RESOLVED:
        return
    plan = r.plan
    r.urgent = False
    agent = r.assignee() or r.member()
    if plan.reopen:
        r.act((120, 1800), services.reopen, plan.requester, reason=r.say("reopen"))
        r.act((10, 120), services.add_message, agent, internal=True, body=r.note(
            f"l{r.rank()}_note"))
        r.act((10, 240), services.log_work, agent, minutes=r.minutes(r.rank()))
        r.act((5, 60), services.resolve, agent, resolution=plan.resolution)
    if plan.requester_closes:
        if r.rng.random() < 0.3:
            r.act((10, 600), services.add_message, plan.requester, body=r.say("thanks"))
        r.act((10, 900), services.close, plan.requester)
    else:
        r.act((1500, 1800), services.close, agent)


__all__ = ["Truncated", "tell"]
