"""The clock's inputs as plain values: journal facts and the SLA policy in force."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from palier.sla.calendar import BusinessCalendar
from palier.tickets.lifecycle import Status

# Fact kinds: the journal's event kinds that matter to the clock, plus ``responded``.
CREATED = "created"              # carries priority and level
CLASSIFIED = "classified"        # carries the new priority
ESCALATED = "escalated"          # carries the level escalated to
ACCEPTED = "accepted"
RETURNED = "returned"            # carries the level returned to
DE_ESCALATED = "de_escalated"    # carries the level handed down to
PENDING = "pending"
VENDOR = "vendor"
RESUMED = "resumed"
RESOLVED = "resolved"
REOPENED = "reopened"
CLOSED = "closed"
RESPONDED = "responded"          # the first public agent reply

STATUS_AFTER: Mapping[str, Status] = MappingProxyType({
    CREATED: Status.NEW, ESCALATED: Status.ESCALATED, ACCEPTED: Status.OPEN,
    RETURNED: Status.OPEN, DE_ESCALATED: Status.OPEN, PENDING: Status.PENDING,
    VENDOR: Status.PENDING_VENDOR, RESUMED: Status.OPEN, RESOLVED: Status.RESOLVED,
    REOPENED: Status.OPEN, CLOSED: Status.CLOSED,
})
LEVEL_MOVES = frozenset({CREATED, ESCALATED, RETURNED, DE_ESCALATED})
#: Journal kinds accepted and ignored, so a journal can be passed through unfiltered.
IGNORED = frozenset({"message", "note", "assigned", "managers_alerted", "worklog",
                     "attachment"})
KINDS = frozenset(STATUS_AFTER) | {CLASSIFIED, RESPONDED}

PAUSE_REQUESTER = "pending requester"
PAUSE_VENDOR = "pending vendor"


@dataclass(frozen=True)
class Fact:
    """One journal event as the clock sees it.

    ``priority`` is set on ``created`` and ``classified``; ``level`` (a level code) on
    ``created`` and on the level moves (``escalated``, ``returned``, ``de_escalated``).
    """

    at: datetime
    kind: str
    priority: str | None = None
    level: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"Fact {self.kind} at {self.at} needs an aware datetime.")
        if self.kind not in KINDS and self.kind not in IGNORED:
            raise ValueError(f"{self.kind!r} is not a journal fact the SLA clock knows.")


def _durations(values: Mapping[str, timedelta | int]) -> Mapping[str, timedelta]:
    """Targets as business timedeltas; ints are minutes. Targets must be positive."""
    result = {}
    for key, value in values.items():
        duration = value if isinstance(value, timedelta) else timedelta(minutes=value)
        if duration <= timedelta(0):
            raise ValueError(f"The target for {key} must be positive.")
        result[key] = duration
    return MappingProxyType(result)


@dataclass(frozen=True, eq=False)
class Policy:
    """An SLA policy as a plain value.

    ``response`` and ``resolution`` map a priority (``P1``…) to its business-time target;
    ``ola`` maps a level code to the business time a ticket may stay at that level. Targets
    may be given as timedeltas or as whole minutes.
    """

    calendar: BusinessCalendar
    response: Mapping[str, timedelta] = field(default_factory=dict)
    resolution: Mapping[str, timedelta] = field(default_factory=dict)
    ola: Mapping[str, timedelta] = field(default_factory=dict)
    pause_on_pending_requester: bool = True
    pause_on_pending_vendor: bool = False
    warning_thresholds: tuple[int, ...] = (75, 90)
    name: str = ""

    def __post_init__(self) -> None:
        for name in ("response", "resolution", "ola"):
            object.__setattr__(self, name, _durations(getattr(self, name)))
        thresholds = tuple(sorted(set(self.warning_thresholds)))
        if any(not 0 < p < 100 for p in thresholds):
            raise ValueError("Warning thresholds are percentages between 1 and 99.")
        object.__setattr__(self, "warning_thresholds", thresholds)

    def pause_reason(self, status: str) -> str | None:
        """Why ``status`` pauses the clocks under this policy, or ``None`` if it does not."""
        if status == Status.PENDING and self.pause_on_pending_requester:
            return PAUSE_REQUESTER
        if status == Status.PENDING_VENDOR and self.pause_on_pending_vendor:
            return PAUSE_VENDOR
        return None
