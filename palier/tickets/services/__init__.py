"""Ticket write services: every surface (API, console, portal, mail, CLI) calls these.

Each service locks the ticket (or checks its version), applies the lifecycle transition,
writes exactly one journal event, and schedules side effects after commit.
"""

from palier.tickets.services.actions import (
    add_attachment,
    add_message,
    close,
    log_work,
    reopen,
    resolve,
    resume,
    set_pending,
)
from palier.tickets.services.assignment import assign, auto_assign, take
from palier.tickets.services.escalation import (
    HandoffInput,
    accept,
    alert_managers,
    de_escalate,
    engage_vendor,
    escalate,
    return_escalation,
)
from palier.tickets.services.intake import classify, open_ticket
from palier.tickets.services.merging import merge
from palier.tickets.services.satisfaction import rate_resolution

__all__ = [
    "HandoffInput", "accept", "add_attachment", "add_message", "alert_managers", "assign",
    "auto_assign", "classify", "close", "de_escalate", "engage_vendor", "escalate", "log_work",
    "merge", "open_ticket", "rate_resolution", "reopen", "resolve", "resume", "return_escalation",
    "set_pending", "take",
]
