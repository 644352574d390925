"""schemathesis against the live schema of a real server: no 5xx, no schema violation."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _database_url(tmp_path: Path) -> str:
    """A throw-away database of the kind the suite runs on."""
    url = os.environ.get("PALIER_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'schemathesis.sqlite3'}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS palier_schemathesis")
        conn.execute("CREATE DATABASE palier_schemathesis")
    return f"{base}/palier_schemathesis"


def _palier(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True,
                          capture_output=True, text=True, timeout=300)
    return done.stdout


def _serve(env: dict) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "serve", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    # Ready once the schema answers: gunicorn listens before its workers have loaded the
    # application, which takes a while on a busy machine.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json",
                                        timeout=30) as response:
                if response.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise AssertionError("the server did not start")


REVOKE = "/api/v1/tokens/{token_id}"


def _schemathesis(port: int, token: str, cwd: Path, *selection: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "schemathesis"), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
         "--header", f"Authorization: Bearer {token}", "--checks", "all",
         # Business rules may refuse schema-valid input (e.g. escalating a new ticket).
         "--exclude-checks", "positive_data_acceptance",
         "--max-examples", "25", "--workers", "2", "--seed", "20261124", *selection],
        capture_output=True, text=True, timeout=900, cwd=cwd,
    )


def _token_is_live(env: dict, token: str) -> bool:
    code = ("from palier.accounts.services import authenticate_token; "
            f"print(authenticate_token({token!r}) is not None)")
    return _palier(env, "shell", "-v", "0", "-c", code).strip().endswith("True")


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path):
    # Full-text search only: loading the embedding model on a busy CI machine can outlast the
    # request timeout, and semantic search has tests of its own (tests/knowledge).
    env = dict(os.environ, PALIER_DATA_DIR=str(tmp_path), PALIER_KB_MODEL="off",
               PALIER_DATABASE_URL=_database_url(tmp_path))
    _palier(env, "demo", "--no-serve", "--tickets", "60")
    token = _palier(env, "token", "create", "--user", "manager@demo.palier.test").strip()
    spare = _palier(env, "token", "create", "--user", "manager@demo.palier.test").strip()
    server, port = _serve(env)
    try:
        # Every operation but token revocation, with a token that stays valid: fuzzing
        # DELETE /tokens/{id} with small ids revokes the run's own token (id 1 on a fresh
        # desk), and every later write then only gets 401 (or 403 from the session's CSRF
        # check, since schemathesis also sends the session cookie of the security scheme).
        run = _schemathesis(port, token, tmp_path, "--exclude-path", REVOKE)
        assert _token_is_live(env, token), "the run revoked its own token"
        # Then revocation on its own, with a token it may revoke.
        revoke = _schemathesis(port, spare, tmp_path, "--include-path", REVOKE)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "returned only 401/403" not in run.stdout, run.stdout[-6000:]
    assert revoke.returncode == 0, revoke.stdout[-6000:] + revoke.stderr[-2000:]
