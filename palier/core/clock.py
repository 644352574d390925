"""The one clock of Palier.

Everything asks ``now()``. Tests freeze time with time-machine; the demo generator replays
history with ``at(moment)``, which moves the clock for the current context only.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import UTC, datetime

_override: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "palier_clock_override", default=None
)


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return _override.get() or datetime.now(UTC)


@contextlib.contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run the block as if the clock read ``moment`` (used to replay history)."""
    if moment.tzinfo is None:
        raise ValueError("clock.at() needs a timezone-aware datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
