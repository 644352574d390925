"""The load generator retries as a careful client: same request, same key, on a connection
error or a 503; anything else is answered at once (``bench/_load_client.py``)."""

from __future__ import annotations

import http.client
import http.server
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _load_client import BACKOFF_S, Sent, exchange


@pytest.fixture
def server():
    """A loopback server playing a script of answers: "drop" closes the connection without
    answering (a killed web process), a number answers that status."""
    seen: list[tuple[str | None, bytes]] = []
    script: list = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            seen.append((self.headers.get("Idempotency-Key"),
                         self.rfile.read(int(self.headers["Content-Length"]))))
            step = script.pop(0)
            if step == "drop":
                self.close_connection = True
                return
            body = b'{"id": 7, "number": "INC-000007"}'
            self.send_response(step)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if step == 201 and len(seen) > 1:
                self.send_header("Idempotent-Replayed", "true")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], script, seen
    httpd.shutdown()
    httpd.server_close()


def _send(port: int, pauses: list[float]):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    sent = Sent("POST", "/api/v1/tickets", {"title": "VPN drops"}, key="k-1")
    return exchange(conn, sent, {"Content-Type": "application/json"}, pause=pauses.append)


def test_a_dropped_connection_and_a_503_are_retried_with_the_same_key(server):
    port, script, seen = server
    script.extend(["drop", 503, 201])
    pauses: list[float] = []
    answer = _send(port, pauses)
    assert answer.status == 201 and answer.reply["id"] == 7 and answer.replayed
    assert [why for why, _ in answer.retries] == ["RemoteDisconnected", "503"]
    assert pauses == list(BACKOFF_S[:2])
    assert seen == [("k-1", b'{"title": "VPN drops"}')] * 3


def test_other_statuses_are_not_retried(server):
    port, script, seen = server
    script.append(422)
    answer = _send(port, [])
    assert answer.status == 422 and not answer.retries and len(seen) == 1


def test_after_about_ten_seconds_of_retries_the_failure_is_the_answer(server):
    port, script, seen = server
    script.extend([503] * (len(BACKOFF_S) + 1))
    pauses: list[float] = []
    answer = _send(port, pauses)
    assert answer.status == 503 and len(answer.retries) == len(BACKOFF_S)
    assert 9 <= sum(pauses) <= 11 and len(seen) == len(BACKOFF_S) + 1
