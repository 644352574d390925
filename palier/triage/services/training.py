"""Training: learn from the desk's resolved tickets and their final classification.

The labels are what the ticket ended with, so every agent's correction (a reclassification,
an escalation to the group that resolved it) is learned on the next training.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from palier.core import clock
from palier.core.errors import Conflict
from palier.tickets.models import Ticket, TicketStatus
from palier.triage.learning import model as learning
from palier.triage.learning.persist import save
from palier.triage.learning.text import MAX_CHARS, join
from palier.triage.models import Field, ModelStatus, TriageModelVersion, TriageSettings
from palier.triage.services.config import desk_settings, enabled, model_dir

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=30)  # a training that takes longer may be retried elsewhere
FINAL = (TicketStatus.RESOLVED, TicketStatus.CLOSED)
# A training reads at most the newest this many resolved tickets: what the desk routes now,
# in a bounded time and memory (about 30 s and 0.6 GiB here) however old the desk.
TRAINING_TICKETS = 100_000


@dataclass
class Dataset:
    texts: list[str]
    targets: dict[str, list[str | None]]
    requesters: list[str | None]


def priority_key(impact: str, urgency: str) -> str:
    return f"{impact}/{urgency}"


def dataset(limit: int | None = None) -> Dataset:
    """Every resolved or closed ticket (newest first, up to ``limit``) with its requester's
    e-mail and its final category, group and impact/urgency."""
    rows = (Ticket.objects.filter(status__in=FINAL).order_by("-id")
            .values_list("title", "description", "requester__email", "category_id",
                         "group_id", "impact", "urgency"))
    data = Dataset([], {f.value: [] for f in Field}, [])
    for title, description, email, category, group, impact, urgency in _chunks(rows, limit):
        data.texts.append(join([title, (description or "")[:MAX_CHARS]]))
        data.requesters.append(email)
        data.targets[Field.CATEGORY].append(str(category) if category else None)
        data.targets[Field.GROUP].append(str(group) if group else None)
        data.targets[Field.PRIORITY].append(priority_key(impact, urgency))
    return data


def _chunks(rows, limit: int | None) -> Iterator[tuple]:
    rows = rows[:limit] if limit else rows
    yield from rows.iterator(chunk_size=5000)


def train(progress: Callable[[str], None] | None = None, *,
          params: learning.Params | None = None) -> TriageModelVersion:
    """Train a new model version from the newest resolved tickets and write its file.

    Below the desk's minimum number of resolved tickets nothing is trained: the version is
    recorded as skipped with the reason, and intake keeps working without predictions.
    """
    config = desk_settings()
    started = time.monotonic()
    data = dataset(TRAINING_TICKETS)
    if len(data.texts) < config.min_tickets:
        return _record(ModelStatus.SKIPPED, started, tickets=len(data.texts), message=(
            f"Only {len(data.texts)} resolved tickets; triage needs at least "
            f"{config.min_tickets} to learn (change the minimum in the triage settings)."))
    model = learning.fit(data.texts, data.targets, params, progress, data.requesters)
    version = _next_version()
    fields = {name: {"classes": len(m.classes), "tickets": m.trained_on,
                     "temperature": round(m.temperature, 4),
                     "threshold_for_90": round(m.threshold, 4)}
              for name, m in model.fields.items()}
    path, digest = save(model, model_dir(), version, {"fields": fields})
    return _record(ModelStatus.READY, started, version=version, file=path.name, sha256=digest,
                   tickets=len(data.texts), fields=fields,
                   message=f"Learned {', '.join(fields)} from {len(data.texts)} tickets.")


def _next_version() -> int:
    return (TriageModelVersion.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def _record(status: str, started: float, *, version: int | None = None,
            **values) -> TriageModelVersion:
    try:
        with transaction.atomic():
            return TriageModelVersion.objects.create(
                version=version or _next_version(), status=status, created_at=clock.now(),
                seconds=round(time.monotonic() - started, 2), **values)
    except IntegrityError:
        raise Conflict("Another training recorded the same version at the same time; "
                       "run it again.") from None


def retrain_if_due() -> int:
    """The worker's job: train when the schedule says so; one worker wins the claim."""
    if not enabled():
        return 0
    now = clock.now()
    config = desk_settings()
    claimed = TriageSettings.objects.filter(pk=config.pk).filter(
        Q(next_training_at__isnull=True) | Q(next_training_at__lte=now)).filter(
        Q(training_claimed_until__isnull=True) | Q(training_claimed_until__lte=now),
    ).update(training_claimed_until=now + LEASE)
    if not claimed:
        return 0
    try:
        result = train()
        log.info("Triage training: %s", result.message)
    finally:
        TriageSettings.objects.filter(pk=config.pk).update(
            training_claimed_until=None,
            next_training_at=clock.now() + timedelta(hours=config.retrain_hours))
    return int(result.status == ModelStatus.READY)
