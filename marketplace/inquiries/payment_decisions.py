"""The office's decision on a card payment that did not pay its inquiry: refund or keep it.

A second payment, one of the wrong amount, or one made after the inquiry closed is
recorded by the webhook and waits here (`CardPayment.review` "pending"). Only the office
decides. A refund is made with Stripe's Refund API under an idempotency key named after
the payment, so a double click or a retry refunds once; the refund's own webhook event
then marks the payment refunded, and leaves the inquiry as it is.
"""

import stripe
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.inquiries.models import CardPayment
from marketplace.payments.stripe_client import get_stripe_client

Review = CardPayment.Review

REFUND = "refund"
KEEP = "keep"


class DecisionRefused(Exception):
    """The decision cannot be made; the message is for the office."""


def refund_idempotency_key(payment: CardPayment) -> str:
    return f"card-payment-{payment.pk}-refund"


def refund_at_stripe(payment: CardPayment) -> stripe.Refund:
    """Pay the whole payment back to the card, once whatever the number of requests."""
    if not payment.payment_intent:
        raise DecisionRefused(
            _("Stripe did not say which payment this is: refund it in the Stripe Dashboard.")
        )
    reason = "duplicate" if payment.reason == CardPayment.Reason.DUPLICATE else None
    params = {
        "payment_intent": payment.payment_intent,
        "metadata": {
            "inquiry_reference": payment.inquiry.reference,
            "card_payment": str(payment.pk),
        },
    }
    if reason:
        params["reason"] = reason
    return get_stripe_client().v1.refunds.create(
        params=params, options={"idempotency_key": refund_idempotency_key(payment)}
    )


def decide(payment: CardPayment, decision: str, user: AbstractBaseUser) -> CardPayment:
    """Refund or keep a payment waiting for the office; the payment as decided.

    Raises DecisionRefused when it waits for no decision (decided meanwhile, refunded at
    Stripe), and stripe.StripeError when Stripe refuses the refund: nothing is recorded then.
    """
    with transaction.atomic():
        # A second click waits here, then finds the decision made.
        locked = (
            CardPayment.objects.select_for_update().select_related("inquiry").get(pk=payment.pk)
        )
        if not locked.needs_review:
            raise DecisionRefused(_("This payment has already been decided on."))
        if decision == REFUND:
            locked.refund = refund_at_stripe(locked).id
            locked.review = Review.REFUNDED
        elif decision == KEEP:
            locked.review = Review.KEPT
        else:
            raise DecisionRefused(_("Choose whether to refund the payment or keep it."))
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["refund", "review", "reviewed_by", "reviewed_at"])
    return locked
