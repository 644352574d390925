"""Snippets: the window with the most query stems, matches marked, HTML-safe, any input."""

from __future__ import annotations

from palier.knowledge import text


def test_the_window_with_the_most_matches_is_shown_with_ellipses():
    words = ["filler"] * 100 + ["printer", "jammed", "restart", "the", "printer"] + ["end"] * 60
    shown = text.snippet(" ".join(words), text.query_terms("restart printer"), width=10)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert shown.count("<mark>") == 3 and "<mark>restart</mark>" in shown


def test_the_first_window_needs_no_leading_ellipsis_and_short_texts_no_trailing_one():
    assert text.snippet("printer out of paper", text.query_terms("paper")) == (
        "printer out of <mark>paper</mark>")


def test_no_known_stem_no_words_and_markup_never_fail():
    assert text.snippet("", text.query_terms("printer")) == ""
    assert text.snippet("!! ?? <b>", []) == "!! ?? &lt;b&gt;"
    assert text.snippet("a new word", text.query_terms("zzzunseen")) == "a new word"
    assert text.snippet('restart the <img src=x onerror="alert(1)">',
                        text.query_terms("restart")) == (
        "<mark>restart</mark> the &lt;img src=x onerror=&quot;alert(1)&quot;&gt;")


def test_the_same_text_gives_the_same_snippet_for_each_query():
    body = "Reset the VPN token, then restart the VPN client. " * 20
    first = text.snippet(body, text.query_terms("vpn token"))
    assert text.snippet(body, text.query_terms("restart client")) != first
    assert text.snippet(body, text.query_terms("vpn token")) == first
