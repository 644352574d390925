"""Triage fixtures: a desk with a history of resolved tickets generated from a few topics."""

from __future__ import annotations

import random

import pytest

from palier.tickets.models import Ticket, TicketStatus
from palier.tickets.routing import priority_for
from palier.triage.models import TriageSettings
from palier.triage.services import runtime

TOPICS = {
    # topic: (category key, group key, impact, urgency, words)
    "password": ("password", "sd", "low", "low",
                 "password reset locked account login expired forgot sign"),
    "vpn": ("vpn", "net", "medium", "high",
            "vpn tunnel disconnects remote access client anyconnect timeout"),
    "breach": ("security", "infra", "high", "high",
               "phishing malware virus suspicious attachment ransomware infected"),
    "network": ("network", "apps", "medium", "medium",
                "wifi switch dns network cable router slow ethernet"),
}


def text_for(topic: str, rng: random.Random) -> tuple[str, str]:
    words = TOPICS[topic][4].split()
    title = " ".join(rng.sample(words, 3))
    return title, " ".join(rng.choices(words, k=8)) + " please help"


@pytest.fixture(autouse=True)
def _triage_env(settings, tmp_path):
    """Each test has its own data dir and loads the model afresh."""
    settings.DATA_DIR = tmp_path / "data"
    settings.PALIER_TRIAGE = True
    runtime.forget()
    yield
    runtime.forget()


def configure(**values) -> TriageSettings:
    config, _ = TriageSettings.objects.get_or_create(pk=1)
    for key, value in values.items():
        setattr(config, key, value)
    config.save()
    return config


def history(desk, per_topic: int = 12, seed: int = 0,
            labels: dict[str, tuple[str, str, str, str]] | None = None) -> list[Ticket]:
    """Resolved tickets for both clients: each topic's text with its final classification."""
    rng = random.Random(seed)
    made = []
    for topic, (category, group, impact, urgency, _words) in TOPICS.items():
        category, group, impact, urgency = (labels or {}).get(
            topic, (category, group, impact, urgency))
        for i in range(per_topic):
            title, description = text_for(topic, rng)
            side = desk.a if i % 2 else desk.b
            ticket = desk.open(side, title=title, description=description,
                               category_id=desk.categories["password"].pk)
            made.append(ticket.pk)
            Ticket.objects.filter(pk=ticket.pk).update(
                status=TicketStatus.RESOLVED, category=desk.categories[category],
                group=desk.groups[group], level=desk.groups[group].level,
                impact=impact, urgency=urgency, priority=priority_for(impact, urgency))
    return list(Ticket.objects.filter(pk__in=made))
