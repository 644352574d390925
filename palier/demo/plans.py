"""Drawing a ticket's plan: who asks what, how urgent, and how far up it will go.

A plan is drawn from one random generator per ticket before any service is called; the
story (``stories``) then plays it through the ticket services.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TypeVar

from palier.accounts.models import User
from palier.demo import catalog, texts_en, texts_fr, vocabulary
from palier.demo.directory import DemoDirectory

CLIENT_SHARE = {"harbourline": 0.45, "vernet": 0.33, "whitmore": 0.22}
#: Scales the catalog's per-category escalation shares to ~⅓ of tickets leaving L1.
ESCALATION_SCALE = 1.25
L3_SHARE = 0.3
ASSISTED_CHANNELS = ("phone", "chat", "walk_in", "monitoring")
TEXTS = {"en": texts_en.TEXTS, "fr": texts_fr.TEXTS}
T = TypeVar("T")


@dataclass
class Plan:
    """Everything decided about one ticket before it is played."""

    client: catalog.ClientSpec
    leaf: catalog.LeafSpec
    requester: User
    channel: str
    impact: str
    urgency: str
    values: dict[str, str]
    title: str
    description: str
    resolution: str
    top: int  # the highest level rank the ticket should reach
    fcr: bool = False
    pending: bool = False
    returned: str = ""  # "", "insufficient" or "wrong_level"
    de_escalate: bool = False
    vendor: int = 0  # level rank at which a vendor is engaged (0: none)
    alert: bool = False
    reopen: bool = False
    chaser: bool = False
    requester_closes: bool = False

    @property
    def language(self) -> str:
        return self.client.language

    @property
    def urgent(self) -> bool:
        return self.impact == "high" and self.urgency == "high"

    @property
    def assisted(self) -> bool:
        """Opened by an agent (phone, chat, walk-in, monitoring) rather than the requester."""
        return self.channel in ASSISTED_CHANNELS


class Planner:
    """Draws plans; the weights are computed once."""

    def __init__(self, desk: DemoDirectory) -> None:
        self.desk = desk
        self.clients = list(catalog.CLIENTS)
        self.client_cumulative = list(itertools.accumulate(
            CLIENT_SHARE.get(c.code, 0.2) for c in self.clients))
        self.leaf_cumulative = {
            c.code: list(itertools.accumulate(leaf.weight * c.focus.get(leaf.key, 1.0)
                                              for leaf in catalog.LEAVES))
            for c in self.clients}

    def draw(self, rng: Random) -> Plan:
        client = self._pick(rng, self.clients, self.client_cumulative)
        leaf = self._pick(rng, catalog.LEAVES, self.leaf_cumulative[client.code])
        impact, urgency = _severity(rng, leaf)
        channel = _channel(rng, leaf, impact == urgency == "high")
        requester = self._requester(rng, client, channel)
        values = self._values(rng, client, leaf, requester)
        titles, descriptions, resolutions = TEXTS[client.language][leaf.key]
        plan = Plan(client, leaf, requester, channel, impact, urgency, values,
                    rng.choice(titles).format_map(values),
                    rng.choice(descriptions).format_map(values),
                    rng.choice(resolutions).format_map(values), top=1)
        _path(rng, plan)
        return plan

    @staticmethod
    def _pick(rng: Random, items: Sequence[T], cumulative: list[float]) -> T:
        return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]

    def _requester(self, rng: Random, client: catalog.ClientSpec, channel: str) -> User:
        if channel == "monitoring":
            return self.desk.client_managers[client.code]
        people = self.desk.requesters[client.code]
        return people[0] if rng.random() < 0.12 else rng.choice(people)

    def _values(self, rng: Random, client: catalog.ClientSpec, leaf: catalog.LeafSpec,
                requester: User) -> dict[str, str]:
        first = catalog.FR_FIRST if client.language == "fr" else catalog.EN_FIRST
        last = catalog.FR_LAST if client.language == "fr" else catalog.EN_LAST
        colleague = rng.choice(self.desk.requesters[client.code]).full_name
        newcomer = f"{rng.choice(first)} {rng.choice(last)}"
        values = vocabulary.fill(rng, client.code, leaf.area, (colleague, newcomer))
        values["username"] = requester.email.split("@")[0]
        values["first"] = requester.full_name.split(" ")[0]
        return values


def _severity(rng: Random, leaf: catalog.LeafSpec) -> tuple[str, str]:
    if leaf.critical and rng.random() < 0.14:
        return "high", "high"
    if leaf.kind == "request":
        return rng.choice(("low", "low", "medium")), rng.choice(("low", "medium", "medium"))
    impact = rng.choices(("low", "medium", "high"), (0.35, 0.5, 0.15))[0]
    urgency = rng.choices(("low", "medium", "high"), (0.3, 0.55, 0.15))[0]
    if impact == urgency == "high":
        urgency = "medium"
    return impact, urgency


def _channel(rng: Random, leaf: catalog.LeafSpec, critical: bool) -> str:
    if leaf.key in ("data/backup", "network/server") and rng.random() < 0.6:
        return "monitoring"
    if critical and rng.random() < 0.6:
        return "phone"
    return rng.choices(("portal", "email", "phone", "chat", "walk_in"),
                       (0.42, 0.31, 0.19, 0.06, 0.02))[0]


def _path(rng: Random, plan: Plan) -> None:
    """How far up the ticket goes and what happens on the way."""
    max_rank = len(plan.client.levels)
    if plan.urgent or rng.random() < plan.leaf.escalation * ESCALATION_SCALE:
        plan.top = 3 if max_rank >= 3 and rng.random() < L3_SHARE else 2
    if plan.leaf.level != "L1":
        plan.top = max(plan.top, 2)
    plan.fcr = plan.top == 1 and rng.random() < (0.8 if plan.assisted else 0.5)
    plan.pending = not plan.fcr and rng.random() < 0.18
    if plan.top >= 2:
        plan.returned = rng.choices(("", "insufficient", "wrong_level"), (0.86, 0.1, 0.04))[0]
        plan.de_escalate = rng.random() < (0.25 if plan.top == 3 else 0.14)
        plan.vendor = rng.choice((2, plan.top)) if rng.random() < 0.13 else 0
        plan.chaser = rng.random() < 0.2
    elif plan.leaf.area == "hardware" and not plan.fcr and rng.random() < 0.15:
        plan.vendor = 1
    plan.alert = (plan.urgent and rng.random() < 0.75) or (
        plan.impact == "high" and rng.random() < 0.05)
    plan.reopen = rng.random() < 0.035
    plan.requester_closes = rng.random() < 0.3
