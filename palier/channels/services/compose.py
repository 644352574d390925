"""Rendering a notification: template in the recipient's language, threading headers."""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

from palier.channels.defaults import TEMPLATES
from palier.channels.models import InboundMessage, MessageTemplate, NotificationKind
from palier.channels.services.recipients import Recipient
from palier.tickets.models import Ticket, TicketEvent

log = logging.getLogger("palier.channels")
TAG = re.compile(r"\[((?:INC|REQ)-\d{1,12})\]", re.IGNORECASE)
OUR_ID = re.compile(r"^<?(?:ticket-)?((?:inc|req)-\d{1,12})[.@]", re.IGNORECASE)
REQUESTER_KINDS = {NotificationKind.ACKNOWLEDGEMENT, NotificationKind.REPLY,
                   NotificationKind.STATUS, NotificationKind.SURVEY}


def mail_domain() -> str:
    return settings.PALIER_MAIL_DOMAIN


def thread_id(ticket: Ticket) -> str:
    """The ticket's thread root: every message about it references this id."""
    return f"<ticket-{ticket.number.lower()}@{mail_domain()}>"


def message_id(ticket: Ticket, event: TicketEvent, kind: str, address: str) -> str:
    """Deterministic, so a retried send carries the same Message-ID."""
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:10]
    return f"<{ticket.number.lower()}.{event.pk}.{kind}.{digest}@{mail_domain()}>"


def is_ours(mid: str) -> bool:
    return mid.strip().rstrip(">").lower().endswith("@" + mail_domain().lower())


def ticket_number_in(ids: list[str], subject: str) -> str | None:
    """The ticket number our Message-IDs among ``ids`` carry, or the subject's tag."""
    for mid in ids:
        found = OUR_ID.match(mid.strip()) if is_ours(mid) else None
        if found:
            return found.group(1).upper()
    tag = TAG.search(subject or "")
    return tag.group(1).upper() if tag else None


def threading(ticket: Ticket) -> tuple[str, str]:
    """(In-Reply-To, References): the thread root, then the mail the requester sent us."""
    inbound = list(InboundMessage.objects.filter(ticket=ticket, key__startswith="<")
                   .order_by("-received_at", "-id").values_list("key", flat=True)[:10])
    refs = [thread_id(ticket), *reversed(inbound)]
    return refs[-1], " ".join(refs)


def render(event: TicketEvent, recipient: Recipient) -> tuple[str, str, str]:
    """(language, subject, body) in the recipient's language, from the admin-edited
    template (the built-in one if the edited one is broken)."""
    ticket = event.ticket
    language, subject_src, body_src = _template(recipient.kind, recipient.language)
    try:
        subject_template, body_template = compiled(subject_src), compiled(body_src)
    except TemplateSyntaxError:
        log.exception("The %s/%s template is broken; using the built-in one.",
                      recipient.kind, language)
        language = language if (recipient.kind, language) in TEMPLATES else "en"
        subject_template, body_template = map(compiled, TEMPLATES[(recipient.kind, language)])
    base = settings.PALIER_BASE_URL
    portal = base + reverse("portal:ticket_by_number", args=[ticket.number])
    url = portal if recipient.kind in REQUESTER_KINDS else (
        base + reverse("console:ticket", args=[ticket.pk]))
    with translation.override(language):
        context = Context({
            "ticket": ticket, "event": event, "recipient": recipient.user or recipient.address,
            "url": url, "survey_url": portal, "status": ticket.get_status_display(),
            "actor": event.actor,
        }, autoescape=False)
        subject = subject_template.render(context)
        body = body_template.render(context)
    subject = " ".join(subject.split())[:300]
    return language, f"[{ticket.number}] {subject}", body


@lru_cache(maxsize=256)
def compiled(source: str) -> Template:
    """A template's source compiled once per process (an edit is a new source; a broken one
    raises ``TemplateSyntaxError`` every time, uncached)."""
    return Template(source)


def _template(kind: str, language: str) -> tuple[str, str, str]:
    """(language, subject, body): the admin's template in the recipient's language, else
    the built-in one, else the desk's default language."""
    for lang in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        row = MessageTemplate.objects.filter(kind=kind, language=lang).first()
        if row is not None:
            return lang, row.subject, row.body
        if (kind, lang) in TEMPLATES:
            return lang, *TEMPLATES[(kind, lang)]
    return "en", *TEMPLATES[(kind, "en")]
