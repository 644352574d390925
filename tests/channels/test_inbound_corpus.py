"""The .eml corpus: each message goes where it should."""

from __future__ import annotations

import pytest

from palier.accounts.models import User
from palier.channels.models import InboundMessage, MailDomain, Outcome
from palier.channels.services.inbound import receive
from palier.tickets.models import Attachment, Channel, EventKind, TicketEvent
from tests.channels.conftest import EML, eml
from tests.channels.corpus import large_message

pytestmark = pytest.mark.django_db

NEW_TICKETS = {
    "plain_new.eml": "The printer on floor 2 jams on every page.",
    "multipart_alternative.eml": "error 0x80070005",
    "html_only_script.eml": "My screen flickers after the update.",
    "iso8859_1.eml": "Le réseau est très lent à l'étage",
    "windows1252.eml": "The invoice “Q2” shows 1 200 € instead of 120 €",
    "shift_jis.eml": "プリンターが動きません",
    "encoded_word_subject.eml": "Lost USB key",
    "inline_image.eml": "See the error",
    "attachment_pdf.eml": "The quote is attached.",
    "tnef_winmail.eml": "Outlook body: the VPN log is attached.",
    "missing_date.eml": "No Date header here.",
    "no_message_id.eml": "My mouse does not click.",
    "exe_attachment.eml": "Please install this tool.",
}
IGNORED = ["out_of_office.eml", "out_of_office_xautoreply.eml", "bounce_dsn.eml",
           "precedence_list.eml", "own_message_loop.eml"]
QUARANTINED = {"missing_from.eml": "no sender", "unknown_sender.eml": "Unknown sender",
               "staff_sender.eml": "desk staff", "garbage.eml": "No header"}


def test_the_corpus_has_at_least_twenty_messages():
    assert len(list(EML.glob("*.eml"))) >= 20


@pytest.mark.parametrize("name", sorted(NEW_TICKETS))
def test_a_new_message_opens_a_ticket(desk, name):
    record = receive(eml(name)).record
    assert record.outcome == Outcome.TICKET, record.reason
    ticket = record.ticket
    assert ticket.channel == Channel.EMAIL
    assert NEW_TICKETS[name] in ticket.description
    assert ticket.requester.email in (desk.a.requester.email, desk.b.requester.email)


def test_html_is_sanitised(desk):
    ticket = receive(eml("html_only_script.eml")).record.ticket
    for bad in ("alert", "steal", "<script", "tracker.example", "color:red"):
        assert bad not in ticket.description


def test_encoded_word_subjects_are_decoded(desk):
    assert receive(eml("encoded_word_subject.eml")).record.ticket.title == \
        "Clé USB perdue à l'accueil"
    assert receive(eml("shift_jis.eml")).record.ticket.title == "プリンター"


def test_inline_images_and_files_are_attached(desk):
    for name, expected in [("inline_image.eml", ("screenshot.png", "image/png")),
                           ("attachment_pdf.eml", ("quote.pdf", "application/pdf")),
                           ("tnef_winmail.eml", ("vpn-log.txt", "text/plain"))]:
        ticket = receive(eml(name)).record.ticket
        [attachment] = Attachment.objects.filter(ticket=ticket)
        assert (attachment.name, attachment.content_type) == expected
    assert Attachment.objects.get(name="vpn-log.txt").file.read() == \
        b"12:00 tunnel down\n12:01 retry\n"


def test_a_refused_attachment_is_dropped_with_a_note(desk):
    ticket = receive(eml("exe_attachment.eml")).record.ticket
    assert not Attachment.objects.filter(ticket=ticket).exists()
    assert "setup.exe was not kept" in ticket.description


@pytest.mark.slow
def test_a_20_mb_attachment_is_kept_within_the_limit(desk):
    record = receive(large_message(20)).record
    [attachment] = Attachment.objects.filter(ticket=record.ticket)
    assert attachment.size == 20 * 1024 * 1024


@pytest.mark.slow
def test_a_20_mb_attachment_over_the_limit_is_dropped_not_the_message(desk, settings):
    settings.PALIER_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    record = receive(large_message(20)).record
    assert record.outcome == Outcome.TICKET
    assert not Attachment.objects.filter(ticket=record.ticket).exists()
    assert "disk-image.zip (20.0 MB) was not kept: larger than the 10 MB limit" in \
        record.ticket.description


@pytest.mark.parametrize("name", IGNORED)
def test_automatic_mail_never_opens_a_ticket(desk, name):
    ticket = desk.open(desk.a)
    record = receive(eml(name, ticket)).record
    assert record.outcome == Outcome.IGNORED and record.ticket is None
    assert record.reason
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1  # created only


@pytest.mark.parametrize("name", sorted(QUARANTINED))
def test_unprocessable_mail_is_quarantined_raw_with_the_reason(desk, name):
    raw = eml(name)
    record = receive(raw).record
    assert record.outcome == Outcome.QUARANTINED
    assert QUARANTINED[name] in record.reason
    assert bytes(record.raw) == raw


@pytest.mark.parametrize("name", ["reply_outlook.eml", "reply_gmail.eml"])
def test_a_reply_is_threaded_and_trimmed(desk, name):
    ticket = desk.open(desk.a)
    record = receive(eml(name, ticket)).record
    assert record.outcome == Outcome.MESSAGE and record.ticket == ticket, record.reason
    message = TicketEvent.objects.get(ticket=ticket, kind=EventKind.MESSAGE)
    assert message.actor == desk.a.requester
    assert message.body.startswith(("It works again", "Still dropping"))
    assert "Please restart" not in message.body and "We have received" not in message.body
    assert "wrote:" not in message.body and "From: Service desk" not in message.body


def test_a_reply_to_a_pending_ticket_resumes_it(desk):
    ticket = desk.open(desk.a)
    from palier.tickets import services

    services.set_pending(desk.a.l1, ticket.pk, waiting_on="Your logs")
    receive(eml("reply_gmail.eml", ticket))
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_a_reply_to_a_merged_duplicate_goes_to_its_original(desk):
    from palier.tickets import services

    original, duplicate = desk.open(desk.a), desk.open(desk.a)
    services.merge(desk.a.l1, duplicate.pk, into_id=original.pk)
    record = receive(eml("reply_gmail.eml", duplicate)).record
    assert record.outcome == Outcome.MESSAGE and record.ticket == original, record.reason
    assert TicketEvent.objects.filter(ticket=original, kind=EventKind.MESSAGE).count() == 1
    assert not TicketEvent.objects.filter(ticket=duplicate, kind=EventKind.MESSAGE).exists()


def test_a_reply_to_a_duplicate_whose_original_the_sender_cannot_see_opens_a_ticket(desk):
    from palier.tickets import services

    original = desk.open(desk.a)
    duplicate = services.open_ticket(desk.a.colleague, title="VPN down for me too")
    services.merge(desk.a.l1, original.pk, into_id=duplicate.pk)  # colleague's is kept
    record = receive(eml("reply_gmail.eml", original)).record
    assert record.outcome == Outcome.TICKET and record.ticket not in (original, duplicate)
    assert record.ticket.description.startswith(f"Follow-up to {original.number} (closed).")


def test_a_sender_of_a_mapped_domain_becomes_a_requester_of_that_client(desk):
    MailDomain.objects.create(domain="ACME.test", client=desk.a.client)
    record = receive(eml("domain_sender.eml")).record
    assert record.outcome == Outcome.TICKET
    user = User.objects.get(email="new.person@acme.test")
    assert user.client == desk.a.client and user.is_requester
    assert record.ticket.client == desk.a.client


def test_a_tag_of_another_clients_ticket_is_not_a_way_in(desk):
    other = desk.open(desk.b)
    record = receive(eml("reply_outlook.eml", other)).record
    assert record.outcome == Outcome.QUARANTINED
    assert not TicketEvent.objects.filter(ticket=other, kind=EventKind.MESSAGE).exists()


def test_the_same_message_twice_is_stored_once(desk):
    first = receive(eml("plain_new.eml"))
    second = receive(eml("plain_new.eml"))
    assert second.duplicate and second.record == first.record
    assert InboundMessage.objects.count() == 1
    assert first.record.ticket.client.tickets.count() == 1


def test_without_a_message_id_the_raw_hash_dedupes(desk):
    receive(eml("no_message_id.eml"))
    assert receive(eml("no_message_id.eml")).duplicate
    assert InboundMessage.objects.get().key.startswith("sha256:")


def test_an_agent_answering_an_internal_notice_writes_an_internal_note(desk):
    ticket = desk.open(desk.a)
    raw = eml("reply_gmail.eml", ticket).replace(b"req-a@example.test", b"l2-a@desk.test")
    record = receive(raw).record
    assert record.outcome == Outcome.MESSAGE
    note = TicketEvent.objects.get(ticket=ticket, kind=EventKind.NOTE)
    assert note.actor == desk.a.l2 and not note.public


def test_a_failure_after_an_attachment_was_saved_leaves_no_file(desk, monkeypatch, settings):
    from palier.channels.services import threads

    real, calls = threads.add_attachment, []

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(*args, **kwargs)
    monkeypatch.setattr(threads, "add_attachment", second_fails)
    record = receive(_two_attachments()).record
    assert record.outcome == Outcome.QUARANTINED and "disk full" in record.reason
    assert not Attachment.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def _two_attachments() -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "req-a@example.test", "desk@x.test", "Two files"
    msg["Message-ID"] = "<two-files@mail.example.test>"
    msg.set_content("Two logs attached.")
    msg.add_attachment(b"first log", maintype="text", subtype="plain", filename="a.txt")
    msg.add_attachment(b"second log", maintype="text", subtype="plain", filename="b.txt")
    return msg.as_bytes()


def test_nul_characters_never_reach_the_database(desk):
    raw = (b"From: Nul\x00 Person <req-a@example.test>\r\nSubject: Broken\x00 subject\r\n"
           b"Message-ID: <nul-1@mail.example.test>\r\nContent-Type: multipart/mixed; "
           b"boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nBody\x00 text\r\n--b\r\n"
           b"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a\x00.txt\""
           b"\r\n\r\nfile\r\n--b--\r\n")
    record = receive(raw).record
    assert record.outcome == Outcome.TICKET, record.reason
    assert record.ticket.title == "Broken subject" and "Body text" in record.ticket.description
