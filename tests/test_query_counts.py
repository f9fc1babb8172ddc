"""Public pages make the same number of SQL queries for 3 products as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.base.models import HomePageFeaturedProducer, HomePageFeaturedProduct
from producers.models import ProducerPage
from products.models import ProductImage, ProductPage
from tests.factories import make_craft_village, make_image, make_producer, make_product
from tests.public_pages_fixtures import (
    ISSUED,
)

# Counted: the queries of a rendering, not of a page served from the page cache.
pytestmark = pytest.mark.usefixtures("no_page_cache")


def count_queries(client, url: str) -> int:
    # The first view creates renditions and the footer settings: measure the second.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


class Catalogue:
    """Producers of one craft village with products, all featured on the home page."""

    def __init__(self, site):
        self.site = site
        self.village = make_craft_village()
        self.producers: list[ProducerPage] = []
        self.products: list[ProductPage] = []

    def add_producer(self) -> ProducerPage:
        producer = make_producer(self.site.producers, craft_village=self.village)
        HomePageFeaturedProducer.objects.create(page=self.site.home, producer=producer)
        self.producers.append(producer)
        return producer

    def add_products(self, producer: ProducerPage, count: int) -> None:
        for n in range(count):
            product = make_product(producer, stars=3 + n % 3, certificate_issued=ISSUED)
            ProductImage.objects.create(page=product, image=make_image(), sort_order=1)
            HomePageFeaturedProduct.objects.create(page=self.site.home, product=product)
            self.products.append(product)

    def urls(self) -> list[str]:
        products, producers = self.site.products.url, self.site.producers.url
        return [
            "/vi/",
            products,
            products + "?stars=3&stars=4&stars=5&locality=dien-duong&availability=in_stock",
            products + "danh-muc/thuc-pham/",
            self.products[0].url,
            producers,
            self.producers[0].url,
            producers + "lang-nghe/",
            producers + f"lang-nghe/{self.village.slug}/",
        ]


@pytest.mark.django_db
def test_public_pages_make_a_fixed_number_of_queries(site, client, django_assert_max_num_queries):
    site.home.latest_products_count = 24
    site.home.save_revision().publish()
    catalogue = Catalogue(site)
    catalogue.add_products(catalogue.add_producer(), 3)
    small = {url: count_queries(client, url) for url in catalogue.urls()}

    # 30 products: 12 of the first producer (the product page shows 8 others), 18 of two more.
    catalogue.add_products(catalogue.producers[0], 9)
    for _ in range(2):
        catalogue.add_products(catalogue.add_producer(), 9)
    assert len(catalogue.products) == 30

    for url in catalogue.urls():
        client.get(url)  # renditions of the new images
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200
