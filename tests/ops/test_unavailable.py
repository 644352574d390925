"""A lost database connection is a 503 with Retry-After (JSON for the API, a page else)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import psycopg
import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, connections
from django.test import Client as HttpClient
from pydantic import ValidationError as PydanticValidationError

from palier.ops import unavailable
from palier.tickets.models import TicketEvent
from tests.api.conftest import Api


def _django_error(cause: Exception, kind=OperationalError) -> Exception:
    """What Django raises for a driver error: its own class, the driver's as the cause."""
    error = kind(*cause.args)
    error.__cause__ = cause
    return error


LOST = _django_error(psycopg.OperationalError("consuming input failed: server closed the "
                                              "connection unexpectedly"))
SHUT_DOWN = _django_error(psycopg.errors.AdminShutdown("terminating connection due to "
                                                       "administrator command"))
LOCK_TIMEOUT = _django_error(psycopg.errors.LockNotAvailable("canceling statement due to "
                                                             "lock timeout"))


@pytest.mark.parametrize(("error", "lost"), [
    (LOST, True),
    (SHUT_DOWN, True),
    (_django_error(psycopg.errors.CannotConnectNow("the database system is starting up")), True),
    (_django_error(psycopg.errors.ConnectionFailure("connection failure")), True),
    (_django_error(psycopg.InterfaceError("the connection is closed"), InterfaceError), True),
    (LOCK_TIMEOUT, False),
    (_django_error(psycopg.errors.QueryCanceled("canceling statement due to statement "
                                                "timeout")), False),
    (_django_error(psycopg.errors.DeadlockDetected("deadlock detected")), False),
    (OperationalError("database is locked"), False),
    (OperationalError("no such table: tickets_ticket"), False),
    (OperationalError("unable to open database file"), True),
    (IntegrityError("duplicate key"), False),
])
def test_only_a_lost_connection_counts_as_unavailable(error, lost):
    assert unavailable.lost_connection(error) is lost


def _signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _fail(monkeypatch, error: Exception) -> None:
    def access_ticket(actor, ticket_id):
        raise error

    monkeypatch.setattr("palier.tickets.selectors.access_ticket", access_ticket)


def test_the_api_answers_503_unavailable_with_retry_after(desk, monkeypatch, caplog):
    ticket = desk.open(desk.a)
    _fail(monkeypatch, SHUT_DOWN)
    with caplog.at_level(logging.WARNING, logger="palier.db"):
        response = Api(desk.a.l1).get(f"/tickets/{ticket.pk}")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json() == {"code": "unavailable", "detail": unavailable.DETAIL}
    warning = next(r for r in caplog.records if r.name == "palier.db")
    assert warning.levelno == logging.WARNING
    assert "AdminShutdown" in warning.getMessage()
    assert "terminating connection" in warning.getMessage()


def _lazy(fetch):
    """A journal queryset that fails when it is read, as a cut connection makes it."""
    events = TicketEvent.objects.all()
    events._fetch_all = fetch
    return events


def test_a_connection_lost_while_the_response_is_read_is_503(desk, monkeypatch, caplog):
    """The journal is a lazy queryset read by pydantic, which reports the database error as
    text: the connection being gone since tells it apart from a bug."""
    ticket = desk.open(desk.a)
    default = connections["default"]
    monkeypatch.setattr(default, "errors_occurred", False)
    monkeypatch.setattr(default, "is_usable", lambda: False)

    def lost():
        default.errors_occurred = True
        raise LOST

    monkeypatch.setattr("palier.tickets.selectors.journal", lambda actor, pk: _lazy(lost))
    with caplog.at_level(logging.WARNING, logger="palier.db"):
        response = Api(desk.a.l1).get(f"/tickets/{ticket.pk}/events")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    assert "server closed the connection" in caplog.records[-1].getMessage()


def test_a_response_read_in_a_transaction_that_the_outage_closed_is_503(monkeypatch):
    """An idempotent write renders its answer inside its transaction: when the read fails
    there, the failed rollback closes the connection, which then counts as gone."""
    closed = SimpleNamespace(connection=None, errors_occurred=False, is_usable=lambda: False)
    monkeypatch.setattr(unavailable, "connections",
                        SimpleNamespace(all=lambda initialized_only: [closed]))
    error = _unreadable("OperationalError: the connection is closed")
    assert unavailable.lost_while_serialising(error) == (
        "OperationalError: the connection is closed")
    assert unavailable.lost_while_serialising(_unreadable("ValueError: bad")) is None


def _unreadable(said: str) -> PydanticValidationError:
    return PydanticValidationError.from_exception_data("TicketOut", [{
        "type": "get_attribute_error", "loc": ("response", "level"), "input": None,
        "ctx": {"error": said}}])


def test_a_response_that_cannot_be_built_otherwise_stays_500(desk, monkeypatch):
    ticket = desk.open(desk.a)

    def timed_out():
        raise LOCK_TIMEOUT

    monkeypatch.setattr("palier.tickets.selectors.journal", lambda actor, pk: _lazy(timed_out))
    api = Api(desk.a.l1)
    api.http = HttpClient(raise_request_exception=False)
    assert api.get(f"/tickets/{ticket.pk}/events").status_code == 500


def test_django_does_not_log_the_503_again_as_an_error(desk, monkeypatch, caplog):
    ticket = desk.open(desk.a)
    _fail(monkeypatch, LOST)
    with caplog.at_level(logging.WARNING):
        Api(desk.a.l1).get(f"/tickets/{ticket.pk}")
    assert [(r.name, r.levelname) for r in caplog.records] == [("palier.db", "WARNING")]


def test_the_portal_answers_a_short_503_page(desk, monkeypatch):
    ticket = desk.open(desk.a)
    _fail(monkeypatch, LOST)
    response = _signed_in(desk.a.requester).get(f"/portal/tickets/{ticket.pk}/")
    assert response.status_code == 503 and response["Retry-After"] == "1"
    assert response["Content-Type"].startswith("text/html")
    assert "Unavailable for a moment" in response.content.decode()


def test_the_console_page_is_in_the_users_language(desk, monkeypatch):
    ticket = desk.open(desk.a)
    _fail(monkeypatch, LOST)
    response = _signed_in(desk.a.l1).get(f"/console/tickets/{ticket.pk}/",
                                      HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503 and response["Retry-After"] == "1"
    assert "Indisponible un instant" in response.content.decode()


def test_other_database_errors_stay_500(desk, monkeypatch):
    ticket = desk.open(desk.a)
    _fail(monkeypatch, LOCK_TIMEOUT)
    http = HttpClient(raise_request_exception=False)
    http.force_login(desk.a.requester)
    assert http.get(f"/portal/tickets/{ticket.pk}/").status_code == 500
    api = Api(desk.a.l1)
    api.http = HttpClient(raise_request_exception=False)
    assert api.get(f"/tickets/{ticket.pk}").status_code == 500


def test_a_connection_lost_in_a_middleware_is_503_too(rf):
    """``handler500`` sees the exception being handled (here: saving the session)."""
    try:
        raise LOST
    except OperationalError:
        response = unavailable.server_error(rf.get("/portal/"))
    assert response.status_code == 503 and response["Retry-After"] == "1"
    try:
        raise LOCK_TIMEOUT
    except OperationalError:
        assert unavailable.server_error(rf.get("/portal/")).status_code == 500
