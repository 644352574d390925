"""A per-process cache of rarely changing rows, each entry kept ``PALIER_CONFIG_CACHE_SECONDS``.

Desk configuration (priority matrix, intake rules, levels, clients, SLA versions) and the
token → user lookup of the API are read on nearly every request but change rarely: each
process reads them at most once per TTL, so a change reaches every process within that many
seconds (0 turns the cache off, as the test suite does). Writers that know what they changed
call ``forget`` so that their own process sees it at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")
MAX_ENTRIES = 4096

_entries: dict[str, tuple[float, object]] = {}


def cached(key: str, load: Callable[[], T], *, keep_none: bool = True) -> T:
    """The value under ``key``, loaded by ``load()`` when missing or older than the TTL
    (``keep_none=False``: a ``None`` is not remembered, e.g. an unknown API token)."""
    ttl = settings.PALIER_CONFIG_CACHE_SECONDS
    now = time.monotonic()
    hit = _entries.get(key)
    if ttl > 0 and hit is not None and now - hit[0] < ttl:
        return hit[1]  # type: ignore[return-value]
    value = load()
    if ttl > 0 and (keep_none or value is not None):
        if len(_entries) >= MAX_ENTRIES:  # keys per client, day or token accumulate
            _entries.clear()
        _entries[key] = (now, value)
    return value


def forget(key: str) -> None:
    """Drop one entry (this process only; the others follow within the TTL)."""
    _entries.pop(key, None)
