"""The per-ticket SLA clock (pure: no ORM), computed from the journal, the policy and now.

``clock_state(facts, policies, now)`` measures the first response, the resolution and each
level's OLA; ``explain`` gives the timeline behind it. The rules (details in ``targets``):

- Every clock counts business time from creation, in the calendar of the policy in force at
  each moment, and pauses in the statuses that policy pauses (pending requester, pending
  vendor). A policy change never re-counts time already paused, or un-counts time counted.
- The first response is met by the first ``responded`` fact or by the resolution. The
  resolution clock stops while resolved or closed; a reopen continues it from what it had.
- A priority or policy change re-targets: the new target minus what was consumed.
- Escalation leaves the response and resolution clocks alone. A level's OLA counts the time
  the ticket spends at that level: fresh on the first arrival, continued from what it had
  consumed when the ticket comes back (return or de-escalation).
- A breach is the first time a running clock passed its due time; it is history and stays
  when the target later grows. Nothing breaches while paused.
- Facts after ``now`` are ignored; facts at ``now`` are applied.

``clock_with_alarms`` adds the warnings and breaches still owed (see ``alarms``).
"""

from palier.sla.clock.alarms import BREACH, Alarm, AlarmKey, clock_with_alarms, owed_alarms
from palier.sla.clock.explain import Line, explain, fmt_duration, render_explanation
from palier.sla.clock.facts import (
    ACCEPTED,
    CLASSIFIED,
    CLOSED,
    CREATED,
    DE_ESCALATED,
    ESCALATED,
    IGNORED,
    KINDS,
    PENDING,
    REOPENED,
    RESOLVED,
    RESPONDED,
    RESUMED,
    RETURNED,
    VENDOR,
    Fact,
    Policy,
)
from palier.sla.clock.state import ClockState, clock_state
from palier.sla.clock.targets import PAUSED, RUNNING, STOPPED, TargetState, Threshold

__all__ = [
    "ACCEPTED", "BREACH", "CLASSIFIED", "CLOSED", "CREATED", "DE_ESCALATED", "ESCALATED",
    "IGNORED", "KINDS", "PAUSED", "PENDING", "REOPENED", "RESOLVED", "RESPONDED", "RESUMED",
    "RETURNED", "RUNNING", "STOPPED", "VENDOR", "Alarm", "AlarmKey", "ClockState", "Fact",
    "Line", "Policy", "TargetState", "Threshold", "clock_state", "clock_with_alarms", "explain",
    "fmt_duration", "owed_alarms", "render_explanation",
]
