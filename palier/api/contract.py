"""What every operation may answer besides its own statuses, written into the OpenAPI schema.

Two answers come from outside the handlers, so ninja cannot see them: 503 with
``Retry-After`` while the database is away (``palier.ops.unavailable``: the request was rolled
back, retrying is safe), and 413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``. Clients
generated from the schema then know to retry the first and not the second.
"""

from __future__ import annotations

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
UNAVAILABLE = {
    "description": "The database is unavailable for a moment; nothing was changed. "
                   "Retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait before retrying.",
                                "schema": {"type": "integer"}}},
    "content": ERROR,
}
TOO_LARGE = {"description": "The request body is larger than the limit.", "content": ERROR}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def document_shared_errors(schema: dict) -> dict:
    """Add 503 to every operation and 413 to those that take a body (in place)."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault(503, UNAVAILABLE)
            if "requestBody" in operation:
                responses.setdefault(413, TOO_LARGE)
    return schema
