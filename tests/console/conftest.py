"""Fixtures for the console and portal page tests."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from palier.knowledge import services as kb


@pytest.fixture(autouse=True)
def _no_semantic_model(settings) -> None:
    settings.PALIER_KB_MODEL = "off"


@pytest.fixture
def browse():
    """An HTTP client signed in as the given user."""
    def signed_in(user) -> HttpClient:
        http = HttpClient()
        http.force_login(user)
        return http
    return signed_in


@pytest.fixture
def public_article(desk):
    """A published public article shared by every client."""
    article = kb.create_article(desk.a.manager, title="VPN keeps disconnecting",
                                body="Restart the VPN client and renew the certificate.",
                                audience="public")
    kb.submit_for_review(desk.a.manager, article.pk)
    return kb.publish(desk.a.manager, article.pk)


@pytest.fixture(autouse=True, scope="session")
def _french_catalog() -> None:
    from tests.browser.catalog import ensure_compiled

    ensure_compiled()
