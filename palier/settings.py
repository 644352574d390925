"""Palier settings: everything comes from ``PALIER_*`` environment variables.

A bad value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"PALIER_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"PALIER_{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"PALIER_{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"PALIER_{name}={raw!r} must be at least {minimum}.")
    return value


DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var"))).resolve()
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("PALIER_SECRET_KEY must be at least 32 characters long.")
        return key
    # Development default: a random key kept in the data directory, never committed.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",")
                 if h.strip()]
ALLOWED_HOSTS += ["testserver"] if env_bool("TESTING", False) else []


def _database() -> dict:
    url = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'palier.sqlite3'}"
    persistent = 60 if url.startswith(("postgres://", "postgresql://")) else 0
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", persistent),
                                       conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        shown = re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)  # never echo a password
        raise ImproperlyConfigured(f"PALIER_DATABASE_URL={shown!r} is not a valid database "
                                   f"URL: {str(exc).replace(url, shown)}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        name = config["NAME"]
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536;"
            ),
        }
    elif engine == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})
    else:
        raise ImproperlyConfigured(
            f"PALIER_DATABASE_URL uses {engine or 'an unknown engine'}; Palier supports "
            "sqlite:/// and postgres:// only."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "palier.core",
    "palier.accounts",
    "palier.clients",
    "palier.tickets",
    "palier.sla",
    "palier.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "palier.urls"
WSGI_APPLICATION = "palier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "palier" / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here in production
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Attachments: size and type limits enforced by the ticket services.
PALIER_MAX_ATTACHMENT_BYTES = env_int("MAX_ATTACHMENT_MB", 25, minimum=1) * 1024 * 1024
PALIER_ATTACHMENT_TYPES = [
    t.strip() for t in (env("ATTACHMENT_TYPES") or (
        "text/plain,text/csv,text/html,application/pdf,application/json,application/xml,"
        "application/zip,application/gzip,application/vnd.ms-outlook,message/rfc822,"
        "image/png,image/jpeg,image/gif,image/webp,application/octet-stream,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
        "application/msword,application/vnd.ms-excel"
    )).split(",") if t.strip()
]
# Desk configuration (priority matrix, intake rules, levels) is cached this long per process.
PALIER_CONFIG_CACHE_SECONDS = env_int("CONFIG_CACHE_SECONDS", 5)
PALIER_BLOCKED_EXTENSIONS = [".exe", ".bat", ".cmd", ".com", ".js", ".msi", ".ps1", ".scr", ".vbs"]
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_KB", 2560, minimum=1) * 1024

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
