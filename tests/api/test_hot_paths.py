"""The API's hot paths (ticket creation and the list): what they cost in queries, that the
per-process caches keep revocation and scope rules, and that the fast serialisation says
exactly what the schema says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palier.accounts.models import ApiToken
from palier.accounts.services import authenticate_token, create_token, revoke_token
from palier.api.plain import plain
from palier.api.schemas import TicketOut
from palier.core import cache, clock
from palier.sla.services import versions
from palier.tickets.filters import TicketFilters, filter_tickets
from palier.tickets.models import Ticket, TicketEvent


@pytest.fixture
def warm_cache(settings):
    """The production setting: the per-process cache on, starting empty."""
    settings.PALIER_CONFIG_CACHE_SECONDS = 60
    cache._entries.clear()
    versions._stored.clear()  # SLA versions this process inserted (rolled back since)
    yield
    cache._entries.clear()
    versions._stored.clear()


def _new_ticket(client, desk) -> dict:
    return client.post("/tickets", {"title": "Outlook asks for my password",
                                    "description": "Since the update.",
                                    "client": desk.a.client.pk,
                                    "requester_email": desk.a.requester.email,
                                    "impact": "medium", "urgency": "high"})


def test_a_create_with_warm_caches_costs_the_writes_and_one_lookup(
        desk, api, warm_cache, django_capture_on_commit_callbacks):
    client = api(desk.a.l1)
    with django_capture_on_commit_callbacks(execute=True):  # as if committed
        assert _new_ticket(client, desk).status_code == 201  # fills the caches
    with CaptureQueriesContext(connection) as queries:
        response = _new_ticket(client, desk)
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in queries.captured_queries]
    # the number: an UPDATE of its counter row on SQLite, a sequence's nextval on PostgreSQL
    number = [sql for sql in statements if "tickets_ticketcounter" in sql or "nextval" in sql]
    assert len(number) == 1, statements
    rest = [sql for sql in statements if sql not in number]
    writes = [sql for sql in rest if sql.startswith(("INSERT", "UPDATE"))]
    # the ticket with its SLA clock's columns, its one journal event
    assert len(writes) == 2, writes
    reads = [sql for sql in rest if sql.startswith("SELECT")]
    assert reads == [], reads  # token, scope, client, requester, contract, rules: cached
    assert TicketEvent.objects.filter(ticket_id=response.json()["id"]).count() == 1


def test_a_list_page_costs_two_queries_with_warm_caches(desk, api, warm_cache):
    for _ in range(3):
        desk.open(desk.a)
    client = api(desk.a.l1)
    assert client.get("/tickets").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tickets?level=L1")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    _page, people = (q["sql"] for q in queries.captured_queries)  # the page, its requesters
    assert "password" not in people  # only what the page shows of them
    assert {r["requester"]["email"] for r in response.json()["results"]} == {
        desk.a.requester.email}


def test_the_plain_ticket_is_what_the_schema_reads_from_the_model(desk):
    ticket = desk.open(desk.a)
    ticket = Ticket.objects.select_related("level", "group", "client", "category",
                                           "requester").get(pk=ticket.pk)
    by_getter = TicketOut.model_validate(ticket).model_dump()
    by_dict = TicketOut.model_validate(plain(TicketOut, ticket)).model_dump()
    assert by_dict == by_getter
    assert by_dict["level"] == "L1" and by_dict["sla"]["resolution"] is not None


def test_a_revoked_token_is_refused_at_once_despite_the_cache(desk, warm_cache):
    token, secret = create_token(desk.a.l1, name="cli")
    assert authenticate_token(secret) is not None  # now cached
    revoke_token(desk.a.l1, token.pk)
    assert authenticate_token(secret) is None


def test_an_expired_token_is_refused_even_when_cached(desk, warm_cache):
    _, secret = create_token(desk.a.l1, name="cli", expires_days=1)
    assert authenticate_token(secret) is not None  # now cached
    with clock.at(clock.now() + timedelta(days=1, seconds=1)):
        assert authenticate_token(secret) is None


def test_each_request_gets_its_own_copy_of_the_cached_user(desk, warm_cache):
    _, secret = create_token(desk.a.l1, name="cli")
    first = authenticate_token(secret)
    first._palier_scope = "leaked"
    assert not hasattr(authenticate_token(secret), "_palier_scope")


def test_a_token_change_made_elsewhere_applies_once_the_cache_expires(desk, settings):
    settings.PALIER_CONFIG_CACHE_SECONDS = 60
    cache._entries.clear()
    token, secret = create_token(desk.a.l1, name="cli")
    assert authenticate_token(secret) is not None
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())  # another process
    assert authenticate_token(secret) is not None  # within the bound
    settings.PALIER_CONFIG_CACHE_SECONDS = 0
    assert authenticate_token(secret) is None
    cache._entries.clear()


@pytest.mark.parametrize("filters", [TicketFilters(), TicketFilters(status=["open"]),
                                     TicketFilters(priority=["P1"]), TicketFilters(kind="request")])
def test_sqlite_walks_the_ids_backwards_instead_of_sorting(desk, filters):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner only")
    query = filter_tickets(desk.a.l1, filters, newest_first=True).order_by("-id")[:51]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "TEMP B-TREE" not in plan, plan


def test_an_unknown_level_filter_lists_nothing(desk, api):
    desk.open(desk.a)
    response = api(desk.a.l1).get("/tickets?level=L9")
    assert response.status_code == 200 and response.json()["results"] == []

