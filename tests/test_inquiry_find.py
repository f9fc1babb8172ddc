""" "Find my request": the reference and the phone number give back the tracking link; a
wrong phone and an unknown reference get the same answer."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from marketplace.inquiries.lookup import normalise_phone, normalise_reference
from marketplace.inquiries.models import EmailDelivery, Inquiry
from tests.inquiry_builders import group, submit
from tests.inquiry_helpers import url

pytest_plugins = ["tests.inquiry_fixtures"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(shop) -> Inquiry:
    return submit(group(shop.producer_a, (shop.rice_wine, 2))).submission.inquiries.get()


@pytest.fixture
def find(client, django_capture_on_commit_callbacks):
    def find(reference, phone, language="vi", client=client):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url("find", language), {"reference": reference, "phone": phone})

    return find


def answer(response) -> str:
    """The page without what differs between any two answers: the CSRF token, and the
    values typed, shown again to be corrected."""
    return re.sub(r' value="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("DB-2026-000123", "DB-2026-000123"),
        (" db-2026-000123 ", "DB-2026-000123"),
        ("DB 2026 123", "DB-2026-000123"),
        ("db2026000123", "DB-2026-000123"),
        ("DB–2026–000123", "DB-2026-000123"),
        ("2026-000123", None),
        ("DB-26-1", None),
        ("", None),
        ("x" * 40, None),
    ],
)
def test_references_as_people_type_them(typed, expected):
    assert normalise_reference(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0905 123 456", "+84905123456"),
        ("+84 905.123.456", "+84905123456"),
        ("84905123456", "+84905123456"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("12", None),
        ("abc", None),
    ],
)
def test_phone_numbers_as_people_type_them(typed, expected):
    assert normalise_phone(typed) == expected


def test_the_page(site, client):
    response = client.get(url("find"))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert 'name="reference"' in html and 'type="tel"' in html
    assert f'href="{url("find")}"' in html  # the footer links to it


@pytest.mark.parametrize("phone", ["0905 123 456", "+84905123456", "84 905 123 456"])
def test_the_reference_and_phone_show_the_link_and_email_it(inquiry, find, phone):
    response = find(inquiry.reference.lower(), phone)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{url("track", token=inquiry.token)}"' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    [message] = mail.outbox
    assert message.to == ["lan@example.com"]
    assert inquiry.reference in message.subject
    assert url("track", token=inquiry.token) in message.body
    assert EmailDelivery.objects.get().kind == "consumer_link"


def test_a_foreign_number_is_compared_in_e164(inquiry, find):
    # Stored as the request form stores a tourist's number (E.164), past the model field's
    # Vietnamese check of this branch.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Inquiry._meta.db_table)
        cursor.execute(
            f"UPDATE {table} SET phone = %s WHERE id = %s", ["+447700900123", inquiry.pk]
        )

    response = find(inquiry.reference, "+44 7700 900123", "en")

    assert url("track", "en", token=inquiry.token) in response.content.decode()


def test_without_an_email_address_the_link_is_only_shown(shop, find):
    inquiry = submit(group(shop.producer_a, (shop.rice_wine, 1)), email="")
    inquiry = inquiry.submission.inquiries.get()

    response = find(inquiry.reference, "0905123456", "en")

    assert url("track", "en", token=inquiry.token) in response.content.decode()
    assert "We have also sent this link" not in response.content.decode()
    assert not mail.outbox


def test_a_wrong_phone_and_an_unknown_reference_get_the_same_answer(inquiry, find):
    wrong_phone = find(inquiry.reference, "0905 999 999", "en")
    unknown = find("DB-2019-999999", "0905 123 456", "en")

    assert wrong_phone.status_code == unknown.status_code == 200
    assert answer(wrong_phone) == answer(unknown)
    assert "We found no request with this reference and this phone number" in answer(unknown)
    assert inquiry.token not in answer(wrong_phone)
    assert not mail.outbox


def test_an_anonymised_inquiry_is_not_found(inquiry, find):
    Inquiry.objects.filter(pk=inquiry.pk).update(anonymised_at=timezone.now())

    response = find(inquiry.reference, "0905 123 456", "en")

    assert inquiry.token not in response.content.decode()
    assert "We found no request" in response.content.decode()


@pytest.mark.parametrize(
    ("reference", "phone", "field"),
    [
        ("", "0905123456", "reference"),
        ("hello", "0905123456", "reference"),
        ("DB-2026-1", "1", "phone"),
    ],
)
def test_bad_input_says_what_to_fix(site, find, reference, phone, field):
    response = find(reference, phone, "en")

    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#find-{field}"' in html
    assert "We found no request" not in html


def test_guesses_are_limited_per_reference_from_any_address(inquiry, find, settings):
    settings.INQUIRY_RATE_LIMITS = {"find": (100, 600), "find_reference": (2, 3600)}
    for phone in ("0905 000 001", "0905 000 002"):
        assert find(inquiry.reference, phone, client=Client()).status_code == 200

    # The right phone, from another visitor, after the reference's guesses are used up.
    response = find(inquiry.reference, "0905 123 456", client=Client())

    assert response.status_code == 429
    assert inquiry.token not in response.content.decode()
    # Another reference is not held up.
    assert find("DB-2026-999999", "0905 123 456", client=Client()).status_code == 200


def test_guesses_are_limited_per_visitor(inquiry, find, settings):
    settings.INQUIRY_RATE_LIMITS = {"find": (2, 600)}
    find("DB-2026-999998", "0905 123 456")
    find("DB-2026-999999", "0905 123 456")

    response = find(inquiry.reference, "0905 123 456")

    assert response.status_code == 429
    assert inquiry.token not in response.content.decode()
