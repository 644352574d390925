"""Stored default plans: computed by the worker, read by the console's capacity page.

Each set of clients a manager serves has one ``StoredPlan``: the default plan (``DEFAULT``)
from the last ``HISTORY_WEEKS`` whole days of history (up to the start of today, UTC), with
the desk model it was estimated from and the fingerprint of its inputs. The ``capacity.plan``
job recomputes a plan when that fingerprint changes: a new day moves the window, a level,
an SLA policy or calendar, an agent's cost or client changes, tickets are imported into the
window. Fingerprints are cheap (one indexed count per set of clients; no journal read).

The page reads the stored plan (one query) and plans what-ifs from the stored desk model,
never from the ticket history. A set of clients without a stored plan (a manager's clients
just changed) is planned once, on the spot, and stored.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from palier.accounts.models import Agent, Level, Role, User
from palier.capacity import codec, history
from palier.capacity.chart_data import plan_chart
from palier.capacity.models import StoredPlan
from palier.capacity.services import (
    HISTORY_WEEKS,
    MIN_TICKETS,
    PlanRequest,
    clients_in_scope,
    estimate_clients,
    plan_estimate,
)
from palier.core import clock
from palier.core.errors import ValidationFailed
from palier.sla.models import SlaPolicy
from palier.tickets.models import Ticket

#: Changes whenever the planner's results for the same inputs change (stored plans redo).
PLAN_VERSION = 2
#: The plan the capacity page opens on: one week, 8-hour shifts, 30 % shrinkage.
DEFAULT = PlanRequest(weeks=1, shift_hours=8, shrinkage=0.3)
#: How often the worker checks the fingerprints (seconds).
CHECK_EVERY = 300.0


def window(now: datetime) -> tuple[datetime, datetime]:
    """The history a stored plan is made from: ``HISTORY_WEEKS`` weeks of whole days."""
    until = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return until - timedelta(weeks=HISTORY_WEEKS), until


def scope_key(client_ids: set[int] | frozenset[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(client_ids))).encode()).hexdigest()


def inputs(client_ids: set[int] | frozenset[int], now: datetime) -> dict:
    """Everything the default plan of these clients depends on, cheaply read."""
    since, until = window(now)
    clients = sorted(client_ids)
    tickets = (Ticket.objects.filter(client_id__in=clients, created_at__gte=since,
                                     created_at__lt=until)
               .aggregate(count=Count("id"), last=Max("id")))
    return {
        "version": PLAN_VERSION, "clients": clients,
        "request": [DEFAULT.weeks, DEFAULT.shift_hours, DEFAULT.shrinkage,
                    DEFAULT.max_occupancy],
        "window": [since.isoformat(), until.isoformat()],
        "tickets": [tickets["count"], tickets["last"]],
        "levels": list(Level.objects.order_by("rank").values_list("id", "code", "rank")),
        "policies": list(SlaPolicy.objects.filter(contract__client_id__in=clients,
                                                  is_active=True).order_by("id")
                         .values_list("id", "revision", "calendar_id", "calendar__revision")),
        "costs": sorted(history.hourly_costs(set(clients)).items()),
    }


def fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def compute(client_ids: set[int] | frozenset[int], now: datetime | None = None,
            data: dict | None = None) -> StoredPlan:
    """Estimate and plan the default plan of these clients, and store it."""
    now = now or clock.now()
    data = data or inputs(client_ids, now)
    started = time.perf_counter()
    count = data["tickets"][0]
    fields = {"client_ids": data["clients"], "fingerprint": fingerprint(data),
              "computed_at": now, "tickets": count, "estimate": None, "chart": None,
              "problem": ""}
    if count >= MIN_TICKETS:
        since, until = window(now)
        request = PlanRequest(since=since, until=until, weeks=DEFAULT.weeks,
                              shift_hours=DEFAULT.shift_hours, shrinkage=DEFAULT.shrinkage)
        try:
            estimate = estimate_clients(set(client_ids), request)
            report = plan_estimate(estimate, request)
        except ValidationFailed as exc:
            fields["problem"] = str(exc.detail)
        else:
            fields.update(tickets=estimate.tickets, estimate=codec.dump_estimate(estimate),
                          chart=plan_chart(report))
    fields["seconds"] = round(time.perf_counter() - started, 3)
    stored, _ = StoredPlan.objects.update_or_create(scope=scope_key(client_ids),
                                                    defaults=fields)
    return stored


def manager_scopes() -> list[frozenset[int]]:
    """Each distinct set of clients served by an active manager or administrator."""
    served: dict[int, set[int]] = {}
    for user, client in (Agent.objects.filter(user__is_active=True,
                                              user__role__in=(Role.MANAGER, Role.ADMIN),
                                              clients__isnull=False)
                         .values_list("user_id", "clients")):
        served.setdefault(user, set()).add(client)
    return sorted({frozenset(c) for c in served.values()}, key=sorted)


def refresh_plans() -> int:
    """The worker's ``capacity.plan`` job: recompute the stored plans whose inputs changed
    (and plan new sets of clients); returns how many it computed."""
    now = clock.now()
    scopes = manager_scopes()
    known = dict(StoredPlan.objects.filter(scope__in=[scope_key(s) for s in scopes])
                 .values_list("scope", "fingerprint"))
    computed = 0
    for clients in scopes:
        data = inputs(clients, now)
        if known.get(scope_key(clients)) != fingerprint(data):
            compute(clients, now, data)
            computed += 1
    return computed


def default_plan(actor: User) -> StoredPlan:
    """The stored default plan of the clients the manager serves (planned now if the worker
    has not yet); ``PermissionDenied`` for anyone but managers and administrators."""
    clients = clients_in_scope(actor, None)
    stored = StoredPlan.objects.filter(scope=scope_key(clients)).first()
    return stored if stored is not None else compute(clients)


def problem(stored: StoredPlan) -> str:
    """Why a stored plan has no chart, in the reader's language ('' when it has one)."""
    if stored.chart is not None:
        return ""
    return stored.problem or _("Not enough history: %(n)d tickets in the window, at least "
                               "%(min)d are needed.") % {"n": stored.tickets,
                                                         "min": MIN_TICKETS}


def what_if(actor: User, request: PlanRequest) -> tuple[StoredPlan, dict | None]:
    """The stored plan and, re-planned from its stored desk model (no history read), the
    baseline with the request's horizon, shifts and shrinkage beside its scenarios."""
    stored = default_plan(actor)
    if stored.estimate is None:
        return stored, None
    try:
        estimate = codec.load_estimate(stored.estimate)
    except ValueError:
        stored = compute(set(stored.client_ids))
        if stored.estimate is None:
            return stored, None
        estimate = codec.load_estimate(stored.estimate)
    return stored, plan_chart(plan_estimate(estimate, request), request.scenarios)
