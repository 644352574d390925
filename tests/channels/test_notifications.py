"""Outbound notifications, received by a real SMTP server on loopback."""

from __future__ import annotations

import pytest
import time_machine

from palier.channels.models import Delivery, OutboundMessage
from palier.channels.services import journal, outbound
from palier.tickets import services
from palier.tickets.models import EventKind, TicketEvent
from tests.channels.conftest import drain

pytestmark = pytest.mark.django_db


def test_acknowledgement_reaches_the_requester_with_threading_headers(desk, smtp):
    ticket = desk.open(desk.a)
    drain()
    [mail] = smtp.to(desk.a.requester.email)
    assert mail["Subject"].startswith(f"[{ticket.number}] ")
    assert mail["Message-ID"].endswith("@palier.localhost>")
    root = f"<ticket-{ticket.number.lower()}@palier.localhost>"
    assert mail["In-Reply-To"] == root and root in mail["References"]
    assert mail["Auto-Submitted"] == "auto-generated"
    body = mail.get_content()
    assert "We have received your request" in body
    assert f"https://desk.example.test/portal/tickets/{ticket.number}/" in body


def test_french_requester_gets_french_mail(desk, smtp):
    desk.b.requester.language = "fr"
    desk.b.requester.save(update_fields=["language"])
    ticket = desk.open(desk.b, title="Imprimante en panne")
    drain()
    [mail] = smtp.to(desk.b.requester.email)
    assert mail["Content-Language"] == "fr"
    assert "Nous avons bien reçu votre demande" in mail.get_content()
    assert mail["Subject"].strip() == f"[{ticket.number}] Nous avons reçu votre demande : " \
                              "Imprimante en panne"


def test_public_reply_and_status_change_reach_the_requester_only(desk, smtp):
    ticket = desk.open(desk.a)
    services.add_message(desk.a.l1, ticket.pk, body="Please restart the VPN client.")
    services.add_message(desk.a.l1, ticket.pk, body="internal only", internal=True)
    services.set_pending(desk.a.l1, ticket.pk, waiting_on="Your test after the restart")
    drain()
    mails = smtp.to(desk.a.requester.email)
    bodies = [m.get_content() for m in mails]
    assert len(mails) == 3  # acknowledgement, reply, status
    assert any("Please restart the VPN client." in b for b in bodies)
    assert not any("internal only" in b for b in bodies)
    assert any("Your test after the restart" in b for b in bodies)
    assert all(m["References"].startswith(f"<ticket-{ticket.number.lower()}@") for m in mails)


def test_resolution_sends_status_and_survey_link(desk, smtp, settings):
    settings.PALIER_BASE_URL = "https://help.acme.test"
    ticket = desk.open(desk.a)
    services.take(desk.a.l1, ticket.pk)
    services.resolve(desk.a.l1, ticket.pk, resolution="Replaced the VPN profile.")
    drain()
    [survey] = [m for m in smtp.to(desk.a.requester.email)
                if "How did we do?" in m["Subject"]]
    body = survey.get_content()
    assert f"https://help.acme.test/portal/tickets/{ticket.number}/" in body
    assert "Replaced the VPN profile." in body


def _escalate(desk, ticket):
    services.take(desk.a.l1, ticket.pk)
    return services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                             handoff=services.HandoffInput(
                                 summary="VPN tunnel drops", steps_tried="Restarted client",
                                 diagnostics="Logs attached",
                                 fields={"affected_host": "pc-12", "error_message": "809"}))


def test_escalation_goes_to_the_receiving_group_and_a_return_to_the_sender(desk, smtp):
    ticket = desk.open(desk.a)
    _escalate(desk, ticket)
    drain()
    [notice] = smtp.to(desk.a.l2.email)
    assert "Escalated to Network & Systems" in notice["Subject"]
    assert "VPN tunnel drops" in notice.get_content()
    assert f"/console/tickets/{ticket.pk}/" in notice.get_content()  # the agent's page
    assert not smtp.to(desk.b.l2.email)  # the other client's agent of the group: nothing
    services.return_escalation(desk.a.l2, ticket.pk, reason="Attach the client logs first.")
    drain()
    [returned] = [m for m in smtp.to(desk.a.l1.email) if "returned" in m["Subject"]]
    assert "Attach the client logs first." in returned.get_content()


def test_sla_breach_goes_to_assignee_and_managers(desk, smtp):
    ticket = desk.open(desk.a)
    services.take(desk.a.l1, ticket.pk)
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.SLA_BREACH, created_at=ticket
                               .created_at, body="Resolution target breached.")
    drain()
    for user in (desk.a.l1, desk.a.manager):
        [mail] = [m for m in smtp.to(user.email) if "SLA breached" in m["Subject"]]
        assert "Resolution target breached." in mail.get_content()
    assert not [m for m in smtp.to(desk.b.manager.email) if "SLA" in m["Subject"]]


def test_admin_edited_template_is_used(desk, smtp):
    from palier.channels.models import MessageTemplate

    MessageTemplate.objects.update_or_create(
        kind="acknowledgement", language="en",
        defaults={"subject": "Got it: {{ ticket.title }}", "body": "Ref {{ ticket.number }}."})
    ticket = desk.open(desk.a)
    drain()
    [mail] = smtp.to(desk.a.requester.email)
    assert mail["Subject"] == f"[{ticket.number}] Got it: {ticket.title}"
    assert mail.get_content().strip() == f"Ref {ticket.number}."


def test_templates_are_compiled_once_and_an_edit_applies_to_the_next_mail(desk, smtp):
    from palier.channels.models import MessageTemplate
    from palier.channels.services import compose

    first = desk.open(desk.a)
    drain()
    compose.compiled.cache_clear()
    MessageTemplate.objects.update_or_create(
        kind="acknowledgement", language="en",
        defaults={"subject": "Logged: {{ ticket.title }}", "body": "Ref {{ ticket.number }}."})
    second, third = desk.open(desk.a), desk.open(desk.a)
    drain()
    subjects = sorted(m["Subject"] for m in smtp.to(desk.a.requester.email))
    assert subjects == sorted([f"[{first.number}] We received your request: {first.title}",
                               f"[{second.number}] Logged: {second.title}",
                               f"[{third.number}] Logged: {third.title}"])
    assert compose.compiled.cache_info().hits >= 2  # the third reused the second's


def test_reading_the_journal_twice_queues_nothing_twice(desk, smtp):
    desk.open(desk.a)
    journal.scan()
    queued = OutboundMessage.objects.count()
    JournalCursorReset = __import__("palier.channels.models", fromlist=["JournalCursor"])
    JournalCursorReset.JournalCursor.objects.update(position=0, pending={})
    journal.scan()
    assert OutboundMessage.objects.count() == queued == 1


def test_nothing_is_sent_inline_in_the_request(desk, smtp):
    desk.open(desk.a)
    assert smtp.messages == []
    drain()
    assert len(smtp.messages) == 1


def test_temporary_failures_back_off_then_a_permanent_one_is_journaled(desk, smtp, settings):
    settings.PALIER_NOTIFY_MAX_ATTEMPTS = 3
    smtp.refuse = 451
    with time_machine.travel("2030-01-01 09:00Z", tick=False) as clock:
        ticket = desk.open(desk.a)
        journal.scan()
        assert outbound.send_due() == 1
        message = OutboundMessage.objects.get()
        assert message.status == Delivery.QUEUED and message.attempts == 1
        assert outbound.send_due() == 0  # backing off
        clock.shift(61)
        assert outbound.send_due() == 1
        assert OutboundMessage.objects.get().attempts == 2
        clock.shift(61)
        assert outbound.send_due() == 0  # the second backoff is two minutes
        clock.shift(60)
        outbound.send_due()
    message = OutboundMessage.objects.get()
    assert message.status == Delivery.FAILED and message.attempts == 3
    failure = TicketEvent.objects.get(ticket=ticket, kind=EventKind.NOTIFICATION_FAILED)
    assert desk.a.requester.email in failure.body and failure.data["attempts"] == 3


def test_a_refused_recipient_fails_at_once(desk, smtp):
    ticket = desk.open(desk.a)
    smtp.refuse = 550
    drain()
    assert OutboundMessage.objects.get().status == Delivery.FAILED
    assert TicketEvent.objects.filter(ticket=ticket,
                                      kind=EventKind.NOTIFICATION_FAILED).count() == 1


def test_a_sent_message_is_not_sent_again(desk, smtp):
    desk.open(desk.a)
    drain()
    OutboundMessage.objects.update(claimed_until=None)
    assert outbound.send_due() == 0
    assert len(smtp.messages) == 1


def test_a_broken_edited_template_is_refused_and_never_blocks_mail(desk, smtp):
    from django.core.exceptions import ValidationError

    from palier.channels.models import MessageTemplate

    broken = MessageTemplate(kind="acknowledgement", language="en", subject="{% if %}",
                             body="ok")
    with pytest.raises(ValidationError):
        broken.full_clean()
    MessageTemplate.objects.filter(kind="acknowledgement", language="en").update(
        subject="{% if %}")
    ticket = desk.open(desk.a)
    drain()
    [mail] = smtp.to(desk.a.requester.email)
    assert mail["Subject"] == f"[{ticket.number}] We received your request: {ticket.title}"


def test_a_french_status_change_names_the_status_in_french(desk, smtp):
    desk.b.requester.language = "fr"
    desk.b.requester.save(update_fields=["language"])
    ticket = desk.open(desk.b)
    services.take(desk.b.l1, ticket.pk)
    services.resolve(desk.b.l1, ticket.pk, resolution="Profil VPN remplacé.")
    drain()
    [status] = [m for m in smtp.to(desk.b.requester.email) if "Résolu" in m["Subject"]]
    assert "a changé d'état : Résolu" in status.get_content()
