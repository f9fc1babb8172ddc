"""Stripe: the client from the settings against stripe-mock, and webhook signatures."""

import hashlib
import hmac
import json
import logging
import re
import time
from urllib.parse import parse_qs

import pytest
import stripe
from django.core.exceptions import ImproperlyConfigured

from marketplace.payments.stripe_client import get_stripe_client, stripe_enabled
from marketplace.payments.stripe_webhooks import TOLERANCE, InvalidWebhook, verify_event
from tests.stripe_service import TEST_SECRET_KEY, TEST_WEBHOOK_SECRET

REFERENCE = "DB-2026-000123"
# 1 250 000 đồng: VND has no minor unit, so Stripe takes the amount as it is, not × 100.
AMOUNT_VND = 1_250_000


def checkout_params(reference: str, amount_vnd: int) -> dict:
    return {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "vnd",
                    "unit_amount": amount_vnd,
                    "product_data": {"name": f"Chợ OCOP {reference}"},
                },
                "quantity": 1,
            }
        ],
        "client_reference_id": reference,
        "metadata": {"inquiry_reference": reference},
        "success_url": "https://cho-ocop.example.org/vi/inquiry/token/paid/",
        "cancel_url": "https://cho-ocop.example.org/vi/inquiry/token/",
        "locale": "vi",
    }


def sent_params(caplog: pytest.LogCaptureFixture) -> dict[str, list[str]]:
    """The form body of the last request stripe-python sent, from its debug log."""
    bodies = re.findall(r"post_data=(\S*)", caplog.text)
    assert bodies, "stripe-python logged no request body"
    return parse_qs(bodies[-1])


# The client against stripe-mock


@pytest.mark.stripe_mock
def test_checkout_session_in_vnd_against_stripe_mock(stripe_api, caplog):
    caplog.set_level(logging.DEBUG, logger="stripe")

    session = stripe_api.v1.checkout.sessions.create(params=checkout_params(REFERENCE, AMOUNT_VND))

    assert isinstance(session, stripe.checkout.Session)
    assert session.object == "checkout.session"
    assert session.id.startswith("cs_test_")
    assert session.mode == "payment"
    assert session.status == "open"
    assert session.payment_status == "unpaid"
    assert session.url.startswith("https://checkout.stripe.com/")
    # stripe-mock echoes these request fields back (not the metadata, nor the amounts).
    assert session.client_reference_id == REFERENCE
    assert session.locale == "vi"
    # What went over the wire, and stripe-mock accepted against Stripe's API schema.
    sent = sent_params(caplog)
    assert sent["line_items[0][price_data][unit_amount]"] == ["1250000"]
    assert sent["line_items[0][price_data][currency]"] == ["vnd"]
    assert sent["line_items[0][quantity]"] == ["1"]
    assert sent["client_reference_id"] == [REFERENCE]
    assert sent["metadata[inquiry_reference]"] == [REFERENCE]


@pytest.mark.stripe_mock
def test_stripe_mock_refuses_what_stripe_would_refuse(stripe_api):
    params = checkout_params(REFERENCE, AMOUNT_VND)
    params["line_items"][0]["price_data"]["unit_amount"] = "12.50"

    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_api.v1.checkout.sessions.create(params=params)
    assert error.value.http_status == 400
    assert "unit_amount" in str(error.value)


@pytest.mark.stripe_mock
def test_the_test_key_reaches_stripe_mock_and_a_wrong_key_does_not(settings, stripe_api):
    assert stripe_api.v1.balance.retrieve().object == "balance"

    settings.STRIPE_SECRET_KEY = "not-a-key"
    with pytest.raises(stripe.AuthenticationError):
        get_stripe_client().v1.balance.retrieve()


# Settings


@pytest.fixture
def stripe_keys(settings):
    """Test keys, with no server: enough to verify webhooks."""
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET
    return settings


def test_without_keys_card_payment_is_off(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert not stripe_enabled()
    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY"):
        get_stripe_client()


def test_card_payment_needs_all_three_keys(stripe_keys):
    assert stripe_enabled()
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
        value = getattr(stripe_keys, name)
        setattr(stripe_keys, name, "")
        assert not stripe_enabled()
        setattr(stripe_keys, name, value)


# Webhook signatures, made exactly as Stripe makes them


def sign(payload: bytes, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A Stripe-Signature header: HMAC-SHA256 of "<timestamp>.<payload>" with the secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def completed_event() -> bytes:
    return json.dumps(
        {
            "id": "evt_test_1",
            "object": "event",
            "type": "checkout.session.completed",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "data": {
                "object": {
                    "id": "cs_test_1",
                    "object": "checkout.session",
                    "amount_total": AMOUNT_VND,
                    "currency": "vnd",
                    "client_reference_id": REFERENCE,
                    "metadata": {"inquiry_reference": REFERENCE},
                    "payment_status": "paid",
                }
            },
        }
    ).encode()


def test_a_good_signature_gives_the_event(stripe_keys):
    payload = completed_event()

    event = verify_event(payload, sign(payload))

    assert isinstance(event, stripe.Event)
    assert event.id == "evt_test_1"
    assert event.type == "checkout.session.completed"
    session = event.data.object
    assert session.client_reference_id == REFERENCE
    assert session.metadata["inquiry_reference"] == REFERENCE
    assert session.amount_total == AMOUNT_VND


def test_one_good_signature_among_several_is_enough(stripe_keys):
    # While a secret is rolled, Stripe signs with the old and the new one.
    payload = completed_event()
    timestamp = int(time.time())
    good = sign(payload, timestamp=timestamp).split(",v1=")[1]
    old = sign(payload, "whsec_old", timestamp).split(",v1=")[1]

    event = verify_event(payload, f"t={timestamp},v1={old},v1={good}")
    assert event.id == "evt_test_1"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(lambda payload: sign(payload, "whsec_other"), id="other secret"),
        pytest.param(lambda payload: sign(payload + b" "), id="other payload"),
        pytest.param(lambda payload: sign(payload).replace("v1=", "v0="), id="other scheme"),
        pytest.param(lambda payload: sign(payload).split(",")[0], id="no signature"),
        pytest.param(lambda payload: "t=soon,v1=abc", id="malformed"),
        pytest.param(lambda payload: "", id="empty"),
        pytest.param(lambda payload: None, id="missing"),
    ],
)
def test_a_bad_signature_is_refused(stripe_keys, header):
    payload = completed_event()

    with pytest.raises(InvalidWebhook, match="Bad Stripe signature"):
        verify_event(payload, header(payload))


def test_a_stale_signature_is_refused(stripe_keys):
    payload = completed_event()
    now = int(time.time())

    with pytest.raises(InvalidWebhook, match="Timestamp outside the tolerance zone"):
        verify_event(payload, sign(payload, timestamp=now - TOLERANCE - 1))
    # Within the five minutes, the same event is taken.
    assert verify_event(payload, sign(payload, timestamp=now - TOLERANCE + 10)).id == "evt_test_1"


def test_a_signature_from_the_future_is_refused(stripe_keys):
    # stripe-python bounds only the past: a header signed ahead of time (a clock far off,
    # or a signature made to be replayed later) would stay valid until its time had come.
    payload = completed_event()
    now = int(time.time())

    with pytest.raises(InvalidWebhook, match="Timestamp outside the tolerance zone"):
        verify_event(payload, sign(payload, timestamp=now + TOLERANCE + 60))
    # A clock a little ahead is within the tolerance, as Stripe allows for the past.
    assert verify_event(payload, sign(payload, timestamp=now + TOLERANCE - 10)).id == "evt_test_1"


def test_tolerance_is_stripes_five_minutes():
    assert TOLERANCE == 300


@pytest.mark.parametrize("payload", [b"not json", b"\xff\xfe", b'{"object": "v2.core.event"}'])
def test_a_signed_body_that_is_not_an_event_is_refused(stripe_keys, payload):
    with pytest.raises(InvalidWebhook, match="Not a Stripe event"):
        verify_event(payload, sign(payload))


def test_without_a_webhook_secret_nothing_is_verified(stripe_keys):
    payload = completed_event()
    header = sign(payload)
    stripe_keys.STRIPE_WEBHOOK_SECRET = ""

    with pytest.raises(InvalidWebhook, match="STRIPE_WEBHOOK_SECRET"):
        verify_event(payload, header)
