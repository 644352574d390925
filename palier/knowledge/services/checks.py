"""Input checks shared by the article services."""

from __future__ import annotations

from collections.abc import Iterable

from palier.accounts.models import Level, User
from palier.clients.models import Client
from palier.core.errors import NotFound, PermissionDenied, ValidationFailed
from palier.knowledge.models import Audience
from palier.knowledge.selectors import highest_rank
from palier.tickets.models import Category
from palier.tickets.selectors import scope_of

MAX_TAGS = 20


def require_staff(actor: User) -> None:
    if not actor.is_desk_staff or scope_of(actor).agent_id is None:
        raise PermissionDenied("Only desk staff write knowledge articles.")


def required(value: str | None, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"The {field} is required.", fields={field: "required"})
    if len(value) > limit:
        raise ValidationFailed(f"The {field} is longer than {limit} characters.",
                               fields={field: "too_long"})
    return value


def check_client(actor: User, client_id: int | None) -> Client | None:
    if client_id is None:
        return None
    if client_id not in scope_of(actor).client_ids:
        raise NotFound(f"Client {client_id} was not found.")
    return Client.objects.get(pk=client_id)


def check_min_level(actor: User, audience: str, level_id: int | None) -> Level | None:
    """Internal articles name their lowest level, which cannot be above the author's own."""
    if audience == Audience.PUBLIC:
        return None
    level = (Level.objects.filter(pk=level_id).first() if level_id is not None
             else Level.objects.order_by("rank").first())
    if level is None:
        raise ValidationFailed(f"Level {level_id} does not exist.", fields={"min_level": "unknown"})
    if level.rank > highest_rank(actor):
        raise PermissionDenied(f"You cannot restrict an article to {level.code}, above your "
                               "own level.")
    return level


def check_category(category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise ValidationFailed(f"Category {category_id} does not exist.",
                               fields={"category": "unknown"})
    return category


def clean_tags(tags: Iterable[str]) -> list[str]:
    if isinstance(tags, str):
        raise ValidationFailed("Tags are a list of words.", fields={"tags": "invalid"})
    cleaned = list(dict.fromkeys(t.strip().lower()[:40] for t in tags if t and t.strip()))
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed(f"At most {MAX_TAGS} tags.", fields={"tags": "too_many"})
    return cleaned
