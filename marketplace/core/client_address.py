"""The visitor's IP address, also behind a reverse proxy: `client_address(request)`.

Every piece of code that needs the client's address (rate limits, the admin's login
throttling) asks this function, never REMOTE_ADDR or a header directly.

REMOTE_ADDR is the peer that opened the connection: the visitor, or a reverse proxy in
front of the site. Behind a proxy it is the proxy's address, or empty when the proxy
talks to the WSGI server over a unix socket. Two settings say which peers are proxies of
ours and where they put the client's address:

- TRUSTED_PROXIES: addresses and networks of the proxies ("127.0.0.1", "10.0.0.0/8",
  "::1"), and "unix" for a peer on a unix socket (an empty REMOTE_ADDR). Empty: no proxy,
  REMOTE_ADDR is the client.
- CLIENT_IP_HEADER: the header those proxies set, "X-Forwarded-For" (a list each proxy
  appends its peer to) or "X-Real-IP" (one address).

The header is read only when the request came from a trusted proxy, since any client can
send it; then the client is its right-most address that is not a trusted proxy (those to
its left were written by whoever connected to our first proxy, and may be forged).

This module imports only Django and the standard library: the settings check
TRUSTED_PROXIES with `parse_trusted_proxies()` before any app is loaded.
"""

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

# The TRUSTED_PROXIES entry for a proxy on a unix socket: its REMOTE_ADDR is empty.
UNIX_SOCKET = "unix"
DEFAULT_HEADER = "X-Forwarded-For"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...]
    unix_socket: bool

    def trust(self, address: Address | None) -> bool:
        """Whether a peer at `address` (None: a unix socket) is one of our proxies."""
        if address is None:
            return self.unix_socket
        return any(address in network for network in self.networks)


@lru_cache(maxsize=8)
def parse_trusted_proxies(entries: tuple[str, ...]) -> TrustedProxies:
    """TRUSTED_PROXIES read: ImproperlyConfigured names an entry that is not an address,
    a network or "unix"."""
    networks = []
    unix_socket = False
    for entry in entries:
        entry = entry.strip()
        if entry.lower() == UNIX_SOCKET:
            unix_socket = True
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address, a network such as "
                f"10.0.0.0/8, or {UNIX_SOCKET!r} (a proxy on a unix socket)."
            ) from None
    return TrustedProxies(tuple(networks), unix_socket)


def parse_address(value: str) -> Address | None:
    """An IP address, or None for anything else (empty, a socket path, a host name)."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):  # an IPv6 address as in URLs
        value = value[1:-1]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d: one client, one key.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text, or "" when it cannot be known."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    proxies = parse_trusted_proxies(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not proxies.trust(peer):
        return str(peer) if peer else ""
    header = getattr(settings, "CLIENT_IP_HEADER", DEFAULT_HEADER) or DEFAULT_HEADER
    nearest = peer
    for entry in reversed(request.META.get(_meta_key(header), "").split(",")):
        address = parse_address(entry)
        if address is None:
            # Not written by a proxy of ours: nothing from here leftwards can be trusted.
            break
        nearest = address
        if not proxies.trust(address):
            return str(address)
    # Only proxies of ours on the way (a health check from the proxy's own host).
    return str(nearest) if nearest else ""


def client_address_or_none(request: HttpRequest) -> str | None:
    """client_address(), None when unknown: for an IP-address column (django-axes')."""
    return client_address(request) or None
