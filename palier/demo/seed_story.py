"""One ticket's life as the services would have written it, built in memory as rows.

A ``Story`` replays the service steps (take, message, pending, escalate with a handoff,
accept or return, de-escalate, vendor, resolve, reopen, close) on a ticket held in plain
values, appending journal rows shaped like ``services.base.record`` writes them, handoff and
worklog rows, and the ticket row last. Times are laid out afterwards from per-step gaps.
"""

from __future__ import annotations

from math import log
from typing import TYPE_CHECKING

from palier.demo import seed_text as text

if TYPE_CHECKING:
    from palier.demo.seed_gen import Generator

#: Column order of the rows built here (the writers use the same tuples).
TICKET_COLUMNS = (
    "id", "number", "kind", "title", "description", "status", "client_id", "contract_id",
    "requester_id", "category_id", "impact", "urgency", "priority", "channel", "level_id",
    "group_id", "assignee_id", "vendor", "vendor_reference", "resolution", "skip_allowed",
    "created_at", "updated_at", "first_response_at", "resolved_at", "closed_at",
    "response_due_at", "due_at", "version",
)
EVENT_COLUMNS = ("id", "ticket_id", "kind", "actor_id", "created_at", "public", "body", "data")
HANDOFF_COLUMNS = (
    "id", "ticket_id", "from_level_id", "to_level_id", "from_group_id", "to_group_id",
    "from_assignee_id", "summary", "steps_tried", "diagnostics", "articles_consulted", "fields",
    "created_by_id", "created_at", "outcome", "decided_by_id", "decided_at", "return_reason",
)
WORKLOG_COLUMNS = ("id", "ticket_id", "agent_id", "level_id", "minutes", "note", "created_at")

MIN_GAP = 20  # seconds between two steps of one ticket


class Story:
    """The state of one ticket while its history is written."""

    __slots__ = ("assignee", "category", "client", "events", "first_response", "g", "gaps",
                 "group", "handoffs", "level", "r", "requester", "resolution", "resolved", "rnd",
                 "skill", "status", "tid", "updated", "vendor", "version", "worklogs")

    def __init__(self, g: Generator, tid: int, client: int, requester: int,
                 category: int | None, unit: float, level: int, group: int) -> None:
        self.g, self.tid, self.client, self.requester = g, tid, client, requester
        self.category, self.r, self.level, self.group = category, unit, level, group
        self.skill = g.snap.categories[category].skill_id if category else None
        self.rnd = g.rng.random
        self.status, self.assignee, self.version = "new", None, 1
        self.events: list[list] = []
        self.gaps: list[float] = []
        self.handoffs: list[list] = []     # [row, created_event, decided_event]
        self.worklogs: list[list] = []     # [row, event]
        self.first_response = self.resolved = None
        self.updated = 0
        self.vendor = ("", "")
        self.resolution = ""

    # -- journal ---------------------------------------------------------------------------

    def event(self, kind: str, actor: int | None, mean: float, *, public: int = 0,
              body: str = "", data: str = "{}", bump: bool = True) -> int:
        """Append one journal row, ``mean`` (in units of the ticket's target) after the last."""
        g = self.g
        self.events.append([g.ids.event, self.tid, kind, actor, None, public, body, data])
        g.ids.event += 1
        self.gaps.append(-mean * self.r * log(1.0 - self.rnd()) + MIN_GAP)
        index = len(self.events) - 1
        if bump:
            self.version += 1
            self.updated = index
        return index

    def actor(self) -> int | None:
        return self.assignee[1] if self.assignee else None

    def pick(self, group: int, *, besides: int | None = None) -> tuple[int, int] | None:
        """An eligible agent of ``group`` (other than user ``besides`` when possible)."""
        agents = self.g.snap.eligible(group, self.client, self.skill)
        if besides is not None and len(agents) > 1:
            agents = tuple(a for a in agents if a[1] != besides) or agents
        return agents[int(self.rnd() * len(agents))] if agents else None

    # -- intake and assignment -------------------------------------------------------------

    def create(self, actor: int | None, description: str, data: str) -> None:
        self.event("created", actor, 0, public=1, body=description, data=data, bump=False)
        self.gaps[-1] = 0.0

    def take(self, agent: tuple[int, int] | None = None, *, auto: bool = False) -> None:
        agent = agent or self.pick(self.group)
        if agent is None:
            return
        self.status, self.assignee = "open", agent
        how, actor = ("least_loaded", None) if auto else ("take", agent[1])
        self.event("assigned", actor, 0.0 if auto else 0.03,
                   data=f'{{"to_agent": {agent[0]}, "how": "{how}"}}')

    def message(self, *, from_requester: bool = False) -> None:
        if from_requester:
            resumed = self.status == "pending"
            if resumed:
                self.status = "open"
            self.event("message", self.requester, 0.25 if resumed else 0.1, public=1,
                       body=self.g.choice(text.REQUESTER_REPLIES),
                       data='{"resumed": true}' if resumed else "{}")
            return
        index = self.event("message", self.actor(), 0.05, public=1,
                           body=self.g.choice(text.AGENT_REPLIES))
        if self.first_response is None:
            self.first_response = index

    def note(self) -> None:
        self.event("note", self.actor(), 0.05, body=self.g.choice(text.NOTES))

    def worklog(self) -> None:
        if self.assignee is None:
            return
        g = self.g
        minutes = 5 + int(self.rnd() * self.rnd() * 235)
        note = g.choice(text.WORK_NOTES)
        code = g.codes[self.level]
        index = self.event("worklog", self.actor(), 0.03, body=note, bump=False,
                           data=f'{{"minutes": {minutes}, "level": "{code}"}}')
        row = [g.ids.worklog, self.tid, self.assignee[0], self.level, minutes, note, None]
        g.ids.worklog += 1
        self.worklogs.append([row, index])

    # -- waiting ---------------------------------------------------------------------------

    def pending(self) -> None:
        self.status = "pending"
        self.event("pending", self.actor(), 0.05, public=1, body=self.g.choice(text.WAITING_ON))

    def engage_vendor(self) -> None:
        g = self.g
        vendor = g.choice(text.VENDORS)
        reference = f"{vendor[:3].upper()}-{int(self.rnd() * 900000) + 100000}"
        self.status, self.vendor = "pending_vendor", (vendor, reference)
        self.event("vendor", self.actor(), 0.08,
                   data=f'{{"vendor": "{vendor}", "reference": "{reference}"}}')

    def resume(self) -> None:
        self.status = "open"
        self.event("resumed", self.actor(), 0.4)

    def alert_managers(self) -> None:
        self.event("managers_alerted", self.actor(), 0.1, body=self.g.choice(text.ALERT_REASONS),
                   data=f'{{"level": "{self.g.codes[self.level]}"}}')

    # -- escalation ------------------------------------------------------------------------

    def escalate(self, to_level: int, *, mean: float = 0.12) -> None:
        """Functional escalation with a complete handoff; the ticket awaits acceptance."""
        g = self.g
        to_group = g.snap.group_for_level(to_level, self.category)
        summary = g.choice(text.SUMMARIES)
        hid = g.ids.handoff
        g.ids.handoff += 1
        agent_id = self.assignee[0] if self.assignee else None
        row = [hid, self.tid, self.level, to_level, self.group, to_group, agent_id, summary,
               g.choice(text.STEPS), g.choice(text.DIAGNOSTICS), g.choice(text.ARTICLES),
               g.handoff_fields(self.category, hid), self.actor(), None, "pending", None, None,
               ""]
        index = self.event("escalated", self.actor(), mean, body=summary, data=(
            f'{{"handoff": {hid}, "from_level": "{g.codes[self.level]}", '
            f'"to_level": "{g.codes[to_level]}", "to_group": {g.group_json[to_group]}}}'))
        self.handoffs.append([row, index, None])
        self.status, self.level, self.group, self.assignee = "escalated", to_level, to_group, None

    def accept(self) -> None:
        package = self.handoffs[-1]
        agent = self.pick(self.group, besides=package[0][12])
        if agent is not None and agent[1] == package[0][12]:
            agent = None  # nobody else in the group: it is accepted by no one in particular
        actor = agent[1] if agent else None
        package[0][14], package[0][15] = "accepted", actor
        package[2] = self.event("accepted", actor, 0.04, data=(
            f'{{"handoff": {package[0][0]}, "level": "{self.g.codes[self.level]}"}}'))
        self.status, self.assignee = "open", agent

    def return_escalation(self) -> None:
        """The receiving level sends the handoff back to where it came from."""
        g = self.g
        package = self.handoffs[-1]
        row = package[0]
        agent = self.pick(self.group, besides=row[12])
        actor = agent[1] if agent else None
        reason = g.choice(text.RETURN_REASONS)
        row[14], row[15], row[17] = "returned", actor, reason
        from_code = g.codes[self.level]
        self.level, self.group, self.status = row[2], row[4], "open"
        self.assignee = self._agent(row[6])
        package[2] = self.event("returned", actor, 0.04, body=reason, data=(
            f'{{"handoff": {row[0]}, "from_level": "{from_code}", '
            f'"to_level": "{g.codes[self.level]}"}}'))

    def de_escalate(self, to_level: int) -> None:
        """Hand the ticket back down to the group (and agent) that escalated it."""
        g = self.g
        previous = next((h[0] for h in reversed(self.handoffs) if h[0][2] == to_level), None)
        group = previous[4] if previous else g.snap.group_for_level(to_level, self.category)
        from_code = g.codes[self.level]
        self.event("de_escalated", self.actor(), 0.1, body=g.choice(text.INSTRUCTIONS), data=(
            f'{{"from_level": "{from_code}", "to_level": "{g.codes[to_level]}", '
            f'"to_group": {g.group_json[group]}}}'))
        self.level, self.group = to_level, group
        self.assignee = self._agent(previous[6]) if previous and previous[4] == group else None

    def _agent(self, agent_id: int | None) -> tuple[int, int] | None:
        return (agent_id, self.g.agent_users[agent_id]) if agent_id is not None else None

    # -- the end ---------------------------------------------------------------------------

    def resolve(self) -> None:
        if self.assignee is None:
            self.take()
        self.resolution = self.g.choice(text.RESOLUTIONS)
        index = self.event("resolved", self.actor(), 0.2, public=1, body=self.resolution,
                           data=f'{{"level": "{self.g.codes[self.level]}"}}')
        self.status, self.resolved = "resolved", index
        if self.first_response is None:
            self.first_response = index

    def reopen(self) -> None:
        self.status, self.resolved = "open", None
        self.event("reopened", self.requester, 1.0, public=1,
                   body=self.g.choice(text.REOPEN_REASONS),
                   data=f'{{"level": "{self.g.codes[self.level]}"}}')
