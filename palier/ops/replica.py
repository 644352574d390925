"""Which database alias read-heavy reports should query.

With ``PALIER_REPLICA_URL`` set, settings add a ``replica`` alias (a streaming replica of the
primary); report selectors read through ``reporting_alias()`` with ``.using(...)`` and accept
the replica's lag (seconds). Writes and everything an agent acts on stay on ``default``.
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


def reporting_alias() -> str:
    return REPLICA if REPLICA in settings.DATABASES else "default"
