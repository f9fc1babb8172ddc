"""Builders for submitted inquiries, through the real submission code (no shortcuts)."""

import itertools

from marketplace.inquiries.inquiry_list import Line, ProducerGroup
from marketplace.inquiries.submission import SubmitResult, new_submission_key, submit_inquiries
from producers.models import ProducerPage
from products.models import ProductPage

_numbers = itertools.count(1)


def contact(**overrides) -> dict:
    """What the request form hands to submit_inquiries, already cleaned."""
    return {
        "name": "Nguyễn Thị Lan",
        "phone": "+84905123456",
        "email": "lan@example.com",
        "channel": "zalo",
        "delivery": "deliver",
        "delivery_province_code": 48,
        "delivery_province_name": "Thành phố Đà Nẵng",
        "delivery_ward_code": 20587,
        "delivery_ward_name": "Xã Gò Nổi",
        "delivery_address": "12 Trần Phú",
        "message": "Xin giao trước Tết.",
        **overrides,
    }


def group(producer: ProducerPage, *lines: tuple[ProductPage, int]) -> ProducerGroup:
    return ProducerGroup(producer, [Line(product, quantity) for product, quantity in lines])


def submit(
    *groups: ProducerGroup, language: str = "vi", key: str | None = None, **contact_fields
) -> SubmitResult:
    return submit_inquiries(
        key or new_submission_key(), list(groups), contact(**contact_fields), language
    )


def phone_number() -> str:
    """A different valid Vietnamese mobile number (E.164) on each call."""
    return f"+8490{next(_numbers):07d}"
