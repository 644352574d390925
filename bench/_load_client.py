"""The load generator's HTTP client (``bench/load.py``): one keep-alive connection per user,
and retries as a careful client makes them.

A request that meets a connection error (reset, refused, end of stream: a web process was
killed) or a 503 (the database went away) is sent again, identical — an API POST with the
same ``Idempotency-Key``, a portal form with the same submission token — after 0.2, 0.5, 1, 2,
2, 2 and 2.5 s (about 10 s in all). What still fails after that is an error.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 2.0, 2.0, 2.5)
CONNECTION_ERRORS = (OSError, http.client.HTTPException)  # reset, refused, EOF, timeout


@dataclass(frozen=True)
class Sent:
    """One request as a user sends it, and sends it again when retrying."""

    method: str
    path: str
    body: dict | str | None = None  # a JSON object, or an urlencoded form
    key: str | None = None  # the Idempotency-Key header (every API POST)
    submission: tuple[str, str] | None = None  # a create: (key as stored, unique description)


@dataclass
class Answer:
    status: int | str  # the HTTP status, or the name of the connection error
    reply: dict | None = None  # a POST's JSON body, or a redirect's {"location": …}
    replayed: bool = False  # Idempotent-Replayed: true
    retries: list[tuple[str, float]] = field(default_factory=list)  # (why, when: monotonic)

    @property
    def retryable(self) -> bool:
        return isinstance(self.status, str) or self.status == 503


def exchange(conn: http.client.HTTPConnection, sent: Sent, headers: dict[str, str],
             pause: Callable[[float], None] = time.sleep) -> Answer:
    """Send the request, retrying connection errors and 503s with the same key."""
    if sent.key:
        headers = {**headers, "Idempotency-Key": sent.key}
    body = json.dumps(sent.body) if isinstance(sent.body, dict) else sent.body
    retries: list[tuple[str, float]] = []
    for delay in (*BACKOFF_S, None):
        answer = _once(conn, sent.method, sent.path, body, headers)
        if not answer.retryable or delay is None:
            answer.retries = retries
            return answer
        retries.append((str(answer.status), time.monotonic()))
        pause(delay)
    raise AssertionError("unreachable")


def _once(conn: http.client.HTTPConnection, method: str, path: str, body: str | None,
          headers: dict[str, str]) -> Answer:
    try:
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        raw = response.read()
    except CONNECTION_ERRORS as exc:
        conn.close()  # the next request opens a new connection
        return Answer(type(exc).__name__)
    if response.getheader("Connection", "").lower() == "close":
        conn.close()
    replayed = response.getheader("Idempotent-Replayed", "") == "true"
    if 300 <= response.status < 400:
        return Answer(response.status, {"location": response.getheader("Location", "")})
    is_json = (response.getheader("Content-Type") or "").startswith("application/json")
    reply = json.loads(raw) if method == "POST" and raw and is_json else None
    return Answer(response.status, reply, replayed)
