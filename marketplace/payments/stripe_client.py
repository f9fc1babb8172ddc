"""The Stripe client, configured from the settings.

STRIPE_API_BASE points it at another server with Stripe's API: stripe-mock in tests.
Requests give up after STRIPE_TIMEOUT seconds (5 to connect), so a hung Stripe costs a
visitor that long, not stripe-python's 80 s, and raise stripe.APIConnectionError, which
the views turn into a message.
"""

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CONNECT_TIMEOUT = 5  # seconds


def stripe_enabled() -> bool:
    """Whether card payment is configured: without its keys the site hides it.

    The webhook secret counts too: without it no payment could be confirmed.
    """
    return bool(
        settings.STRIPE_SECRET_KEY
        and settings.STRIPE_PUBLISHABLE_KEY
        and settings.STRIPE_WEBHOOK_SECRET
    )


def get_stripe_client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("STRIPE_SECRET_KEY is not set: card payment is off.")
    api_base = getattr(settings, "STRIPE_API_BASE", "") or stripe.DEFAULT_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": api_base},
        http_client=stripe.RequestsClient(timeout=(CONNECT_TIMEOUT, settings.STRIPE_TIMEOUT)),
        max_network_retries=settings.STRIPE_NETWORK_RETRIES,
    )
