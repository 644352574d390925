"""SSRF protection for webhook URLs (pure: no ORM, no Django).

A webhook URL is resolved and refused when any address it resolves to is loopback,
private, link-local, multicast, reserved or unspecified — unless the subscription's
administrator-set flag allows private networks.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit


class Refused(Exception):
    """The URL may not be called."""


@dataclass(frozen=True)
class Pinned:
    """The URL with its host replaced by the checked address; send ``Host: host_header``
    and use ``hostname`` for TLS (SNI and certificate check)."""

    url: str
    hostname: str
    host_header: str


def addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address ``host`` resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"{host} does not resolve: {exc}") from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified
            or not address.is_global)


def check_url(url: str, *, allow_private: bool) -> Pinned:
    """Raise ``Refused`` unless ``url`` is an http(s) URL whose host may be called; returns
    the URL pinned to the address checked (so a second DNS answer cannot differ)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"{url} is not an http(s) URL.")
    if parts.username or parts.password:
        raise Refused("Webhook URLs may not carry credentials.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    found = addresses(parts.hostname, port)
    internal = [str(a) for a in found if is_internal(a)]
    if internal and not allow_private:
        raise Refused(f"{parts.hostname} resolves to a non-public address "
                      f"({', '.join(sorted(set(internal)))}); an administrator must allow "
                      "private networks for this subscription.")
    address = found[0]
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    return Pinned(urlunsplit(parts._replace(netloc=netloc)), parts.hostname,
                  parts.netloc)
