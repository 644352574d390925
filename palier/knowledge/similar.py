"""Similar resolved tickets, with their resolutions (for suggestions and problem clusters).

With the model, tickets are compared by embedding (``TicketVector`` rows, filled by the
``knowledge.embed_tickets`` worker job, newest first; recent tickets still without one are
embedded on the fly, a few per call, and stored). Without it, by the overlap of their stemmed words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from palier.accounts.models import User
from palier.core import exclusive
from palier.knowledge import index, text
from palier.knowledge.models import TicketVector
from palier.knowledge.vectors import from_bytes, to_bytes
from palier.tickets.models import Ticket, TicketStatus
from palier.tickets.selectors import visible_tickets

RECENT = 1000
EMBED_ON_THE_FLY = 64
MIN_SCORE = 0.2


@dataclass(frozen=True)
class SimilarTicket:
    ticket: Ticket
    score: float
    resolution: str


def ticket_text(title: str, description: str) -> str:
    return f"{title}. {description[:1000]}"


def ticket_vectors(rows: list[tuple[int, str]]) -> np.ndarray | None:
    """Unit vectors for (ticket id, text) rows: stored ones, the rest embedded now (up to a
    cap; beyond it, zero vectors) and stored, so that the next call finds them. None without
    a model."""
    encoder = index.model()
    if encoder is None:
        return None
    stored = {pk: from_bytes(bytes(vector)) for pk, vector in TicketVector.objects.filter(
        ticket_id__in=[pk for pk, _ in rows], model=encoder.name).values_list("ticket", "vector")}
    missing = [(pk, body) for pk, body in rows if pk not in stored][:EMBED_ON_THE_FLY]
    if missing:
        vectors = encoder.encode([body for _, body in missing])
        stored.update((pk, v) for (pk, _), v in zip(missing, vectors, strict=True))
        TicketVector.objects.bulk_create(
            [TicketVector(ticket_id=pk, model=encoder.name, vector=to_bytes(v))
             for (pk, _), v in zip(missing, vectors, strict=True)], ignore_conflicts=True)
    zero = np.zeros(len(next(iter(stored.values()))) if stored else 384, np.float32)
    return np.vstack([stored.get(pk, zero) for pk, _ in rows]) if rows else None


def similar_tickets(actor: User, typed: str, *, client_id: int | None = None, limit: int = 5,
                    exclude_id: int | None = None) -> list[SimilarTicket]:
    """The resolved tickets of the actor's scope most like ``typed``, best first."""
    tickets = (visible_tickets(actor)
               .filter(status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED])
               .exclude(resolution="").exclude(pk=exclude_id or 0))
    if client_id is not None:
        tickets = tickets.filter(client_id=client_id)
    rows = list(tickets.order_by("-resolved_at", "-id")
                .values_list("id", "title", "description")[:RECENT])
    if not rows:
        return []
    texts = [(pk, ticket_text(title, body)) for pk, title, body in rows]
    scores = _scores(typed, texts)
    best = [i for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] >= MIN_SCORE]
    found = Ticket.objects.in_bulk([rows[i][0] for i in best])
    return [SimilarTicket(found[rows[i][0]], round(float(scores[i]), 4),
                          found[rows[i][0]].resolution) for i in best]


def _scores(typed: str, texts: list[tuple[int, str]]) -> np.ndarray:
    matrix = ticket_vectors(texts)
    encoder = index.model()
    if matrix is not None and encoder is not None:
        return matrix @ encoder.encode_one(typed)
    wanted = set(text.query_terms(typed, ("en",)))
    return np.array([_overlap(wanted, set(text.query_terms(body, ("en",))))
                     for _, body in texts], np.float32)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def embed_tickets(batch: int = 128) -> int:
    """Worker job: store embeddings of tickets that have none yet, newest first.

    Every status: problem clusters compare recent incidents while they are still open, and
    similar-ticket suggestions read the resolved ones (the text embedded does not change at
    resolution). Newest first keeps both current on a desk with years of history. One
    worker at a time: workers started together would otherwise embed the same batch."""
    encoder = index.model()
    if encoder is None:
        return 0
    with exclusive.alone("knowledge.embed_tickets") as mine:
        if not mine:
            return 0
        done = TicketVector.objects.filter(model=encoder.name).values("ticket_id")
        rows = list(Ticket.objects.exclude(pk__in=done).order_by("-id")
                    .values_list("id", "title", "description")[:batch])
        vectors = encoder.encode([ticket_text(title, body) for _, title, body in rows])
        TicketVector.objects.bulk_create(
            [TicketVector(ticket_id=pk, model=encoder.name, vector=to_bytes(v))
             for (pk, _, _), v in zip(rows, vectors, strict=True)], ignore_conflicts=True)
    return len(rows)
