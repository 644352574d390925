"""Article text, with no ORM: Markdown rendered and sanitised, words stemmed, snippets.

``render_markdown`` is the one way Palier turns user-written text into HTML (article and
ticket bodies alike): Markdown is rendered with raw HTML disabled, then sanitised with nh3 so
that scripts, event handlers and ``javascript:`` links can never survive.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from itertools import chain

import nh3
import numpy as np
import snowballstemmer
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul", "mark",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "code": {"class"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

WORD = re.compile(r"\w+", re.UNICODE)
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does",
    "did", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it",
    "its", "me", "my", "no", "not", "of", "on", "or", "our", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "to", "too", "was", "we",
    "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
    "your", "yes", "just", "also", "about", "after", "all", "any", "been", "being", "both",
    "each", "few", "get", "got", "more", "most", "other", "out", "over", "same", "should",
    "some", "such", "only", "own", "very", "via", "want", "way", "use", "using", "au", "aux",
    "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "ils",
    "je", "la", "le", "les", "leur", "lui", "ma", "mais", "même", "mes", "moi", "mon",
    "ne", "nos", "notre", "nous", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa",
    "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
    "votre", "vous", "c", "d", "j", "l", "n", "s", "t", "y", "été", "être", "avoir", "est",
    "sont", "comment", "quoi",
})
LANGUAGES = {"en": "english", "fr": "french"}


def render_markdown(text: str | None) -> str:
    """Markdown → safe HTML (raw HTML in the source is shown as text, never run)."""
    return sanitise(_markdown.render(text or ""))


def sanitise(markup: str | None) -> str:
    """Keep only harmless tags, attributes and URL schemes; links open no window.opener."""
    return nh3.clean(markup or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow")


def plain_text(text: str | None) -> str:
    """The Markdown source reduced to its words (for indexing, embedding and snippets)."""
    rendered = nh3.clean(_markdown.render(text or ""), tags=set())
    return re.sub(r"\s+", " ", html.unescape(rendered)).strip()


def fold(word: str) -> str:
    """Lower case without diacritics: "Réseau" → "reseau"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4)
def _stemmer(language: str):
    return snowballstemmer.stemmer(LANGUAGES.get(language, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "en") -> str:
    """The folded Snowball stem of one lower-case word in the given language."""
    return fold(_stemmer(language).stemWord(word))


def words(text: str) -> list[str]:
    """Lower-case words, stop words dropped."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) < 40]


def index_terms(text: str, language: str = "en") -> str:
    """The text as space-separated stems, ready for the full-text index."""
    return " ".join(stem(w, language) for w in words(text))


def query_terms(text: str, languages: tuple[str, ...] = ("en", "fr")) -> list[str]:
    """Distinct stems of the query in every desk language (an English stem and a French one)."""
    seen: dict[str, None] = {}
    for word in words(text):
        for language in languages:
            seen.setdefault(stem(word, language), None)
    return list(seen)[:64]


def snippet(text: str, terms: list[str], *, width: int = 30, language: str = "en",
            scan: int = 400) -> str:
    """The window of ``width`` words with the most query stems (within the first ``scan``
    words), matches in ``<mark>``; HTML-safe."""
    stems, owners, last, pieces = _scanned(text, language, scan)
    if not last:
        return ""
    wanted = np.array([_STEM_IDS[term] for term in terms if term in _STEM_IDS], np.int32)
    hits = np.zeros(last, np.int32)
    hits[owners[np.isin(stems, wanted, kind="table")]] = 1
    before = np.concatenate(([0], np.cumsum(hits)))  # before[i]: matches in the first i words
    starts = np.arange(max(1, last - width + 1))
    # argmax: the first window with the most matches
    best = int(np.argmax(before[np.minimum(starts + width, last)] - before[starts]))
    end = min(last, best + width)
    # Escaped in one call: escaping adds no space, so the words split back one for one.
    tokens = html.escape(" ".join(text.split(maxsplit=end)[best:end])).split(" ")
    shown = " ".join(f"<mark>{token}</mark>" if hits[best + i] else token
                     for i, token in enumerate(tokens))
    prefix = "… " if best else ""
    suffix = " …" if best + width < pieces else ""
    return prefix + shown + suffix


_STEM_IDS: dict[str, int] = {}  # every stem seen in a snippet's text, numbered
_TOKEN_STEM_IDS: dict[str, dict[str, tuple[int, ...]]] = {}  # language → token → its stems


@lru_cache(maxsize=4096)
def _scanned(text: str, language: str, scan: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """The stems of the text's first ``scan`` words as numbers, the word each belongs to,
    how many words were scanned, and how many pieces the split made (a remainder counts as
    one). Kept for the most recently shown texts: a few kilobytes each."""
    split = text.split(maxsplit=scan)
    tokens = split[:scan]
    known = _TOKEN_STEM_IDS.setdefault(language, {})
    if len(known) > 200_000:  # a bound, like _token_stems's cache
        known.clear()
    for token in {token for token in tokens if token not in known}:
        known[token] = tuple(_STEM_IDS.setdefault(stem, len(_STEM_IDS))
                             for stem in _token_stems(token, language))
    found = [known[token] for token in tokens]
    counts = np.fromiter(map(len, found), np.int32, len(found))
    stems = np.fromiter(chain.from_iterable(found), np.int32, int(counts.sum()))
    owners = np.repeat(np.arange(len(found), dtype=np.int32), counts)
    return stems, owners, len(tokens), len(split)


@lru_cache(maxsize=100_000)
def _token_stems(token: str, language: str) -> frozenset[str]:
    """The stems a whitespace-separated token may match (its language's and English)."""
    found = WORD.findall(token.lower())
    return frozenset(stem(w, lang) for w in found for lang in {language, "en"})
