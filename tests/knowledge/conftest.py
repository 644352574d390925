"""Knowledge fixtures: the model off unless a test asks for it, a fresh in-memory index per
test, and a helper that publishes articles through the services."""

from __future__ import annotations

import pytest

from palier.knowledge import index, services
from tests.api.conftest import api  # noqa: F401  (the token-authenticated API client)


@pytest.fixture(autouse=True)
def _fresh_index(settings, monkeypatch) -> None:
    settings.PALIER_KB_MODEL = "off"
    monkeypatch.setattr(index, "memory", index.Memory())


@pytest.fixture
def model(settings):
    """The packaged all-MiniLM-L6-v2 (loaded once per process)."""
    settings.PALIER_KB_MODEL = "packaged"
    assert index.model() is not None, index.model_missing_reason()
    return index.model()


@pytest.fixture
def publish(desk, django_capture_on_commit_callbacks):
    """``publish(author, reviewer=None, **fields)``: create, submit and publish an article
    (after-commit indexing run)."""

    def make(author, reviewer=None, **fields):
        fields.setdefault("title", "Reset a VPN tunnel")
        fields.setdefault("body", "Restart the VPN client, then clear the IKE cache.")
        fields.setdefault("audience", "internal")
        with django_capture_on_commit_callbacks(execute=True):
            article = services.create_article(author, **fields)
            services.submit_for_review(author, article.pk)
            return services.publish(reviewer or desk.a.manager, article.pk)

    return make
