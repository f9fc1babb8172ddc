"""Fixtures for paying inquiries: a producer with payment settings, confirmed inquiries
and Stripe test keys.

Use with `pytest_plugins = ["tests.inquiry_payment_fixtures"]` in a test module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from stripe._http_client import HTTPClient

from marketplace.inquiries.models import Inquiry
from producers.models import ProducerPage
from products.models import ProductPage
from tests.factories import make_producer, make_product
from tests.inquiry_builders import group, submit
from tests.inquiry_payment_helpers import PAYMENT_SETTINGS, confirm
from tests.stripe_service import TEST_PUBLISHABLE_KEY, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET


@pytest.fixture
def stripe_keys(settings):
    """Stripe test keys and no server: enough for the tracking page and webhooks."""
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = TEST_PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET
    return settings


@pytest.fixture
def producer(site) -> ProducerPage:
    """A producer taking every way to pay."""
    return make_producer(site.producers, "HTX Nước mắm Điện Dương", **PAYMENT_SETTINGS)


@pytest.fixture
def product(producer) -> ProductPage:
    return make_product(producer, "Nước mắm cá cơm", price_vnd=120_000, unit="chai 500 ml")


@pytest.fixture
def make_inquiry(producer, product) -> Callable[..., Inquiry]:
    """An inquiry for 10 bottles, sent in `language`, confirmed unless told otherwise."""

    def make(language: str = "vi", confirmed: bool = True, **contact) -> Inquiry:
        result = submit(group(producer, (product, 10)), language=language, **contact)
        inquiry = result.submission.inquiries.get()
        return confirm(inquiry) if confirmed else inquiry

    return make


@pytest.fixture
def inquiry(make_inquiry) -> Inquiry:
    return make_inquiry()


@dataclass(frozen=True)
class StripeRequest:
    """One request stripe-python made, and the headers the server answered with."""

    method: str
    path: str
    sent_headers: dict[str, str]
    answer_headers: dict[str, str]
    status: int

    @property
    def echoed_idempotency_key(self) -> str | None:
        """The Idempotency-Key as the server received it (stripe-mock echoes it back)."""
        return self.answer_headers.get("Idempotency-Key")


@pytest.fixture
def stripe_requests(monkeypatch) -> list[StripeRequest]:
    """Every request to the Stripe API in the test, as it went over the wire.

    A recording wrapper around stripe-python's HTTP client: each request still reaches
    stripe-mock and its answer is returned unchanged.
    """
    made: list[StripeRequest] = []
    send = HTTPClient.request_with_retries

    def recording(self, method, url, headers, post_data=None, *args, **kwargs):
        body, status, answer_headers = send(self, method, url, headers, post_data, *args, **kwargs)
        made.append(
            StripeRequest(method, urlsplit(url).path, dict(headers), dict(answer_headers), status)
        )
        return body, status, answer_headers

    monkeypatch.setattr(HTTPClient, "request_with_retries", recording)
    return made
