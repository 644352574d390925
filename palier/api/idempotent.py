"""``@idempotent``: a write on one ticket that a client may send again with the same
``Idempotency-Key`` header and get the first answer again, done once.

HTTP only: the header (read and documented here) and the rendered answer. Storage,
fingerprints, replays and concurrency are ``palier.idempotency.services.once``. The view runs
inside the key's transaction, and its result is rendered there as ninja renders it, so the
stored answer (status and JSON body) is the one the client was sent.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import Status
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback
from pydantic import BaseModel

from palier.api.renderer import JSONRenderer
from palier.idempotency.services import Answer, once

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 100,
              "pattern": "^[\\x20-\\x7e]+$"}
EXAMPLE = "5f0c6b8e-3b1a-4f7e-9a51-0d8a3c2e7b14"
PARAMETER = {
    "in": "header", "name": HEADER, "required": False, "schema": KEY_SCHEMA,
    "example": EXAMPLE,
    "description": "1 to 100 printable ASCII characters, e.g. a UUID. A repeat with the same "
                   "key and body within 24 h does nothing again and answers what the first "
                   "request answered (same status and body, header `Idempotent-Replayed: "
                   "true`); the same key with another body, or for another operation or "
                   "ticket, is 422 `idempotency_key_reused`. A refused request stores "
                   "nothing: fix it and send it again with the same key.",
}
RENDERER = JSONRenderer()
CONTENT_TYPE = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make a ticket write (path parameter ``ticket_id``) safe to retry with a key; put it
    under the route decorator."""
    models: dict[int, Any] = {}  # status → ninja's response model, from the route

    def install(operation: Operation) -> None:
        models.update(operation.response_models)
        extra = dict(operation.openapi_extra or {})
        extra["parameters"] = [*extra.get("parameters", []), PARAMETER]
        operation.openapi_extra = extra

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, **kwargs)

        def write() -> tuple[bytes, Answer]:
            status, value = _status_and_value(view(request, **kwargs))
            content = _render(request, models[status], status, value)
            return content, Answer(kwargs["ticket_id"], status, orjson.loads(content))

        done = once(request.auth, key, f"{request.method} {request.path}", _fields(kwargs),
                    write)
        status = done.answer.status
        content = done.result if not done.replayed else RENDERER.render(
            request, done.answer.body, response_status=status)
        response = HttpResponse(content, status=status, content_type=CONTENT_TYPE)
        if done.replayed:
            response[REPLAYED] = "true"
        return response

    # ninja reads the view's signature; resolve its annotations in the view's own module
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    contribute_operation_callback(wrapper, install)
    return wrapper


def _status_and_value(result: Any) -> tuple[int, Any]:
    if isinstance(result, Status):
        return result.status_code, result.value
    return 200, result


def _render(request: HttpRequest, model: Any, status: int, value: Any) -> bytes:
    """The body as ninja would send it: validated by the route's response schema, dumped,
    rendered by the API's renderer."""
    context = {"request": request, "response_status": status}
    dumped = model.model_validate({"response": value}, context=context).model_dump(
        context=context)["response"]
    return RENDERER.render(request, dumped, response_status=status)


def _fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request's parameters as comparable values (a file by its name, size and hash)."""
    return {name: _comparable(value) for name, value in kwargs.items()}


def _comparable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if hasattr(value, "chunks"):  # an uploaded file
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"name": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value
