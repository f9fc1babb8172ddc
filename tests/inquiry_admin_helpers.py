"""Helpers for the inquiry admin tests: inquiries made as the request form makes them."""

from django.urls import reverse

from marketplace.inquiries.inquiry_list import Line, ProducerGroup
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.submission import new_submission_key, submit_inquiries

CONTACT = {
    "name": "Nguyễn Thị Lan",
    "phone": "+84905123456",
    "email": "lan@example.com",
    "channel": Inquiry.Channel.ZALO,
    "delivery": Inquiry.Delivery.DELIVER,
    "delivery_address": "12 Trần Phú",
    "message": "Giao trước Tết nhé.",
}


def make_inquiry(producer, quantity: int = 2, **contact) -> Inquiry:
    """One inquiry to `producer` (a producer_accounts_fixtures.Producer) for `quantity` of
    its product, sent in Vietnamese through the real submission code."""
    groups = [ProducerGroup(producer.page, [Line(producer.product, quantity)])]
    result = submit_inquiries(new_submission_key(), groups, {**CONTACT, **contact}, "vi")
    return result.submission.inquiries.get()


def set_status(inquiry: Inquiry, status: str) -> Inquiry:
    """Put an inquiry in a status directly: the starting point of a transition test."""
    Inquiry.objects.filter(pk=inquiry.pk).update(status=status)
    inquiry.refresh_from_db()
    return inquiry


def index_url() -> str:
    return reverse("inquiries_admin:index")


def detail_url(inquiry: Inquiry) -> str:
    return reverse("inquiries_admin:detail", args=[inquiry.pk])
