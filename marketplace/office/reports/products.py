"""The products report: views and inquiries per product, both languages added up.

A product is its default-language page; views are stored against it already, and
inquiry items (which point at the page the consumer saw) are matched by translation key.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.urls import reverse
from wagtail.models import Page

from marketplace.inquiries.models import InquiryItem
from marketplace.office.reports.labels import report_language, translated_labels
from marketplace.office.reports.models import ProductViewCount
from marketplace.office.reports.periods import Period
from products.models import ProductPage


@dataclass
class ProductActivity:
    product_id: int
    title: str
    producer: str
    views: int = 0
    inquiries: int = 0
    quantity: int = 0

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.product_id])


def views_by_product(period: Period) -> dict[int, int]:
    return dict(
        ProductViewCount.objects.filter(day__gte=period.start, day__lte=period.end)
        .values("product_id")
        .annotate(total=Sum("views"))
        .values_list("product_id", "total")
    )


def inquiries_by_translation(period: Period) -> dict[str, tuple[int, int]]:
    """Per product (translation key): inquiries containing it, and the quantity asked."""
    rows = (
        InquiryItem.objects.filter(
            inquiry__created_at__gte=period.start_at,
            inquiry__created_at__lt=period.end_before,
            product__isnull=False,
        )
        .values("product__translation_key")
        .annotate(inquiries=Count("inquiry", distinct=True), quantity=Sum("quantity"))
        .values_list("product__translation_key", "inquiries", "quantity")
    )
    return {str(key): (inquiries, quantity) for key, inquiries, quantity in rows}


def product_activity(period: Period, language: str | None = None) -> list[ProductActivity]:
    """Every product viewed or inquired about in `period`, most viewed first; products and
    producers named in `language` (the active one) where translated."""
    language = language or report_language()
    views = views_by_product(period)
    inquiries = inquiries_by_translation(period)
    pages = list(
        ProductPage.objects.filter(
            Q(pk__in=views)
            | Q(translation_key__in=inquiries, locale__language_code=settings.LANGUAGE_CODE)
        ).values_list("pk", "translation_key", "title", "path")
    )
    producers = producer_titles((path for _pk, _key, _title, path in pages), language)
    titles = translated_labels(
        ProductPage, (key for _pk, key, _title, _path in pages), language, ("title",)
    )
    rows = []
    for pk, key, title, path in pages:
        asked, quantity = inquiries.get(str(key), (0, 0))
        rows.append(
            ProductActivity(
                product_id=pk,
                title=titles.get(str(key)) or title,
                producer=producers.get(parent_path(path), ""),
                views=views.get(pk, 0),
                inquiries=asked,
                quantity=quantity,
            )
        )
    rows.sort(key=lambda row: (-row.views, -row.inquiries, row.title))
    return rows


def parent_path(path: str) -> str:
    return path[: -Page.steplen]


def producer_titles(paths: Iterable[str], language: str) -> dict[str, str]:
    """The title of each product's parent (its producer), by the product's parent path,
    in `language` where translated."""
    parents = list(
        Page.objects.filter(path__in={parent_path(path) for path in paths}).values_list(
            "path", "translation_key", "title"
        )
    )
    titles = translated_labels(Page, (key for _path, key, _title in parents), language, ("title",))
    return {path: titles.get(str(key)) or title for path, key, title in parents}
