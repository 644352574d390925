"""The model each process predicts with: loaded lazily, reloaded when a newer version is
trained, and never fatal: a missing or corrupt file means no prediction (and a log line)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from palier.tickets.services.directory import cached
from palier.triage.learning.model import TriageModel
from palier.triage.learning.persist import ModelUnavailable, load
from palier.triage.models import ModelStatus, TriageModelVersion
from palier.triage.services.config import model_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    version: int
    model: TriageModel


_lock = threading.Lock()
_loaded: Loaded | None = None
_refused: set[tuple[int, str]] = set()  # (version, sha256) that failed to load: log once


def latest_ready() -> TriageModelVersion | None:
    return cached("triage:latest", lambda: TriageModelVersion.objects
                  .filter(status=ModelStatus.READY).order_by("-version").first())


def current() -> Loaded | None:
    """The newest ready model, or None (no model yet, or its file cannot be used)."""
    global _loaded
    record = latest_ready()
    if record is None:
        return None
    if _loaded is not None and _loaded.version == record.version:
        return _loaded
    key = (record.version, record.sha256)
    if key in _refused:
        return _loaded  # keep predicting with the previous model, if any
    with _lock:
        if _loaded is not None and _loaded.version == record.version:
            return _loaded
        try:
            model = load(model_dir() / record.file, record.sha256)
        except ModelUnavailable as exc:
            _refused.add(key)
            log.error("Triage model v%s is unusable, intake goes on without it: %s",
                      record.version, exc)
            return _loaded
        _loaded = Loaded(record.version, model)
        log.info("Triage model v%s loaded.", record.version)
        return _loaded


def forget() -> None:
    """Drop the loaded model (tests; a process that wants to re-read the file)."""
    global _loaded
    with _lock:
        _loaded = None
        _refused.clear()
