"""The database went away during a request: answer 503 with ``Retry-After``, not 500.

While PostgreSQL restarts or fails over, a request whose connection is cut (or refused once
``PALIER_DB_CONNECT_WAIT`` has run out) gets 503 ``Retry-After: 1`` — JSON
``{"code": "unavailable", …}`` under ``/api/``, a short page elsewhere — so clients and
browsers know to try again. Its transaction was rolled back, so a retry is safe (and a create
retried with its idempotency key opens one ticket whatever happened). Other database errors
(a lock or statement timeout, a deadlock, a missing table) stay 500s: retrying would not help
or would hide a bug.

``DatabaseUnavailableMiddleware`` answers for exceptions raised by views (ninja re-raises
what it has no handler for; ``palier.api.main`` maps them itself with ``response_for``);
``server_error`` (``handler500``) for those raised by middleware, such as saving a session.
An API response read from a lazy queryset fails inside pydantic, which reports the
database error as text only (``lost_while_serialising``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

log = logging.getLogger("palier.db")

RETRY_AFTER_SECONDS = 1
DETAIL = "The database is unavailable for a moment; retry the request."
# SQLSTATE: class 08 (connection exception); the server shutting down, crashed, starting.
SHUTDOWN_STATES = frozenset({"57P01", "57P02", "57P03"})


def lost_connection(exc: BaseException) -> bool:
    """Whether a database error means the server went away, not that the statement failed.

    PostgreSQL (psycopg): an error without SQLSTATE is the client's own (connection reset,
    refused, closed); with one, only class 08 and the shutdown states count. SQLite: the
    file cannot be opened (``database is locked`` is a busy timeout, not an outage)."""
    if isinstance(exc, InterfaceError):  # Django's "connection already closed"
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    if type(cause).__module__.startswith("psycopg"):
        state = getattr(cause, "sqlstate", None)
        return state is None or state.startswith("08") or state in SHUTDOWN_STATES
    return "unable to open database file" in str(exc)


def lost_while_serialising(exc: BaseException) -> str | None:
    """What pydantic says of a database error raised while it read the response's
    attributes (a lazy queryset), if the connection is gone since; else None."""
    errors = exc.errors() if callable(getattr(exc, "errors", None)) else []
    said = next((str(e.get("ctx", {}).get("error", "")) for e in errors
                 if e.get("type") == "get_attribute_error"), "")
    if not said.startswith(("OperationalError", "InterfaceError")):
        return None
    gone = any(conn.connection is None  # closed by a rollback that failed on it
               or (conn.errors_occurred and not conn.is_usable())
               for conn in connections.all(initialized_only=True))
    return said if gone else None


def _cause(exc: BaseException) -> str:
    """``AdminShutdown: terminating connection …``: the driver's error, first line."""
    error = exc.__cause__ or exc
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0].strip() if lines else 'no detail'}"


def response_for(request: HttpRequest, exc: BaseException, cause: str | None = None
                 ) -> HttpResponse:
    """The 503 for a lost database, logged once, as a warning with its cause."""
    log.warning("Database unavailable during %s %s (%s); answered 503", request.method,
                request.path, (cause or _cause(exc))[:300])
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": "unavailable", "detail": DETAIL},
                                              status=503)
    else:  # no request context: rendering must not touch the database (the user, a session)
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # Django's request log would add an ERROR line for it
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection raised by a view into a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return response_for(request, exc) if lost_connection(exc) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a 503 when what failed was the database connection, else Django's."""
    exc = sys.exc_info()[1]
    if exc is not None and lost_connection(exc):
        return response_for(request, exc)
    return defaults.server_error(request)
