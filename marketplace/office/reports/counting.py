"""Counting product page views: one number per product and day, nothing about the visitor.

A view is not written by the request that makes it: it waits in this process's buffer
(marketplace.core.write_buffer) and a flush adds up the waiting views per product and
day in one statement. The office's report flushes its own process first; views counted
by other processes reach it at most `WRITE_BUFFER_SECONDS` late.
"""

import datetime
import logging
import re
from collections import Counter
from typing import NamedTuple
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from marketplace.core.write_buffer import WriteBuffer
from marketplace.office.reports.models import ProductViewCount
from products.models import ProductPage

logger = logging.getLogger(__name__)

BOT_USER_AGENT = re.compile(r"bot|spider|crawl", re.IGNORECASE)
# What a product page served from the page cache replays (core.page_cache.replay_on_hit).
PRODUCT_VIEW = "product_view"


class View(NamedTuple):
    """One view of a page, in whichever language; counted on its default-language page."""

    page_id: int
    translation_key: UUID
    day: datetime.date


def is_countable_view(request: HttpRequest) -> bool:
    """A person reading the page: a GET that is neither a preview nor an obvious robot."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    return not BOT_USER_AGENT.search(request.headers.get("User-Agent", ""))


def counted_product_ids(views: list[View]) -> dict[View, int]:
    """The product each view counts for: the default-language translation of its page, so
    that vi and en views add up (the page itself when it has none); one query for all.
    Views of products deleted since are left out."""
    products = ProductPage.objects.filter(
        Q(
            translation_key__in={view.translation_key for view in views},
            locale__language_code=settings.LANGUAGE_CODE,
        )
        | Q(pk__in={view.page_id for view in views})
    ).values_list("pk", "translation_key", "locale__language_code")
    existing, default = set(), {}
    for pk, key, language in products:
        existing.add(pk)
        if language == settings.LANGUAGE_CODE:
            default[key] = pk
    counted = {}
    for view in views:
        product_id = default.get(view.translation_key, view.page_id)
        if product_id in existing:
            counted[view] = product_id
    return counted


def write_views(views: list[View]) -> list:
    """Add the views up per product and day, and add them to the counts in one statement.

    Two processes flushing the same product and day at once both count: the database adds
    each increment to the row as it finds it (ON CONFLICT … DO UPDATE on PostgreSQL and
    SQLite alike), and rows are written in one order, so flushes cannot deadlock.
    """
    counted = counted_product_ids(views)
    totals = Counter((counted[view], view.day) for view in views if view in counted)
    if totals:
        add_to_counts(sorted(totals.items()))
    return []


def add_to_counts(totals: list[tuple[tuple[int, datetime.date], int]]) -> None:
    table = connection.ops.quote_name(ProductViewCount._meta.db_table)
    rows = ", ".join(["(%s, %s, %s)"] * len(totals))
    adapt_day = connection.ops.adapt_datefield_value
    params = [
        value
        for (product_id, day), views in totals
        for value in (product_id, adapt_day(day), views)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (product_id, day, views) VALUES {rows} "
            f"ON CONFLICT (product_id, day) DO UPDATE SET views = {table}.views + excluded.views",
            params,
        )


VIEWS = WriteBuffer("product view", write_views)


def record_view(page: Page, day: datetime.date | None = None) -> None:
    """Count one view of `page` on `day` (today) at the next flush."""
    VIEWS.add(View(page.pk, page.translation_key, day or timezone.localdate()))


def count_product_view(page: Page, request: HttpRequest) -> None:
    """Count a view if it is one; no database access."""
    if is_countable_view(request):
        record_view(page)


def count_cached_view(sender, request: HttpRequest, name: str, value, **kwargs) -> None:
    """A product page served from the page cache is a view as well (core.page_cache's
    `served_from_cache` signal; `value`: the page's id and translation key). No query."""
    if name == PRODUCT_VIEW and is_countable_view(request):
        page_id, translation_key = value
        VIEWS.add(View(page_id, UUID(str(translation_key)), timezone.localdate()))
