"""Rate limits of review forms, counted like the inquiry forms' (by address and session,
in marketplace.ratelimits' atomic counters). settings.REVIEW_RATE_LIMIT overrides it."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from marketplace.inquiries.ratelimit import counter_keys
from marketplace.ratelimits.counter import take_all

SCOPE = "review"
# A household may review every product of a few orders at once; a robot may not.
DEFAULT_LIMIT = (20, 10 * 60)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def review_limit() -> Limit:
    count, seconds = getattr(settings, "REVIEW_RATE_LIMIT", DEFAULT_LIMIT)
    return Limit(count, seconds)


def hit(request: HttpRequest) -> bool:
    """Count this review post unless the visitor is over the limit; True when limited."""
    limit = review_limit()
    return not take_all(counter_keys(request, SCOPE), limit.count, limit.seconds)
