"""Who a message is from: the sender's account, or a requester created per the policy."""

from __future__ import annotations

from django.conf import settings

from palier.accounts.models import Role, User
from palier.channels.inbound.parse import ParsedMail
from palier.channels.models import Mailbox, MailDomain, UnknownSender
from palier.clients.models import Client


class Rejected(Exception):
    """The message is kept in the quarantine for this reason."""


def requester_for(parsed: ParsedMail, mailbox: Mailbox | None) -> User:
    """The sender's account; an unknown sender becomes a requester of the client their
    domain maps to, else follows the unknown-sender policy."""
    user = User.objects.filter(email__iexact=parsed.sender).first()
    if user is not None:
        if not user.is_active:
            raise Rejected(f"{parsed.sender}'s account is disabled.")
        return user
    client = client_for_domain(parsed.sender.rsplit("@", 1)[-1])
    if client is None:
        client = _by_policy(parsed.sender, mailbox)
    return User.objects.create_user(parsed.sender, None, role=Role.REQUESTER, client=client,
                                    full_name=parsed.sender_name, language=client.language)


def client_for_domain(domain: str) -> Client | None:
    domain = domain.strip().lower()
    mapped = MailDomain.objects.filter(domain=domain, client__is_active=True).first()
    if mapped is not None:
        return mapped.client
    for client in Client.objects.filter(is_active=True).exclude(email_domains=""):
        domains = {d.strip().lower().lstrip("@") for d in client.email_domains.split(",")}
        if domain in domains:
            return client
    return None


def _by_policy(sender: str, mailbox: Mailbox | None) -> Client:
    policy = mailbox.unknown_sender if mailbox else settings.PALIER_MAIL_UNKNOWN_SENDER
    if policy == UnknownSender.MAPPED_CLIENT and mailbox and mailbox.client_id:
        return mailbox.client
    if policy == UnknownSender.DEFAULT_CLIENT:
        code = settings.PALIER_MAIL_DEFAULT_CLIENT
        client = Client.objects.filter(code=code, is_active=True).first() if code else None
        if client is None and mailbox is not None and mailbox.client_id:
            client = mailbox.client
        if client is not None:
            return client
    raise Rejected(f"Unknown sender {sender}: no account, no mapped domain, and the policy "
                   f"is {policy}.")
