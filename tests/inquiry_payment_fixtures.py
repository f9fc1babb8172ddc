"""Fixtures for paying inquiries: a producer with payment settings, confirmed inquiries
and Stripe test keys.

Use with `pytest_plugins = ["tests.inquiry_payment_fixtures"]` in a test module.
"""

from collections.abc import Callable

import pytest

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
