"""How a consumer may pay a confirmed inquiry: VietQR bank transfer, card, or cash.

What the tracking page offers follows the producer's payment settings (on the producer
page in the default language, the one an inquiry points to) and the site's Stripe keys.
A card payment is a Stripe Checkout session made here, on the server, from the amount
the producer confirmed: nothing the browser sends reaches Stripe. Only the webhook
(marketplace.inquiries.webhooks) marks an inquiry paid.
"""

import logging
import re
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from marketplace.core.site_address import absolute_url
from marketplace.inquiries.models import Inquiry
from marketplace.payments import vietqr
from marketplace.payments.banks import Bank
from marketplace.payments.stripe_client import get_stripe_client, stripe_enabled

logger = logging.getLogger(__name__)

PaymentMethod = Inquiry.PaymentMethod
Status = Inquiry.Status

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
    """A Stripe Checkout session for the inquiry's confirmed amount; its URL.

    Raises PaymentRefused (without calling Stripe) when card payment is not possible,
    and stripe.StripeError when Stripe cannot be reached or refuses.
    """
    if refusal := card_refusal(inquiry):
        raise PaymentRefused(refusal)
    session = get_stripe_client().v1.checkout.sessions.create(params=checkout_params(inquiry))
    inquiry.stripe_checkout_session = session.id
    Inquiry.objects.filter(pk=inquiry.pk).update(stripe_checkout_session=session.id)
    return session.url
