#!/usr/bin/env python
"""Django's command-line utility; ``palier`` is the same entry point."""

from palier.cli import main

if __name__ == "__main__":
    main()
