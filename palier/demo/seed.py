"""``palier seed``: a fast bulk generator of realistic ticket history.

It bypasses the services (which work one ticket at a time) and writes rows shaped like
theirs in large chunks, one transaction per chunk: tickets with numbers that continue the
counters, their journal, handoffs and worklog. Run it while nobody else creates tickets:
it allocates primary keys and numbers itself.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import multiprocessing
import queue
import time
import traceback
from collections.abc import Callable, Iterator
from collections.abc import Generator as Generator_
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max
from tqdm import tqdm

from palier.clients.models import Client
from palier.core import clock
from palier.demo import seed_directory
from palier.demo.seed_directory import SeedError
from palier.demo.seed_gen import DAY, Batch, Generator, Ids
from palier.demo.seed_writer import PostgresWriter, SqliteWriter, writer_for_connection
from palier.tickets import numbering
from palier.tickets.models import Handoff, Ticket, TicketEvent, Worklog

__all__ = ["SeedError", "SeedReport", "directory_builder", "ensure_directory", "seed_tickets"]

CHUNK = 25_000


@dataclass
class SeedReport:
    """What a run wrote, and how long it took."""

    database: str
    tickets: int = 0
    events: int = 0
    handoffs: int = 0
    worklogs: int = 0
    seconds: float = 0.0
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, batch: Batch) -> None:
        self.tickets += len(batch.tickets)
        self.events += len(batch.events)
        self.handoffs += len(batch.handoffs)
        self.worklogs += len(batch.worklogs)
        self.counters = dict(batch.counters)

    def __str__(self) -> str:
        rate = self.tickets / self.seconds if self.seconds else 0
        return (f"Seeded {self.tickets:,} tickets ({self.events:,} events, "
                f"{self.handoffs:,} handoffs, {self.worklogs:,} worklog entries) into "
                f"{self.database} in {self.seconds:.1f} s ({rate:,.0f} tickets/s).")


def directory_builder() -> Callable[[], object] | None:
    """``palier.demo.directory.build_directory`` when that module exists."""
    if importlib.util.find_spec("palier.demo.directory") is None:
        return None
    return importlib.import_module("palier.demo.directory").build_directory


def ensure_directory() -> None:
    """Check the directory can carry tickets; build the demo one if the desk is empty."""
    gaps = seed_directory.missing_parts()
    if gaps and not Client.objects.exists():
        build = directory_builder()
        if build is None:
            raise SeedError("The directory is empty: create clients, requesters, categories, "
                            "support groups and agents first (palier.demo.directory is not "
                            "available to build the demo one).")
        build()
        gaps = seed_directory.missing_parts()
    if gaps:
        raise SeedError("Cannot seed tickets: the directory needs " + ", ".join(gaps) + ".")


def seed_tickets(count: int, *, days: int = 365, seed: int | None = None,
                 chunk: int = CHUNK, progress: bool = True, now: datetime | None = None,
                 active_share: float = 0.04) -> SeedReport:
    """Write ``count`` tickets of history spread over the last ``days`` days."""
    if count < 1 or days < 1 or chunk < 1:
        raise SeedError("The ticket count, the days and the chunk size must be positive.")
    started = time.perf_counter()
    ensure_directory()
    writer = writer_for_connection()
    now = now or clock.now()
    gen = Generator(seed_directory.load(), ids=_next_ids(), counters=numbering.last_given(),
                    now=now, days=days, seed=seed, tz_suffix=writer.tz_suffix,
                    active_share=active_share)
    report = SeedReport(database=f"{connection.vendor} {connection.settings_dict['NAME']}")
    parts = -(-count // chunk)
    with _gc_paused(), contextlib.closing(_produced(_batches(gen, count, chunk, days),
                                                    parts)) as batches:
        _write_all(batches, writer, report, count, progress)
    writer.analyze()
    report.seconds = time.perf_counter() - started
    return report


def _write_all(batches: Iterator[Batch], writer: SqliteWriter | PostgresWriter,
               report: SeedReport, count: int, progress: bool) -> None:
    """One transaction per batch: rows, counters, sequences."""
    with tqdm(total=count, unit="ticket", unit_scale=True, disable=not progress,
              desc="Seeding") as bar:
        for batch in batches:
            with transaction.atomic():
                writer.write(batch)
                numbering.continue_after(batch.counters)
                writer.sync_sequences()
            report.add(batch)
            bar.update(len(batch.tickets))


def _batches(gen: Generator, count: int, chunk: int, days: int) -> Generator_[Batch]:
    """The batches in time order: chunk k covers the k-th slice of the period."""
    first, span = gen.now - days * DAY, days * DAY
    parts = -(-count // chunk)
    for k in range(parts):
        size = min(chunk, count - k * chunk)
        yield gen.batch(first + span * k // parts, first + span * (k + 1) // parts, size)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: batches are millions of fresh lists with no
    cycles, and its passes over them would double the generation time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _produced(batches: Generator_[Batch], parts: int) -> Generator_[Batch]:
    """The batches, generated in a forked process while this one writes (a thread would be
    serialized by the GIL); in-process when there is one batch or no ``fork``."""
    if parts < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return batches
    context = multiprocessing.get_context("fork")
    slots = context.Queue(maxsize=2)
    child = context.Process(target=_produce, args=(batches, slots), daemon=True,
                            name="palier-seed-generator")
    child.start()  # the child only generates; it never touches the database
    return _received(slots, child)


def _received(slots, child) -> Generator_[Batch]:
    try:
        while (item := _next_slot(slots, child)) is not None:
            yield item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(batches: Iterator[Batch], slots) -> None:
    gc.disable()
    try:
        for batch in batches:
            slots.put(batch)
        slots.put(None)
    except BaseException:  # any failure goes to the writer, which raises it
        slots.put(SeedError("Generating tickets failed:\n" + traceback.format_exc()))


def _next_slot(slots, child) -> Batch | None:
    while True:
        try:
            item = slots.get(timeout=1)
        except queue.Empty:
            if not child.is_alive():
                raise SeedError("The ticket generator stopped unexpectedly.") from None
            continue
        if isinstance(item, SeedError):
            raise item
        return item


def _next_ids() -> Ids:
    def after(model) -> int:
        return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1

    return Ids(after(Ticket), after(TicketEvent), after(Handoff), after(Worklog))
