"""What the catalogue search knows about a product: one record, built from the database.

Both backends index these records (Elasticsearch documents, the database's search
entries), so they match and rank from the same data. Records are built in bulk:
`product_records()` costs a fixed number of queries per batch, whatever its size.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from wagtail.models import Page, Site

from marketplace.base.models import HomePageFeaturedProduct
from producers.models import ProducerPage
from products.models import OcopCertificate, ProductCertification, ProductImage, ProductPage
from search.text import normalise, strip_diacritics


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

    def stars_on(self, day: datetime.date) -> int | None:
        """The best OCOP stars valid on `day`, or None."""
        valid = [w.stars for w in self.ocop if w.valid_from <= day <= w.valid_until]
        return max(valid, default=None)


def indexable_products() -> QuerySet:
    """Live products with what a record needs, in page-tree order."""
    return (
        ProductPage.objects.live()
        .public()
        .defer_streamfields()
        .select_related("locale", "category", "category__parent")
        .prefetch_related(
            "tags",
            Prefetch("ocop_certificates", queryset=OcopCertificate.objects.order_by("pk")),
            Prefetch("certifications", queryset=ProductCertification.objects.order_by("pk")),
            Prefetch("gallery_images", queryset=ProductImage.objects.order_by("sort_order")),
        )
        .order_by("path")
    )


def _producers_for(products: list[ProductPage]) -> dict[str, ProducerPage]:
    paths = {product.path[: -Page.steplen] for product in products}
    producers = ProducerPage.objects.filter(path__in=paths).select_related(
        "locality", "craft_village"
    )
    return {producer.path: producer for producer in producers}


def _featured_keys() -> set:
    return set(HomePageFeaturedProduct.objects.values_list("product__translation_key", flat=True))


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def product_records(products: Iterable[ProductPage]) -> Iterator[ProductRecord]:
    """Records of `products` (use `indexable_products()` for the prefetches)."""
    products = list(products)
    producers = _producers_for(products)
    featured = _featured_keys()
    # Wagtail caches the site root paths on the object it is given, by default the page:
    # sharing one copy saves a cache lookup per product (a third of the build time).
    site_root_paths = Site.get_site_root_paths()
    for product in products:
        product._wagtail_cached_site_root_paths = site_root_paths
        producer = producers.get(product.path[: -Page.steplen])
        category = product.category
        categories = [category, category.parent] if category.parent_id else [category]
        locality = producer.locality if producer else None
        village = producer.craft_village if producer else None
        tags = [tag.name for tag in product.tags.all()]
        text = _joined(
            product.title,
            producer.display_name if producer else "",
            *(c.name for c in categories),
            village.name if village else "",
            locality.name if locality else "",
            product.short_description,
            " ".join(tags),
            product.ingredients,
        )
        first_image = next(iter(product.gallery_images.all()), None)
        title_normalised, text_normalised = normalise(product.title), normalise(text)
        yield ProductRecord(
            page_id=product.pk,
            language=product.locale.language_code,
            translation_key=str(product.translation_key),
            title=product.title,
            url=product.url or "",
            title_normalised=title_normalised,
            title_folded=strip_diacritics(title_normalised),
            text_normalised=text_normalised,
            text_folded=strip_diacritics(text_normalised),
            producer_id=producer.pk if producer else None,
            producer_name=producer.display_name if producer else "",
            category_slugs=[c.slug for c in categories],
            category_names=[c.name for c in categories],
            locality_slug=locality.slug if locality else "",
            locality_name=locality.name if locality else "",
            craft_village_slug=village.slug if village else "",
            craft_village_name=village.name if village else "",
            certification_kinds=sorted({c.kind for c in product.certifications.all()}),
            availability=product.availability,
            price=None if product.price_on_request else product.price_vnd,
            unit=product.unit,
            image_id=first_image.image_id if first_image else None,
            featured=product.translation_key in featured,
            published_at=product.first_published_at,
            ocop=[
                CertificateWindow(c.stars, c.issue_date, c.expiry_date)
                for c in product.ocop_certificates.all()
            ],
        )
