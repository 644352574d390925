"""Domain errors: stable codes and the status the surfaces map them to."""

from __future__ import annotations

import pytest

from palier.core.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)


@pytest.mark.parametrize(("error", "code", "status"), [
    (NotFound, "not_found", 404),
    (PermissionDenied, "permission_denied", 403),
    (Conflict, "conflict", 409),
    (IllegalTransition, "illegal_transition", 409),
    (ValidationFailed, "validation_failed", 422),
])
def test_each_error_has_a_stable_code_and_status(error, code, status):
    raised = error("Nope.")
    assert isinstance(raised, DomainError)
    assert (raised.code, raised.status, raised.detail, str(raised)) == (
        code, status, "Nope.", "Nope.")
    assert raised.as_dict() == {"code": code, "detail": "Nope."}


def test_a_specific_code_and_fields_are_kept():
    raised = ValidationFailed("Fill in the summary.", code="handoff_incomplete",
                              fields={"summary": "required"})
    assert raised.as_dict() == {"code": "handoff_incomplete", "detail": "Fill in the summary.",
                                "fields": {"summary": "required"}}
    assert ValidationFailed("Other").code == "validation_failed"  # the class default is intact


def test_an_illegal_transition_is_caught_as_a_conflict():
    with pytest.raises(Conflict):
        raise IllegalTransition("closed")
