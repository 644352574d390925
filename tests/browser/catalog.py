"""The French catalog's English strings, to find any left untranslated on a page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "palier" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")


def entries(path: Path = PO) -> dict[str, str]:
    """msgid → msgstr for the singular entries of a .po file (fuzzy ones count as missing)."""
    found: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        key, fuzzy = None, False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgctxt ")):
                key, _, value = line.partition(" ")
                parts[key] = ast.literal_eval(value)
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
        if parts.get("msgid") and "msgid_plural" not in parts and "msgstr" in parts:
            found[parts["msgid"]] = "" if fuzzy else parts["msgstr"]
    return found


def english_strings() -> set[str]:
    """Catalog strings whose French differs (or is missing): seeing one means English leaked."""
    strings = set()
    for msgid, msgstr in entries().items():
        if PLACEHOLDER.search(msgid) or len(msgid) < 3:
            continue
        if msgstr != msgid:
            strings.add(" ".join(msgid.split()))
    return strings


VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script,style,noscript,template')) continue;
    const lang = parent.closest('[lang]');  // text marked as another language is meant so
    if (lang && lang.getAttribute('lang') !== document.documentElement.lang) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  document.querySelectorAll('[placeholder],[aria-label],[title]').forEach(el => {
    ['placeholder', 'aria-label', 'title'].forEach(a => {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    });
  });
  return out;
}"""


def untranslated(page, english: set[str]) -> list[str]:
    """The page's visible strings (and their ' · ' or ':' separated parts) that are English
    catalog strings."""
    leaks = []
    for text in page.evaluate(VISIBLE_TEXT):
        parts = {text, *[p.strip(" :·") for p in re.split(r" · |: ", text)]}
        leaks += [p for p in parts if p in english]
    return sorted(set(leaks))


def ensure_compiled() -> None:
    """Compile the French catalog when its .mo is missing or older than the .po (a fresh
    clone tested without ``make``); needs gettext's msgfmt."""
    mo = PO.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime:
        return
    import subprocess

    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(PO)], check=True)
    from django.utils.translation import trans_real

    trans_real._translations = {}  # forget catalogs loaded before the compilation
