"""A parsed message from a known user: a reply on its ticket, or a new ticket."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from palier.accounts.models import User
from palier.channels.inbound.parse import ParsedMail, Part
from palier.channels.models import InboundMessage, Mailbox, Outcome
from palier.channels.services import compose
from palier.channels.services.senders import Rejected
from palier.core.errors import DomainError
from palier.tickets.models import Attachment, Channel, Ticket, TicketStatus
from palier.tickets.selectors import followed
from palier.tickets.services import add_attachment, add_message, open_ticket
from palier.tickets.services.actions import check_upload


def deliver(parsed: ParsedMail, user: User, mailbox: Mailbox | None,
            stored: list[Attachment]) -> tuple[str, Ticket, list[str]]:
    """Add the message to the ticket it answers, or open one; returns (outcome, ticket,
    notes about attachments that were not kept). Attachments saved are appended to
    ``stored`` so that the caller can remove their files if the transaction rolls back."""
    uploads, notes = _uploads(parsed.attachments)
    text = parsed.text + "".join(f"\n\n[{note}]" for note in notes)
    ticket = thread_of(parsed)
    ticket = followed(user, ticket) if ticket is not None else None  # merged: the original
    if ticket is not None and ticket.status != TicketStatus.CLOSED:
        # Staff only get internal notices by mail: their replies stay internal notes.
        add_message(user, ticket.pk, body=text or "(empty message)",
                    internal=user.is_desk_staff)
        outcome = Outcome.MESSAGE
    else:
        if not user.is_requester:
            raise Rejected(f"{user.email} is desk staff; staff open tickets in the console.")
        if ticket is not None:
            text = f"Follow-up to {ticket.number} (closed).\n\n{text}"
        ticket = open_ticket(user, title=parsed.subject or "(no subject)", description=text,
                             category_id=mailbox.category_id if mailbox else None,
                             channel=Channel.EMAIL)
        outcome = Outcome.TICKET
    for upload in uploads:
        stored.append(add_attachment(user, ticket.pk, upload))
    return outcome, ticket, notes


def thread_of(parsed: ParsedMail) -> Ticket | None:
    """The ticket the message answers: our Message-IDs in In-Reply-To/References, an
    earlier message of the thread we received, or the ``[INC-000123]`` subject tag."""
    number = compose.ticket_number_in(parsed.thread_ids, "")
    if number is None and parsed.thread_ids:
        earlier = (InboundMessage.objects.filter(key__in=parsed.thread_ids[:50],
                                                 ticket__isnull=False)
                   .order_by("-received_at").values_list("ticket", flat=True).first())
        if earlier is not None:
            return Ticket.objects.filter(pk=earlier).first()
    number = number or compose.ticket_number_in([], parsed.subject)
    return Ticket.objects.filter(number=number).first() if number else None


def _uploads(parts: list[Part]) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attachments the desk accepts; a note for each one dropped."""
    uploads, notes = [], []
    limit_mb = settings.PALIER_MAX_ATTACHMENT_BYTES // (1024 * 1024)
    for part in parts:
        upload = SimpleUploadedFile(part.name[:255] or "attachment", part.data,
                                    content_type=part.content_type)
        if len(part.data) > settings.PALIER_MAX_ATTACHMENT_BYTES:
            notes.append(f"Attachment {upload.name} ({len(part.data) / 2**20:.1f} MB) was not "
                         f"kept: larger than the {limit_mb} MB limit.")
            continue
        try:
            check_upload(upload)
        except DomainError as exc:
            notes.append(f"Attachment {upload.name} was not kept: {exc.detail}")
            continue
        uploads.append(upload)
    return uploads, notes
