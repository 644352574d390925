"""Replaying one ticket's history through the services, with the clock moved to each moment.

``Replay.act`` advances the ticket's own clock by a span of desk time, calls one service at
that moment, and stops the story (``Truncated``) when the moment reaches the present, so
recent tickets stay open, escalated or pending.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from random import Random
from typing import Any

from palier.accounts.models import Agent, Level, User
from palier.core import clock
from palier.demo import catalog, phrases, vocabulary
from palier.demo.directory import DemoDirectory
from palier.demo.plans import Plan
from palier.demo.timeline import business_after
from palier.tickets import services
from palier.tickets.models import Ticket

Span = tuple[float, float]


class Truncated(Exception):
    """The story reached the present: the ticket stays as it is now."""


class Cast:
    """Who can act: agents per group, the manager, and lookups by agent id (built once)."""

    def __init__(self, desk: DemoDirectory) -> None:
        self.desk = desk
        self.levels: dict[int, Level] = {level.rank: level for level in desk.levels.values()}
        self.rank_of = {level.pk: level.rank for level in desk.levels.values()}
        users = {user.pk: user for user in desk.staff.values()}
        self.by_agent: dict[int, User] = {
            agent_id: users.get(user_id) or User.objects.get(pk=user_id)
            for agent_id, user_id in Agent.objects.values_list("pk", "user_id")}
        self.manager = desk.staff[f"manager@{catalog.DESK_DOMAIN}"]
        self.service_desk = desk.groups["Service Desk"].pk
        self.group_names = {group.pk: group.name for group in desk.groups.values()}
        self.french = {spec.email for spec in catalog.AGENTS if spec.language == "fr"}
        self.fixed = {spec.email for spec in catalog.AGENTS[:5]}
        self._weights: dict[tuple[int, str], list[float]] = {}

    def member(self, rng: Random, group_id: int, language: str) -> User:
        """A working member of the group; French speakers take most French tickets."""
        people = self.desk.members.get(group_id) or [self.manager]
        key = (group_id, language)
        if key not in self._weights:
            self._weights[key] = [self._weight(user, language) for user in people]
        return rng.choices(people, self._weights[key])[0]

    def _weight(self, user: User, language: str) -> float:
        weight = 1.5 if user.email in self.fixed else 1.0
        if language == "fr" and user.email in self.french:
            weight *= 4
        return weight

    def user_of(self, agent_id: int | None) -> User | None:
        return self.by_agent.get(agent_id) if agent_id else None


class Replay:
    """One ticket being played: its plan, its own random generator and its clock."""

    def __init__(self, cast: Cast, rng: Random, plan: Plan, moment: datetime,
                 end: datetime) -> None:
        self.cast, self.rng, self.plan = cast, rng, plan
        self.moment, self.end = moment, end
        self.ticket: Ticket | None = None
        self.alerted = False
        self.urgent = plan.urgent  # P1 work runs around the clock until resolved

    # time and services

    def advance(self, span: Span) -> None:
        """Move this ticket's clock on by ``span`` minutes (desk hours, or wall time for P1)."""
        minutes = self.rng.uniform(*span)
        if self.urgent:
            self.moment += timedelta(minutes=max(minutes / 3, 1.0))
        else:
            self.moment = business_after(self.moment, minutes)
        if self.moment >= self.end:
            raise Truncated

    def act(self, span: Span, service: Callable[..., Any], actor: User, **kwargs: Any) -> Any:
        """Call ``service(actor, ticket_id, **kwargs)`` ``span`` minutes after the last act."""
        self.advance(span)
        with clock.at(self.moment):
            result = service(actor, self.ticket.pk, **kwargs)
        if isinstance(result, Ticket):
            self.ticket = result
        return result

    def open(self) -> User | None:
        """Open the ticket: by the requester, or by an L1 agent for assisted channels.
        Returns the agent who opened it, if any."""
        plan = self.plan
        kwargs: dict[str, Any] = dict(
            title=plan.title, description=plan.description, kind=plan.leaf.kind,
            category_id=self.cast.desk.categories[plan.leaf.key].pk, impact=plan.impact,
            urgency=plan.urgency, channel=plan.channel)
        opener = None
        actor = plan.requester
        if plan.assisted:
            opener = actor = self.l1()
            kwargs.update(client_id=plan.requester.client_id,
                          requester_email=plan.requester.email)
        with clock.at(self.moment):
            self.ticket = services.open_ticket(actor, **kwargs)
        return opener

    # people

    def l1(self) -> User:
        return self.cast.member(self.rng, self.cast.service_desk, self.plan.language)

    def member(self) -> User:
        """A member of the ticket's current group."""
        return self.cast.member(self.rng, self.ticket.group_id, self.plan.language)

    def assignee(self) -> User | None:
        return self.cast.user_of(self.ticket.assignee_id)

    def rank(self) -> int:
        return self.cast.rank_of[self.ticket.level_id]

    def level_id(self, rank: int) -> int:
        return self.cast.levels[rank].pk

    # words

    def say(self, key: str, **extra: str) -> str:
        """A public message in the requester's language."""
        template = self.rng.choice(phrases.PUBLIC[self.plan.language][key])
        return template.format_map({**self.plan.values, **extra})

    def note(self, key: str, **extra: str) -> str:
        """An internal note (the desk writes in English)."""
        return self.rng.choice(phrases.INTERNAL[key]).format_map({**self.plan.values, **extra})

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options).format_map(self.plan.values)

    def minutes(self, rank: int) -> int:
        low, high = {1: (5, 30), 2: (20, 120), 3: (45, 240)}[rank]
        return self.rng.randint(low, high)

    def handoff(self, *, thin: bool = False) -> services.HandoffInput:
        """The handoff package, complete; ``thin`` fills the parts with too little to act on."""
        plan = self.plan
        fields = {name: plan.values[vocabulary.FIELD_SOURCES[name]] for name in plan.leaf.fields}
        if thin:
            return services.HandoffInput(
                summary=plan.title, steps_tried="Restarted the device.",
                diagnostics=self.pick(phrases.DIAGNOSTICS["thin"]), fields=fields)
        articles = (f"KB-{self.rng.randint(1000, 1400)}: {plan.leaf.name} troubleshooting"
                    if self.rng.random() < 0.4 else "")
        return services.HandoffInput(
            summary=(f"{plan.title}. Reported by {plan.requester.full_name} "
                     f"({plan.client.name}); {plan.impact} impact, {plan.urgency} urgency."),
            steps_tried=self.pick(phrases.STEPS[plan.leaf.area]),
            diagnostics=self.pick(phrases.DIAGNOSTICS["default"]),
            articles_consulted=articles, fields=fields)
