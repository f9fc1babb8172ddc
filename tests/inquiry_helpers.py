"""Driving the consumer's inquiry pages with Django's test client, as a browser would."""

import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

from products.models import ProductPage


def url(name: str, language: str = "vi", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"inquiries:{name}", kwargs=kwargs or None)


def add(client: Client, product: ProductPage, quantity="1", language: str = "vi", **extra):
    return client.post(url("add", language), {"product": product.pk, "quantity": quantity, **extra})


def fill(client: Client, *lines: tuple[ProductPage, int]) -> None:
    """Put products in the visitor's list, and read the messages that says so."""
    for product, quantity in lines:
        assert add(client, product, str(quantity)).status_code == 302
    client.get(url("list"))


def list_quantities(client: Client) -> dict[str, int]:
    return dict(client.session.get("inquiry_list", {}))


# Codes of the 2025 map (marketplace.core.places).
DA_NANG, GO_NOI, DIEN_BAN = 48, 20587, 20551
HA_NOI, HOAN_KIEM = 1, 70

KEY_PATTERN = re.compile(r'<input type="hidden" name="key" value="([^"]+)">')


def form_key(client: Client, language: str = "vi") -> str:
    """Open the request form, as a visitor does before filling it in; its issued key."""
    response = client.get(url("send", language))
    assert response.status_code == 200, response
    return KEY_PATTERN.search(response.content.decode()).group(1)


def request_data(key: str, shop, **overrides) -> dict:
    """A filled-in request form, valid unless overridden."""
    return {
        "key": key,
        "name": "Nguyễn Thị Lan",
        "phone": "0905 123 456",
        "email": "lan@example.com",
        "channel": "zalo",
        "delivery": "deliver",
        "delivery_province": DA_NANG,
        "delivery_ward": GO_NOI,
        "delivery_address": "12 Trần Phú",
        "wished_date": "",
        "message": "Xin giao trước Tết.",
        "consent": "on",
        "website": "",
        **overrides,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
