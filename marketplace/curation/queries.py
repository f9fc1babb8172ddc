"""What the public pages show of the office's curation: a fixed number of queries each."""

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.query import PageQuerySet

from marketplace.curation.models import (
    CraftVillageHighlight,
    FeaturedCollection,
    FeaturedCollectionItem,
    HeroSlide,
    ProducerOfTheMonth,
    first_of_month,
)
from producers import queries as producer_queries
from producers.models import CraftVillage, ProducerPage
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


def active_in_locale(entries: QuerySet, locale: Locale, on: datetime.date | None = None) -> list:
    """The entries shown on a date (today), in the locale or the default language."""
    default = Locale.get_default()
    return in_locale(entries.active(on).filter(locale__in=[locale, default]), locale)


def active_collections(locale: Locale) -> list[FeaturedCollection]:
    """Today's collections in the office's order, in the locale or the default language."""
    return active_in_locale(FeaturedCollection.objects.select_related("image"), locale)


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


# Home page blocks -----------------------------------------------------------------------


def hero_slides(locale: Locale, on: datetime.date | None = None) -> list[HeroSlide]:
    """The slides shown on a date (today) in order, each with `shown_page`: the linked page
    in the locale when translated there. Slides whose page is not live drop out."""
    # Renditions not prefetched: once warm, the rendition cache (in memory) answers the
    # few slides' with no query, where a prefetch would read them on every request.
    slides = active_in_locale(HeroSlide.objects.select_related("link_page", "image"), locale, on)
    pages = shown_pages(
        [slide.link_page for slide in slides if slide.link_page is not None],
        Page.objects.live(),
        locale.pk,
    )
    for slide in slides:
        slide.shown_page = pages.get(slide.link_page_id)
    return [slide for slide in slides if slide.shown_page is not None]


def producer_of_the_month(
    locale: Locale, on: datetime.date | None = None
) -> ProducerOfTheMonth | None:
    """The producer of the month of a date (today) with `shown_page` ready for the producer
    card, or None when there is none or their page is not live."""
    month = first_of_month(on or timezone.localdate())
    default = Locale.get_default()
    entries = ProducerOfTheMonth.objects.filter(month=month, locale__in=[locale, default])
    entry = next(iter(in_locale(entries.select_related("producer"), locale)), None)
    if entry is None:
        return None
    live_producers = producer_queries.with_card_data(ProducerPage.objects.live())
    entry.shown_page = shown_pages([entry.producer], live_producers, locale.pk).get(
        entry.producer_id
    )
    return entry if entry.shown_page is not None else None


def craft_village_highlight(
    locale: Locale, on: datetime.date | None = None
) -> CraftVillageHighlight | None:
    """The craft village highlighted on a date (today), with `shown_village` (in the locale
    when translated there) and its page's `url`."""
    highlights = active_in_locale(
        CraftVillageHighlight.objects.select_related("craft_village"), locale, on
    )
    highlight = next(iter(highlights), None)
    if highlight is None:
        return None
    chosen = highlight.craft_village
    villages = CraftVillage.objects.filter(
        translation_key=chosen.translation_key, locale_id__in=[locale.pk, chosen.locale_id]
    ).select_related("locality", "image")
    by_locale = {village.locale_id: village for village in villages}
    highlight.shown_village = by_locale.get(locale.pk) or by_locale[chosen.locale_id]
    highlight.url = producer_queries.craft_village_url(highlight.shown_village)
    return highlight
