"""How a consumer may pay a confirmed inquiry: VietQR bank transfer, card, or cash.

What the tracking page offers follows the producer's payment settings (on the producer
page in the default language, the one an inquiry points to) and the site's Stripe keys.
A card payment is a Stripe Checkout session made here, on the server, from the amount
the producer confirmed: nothing the browser sends reaches Stripe. Only the webhook
(marketplace.inquiries.webhooks) marks an inquiry paid.

An inquiry has at most one open session (a `CardPayment`): another click reuses it while
Stripe still has it open for the confirmed amount; otherwise it is expired at Stripe
before a new one is made, so an old tab cannot take the money a second time. Every
write to Stripe carries an idempotency key named after what it is for, so a retried or
doubled request makes nothing twice.
"""

import logging
import re
from dataclasses import dataclass
from functools import cached_property

import stripe
from django.db import IntegrityError
from django.db.models import Max
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from marketplace.core.site_address import absolute_url
from marketplace.inquiries.models import CardPayment, Inquiry
from marketplace.payments import vietqr
from marketplace.payments.banks import Bank
from marketplace.payments.stripe_client import get_stripe_client, stripe_enabled

logger = logging.getLogger(__name__)

PaymentMethod = Inquiry.PaymentMethod
Status = Inquiry.Status
State = CardPayment.State

# Stripe Checkout's language for each site language; Stripe guesses for others ("auto").
CHECKOUT_LOCALES = {"vi": "vi", "en": "en"}
# Stripe puts the session's id in the success URL where it finds this placeholder.
SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}"
# qrcode sizes its SVG in millimetres; on screen the code should be large enough to scan.
SVG_SIZE = re.compile(r'width="[^"]*" height="[^"]*"')
SVG_SIZE_ON_SCREEN = 'width="256" height="256"'


class PaymentRefused(Exception):
    """Card payment is not possible for this inquiry; the message is for the consumer."""


@dataclass(frozen=True)
class BankTransfer:
    """A VietQR transfer of the confirmed amount to the producer's bank account."""

    bank: Bank
    account_number: str
    account_holder: str
    amount_vnd: int
    # What the payer's bank app puts in the transfer's description: the reference.
    note: str

    @cached_property
    def payload(self) -> str:
        return vietqr.vietqr_payload(self.bank.bin, self.account_number, self.amount_vnd, self.note)

    def svg(self) -> SafeString:
        """The code as SVG to put inside an HTML page."""
        svg = vietqr.vietqr_svg(self.payload)
        # An XML declaration is not allowed inside HTML.
        svg = svg[svg.index("<svg") :]
        svg = SVG_SIZE.sub(SVG_SIZE_ON_SCREEN, svg, count=1)
        attributes = format_html(
            '<svg class="vietqr__code" role="img" aria-label="{}" ',
            _("VietQR code for a bank transfer"),
        )
        # qrcode drew the rest: one path of numbers, nothing from the user.
        return mark_safe(svg.replace("<svg ", attributes, 1))


@dataclass(frozen=True)
class PaymentOption:
    method: str  # an Inquiry.PaymentMethod
    transfer: BankTransfer | None = None

    @property
    def label(self) -> str:
        return PaymentMethod(self.method).label


def is_payable(inquiry: Inquiry) -> bool:
    """Confirmed, with the amount the producer agreed: the consumer may pay now."""
    return inquiry.status == Status.CONFIRMED and bool(inquiry.confirmed_amount_vnd)


def accepts_card(inquiry: Inquiry) -> bool:
    """The producer takes cards and the site has Stripe keys."""
    return inquiry.producer.accepts_card_payment and stripe_enabled()


def bank_transfer(inquiry: Inquiry) -> BankTransfer | None:
    """The VietQR transfer for a payable inquiry whose producer has bank details."""
    producer = inquiry.producer
    if not is_payable(inquiry) or not producer.has_bank_details or producer.bank is None:
        return None
    try:
        vietqr.validate_transfer(
            producer.bank_bin, producer.bank_account_number, inquiry.confirmed_amount_vnd
        )
    except ValueError:
        # Saved without the page's validation (a script, an import): show no broken code.
        logger.warning("Producer %s has bank details VietQR refuses", producer.pk)
        return None
    return BankTransfer(
        bank=producer.bank,
        account_number=producer.bank_account_number,
        account_holder=producer.bank_account_holder,
        amount_vnd=inquiry.confirmed_amount_vnd,
        note=vietqr.transfer_note(inquiry.reference),
    )


def payment_options(inquiry: Inquiry) -> list[PaymentOption]:
    """The ways to pay shown on the tracking page: none until the amount is confirmed."""
    if not is_payable(inquiry):
        return []
    options = []
    if transfer := bank_transfer(inquiry):
        options.append(PaymentOption(PaymentMethod.BANK_TRANSFER, transfer))
    if accepts_card(inquiry):
        options.append(PaymentOption(PaymentMethod.CARD))
    if inquiry.producer.accepts_cash_on_delivery:
        options.append(PaymentOption(PaymentMethod.CASH))
    return options


def card_refusal(inquiry: Inquiry) -> str | None:
    """Why this inquiry cannot be paid by card now, for the consumer; None if it can."""
    if inquiry.status == Status.PAID:
        return _("This inquiry is already paid.")
    if not is_payable(inquiry):
        return _("You can pay once the producer has confirmed the amount.")
    if not accepts_card(inquiry):
        return _("This producer does not accept card payment.")
    return None


def checkout_params(inquiry: Inquiry) -> dict:
    """The Checkout session for the confirmed amount, in the consumer's language, coming
    back to the site's public address (never the Host a request happened to use).

    VND has no minor unit: Stripe takes the amount in đồng as it is, not × 100.
    """
    reference = inquiry.reference
    metadata = {"inquiry_reference": reference, "inquiry_id": str(inquiry.pk)}
    with override(inquiry.language):
        name = _("Order %(reference)s") % {"reference": reference}
        return_url = reverse("inquiries:pay_return", kwargs={"token": inquiry.token})
        cancel_url = reverse("inquiries:pay_cancel", kwargs={"token": inquiry.token})
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "vnd",
                    "unit_amount": inquiry.confirmed_amount_vnd,
                    "product_data": {"name": name, "description": str(inquiry.producer)},
                },
                "quantity": 1,
            }
        ],
        "client_reference_id": reference,
        "metadata": metadata,
        # Copied to the payment and its charge: failures and refunds name the inquiry too.
        "payment_intent_data": {"metadata": metadata},
        "success_url": f"{absolute_url(return_url)}?session_id={SESSION_ID_PLACEHOLDER}",
        "cancel_url": absolute_url(cancel_url),
        "locale": CHECKOUT_LOCALES.get(inquiry.language, "auto"),
    }
    if inquiry.email:
        params["customer_email"] = inquiry.email
    return params


def create_checkout_session(inquiry: Inquiry) -> str:
    """The URL of the inquiry's Checkout session for its confirmed amount: the open one
    when Stripe still has it open for that amount, else a new one.

    Raises PaymentRefused (without calling Stripe) when card payment is not possible, or
    when the open session has been paid and the webhook has not said so yet; and
    stripe.StripeError when Stripe cannot be reached or refuses.
    """
    if refusal := card_refusal(inquiry):
        raise PaymentRefused(refusal)
    client = get_stripe_client()
    payment = open_card_payment(inquiry)
    if payment is not None and (url := reusable_session_url(client, payment, inquiry)):
        return url
    return new_checkout_session(client, inquiry)


def open_card_payment(inquiry: Inquiry) -> CardPayment | None:
    return inquiry.card_payments.filter(state=State.OPEN).first()


def has_confirmed_terms(payment: CardPayment, inquiry: Inquiry) -> bool:
    """Whether the session asks for what the producer confirmed (it may have changed)."""
    return payment.amount_vnd == inquiry.confirmed_amount_vnd and payment.currency == "vnd"


def session_at_stripe(
    client: stripe.StripeClient, payment: CardPayment
) -> stripe.checkout.Session | None:
    """The open record's session as Stripe has it now; None when Stripe does not know it
    (the site's keys were changed): nothing can be paid there."""
    try:
        return client.v1.checkout.sessions.retrieve(payment.checkout_session)
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise
        logger.warning("Checkout session %s is unknown to Stripe", payment.checkout_session)
        return None


def reusable_session_url(
    client: stripe.StripeClient, payment: CardPayment, inquiry: Inquiry
) -> str | None:
    """The open session's URL when it can still be paid for the confirmed amount; None
    once it is closed here and at Stripe (expired there when it was still open)."""
    session = session_at_stripe(client, payment)
    status = session.status if session else None
    if status == "complete":
        # Paid at Stripe, the webhook not in yet: a new session would take the money twice.
        raise PaymentRefused(
            _(
                "Your card payment has been made and is being confirmed. "
                "This page will show it in a few minutes."
            )
        )
    if status == "open":
        if has_confirmed_terms(payment, inquiry):
            return session.url
        client.v1.checkout.sessions.expire(
            payment.checkout_session,
            options={"idempotency_key": f"{payment.checkout_session}-expire"},
        )
    # Only an open record: the webhook may have recorded a payment meanwhile.
    CardPayment.objects.filter(pk=payment.pk, state=State.OPEN).update(state=State.EXPIRED)
    return None


def checkout_idempotency_key(inquiry: Inquiry, attempt: int) -> str:
    """The same for the same attempt at the same amount: a doubled click, a retry after a
    crash, gets the session Stripe already made for it."""
    return f"inquiry-{inquiry.pk}-checkout-{attempt}-{inquiry.confirmed_amount_vnd}vnd"


def new_checkout_session(client: stripe.StripeClient, inquiry: Inquiry) -> str:
    """Make the inquiry's next Checkout session at Stripe and record it as open; its URL."""
    last = inquiry.card_payments.aggregate(last=Max("attempt"))["last"] or 0
    attempt = last + 1
    session = client.v1.checkout.sessions.create(
        params=checkout_params(inquiry),
        options={"idempotency_key": checkout_idempotency_key(inquiry, attempt)},
    )
    try:
        CardPayment.objects.get_or_create(
            checkout_session=session.id,
            defaults={
                "inquiry": inquiry,
                "attempt": attempt,
                "amount_vnd": inquiry.confirmed_amount_vnd,
                "currency": "vnd",
                "state": State.OPEN,
            },
        )
    except IntegrityError:
        # Another click made the inquiry's open session at the same moment: send nobody
        # to a second one.
        logger.warning("Checkout session %s for %s not recorded", session.id, inquiry.reference)
        raise PaymentRefused(
            _("Card payment is being prepared in another window. Try again in a moment.")
        ) from None
    return session.url
