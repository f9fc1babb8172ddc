"""Stripe's webhook: the only way a card payment changes an inquiry.

Every verified event is recorded as a `StripeEvent` in the same transaction as what it
changes, so a replayed event (Stripe retries, an attacker resends a captured one) finds
its record and changes nothing. Events that change nothing are answered 200 too: Stripe
retries any other answer for days, and a retry could not go better.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext, gettext_noop, override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.inquiries.models import Inquiry, StripeEvent
from marketplace.inquiries.status import change_status
from marketplace.payments.stripe_client import stripe_enabled
from marketplace.payments.stripe_webhooks import InvalidWebhook, verify_event

logger = logging.getLogger(__name__)

Status = Inquiry.Status
SOURCE = "stripe"

# Outcomes, recorded on the StripeEvent and returned to Stripe (shown in its dashboard).
PAID = "paid"
REFUNDED = "refunded"
PARTLY_REFUNDED = "partly refunded"
NOT_PAID = "not paid yet"
NOT_PAID_BY_CARD = "not paid by card, or closed"
NOT_PAYABLE = "not payable: refund it"
AMOUNT_MISMATCH = "amount mismatch"
UNKNOWN_REFERENCE = "unknown reference"
EXPIRED = "expired"
PAYMENT_FAILED = "payment failed"
IGNORED = "ignored"
REPLAYED = "already handled"

Outcome = tuple[Inquiry | None, str]

# Notes on the consumer's timeline, translated into their language when written.
PAID_NOTE = gettext_noop("Paid by card.")
REFUNDED_NOTE = gettext_noop("Refunded: the card payment was paid back in full.")


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


def note_for(inquiry: Inquiry, message: str) -> str:
    """A note for the consumer's timeline and email, in their language."""
    with override(inquiry.language):
        return gettext(message)


def session_completed(session: dict) -> Outcome:
    inquiry = find_inquiry(session)
    if inquiry is None:
        # Answered 200 all the same: Stripe would retry a 4xx for days, in vain.
        logger.warning("Stripe session %s names no known inquiry", session.get("id"))
        return None, UNKNOWN_REFERENCE
    if session.get("payment_status") != "paid":
        # A delayed payment method: "checkout.session.async_payment_succeeded" follows.
        return inquiry, NOT_PAID
    if (
        session.get("currency") != "vnd"
        or session.get("amount_total") != inquiry.confirmed_amount_vnd
    ):
        logger.warning(
            "Stripe session %s paid %s %s for %s, confirmed %s VND: not marked paid",
            session.get("id"),
            session.get("amount_total"),
            session.get("currency"),
            inquiry.reference,
            inquiry.confirmed_amount_vnd,
        )
        return inquiry, AMOUNT_MISMATCH
    try:
        change_status(
            inquiry,
            Status.PAID,
            payment_method=Inquiry.PaymentMethod.CARD,
            source=SOURCE,
            note=note_for(inquiry, PAID_NOTE),
        )
    except ValidationError:
        # Cancelled or renegotiated after the consumer opened Checkout: the office refunds.
        logger.warning(
            "Stripe session %s paid %s, which is %s: refund it",
            session.get("id"),
            inquiry.reference,
            inquiry.status,
        )
        return inquiry, NOT_PAYABLE
    return inquiry, PAID


def session_expired(session: dict) -> Outcome:
    # Nothing to tell the consumer: the inquiry is still confirmed and the tracking page
    # still offers to pay.
    return find_inquiry(session), EXPIRED


def payment_failed(payment_intent: dict) -> Outcome:
    # Checkout showed the consumer why; they may try again from the tracking page.
    return find_inquiry(payment_intent), PAYMENT_FAILED


def charge_refunded(charge: dict) -> Outcome:
    inquiry = find_inquiry(charge)
    if inquiry is None:
        return None, UNKNOWN_REFERENCE
    if not (inquiry.status == Status.PAID and inquiry.payment_method == Inquiry.PaymentMethod.CARD):
        return inquiry, NOT_PAID_BY_CARD
    if not charge.get("refunded"):
        # A partial refund (a missing item): the order goes on; the office sees the event.
        return inquiry, PARTLY_REFUNDED
    try:
        change_status(
            inquiry, Status.CANCELLED, source=SOURCE, note=note_for(inquiry, REFUNDED_NOTE)
        )
    except ValidationError:
        # Fulfilled meanwhile: the refund stays on record here and at Stripe.
        return inquiry, NOT_PAID_BY_CARD
    return inquiry, REFUNDED


HANDLERS: dict[str, Callable[[dict], Outcome]] = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": session_completed,
    "checkout.session.expired": session_expired,
    "payment_intent.payment_failed": payment_failed,
    "charge.refunded": charge_refunded,
}
