"""The inquiries report: how many inquiries, how many got somewhere, how fast producers reply.

Rows are grouped in Python from a fixed number of queries, so medians are computed the
same way on PostgreSQL and SQLite.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.enums import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.core.charts import format_value
from marketplace.inquiries.models import Inquiry, InquiryItem, StatusChange
from marketplace.office.reports.labels import report_language, translated_labels
from marketplace.office.reports.periods import Period
from producers.models import Locality, ProducerPage
from products.models import ProductCategory

Status = Inquiry.Status
CONFIRMED_STATUSES = (Status.CONFIRMED, Status.PAID, Status.FULFILLED)
PAID_STATUSES = (Status.PAID, Status.FULFILLED)


class Grouping(TextChoices):
    PRODUCER = "producer", _("Producer")
    LOCALITY = "locality", _("Locality")
    CATEGORY = "category", _("Category")
    MONTH = "month", _("Month")


@dataclass(frozen=True)
class InquiryFacts:
    """What the report needs to know about one inquiry."""

    pk: int
    producer: str
    locality: str
    month: datetime.date
    confirmed: bool
    paid: bool
    reply_hours: float | None
    categories: tuple[str, ...] = ()


@dataclass
class InquiryGroup:
    label: str
    inquiries: int = 0
    confirmed: int = 0
    paid: int = 0
    reply_hours: list[float] = field(default_factory=list)

    def add(self, facts: InquiryFacts) -> None:
        self.inquiries += 1
        self.confirmed += facts.confirmed
        self.paid += facts.paid
        if facts.reply_hours is not None:
            self.reply_hours.append(facts.reply_hours)

    @property
    def confirmed_percent(self) -> float | None:
        return percent(self.confirmed, self.inquiries)

    @property
    def paid_percent(self) -> float | None:
        return percent(self.paid, self.inquiries)

    @property
    def median_reply_hours(self) -> float | None:
        if not self.reply_hours:
            return None
        return round(statistics.median(self.reply_hours), 2)

    @property
    def median_reply(self) -> str:
        return humane_duration(self.median_reply_hours)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def humane_duration(hours: float | None) -> str:
    """ "45 minutes", "5.5 hours", "3.2 days"; empty when there is nothing to measure."""
    if hours is None:
        return ""
    if hours < 1:
        minutes = round(hours * 60)
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if hours < 48:
        hours = round(hours, 1)
        return ngettext("%(count)s hour", "%(count)s hours", plural(hours)) % {
            "count": format_value(hours)
        }
    days = round(hours / 24, 1)
    return ngettext("%(count)s day", "%(count)s days", plural(days)) % {"count": format_value(days)}


def plural(number: float) -> int:
    """A whole number choosing the same plural form as `number` ("1.5 hours")."""
    return int(number) if float(number).is_integer() else 2


def first_reply_at() -> Subquery:
    """When a person (not a payment event) first changed the inquiry's status.

    Every inquiry starts as "new", so a person's first change is the producer's reply.
    """
    replies = StatusChange.objects.filter(inquiry=OuterRef("pk"), source="")
    return Subquery(replies.order_by("at", "pk").values("at")[:1])


def inquiry_facts(
    period: Period, *, with_categories: bool = False, language: str | None = None
) -> list[InquiryFacts]:
    """The facts of every inquiry sent in `period`, producers, localities and categories
    named in `language` (the active one) where translated; three queries more."""
    language = language or report_language()
    rows = (
        Inquiry.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_before)
        .annotate(
            replied_at=first_reply_at(),
            was_confirmed=Exists(
                StatusChange.objects.filter(
                    inquiry=OuterRef("pk"), to_status__in=CONFIRMED_STATUSES
                )
            ),
        )
        .values(
            "pk",
            "status",
            "payment_method",
            "created_at",
            "replied_at",
            "was_confirmed",
            "producer__title",
            "producer__display_name",
            "producer__translation_key",
            "producer__locality__name",
            "producer__locality__translation_key",
        )
        .order_by("created_at", "pk")
    )
    producers = translated_labels(
        ProducerPage,
        (row["producer__translation_key"] for row in rows),
        language,
        fields=("display_name", "title"),
    )
    localities = translated_labels(
        Locality, (row["producer__locality__translation_key"] for row in rows), language
    )
    categories = inquiry_categories(period, language) if with_categories else {}
    return [
        InquiryFacts(
            pk=row["pk"],
            producer=producers.get(str(row["producer__translation_key"]))
            or row["producer__display_name"]
            or row["producer__title"],
            locality=localities.get(str(row["producer__locality__translation_key"]))
            or row["producer__locality__name"]
            or "",
            month=timezone.localtime(row["created_at"]).date().replace(day=1),
            confirmed=row["was_confirmed"] or row["status"] in CONFIRMED_STATUSES,
            paid=row["status"] in PAID_STATUSES or bool(row["payment_method"]),
            reply_hours=hours_between(row["created_at"], row["replied_at"]),
            categories=tuple(sorted(categories.get(row["pk"], ()))),
        )
        for row in rows
    ]


def hours_between(start: datetime.datetime, end: datetime.datetime | None) -> float | None:
    if end is None:
        return None
    return max((end - start).total_seconds(), 0) / 3600


def inquiry_categories(period: Period, language: str | None = None) -> dict[int, set[str]]:
    """Each inquiry's product groups (top-level categories), named in `language` where
    translated, else in the default language."""
    items = (
        InquiryItem.objects.filter(
            inquiry__created_at__gte=period.start_at,
            inquiry__created_at__lt=period.end_before,
            product__isnull=False,
        )
        .values_list(
            "inquiry_id",
            "product__category__translation_key",
            "product__category__parent__translation_key",
        )
        .distinct()
    )
    # A sub-category counts towards its product group.
    keys_by_inquiry = [(inquiry, parent or own) for inquiry, own, parent in items]
    names = translated_labels(
        ProductCategory,
        (key for _inquiry, key in keys_by_inquiry),
        language or report_language(),
    )
    categories = defaultdict(set)
    for inquiry, key in keys_by_inquiry:
        categories[inquiry].add(names.get(str(key)) or str(key))
    return categories


def group_inquiries(
    facts: Iterable[InquiryFacts], grouping: str, period: Period
) -> list[InquiryGroup]:
    """One row per producer, locality, product group or month.

    An inquiry for products of two groups counts in both; months with no inquiry are
    listed too, so a chart by month has no gaps.
    """
    groups: dict[str, InquiryGroup] = {}
    if grouping == Grouping.MONTH:
        for month in period.months():
            groups[month_label(month)] = InquiryGroup(month_label(month))
    for item in facts:
        for label in group_labels(item, grouping):
            groups.setdefault(label, InquiryGroup(label)).add(item)
    rows = list(groups.values())
    if grouping != Grouping.MONTH:
        rows.sort(key=lambda row: (-row.inquiries, row.label))
    return rows


def group_labels(facts: InquiryFacts, grouping: str) -> tuple[str, ...]:
    if grouping == Grouping.LOCALITY:
        return (facts.locality,)
    if grouping == Grouping.CATEGORY:
        return facts.categories or (str(_("No product group")),)
    if grouping == Grouping.MONTH:
        return (month_label(facts.month),)
    return (facts.producer,)


def month_label(month: datetime.date) -> str:
    return month.strftime("%Y-%m")


def inquiry_report(period: Period, grouping: str) -> list[InquiryGroup]:
    facts = inquiry_facts(period, with_categories=grouping == Grouping.CATEGORY)
    return group_inquiries(facts, grouping, period)
