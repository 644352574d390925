"""Business calendars (pure: no ORM): opening hours, holidays, exceptions, business time.

See ``business`` for the semantics of ``add``, ``between`` and DST handling.
"""

from palier.sla.calendar.business import BusinessCalendar, Period
from palier.sla.calendar.hours import (
    CLOSED_WEEK,
    FULL_WEEK,
    WEEKDAYS,
    Week,
    format_clock,
    parse_week,
    week_to_json,
)
from palier.sla.calendar.index import CalendarNeverOpens
from palier.sla.calendar.regions import check_region
from palier.sla.calendar.segments import (
    CLOSURE,
    HOLIDAY,
    OPEN,
    OPENING,
    OUTSIDE_HOURS,
    Segment,
)
from palier.sla.calendar.timeutil import zone

__all__ = [
    "CLOSED_WEEK", "CLOSURE", "FULL_WEEK", "HOLIDAY", "OPEN", "OPENING", "OUTSIDE_HOURS",
    "WEEKDAYS", "BusinessCalendar", "CalendarNeverOpens", "Period", "Segment", "Week",
    "check_region", "format_clock", "parse_week", "week_to_json", "zone",
]
