"""Import an event log into the analysis workspace (one transaction: all or nothing)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from palier.core import clock
from palier.core.errors import Conflict, ValidationFailed
from palier.eventlog import readers
from palier.eventlog.mapping import LogMapping
from palier.eventlog.models import EventLog, LogCase, LogEvent
from palier.eventlog.steps import Record, RecordError, case_steps, records
from palier.reports.facts import common_fields
from palier.reports.metrics import Facts, case_facts

BATCH = 1000


def import_log(path: Path, mapping: LogMapping, *, name: str | None = None,
               fmt: str | None = None, delimiter: str = ",",
               progress: Callable[[int], None] | None = None) -> EventLog:
    """Read the file, compute every case's facts, and store cases, events and facts."""
    if not path.is_file():
        raise ValidationFailed(f"{path} is not a file.", fields={"file": "missing"})
    name = name or path.name
    if EventLog.objects.filter(name=name).exists():
        raise Conflict(f"An event log named {name!r} exists; choose another --name.",
                       code="log_exists")
    fmt = fmt or readers.detect_format(path)
    started = time.perf_counter()
    cases = (readers.read_xes(path, mapping.case, progress) if fmt == "xes"
             else readers.read_csv(path, mapping.case, progress, delimiter=delimiter))
    try:
        with transaction.atomic():
            log = EventLog.objects.create(name=name, source=str(path), format=fmt,
                                          mapping=mapping.as_dict(), imported_at=clock.now())
            _store(log, cases, mapping)
            log.seconds = round(time.perf_counter() - started, 3)
            log.save(update_fields=["levels", "cases", "events", "seconds"])
    except (readers.ReadError, RecordError) as exc:
        raise ValidationFailed(str(exc), code="bad_event_log") from None
    return log


def _store(log: EventLog, cases, mapping: LogMapping) -> None:
    pending: list[tuple[str, list[Record]]] = []
    levels: set[str] = set()
    for case_id, events in cases:
        if not events:
            continue
        recs = records(events, mapping)
        levels.update(r.level for r in recs)
        pending.append((case_id, recs))
        log.cases += 1
        log.events += len(recs)
    order = list(mapping.levels) or sorted(levels)
    order += sorted(levels - set(order))
    log.levels = order
    ranks = log.ranks
    for start in range(0, len(pending), BATCH):
        _write(log, pending[start:start + BATCH], mapping, ranks, order[0])


def _write(log: EventLog, chunk: list[tuple[str, list[Record]]], mapping: LogMapping,
           ranks: dict[str, int], first_level: str) -> None:
    rows = []
    for case_id, recs in chunk:
        facts = case_facts(case_steps(recs, mapping), ranks, first_level=first_level)
        rows.append(case_row(log, case_id, recs, facts))
    LogCase.objects.bulk_create(rows, batch_size=BATCH)
    ids = dict(LogCase.objects.filter(log=log, case_id__in=[c for c, _ in chunk])
               .values_list("case_id", "pk"))
    LogEvent.objects.bulk_create(
        [LogEvent(case_id=ids[case_id], at=r.at, activity=r.activity[:200], level=r.level,
                  group=r.group[:200], resource=r.resource[:200])
         for case_id, recs in chunk for r in recs], batch_size=5000)


def case_row(log: EventLog, case_id: str, recs: list[Record], facts: Facts) -> LogCase:
    return LogCase(log=log, case_id=case_id[:200], category=recs[0].category[:200],
                   priority=recs[0].priority[:16], **common_fields(facts))


def delete_log(log_id: int) -> None:
    EventLog.objects.filter(pk=log_id).delete()
