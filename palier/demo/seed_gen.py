"""Generate batches of tickets with their full history, as rows ready for bulk insert.

Shares: ~60 % incidents; ~68 % end at L1, ~25 % reach L2, ~7 % L3 (capped by the levels the
contract covers); some returns, de-escalations, vendor and pending waits, reopenings.
About ``active_share`` of the tickets are still active, mostly the recent ones; the rest are
resolved, and closed a few days later. Times are whole seconds, UTC.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from math import exp

from palier.demo import seed_text as text
from palier.demo.seed_directory import Snapshot
from palier.demo.seed_story import Story
from palier.demo.seed_ticket import write_ticket
from palier.tickets.models import KIND_PREFIX

DAY = 86400
#: Final state of an active ticket, with its weight.
ACTIVE_STATES = (("new", 20), ("open", 42), ("escalated", 10), ("pending", 18),
                 ("pending_vendor", 10))
#: How far up the levels a ticket goes (positions by rank: 0 = first level). Contracts
#: that stop at L2 and intake rules that start at L2 bring the end result near 65/25/7.
CLIMB = ((0, 67), (1, 23), (2, 10))
CHANNELS = (("portal", 35), ("email", 30), ("phone", 20), ("chat", 8), ("monitoring", 4),
            ("api", 2), ("walk_in", 1))
AGENT_CHANNELS = frozenset({"phone", "chat", "walk_in"})
IMPACTS = (("high", 10), ("medium", 40), ("low", 50))
URGENCIES = (("high", 15), ("medium", 45), ("low", 40))


@dataclass
class Ids:
    """The next primary key to use per table."""

    ticket: int
    event: int
    handoff: int
    worklog: int


@dataclass
class Batch:
    tickets: list[list] = field(default_factory=list)
    events: list[list] = field(default_factory=list)
    handoffs: list[list] = field(default_factory=list)
    worklogs: list[list] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)


def _picker(pairs: tuple) -> tuple[list, list[float]]:
    values, weights = zip(*pairs, strict=True)
    return list(values), list(accumulate(weights))


class _Days(dict):
    """Day number → 'YYYY-MM-DD ', built on first use."""

    def __missing__(self, day: int) -> str:
        value = (date(1970, 1, 1) + timedelta(days=day)).isoformat() + " "
        self[day] = value
        return value


class Generator:
    """Builds batches of tickets; one instance per seeding run (it owns the id counters)."""

    def __init__(self, snap: Snapshot, *, ids: Ids, counters: dict[str, int], now: datetime,
                 days: int, seed: int | None, tz_suffix: str = "",
                 active_share: float = 0.04) -> None:
        self.snap, self.ids, self.counters = snap, ids, dict(counters)
        self.rng = random.Random(seed)
        self.choice = self.rng.choice
        self.now, self.days = int(now.timestamp()), days
        self.codes = {pk: code for pk, (code, _) in snap.levels.items()}
        self.group_json = {pk: text.jstr(name) for pk, (name, _, _) in snap.groups.items()}
        self.agent_users = {a.id: a.user_id for a in snap.agents}
        ranked = snap.level_ids_by_rank()
        self.position = {pk: i for i, pk in enumerate(ranked)}
        self.ranked = ranked
        self._days, self._hms = _Days(), [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{tz_suffix}" for s in range(DAY)]
        self._active_curve(active_share)
        self._pickers()
        self.texts = text.TextPools(self.rng, {None: "the service", **{
            pk: c.name for pk, c in snap.categories.items()}})
        self._memo: dict = {}

    def _active_curve(self, share: float) -> None:
        """p(age) = a·exp(-age/tau) + exp(-age/half a day): the mean over the period is
        ``share``, and tickets of the last hours are nearly all still active."""
        span = self.days * DAY
        self.tau, self.fresh = span / 12, DAY / 2
        fresh_mean = self.fresh / span * (1 - exp(-span / self.fresh))
        self.amplitude = max(0.0, share - fresh_mean) * 12 / (1 - exp(-12))

    def _pickers(self) -> None:
        snap = self.snap
        active = [pk for pk, c in snap.categories.items() if c.active]
        self.rng.shuffle(active)
        weights = [1 / (i + 1) ** 0.7 for i in range(len(active))]
        self.category_pick = (active, list(accumulate(weights)))
        self.state_pick = _picker(ACTIVE_STATES)
        self.climb_pick = _picker(CLIMB)
        self.channel_pick = _picker(CHANNELS)
        self.impact_pick, self.urgency_pick = _picker(IMPACTS), _picker(URGENCIES)
        # Hour-of-week weights: busy on weekday office hours, quiet at night and weekends.
        self.hour_weight = [
            (1.0 if 8 <= h < 18 else 0.15 if 6 <= h < 21 else 0.04) * (1 if d < 5 else 0.1)
            for d in range(7) for h in range(24)]

    # -- helpers ---------------------------------------------------------------------------

    def fmt(self, t: int) -> str:
        """A timestamp as the database takes it as text (UTC)."""
        return self._days[t // DAY] + self._hms[t % DAY]

    def pick(self, picker: tuple[list, list[float]]):
        values, cum = picker
        return values[bisect(cum, self.rng.random() * cum[-1])]

    def handoff_fields(self, category: int | None, n: int) -> str:
        names = self.snap.handoff_fields(category)
        if not names:
            return "{}"
        return text.jstr({f: text.TextPools.handoff_value(f, n) for f in names})

    def chain(self, level: int, contract_levels: frozenset[int] | None) -> list[int]:
        """The levels above ``level`` an escalation may reach one by one (contract allowing)."""
        key = ("chain", level, contract_levels)
        if key not in self._memo:
            up: list[int] = []
            for pk in self.ranked[self.position[level] + 1:]:
                if contract_levels is not None and pk not in contract_levels:
                    break
                up.append(pk)
            self._memo[key] = up
        return self._memo[key]

    def created_data(self, level: int, group: int, priority: str, rule: int | None) -> str:
        key = ("created", level, group, priority, rule)
        if key not in self._memo:
            extra = f', "rule": {rule}' if rule is not None else ""
            self._memo[key] = (f'{{"level": "{self.codes[level]}", "group": '
                               f'{self.group_json[group]}, "priority": "{priority}"{extra}}}')
        return self._memo[key]

    def creation_times(self, start: int, end: int, n: int) -> list[int]:
        """``n`` sorted instants in [start, end), denser in office hours."""
        rnd, weight, out = self.rng.random, self.hour_weight, []
        width = max(1, end - start)
        while len(out) < n:
            t = start + int(rnd() * width)
            if rnd() < weight[(t // 3600 + 72) % 168]:  # 1970-01-01 was a Thursday
                out.append(t)
        out.sort()
        return out

    def is_active(self, t: int) -> bool:
        age = self.now - t
        return self.rng.random() < self.amplitude * exp(-age / self.tau) + exp(-age / self.fresh)

    # -- batches ---------------------------------------------------------------------------

    def batch(self, start: int, end: int, n: int) -> Batch:
        """``n`` tickets created in [start, end), with their journal, handoffs and worklog."""
        out = Batch()
        for t in self.creation_times(start, end, n):
            write_ticket(self, t, out)
        out.counters = dict(self.counters)
        return out

    def next_number(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{KIND_PREFIX[kind]}-{self.counters[kind]:06d}"

    def new_story(self, tid: int, client: int, requester: int, category: int | None,
                  unit: float, level: int, group: int) -> Story:
        return Story(self, tid, client, requester, category, unit, level, group)

    def date_of(self, t: int) -> date:
        key = ("date", t // DAY)
        if key not in self._memo:
            self._memo[key] = datetime.fromtimestamp(t - t % DAY, UTC).date()
        return self._memo[key]
