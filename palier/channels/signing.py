"""Webhook signatures (pure): HMAC-SHA256 over ``"<timestamp>.<body>"``.

Headers sent: ``X-Palier-Timestamp: 1718000000`` and
``X-Palier-Signature: v1=<hex digest>``. A receiver recomputes the digest with the shared
secret, compares in constant time and refuses timestamps too far from its clock.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Palier-Signature"
TIMESTAMP_HEADER = "X-Palier-Timestamp"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, body)}
