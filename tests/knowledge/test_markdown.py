"""Stored XSS attempts in article bodies render inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from palier.knowledge.selectors import access_article
from palier.knowledge.text import render_markdown, sanitise

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<p onclick="alert(1)">text',
    "<iframe src=//evil.test></iframe>",
    '[x](JaVaScRiPt:alert(1))',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
]


class _Elements(HTMLParser):
    """Collects the real elements and attributes a browser would build (text is ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, attrs))


def _inert(html: str) -> bool:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        if tag in {"script", "iframe", "svg", "object", "embed", "style", "form", "math"}:
            return False
        for name, value in attrs:
            scheme = (value or "").strip().lower().replace("\x00", "")
            if name.startswith("on") or scheme.startswith(("javascript:", "data:", "vbscript:")):
                return False
    return True


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_attacks_render_inert(attack):
    assert _inert(render_markdown(attack))


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitise_strips_attacks_from_html(attack):
    assert _inert(sanitise(attack))


def test_markdown_still_renders_formatting_and_safe_links():
    html = render_markdown("# Title\n\n**bold** ~~old~~ [docs](https://example.test/a)\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert '<a href="https://example.test/a" rel="noopener noreferrer nofollow">docs</a>' in html
    assert "<s>old</s>" in html and "<table>" in html


def test_stored_article_body_renders_inert_through_the_api(desk, publish, api):
    article = publish(desk.a.l2, audience="public",
                      body="Hi <script>alert(1)</script> [x](javascript:alert(1)) "
                           "<img src=x onerror=alert(1)> <b>unclosed")
    assert access_article(desk.a.requester, article.pk).body.startswith("Hi <script>")
    response = api(desk.a.requester).get(f"/articles/{article.pk}")
    assert response.status_code == 200
    html = response.json()["html"]
    assert _inert(html)
    assert "&lt;script&gt;" in html  # shown as text, not run
