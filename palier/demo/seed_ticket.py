"""One ticket from intake to closure: the scenario, the time layout, and the rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from palier.demo.seed_story import Story

if TYPE_CHECKING:
    from palier.demo.seed_gen import Batch, Generator

DAY = 86400
AGENT_CHANNELS = frozenset({"phone", "chat", "walk_in"})
SYSTEM_CHANNELS = frozenset({"api", "monitoring"})
EARLY_PRIORITIES = frozenset({"P1", "P2"})


def write_ticket(g: Generator, t: int, out: Batch) -> None:
    """Draw a ticket created at ``t``, play its life, and append its rows to ``out``."""
    rnd, snap = g.rng.random, g.snap
    kind = "incident" if rnd() < 0.6 else "request"
    impact, urgency = g.pick(g.impact_pick), g.pick(g.urgency_pick)
    priority = snap.matrix[(impact, urgency)]
    requester, client = g.choice(snap.requesters)
    category = g.pick(g.category_pick) if rnd() > 0.02 else None
    channel = g.pick(g.channel_pick)
    if channel == "monitoring" and kind == "request":
        channel = "portal"
    contract = snap.contract_for(client, g.date_of(t))
    response, resolution = snap.targets(contract, priority)
    level, group, skip, rule = snap.route(category, priority, kind, client)
    tid = g.ids.ticket
    g.ids.ticket += 1
    story = g.new_story(tid, client, requester, category, resolution * 60.0, level, group)
    description = g.choice(g.texts.descriptions[category])
    state = g.pick(g.state_pick) if g.is_active(t) else None
    _play(g, story, state, channel, contract.level_ids if contract else None, priority,
          g.created_data(level, group, priority, rule), description)
    _lay_out(g, story, t, finished=state is None)
    out.tickets.append([
        tid, g.next_number(kind), kind, g.choice(g.texts.titles[(category, kind)]),
        description, story.status, client, contract.id if contract else None, requester,
        category, impact, urgency, priority, channel, *_ticket_state(story), int(skip),
        *_ticket_times(g, story, t, response, resolution), story.version])
    out.events.extend(story.events)
    out.handoffs.extend(h[0] for h in story.handoffs)
    out.worklogs.extend(w[0] for w in story.worklogs)


def _play(g: Generator, s: Story, state: str | None, channel: str,
          contract_levels: frozenset[int] | None, priority: str, created: str,
          description: str) -> None:
    """The scenario: intake, first-level work, the climb, then an end or a stop."""
    rnd = s.rnd
    taker = s.pick(s.group)
    if channel in SYSTEM_CHANNELS:
        creator = None
    else:
        creator = taker[1] if taker and channel in AGENT_CHANNELS else s.requester
    s.create(creator, description, created)
    auto = g.snap.groups[s.group][2]
    if state == "new" and not auto:
        return
    s.take(taker, auto=auto)
    if rnd() < 0.5:
        s.message()
    if state is None and rnd() < 0.08:
        s.pending()
        s.message(from_requester=True)
    if rnd() < 0.08:
        s.note()
    up = g.chain(s.level, contract_levels)
    steps = min(len(up), max(0, g.pick(g.climb_pick) - g.position[s.level]))
    if state == "escalated":
        if up:
            steps = max(1, steps)
        else:
            state = "open"
    _climb(s, up[:steps], stop_pending=state == "escalated")
    if state is not None:
        _stop(s, state)
    else:
        _finish(g, s, steps > 0, priority)


def _climb(s: Story, levels: list[int], *, stop_pending: bool) -> None:
    """Escalate one level at a time; a handoff is sometimes returned, then sent again."""
    rnd = s.rnd
    for i, level in enumerate(levels):
        if rnd() < 0.2:
            s.worklog()
        s.escalate(level)
        if stop_pending and i == len(levels) - 1:
            return
        if rnd() < 0.08:
            s.return_escalation()
            s.escalate(level, mean=0.08)
        s.accept()
        if rnd() < 0.25:
            s.message()


def _stop(s: Story, state: str) -> None:
    """Leave an active ticket in its drawn state."""
    if state == "pending":
        s.pending()
    elif state == "pending_vendor":
        s.engage_vendor()
    elif state == "open" and s.rnd() < 0.3:
        s.message(from_requester=True)


def _finish(g: Generator, s: Story, climbed: bool, priority: str) -> None:
    rnd = s.rnd
    if (climbed and rnd() < 0.05) or rnd() < 0.005:
        s.engage_vendor()
        s.resume()
    if climbed and rnd() < 0.08:
        s.de_escalate(g.ranked[g.position[s.level] - 1])
    if priority in EARLY_PRIORITIES and rnd() < 0.05:
        s.alert_managers()
    if rnd() < 0.25:
        s.worklog()
    s.resolve()
    if rnd() < 0.02:
        s.reopen()
        s.resolve()


def _lay_out(g: Generator, s: Story, t: int, *, finished: bool) -> None:
    """Turn the gaps into times before now (squeezed if needed); close old resolutions."""
    total = sum(s.gaps)
    limit = g.now - 60
    factor = max(0.0, limit - t) / total if total and t + total > limit else 1.0
    fmt, acc = g.fmt, float(t)
    last = t
    for event, gap in zip(s.events, s.gaps, strict=True):
        acc += gap * factor
        last = int(acc)
        event[4] = fmt(last)
    if finished and s.status == "resolved" and s.rnd() < 0.97:
        closing = last + int((1 + 4 * s.rnd()) * DAY)
        if closing < g.now:
            actor = s.requester if s.rnd() < 0.35 else s.actor()
            s.status = "closed"
            s.event("closed", actor, 0, public=1)
            s.events[-1][4] = fmt(closing)
    for row, created, decided in s.handoffs:
        row[13] = s.events[created][4]
        row[16] = s.events[decided][4] if decided is not None else None
    for row, index in s.worklogs:
        row[6] = s.events[index][4]


def _ticket_state(s: Story) -> tuple:
    """level, group, assignee, vendor, vendor reference, resolution."""
    return (s.level, s.group, s.assignee[0] if s.assignee else None, s.vendor[0], s.vendor[1],
            s.resolution)


def _ticket_times(g: Generator, s: Story, t: int, response: int, resolution: int) -> tuple:
    """created, updated, first response, resolved, closed, response due, due."""
    ev = s.events
    closed = ev[-1][4] if s.status == "closed" else None
    return (ev[0][4], ev[s.updated][4],
            ev[s.first_response][4] if s.first_response is not None else None,
            ev[s.resolved][4] if s.resolved is not None else None, closed,
            g.fmt(t + response * 60), g.fmt(t + resolution * 60))
