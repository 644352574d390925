"""Domain errors shown to people in their language: a message per known code."""

from __future__ import annotations

from django.utils.translation import gettext as _

from palier.core.errors import DomainError

FIELD_LABELS = {
    "summary": lambda: _("Summary"),
    "steps_tried": lambda: _("Steps tried"),
    "diagnostics": lambda: _("Diagnostics"),
}


def field_label(name: str) -> str:
    """A handoff field's label: the standard ones translated, category fields humanised."""
    known = FIELD_LABELS.get(name)
    return known() if known else name.replace("_", " ").capitalize()


def message_for(error: DomainError) -> str:
    """The error in the active language (known codes), else the service's own detail."""
    code = error.code
    if code == "handoff_incomplete":
        names = ", ".join(field_label(name) for name in error.fields)
        return _("The handoff is incomplete; fill in: %(fields)s.") % {"fields": names}
    messages = {
        "conflict": _("Someone else changed this ticket first; reload it and try again."),
        "illegal_transition": _("The ticket's current status does not allow this action."),
        "permission_denied": _("You may not do this on this ticket."),
        "already_assigned": _("This ticket is already assigned."),
        "own_escalation": _("You escalated this ticket; someone of the receiving group must "
                            "accept it."),
        "level_not_covered": _("The client's contract does not include that level."),
        "level_skip_refused": _("This ticket may not skip a level; escalate to the next level."),
        "not_higher": _("Escalation goes to a higher level."),
        "not_lower": _("De-escalation goes to a lower level."),
        "merge_into_itself": _("A ticket cannot be merged into itself."),
        "merge_other_client": _("Only tickets of the same client can be merged."),
        "original_not_active": _("Merge into a ticket that is still open."),
        "merge_original_unknown": _("There is no such ticket among those you may see."),
        "idempotency_key_reused": _("This form was already sent for another ticket; check "
                                    "your tickets, or send it again to open a new one."),
    }
    if code in messages:
        return messages[code]
    if code == "validation_failed" and error.fields:
        names = ", ".join(field_label(name) for name in error.fields)
        return _("Check these fields: %(fields)s.") % {"fields": names}
    return error.detail
