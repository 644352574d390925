"""The API's input parser: JSON bodies and query strings, refusing NUL characters.

PostgreSQL text cannot hold U+0000, and no desk field needs it: a request carrying one is
answered 400 before any service runs (Django's form fields refuse it the same way for the
console and the portal)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import HttpError
from ninja.parser import Parser

NUL = "\x00"
REFUSED = "Text may not contain NUL characters (U+0000)."


class NulCharacter(ValueError):
    """A request string held U+0000."""


def holds_nul(value: object) -> bool:
    """Whether any string in a parsed JSON value (keys included) contains U+0000."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class NulRefusingParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        data = super().parse_body(request)
        if holds_nul(data):
            raise NulCharacter(REFUSED)  # ninja answers 400, with this as the reason
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str],
                        request: HttpRequest) -> dict:
        parsed = super().parse_querydict(data, list_fields, request)
        if holds_nul(parsed):
            raise HttpError(400, REFUSED)
        return parsed
