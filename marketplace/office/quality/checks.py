"""Listing quality: named checks on producers and their live products, and a score.

Everything is computed in bulk from two annotated queries (producers, then their
products), whatever the number of products: the catalogue can hold 20 000 of them.
Pages are judged as published: a producer's draft counts once the office approves it.

Decisions:
- Description of a product: a body with at least one block, or a short description of
  at least MIN_SHORT_DESCRIPTION characters. The short description is required by the
  form, so any length threshold is a judgement: 60 characters is about one sentence that
  says what the product is and where it comes from.
- Price: "price on request" counts as a missing price. Customers compare on price, the
  catalogue's price filter and sort skip such products, and an inquiry shows no total.
  Producers may keep it (made-to-order goods), they just do not score that point.
- OCOP certificate: checked only for products with certificate rows (a claim); it passes
  when one of them is valid today (verified and unexpired). Products without a claim
  are not penalised: the check does not apply to them.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Trim
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from marketplace.certificates.models import OcopCertificate
from producers.models import ProducerPage
from products.models import ProductImage, ProductPage
from products.queries import products_of_producers

ENGLISH = "en"
MIN_SHORT_DESCRIPTION = 60

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    """One thing a listing should have. `passes(row)` is None when it does not apply."""

    key: str
    label: Promise
    fix: Promise
    passes: Callable[[Row], bool | None]


def _has_text(value: str | None) -> bool:
    return bool(value and value.strip())


PRODUCER_CHECKS = (
    Check(
        "image",
        _("Logo or cover image"),
        _("Add a logo or a cover image."),
        lambda row: bool(row["logo_id"] or row["cover_image_id"]),
    ),
    Check(
        "description",
        _("Description"),
        _("Write a summary or a story."),
        lambda row: _has_text(row["summary"]) or row["has_story"],
    ),
    Check(
        "contact",
        _("Contact details"),
        _("Add a phone number, a Zalo number or an email address."),
        lambda row: any(_has_text(row[name]) for name in ("phone", "zalo_phone", "email")),
    ),
    Check(
        "english",
        _("English translation"),
        _("Translate the page into English and publish it."),
        lambda row: row["english_live"],
    ),
)

PRODUCT_CHECKS = (
    Check(
        "images",
        _("Images"),
        _("Add at least one photo to the gallery."),
        lambda row: row["has_image"],
    ),
    Check(
        "description",
        _("Description"),
        _("Write a description, or a short description of a full sentence or more."),
        lambda row: row["has_body"] or row["short_description_length"] >= MIN_SHORT_DESCRIPTION,
    ),
    Check(
        "price",
        _("Price"),
        _("Show a price instead of “price on request”."),
        lambda row: row["price_vnd"] is not None,
    ),
    Check(
        "english",
        _("English translation"),
        _("Translate the product into English and publish it."),
        lambda row: row["english_live"],
    ),
    Check(
        "certificate",
        _("Valid OCOP certificate"),
        _("Renew the OCOP certificate, or wait for the office to verify it."),
        lambda row: row["has_valid_certificate"] if row["claims_ocop"] else None,
    ),
)


@dataclass
class PageQuality:
    """The checks one page (a producer or a product) fails, out of those that apply."""

    page_id: int
    title: str
    checked: list[Check]
    missing: list[Check]
    # The English page, live or not (to edit it), or None when there is no translation yet.
    english_page_id: int | None = None

    @property
    def applicable(self) -> int:
        return len(self.checked)

    @property
    def passed(self) -> int:
        return len(self.checked) - len(self.missing)

    def is_missing(self, key: str) -> bool:
        return any(check.key == key for check in self.missing)


@dataclass
class ProducerQuality:
    producer: PageQuality
    locality: str
    products: list[PageQuality] = field(default_factory=list)

    @property
    def score(self) -> int:
        return completeness_score(self)

    def products_missing(self, key: str) -> int:
        """How many of the producer's live products fail the check `key`."""
        return sum(product.is_missing(key) for product in self.products)

    @property
    def products_missing_counts(self) -> list[tuple[Check, int]]:
        return [(check, self.products_missing(check.key)) for check in PRODUCT_CHECKS]

    def products_checked(self, key: str) -> int:
        """How many of its live products the check `key` applies to."""
        return sum(check.key == key for product in self.products for check in product.checked)


def completeness_score(quality: ProducerQuality) -> int:
    """A producer's completeness, 0–100: the share of passed checks over the producer's
    own checks and those of each of its live products, counting only the checks that
    apply (the OCOP certificate only to products that claim one).

    Rounded down, so 100 means nothing is missing.
    """
    pages = [quality.producer, *quality.products]
    applicable = sum(page.applicable for page in pages)
    passed = sum(page.passed for page in pages)
    return 100 * passed // applicable if applicable else 100


def evaluate(row: Row, checks: Iterable[Check]) -> PageQuality:
    results = [(check, check.passes(row)) for check in checks]
    return PageQuality(
        page_id=row["pk"],
        title=row["title"],
        checked=[check for check, passed in results if passed is not None],
        missing=[check for check, passed in results if passed is not None and not passed],
        english_page_id=row["english_page_id"],
    )


def _english_translation(**filters) -> QuerySet[Page]:
    # An alias in the English tree shows the Vietnamese text: it is no translation.
    return Page.objects.filter(
        translation_key=OuterRef("translation_key"),
        locale__language_code=ENGLISH,
        alias_of__isnull=True,
        **filters,
    )


def _with_english(pages: QuerySet) -> QuerySet:
    return pages.annotate(
        english_page_id=Subquery(_english_translation().values("pk")[:1]),
        english_live=Exists(_english_translation(live=True)),
    )


def producer_rows(producers: QuerySet[ProducerPage]) -> list[Row]:
    return list(
        _with_english(producers)
        .annotate(has_story=~Q(story=[]))
        .order_by("title", "pk")
        .values(
            "pk",
            "title",
            "path",
            "display_name",
            "locality__name",
            "logo_id",
            "cover_image_id",
            "summary",
            "has_story",
            "phone",
            "zalo_phone",
            "email",
            "english_page_id",
            "english_live",
        )
    )


def product_rows(producers: QuerySet[ProducerPage], on: datetime.date) -> list[Row]:
    """The live products of the producers (in the producers' language), one row each."""
    products = products_of_producers(ProductPage.objects.live(), producers.values("path"))
    certificates = OcopCertificate.objects.filter(page=OuterRef("pk"))
    return list(
        _with_english(products)
        .annotate(
            has_image=Exists(ProductImage.objects.filter(page=OuterRef("pk"))),
            has_body=~Q(body=[]),
            short_description_length=Length(Trim("short_description")),
            claims_ocop=Exists(certificates),
            has_valid_certificate=Exists(
                OcopCertificate.objects.valid(on=on).filter(page=OuterRef("pk"))
            ),
        )
        .order_by("title", "pk")
        .values(
            "pk",
            "title",
            "parent_path",
            "has_image",
            "has_body",
            "short_description_length",
            "price_vnd",
            "claims_ocop",
            "has_valid_certificate",
            "english_page_id",
            "english_live",
        )
    )


def default_language_producers() -> QuerySet[ProducerPage]:
    """The producers the office manages: the pages in the default language, live or not.

    Only their live products are judged.
    """
    return ProducerPage.objects.filter(locale=Locale.get_default())


def listing_quality(
    producers: QuerySet[ProducerPage] | None = None, on: datetime.date | None = None
) -> list[ProducerQuality]:
    """The quality of each producer and of its live products, in a fixed number of queries.

    `producers` narrows the default language's producers (e.g. by locality or user).
    """
    on = on or timezone.localdate()
    queryset = default_language_producers()
    if producers is not None:
        queryset = queryset.filter(pk__in=producers.values("pk"))
    results = {}
    for row in producer_rows(queryset):
        results[row["path"]] = ProducerQuality(
            producer=evaluate(
                {**row, "title": row["display_name"] or row["title"]}, PRODUCER_CHECKS
            ),
            locality=row["locality__name"] or "",
        )
    for row in product_rows(queryset, on):
        quality = results.get(row["parent_path"])
        if quality is not None:
            quality.products.append(evaluate(row, PRODUCT_CHECKS))
    return list(results.values())
