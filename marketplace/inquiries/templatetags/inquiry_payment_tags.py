"""The payment options of an inquiry, for its tracking page's payment include."""

from django import template

from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.payments import PaymentOption
from marketplace.inquiries.payments import payment_options as options_for

register = template.Library()


@register.simple_tag
def payment_options(inquiry: Inquiry) -> list[PaymentOption]:
    return options_for(inquiry)
