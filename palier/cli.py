"""The ``palier`` command: Django's management commands plus Palier's own
(``demo``, ``serve``, ``seed``, ``check``, ``worker``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "palier"
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"palier: configuration error: {exc}\n")
        sys.exit(2)
