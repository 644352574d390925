"""Bugs schemathesis found against the live server, each pinned by a test."""

from __future__ import annotations


def test_an_article_version_beyond_64_bits_is_refused_not_a_server_error(desk, api):
    # found once the run's token stayed valid to the end (tests/api/test_schemathesis.py)
    response = api(desk.a.l1).get("/articles/1/diff?from=1&to=4861229395432552005632")
    assert response.status_code == 422
    assert "to" in response.json()["fields"]
