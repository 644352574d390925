"""A small asyncio HTTP/1.1 load generator for loopback benchmarks (no dependencies).

By default each request opens its own connection (gunicorn's sync workers close after each
response), so the figures include connection set-up. ``keep_alive=True`` reuses one
connection per client, as an integration does against ``palier serve --prod`` (gthread
workers keep connections open).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> dict:
        ordered = sorted(self.latencies_ms)
        count = len(ordered)

        def pct(p: float) -> float:
            return round(ordered[min(count - 1, int(p * count))], 2) if count else 0.0

        return {
            "requests": count,
            "seconds": round(self.seconds, 2),
            "per_second": round(count / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "mean_ms": round(statistics.fmean(ordered), 2) if count else 0.0,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


async def request(host: str, port: int, method: str, path: str, headers: dict[str, str],
                  body: bytes = b"") -> tuple[int, bytes]:
    """One request on a connection of its own (``Connection: close``)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(_head(host, port, method, path, headers, body, keep_alive=False) + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    status = int(raw.split(b" ", 2)[1])
    return status, raw.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in raw else b""


def _head(host: str, port: int, method: str, path: str, headers: dict[str, str], body: bytes,
          *, keep_alive: bool) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}",
             f"Connection: {'keep-alive' if keep_alive else 'close'}",
             f"Content-Length: {len(body)}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Connection:
    """A persistent HTTP/1.1 connection (keep-alive), reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, method: str, path: str, headers: dict[str, str],
                   body: bytes = b"") -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._exchange(method, path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, headers: dict[str, str],
                        body: bytes) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(_head(self.host, self.port, method, path, headers, body,
                                keep_alive=True) + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, closing = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                closing = True
        payload = await self.reader.readexactly(length) if length else b""
        if closing:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _worker(make: Callable[[int], tuple[str, str, bytes]], host: str, port: int,
                  headers: dict[str, str], counter: list[int], total: int,
                  result: Result, keep_alive: bool) -> None:
    connection = Connection(host, port) if keep_alive else None
    while counter[0] < total:
        n = counter[0]
        counter[0] += 1
        method, path, body = make(n)
        started = time.perf_counter()
        if connection is not None:
            status, _ = await connection.send(method, path, headers, body)
        else:
            status, _ = await request(host, port, method, path, headers, body)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.statuses[status] = result.statuses.get(status, 0) + 1
    if connection is not None:
        connection.close()


def run(make: Callable[[int], tuple[str, str, bytes]], *, host: str, port: int,
        headers: dict[str, str], total: int, concurrency: int,
        keep_alive: bool = False) -> Result:
    """Send ``total`` requests built by ``make(n)`` over ``concurrency`` parallel clients
    (``keep_alive``: each client reuses one connection, as an integration would)."""
    result, counter = Result(), [0]

    async def main() -> None:
        await asyncio.gather(*(_worker(make, host, port, headers, counter, total, result,
                                       keep_alive)
                               for _ in range(concurrency)))

    started = time.perf_counter()
    asyncio.run(main())
    result.seconds = time.perf_counter() - started
    return result


def json_body(data: dict) -> bytes:
    return json.dumps(data).encode()
