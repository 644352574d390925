"""Palier side by side with django-helpdesk: the same tickets, the same operations.

    .venv/bin/python bench/vs_django_helpdesk.py [--tickets 100000] [--creates 1000]
        [--samples 30] [--report-passes 3] [--database sqlite|postgres] [--workdir DIR] [--keep]

django-helpdesk (``HELPDESK_VERSION`` from the package registry) is installed into its own
virtual environment under ``--workdir`` (nothing of its code is in this repository), with a
minimal Django project written there by this script. Both desks are built afresh:

1. Palier is seeded with ``palier seed --tickets N --seed 1`` and the background jobs the
   measured pages depend on catch up (``palier worker --once --jobs CATCH_UP``: SLA alarms,
   report facts, the triage model), timed apart.
2. The same tickets (title, description, level as the queue, status, priority, requester,
   assignee, creation, update, resolution and due dates) are exported to a JSON-lines file and
   bulk-loaded into django-helpdesk, with a follow-up for the opening and one for the
   resolution of each ticket, as its own forms would have written.
3. Each desk then runs the same operations through Django's test client, in its own process
   and virtual environment: the open-ticket list of level/queue L1 (the page and, for
   django-helpdesk, the JSON its page fetches), a keyword search over every ticket, the
   reports (django-helpdesk: the report index and its eight reports; Palier: the dashboard
   and its eight report endpoints), and 1,000 tickets created through the public form and
   1,000 through the API.

Prints one JSON object: each figure per desk and Palier's speed-up (helpdesk / Palier for
times, Palier / helpdesk for rates). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # stdlib only: importable from either virtual environment

HELPDESK_VERSION = "2.6.1"
ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = _common.PG_SERVER
KEYWORD = "printer"
LEVEL = "L1"
SEED = 1
# The background jobs whose results the measured pages read: SLA alarms, report facts, the
# triage model. Ticket embeddings (similar tickets, hours for 100k tickets on 2 cores) and mail
# are left out: no measured operation reads them.
CATCH_UP = "sla.alarms,reports.refresh,triage.retrain"
# Palier's statuses and priorities in django-helpdesk's terms.
HD_STATUS = {"new": 1, "open": 1, "escalated": 1, "pending": 1, "pending_vendor": 1,
             "resolved": 3, "closed": 4}
HD_PRIORITY = {"P1": 1, "P2": 2, "P3": 3, "P4": 4}
HD_REPORTS = ("userstatus", "userpriority", "userqueue", "usermonth", "queuemonth",
              "queuestatus", "queuepriority", "daysuntilticketclosedbymonth")
PALIER_REPORTS = ("tiers", "volume", "sla", "csat", "cost", "backlog", "knowledge",
                  "shift-left")


def log(message: str) -> None:
    print(f"[vs_django_helpdesk {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr,
          flush=True)


# --- timing (both sides) ----------------------------------------------------------------

def rate(action: Callable[[int], None], count: int) -> dict:
    """``count`` calls of ``action(i)``: tickets per second and the latency p50/p95."""
    spent = []
    started = time.perf_counter()
    for i in range(count):
        one = time.perf_counter()
        action(i)
        spent.append((time.perf_counter() - one) * 1000)
    seconds = time.perf_counter() - started
    return {**_common.percentiles(spent), "seconds": round(seconds, 2),
            "per_second": round(count / seconds, 1)}


def report_passes(get: Callable[[str], None], pages: dict[str, str],
                  passes: int) -> tuple[dict, dict]:
    """Every report page in turn, ``passes`` times after one warm-up pass: the time of a
    whole pass (p50/p95) and each page's median."""
    each: dict[str, list[float]] = {name: [] for name in pages}
    totals = []
    for n in range(passes + 1):
        total = 0.0
        for name, url in pages.items():
            started = time.perf_counter()
            get(url)
            ms = (time.perf_counter() - started) * 1000
            total += ms
            if n:
                each[name].append(ms)
        if n:
            totals.append(total)
    return (_common.percentiles(totals),
            {name: round(statistics.median(v), 1) for name, v in each.items()})


def ticket_text(i: int) -> tuple[str, str]:
    return (f"Printer on floor {i % 7} prints blank pages ({i})",
            "Since this morning the printer feeds paper but prints nothing. Tried a restart.")


def check(response, *expected: int) -> None:
    if response.status_code not in expected:
        raise SystemExit(f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']}"
                         f" answered {response.status_code}: {response.content[:300]!r}")


# --- Palier side (runs in Palier's virtual environment) -------------------------------------

def palier_export(path: Path) -> dict:
    """Write Palier's tickets as JSON lines, in django-helpdesk's terms."""
    import django

    django.setup()
    from palier.tickets.models import Ticket

    fields = ("title", "description", "status", "level__code", "priority", "requester__email",
              "assignee__user__email", "resolution", "created_at", "updated_at", "resolved_at",
              "due_at")
    count = 0
    with path.open("w") as out:
        for row in Ticket.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000):
            data = dict(zip(fields, row, strict=True))
            for key in ("created_at", "updated_at", "resolved_at", "due_at"):
                data[key] = data[key].isoformat() if data[key] else None
            out.write(json.dumps(data) + "\n")
            count += 1
    return {"exported": count}


def palier_measure(opts: dict) -> dict:
    import django

    django.setup()
    from django.test import Client

    from palier.accounts.models import Agent, Role, User
    from palier.accounts.services import create_token
    from palier.tickets.models import Ticket

    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    agent = (Agent.objects.filter(user__role=Role.AGENT, user__is_active=True,
                                  groups__level__code=LEVEL).select_related("user")
             .order_by("pk").first())
    client = agent.clients.order_by("pk").first()
    requesters = list(User.objects.filter(role=Role.REQUESTER, client=client, is_active=True)
                      .order_by("pk").values_list("email", flat=True)[:50])
    portal_user = User.objects.get(email=requesters[0])
    _, secret = create_token(agent.user, name="vs_django_helpdesk", expires_days=1)
    staff, portal, api = Client(), Client(), Client()
    staff.force_login(manager)
    portal.force_login(portal_user)
    token = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    samples = opts["samples"]
    figures: dict = {"tickets_before": Ticket.objects.count(), "staff_user": "manager"}

    figures["list"] = _common.timed(
        lambda i: check(staff.get("/console/queues/level/"), 200), samples)
    figures["search"] = _common.timed(lambda i: check(
        staff.get("/api/v1/tickets", {"q": KEYWORD}), 200), samples)
    figures["search_in_level_queue"] = _common.timed(lambda i: check(
        staff.get("/console/queues/level/", {"q": KEYWORD}), 200), samples)

    pages = {"dashboard": "/console/dashboard/",
             **{name: f"/api/v1/reports/{name}" for name in PALIER_REPORTS}}
    figures["reports"], figures["reports_each"] = report_passes(
        lambda url: check(staff.get(url), 200), pages, opts["report_passes"])

    def form(i: int) -> None:
        title, body = ticket_text(i)
        check(portal.post("/portal/new/", {"title": title, "description": body}), 302)

    def through_api(i: int) -> None:
        title, body = ticket_text(i)
        check(api.post("/api/v1/tickets", json.dumps({
            "title": title, "description": body, "client": client.pk,
            "requester_email": requesters[i % len(requesters)], "impact": "medium",
            "urgency": "medium"}), content_type="application/json", **token), 201)

    figures["create_form"] = rate(form, opts["creates"])
    figures["create_api"] = rate(through_api, opts["creates"])
    figures["tickets_after"] = Ticket.objects.count()
    return figures


# --- django-helpdesk side (runs in its own virtual environment) --------------------------

HD_SETTINGS = '''\
SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize", "rest_framework", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "hd_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages"]},
}]
DATABASES = {"default": %(database)s}
USE_TZ = True
TIME_ZONE = "UTC"
SITE_ID = 1
STATIC_URL = "/static/"
MEDIA_ROOT = %(media)r
LOGIN_URL = "/login/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
HELPDESK_PUBLIC_TICKET_QUEUE = "l1"
HELPDESK_REDIRECT_TO_LOGIN_BY_DEFAULT = False
HELPDESK_TEAMS_MODE_ENABLED = False
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [
    "rest_framework.authentication.SessionAuthentication",
    "rest_framework.authentication.BasicAuthentication"]}
'''
HD_URLS = '''\
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
'''


def helpdesk_load(path: Path) -> dict:
    """Bulk-load the exported tickets, with an opening and a resolution follow-up each."""
    import django

    django.setup()
    from datetime import datetime

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from helpdesk.models import FollowUp, Queue, Ticket

    User = get_user_model()
    queues = {}
    for code in ("L1", "L2", "L3"):
        queues[code], _ = Queue.objects.get_or_create(
            slug=code.lower(), defaults={"title": f"Level {code[1]}",
                                         "allow_public_submission": code == "L1"})
    users: dict[str, object] = {}

    def user(email: str | None):
        if not email:
            return None
        if email not in users:
            users[email], _ = User.objects.get_or_create(
                username=email[:150], defaults={"email": email, "is_staff": True})
        return users[email]

    def when(text: str | None):
        return datetime.fromisoformat(text) if text else None

    started, count = time.perf_counter(), 0
    with path.open() as rows:
        batch: list[dict] = []
        for line in rows:
            batch.append(json.loads(line))
            if len(batch) == 5000:
                count += _helpdesk_chunk(batch, queues, user, when, Ticket, FollowUp,
                                         transaction)
                batch = []
        if batch:
            count += _helpdesk_chunk(batch, queues, user, when, Ticket, FollowUp, transaction)
    return {"loaded": count, "seconds": round(time.perf_counter() - started, 1)}


def _helpdesk_chunk(batch, queues, user, when, Ticket, FollowUp, transaction) -> int:
    with transaction.atomic():
        tickets = Ticket.objects.bulk_create([Ticket(
            title=d["title"][:200], description=d["description"], queue=queues[d["level__code"]],
            status=HD_STATUS[d["status"]], priority=HD_PRIORITY.get(d["priority"], 3),
            submitter_email=d["requester__email"], assigned_to=user(d["assignee__user__email"]),
            resolution=d["resolution"] or None, due_date=when(d["due_at"]),
            created=when(d["created_at"]), modified=when(d["updated_at"]))
            for d in batch])
        follow = []
        for ticket, d in zip(tickets, batch, strict=True):
            follow.append(FollowUp(ticket=ticket, date=when(d["created_at"]),
                                   title="Ticket Opened", comment=d["description"],
                                   public=True))
            if d["resolved_at"]:
                follow.append(FollowUp(ticket=ticket, date=when(d["resolved_at"]),
                                       title="Ticket Resolved", comment=d["resolution"] or "",
                                       public=True, new_status=3))
        FollowUp.objects.bulk_create(follow)  # bulk_create keeps the dates given
    return len(tickets)


def helpdesk_measure(opts: dict) -> dict:
    import base64

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from helpdesk.models import Queue, Ticket

    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={
        "email": "bench-admin@desk.test", "is_staff": True, "is_superuser": True})
    admin.set_password("bench")
    admin.save()
    level = Queue.objects.get(slug=LEVEL.lower())
    staff, public, api = Client(), Client(), Client()
    staff.force_login(admin)
    api.force_login(admin)
    samples = opts["samples"]
    figures: dict = {"tickets_before": Ticket.objects.count(), "staff_user": "superuser"}

    def page_and_rows(params: dict) -> None:
        page = staff.get("/tickets/", params)
        check(page, 200)
        found = re.search(rb"datatables_ticket_list/([A-Za-z0-9_=-]+)", page.content)
        if not found:
            raise SystemExit("django-helpdesk's list page has no datatables URL")
        query = found.group(1).decode()
        base64.urlsafe_b64decode(query)  # what the page's script would fetch
        check(staff.get(f"/datatables_ticket_list/{query}",
                        {"draw": 1, "start": 0, "length": 50}), 200)

    figures["list"] = _common.timed(lambda i: page_and_rows({"queue": level.pk, "status": [1, 2]}),
                            samples)
    figures["search"] = _common.timed(lambda i: page_and_rows({"q": KEYWORD}), samples)

    pages = {"index": "/reports/", **{name: f"/reports/{name}/" for name in HD_REPORTS}}
    figures["reports"], figures["reports_each"] = report_passes(
        lambda url: check(staff.get(url), 200), pages, opts["report_passes"])

    def form(i: int) -> None:
        title, body = ticket_text(i)
        check(public.post("/tickets/submit/", {
            "queue": level.pk, "title": title, "body": body, "priority": 3,
            "submitter_email": f"requester-{i % 50}@client.test"}), 302)

    def through_api(i: int) -> None:
        title, body = ticket_text(i)
        check(api.post("/api/tickets/", json.dumps({
            "queue": level.pk, "title": title, "description": body, "priority": 3,
            "submitter_email": f"requester-{i % 50}@client.test"}),
            content_type="application/json"), 201)

    figures["create_form"] = rate(form, opts["creates"])
    figures["create_api"] = rate(through_api, opts["creates"])
    figures["tickets_after"] = Ticket.objects.count()
    return figures


# --- the driver ------------------------------------------------------------------------------

def helpdesk_venv(workdir: Path, postgres: bool) -> Path:
    """django-helpdesk ``HELPDESK_VERSION`` in its own virtual environment (made once)."""
    venv = workdir / "helpdesk-venv"
    python = venv / "bin" / "python"
    marker = venv / f"django-helpdesk-{HELPDESK_VERSION}{'-pg' if postgres else ''}"
    if not marker.exists():
        log(f"installing django-helpdesk {HELPDESK_VERSION} into {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        wanted = [f"django-helpdesk=={HELPDESK_VERSION}"] + (["psycopg[binary]"]
                                                             if postgres else [])
        subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], check=True)
        marker.touch()
    return python


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def databases(args: argparse.Namespace) -> tuple[str, str]:
    """Fresh databases for both desks: Palier's URL and django-helpdesk's settings dict."""
    if args.database == "sqlite":
        for name in ("palier.sqlite3", "helpdesk.sqlite3"):
            for suffix in ("", "-wal", "-shm", "-journal"):
                (args.workdir / f"{name}{suffix}").unlink(missing_ok=True)
        return (f"sqlite:///{args.workdir / 'palier.sqlite3'}",
                repr({"ENGINE": "django.db.backends.sqlite3",
                      "NAME": str(args.workdir / "helpdesk.sqlite3")}))
    for name in (args.pg_prefix + "palier", args.pg_prefix + "helpdesk"):
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
    host = PG_SERVER.split("@", 1)[1]
    return (f"{PG_SERVER}/{args.pg_prefix}palier",
            repr({"ENGINE": "django.db.backends.postgresql", "NAME": args.pg_prefix + "helpdesk",
                  "USER": "postgres", "HOST": host.split(":")[0],
                  "PORT": host.split(":")[1] if ":" in host else "5432"}))


def side(python: Path, env: dict, role: str, *extra: str) -> dict:
    """Run this script as ``role`` with ``python``; its last stdout line is JSON."""
    done = subprocess.run([str(python), str(Path(__file__).resolve()), role, *extra], env=env,
                          check=True, text=True, stdout=subprocess.PIPE, cwd=env.get("CWD"))
    return json.loads(done.stdout.strip().splitlines()[-1])


def speedups(palier: dict, helpdesk: dict) -> dict:
    """How many times faster Palier is, per operation (goal: 10)."""
    out = {}
    for key in ("list", "search", "reports"):
        out[key] = round(helpdesk[key]["p50_ms"] / palier[key]["p50_ms"], 1)
    for key in ("create_form", "create_api"):
        out[key] = round(palier[key]["per_second"] / helpdesk[key]["per_second"], 1)
    return out


def drive(args: argparse.Namespace) -> dict:
    args.workdir.mkdir(parents=True, exist_ok=True)
    hd_python = helpdesk_venv(args.workdir, args.database == "postgres")
    palier_url, hd_database = databases(args)
    project = args.workdir / "helpdesk-project"
    project.mkdir(exist_ok=True)
    (project / "hd_settings.py").write_text(HD_SETTINGS % {
        "database": hd_database, "media": str(args.workdir / "helpdesk-media")})
    (project / "hd_urls.py").write_text(HD_URLS)
    p_env = dict(os.environ, PALIER_DATABASE_URL=palier_url, PALIER_TESTING="true",
                 PALIER_DATA_DIR=str(args.workdir / "palier-data"),
                 DJANGO_SETTINGS_MODULE="palier.settings", PYTHONPATH=str(ROOT), CWD=str(ROOT))
    hd_env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIER_", "VIRTUAL"))}
    hd_env.update(DJANGO_SETTINGS_MODULE="hd_settings", PYTHONPATH=str(project),
                  CWD=str(project))
    manage = [sys.executable, str(ROOT / "manage.py")]
    setup: dict = {}

    log("Palier: migrate and seed")
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=p_env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "seed", "--tickets", str(args.tickets), "--seed", str(SEED)],
                   env=p_env, check=True, stdout=subprocess.DEVNULL)
    setup["palier_seed_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    subprocess.run([*manage, "worker", "--once", "--verbosity", "0", "--jobs", CATCH_UP],
                   env=p_env, check=True)
    setup["palier_background_catch_up_s"] = round(time.perf_counter() - started, 1)
    export = args.workdir / "tickets.jsonl"
    setup.update(side(Path(sys.executable), p_env, "_palier_export", str(export)))

    log("django-helpdesk: migrate and load the same tickets")
    django_admin = [str(hd_python), "-m", "django"]
    subprocess.run([*django_admin, "migrate", "--verbosity", "0"], env=hd_env, check=True,
                   cwd=project)
    loaded = side(hd_python, hd_env, "_helpdesk_load", str(export))
    setup["helpdesk_load_s"] = loaded["seconds"]
    if loaded["loaded"] != setup["exported"]:
        raise SystemExit(f"django-helpdesk loaded {loaded['loaded']} of {setup['exported']}")

    opts = json.dumps({"samples": args.samples, "creates": args.creates,
                       "report_passes": args.report_passes})
    log("django-helpdesk: measuring")
    helpdesk = side(hd_python, hd_env, "_helpdesk_measure", opts)
    log("Palier: measuring")
    palier = side(Path(sys.executable), p_env, "_palier_measure", opts)
    return {"setup": setup, "palier": palier, "django_helpdesk": helpdesk,
            "palier_times_faster": speedups(palier, helpdesk)}


def cleanup(args: argparse.Namespace) -> None:
    if args.database == "postgres":
        for name in (args.pg_prefix + "palier", args.pg_prefix + "helpdesk"):
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for name in ("palier.sqlite3", "helpdesk.sqlite3", "tickets.jsonl"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            (args.workdir / f"{name}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(args.workdir / "palier-data", ignore_errors=True)
    shutil.rmtree(args.workdir / "helpdesk-media", ignore_errors=True)


def main() -> None:
    roles = {"_palier_export": lambda a: palier_export(Path(a)),
             "_palier_measure": lambda a: palier_measure(json.loads(a)),
             "_helpdesk_load": lambda a: helpdesk_load(Path(a)),
             "_helpdesk_measure": lambda a: helpdesk_measure(json.loads(a))}
    if len(sys.argv) == 3 and sys.argv[1] in roles:
        print(json.dumps(roles[sys.argv[1]](sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--report-passes", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-prefix", default="palier_bench_vs_",
                        help="PostgreSQL database names: PREFIXpalier, PREFIXhelpdesk")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench" / "vs_helpdesk")
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    args = parser.parse_args()
    args.workdir = args.workdir.resolve()
    load_before = [round(x, 2) for x in os.getloadavg()]
    try:
        result = drive(args)
    finally:
        if not args.keep:
            cleanup(args)
    print(json.dumps({
        "benchmark": "vs_django_helpdesk", "django_helpdesk_version": HELPDESK_VERSION,
        "database": args.database, "tickets": args.tickets, "creates": args.creates,
        "keyword": KEYWORD, "level": LEVEL, **result, "goal_times_faster": 10,
        "load_average": {"before": load_before, "after": [round(x, 2)
                                                          for x in os.getloadavg()]}}))


if __name__ == "__main__":
    main()
