"""Stripe webhooks: an event is trusted only when Stripe's signature over it checks out.

Stripe signs `"<timestamp>.<body>"` with HMAC-SHA256 and the endpoint's secret and sends
`Stripe-Signature: t=<timestamp>,v1=<hex digest>`. An old timestamp means a replay.
"""

import stripe
from django.conf import settings

from .stripe_client import get_stripe_client

# Seconds a signature stays valid: Stripe's own default.
TOLERANCE = 300


class InvalidWebhook(Exception):
    """The request is not an event that Stripe sent: answer 400 and change nothing."""


def verify_event(payload: bytes, signature_header: str | None) -> stripe.Event:
    """The event in a webhook request's raw body, once its signature is verified.

    Raises InvalidWebhook for a missing, wrong or stale signature and for a body that is
    not an event.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise InvalidWebhook("STRIPE_WEBHOOK_SECRET is not set: no event can be verified.")
    try:
        return get_stripe_client().construct_event(
            payload, signature_header, secret, tolerance=TOLERANCE
        )
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(f"Bad Stripe signature: {error.user_message}") from error
    except ValueError as error:
        # A signed body that is not UTF-8, not JSON or not an event.
        raise InvalidWebhook(f"Not a Stripe event: {error}") from error
