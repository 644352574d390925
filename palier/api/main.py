"""The NinjaAPI instance: authentication, error mapping, routers."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic_core import ValidationError as PydanticValidationError

from palier.api import reference, sla, tickets
from palier.api.contract import document_shared_errors
from palier.api.parser import NulRefusingParser
from palier.api.renderer import JSONRenderer
from palier.api.security import ActiveSessionAuth, TokenAuth
from palier.core.errors import DomainError
from palier.ops import unavailable


class PalierAPI(NinjaAPI):
    """ninja's API, with the answers that come from outside the handlers documented."""

    def get_openapi_schema(self, **kwargs):
        return document_shared_errors(super().get_openapi_schema(**kwargs))


api = PalierAPI(
    title="Palier API",
    version="1",
    description="The tiered service desk over HTTP: tickets, escalations with handoffs, "
                "and reference data. Authenticate with `Authorization: Bearer <token>` "
                "(create one with `palier token create`) or a console session.",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api-v1",
    parser=NulRefusingParser(),
    renderer=JSONRenderer(),
)
api.add_router("", tickets.router)
api.add_router("", sla.router)
api.add_router("", reference.router)
api.add_router("", reference.tokens)
api.add_router("", "palier.api.capacity.router")
api.add_router("", "palier.api.reports.router")
api.add_router("", "palier.api.triage.router")
api.add_router("", "palier.api.knowledge.router")
api.add_router("", "palier.api.problems.router")
api.add_router("", "palier.api.events.router")


def _error(request: HttpRequest, status: int, code: str, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = dict(_field_error(e) for e in exc.errors)
    detail = "; ".join(f"{k}: {v}" for k, v in fields.items()) or "The input is not valid."
    return _error(request, 422, "validation_failed", detail, fields=fields)


def _field_error(error: dict) -> tuple[str, str]:
    """("handoff.summary", "Field required") from a pydantic or ninja error."""
    if "loc" not in error:
        return next(iter(error.items()), ("input", "invalid"))
    parts = [str(p) for p in error["loc"] if p not in ("body", "query", "path", "form", "file")]
    if len(parts) > 1 and parts[0] in ("data", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "input", str(error.get("msg", "invalid"))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated",
                  "Send a valid, unexpired API token (Authorization: Bearer …) or sign in.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 401: "unauthenticated", 403: "permission_denied",
            404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
    detail = str(exc)
    if exc.status_code == 400 and exc.__cause__ is not None:  # ninja hides why a body failed
        detail = f"{detail.rstrip('.')}: {exc.__cause__}"
    return _error(request, exc.status_code, code, detail)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_error(request: HttpRequest, exc: OperationalError | InterfaceError) -> HttpResponse:
    """A lost database connection is 503 ``unavailable`` (retry); anything else stays a 500."""
    if not unavailable.lost_connection(exc):
        raise exc
    return unavailable.response_for(request, exc)


@api.exception_handler(PydanticValidationError)
def response_unreadable(request: HttpRequest, exc: PydanticValidationError) -> HttpResponse:
    """The response could not be built: a 503 if the database went away while it was read
    (a lazy queryset), else the bug it is (500)."""
    cause = unavailable.lost_while_serialising(exc)
    if cause is None:
        raise exc
    return unavailable.response_for(request, exc, cause)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "too_large", "The request body is larger than the limit.")
