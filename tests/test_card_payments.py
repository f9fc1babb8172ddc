"""Card payments cannot take the money twice, and a refund changes an inquiry only when it
pays back the payment that paid it.

One open Checkout session per inquiry (reused, or expired at Stripe before a new one),
idempotency keys on every write to Stripe (stripe-mock echoes the key it received), a
second payment recorded and left to the office, refunds told apart by payment and by
amount, and events in any order: all against stripe-mock and with signed webhook events.
"""

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.status import change_status
from producers.accounts import create_producer_account
from tests.inquiry_admin_helpers import detail_url, index_url
from tests.inquiry_payment_helpers import (
    AMOUNT_VND,
    completed_session,
    confirm,
    event,
    post_event,
    refunded_charge,
)
from tests.producer_accounts_helpers import admin_client

pytest_plugins = ["tests.inquiry_payment_fixtures", "tests.producer_accounts_fixtures"]

Status = Inquiry.Status


class State:
    """CardPayment.State, spelt out: these tests also run on code without it."""

    OPEN = "open"
    EXPIRED = "expired"
    PAID = "paid"
    REFUNDED = "refunded"


class Review:
    PENDING = "pending"
    KEPT = "kept"
    REFUNDED = "refunded"


DUPLICATE = "duplicate"
SESSIONS = "/v1/checkout/sessions"
REFUNDED_IN_FULL = "Refunded: the card payment was paid back in full."
REFUNDED_IN_FULL_VI = "Đã hoàn tiền: khoản thanh toán bằng thẻ đã được hoàn lại toàn bộ."


def pay_url(inquiry: Inquiry) -> str:
    with translation.override(inquiry.language):
        return reverse("inquiries:pay_card", kwargs={"token": inquiry.token})


def calls(stripe_requests) -> list[tuple[str, str]]:
    return [(request.method, request.path) for request in stripe_requests]


def payments(inquiry: Inquiry) -> list:
    return list(inquiry.card_payments.order_by("pk"))


def complete(client, inquiry: Inquiry, session: str, payment_intent: str, event_id: str):
    """Stripe's signed `checkout.session.completed` for one session of `inquiry`."""
    data = completed_session(inquiry, id=session, payment_intent=payment_intent)
    return post_event(client, event("checkout.session.completed", data, event_id))


def refund(client, inquiry: Inquiry, refunded_vnd: int, payment_intent: str, event_id: str):
    """Stripe's signed `charge.refunded`: `refunded_vnd` paid back so far of a payment."""
    data = refunded_charge(inquiry, refunded_vnd, payment_intent)
    return post_event(client, event("charge.refunded", data, event_id))


def outcome(response) -> str:
    assert response.status_code == 200
    return response.json()["outcome"]


@pytest.fixture
def paid_twice(stripe_keys, client, inquiry, django_capture_on_commit_callbacks) -> Inquiry:
    """An inquiry paid by card in session 1, then again in session 2 (another tab)."""
    with django_capture_on_commit_callbacks(execute=True):
        assert outcome(complete(client, inquiry, "cs_test_1", "pi_test_1", "evt_1")) == "paid"
        second = complete(client, inquiry, "cs_test_2", "pi_test_2", "evt_2")
    assert outcome(second) == "paid twice: for the office to decide"
    return inquiry


# One open Checkout session per inquiry, against stripe-mock


@pytest.mark.stripe_mock
def test_two_clicks_reuse_one_checkout_session(stripe_api, stripe_requests, client, inquiry):
    first = client.post(pay_url(inquiry))
    second = client.post(pay_url(inquiry))

    assert first.status_code == second.status_code == 303
    # One session made; the second click only asked Stripe whether it is still open.
    assert [call for call in calls(stripe_requests) if call[0] == "post"] == [("post", SESSIONS)]
    [payment] = payments(inquiry)
    assert calls(stripe_requests) == [
        ("post", SESSIONS),
        ("get", f"{SESSIONS}/{payment.checkout_session}"),
    ]
    assert second.url.startswith("https://checkout.stripe.com/")
    assert (payment.state, payment.amount_vnd, payment.attempt) == (State.OPEN, AMOUNT_VND, 1)


@pytest.mark.stripe_mock
def test_a_changed_total_expires_the_old_session_before_a_new_one(
    stripe_api, stripe_requests, client, inquiry
):
    client.post(pay_url(inquiry))
    [old] = payments(inquiry)
    # Renegotiated: two more bottles.
    change_status(inquiry, Status.CONTACTED, note="Thêm 2 chai.")
    confirm(inquiry, amount_vnd=1_490_000)
    stripe_requests.clear()

    response = client.post(pay_url(inquiry))

    assert response.status_code == 303
    assert calls(stripe_requests) == [
        ("get", f"{SESSIONS}/{old.checkout_session}"),
        ("post", f"{SESSIONS}/{old.checkout_session}/expire"),
        ("post", SESSIONS),
    ]
    old.refresh_from_db()
    assert old.state == State.EXPIRED
    new = payments(inquiry)[-1]
    assert (new.state, new.amount_vnd, new.attempt) == (State.OPEN, 1_490_000, 2)
    assert new.checkout_session != old.checkout_session
    expire, create = stripe_requests[1:]
    assert expire.echoed_idempotency_key == f"{old.checkout_session}-expire"
    assert create.echoed_idempotency_key == f"inquiry-{inquiry.pk}-checkout-2-1490000vnd"


@pytest.mark.stripe_mock
def test_every_write_to_stripe_carries_a_key_named_after_what_it_is_for(
    stripe_api, stripe_requests, client, inquiry
):
    client.post(pay_url(inquiry))

    [create] = stripe_requests
    # stripe-mock answers with the Idempotency-Key it received.
    assert create.echoed_idempotency_key == f"inquiry-{inquiry.pk}-checkout-1-1250000vnd"
    assert create.sent_headers["Idempotency-Key"] == create.echoed_idempotency_key


@pytest.mark.stripe_mock
def test_a_retry_after_a_lost_write_asks_stripe_under_the_same_key(
    stripe_api, stripe_requests, client, inquiry
):
    # The session was made at Stripe but its record lost (the process stopped before it
    # was saved): the next click asks again under the same key, and Stripe answers with
    # the session it already made instead of a second one.
    client.post(pay_url(inquiry))
    inquiry.card_payments.all().delete()

    client.post(pay_url(inquiry))

    first, second = stripe_requests
    assert first.echoed_idempotency_key == second.echoed_idempotency_key


@pytest.mark.stripe_mock
def test_a_session_stripe_expired_is_replaced_without_asking_again(
    stripe_api, stripe_requests, client, inquiry
):
    client.post(pay_url(inquiry))
    [old] = payments(inquiry)
    expired = completed_session(inquiry, status="expired", payment_status="unpaid")
    assert outcome(post_event(client, event("checkout.session.expired", expired))) == "expired"
    old.refresh_from_db()
    assert old.state == State.EXPIRED
    stripe_requests.clear()

    client.post(pay_url(inquiry))

    assert calls(stripe_requests) == [("post", SESSIONS)]
    assert stripe_requests[0].echoed_idempotency_key.startswith(f"inquiry-{inquiry.pk}-checkout-2-")


@pytest.mark.stripe_mock
def test_a_session_stripe_does_not_know_is_replaced(stripe_api, stripe_requests, client, inquiry):
    # Say the site's Stripe keys were changed: the stored session is not theirs. (stripe-mock
    # knows every well-formed id; it answers 404 for this one, as Stripe would for a
    # session of another account.)
    client.post(pay_url(inquiry))
    inquiry.card_payments.update(checkout_session="cs_test_of/another-account")
    stripe_requests.clear()

    response = client.post(pay_url(inquiry))

    assert response.status_code == 303
    assert [request.status for request in stripe_requests] == [404, 200]
    old, new = payments(inquiry)
    assert (old.state, new.state, new.attempt) == (State.EXPIRED, State.OPEN, 2)


# A second payment is recorded and flagged, not a change of state


def test_a_second_completed_session_is_flagged_for_the_office(paid_twice, client):
    inquiry = paid_twice

    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID
    assert inquiry.changes.filter(to_status=Status.PAID).count() == 1
    # The consumer heard once that they paid.
    assert len(mail.outbox) == 1
    first, second = payments(inquiry)
    assert first.settles_inquiry
    assert (first.state, first.payment_intent) == (State.PAID, "pi_test_1")
    assert not second.settles_inquiry
    assert (second.state, second.payment_intent, second.amount_vnd) == (
        State.PAID,
        "pi_test_2",
        AMOUNT_VND,
    )
    assert (second.reason, second.review) == (DUPLICATE, Review.PENDING)


def test_repeated_events_change_nothing(paid_twice, client):
    inquiry = paid_twice

    # The same event again, and the same session under another event.
    again = complete(client, inquiry, "cs_test_2", "pi_test_2", "evt_2")
    other_event = complete(client, inquiry, "cs_test_2", "pi_test_2", "evt_3")

    assert outcome(again) == "already handled"
    assert outcome(other_event) == "payment already recorded"
    assert len(payments(inquiry)) == 2
    assert inquiry.changes.count() == 2  # confirmed, paid


# Refunds: by payment, and by amount


def test_a_refund_of_the_duplicate_leaves_the_inquiry_paid_and_says_nothing(
    paid_twice, client, django_capture_on_commit_callbacks
):
    inquiry = paid_twice
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = refund(client, inquiry, AMOUNT_VND, "pi_test_2", "evt_refund")

    assert outcome(response) == (
        "refund of a payment that did not pay the inquiry: inquiry unchanged"
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID
    assert not inquiry.changes.filter(to_status=Status.CANCELLED).exists()
    assert not inquiry.changes.filter(note__in=[REFUNDED_IN_FULL, REFUNDED_IN_FULL_VI]).exists()
    assert mail.outbox == []
    first, second = payments(inquiry)
    assert (second.state, second.amount_refunded_vnd, second.review) == (
        State.REFUNDED,
        AMOUNT_VND,
        Review.REFUNDED,
    )
    assert (first.state, first.amount_refunded_vnd) == (State.PAID, 0)


def test_a_full_refund_of_the_paying_payment_cancels_and_says_so(
    paid_twice, client, django_capture_on_commit_callbacks
):
    inquiry = paid_twice
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = refund(client, inquiry, AMOUNT_VND, "pi_test_1", "evt_refund")

    assert outcome(response) == "refunded"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CANCELLED
    assert inquiry.changes.last().note == REFUNDED_IN_FULL_VI
    [message] = mail.outbox
    assert REFUNDED_IN_FULL_VI in message.body
    assert payments(inquiry)[0].state == State.REFUNDED


def test_a_partial_refund_keeps_the_order_paid_and_tells_the_amount(
    stripe_keys, client, make_inquiry, django_capture_on_commit_callbacks
):
    inquiry = make_inquiry(language="en")
    assert outcome(complete(client, inquiry, "cs_test_1", "pi_test_1", "evt_paid")) == "paid"

    with django_capture_on_commit_callbacks(execute=True):
        response = refund(client, inquiry, 250_000, "pi_test_1", "evt_r1")

    assert outcome(response) == "partly refunded"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID
    note = inquiry.changes.last()
    assert (note.from_status, note.to_status, note.source) == (Status.PAID, Status.PAID, "stripe")
    told = "Partly refunded: 250.000 ₫ was paid back to your card."
    assert note.note.startswith(told)
    [message] = mail.outbox
    assert message.subject.startswith(f"News about your order inquiry {inquiry.reference}")
    assert told in message.body
    assert "Refunded in full" not in message.body
    [payment] = payments(inquiry)
    assert (payment.state, payment.amount_refunded_vnd) == (State.PAID, 250_000)

    # A second partial refund is told as its own amount; a late copy of the first, nothing.
    assert outcome(refund(client, inquiry, 400_000, "pi_test_1", "evt_r2")) == "partly refunded"
    assert inquiry.changes.last().note.startswith("Partly refunded: 150.000 ₫")
    late = refund(client, inquiry, 250_000, "pi_test_1", "evt_r1_late")
    assert outcome(late) == "payment already recorded"
    # The rest paid back: now the order is refunded in full and cancelled.
    assert outcome(refund(client, inquiry, AMOUNT_VND, "pi_test_1", "evt_r3")) == "refunded"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CANCELLED


# Events in any order


def test_a_refund_before_its_completion_leaves_the_inquiry_to_be_paid(stripe_keys, client, inquiry):
    assert outcome(refund(client, inquiry, AMOUNT_VND, "pi_test_1", "evt_refund")) == (
        "refund of a payment that did not pay the inquiry: inquiry unchanged"
    )

    response = complete(client, inquiry, "cs_test_1", "pi_test_1", "evt_paid")

    assert outcome(response) == "refunded before its completion: inquiry unchanged"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONFIRMED
    assert not inquiry.changes.filter(to_status=Status.PAID).exists()
    [payment] = payments(inquiry)
    assert (payment.checkout_session, payment.payment_intent, payment.state) == (
        "cs_test_1",
        "pi_test_1",
        State.REFUNDED,
    )


@pytest.mark.stripe_mock
def test_a_refund_before_the_completion_of_a_session_made_here_leaves_it_to_be_paid(
    stripe_api, client, inquiry
):
    # The usual case: the pay button made the session, so its record is there, without
    # the payment's id until the completion comes in (Stripe retries in any order).
    assert client.post(pay_url(inquiry)).status_code == 303
    session = inquiry.card_payments.get().checkout_session

    refund(client, inquiry, AMOUNT_VND, "pi_test_1", "evt_refund")
    response = complete(client, inquiry, session, "pi_test_1", "evt_paid")

    assert outcome(response) == "refunded before its completion: inquiry unchanged"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONFIRMED
    assert not inquiry.changes.filter(to_status=Status.PAID).exists()
    [payment] = payments(inquiry)
    assert (payment.checkout_session, payment.payment_intent, payment.state) == (
        session,
        "pi_test_1",
        State.REFUNDED,
    )
    assert payment.amount_refunded_vnd == AMOUNT_VND


def test_a_session_completed_after_its_expiry_is_still_recorded(stripe_keys, client, inquiry):
    expired = completed_session(inquiry, status="expired", payment_status="unpaid")
    post_event(client, event("checkout.session.expired", expired, "evt_expired"))

    response = complete(client, inquiry, "cs_test_1", "pi_test_1", "evt_paid")

    assert outcome(response) == "paid"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID


def test_an_expiry_after_the_completion_changes_nothing(stripe_keys, client, inquiry):
    complete(client, inquiry, "cs_test_1", "pi_test_1", "evt_paid")
    expired = completed_session(inquiry, status="expired", payment_status="unpaid")

    post_event(client, event("checkout.session.expired", expired, "evt_expired"))

    inquiry.refresh_from_db()
    assert inquiry.status == Status.PAID
    [payment] = payments(inquiry)
    assert (payment.state, payment.settles_inquiry) == (State.PAID, True)


# The office decides on a flagged payment


def decision_url(payment) -> str:
    return reverse("inquiries_admin:payment_decision", args=[payment.inquiry_id, payment.pk])


def test_the_office_sees_the_flagged_payment_and_its_choices(paid_twice, office_client):
    second = payments(paid_twice)[1]

    html = office_client.get(detail_url(paid_twice)).content.decode()

    assert "Card payments" in html
    assert "did not pay this inquiry" in html
    assert "The inquiry was already paid" in html
    assert "pi_test_2" in html
    assert f'action="{decision_url(second)}"' in html
    # The listing finds the inquiries waiting for a decision.
    listing = office_client.get(index_url(), {"payment_review": "true"}).content.decode()
    assert paid_twice.reference in listing


@pytest.mark.stripe_mock
def test_the_office_refunds_the_duplicate_once(
    paid_twice, stripe_api, stripe_requests, office_client, office_user
):
    second = payments(paid_twice)[1]

    response = office_client.post(decision_url(second), {"decision": "refund"}, follow=True)
    again = office_client.post(decision_url(second), {"decision": "refund"}, follow=True)

    assert "is being refunded to the card" in response.content.decode()
    assert "already been decided on" in again.content.decode()
    [made] = stripe_requests
    assert (made.method, made.path) == ("post", "/v1/refunds")
    assert made.echoed_idempotency_key == f"card-payment-{second.pk}-refund"
    second.refresh_from_db()
    assert second.review == Review.REFUNDED
    assert second.refund.startswith("re_")
    assert second.reviewed_by == office_user
    paid_twice.refresh_from_db()
    assert paid_twice.status == Status.PAID


def test_the_office_keeps_a_payment_without_calling_stripe(
    paid_twice, stripe_requests, office_client
):
    second = payments(paid_twice)[1]

    office_client.post(decision_url(second), {"decision": "keep"})

    assert stripe_requests == []
    second.refresh_from_db()
    assert (second.review, second.state) == (Review.KEPT, State.PAID)


def test_a_refund_stripe_refuses_changes_nothing(paid_twice, stripe_keys, office_client):
    stripe_keys.STRIPE_API_BASE = "http://127.0.0.1:9"  # a closed port
    second = payments(paid_twice)[1]

    response = office_client.post(decision_url(second), {"decision": "refund"}, follow=True)

    assert response.status_code == 200
    assert "Stripe did not make the refund: nothing has changed" in response.content.decode()
    second.refresh_from_db()
    assert (second.review, second.refund) == (Review.PENDING, "")


def test_a_forged_decision_is_refused(paid_twice, office_client):
    second = payments(paid_twice)[1]

    response = office_client.post(decision_url(second), {"decision": "pay-me"}, follow=True)

    assert response.status_code == 200
    assert "Choose whether to refund the payment or keep it." in response.content.decode()
    second.refresh_from_db()
    assert second.review == Review.PENDING


def test_only_the_office_decides(paid_twice, producer, stripe_requests):
    account = create_producer_account(producer, "producer@example.com")
    producer_client = admin_client(account.user)
    second = payments(paid_twice)[1]

    html = producer_client.get(detail_url(paid_twice)).content.decode()
    response = producer_client.post(decision_url(second), {"decision": "keep"})

    assert "did not pay this inquiry" in html  # they see it
    assert decision_url(second) not in html
    # Refused as Wagtail refuses: back to the dashboard with "no permission".
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert stripe_requests == []
    second.refresh_from_db()
    assert second.review == Review.PENDING


# The migration: the session each inquiry stored becomes its first card payment


# serialized_rollback: the flush after it must not recreate content types and the like, or
# the next test that restores the serialised database (the browser and concurrency
# tests) collides with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_turns_stored_sessions_into_card_payments(producer):
    before = [("inquiries", "0003_item_producer_title")]
    after = [("inquiries", "0004_card_payments")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Old = old_apps.get_model("inquiries", "Inquiry")
    Submission = old_apps.get_model("inquiries", "Submission")
    common = {"producer_id": producer.pk, "name": "Lan", "phone": "+84905123456"}
    submission = Submission.objects.create(key="k")
    rows = {
        "paid": dict(status="paid", payment_method="card", stripe_checkout_session="cs_paid"),
        "open": dict(status="confirmed", stripe_checkout_session="cs_open"),
        "gone": dict(status="cancelled", stripe_checkout_session="cs_gone"),
        "none": dict(status="confirmed"),
    }
    for number, (name, fields) in enumerate(rows.items()):
        Old.objects.create(
            reference=f"DB-2026-00000{number}",
            token=name,
            submission=submission,
            consent_at=timezone.now(),
            confirmed_amount_vnd=AMOUNT_VND,
            **common,
            **fields,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    CardPaymentThen = new_apps.get_model("inquiries", "CardPayment")
    made = {
        payment.checkout_session: (payment.state, payment.settles_inquiry, payment.amount_vnd)
        for payment in CardPaymentThen.objects.all()
    }
    # Back to the latest schema for the tests after this one.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert made == {
        "cs_paid": ("paid", True, AMOUNT_VND),
        "cs_open": ("open", False, AMOUNT_VND),
        "cs_gone": ("expired", False, AMOUNT_VND),
    }
