"""The desk's triage settings, read at most once per ``PALIER_CONFIG_CACHE_SECONDS``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from palier.tickets.services.directory import cached
from palier.triage.models import TriageSettings


def desk_settings() -> TriageSettings:
    """The settings row (created with its defaults on first use)."""
    return cached("triage:settings", lambda: TriageSettings.objects.get_or_create(pk=1)[0])


def enabled() -> bool:
    """Triage runs unless ``PALIER_TRIAGE=off`` or the admin turned it off."""
    return bool(getattr(settings, "PALIER_TRIAGE", True)) and desk_settings().enabled


def model_dir() -> Path:
    return Path(settings.DATA_DIR) / "triage"
