"""Production hardening: ``check --deploy`` is clean, security headers, proxy and log settings."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from palier import settings as palier_settings
from palier.ops.logs import AccessJsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PALIER_")}
    clean.setdefault("DJANGO_SETTINGS_MODULE", "palier.settings")
    clean.update(PALIER_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=120, check=False)


PRODUCTION = {"PALIER_HTTPS": "true", "PALIER_ALLOWED_HOSTS": "desk.example.com",
              "PALIER_SECRET_KEY": secrets.token_urlsafe(50)}


@pytest.mark.slow
def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = run([sys.executable, "manage.py", "check", "--deploy", "--tag", "security",
                  "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_warns_when_https_is_not_declared(tmp_path):
    result = run([sys.executable, "manage.py", "check", "--deploy", "--tag", "security",
                  "--fail-level", "WARNING"], tmp_path,
                 PALIER_SECRET_KEY=PRODUCTION["PALIER_SECRET_KEY"])
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/healthz")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_probes_are_exempt_from_the_https_redirect(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/login/").status_code == 301


def test_https_behind_a_proxy_is_recognised_by_the_configured_header(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = palier_settings._proxy_ssl_header(
        "X-Forwarded-Proto: https")
    response = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.parametrize(("raw", "expected"), [
    ("X-Forwarded-Proto: https", ("HTTP_X_FORWARDED_PROTO", "https")),
    ("X-Forwarded-Ssl:on", ("HTTP_X_FORWARDED_SSL", "on")),
    ("off", None),
])
def test_the_proxy_ssl_header_setting_is_parsed(raw, expected):
    assert palier_settings._proxy_ssl_header(raw) == expected


def test_a_malformed_proxy_ssl_header_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="PALIER_SECURE_PROXY_SSL_HEADER"):
        palier_settings._proxy_ssl_header("X-Forwarded-Proto")


def test_uploads_are_limited():
    assert palier_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2560 * 1024
    assert palier_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    assert palier_settings.PALIER_MAX_ATTACHMENT_BYTES == 25 * 1024 * 1024


@pytest.mark.slow
def test_json_logs_are_one_object_per_line(tmp_path):
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('palier.test').warning('disk almost full', extra={'free': 3})")
    result = run([sys.executable, "-c", code], tmp_path, PALIER_LOG_FORMAT="json")
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "disk almost full" and line["free"] == 3
    assert line["level"] == "WARNING" and line["logger"] == "palier.test"


@pytest.mark.slow
def test_an_unknown_log_format_stops_start_up(tmp_path):
    result = run([sys.executable, "-c", "import django; django.setup()"], tmp_path,
                 PALIER_LOG_FORMAT="xml")
    assert result.returncode != 0 and "PALIER_LOG_FORMAT" in result.stderr


def test_the_access_log_names_the_request_fields():
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(s)s",
                               None, None)
    record.args = {"h": "10.0.0.7", "m": "POST", "U": "/api/v1/tickets", "q": "", "s": "201",
                   "B": "512", "D": "8123", "a": "curl/8", "f": "-"}
    line = json.loads(AccessJsonFormatter().format(record))
    assert (line["method"], line["path"], line["status"], line["duration_us"]) == (
        "POST", "/api/v1/tickets", "201", "8123")
