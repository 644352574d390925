"""Settings come from PALIER_* variables; a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from palier import settings as palier_settings

ROOT = Path(__file__).resolve().parents[2]
PALIER = Path(sys.executable).with_name("palier")


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run a fresh interpreter with only the given PALIER_* variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PALIER_")}
    clean.update(DJANGO_SETTINGS_MODULE="palier.settings", PALIER_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=60, check=False)


def _setup(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-c", "import django; django.setup()"], tmp_path, **env)


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("PALIER_DATABASE_URL", "nonsense", "is not a valid database URL"),
    ("PALIER_DATABASE_URL", "mysql://app@db/palier", "supports sqlite:/// and postgres://"),
    ("PALIER_DEBUG", "maybe", "is not a boolean"),
    ("PALIER_SECRET_KEY", "too-short", "at least 32 characters"),
], ids=["database-url", "database-engine", "debug", "secret-key"])
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value, message):
    result = _setup(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr and message in result.stderr


def test_the_palier_command_reports_a_bad_value_without_a_traceback(tmp_path):
    result = _run([str(PALIER), "check"], tmp_path, PALIER_DEBUG="sometimes")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "palier: configuration error: PALIER_DEBUG='sometimes' is not a boolean "
        "(use true or false).")
    assert "Traceback" not in result.stderr


def test_palier_check_on_a_fresh_installation_is_ok(tmp_path):
    result = _run([str(PALIER), "check"], tmp_path,
                  PALIER_SECRET_KEY="k" * 40, PALIER_DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "Palier configuration: OK" in result.stdout


def test_a_bad_database_url_does_not_echo_the_password(tmp_path):
    result = _setup(tmp_path, PALIER_DATABASE_URL="postgres://app:s3cret@db:port/palier")
    assert result.returncode != 0 and "PALIER_DATABASE_URL" in result.stderr
    assert "s3cret" not in result.stderr


# The helpers, in process

@pytest.mark.parametrize(("raw", "expected"), [
    ("1", True), ("true", True), (" YES ", True), ("on", True),
    ("0", False), ("False", False), ("no", False), ("off", False), ("", None), (None, None),
])
def test_env_bool(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("PALIER_FLAG", raising=False)
    else:
        monkeypatch.setenv("PALIER_FLAG", raw)
    assert palier_settings.env_bool("FLAG", None) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("PALIER_FLAG", "2")
    with pytest.raises(ImproperlyConfigured, match="PALIER_FLAG='2' is not a boolean"):
        palier_settings.env_bool("FLAG", False)


def test_env_int(monkeypatch):
    monkeypatch.delenv("PALIER_SIZE", raising=False)
    assert palier_settings.env_int("SIZE", 25, minimum=1) == 25
    monkeypatch.setenv("PALIER_SIZE", "40")
    assert palier_settings.env_int("SIZE", 25, minimum=1) == 40
    monkeypatch.setenv("PALIER_SIZE", "many")
    with pytest.raises(ImproperlyConfigured, match="PALIER_SIZE='many' is not a whole number"):
        palier_settings.env_int("SIZE", 25)
    monkeypatch.setenv("PALIER_SIZE", "0")
    with pytest.raises(ImproperlyConfigured, match="PALIER_SIZE='0' must be at least 1"):
        palier_settings.env_int("SIZE", 25, minimum=1)


@pytest.mark.parametrize(("env", "debug"), [({}, "False"), ({"PALIER_DEBUG": "true"}, "True")])
def test_debug_is_off_unless_asked(tmp_path, env, debug):
    result = _run([sys.executable, "-c",
                   "import django; django.setup(); from django.conf import settings; "
                   "print(settings.DEBUG)"], tmp_path, **env)
    assert result.stdout.strip() == debug, result.stderr
