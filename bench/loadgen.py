"""A small asyncio HTTP/1.1 load generator for loopback benchmarks (no dependencies).

Each request opens its own connection (gunicorn's sync workers close after each response),
so the figures include connection set-up, as a real client would see it.
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
    reader, writer = await asyncio.open_connection(host, port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
             f"Content-Length: {len(body)}"] + [f"{k}: {v}" for k, v in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    status = int(raw.split(b" ", 2)[1])
    return status, raw.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in raw else b""


async def _worker(make: Callable[[int], tuple[str, str, bytes]], host: str, port: int,
                  headers: dict[str, str], counter: list[int], total: int,
                  result: Result) -> None:
    while counter[0] < total:
        n = counter[0]
        counter[0] += 1
        method, path, body = make(n)
        started = time.perf_counter()
        status, _ = await request(host, port, method, path, headers, body)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.statuses[status] = result.statuses.get(status, 0) + 1


def run(make: Callable[[int], tuple[str, str, bytes]], *, host: str, port: int,
        headers: dict[str, str], total: int, concurrency: int) -> Result:
    """Send ``total`` requests built by ``make(n)`` over ``concurrency`` parallel clients."""
    result, counter = Result(), [0]

    async def main() -> None:
        await asyncio.gather(*(_worker(make, host, port, headers, counter, total, result)
                               for _ in range(concurrency)))

    started = time.perf_counter()
    asyncio.run(main())
    result.seconds = time.perf_counter() - started
    return result


def json_body(data: dict) -> bytes:
    return json.dumps(data).encode()
