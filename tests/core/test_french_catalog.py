"""The French catalog is complete: every entry translated, none fuzzy (regression: an entry
glued to the header block hid the untranslated "Profile" from the page checks)."""

from __future__ import annotations

from tests.browser.catalog import PO, entries


def test_every_entry_has_a_french_translation():
    missing = [msgid for msgid, msgstr in entries().items() if not msgstr]
    assert not missing, missing


def test_every_entry_is_a_block_of_its_own():
    """Each msgid starts its own block, so no entry hides behind another (or the header)."""
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    glued = [b for b in blocks if sum(line.startswith("msgid ") for line in b.splitlines()) > 1]
    assert not glued, glued[:1]
