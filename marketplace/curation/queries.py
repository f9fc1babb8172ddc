"""What the public pages show of featured collections: a fixed number of queries each."""

from collections.abc import Iterable, Sequence

from django.db.models import Q
from wagtail.models import Locale, Page
from wagtail.query import PageQuerySet

from marketplace.curation.models import FeaturedCollection, FeaturedCollectionItem
from producers import queries as producer_queries
from producers.models import ProducerPage
from products import queries as product_queries
from products.models import ProductPage

HOME_ITEMS_LIMIT = 8


def shown_pages(chosen: Sequence[Page], live_pages: PageQuerySet, locale_id: int) -> dict:
    """Map each chosen page's pk to the page the public sees, leaving out hidden ones.

    A chosen page is hidden unless it is among `live_pages` itself; it is shown in the
    locale when its translation is there too (like `.localized`), else as it is.
    """
    found = live_pages.filter(
        Q(translation_key__in=[page.translation_key for page in chosen])
        & (Q(locale_id=locale_id) | Q(pk__in=[page.pk for page in chosen]))
    )
    by_pk = {page.pk: page for page in found}
    in_locale = {page.translation_key: page for page in found if page.locale_id == locale_id}
    return {
        page.pk: in_locale.get(page.translation_key, by_pk[page.pk])
        for page in chosen
        if page.pk in by_pk
    }


def visible_products() -> PageQuerySet:
    return ProductPage.objects.live().exclude(availability=ProductPage.Availability.OUT_OF_STOCK)


def visible_items(
    collection: FeaturedCollection, locale_id: int, limit: int | None = None
) -> list[FeaturedCollectionItem]:
    """The collection's items the public sees, in order, each with `shown_page` set to the
    product or producer in the locale, ready for its card template."""
    # The office's order; the pk breaks ties (items saved without one, e.g. by code).
    items = list(
        collection.items.select_related("product", "producer").order_by("sort_order", "pk")
    )
    products = shown_pages(
        [item.product for item in items if item.product is not None],
        product_queries.with_card_data(visible_products()),
        locale_id,
    )
    product_queries.product_cards(products.values())
    producers = shown_pages(
        [item.producer for item in items if item.producer is not None],
        producer_queries.with_card_data(ProducerPage.objects.live()),
        locale_id,
    )
    visible = []
    for item in items:
        item.shown_page = products.get(item.product_id) or producers.get(item.producer_id)
        if item.shown_page is not None:
            visible.append(item)
    return visible[:limit]


def in_locale(collections: Iterable[FeaturedCollection], locale: Locale) -> list:
    """Each collection in the locale if translated there, else in the default language."""
    collections = list(collections)
    translated = {c.translation_key for c in collections if c.locale_id == locale.pk}
    return [
        c for c in collections if c.locale_id == locale.pk or c.translation_key not in translated
    ]


def active_collections(locale: Locale) -> list[FeaturedCollection]:
    """Today's collections in the office's order, in the locale or the default language."""
    default = Locale.get_default()
    collections = FeaturedCollection.objects.active().filter(locale__in=[locale, default])
    return in_locale(collections.select_related("image"), locale)


def home_collections(locale: Locale) -> list[FeaturedCollection]:
    """Today's collections with `cards` (up to HOME_ITEMS_LIMIT visible items) set."""
    collections = active_collections(locale)
    for collection in collections:
        collection.cards = visible_items(collection, locale.pk, HOME_ITEMS_LIMIT)
    return [collection for collection in collections if collection.cards]


def find_active_collection(slug: str, locale: Locale) -> FeaturedCollection | None:
    """The active collection with this slug in the locale, or the default language."""
    return next(
        (c for c in active_collections(locale) if c.slug == slug),
        None,
    )
