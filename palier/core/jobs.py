"""Background jobs that apps hand to ``palier worker``.

An app registers its jobs in its ``AppConfig.ready()``::

    from palier.core import jobs
    jobs.register("channels.outbound", send_due_messages, every=1.0)

A job is a callable taking no argument and returning how much work it did (0 when idle). The
worker calls it at most once every ``every`` seconds (0: every round). Several workers run side
by side, so a job claims its work with a conditional update and never assumes it is alone.
A job that raises is logged and retried on a later round; it never stops the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Job = Callable[[], int]


@dataclass(frozen=True)
class Registered:
    name: str
    run: Job
    every: float = 0.0


_registry: dict[str, Registered] = {}


def register(name: str, run: Job, *, every: float = 0.0) -> None:
    """Register (or replace) the job called ``name``."""
    if every < 0:
        raise ValueError("A job's period cannot be negative.")
    _registry[name] = Registered(name, run, every)


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[Registered]:
    """The registered jobs, in registration order."""
    return list(_registry.values())
