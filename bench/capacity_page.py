"""Capacity page benchmark: the worker's stored plan, the page's server time and a what-if.

    .venv/bin/python bench/capacity_page.py [--tickets 1000000] [--samples 100]
        [--database sqlite|postgres] [--sqlite-file PATH] [--pg-database NAME]

Seeds ``--tickets`` tickets with ``palier seed`` (reused when there, as ``bench/console.py``
does), runs the ``capacity.plan`` job once (timed: it reads the history and stores each
manager's default plan), then, as a manager, renders through Django's test client (full
middleware stack, view, template; no network) the page as it opens (GET, the stored plan;
``page_get_cold`` with the plan's rendered charts dropped from the cache before each request)
and a what-if (POST: volume +N %, shift-left, a new client, a target; varied per sample),
and times the what-if's planning alone (``capacity.stored.what_if``, no rendering). Prints
one JSON object with p50/p95 per measure (wall clock, and this process's CPU time) and the
load average before and after.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common
import console

ROOT = _common.ROOT


def what_ifs(i: int) -> dict:
    """A different what-if each sample, so nothing is answered from a cache."""
    return {"weeks": str(1 + i % 2), "volume_percent": str(5 + i % 40),
            "shift_left_points": str(i % 7), "new_weekly_tickets": str(10 * (i % 5)),
            "target_share": "" if i % 3 else "90"}


def measure(samples: int) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from palier.accounts.models import Agent, Role
    from palier.capacity import stored
    from palier.capacity.models import StoredPlan
    from palier.console.chart_forms import CapacityForm
    from palier.core import clock

    manager = (Agent.objects.filter(user__role=Role.MANAGER, user__is_active=True,
                                    clients__isnull=False).select_related("user").first().user)
    StoredPlan.objects.all().delete()
    started = time.perf_counter()
    computed = stored.refresh_plans()
    job = {"plans": computed, "seconds": round(time.perf_counter() - started, 2),
           "scopes": [len(s) for s in stored.manager_scopes()]}
    started = time.perf_counter()
    assert stored.refresh_plans() == 0
    job["check_seconds"] = round(time.perf_counter() - started, 3)
    plan = stored.default_plan(manager)
    http = Client()
    http.force_login(manager)

    def get(_i: int) -> None:
        assert http.get("/console/capacity/").status_code == 200

    def get_cold(_i: int) -> None:
        cache.clear()  # the stored plan's charts rendered afresh (as after a new plan)
        assert http.get("/console/capacity/").status_code == 200

    def post(i: int) -> None:
        assert http.post("/console/capacity/", what_ifs(i)).status_code == 200

    def plan_only(i: int) -> None:
        form = CapacityForm.from_data(what_ifs(i))
        assert form.is_valid(), form.errors
        stored.what_if(manager, form.plan_request())

    def both(action) -> dict:
        """Wall-clock p50/p95 and, beside it, this process's CPU time per request (the
        machine is shared: CPU time shows the page's own cost under others' load)."""
        cpu: list[float] = []

        def timed_cpu(i: int) -> None:
            started = time.thread_time()
            action(i)
            cpu.append((time.thread_time() - started) * 1000)

        wall = _common.timed(timed_cpu, samples)
        return {**wall, "cpu": _common.percentiles(cpu[-samples:])}

    return {"manager_clients": plan.client_ids, "tickets_in_window": plan.tickets,
            "computed_at": plan.computed_at.isoformat(), "now": clock.now().isoformat(),
            "job": job,
            "page_get": both(get), "page_get_cold": both(get_cold),
            "page_post_what_if": both(post), "what_if_planning_only": both(plan_only)}


def main() -> None:
    args, total = console.open_desk(__doc__.splitlines()[0], samples=100)
    before = _common.load()
    results = measure(args.samples)
    print(json.dumps({"benchmark": "capacity_page", "database": args.database,
                      "tickets": total, "machine": _common.machine(),
                      "load_average_before": before, **results}, indent=1))


if __name__ == "__main__":
    main()
