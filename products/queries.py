"""Product queries of the public pages.

Every list of product cards goes through `with_card_data()` and `product_cards()`, so a
page makes the same number of SQL queries whether it shows 3 products or 24.
"""

import datetime
from collections.abc import Iterable
from functools import cache

from django.db.models import (
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Page
from wagtail.query import PageQuerySet

from marketplace.core.models import CustomImage
from marketplace.core.navigation import Breadcrumb
from marketplace.core.page_cache import kept_while_unchanged
from marketplace.core.rendition_specs import CARD
from marketplace.core.renditions import attach_renditions
from producers.models import Locality, ProducerPage
from products.facets import (
    DEFAULT_LISTING_SORT,
    price_bounds_condition,
    price_range_counts,
    price_ranges_condition,
)
from products.models import (
    EXPERIENCE_GROUP,
    ProductCategory,
    ProductImage,
    ProductIndexPage,
    ProductPage,
)

OTHER_PRODUCTS_LIMIT = 8


def valid_ocop_stars(on: datetime.date | None = None) -> Subquery:
    """The stars of the product's best OCOP certificate valid on a date (today), or NULL."""
    on = on or timezone.localdate()
    return Subquery(
        ProductPage.ocop_certificate_model()
        .objects.valid(on)
        .filter(page=OuterRef("pk"))
        .order_by("-stars")
        .values("stars")[:1]
    )


def live_products(locale: Locale | int) -> PageQuerySet:
    return ProductPage.objects.live().filter(locale=locale)


def ocop_group() -> Coalesce:
    """ProductPage.ocop_group in SQL: the category's group, else its parent's."""
    return Coalesce("category__ocop_group", "category__parent__ocop_group")


def with_card_data(products: PageQuerySet) -> PageQuerySet:
    """Annotate `ocop_stars` and `ocop_group` (`product_cards()` adds the picture and the
    producer, when a card needs them)."""
    return (
        products.defer_streamfields()
        .annotate(ocop_stars=valid_ocop_stars())
        # ProductPage.ocop_group without its queries: cards of experiences ask for a date.
        .annotate(ocop_group=ocop_group())
        .order_by("-first_published_at", "-pk")
    )


def visit_product_ids(page_ids: Iterable[int]) -> set[int]:
    """Which of these products take a visit request (OCOP group 6): search result cards,
    which carry no category, link those to their page's visit form. The experiences are
    read once per process while the content is unchanged, not on each search."""
    return experience_ids() & set(page_ids)


def experience_ids() -> frozenset[int]:
    """Every product that takes a visit request, in every language (a category's group
    changes only with the content, which drops what is kept)."""

    def build() -> frozenset[int]:
        experiences = ProductPage.objects.annotate(group=ocop_group()).filter(
            group=EXPERIENCE_GROUP
        )
        return frozenset(experiences.values_list("pk", flat=True))

    return kept_while_unchanged("experience-product-ids", build)


def parent_path(page: Page) -> str:
    return page.path[: -Page.steplen]


def product_cards(
    products: Iterable[ProductPage], producers: Iterable[ProducerPage] | None = None
) -> list[ProductPage]:
    """The products, each with `producer_page` and `card_image` for the card template.

    Both are read when a card is rendered, for all the products at once: a list whose
    cards are all kept as shared fragments (product_card.html) reads neither. Their
    producers come in one query, or none when the caller has them already
    (`ProductPage.producer` would cost a query per product).
    """
    products = list(products)
    card_data = cache(lambda: _card_data(products, producers))
    for product in products:
        product.producer_page = SimpleLazyObject(lambda pk=product.pk: card_data()[pk][0])
        product.card_image = SimpleLazyObject(lambda pk=product.pk: card_data()[pk][1])
    return products


def _card_data(
    products: list[ProductPage], producers: Iterable[ProducerPage] | None
) -> dict[int, tuple[ProducerPage | None, CustomImage | None]]:
    """Each product's producer and first picture, with the picture's card renditions."""
    gallery = ProductImage.objects.select_related("image")
    prefetch_related_objects(products, Prefetch("gallery_images", queryset=gallery))
    if producers is None:
        paths = {parent_path(product) for product in products}
        producers = ProducerPage.objects.filter(path__in=paths).select_related("locality")
    producers_by_path = {producer.path: producer for producer in producers}
    found = {}
    for product in products:
        first = next(iter(product.gallery_images.all()), None)
        found[product.pk] = (
            producers_by_path.get(parent_path(product)),
            first.image if first else None,
        )
    # From the rendition cache: a warm listing reads no rendition from the database.
    attach_renditions((image for _producer, image in found.values()), CARD)
    return found


def products_of_producers(products: QuerySet, producer_paths) -> QuerySet:
    """The products among `products` whose parent is one of these producers, by the
    producers' paths (a list or a `.values("path")` subquery); each has `parent_path`."""
    return products.annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen)).filter(
        parent_path__in=producer_paths
    )


def filter_products(
    products: PageQuerySet,
    *,
    category: ProductCategory | None = None,
    stars: Iterable[int] = (),
    locality: Locality | None = None,
    availability: str = "",
    price: Iterable[str] = (),
    price_min: int | None = None,
    price_max: int | None = None,
) -> PageQuerySet:
    """Narrow a `with_card_data()` queryset; `stars` counts certificates valid today only.

    `price`: keys of the catalogue's price ranges (products.facets), any of them.
    """
    if price or price_min is not None or price_max is not None:
        products = products.filter(
            price_ranges_condition(price, "price_vnd")
            & price_bounds_condition("price_vnd", price_min, price_max)
        )
    if category is not None:
        products = products.filter(Q(category=category) | Q(category__parent=category))
    if stars:
        products = products.filter(ocop_stars__in=list(stars))
    if locality is not None:
        producer_paths = ProducerPage.objects.filter(locality=locality).values("path")
        products = products_of_producers(products, producer_paths)
    if availability:
        products = products.filter(availability=availability)
    return products


# The listing's sorts (products.facets.LISTING_SORTS) as orderings of product pages:
# prices "on request" and products without valid stars last, then the newest first,
# as the search sorts its entries.
NEWEST_FIRST = ("-first_published_at", "-pk")
SORT_ORDERINGS = {
    "newest": NEWEST_FIRST,
    "price_asc": (F("price_vnd").asc(nulls_last=True), *NEWEST_FIRST),
    "price_desc": (F("price_vnd").desc(nulls_last=True), *NEWEST_FIRST),
    "stars": (F("ocop_stars").desc(nulls_last=True), *NEWEST_FIRST),
}


def sort_products(products: PageQuerySet, sort: str) -> PageQuerySet:
    """A `with_card_data()` queryset in a listing sort's order (else the newest first)."""
    return products.order_by(*SORT_ORDERINGS.get(sort, SORT_ORDERINGS[DEFAULT_LISTING_SORT]))


def filtered_listing(
    products: PageQuerySet, filters: dict, sort: str
) -> tuple[PageQuerySet, dict[str, int]]:
    """The products the filters keep, sorted, and the number in each price range with
    the other filters applied (as the search counts its facets: a chosen range does not
    hide the others)."""
    other_filters = {
        name: value
        for name, value in filters.items()
        if name not in ("price", "price_min", "price_max")
    }
    unpriced = filter_products(products, **other_filters)
    # Counted when the form is rendered: not when it is a kept fragment (filter_form.html).
    counts = SimpleLazyObject(lambda: price_range_counts(unpriced.order_by(), "price_vnd"))
    return sort_products(filter_products(products, **filters), sort), counts


def product_index_page(locale: Locale | int) -> ProductIndexPage | None:
    return ProductIndexPage.objects.live().filter(locale=locale).first()


def category_url(index_page: ProductIndexPage, category: ProductCategory) -> str:
    """URL of the index page's category/<slug>/ route."""
    return index_page.url + index_page.reverse_subpage("category", kwargs={"slug": category.slug})


def gallery_images(product_page: ProductPage) -> list[ProductImage]:
    # Renditions not prefetched: once warm, the rendition cache (in memory) answers them
    # with no query, where a prefetch would read them all on every request.
    return list(product_page.gallery_images.select_related("image"))


def catalogue_breadcrumbs(
    index_page: ProductIndexPage, category: ProductCategory | None = None
) -> list[Breadcrumb]:
    """Home › Products (› OCOP group) (› category), every item a link."""
    home = index_page.get_parent()
    crumbs = [Breadcrumb(home.title, home.url), Breadcrumb(index_page.title, index_page.url)]
    if category is not None:
        if category.parent_id:
            parent = category.parent
            crumbs.append(Breadcrumb(parent.name, category_url(index_page, parent)))
        crumbs.append(Breadcrumb(category.name, category_url(index_page, category)))
    return crumbs


def product_breadcrumbs(product_page: ProductPage) -> list[Breadcrumb]:
    """Home › Products › Category › Product."""
    index_page = product_index_page(product_page.locale_id)
    if index_page is None:
        return [Breadcrumb(product_page.title)]
    return [
        *catalogue_breadcrumbs(index_page, product_page.category),
        Breadcrumb(product_page.title),
    ]


def product_page_context(product_page: ProductPage) -> dict:
    """Read when the template first uses them: not at all for the parts of the page kept
    as shared fragments (product_page.html)."""
    today = timezone.localdate()

    @cache
    def producer() -> ProducerPage | None:
        return (
            ProducerPage.objects.select_related("locality", "craft_village", "logo")
            .filter(path=parent_path(product_page))
            .first()
        )

    parts = {
        "gallery_images": lambda: gallery_images(product_page),
        "ocop_certificate": lambda: product_page.valid_ocop_certificate(today),
        "certificates": lambda: shown_certificates(product_page, today),
        "certifications": lambda: list(product_page.certifications.all()),
        "producer": producer,
        "other_products": lambda: other_products(product_page, producer()),
        "breadcrumbs": lambda: product_breadcrumbs(product_page),
        "tags": lambda: list(product_page.tags.all()),
    }
    return {name: SimpleLazyObject(read) for name, read in parts.items()}


def shown_certificates(product_page: ProductPage, today: datetime.date) -> list:
    """The product's public OCOP certificates, newest first, each marked `expired`."""
    certificates = sorted(
        (
            certificate
            for certificate in product_page.ocop_certificates.all()
            if certificate.is_public
        ),
        key=lambda certificate: certificate.issue_date,
        reverse=True,
    )
    for certificate in certificates:
        certificate.expired = certificate.is_expired(today)
    return certificates


def other_products(product_page: ProductPage, producer: ProducerPage | None) -> list[ProductPage]:
    """The producer's other live products, as cards."""
    if producer is None:
        return []
    others = with_card_data(live_products(product_page.locale_id).child_of(producer))
    if product_page.pk:
        others = others.exclude(pk=product_page.pk)
    return product_cards(others[:OTHER_PRODUCTS_LIMIT], [producer])


# Product cards on the producers' pages (producer page, craft village page).
VILLAGE_PRODUCTS_LIMIT = 24


def producer_product_cards(producer_page: ProducerPage) -> list[ProductPage]:
    """The producer's live products, ready for the product card template."""
    products = with_card_data(ProductPage.objects.live().child_of(producer_page))
    return product_cards(products, [producer_page])


def product_cards_of_producers(
    producers: Iterable[ProducerPage], locale: Locale | int, limit: int = VILLAGE_PRODUCTS_LIMIT
) -> list[ProductPage]:
    """Live products made by any of the producers, newest first, in a fixed number of queries."""
    producers = list(producers)
    by_parent = Q()
    for producer in producers:
        by_parent |= Q(path__startswith=producer.path, depth=producer.depth + 1)
    if not by_parent:
        return []
    products = with_card_data(live_products(locale).filter(by_parent))[:limit]
    return product_cards(products, producers)
