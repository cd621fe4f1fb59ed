"""The private-network guard: a webhook may only call a public address of the internet.

Checked when an endpoint is saved and again before each request (DNS may change). An IPv6
address can carry an IPv4 one inside it (NAT64, 6to4, IPv4-mapped, -translated and
-compatible forms): a gateway or the host's own stack delivers it to that IPv4 address, so the
embedded address must be public too.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

IPv4 = ipaddress.IPv4Address
IPv6 = ipaddress.IPv6Address

# Prefixes whose addresses end in an IPv4 address (the last 32 bits).
IPV4_IN_LAST_32_BITS = [
    ipaddress.ip_network(prefix)
    for prefix in (
        "64:ff9b::/96",  # NAT64, the well-known prefix (RFC 6052)
        "64:ff9b:1::/48",  # NAT64, local use (RFC 8215), most often deployed as a /96
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT, RFC 7915)
        "::/96",  # IPv4-compatible (deprecated, still routed by some stacks)
    )
]
# Local-use NAT64 translates inside an operator's own network, wherever in it the operator
# put the IPv4 address (RFC 6052 allows several places): never a public target.
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")


class UnsafeTarget(ValueError):
    """The URL points at a private, loopback or otherwise internal address."""


def embedded_ipv4(ip: IPv4 | IPv6) -> list[IPv4]:
    """The IPv4 addresses that traffic to `ip` may end up at, besides `ip` itself."""
    if ip.version == 4:
        return []
    embedded = []
    # :: and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
    if int(ip) > 1 and any(ip in network for network in IPV4_IN_LAST_32_BITS):
        embedded.append(IPv4(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        embedded.append(ip.sixtofour)
    return embedded


def is_public(ip: IPv4 | IPv6) -> bool:
    return ip.is_global and not ip.is_multicast and ip not in NAT64_LOCAL_USE


def resolve_addresses(host: str, port: int) -> set[str]:
    return {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}


def ensure_public_target(url: str) -> None:
    """Refuse URLs that reach into our own network, unless the settings allow it.

    Every address the host resolves to, and every IPv4 address embedded in one, must be a
    public one. Checked when an endpoint is saved and again before each request."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("Use an http:// or https:// URL.")
    if settings.MILESTONES_WEBHOOK_ALLOW_PRIVATE:
        return
    try:
        addresses = resolve_addresses(parts.hostname, parts.port or 443)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise UnsafeTarget(f"Cannot resolve {parts.hostname}.") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        for reached in (ip, *embedded_ipv4(ip)):
            if not is_public(reached):
                raise UnsafeTarget(f"{parts.hostname} resolves to a private address ({reached}).")
