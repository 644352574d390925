"""``{% queue_rows tickets %}``: the rows of a queue page, built in Python.

A queue page shows 50 tickets; the template loop (two ``get_*_display`` calls, a
``blocktranslate`` and two date filters per row) cost two thirds of the page's server time.
The cells are the template's: everything escaped, the priority as a badge, the due time in the
viewer's time zone and language, ``—`` where there is nothing.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from palier.tickets.models import PriorityChoice, TicketStatus

register = template.Library()

ROW = (
    '<tr>\n  <td><input type="checkbox" name="ticket" value="{pk}" aria-label="{select}"></td>\n'
    '  <td><a href="/console/tickets/{pk}/">{number}</a> {title}</td>\n'
    '  <td><span class="badge {priority}">{priority_label}</span></td>\n'
    '  <td>{status}</td>\n'
    '  <td class="hide-phone">{level} · {group}</td>\n'
    '  <td class="hide-phone">{client}</td>\n'
    '  <td class="hide-phone">{assignee}</td>\n'
    '  <td>{due}</td>\n</tr>\n'
)


@register.simple_tag
def queue_rows(tickets) -> SafeString:
    """One ``<tr>`` per ticket (the tickets come with level, group, client and assignee)."""
    priorities = {value: escape(str(label)) for value, label in PriorityChoice.choices}
    statuses = {value: escape(str(label)) for value, label in TicketStatus.choices}
    select = gettext("Select %(number)s")
    short = formats.get_format("SHORT_DATETIME_FORMAT")
    names: dict[tuple[type, int], str] = {}

    def name(obj) -> str:
        """The escaped name of a group, client or agent (each shown many times)."""
        if obj is None:
            return "—"
        key = (type(obj), obj.pk)
        if key not in names:
            names[key] = escape(str(obj)) or "—"
        return names[key]

    rows = []
    for t in tickets:
        rows.append(ROW.format(
            pk=t.pk, number=escape(t.number), title=escape(t.title),
            select=escape(select % {"number": t.number}), priority=escape(t.priority),
            priority_label=priorities.get(t.priority) or escape(t.priority),
            status=statuses.get(t.status) or escape(t.status), level=escape(t.level.code),
            group=name(t.group), client=name(t.client), assignee=name(t.assignee),
            due=_due(t.due_at, short)))
    return mark_safe("".join(rows))  # every value above is escaped


def _due(due_at, short: str) -> str:
    """The due time in the viewer's zone: ISO for machines, the language's short form."""
    if due_at is None:
        return "—"
    local = timezone.localtime(due_at)
    return f'<time datetime="{local.isoformat()}">{escape(dateformat.format(local, short))}</time>'

