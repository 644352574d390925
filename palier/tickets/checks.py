"""``palier check``: the desk's configuration sanity, as Django system checks."""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register
from django.db import connection
from django.db.models import F, Q

from palier.core import clock

NEEDED_TABLES = {"accounts_level", "accounts_group", "tickets_category", "tickets_intakerule",
                 "clients_contract"}


@register(Tags.database)
def desk_configuration(app_configs=None, databases=None, **kwargs) -> list:
    if not databases or not set(connection.introspection.table_names()) >= NEEDED_TABLES:
        return []  # not migrated yet: `migrate` itself runs the database checks first
    from palier.accounts.models import Agent, Level
    from palier.clients.models import Client, Contract
    from palier.tickets.models import Category, IntakeRule, PriorityRule

    problems: list = []
    levels = list(Level.objects.all())
    if not levels:
        problems.append(Error("No support level is configured.", id="palier.E001",
                              hint="Run `palier migrate`; it seeds L1, L2 and L3."))
    problems += [
        Error(f"Level {level.code} has no support group.", id="palier.E002",
              hint="Add a group at this level in the admin.")
        for level in Level.objects.filter(groups__isnull=True)
    ]
    problems += [
        Error(f"Category '{c.path}' routes to {c.default_group}, which is not at "
              f"{c.default_level.code}.", id="palier.E003")
        for c in Category.objects.select_related("default_group", "default_level")
        .filter(default_group__isnull=False).exclude(default_group__level=F("default_level"))
    ]
    problems += [
        Error(f"Intake rule '{r.name}' starts in {r.start_group}, which is not at "
              f"{r.start_level.code}.", id="palier.E004")
        for r in IntakeRule.objects.select_related("start_group", "start_level")
        .filter(start_group__isnull=False).exclude(start_group__level=F("start_level"))
    ]
    cells = PriorityRule.objects.count()
    if cells not in (0, 9):
        problems.append(Warning(f"The priority matrix has {cells} of 9 cells; the ITIL default "
                                "fills the others.", id="palier.W001"))
    today = clock.now().date()
    # One contract must satisfy both conditions: a subquery, not an exclude() across the
    # relation (which would accept an old contract's start with a future one's end).
    in_force = (Contract.objects.filter(starts_on__lte=today)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).values("client_id"))
    for client in Client.objects.filter(is_active=True).exclude(pk__in=in_force):
        problems.append(Warning(f"Client {client} has no contract in force; default targets "
                                "apply.", id="palier.W002"))
    for agent in Agent.objects.filter(groups__isnull=True).select_related("user"):
        problems.append(Warning(f"Agent {agent} belongs to no group.", id="palier.W003"))
    return problems


