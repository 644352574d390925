"""``{% chart_rows chart.table %}``: the body of a chart's data table, built in Python.

The capacity page's tables hold hundreds of rows per chart; the template loop cost most of
its server time. The cells are the template's: the row label escaped, ``—`` for a missing
value, otherwise ``floatformat:"-2"`` (whole numbers need no formatting; repeated values are
formatted once).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def chart_rows(table: dict) -> SafeString:
    shown: dict[float, str] = {}

    def cell(value: float | None) -> str:
        if value is None:
            return "<td>—</td>"
        if isinstance(value, int):
            return f"<td>{value}</td>"
        if value not in shown:
            shown[value] = f"<td>{floatformat(value, '-2')}</td>"
        return shown[value]

    rows = [f'<tr><th scope="row">{conditional_escape(label)}</th>'
            + "".join(cell(v) for v in values) + "</tr>\n"
            for label, *values in table["rows"]]
    return mark_safe("".join(rows))  # labels escaped, numbers formatted
