"""Stripe's webhook: only a verified, first-seen event changes an inquiry, and every event
is answered as Stripe expects (400 for what Stripe did not send, 200 for the rest)."""

import logging
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from marketplace.inquiries.models import Inquiry, StripeEvent
from marketplace.inquiries.payments import payment_options
from marketplace.inquiries.status import change_status
from marketplace.payments.stripe_webhooks import TOLERANCE
from tests.inquiry_payment_helpers import completed_session, event, post_event, refunded_charge
from tests.test_stripe_mock import sign

pytest_plugins = ["tests.inquiry_payment_fixtures"]

Status = Inquiry.Status
Method = Inquiry.PaymentMethod


def assert_unchanged(inquiry: Inquiry, status: str = Status.CONFIRMED) -> None:
    changes = inquiry.changes.count()
    inquiry.refresh_from_db()
    assert inquiry.status == status
    assert inquiry.changes.count() == changes


def recorded(event_id: str = "evt_test_1") -> StripeEvent:
    return StripeEvent.objects.get(event_id=event_id)


def payment_intent(inquiry: Inquiry) -> dict:
    return {
        "id": "pi_test_1",
        "object": "payment_intent",
        "amount": inquiry.confirmed_amount_vnd,
        "currency": "vnd",
        "status": "requires_payment_method",
        "metadata": {"inquiry_reference": inquiry.reference, "inquiry_id": str(inquiry.pk)},
    }


def pay_by_card(client, inquiry: Inquiry, event_id: str = "evt_paid") -> None:
    body = event("checkout.session.completed", completed_session(inquiry), event_id)
    assert post_event(client, body).status_code == 200
    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID


# A completed Checkout session


def test_a_completed_session_marks_the_inquiry_paid(
    stripe_keys, client, inquiry, django_capture_on_commit_callbacks
):
    body = event("checkout.session.completed", completed_session(inquiry))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, body)

    assert response.status_code == 200
    assert response.json() == {"outcome": "paid"}
    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID
    assert inquiry.payment_method == Method.CARD
    change = inquiry.changes.last()
    assert (change.from_status, change.to_status) == (Status.CONFIRMED, Status.PAID)
    assert change.source == "stripe"
    assert change.user is None
    assert change.note == "Đã thanh toán bằng thẻ."  # in the consumer's language
    assert recorded().inquiry == inquiry
    assert recorded().outcome == "paid"
    assert recorded().type == "checkout.session.completed"
    # The consumer hears of it like of any status change.
    assert [message.to for message in mail.outbox] == [["lan@example.com"]]


def test_the_note_is_in_an_english_consumers_language(stripe_keys, client, make_inquiry):
    inquiry = make_inquiry(language="en")

    pay_by_card(client, inquiry)

    assert inquiry.changes.last().note == "Paid by card."


def test_a_replayed_event_changes_nothing(stripe_keys, client, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry))
    assert post_event(client, body).status_code == 200

    # Stripe retries with a fresh signature; an attacker may resend the captured one.
    again = post_event(client, body)
    signed_before = post_event(client, body, sign(body, timestamp=int(time.time()) - 60))

    assert again.status_code == signed_before.status_code == 200
    assert again.json() == {"outcome": "already handled"}
    assert inquiry.changes.filter(to_status=Status.PAID).count() == 1
    assert StripeEvent.objects.count() == 1


def test_the_same_session_reported_by_another_event_is_recorded_once(stripe_keys, client, inquiry):
    pay_by_card(client, inquiry)

    # "async_payment_succeeded" after "completed", or Stripe resending under a new id.
    body = event("checkout.session.async_payment_succeeded", completed_session(inquiry), "evt_2")
    response = post_event(client, body)

    assert response.json() == {"outcome": "payment already recorded"}
    assert inquiry.changes.filter(to_status=Status.PAID).count() == 1
    [payment] = inquiry.card_payments.all()
    assert payment.settles_inquiry
    assert payment.review == ""


@pytest.mark.parametrize(
    "session_changes",
    [
        pytest.param({"amount_total": 125_000_000}, id="amount × 100"),
        pytest.param({"amount_total": 1_000}, id="less"),
        pytest.param({"currency": "usd"}, id="other currency"),
    ],
)
def test_an_amount_mismatch_leaves_the_inquiry_unchanged(
    stripe_keys, client, inquiry, caplog, session_changes
):
    body = event("checkout.session.completed", completed_session(inquiry, **session_changes))

    with caplog.at_level(logging.WARNING, logger="marketplace.inquiries.webhooks"):
        response = post_event(client, body)

    assert response.status_code == 200
    assert response.json() == {"outcome": "amount mismatch: for the office to decide"}
    assert_unchanged(inquiry)
    assert recorded().inquiry == inquiry
    assert recorded().outcome == "amount mismatch: for the office to decide"
    assert (
        f"for {inquiry.reference} (status confirmed, confirmed 1250000 VND): not marked paid"
        in caplog.text
    )
    # The money was taken all the same: the office decides whether to refund it.
    payment = inquiry.card_payments.get()
    assert (payment.state, payment.reason, payment.review) == ("paid", "amount", "pending")
    assert not payment.settles_inquiry


def test_an_unknown_reference_changes_nothing(stripe_keys, client, inquiry):
    session = completed_session(
        inquiry, client_reference_id="DB-2026-999999", metadata={"inquiry_reference": "x"}
    )

    response = post_event(client, event("checkout.session.completed", session))

    assert response.status_code == 200
    assert response.json() == {"outcome": "unknown reference"}
    assert_unchanged(inquiry)
    assert recorded().inquiry is None


def test_the_reference_in_the_metadata_is_enough(stripe_keys, client, inquiry):
    session = completed_session(inquiry, client_reference_id=None)

    response = post_event(client, event("checkout.session.completed", session))

    assert response.json() == {"outcome": "paid"}


def test_a_session_paid_after_the_inquiry_was_cancelled_is_left_for_a_refund(
    stripe_keys, client, inquiry, caplog
):
    change_status(inquiry, Status.CANCELLED, note="Hết hàng.")

    with caplog.at_level(logging.WARNING, logger="marketplace.inquiries.webhooks"):
        response = post_event(
            client, event("checkout.session.completed", completed_session(inquiry))
        )

    assert response.json() == {"outcome": "not payable: for the office to decide"}
    assert_unchanged(inquiry, Status.CANCELLED)
    assert "flagged for the office" in caplog.text
    payment = inquiry.card_payments.get()
    assert (payment.reason, payment.review) == ("not_payable", "pending")


def test_a_delayed_payment_waits_for_its_success_event(stripe_keys, client, inquiry):
    unpaid = completed_session(inquiry, payment_status="unpaid")

    first = post_event(client, event("checkout.session.completed", unpaid, "evt_1"))
    assert first.json() == {"outcome": "not paid yet"}
    assert_unchanged(inquiry)

    paid = completed_session(inquiry)
    post_event(client, event("checkout.session.async_payment_succeeded", paid, "evt_2"))
    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID


# Refused requests: not from Stripe


def test_an_invalid_signature_is_400_and_changes_nothing(stripe_keys, client, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry))

    response = post_event(client, body, sign(body, secret="whsec_attacker"))

    assert response.status_code == 400
    assert_unchanged(inquiry)
    assert not StripeEvent.objects.exists()


def test_a_tampered_body_is_400(stripe_keys, client, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry, amount_total=1))
    signature = sign(body)
    tampered = body.replace(b'"amount_total": 1,', b'"amount_total": 1250000,')
    assert tampered != body

    assert post_event(client, tampered, signature).status_code == 400
    assert_unchanged(inquiry)


def test_a_stale_timestamp_is_400_and_changes_nothing(stripe_keys, client, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry))
    stale = sign(body, timestamp=int(time.time()) - TOLERANCE - 60)

    response = post_event(client, body, stale)

    assert response.status_code == 400
    assert_unchanged(inquiry)
    assert not StripeEvent.objects.exists()


def test_a_future_timestamp_is_400_and_changes_nothing(stripe_keys, client, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry))
    ahead = sign(body, timestamp=int(time.time()) + TOLERANCE + 60)

    response = post_event(client, body, ahead)

    assert response.status_code == 400
    assert_unchanged(inquiry)
    assert not StripeEvent.objects.exists()


@pytest.mark.parametrize("signature", ["", "t=1,v1=abc"])
def test_a_missing_or_malformed_signature_is_400(stripe_keys, client, inquiry, signature):
    body = event("checkout.session.completed", completed_session(inquiry))

    assert post_event(client, body, signature).status_code == 400
    assert_unchanged(inquiry)


def test_a_signed_body_that_is_not_an_event_is_400(stripe_keys, client, db):
    body = b"not json"

    assert post_event(client, body, sign(body)).status_code == 400


def test_only_post_is_allowed(stripe_keys, client, db):
    assert client.get(reverse("stripe_webhook")).status_code == 405


def test_without_stripe_keys_no_event_is_taken(client, inquiry):
    body = event("checkout.session.completed", completed_session(inquiry))

    assert post_event(client, body).status_code == 400
    assert_unchanged(inquiry)


def test_the_webhook_needs_no_csrf_token(stripe_keys, inquiry):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    pay_by_card(client, inquiry)


# Other events


def test_an_expired_session_is_recorded_and_payment_still_offered(stripe_keys, client, inquiry):
    session = completed_session(inquiry, status="expired", payment_status="unpaid")

    response = post_event(client, event("checkout.session.expired", session))

    assert response.json() == {"outcome": "expired"}
    assert_unchanged(inquiry)
    assert recorded().inquiry == inquiry
    assert Method.CARD in [option.method for option in payment_options(inquiry)]


def test_a_failed_payment_is_recorded(stripe_keys, client, inquiry):
    response = post_event(client, event("payment_intent.payment_failed", payment_intent(inquiry)))

    assert response.json() == {"outcome": "payment failed"}
    assert_unchanged(inquiry)
    assert recorded().inquiry == inquiry


def test_a_full_refund_cancels_a_card_paid_inquiry(stripe_keys, client, make_inquiry):
    inquiry = make_inquiry(language="en")
    pay_by_card(client, inquiry)

    body = event(
        "charge.refunded", refunded_charge(inquiry, inquiry.confirmed_amount_vnd), "evt_refund"
    )
    response = post_event(client, body)

    assert response.json() == {"outcome": "refunded"}
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CANCELLED
    change = inquiry.changes.last()
    assert (change.from_status, change.to_status, change.source) == (
        Status.PAID,
        Status.CANCELLED,
        "stripe",
    )
    assert change.note == "Refunded: the card payment was paid back in full."


def test_a_refund_of_an_inquiry_not_paid_by_card_changes_nothing(stripe_keys, client, inquiry):
    change_status(inquiry, Status.PAID, payment_method=Method.BANK_TRANSFER)

    body = event("charge.refunded", refunded_charge(inquiry, inquiry.confirmed_amount_vnd))
    response = post_event(client, body)

    assert response.json() == {
        "outcome": "refund of a payment that did not pay the inquiry: inquiry unchanged"
    }
    assert_unchanged(inquiry, Status.PAID)


def test_other_events_are_acknowledged_and_ignored(stripe_keys, client, inquiry):
    response = post_event(client, event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.status_code == 200
    assert response.json() == {"outcome": "ignored"}
    assert_unchanged(inquiry)


# The whole card payment, with Checkout at stripe-mock


@pytest.mark.stripe_mock
def test_pay_by_card_from_the_tracking_page_to_paid(stripe_api, client, make_inquiry):
    inquiry = make_inquiry(language="en")
    tracking = client.get(inquiry.get_tracking_url()).content.decode()
    with translation.override("en"):
        pay_url = reverse("inquiries:pay_card", kwargs={"token": inquiry.token})
        return_url = reverse("inquiries:pay_return", kwargs={"token": inquiry.token})
    assert f'action="{pay_url}"' in tracking

    checkout = client.post(pay_url)
    assert checkout.status_code == 303
    inquiry.refresh_from_db()
    session_id = inquiry.card_payments.get().checkout_session
    assert session_id.startswith("cs_test_")
    # The consumer is back before the webhook: the page waits for it.
    waiting = client.get(return_url, {"session_id": session_id})
    assert "Waiting for confirmation of your payment" in waiting.content.decode()

    body = event("checkout.session.completed", completed_session(inquiry), "evt_flow")
    assert post_event(client, body).json() == {"outcome": "paid"}

    received = client.get(return_url, {"session_id": session_id})
    assert "Payment received" in received.content.decode()
    tracking = client.get(inquiry.get_tracking_url()).content.decode()
    assert pay_url not in tracking
    assert "Paid by card." in tracking
