"""Stripe's webhook: the only way a card payment changes an inquiry.

Every verified event is recorded as a `StripeEvent` in the same transaction as what it
changes, so a replayed event (Stripe retries, an attacker resends a captured one) finds
its record and changes nothing. Events that change nothing are answered 200 too: Stripe
retries any other answer for days, and a retry could not go better.

What happened to the money is recorded on the `CardPayment` of the session or payment,
whatever the order the events come in; the inquiry follows only the payment that paid
it. A second payment that goes through is flagged for the office (refund or keep it),
and refunding it leaves the inquiry paid.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.core.money import vnd
from marketplace.inquiries.models import CardPayment, Inquiry, StripeEvent
from marketplace.inquiries.status import change_status, record_note
from marketplace.payments.stripe_client import stripe_enabled
from marketplace.payments.stripe_webhooks import InvalidWebhook, verify_event

logger = logging.getLogger(__name__)

Status = Inquiry.Status
State = CardPayment.State
Reason = CardPayment.Reason
Review = CardPayment.Review
SOURCE = "stripe"

# Outcomes, recorded on the StripeEvent and returned to Stripe (shown in its dashboard).
PAID = "paid"
ALREADY_RECORDED = "payment already recorded"
DUPLICATE = "paid twice: for the office to decide"
REFUNDED = "refunded"
PARTLY_REFUNDED = "partly refunded"
REFUNDED_BEFORE_PAID = "refunded before its completion: inquiry unchanged"
OTHER_PAYMENT_REFUNDED = "refund of a payment that did not pay the inquiry: inquiry unchanged"
REFUND_RECORDED = "refund recorded: inquiry closed"
NOT_PAID = "not paid yet"
NOT_PAYABLE = "not payable: for the office to decide"
AMOUNT_MISMATCH = "amount mismatch: for the office to decide"
UNKNOWN_REFERENCE = "unknown reference"
EXPIRED = "expired"
PAYMENT_FAILED = "payment failed"
IGNORED = "ignored"
REPLAYED = "already handled"

Outcome = tuple[Inquiry | None, str]

# Notes on the consumer's timeline, translated into their language when written.
PAID_NOTE = gettext_noop("Paid by card.")
REFUNDED_NOTE = gettext_noop("Refunded: the card payment was paid back in full.")
PARTLY_REFUNDED_NOTE = gettext_noop(
    "Partly refunded: %(amount)s was paid back to your card. The rest of your payment "
    "stands and your order goes on."
)

# Why a payment that went through did not pay its inquiry, and what Stripe is told.
FLAGGED_OUTCOMES = {
    Reason.DUPLICATE: DUPLICATE,
    Reason.AMOUNT: AMOUNT_MISMATCH,
    Reason.NOT_PAYABLE: NOT_PAYABLE,
}


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    if not stripe_enabled():
        # Card payment is off: no Stripe account sends events here.
        return HttpResponseBadRequest()
    try:
        event = verify_event(request.body, request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest()
    outcome = handle_event(event.id, event.type, event.data.object.to_dict())
    return JsonResponse({"outcome": outcome})


def handle_event(event_id: str, event_type: str, data: dict) -> str:
    """Act on a verified event once, whatever the number of deliveries; its outcome."""
    with transaction.atomic():
        # A second delivery at the same moment waits here on the unique event id.
        record, created = StripeEvent.objects.get_or_create(
            event_id=event_id, defaults={"type": event_type}
        )
        if not created:
            return REPLAYED
        handler = HANDLERS.get(event_type)
        inquiry, outcome = handler(data) if handler else (None, IGNORED)
        record.inquiry = inquiry
        record.outcome = outcome
        record.save(update_fields=["inquiry", "outcome"])
    return outcome


def find_inquiry(data: dict) -> Inquiry | None:
    """The inquiry a Checkout session, payment or charge was made for."""
    reference = data.get("client_reference_id") or (data.get("metadata") or {}).get(
        "inquiry_reference"
    )
    if not reference:
        return None
    return Inquiry.objects.select_related("producer").filter(reference=reference).first()


def note_for(inquiry: Inquiry, message: str, **values) -> str:
    """A note for the consumer's timeline and email, in their language."""
    with override(inquiry.language):
        return gettext(message) % values if values else gettext(message)


def locked_payment(**lookup) -> CardPayment | None:
    """The card payment matching `lookup`, locked until the event's transaction ends."""
    return CardPayment.objects.select_for_update().filter(**lookup).first()


def payment_of_session(inquiry: Inquiry, session: dict) -> CardPayment:
    """The record of a completed session: the one the pay button made, else the one a
    refund of its payment made first, else a new one (a session made elsewhere). When
    the button made one and a refund another, they are one payment: merged into one."""
    payment_intent = session.get("payment_intent") or ""
    payment = locked_payment(checkout_session=session["id"])
    if payment is None and payment_intent:
        payment = locked_payment(payment_intent=payment_intent)
    elif payment is not None and payment_intent and not payment.payment_intent:
        refunded_first = locked_payment(
            inquiry=payment.inquiry_id, payment_intent=payment_intent, checkout_session=None
        )
        if refunded_first is not None:
            merge_refund_first(payment, refunded_first)
    if payment is None:
        payment = CardPayment(inquiry=inquiry, state=State.PAID)
    payment.checkout_session = session["id"]
    payment.payment_intent = payment_intent or payment.payment_intent
    # What was paid, which may differ from what was asked: the amount check below.
    payment.amount_vnd = session.get("amount_total") or 0
    payment.currency = session.get("currency") or ""
    return payment


def merge_refund_first(payment: CardPayment, refunded_first: CardPayment) -> None:
    """Take what a refund recorded before the session's completion (a record that knew
    only the payment's id) into the session's record, and delete it: the payment's id is
    unique among the records, and the session's record keeps its attempt number."""
    payment.state = refunded_first.state
    payment.amount_refunded_vnd = refunded_first.amount_refunded_vnd
    refunded_first.delete()


def session_completed(session: dict) -> Outcome:
    inquiry = find_inquiry(session)
    if inquiry is None:
        # Answered 200 all the same: Stripe would retry a 4xx for days, in vain.
        logger.warning("Stripe session %s names no known inquiry", session.get("id"))
        return None, UNKNOWN_REFERENCE
    if session.get("payment_status") != "paid":
        # A delayed payment method: "checkout.session.async_payment_succeeded" follows.
        return inquiry, NOT_PAID
    payment = payment_of_session(inquiry, session)
    if payment.paid_at is not None:
        # "completed" and "async_payment_succeeded" both say so, or another delivery.
        return payment.inquiry, ALREADY_RECORDED
    inquiry = payment.inquiry
    payment.paid_at = timezone.now()
    if payment.state == State.REFUNDED:
        # Its refund came first: the money is back, the inquiry waits for another payment.
        payment.save()
        return inquiry, REFUNDED_BEFORE_PAID
    payment.state = State.PAID
    payment.save()
    if reason := settle(inquiry, payment):
        flag(payment, reason)
        logger.warning(
            "Stripe session %s paid %s %s for %s (status %s, confirmed %s VND): not marked "
            "paid, flagged for the office to refund or keep",
            session.get("id"),
            payment.amount_vnd,
            payment.currency,
            inquiry.reference,
            inquiry.status,
            inquiry.confirmed_amount_vnd,
        )
        return inquiry, FLAGGED_OUTCOMES[reason]
    return inquiry, PAID


def settle(inquiry: Inquiry, payment: CardPayment) -> str:
    """Mark the inquiry paid by `payment`; else why not (a CardPayment.Reason)."""
    if payment.currency != "vnd" or payment.amount_vnd != inquiry.confirmed_amount_vnd:
        return Reason.AMOUNT
    try:
        change_status(
            inquiry,
            Status.PAID,
            payment_method=Inquiry.PaymentMethod.CARD,
            source=SOURCE,
            note=note_for(inquiry, PAID_NOTE),
        )
    except ValidationError:
        # Paid already (another session, a transfer), or cancelled or renegotiated after
        # the consumer opened Checkout.
        if inquiry.status in (Status.PAID, Status.FULFILLED):
            return Reason.DUPLICATE
        return Reason.NOT_PAYABLE
    payment.settles_inquiry = True
    payment.save(update_fields=["settles_inquiry"])
    return ""


def flag(payment: CardPayment, reason: str) -> None:
    """Leave a payment that did not pay its inquiry to the office: refund it or keep it."""
    payment.reason = reason
    payment.review = Review.PENDING
    payment.save(update_fields=["reason", "review"])


def session_expired(session: dict) -> Outcome:
    # Nothing to tell the consumer: the inquiry is still confirmed and the tracking page
    # still offers to pay (a new session). A session paid meanwhile stays paid.
    CardPayment.objects.filter(checkout_session=session.get("id"), state=State.OPEN).update(
        state=State.EXPIRED
    )
    return find_inquiry(session), EXPIRED


def payment_failed(payment_intent: dict) -> Outcome:
    # Checkout showed the consumer why; they may try again from the tracking page.
    return find_inquiry(payment_intent), PAYMENT_FAILED


def payment_of_charge(charge: dict) -> CardPayment | None:
    """The record of a charge's payment; made from the charge when its session's
    completion has not come in yet (events come in any order)."""
    payment_intent = charge.get("payment_intent") or ""
    payment = locked_payment(payment_intent=payment_intent) if payment_intent else None
    if payment is not None:
        return payment
    inquiry = find_inquiry(charge)
    if inquiry is None or not payment_intent:
        return None
    return CardPayment.objects.create(
        inquiry=inquiry,
        payment_intent=payment_intent,
        amount_vnd=charge.get("amount") or 0,
        currency=charge.get("currency") or "",
        state=State.PAID,
    )


def charge_refunded(charge: dict) -> Outcome:
    payment = payment_of_charge(charge)
    if payment is None:
        return None, UNKNOWN_REFERENCE
    inquiry = payment.inquiry
    refunded = charge.get("amount_refunded") or 0
    if refunded <= payment.amount_refunded_vnd:
        # A repeated or older refund event: the total refunded only grows.
        return inquiry, ALREADY_RECORDED
    newly_refunded = refunded - payment.amount_refunded_vnd
    payment.amount_refunded_vnd = refunded
    in_full = bool(charge.get("refunded")) or refunded >= payment.amount_vnd
    if in_full:
        payment.state = State.REFUNDED
        if payment.review:
            payment.review = Review.REFUNDED
    payment.save()
    if not payment.settles_inquiry:
        # A second payment, or one that never paid the inquiry: the inquiry stands.
        return inquiry, OTHER_PAYMENT_REFUNDED
    if not in_full:
        # A missing item, say: the order goes on, and the consumer hears how much.
        record_note(
            inquiry,
            note_for(inquiry, PARTLY_REFUNDED_NOTE, amount=vnd(newly_refunded)),
            source=SOURCE,
        )
        return inquiry, PARTLY_REFUNDED
    try:
        change_status(
            inquiry, Status.CANCELLED, source=SOURCE, note=note_for(inquiry, REFUNDED_NOTE)
        )
    except ValidationError:
        # Fulfilled meanwhile: the refund stays on record here and at Stripe.
        return inquiry, REFUND_RECORDED
    return inquiry, REFUNDED


HANDLERS: dict[str, Callable[[dict], Outcome]] = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": session_completed,
    "checkout.session.expired": session_expired,
    "payment_intent.payment_failed": payment_failed,
    "charge.refunded": charge_refunded,
}
