"""Fixtures for the consumer's inquiry pages: two producers and their products.

Use with `pytest_plugins = ["tests.inquiry_fixtures"]`; tests/inquiry_helpers.py drives the
pages with Django's test client, as a visitor's browser would.
"""

from dataclasses import dataclass

import pytest

from marketplace.base.structure import SiteStructure
from producers.models import Locality, ProducerPage
from products.models import ProductPage
from tests.factories import make_locality, make_producer, make_product
from tests.public_pages_fixtures import translate_page, translate_snippet


@dataclass
class Shop:
    site: SiteStructure
    locality: Locality
    producer_a: ProducerPage
    producer_b: ProducerPage
    rice_wine: ProductPage  # A's, 120.000 ₫ a bottle
    mat: ProductPage  # A's, price on request
    fish_sauce: ProductPage  # B's, 50.000 ₫, sold from 5
    sold_out: ProductPage  # B's, out of stock
    draft: ProductPage  # B's, never published


@pytest.fixture
def shop(site) -> Shop:
    locality = make_locality()
    producer_a = make_producer(site.producers, name="HTX Rượu Gò Nổi", locality=locality)
    producer_b = make_producer(site.producers, name="Cơ sở Nước mắm Cửa Đại", locality=locality)
    return Shop(
        site=site,
        locality=locality,
        producer_a=producer_a,
        producer_b=producer_b,
        rice_wine=make_product(producer_a, "Rượu nếp Gò Nổi", price_vnd=120000, unit="chai"),
        mat=make_product(
            producer_a, "Chiếu cói", price_vnd=None, price_on_request=True, unit="chiếc"
        ),
        fish_sauce=make_product(
            producer_b, "Nước mắm nhĩ", price_vnd=50000, unit="chai", minimum_order_quantity=5
        ),
        sold_out=make_product(
            producer_b, "Mắm cái", price_vnd=40000, unit="hũ", availability="out_of_stock"
        ),
        draft=make_product(producer_b, "Mắm ruốc", publish=False),
    )


@pytest.fixture
def shop_en(shop) -> Shop:
    """The shop with English pages of its producers, products and locality."""
    translate_snippet(shop.locality, name="Dien Duong ward")
    for producer in (shop.producer_a, shop.producer_b):
        translate_page(
            producer, title=f"{producer.title} (en)", display_name=f"{producer.title} EN"
        )
    for product, title in ((shop.rice_wine, "Go Noi rice wine"), (shop.fish_sauce, "Fish sauce")):
        translate_page(product, title=title, slug=f"{product.slug}-en")
    return shop
