"""The ticket state machine: statuses, actions, and the one table of legal transitions.

Pure: no ORM, no I/O. Services ask ``transition(status, action)`` before they change a
ticket, and ``check_level_move`` before they change its level.
"""

from __future__ import annotations

from enum import StrEnum

from palier.core.errors import IllegalTransition

__all__ = ["TABLE", "Action", "IllegalTransition", "Status", "transition"]


class Status(StrEnum):
    NEW = "new"                        # recorded, nobody has taken it yet
    OPEN = "open"                      # being worked at its current level
    ESCALATED = "escalated"            # handed to a higher level, awaiting acceptance
    PENDING = "pending"                # waiting on the requester
    PENDING_VENDOR = "pending_vendor"  # waiting on an external party
    RESOLVED = "resolved"              # a resolution was given; may be reopened
    CLOSED = "closed"                  # final


class Action(StrEnum):
    TAKE = "take"
    ASSIGN = "assign"
    ESCALATE = "escalate"
    ACCEPT = "accept"
    RETURN = "return"
    DE_ESCALATE = "de-escalate"
    ALERT_MANAGERS = "alert-managers"
    VENDOR = "vendor"
    PENDING = "pending"
    RESUME = "resume"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    MERGE = "merge"


S, A = Status, Action
ACTIVE = frozenset({S.NEW, S.OPEN, S.ESCALATED, S.PENDING, S.PENDING_VENDOR})
WORKING = frozenset({S.NEW, S.OPEN})

#: (status, action) → next status. Anything absent is illegal.
TABLE: dict[tuple[Status, Action], Status] = {
    (S.NEW, A.TAKE): S.OPEN,
    (S.NEW, A.ASSIGN): S.OPEN,
    (S.OPEN, A.TAKE): S.OPEN,
    (S.OPEN, A.ASSIGN): S.OPEN,
    (S.PENDING, A.ASSIGN): S.PENDING,
    (S.PENDING_VENDOR, A.ASSIGN): S.PENDING_VENDOR,
    (S.NEW, A.ESCALATE): S.ESCALATED,
    (S.OPEN, A.ESCALATE): S.ESCALATED,
    (S.ESCALATED, A.ACCEPT): S.OPEN,
    (S.ESCALATED, A.RETURN): S.OPEN,
    (S.OPEN, A.DE_ESCALATE): S.OPEN,
    **{(s, A.ALERT_MANAGERS): s for s in ACTIVE},
    (S.NEW, A.VENDOR): S.PENDING_VENDOR,
    (S.OPEN, A.VENDOR): S.PENDING_VENDOR,
    (S.NEW, A.PENDING): S.PENDING,
    (S.OPEN, A.PENDING): S.PENDING,
    (S.PENDING, A.RESUME): S.OPEN,
    (S.PENDING_VENDOR, A.RESUME): S.OPEN,
    (S.NEW, A.RESOLVE): S.RESOLVED,
    (S.OPEN, A.RESOLVE): S.RESOLVED,
    (S.PENDING, A.RESOLVE): S.RESOLVED,
    (S.PENDING_VENDOR, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.REOPEN): S.OPEN,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    **{(s, A.MERGE): S.CLOSED for s in ACTIVE},  # a duplicate closes into its original
}


def transition(status: str, action: str) -> Status:
    """The status after ``action``; raises ``IllegalTransition`` if the table forbids it."""
    try:
        return TABLE[(Status(status), Action(action))]
    except (KeyError, ValueError):
        raise IllegalTransition(
            f"A ticket that is {status} cannot be given the action '{action}'.",
        ) from None


def allowed_actions(status: str) -> list[Action]:
    """The actions the table allows from ``status``, in declaration order."""
    return [a for (s, a) in TABLE if s == status]


def moves() -> frozenset[tuple[Status, Status]]:
    """Every (from, to) pair of statuses some action allows."""
    return frozenset((s, target) for (s, _), target in TABLE.items())


def check_level_move(action: str, current_rank: int, target_rank: int, *,
                     skip_allowed: bool, ranks: list[int]) -> None:
    """Refuse a level change that the tiered model forbids.

    Escalation goes strictly up, and to the next level unless skipping is allowed;
    de-escalation goes strictly down. ``ranks`` are the configured levels' ranks.
    """
    if target_rank not in ranks:
        raise IllegalTransition(f"There is no level of rank {target_rank}.", code="unknown_level")
    if action == Action.ESCALATE:
        if target_rank <= current_rank:
            raise IllegalTransition("Escalation goes to a higher level.", code="not_higher")
        higher = sorted(r for r in ranks if r > current_rank)
        if target_rank != higher[0] and not skip_allowed:
            raise IllegalTransition(
                "This ticket may not skip a level; escalate to the next level.",
                code="level_skip_refused",
            )
    elif action == Action.DE_ESCALATE:
        if target_rank >= current_rank:
            raise IllegalTransition("De-escalation goes to a lower level.", code="not_lower")
    else:
        raise IllegalTransition(f"'{action}' does not change the level.")
