"""``python -m palier …``: the ``palier`` command (used to start child processes)."""

from palier.cli import main

main()
