"""Domain errors: every service raises one of these, each with a stable ``code``.

Surfaces map them to responses: ``NotFound`` → 404, ``PermissionDenied`` → 403,
``Conflict`` and ``IllegalTransition`` → 409, ``ValidationFailed`` → 422.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(self, detail: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.fields = fields or {}

    def as_dict(self) -> dict:
        data: dict = {"code": self.code, "detail": self.detail}
        if self.fields:
            data["fields"] = self.fields
        return data


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    """Someone else changed the object first; reload and try again."""

    code = "conflict"
    status = 409


class IllegalTransition(Conflict):
    """The ticket's current state does not allow the action."""

    code = "illegal_transition"


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422
