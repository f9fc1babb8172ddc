"""Fixtures for the certificate tests: products with certificates in every status.

Use with `pytest_plugins = ["tests.producer_accounts_fixtures", "tests.certificates_fixtures"]`.
"""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from marketplace.certificates.models import OcopCertificate
from products.models import ProductPage
from tests.factories import en, make_locality, make_producer, make_product
from tests.public_pages_fixtures import translate_page

# Issued a month ago: valid for about three years from whatever day the tests run.
ISSUED = timezone.localdate() - datetime.timedelta(days=30)


def certificate_of(product: ProductPage) -> OcopCertificate:
    return OcopCertificate.objects.get(page=product)


def make_certificate(
    producer, title: str, stars: int = 4, status: str = "verified", issued=ISSUED, **fields
) -> OcopCertificate:
    """A published product with one certificate, decided by the office (or pending)."""
    product = make_product(
        producer,
        title,
        stars=stars,
        certificate_issued=issued,
        certificate_status=status,
        **fields,
    )
    return certificate_of(product)


def set_expiry(certificate: OcopCertificate, expiry: datetime.date) -> OcopCertificate:
    """Set the last valid day in the database, keeping the office's decision (as a
    certificate decided with that date would have it)."""
    OcopCertificate.objects.filter(translation_key=certificate.translation_key).update(
        expiry_date=expiry
    )
    certificate.refresh_from_db()
    return certificate


def translated_product(product: ProductPage) -> ProductPage:
    """The product's English copy, under its producer's English copy."""
    producer = product.get_parent().specific
    if producer.get_translation_or_none(en()) is None:
        translate_page(producer, slug=f"{producer.slug}-en")
    return translate_page(product, title=f"{product.title} (EN)", slug=f"{product.slug}-en")


@pytest.fixture
def hoa_tien(site):
    """A producer in Điện Phương."""
    locality = make_locality("Điện Phương", "dien-phuong")
    return make_producer(site.producers, "HTX Hoa Tiến", locality=locality)


@pytest.fixture
def ha_my(site):
    """A producer in Điện Dương."""
    return make_producer(site.producers, "HTX Hà My", locality=make_locality())


@pytest.fixture
def certified(hoa_tien, ha_my) -> dict[str, OcopCertificate]:
    """One certificate in each state the office sees, by name."""
    today = timezone.localdate()
    certificates = {
        "pending": make_certificate(hoa_tien, "Nước mắm nhĩ", stars=4, status="pending"),
        "valid": make_certificate(hoa_tien, "Mắm nêm", stars=3),
        "rejected": make_certificate(ha_my, "Chiếu cói", stars=4, status="rejected"),
        "revoked": make_certificate(ha_my, "Bánh tráng", stars=5, status="revoked"),
        "expiring": make_certificate(ha_my, "Mì Quảng", stars=4),
        "expired": make_certificate(
            hoa_tien, "Trà sen", stars=4, issued=ISSUED - datetime.timedelta(days=400)
        ),
    }
    set_expiry(certificates["expiring"], today + datetime.timedelta(days=20))
    set_expiry(certificates["expired"], today - datetime.timedelta(days=1))
    return certificates


@pytest.fixture
def certify(db) -> Callable[..., OcopCertificate]:
    """make_certificate(producer, title, stars=4, status="verified", issued=ISSUED)."""
    return make_certificate


@pytest.fixture
def translate_product(db) -> Callable[[ProductPage], ProductPage]:
    return translated_product


@pytest.fixture
def decided(django_capture_on_commit_callbacks) -> Callable:
    """Run a block as a request does: what waits for its transaction's commit (search
    index updates) runs at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
