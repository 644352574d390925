"""The monthly client report: SLA compliance, volumes and trend, top categories, open
problems; HTML and PDF (WeasyPrint) in the client's language; e-mailed by the worker.

The report is the desk's to the client: it is built by the system (CLI, worker) for one
client and counts only that client's tickets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from palier.accounts.models import Level, Role, User
from palier.clients.models import Client
from palier.core import clock
from palier.core.errors import NotFound, ValidationFailed
from palier.reports import aggregate
from palier.reports.metrics import share
from palier.reports.models import ReportDelivery, TicketFacts

log = logging.getLogger(__name__)
TREND_MONTHS = 6


@dataclass(frozen=True)
class Month:
    first: date

    @classmethod
    def parse(cls, text: str) -> Month:
        try:
            first = datetime.strptime(text, "%Y-%m").date()
        except (TypeError, ValueError):
            raise ValidationFailed(f"{text!r} is not a month; write YYYY-MM.",
                                   fields={"month": "invalid"}) from None
        return cls(first)

    def shift(self, months: int) -> Month:
        index = self.first.year * 12 + self.first.month - 1 + months
        return Month(date(index // 12, index % 12 + 1, 1))

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (datetime.combine(self.first, time.min, tzinfo=zone),
                datetime.combine(self.shift(1).first, time.min, tzinfo=zone))

    def __str__(self) -> str:
        return self.first.strftime("%Y-%m")


def find_client(key: str) -> Client:
    """A client by code, name or id."""
    found = Client.objects.filter(Q(code=key) | Q(name=key)).first()
    if found is None and key.isdigit():
        found = Client.objects.filter(pk=int(key)).first()
    if found is None:
        raise NotFound(f"Client {key!r} was not found.")
    return found


def language_of(client: Client) -> str:
    """The client's language (``Client.language``), else the desk's ``LANGUAGE_CODE``."""
    return getattr(client, "language", "") or settings.LANGUAGE_CODE


def report_data(client: Client, month: Month) -> dict:
    """Every figure of the report, for one client and month."""
    start, end = month.bounds()
    facts = TicketFacts.objects.filter(client=client, created_at__gte=start, created_at__lt=end)
    ranks = dict(Level.objects.values_list("code", "rank"))
    tiers = aggregate.case_metrics(facts, ranks)
    row = facts.aggregate(
        resp_n=Count("pk", filter=Q(response_met__isnull=False)),
        resp_ok=Count("pk", filter=Q(response_met=True)),
        res_n=Count("pk", filter=Q(resolution_met__isnull=False)),
        res_ok=Count("pk", filter=Q(resolution_met=True)))
    return {
        "client": client, "month": month, "generated_at": clock.now(),
        "volume": tiers["volume"], "resolved": tiers["resolved"],
        "response_compliance": share(row["resp_ok"], row["resp_n"]),
        "resolution_compliance": share(row["res_ok"], row["res_n"]),
        "fcr_rate": tiers["fcr_rate"], "escalation_rate": tiers["escalation_rate"],
        "reopen_rate": tiers["reopen_rate"],
        "first_response_hours": _hours(tiers["first_response_seconds"]),
        "resolve_hours": _hours(tiers["resolve_seconds"]),
        "by_priority": _by_priority(facts),
        "trend": _trend(client, month),
        "top_categories": aggregate.by_dimension(facts, "category__path", limit=10),
        "open_problems": open_problems(client),
    }


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


def _by_priority(facts) -> list[dict]:
    rows = facts.values("priority").annotate(
        n=Count("pk"), res_n=Count("pk", filter=Q(resolution_met__isnull=False)),
        res_ok=Count("pk", filter=Q(resolution_met=True))).order_by("priority")
    return [{"priority": r["priority"], "volume": r["n"],
             "resolution_compliance": share(r["res_ok"], r["res_n"])} for r in rows]


def _trend(client: Client, month: Month) -> list[dict]:
    """Tickets created per month, the last six months up to this one (one query)."""
    months = [month.shift(-k) for k in range(TREND_MONTHS - 1, -1, -1)]
    counts = {}
    for m in months:
        lo, hi = m.bounds()
        counts[str(m)] = Count("pk", filter=Q(created_at__gte=lo, created_at__lt=hi))
    first, _ = months[0].bounds()
    _, last = month.bounds()
    row = TicketFacts.objects.filter(client=client, created_at__gte=first,
                                     created_at__lt=last).aggregate(**counts)
    top = max(row.values()) or 1
    return [{"month": key, "volume": row[key], "bar": round(100 * row[key] / top)}
            for key in counts]


def open_problems(client: Client) -> list[dict]:
    """The client's unresolved problems (when the problems app is there)."""
    try:
        problem = apps.get_model("problems", "Problem")
    except LookupError:
        return []
    if problem._meta.db_table not in connection.introspection.table_names():
        return []
    rows = (problem.objects.exclude(status="resolved")
            .filter(Q(client=client) | Q(links__ticket__client=client)).distinct()
            .order_by("created_at")[:20])
    return [{"number": p.number, "title": p.title, "status": p.get_status_display()}
            for p in rows]


def render_html(client: Client, month: Month) -> str:
    with translation.override(language_of(client)):
        return render_to_string("reports/client_report.html", report_data(client, month))


def render_pdf(client: Client, month: Month) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(client, month)).write_pdf()


def recipients(client: Client) -> list[str]:
    """The client's managers (requesters flagged client manager)."""
    return list(User.objects.filter(client=client, role=Role.REQUESTER, is_client_manager=True,
                                    is_active=True).order_by("email")
                .values_list("email", flat=True))


def send_report(client: Client, month: Month, to: list[str], mail=None) -> None:
    """Mail the month's PDF to ``to`` (through ``mail``, an open connection, if given)."""
    with translation.override(language_of(client)):
        subject = translation.gettext("Service report %(month)s · %(client)s") % {
            "month": month, "client": client.name}
        body = translation.gettext("Please find attached the service report for %(month)s.") % {
            "month": month}
    message = EmailMessage(subject, body, to=to, connection=mail)
    message.attach(f"palier-report-{client.code}-{month}.pdf", render_pdf(client, month),
                   "application/pdf")
    message.send()


def send_due_reports(now: datetime | None = None) -> int:
    """Send last month's report to every active client with managers, once per month.

    The delivery row is the claim: a worker that cannot insert it leaves the report to the
    one that did. A failed send removes the claim so a later round retries. The mail server
    is reached before any PDF is rendered: while it is down, a round costs one attempt to
    connect, not a render per client."""
    today = timezone.localdate(now or clock.now())
    month = Month(today.replace(day=1)).shift(-1)
    due = [(client, to) for client in Client.objects.filter(is_active=True).exclude(
        pk__in=ReportDelivery.objects.filter(month=month.first).values("client_id"))
        if (to := recipients(client))]
    if not due:
        return 0
    mail = get_connection()
    try:
        mail.open()
    except Exception as exc:
        log.warning("The mail server is unreachable (%s); %d client reports for %s wait for a "
                    "later round.", exc, len(due), month)
        return 0
    try:
        return sum(_send_once(client, month, to, mail) for client, to in due)
    finally:
        mail.close()


def _send_once(client: Client, month: Month, to: list[str], mail) -> bool:
    """Claim the client's delivery and send it; False if another worker has it or it failed."""
    try:
        with transaction.atomic():
            claim = ReportDelivery.objects.create(client=client, month=month.first,
                                                  recipients=", ".join(to), sent_at=clock.now())
    except IntegrityError:
        return False
    try:
        send_report(client, month, to, mail)
    except Exception:
        log.exception("Sending the %s report of %s failed; retrying later.", month, client)
        ReportDelivery.objects.filter(pk=claim.pk).delete()
        return False
    return True
