"""Stripe webhooks: an event is trusted only when Stripe's signature over it checks out.

Stripe signs `"<timestamp>.<body>"` with HMAC-SHA256 and the endpoint's secret and sends
`Stripe-Signature: t=<timestamp>,v1=<hex digest>`. A timestamp further than the tolerance
from now, in the past (a replay) or in the future (a signature made to be replayed later,
or a clock far off), is refused.
"""

import time

import stripe
from django.conf import settings

from .stripe_client import get_stripe_client

# Seconds a signature stays valid: Stripe's own default.
TOLERANCE = 300


class InvalidWebhook(Exception):
    """The request is not an event that Stripe sent: answer 400 and change nothing."""


def verify_event(payload: bytes, signature_header: str | None) -> stripe.Event:
    """The event in a webhook request's raw body, once its signature is verified.

    Raises InvalidWebhook for a missing or wrong signature, one whose timestamp is outside
    the tolerance either way, and for a body that is not an event.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise InvalidWebhook("STRIPE_WEBHOOK_SECRET is not set: no event can be verified.")
    try:
        event = get_stripe_client().construct_event(
            payload, signature_header, secret, tolerance=TOLERANCE
        )
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(f"Bad Stripe signature: {error.user_message}") from error
    except ValueError as error:
        # A signed body that is not UTF-8, not JSON or not an event.
        raise InvalidWebhook(f"Not a Stripe event: {error}") from error
    # stripe-python has refused a stale timestamp; one from the future is refused here.
    check_timestamp(signature_header)
    return event


def check_timestamp(signature_header: str) -> None:
    """Refuse a verified header whose timestamp is more than TOLERANCE seconds from now.

    stripe-python bounds only the past; this bounds both ways, in one place.
    """
    timestamp = signed_at(signature_header)
    if abs(time.time() - timestamp) > TOLERANCE:
        raise InvalidWebhook(
            f"Bad Stripe signature: Timestamp outside the tolerance zone ({timestamp})"
        )


def signed_at(signature_header: str) -> int:
    """The `t=` of a Stripe-Signature header that stripe-python has already verified, read
    as stripe-python reads it (the first one)."""
    for item in signature_header.split(","):
        key, _, value = item.partition("=")
        if key == "t":
            return int(value)
    raise InvalidWebhook("Bad Stripe signature: no timestamp")
