"""``palier token create --user EMAIL [--expires DAYS]`` and ``palier token revoke PREFIX``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from palier.accounts import services
from palier.accounts.models import User
from palier.core.errors import DomainError


class Command(BaseCommand):
    help = "Creates or revokes personal API tokens."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--user", required=True, help="the user's e-mail")
        create.add_argument("--name", default="cli", help="a label for the token")
        create.add_argument("--expires", type=int, default=90,
                            help="days until it expires (0: never)")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix", help="the 8 characters after 'plr_'")

    def handle(self, *args, action: str, **options) -> None:
        try:
            if action == "create":
                self._create(options["user"], options["name"], options["expires"])
            else:
                token = services.revoke_token_by_prefix(options["prefix"])
                self.stdout.write(f"Revoked {token}.")
        except DomainError as exc:
            raise CommandError(exc.detail) from None

    def _create(self, email: str, name: str, expires: int) -> None:
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail {email}.")
        token, secret = services.create_token(user, name=name, expires_days=expires or None)
        when = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "never expires"
        self.stderr.write(f"Token {token.prefix} for {user.email} ({when}); shown once:")
        self.stdout.write(secret)
