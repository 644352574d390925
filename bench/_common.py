"""Helpers for the core benchmark: the machine, the databases, and timing statistics.

Nothing here imports Django: ``bench/core.py`` must set ``PALIER_DATABASE_URL`` first.
"""

from __future__ import annotations

import json
import os
import platform
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "core.sqlite3"
PG_SERVER = os.environ.get("PALIER_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "palier_bench"


def machine() -> dict:
    """Cores, RAM, CPU model and the load when asked (the machine may be shared)."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                if line.startswith("model name")), platform.processor())
    kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(kib / 1024 / 1024, 1),
            "python": platform.python_version(), "load_average": load()}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def drop_sqlite() -> None:
    """Remove the benchmark's SQLite file and its WAL."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def fresh_sqlite() -> str:
    """Start the benchmark's SQLite database afresh and return its URL."""
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    drop_sqlite()
    return f"sqlite:///{SQLITE_PATH}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def fresh_postgres() -> str:
    """Drop and create the benchmark's PostgreSQL database and return its URL."""
    _admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{PG_DATABASE}"')
    return f"{PG_SERVER}/{PG_DATABASE}"


def drop_postgres() -> None:
    _admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def percentiles(samples_ms: Iterable[float]) -> dict:
    """p50 and p95 (nearest rank) in milliseconds, with the sample count."""
    data = sorted(samples_ms)
    if not data:
        return {"n": 0}

    def rank(p: float) -> float:
        return round(data[min(len(data) - 1, max(0, int(p * len(data) + 0.5) - 1))], 2)

    return {"n": len(data), "p50_ms": rank(0.50), "p95_ms": rank(0.95),
            "max_ms": round(data[-1], 2)}


def timed(action: Callable[[int], object], samples: int, warmup: int = 5) -> dict:
    """Run ``action(i)`` ``warmup`` times untimed, then ``samples`` times timed."""
    for i in range(warmup):
        action(-1 - i)
    spent = []
    for i in range(samples):
        started = time.perf_counter()
        action(i)
        spent.append((time.perf_counter() - started) * 1000)
    return percentiles(spent)


def all_serving(port: int, processes: int, deadline: float) -> bool:
    """Every one of ``processes`` web processes answers ``/healthz`` on a new connection
    (each names its process) before ``deadline`` (``time.monotonic()``). Clients that
    connected while a process still loaded its models would wait for it, or all stay,
    keep-alive, on the first one up."""
    seen: set[int] = set()
    while len(seen) < processes and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                seen.add(json.load(reply)["process"])
        except OSError:
            pass
        time.sleep(0.05)
    return len(seen) >= processes
