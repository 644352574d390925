"""Test data builders shared across the suite."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.uploadedfile import SimpleUploadedFile

from palier.accounts.models import Agent, Group, Role, Skill, User
from palier.clients.models import Client
from palier.tickets import services
from palier.tickets.models import Attachment, Handoff, Ticket, TicketEvent, Worklog


def full_handoff(**overrides) -> services.HandoffInput:
    """A complete handoff for the VPN category."""
    values = dict(summary="VPN tunnel drops", steps_tried="Reinstalled the client",
                  diagnostics="IKE phase 2 timeouts in the client log",
                  fields={"affected_host": "LAP-0042", "error_message": "error 809"})
    values.update(overrides)
    return services.HandoffInput(**values)


def make_agent(email: str, *, groups: Iterable[Group], clients: Iterable[Client],
               skills: Iterable[Skill] = (), role: str = Role.AGENT,
               available: bool = True) -> User:
    """A staff user with an agent profile (another agent besides the desk's personas)."""
    user = User.objects.create_user(email, "secret", role=role, full_name=email.split("@")[0])
    agent = Agent.objects.create(user=user, hourly_cost=40, is_available=available)
    agent.groups.set(groups)
    agent.clients.set(clients)
    agent.skills.set(skills)
    return user


def fresh(user: User) -> User:
    """The user re-read from the database (drops the cached scope after a membership change)."""
    return User.objects.get(pk=user.pk)


def upload(name: str = "vpn.log", content: bytes = b"IKE phase 2 timeout\n",
           content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def state(ticket_id: int) -> dict:
    """Everything a service could write about a ticket, re-read from the database."""
    return {
        "ticket": Ticket.objects.filter(pk=ticket_id).values().get(),
        "events": list(TicketEvent.objects.filter(ticket_id=ticket_id).values_list("id", "kind")),
        "handoffs": list(Handoff.objects.filter(ticket_id=ticket_id).values()),
        "worklogs": Worklog.objects.filter(ticket_id=ticket_id).count(),
        "attachments": Attachment.objects.filter(ticket_id=ticket_id).count(),
    }


def kinds(ticket_id: int) -> list[str]:
    """The journal's event kinds, oldest first."""
    return list(TicketEvent.objects.filter(ticket_id=ticket_id)
                .order_by("created_at", "id").values_list("kind", flat=True))


# Tickets in a given state, built through the services. ``side`` is ``desk.a`` or ``desk.b``.

def new_ticket(desk, side, **kwargs) -> Ticket:
    return desk.open(side, **kwargs)


def taken(desk, side, **kwargs) -> Ticket:
    ticket = desk.open(side, **kwargs)
    return services.take(side.l1, ticket.pk)


def escalated(desk, side, **kwargs) -> Ticket:
    """Taken by L1 and escalated to L2 (Network & Systems), awaiting acceptance."""
    ticket = taken(desk, side, **kwargs)
    return services.escalate(side.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                             handoff=full_handoff())


def accepted(desk, side, **kwargs) -> Ticket:
    """At L2, accepted and worked by ``side.l2``."""
    ticket = escalated(desk, side, **kwargs)
    return services.accept(side.l2, ticket.pk)


def pending(desk, side, **kwargs) -> Ticket:
    ticket = taken(desk, side, **kwargs)
    return services.set_pending(side.l1, ticket.pk, waiting_on="The VPN client log")


def pending_vendor(desk, side, **kwargs) -> Ticket:
    ticket = taken(desk, side, **kwargs)
    return services.engage_vendor(side.l1, ticket.pk, vendor="Fortinet", reference="CASE-77")


def resolved(desk, side, **kwargs) -> Ticket:
    ticket = taken(desk, side, **kwargs)
    return services.resolve(side.l1, ticket.pk, resolution="Raised the MTU to 1400")


def closed(desk, side, **kwargs) -> Ticket:
    ticket = resolved(desk, side, **kwargs)
    return services.close(side.requester, ticket.pk)
