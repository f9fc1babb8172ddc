import datetime

import pytest
from django.core.exceptions import ValidationError

from marketplace.certificates import ocop
from marketplace.certificates.models import OcopCertificate
from marketplace.core.fields import normalise_vietnamese_phone
from products.models import ProductPage
from tests.factories import make_producer, make_product


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0905 123 456", "+84905123456"),
        ("+84 905.123.456", "+84905123456"),
        ("84905123456", "+84905123456"),
        ("0235 3867 123", "+842353867123"),
    ],
)
def test_vietnamese_phone_numbers_are_normalised(typed, stored):
    assert normalise_vietnamese_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0905", "+1 415 555 0100", "abc"])
def test_other_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_vietnamese_phone(typed)


def test_default_expiry_is_36_months_after_issue():
    assert ocop.default_expiry(datetime.date(2021, 7, 21)) == datetime.date(2024, 7, 20)
    assert ocop.default_expiry(datetime.date(2020, 2, 29)) == datetime.date(2023, 2, 27)


@pytest.mark.parametrize(
    "fields, field_in_error",
    [
        ({"stars": 2}, "stars"),
        ({"stars": 5, "issuing_level": "province"}, "issuing_level"),
        ({"stars": 4, "issuing_level": "central"}, "issuing_level"),
        ({"issuing_level": "district", "issue_date": datetime.date(2025, 8, 1)}, "issuing_level"),
        ({"expiry_date": datetime.date(2020, 1, 1)}, "expiry_date"),
        ({"score": 95}, "score"),
    ],
)
def test_certificate_rules(fields, field_in_error):
    values = {
        "stars": 3,
        "issuing_level": "province",
        "issue_date": datetime.date(2024, 1, 10),
        "decision_number": "1/QĐ-UBND",
        "issuing_body": "UBND tỉnh",
    }
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        OcopCertificate(**values).clean()
    assert field_in_error in error.value.message_dict


def test_valid_certificate_gets_its_default_expiry():
    certificate = OcopCertificate(
        stars=4,
        score=75,
        issuing_level="province",
        issue_date=datetime.date(2024, 1, 10),
        decision_number="1/QĐ-UBND",
        issuing_body="UBND tỉnh",
    )
    certificate.clean()
    assert certificate.expiry_date == datetime.date(2027, 1, 9)


def test_price_is_required_unless_on_request(site):
    product = ProductPage(title="Nước mắm", price_vnd=None, price_on_request=False)
    with pytest.raises(ValidationError) as error:
        product.clean()
    assert "price_vnd" in error.value.message_dict
    product.price_on_request = True
    product.clean()


def test_product_valid_certificate_ignores_expired(site):
    producer = make_producer(site.producers)
    product = make_product(producer, stars=4, certificate_issued=datetime.date(2020, 1, 1))
    assert product.valid_ocop_certificate() is None
    assert product.valid_ocop_certificate(on=datetime.date(2021, 1, 1)).stars == 4
