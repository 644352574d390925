"""JSON log formatting for gunicorn's access log: one object per request with named fields."""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

# gunicorn's access-log atoms → field names in the JSON line.
ACCESS_FIELDS = {"h": "remote", "m": "method", "U": "path", "q": "query", "s": "status",
                 "B": "bytes", "D": "duration_us", "a": "user_agent", "f": "referer"}


class AccessJsonFormatter(JsonFormatter):
    """Adds gunicorn's request atoms (``record.args``) as fields of the JSON object."""

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        atoms = record.args if isinstance(record.args, dict) else {}
        for atom, name in ACCESS_FIELDS.items():
            if atom in atoms:
                log_data[name] = atoms[atom]


def gunicorn_logconfig(level: str = "INFO") -> dict:
    """A ``logconfig_dict`` for gunicorn writing JSON lines to stderr (error) and stdout
    (access)."""
    base = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"
    rename = {"asctime": "time", "levelname": "level", "name": "logger"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": JsonFormatter, "fmt": base, "rename_fields": rename},
            "access": {"()": AccessJsonFormatter, "fmt": base, "rename_fields": rename},
        },
        "handlers": {
            "error": {"class": "logging.StreamHandler", "formatter": "json",
                      "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access",
                       "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["error"], "level": level},
    }
