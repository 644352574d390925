from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from palier.accounts.services import create_token


class Api:
    """A test client that authenticates with a personal API token."""

    def __init__(self, user=None):
        self.http = HttpClient()
        self.headers = {}
        if user is not None:
            _, secret = create_token(user, name="test")
            self.headers = {"Authorization": f"Bearer {secret}"}

    def call(self, method: str, path: str, body=None, *, key: str | None = None, **kwargs):
        """``key``: sent as the Idempotency-Key header."""
        if method == "get":
            return self.get(path, **kwargs)
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        headers = {**self.headers, "Idempotency-Key": key} if key is not None else self.headers
        return getattr(self.http, method)(f"/api/v1{path}", data=body,
                                          content_type="application/json",
                                          headers=headers, **kwargs)

    def get(self, path, **kw):
        return self.http.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(self, path, body=None, key=None):
        return self.call("post", path, body if body is not None else {}, key=key)

    def patch(self, path, body, key=None):
        return self.call("patch", path, body, key=key)

    def delete(self, path):
        return self.call("delete", path)


@pytest.fixture
def api():
    return Api
