"""Paying a confirmed inquiry: card through Stripe Checkout, and the VietQR image.

The pages after Checkout only report what the webhook recorded: the browser coming back
from Stripe proves nothing (anyone can open the return URL).
"""

import logging

import stripe
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.core.navigation import Breadcrumb
from marketplace.inquiries import ratelimit
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.payments import PaymentRefused, bank_transfer, create_checkout_session
from marketplace.inquiries.views import breadcrumbs, private, rate_limited
from marketplace.payments.vietqr import vietqr_png as draw_vietqr_png

logger = logging.getLogger(__name__)


def get_inquiry(token: str) -> Inquiry:
    return get_object_or_404(Inquiry.objects.select_related("producer"), token=token)


def tracking_url(inquiry: Inquiry) -> str:
    """The tracking page in the language being browsed."""
    return reverse("inquiries:track", kwargs={"token": inquiry.token})


def see_other(url: str) -> HttpResponseRedirect:
    """A redirect after a POST, which the browser follows with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def render_private(request: HttpRequest, template: str, inquiry: Inquiry, **context):
    crumbs = breadcrumbs(
        request, Breadcrumb(inquiry.reference, tracking_url(inquiry)), Breadcrumb(_("Payment"))
    )
    response = render(
        request,
        template,
        {"inquiry": inquiry, "breadcrumbs": crumbs, "seo_title": _("Payment"), **context},
    )
    # The URL holds the inquiry's secret token: never send it on to linked sites.
    response["Referrer-Policy"] = "no-referrer"
    return private(response)


@require_POST
def pay_card(request: HttpRequest, token: str) -> HttpResponse:
    """Send the consumer to Stripe Checkout for the confirmed amount. Nothing but the token
    is read from the request."""
    if ratelimit.hit(request, "pay"):
        return rate_limited(request, "pay")
    inquiry = get_inquiry(token)
    try:
        return see_other(create_checkout_session(inquiry))
    except PaymentRefused as refusal:
        messages.error(request, str(refusal))
    except stripe.StripeError:
        logger.exception("Stripe Checkout session for %s failed", inquiry.reference)
        messages.error(
            request,
            _("Card payment is not available right now. Try again later, or pay another way."),
        )
    return see_other(tracking_url(inquiry))


@require_GET
def pay_return(request: HttpRequest, token: str) -> HttpResponse:
    """Back from Checkout. The `session_id` Stripe adds to the URL is not trusted: the page
    says "received" only once the webhook has marked the inquiry paid."""
    inquiry = get_inquiry(token)
    paid = inquiry.status == Inquiry.Status.PAID
    return render_private(request, "inquiries/payment_return.html", inquiry, paid=paid)


@require_GET
def pay_cancel(request: HttpRequest, token: str) -> HttpResponse:
    inquiry = get_inquiry(token)
    return render_private(request, "inquiries/payment_cancel.html", inquiry)


@require_GET
def vietqr_png(request: HttpRequest, token: str) -> HttpResponse:
    """The VietQR code as an image to save and open in a banking app."""
    inquiry = get_inquiry(token)
    transfer = bank_transfer(inquiry)
    if transfer is None:
        raise Http404
    response = HttpResponse(draw_vietqr_png(transfer.payload), content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"vietqr-{inquiry.reference}.png"
    )
    return private(response)
