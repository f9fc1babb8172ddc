"""What the home page shows besides its own fields, in a fixed number of queries."""

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page
from wagtail.query import PageQuerySet

from marketplace.curation import queries as curation
from producers import queries as producer_queries
from producers.models import ProducerPage
from products import queries as product_queries
from products.models import ProductCategory, ProductIndexPage, ProductPage

if TYPE_CHECKING:  # HomePage.get_context() calls this module
    from marketplace.base.models import HomePage


def localized_in_order(chosen: Iterable[Page], live_pages: PageQuerySet, locale_id: int) -> list:
    """Each chosen page in the locale if translated there (like `.localized`), else itself.

    Chosen pages found in neither form among `live_pages` are left out.
    """
    chosen = list(chosen)
    found = live_pages.filter(
        Q(translation_key__in=[page.translation_key for page in chosen])
        & (Q(locale_id=locale_id) | Q(pk__in=[page.pk for page in chosen]))
    )
    by_key: dict = {}
    for page in found:
        if page.translation_key not in by_key or page.locale_id == locale_id:
            by_key[page.translation_key] = page
    return [by_key[page.translation_key] for page in chosen if page.translation_key in by_key]


def featured_products(home_page: "HomePage") -> list[ProductPage]:
    chosen = [item.product for item in home_page.featured_products.select_related("product")]
    live_pages = product_queries.with_card_data(ProductPage.objects.live())
    return product_queries.product_cards(
        localized_in_order(chosen, live_pages, home_page.locale_id)
    )


def featured_producers(home_page: "HomePage") -> list[ProducerPage]:
    chosen = [item.producer for item in home_page.featured_producers.select_related("producer")]
    live_pages = producer_queries.with_card_data(ProducerPage.objects.live())
    return localized_in_order(chosen, live_pages, home_page.locale_id)


def category_entry_points(
    home_page: "HomePage", index_page: ProductIndexPage | None
) -> list[tuple[ProductCategory, str]]:
    """The six OCOP groups in the page's language, each with its catalogue URL."""
    if index_page is None:
        return []
    groups = ProductCategory.objects.filter(locale_id=home_page.locale_id, parent=None)
    return [(group, product_queries.category_url(index_page, group)) for group in groups]


def latest_products(home_page: "HomePage") -> list[ProductPage]:
    products = product_queries.with_card_data(product_queries.live_products(home_page.locale_id))
    return product_queries.product_cards(products[: home_page.latest_products_count])


def home_page_context(home_page: "HomePage") -> dict:
    """Read when the template first uses them: not at all when its content is a kept
    fragment (page_cache.shared_fragment)."""

    @functools.cache
    def index_page() -> ProductIndexPage | None:
        return product_queries.product_index_page(home_page.locale_id)

    locale = home_page.locale
    parts = {
        "featured_products": lambda: featured_products(home_page),
        "featured_producers": lambda: featured_producers(home_page),
        "categories": lambda: category_entry_points(home_page, index_page()),
        "products_index": index_page,
        "latest_products": lambda: latest_products(home_page),
        "featured_collections": lambda: curation.home_collections(locale),
        "hero_slides": lambda: curation.hero_slides(locale),
        "producer_of_the_month": lambda: curation.producer_of_the_month(locale),
        "craft_village_highlight": lambda: curation.craft_village_highlight(locale),
    }
    return {name: SimpleLazyObject(read) for name, read in parts.items()}
