"""The private-network guard: a webhook may only call a public address of the internet.

Checked when an endpoint is saved and again before each request (DNS may change)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeTarget(ValueError):
    """The URL points at a private, loopback or otherwise internal address."""


def resolve_addresses(host: str, port: int) -> set[str]:
    return {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}


def ensure_public_target(url: str) -> None:
    """Refuse URLs that reach into our own network, unless the settings allow it.

    Checked when an endpoint is saved and again before each request (DNS may change)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("Use an http:// or https:// URL.")
    if settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE:
        return
    try:
        addresses = resolve_addresses(parts.hostname, parts.port or 443)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(f"Cannot resolve {parts.hostname}.") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeTarget(f"{parts.hostname} resolves to a private address ({ip}).")
