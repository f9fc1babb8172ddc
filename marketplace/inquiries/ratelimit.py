"""Counting a visitor's requests in the cache, to slow down spam and floods.

A visitor is counted twice: by IP address and by session, each with its own counter, and
is limited when either is full. Counters live in Django's cache (fixed windows that start
with the first request), so several processes need a shared cache (Redis, Memcached,
the database cache) for the limits to hold across them.

The IP address is REMOTE_ADDR. Behind a reverse proxy every visitor would share the
proxy's address: the proxy must then set REMOTE_ADDR to the client's (e.g. uWSGI's or
Gunicorn's forwarded-address settings, or a middleware you trust). X-Forwarded-For is
never read here, because any client can send it.

Limits are set per scope in settings.INQUIRY_RATE_LIMITS, e.g. {"submit": (5, 600)}: at
most 5 requests in 600 seconds.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Sent request forms: each makes one inquiry per producer and emails them.
    "submit": (5, 10 * 60),
    # Additions to the list: generous, a visitor may click through a whole listing.
    "add": (60, 10 * 60),
    # "Pay by card": each click creates a Stripe Checkout session.
    "pay": (10, 10 * 60),
}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def limit_for(scope: str) -> Limit:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "INQUIRY_RATE_LIMITS", {})}
    count, seconds = limits[scope]
    return Limit(count, seconds)


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _digest(value: str) -> str:
    # Short and safe for any cache backend's keys; no session id is stored in clear.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def counter_keys(request: HttpRequest, scope: str) -> list[str]:
    keys = []
    if ip := client_ip(request):
        keys.append(f"inquiries:ratelimit:{scope}:ip:{_digest(ip)}")
    if session_key := request.session.session_key:
        keys.append(f"inquiries:ratelimit:{scope}:session:{_digest(session_key)}")
    return keys


def is_limited(request: HttpRequest, scope: str) -> bool:
    """True when this visitor has used up the scope's limit; counts nothing."""
    limit = limit_for(scope)
    return any(cache.get(key, 0) >= limit.count for key in counter_keys(request, scope))


def record(request: HttpRequest, scope: str) -> None:
    """Count one request of this visitor in the scope."""
    limit = limit_for(scope)
    for key in counter_keys(request, scope):
        # add() starts the window only if it is not running; incr() is atomic where the
        # backend supports it (all but the dummy cache).
        cache.add(key, 0, timeout=limit.seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=limit.seconds)


def hit(request: HttpRequest, scope: str) -> bool:
    """Count this request unless the visitor is over the limit; True when limited."""
    if is_limited(request, scope):
        return True
    record(request, scope)
    return False
