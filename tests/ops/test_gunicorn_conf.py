"""Web processes warm the knowledge index before their first request, then freeze what they
loaded out of the garbage collector's walks."""

from __future__ import annotations

import gc
import logging
from types import SimpleNamespace

import pytest

from palier.knowledge import index
from palier.ops import gunicorn_conf


def _worker() -> SimpleNamespace:
    """What the hooks read of a gunicorn worker (sockets: the stack test binds real ones)."""
    return SimpleNamespace(log=logging.getLogger("test"), sockets=[],
                           cfg=SimpleNamespace(reuse_port=False))


@pytest.mark.django_db(transaction=True)
def test_post_worker_init_loads_the_search_index(settings, monkeypatch):
    settings.PALIER_KB_MODEL = "off"
    monkeypatch.setattr(index, "memory", index.Memory())
    try:
        gunicorn_conf.post_worker_init(_worker())
        assert index.memory.generation >= 0
        assert gc.get_freeze_count() > 0  # start-up objects out of the collector's walks
    finally:
        gc.unfreeze()


def test_post_worker_init_survives_a_database_not_ready(settings, monkeypatch, caplog):
    from django.db import DatabaseError

    settings.PALIER_KB_MODEL = "off"

    def not_ready():
        raise DatabaseError("no such table: knowledge_indexstate")

    monkeypatch.setattr(index.memory, "current", not_ready)
    try:
        gunicorn_conf.post_worker_init(_worker())
    finally:
        gc.unfreeze()
    assert "not preloaded" in caplog.text
