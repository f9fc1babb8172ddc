"""Counting a visitor's requests, to slow down spam and floods.

A visitor is counted twice: by IP address and by session, each with its own counter, and
is limited when either is full. The counters are marketplace.ratelimits' (fixed windows
that start with the first request, kept in the database): a request takes its slot in
one atomic step, so parallel requests from one visitor cannot get past the limit, on any
number of worker processes.

The IP address is marketplace.core.client_address's: behind a reverse proxy, set
TRUSTED_PROXIES and CLIENT_IP_HEADER so that each visitor counts on their own.

Limits are set per scope in settings.INQUIRY_RATE_LIMITS, e.g. {"submit": (5, 600)}: at
most 5 requests in 600 seconds.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from marketplace.core.client_address import client_address
from marketplace.ratelimits.counter import counter, take_all

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Sent request forms: each makes one inquiry per producer and emails them.
    "submit": (5, 10 * 60),
    # Additions to the list: generous, a visitor may click through a whole listing.
    "add": (60, 10 * 60),
    # "Pay by card": each click asks Stripe for the open Checkout session (or a new one).
    "pay": (10, 10 * 60),
    # Cancellations on the tracking page: a few per visitor is all anyone needs.
    "cancel": (10, 10 * 60),
    # "Find my request", per visitor and, so that many addresses cannot try phone numbers
    # for one reference, per reference typed (existing or not: the limit tells nothing).
    "find": (10, 10 * 60),
    "find_reference": (10, 60 * 60),
}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def limit_for(scope: str) -> Limit:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "INQUIRY_RATE_LIMITS", {})}
    count, seconds = limits[scope]
    return Limit(count, seconds)


def _digest(value: str) -> str:
    # No address or session id is stored in clear.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def counter_keys(request: HttpRequest, scope: str) -> list[str]:
    keys = []
    if ip := client_address(request):
        keys.append(f"inquiries:{scope}:ip:{_digest(ip)}")
    if session_key := request.session.session_key:
        keys.append(f"inquiries:{scope}:session:{_digest(session_key)}")
    return keys


def is_limited(request: HttpRequest, scope: str) -> bool:
    """True when this visitor has used up the scope's limit; counts nothing."""
    limit = limit_for(scope)
    return any(counter().used(key) >= limit.count for key in counter_keys(request, scope))


def hit(request: HttpRequest, scope: str) -> bool:
    """Count this request unless the visitor is over the limit; True when limited."""
    limit = limit_for(scope)
    return not take_all(counter_keys(request, scope), limit.count, limit.seconds)


def hit_value(scope: str, value: str) -> bool:
    """Count a request about `value` (a reference typed, say) whoever sends it, unless
    the scope's limit for it is used up; True when limited."""
    limit = limit_for(scope)
    key = f"inquiries:{scope}:value:{_digest(value)}"
    return not take_all([key], limit.count, limit.seconds)
