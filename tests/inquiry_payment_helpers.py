"""Helpers for the payment tests: the producer's bank details, confirming an inquiry,
and webhook events signed as Stripe signs them."""

import json
import time

from django.test import Client
from django.urls import reverse

from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.status import change_status
from tests.test_stripe_mock import sign

Status = Inquiry.Status

# 1 250 000 đồng: VND has no minor unit, so Stripe takes it as it is, not × 100.
AMOUNT_VND = 1_250_000
BANK_BIN = "970436"  # Vietcombank
ACCOUNT_NUMBER = "0071000123456"
ACCOUNT_HOLDER = "HTX NUOC MAM DIEN DUONG"

PAYMENT_SETTINGS = {
    "accepts_card_payment": True,
    "accepts_cash_on_delivery": True,
    "bank_bin": BANK_BIN,
    "bank_account_number": ACCOUNT_NUMBER,
    "bank_account_holder": ACCOUNT_HOLDER,
}


def confirm(inquiry: Inquiry, amount_vnd: int = AMOUNT_VND) -> Inquiry:
    change_status(
        inquiry,
        Status.CONFIRMED,
        amount_vnd=amount_vnd,
        note="10 chai, giao thứ Bảy.",
    )
    return inquiry


def event(event_type: str, data: dict, event_id: str = "evt_test_1") -> bytes:
    """A webhook event's body as Stripe sends it."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": data},
        }
    ).encode()


def last_session_id(inquiry: Inquiry) -> str:
    """The inquiry's latest Checkout session made by the pay button, else a made-up one."""
    payment = inquiry.card_payments.exclude(checkout_session=None).order_by("-pk").first()
    return payment.checkout_session if payment else "cs_test_1"


def completed_session(inquiry: Inquiry, **overrides) -> dict:
    """The Checkout session of a `checkout.session.completed` event for `inquiry`: its
    latest one unless `id` says otherwise, paid with the payment `pi_test_1`."""
    session_id = overrides.pop("id", None) or last_session_id(inquiry)
    return {
        "id": session_id,
        "object": "checkout.session",
        "payment_intent": "pi_test_1",
        "amount_total": inquiry.confirmed_amount_vnd,
        "currency": "vnd",
        "client_reference_id": inquiry.reference,
        "metadata": {"inquiry_reference": inquiry.reference, "inquiry_id": str(inquiry.pk)},
        "payment_status": "paid",
        "status": "complete",
        **overrides,
    }


def post_event(client: Client, body: bytes, signature: str | None = None):
    """POST a webhook event to the endpoint, signed with the test secret unless told."""
    headers = {"HTTP_STRIPE_SIGNATURE": sign(body) if signature is None else signature}
    return client.post(reverse("stripe_webhook"), body, content_type="application/json", **headers)


def refunded_charge(
    inquiry: Inquiry,
    refunded_vnd: int,
    payment_intent: str = "pi_test_1",
    amount_vnd: int | None = None,
) -> dict:
    """The charge of a `charge.refunded` event: `refunded_vnd` paid back so far of the
    payment `payment_intent` for `inquiry` (of its confirmed amount unless told)."""
    amount = inquiry.confirmed_amount_vnd if amount_vnd is None else amount_vnd
    return {
        "id": f"ch_{payment_intent}",
        "object": "charge",
        "amount": amount,
        "amount_refunded": refunded_vnd,
        "currency": "vnd",
        "refunded": refunded_vnd == amount,
        "payment_intent": payment_intent,
        "metadata": {"inquiry_reference": inquiry.reference, "inquiry_id": str(inquiry.pk)},
    }
