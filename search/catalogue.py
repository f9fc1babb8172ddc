"""What the catalogue search knows about a product or a producer, built from the database.

Both backends index product records (Elasticsearch documents, the database's search
entries), so they match and rank from the same data; producer records feed the
Elasticsearch producers index, and the database backend matches producers on the same
text. Records are built in bulk from `.values()` rows, without page instances (the
most costly part of a rebuild before): a batch costs a fixed number of queries,
whatever its size, and about a tenth of a millisecond of Python per product.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from wagtail import hooks
from wagtail.models import Page, Site

from marketplace.certificates.models import OcopCertificate
from marketplace.core.text import normalise, strip_diacritics
from producers.models import ProducerPage
from producers.models import legal_form_label as producer_legal_form_label
from products.models import (
    ProductCategory,
    ProductCertification,
    ProductImage,
    ProductPage,
    ProductTag,
)
from products.queries import products_of_producers

BATCH_SIZE = 1000


def featured_product_keys(on: datetime.date | None = None) -> set:
    """Translation keys of the products the office features on a date (today): search ranks
    them higher. The apps that feature products answer through the
    `featured_product_keys` hook (a function of the date returning translation keys): the
    home page's chosen products, the featured collections shown that day."""
    on = on or timezone.localdate()
    return {key for answer in hooks.get_hooks("featured_product_keys") for key in answer(on)}


@dataclass(frozen=True)
class CertificateWindow:
    stars: int
    valid_from: datetime.date
    valid_until: datetime.date


@dataclass
class ProductRecord:
    page_id: int
    language: str
    translation_key: str
    title: str
    url: str
    # Searchable text, normalised (exact diacritics) and folded (without).
    title_normalised: str
    title_folded: str
    text_normalised: str
    text_folded: str
    producer_id: int | None
    producer_name: str
    category_slugs: list[str]  # the category and its OCOP group
    category_names: list[str]
    locality_slug: str
    locality_name: str
    craft_village_slug: str
    craft_village_name: str
    certification_kinds: list[str]
    availability: str
    price: int | None
    unit: str
    image_id: int | None
    featured: bool
    published_at: datetime.datetime | None
    ocop: list[CertificateWindow] = field(default_factory=list)


@dataclass
class ProducerRecord:
    page_id: int
    language: str
    name: str  # the page title
    display_name: str
    url: str
    # Names (title and display name), then everything searchable about the producer.
    name_normalised: str
    name_folded: str
    text_normalised: str
    text_folded: str
    legal_form: str
    locality_slug: str
    locality_name: str
    craft_village_slug: str
    craft_village_name: str
    logo_id: int | None
    product_count: int  # live products


def indexable_products() -> QuerySet:
    """Live, public products, in page-tree order."""
    return ProductPage.objects.live().public().order_by("path")


def indexable_producers() -> QuerySet:
    """Live, public producers, in page-tree order."""
    return ProducerPage.objects.live().public().order_by("path")


PRODUCT_FIELDS = (
    "pk",
    "path",
    "url_path",
    "title",
    "translation_key",
    "locale__language_code",
    "category_id",
    "short_description",
    "price_vnd",
    "price_on_request",
    "unit",
    "availability",
    "ingredients",
    "first_published_at",
)
PRODUCER_FIELDS = (
    "pk",
    "path",
    "url_path",
    "title",
    "display_name",
    "locale__language_code",
    "legal_form",
    "summary",
    "logo_id",
    "locality__slug",
    "locality__name",
    "craft_village__slug",
    "craft_village__name",
)


def text_forms(text: str) -> tuple[str, str]:
    """(normalised, folded) text."""
    normalised = normalise(text or "")
    return normalised, strip_diacritics(normalised)


def joined_forms(*parts: tuple[str, str]) -> tuple[str, str]:
    """(normalised, folded) of texts joined by spaces, from theirs.

    Texts normalise and fold alike alone or joined by spaces, so repeated ones (names
    of producers, places, categories) are folded once per rebuild.
    """
    parts = [part for part in parts if part[0]]
    return " ".join(n for n, _f in parts), " ".join(f for _n, f in parts)


def _grouped(pairs: Iterable[tuple]) -> dict:
    """{key: [values]} from (key, value) pairs, in their order."""
    groups = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


class PageUrls:
    """What Page.url gives, from a page's url_path alone (as Wagtail's get_url_parts).

    reverse() runs once per site root: below it, a page's path is made of slugs, which
    reverse() only percent-encodes.
    """

    def __init__(self) -> None:
        self.site_root_paths = Site.get_site_root_paths()
        self.single_site = len({root.site_id for root in self.site_root_paths}) == 1
        self._roots: dict[tuple[str, str], str] = {}  # the path of each site root

    def __call__(self, url_path: str) -> str:
        for _site, root_path, root_url, language in self.site_root_paths:
            if url_path.startswith(root_path):
                if (root_path, language) not in self._roots:
                    with translation.override(language):
                        self._roots[root_path, language] = reverse("wagtail_serve", args=("",))
                path = self._roots[root_path, language] + quote(url_path[len(root_path) :])
                return path if self.single_site else root_url + path
        return ""


def live_product_counts(producer_paths: list[str]) -> dict[str, int]:
    """The number of indexable products of each producer, by the producer's path."""
    return dict(
        products_of_producers(indexable_products(), producer_paths)
        .order_by()
        .values("parent_path")
        .annotate(count=Count("pk"))
        .values_list("parent_path", "count")
    )


class RecordBuilder:
    """Builds records from `.values()` rows, loading what every batch shares only once."""

    def __init__(self) -> None:
        self.page_url = PageUrls()
        self._names: dict[str, tuple[str, str]] = {}  # see cached()

    @functools.cached_property
    def categories(self) -> dict[int, dict]:
        return {
            row["pk"]: row for row in ProductCategory.objects.values("pk", "slug", "name", "parent")
        }

    @functools.cached_property
    def featured(self) -> set:
        return featured_product_keys()

    def cached(self, text: str) -> tuple[str, str]:
        """text_forms() of a text that repeats from record to record: a name, a tag…"""
        if text not in self._names:
            self._names[text] = text_forms(text)
        return self._names[text]

    # Products -------------------------------------------------------------------------

    def product_records(self, products: QuerySet) -> list[ProductRecord]:
        """Records of `products` (a ProductPage queryset), in its order."""
        rows = list(products.values(*PRODUCT_FIELDS))
        if not rows:
            return []
        # A subquery: Django prepares each value of an IN list, which costs more than SQL.
        ids = products.values("pk")
        producers = {
            row["path"]: row
            for row in ProducerPage.objects.filter(
                path__in={row["path"][: -Page.steplen] for row in rows}
            ).values(*PRODUCER_FIELDS)
        }
        tags = _grouped(
            ProductTag.objects.filter(content_object_id__in=ids)
            .order_by("pk")
            .values_list("content_object_id", "tag__name")
        )
        kinds = _grouped(
            ProductCertification.objects.filter(page_id__in=ids).values_list("page_id", "kind")
        )
        images = _grouped(
            ProductImage.objects.filter(page_id__in=ids)
            .order_by("sort_order", "pk")
            .values_list("page_id", "image_id")
        )
        windows = _grouped(
            (page_id, CertificateWindow(stars, valid_from, valid_until))
            for page_id, stars, valid_from, valid_until in OcopCertificate.objects.verified()
            .filter(page_id__in=ids)
            .order_by("pk")
            .values_list("page_id", "stars", "issue_date", "expiry_date")
        )
        return [
            self.product_record(
                row,
                producers.get(row["path"][: -Page.steplen]),
                tags=tags.get(row["pk"], []),
                kinds=kinds.get(row["pk"], []),
                images=images.get(row["pk"], []),
                windows=windows.get(row["pk"], []),
            )
            for row in rows
        ]

    def product_record(
        self,
        row: dict,
        producer: dict | None,
        tags: list[str],
        kinds: list[str],
        images: list[int],
        windows: list[CertificateWindow],
    ) -> ProductRecord:
        producer = producer or {}
        category = self.categories[row["category_id"]]
        parent = self.categories.get(category["parent"])
        categories = [category, parent] if parent else [category]
        producer_name = producer.get("display_name") or ""
        village = producer.get("craft_village__name") or ""
        locality = producer.get("locality__name") or ""
        title_normalised, title_folded = text_forms(row["title"])
        # The title leads the text, as on the page.
        text_normalised, text_folded = joined_forms(
            (title_normalised, title_folded),
            self.cached(producer_name),
            *(self.cached(c["name"]) for c in categories),
            self.cached(village),
            self.cached(locality),
            text_forms(row["short_description"]),
            *(self.cached(tag) for tag in tags),
            self.cached(row["ingredients"]),
        )
        return ProductRecord(
            page_id=row["pk"],
            language=row["locale__language_code"],
            translation_key=str(row["translation_key"]),
            title=row["title"],
            url=self.page_url(row["url_path"]),
            title_normalised=title_normalised,
            title_folded=title_folded,
            text_normalised=text_normalised,
            text_folded=text_folded,
            producer_id=producer.get("pk"),
            producer_name=producer_name,
            category_slugs=[c["slug"] for c in categories],
            category_names=[c["name"] for c in categories],
            locality_slug=producer.get("locality__slug") or "",
            locality_name=locality,
            craft_village_slug=producer.get("craft_village__slug") or "",
            craft_village_name=village,
            certification_kinds=sorted(set(kinds)),
            availability=row["availability"],
            price=None if row["price_on_request"] else row["price_vnd"],
            unit=row["unit"],
            image_id=images[0] if images else None,
            featured=row["translation_key"] in self.featured,
            published_at=row["first_published_at"],
            ocop=windows,
        )

    # Producers ------------------------------------------------------------------------

    def producer_records(self, producers: QuerySet) -> list[ProducerRecord]:
        """Records of `producers` (a ProducerPage queryset), in its order."""
        rows = list(producers.values(*PRODUCER_FIELDS))
        if not rows:
            return []
        counts = live_product_counts([row["path"] for row in rows])
        return [self.producer_record(row, counts.get(row["path"], 0)) for row in rows]

    def producer_record(self, row: dict, product_count: int) -> ProducerRecord:
        """The record of a producer's row (PRODUCER_FIELDS) with its number of products."""
        (name_normalised, name_folded), (text_normalised, text_folded) = producer_text(row)
        village = row["craft_village__name"] or ""
        locality = row["locality__name"] or ""
        return ProducerRecord(
            page_id=row["pk"],
            language=row["locale__language_code"],
            name=row["title"],
            display_name=row["display_name"] or row["title"],
            url=self.page_url(row["url_path"]),
            name_normalised=name_normalised,
            name_folded=name_folded,
            text_normalised=text_normalised,
            text_folded=text_folded,
            legal_form=row["legal_form"],
            locality_slug=row["locality__slug"] or "",
            locality_name=locality,
            craft_village_slug=row["craft_village__slug"] or "",
            craft_village_name=village,
            logo_id=row["logo_id"],
            product_count=product_count,
        )


def producer_text(row: dict) -> tuple[tuple[str, str], tuple[str, str]]:
    """(name, text) of a producer's row (PRODUCER_FIELDS), each (normalised, folded).

    The name is the title and display name; the text adds the legal form, places and
    summary. Both backends match producers on these.
    """
    return _producer_text(
        row["title"],
        row["display_name"],
        legal_form_label(row["legal_form"], row["locale__language_code"]),
        row["craft_village__name"] or "",
        row["locality__name"] or "",
        row["summary"],
    )


@functools.lru_cache(maxsize=64)
def legal_form_label(legal_form: str, language: str) -> str:
    with translation.override(language):
        return producer_legal_form_label(legal_form)


@functools.lru_cache(maxsize=20_000)  # the database backend matches every producer
def _producer_text(
    title: str, display_name: str, legal_form: str, village: str, locality: str, summary: str
) -> tuple[tuple[str, str], tuple[str, str]]:
    names = [text_forms(name) for name in dict.fromkeys([title, display_name])]  # once if equal
    places = [text_forms(legal_form), text_forms(village), text_forms(locality)]
    return joined_forms(*names), joined_forms(*names, *places, text_forms(summary))


def _in_batches(pages: QuerySet, build: Callable[[QuerySet], list], size: int) -> Iterator:
    """Build records `size` pages at a time, in id order (keyset pagination)."""
    pages = pages.order_by("pk")
    batch = pages[:size]
    while records := build(batch):
        yield from records
        batch = pages.filter(pk__gt=records[-1].page_id)[:size]


def product_records(
    products: QuerySet, builder: RecordBuilder | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[ProductRecord]:
    """Records of `products` (e.g. `indexable_products().filter(...)`), a batch at a time."""
    builder = builder or RecordBuilder()
    return _in_batches(products, builder.product_records, batch_size)


def producer_records(
    producers: QuerySet, builder: RecordBuilder | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[ProducerRecord]:
    """Records of `producers` (e.g. `indexable_producers()`), a batch at a time."""
    builder = builder or RecordBuilder()
    return _in_batches(producers, builder.producer_records, batch_size)
