"""Every curated item the public no longer sees, for the office's dashboard warning."""

import datetime
from dataclasses import dataclass

from django.db.models import Model, Prefetch
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from marketplace.curation.models import (
    FeaturedCollection,
    FeaturedCollectionItem,
    HeroSlide,
    ProducerOfTheMonth,
    first_of_month,
)


@dataclass(frozen=True)
class DroppedItem:
    """A page chosen in a curated entry (collection, slide…) that the public does not see."""

    entry: Model
    page: Page | None
    reason: str
    edit_url: str
    page_edit_url: str

    @property
    def kind(self) -> str:
        return self.entry._meta.verbose_name


def edit_url(entry: Model) -> str:
    meta = entry._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[entry.pk])


def page_edit_url(page: Page | None) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk]) if page is not None else ""


def dropped(entry: Model, page: Page | None, reason: str) -> DroppedItem:
    return DroppedItem(entry, page, reason, edit_url(entry), page_edit_url(page))


def dropped_items(on: datetime.date | None = None) -> list[DroppedItem]:
    """The hidden items of the collections and slides shown today or later, and of the
    producers of this month or later: past ones no longer matter."""
    on = on or timezone.localdate()
    items = FeaturedCollectionItem.objects.select_related("product", "producer")
    collections = (
        FeaturedCollection.objects.not_ended(on)
        .select_related("locale")
        .prefetch_related(Prefetch("items", queryset=items.order_by("sort_order", "pk")))
    )
    slides = HeroSlide.objects.not_ended(on).select_related("link_page", "locale")
    producers = ProducerOfTheMonth.objects.filter(month__gte=first_of_month(on)).select_related(
        "producer", "locale"
    )
    found = [
        dropped(collection, item.chosen_page, reason)
        for collection in collections
        for item in collection.items.all()
        if (reason := item.drop_reason())
    ]
    found += [
        dropped(entry, entry.chosen_page, reason)
        for entry in [*slides, *producers]
        if (reason := entry.drop_reason())
    ]
    return found
