"""Counting product page views: one number per product and day, nothing about the visitor."""

import datetime
import logging
import re

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from marketplace.office.reports.models import ProductViewCount

logger = logging.getLogger(__name__)

BOT_USER_AGENT = re.compile(r"bot|spider|crawl", re.IGNORECASE)
# What a product page served from the page cache replays (core.page_cache.replay_on_hit).
PRODUCT_VIEW = "product_view"


def is_countable_view(request: HttpRequest) -> bool:
    """A person reading the page: a GET that is neither a preview nor an obvious robot."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    return not BOT_USER_AGENT.search(request.headers.get("User-Agent", ""))


def counted_page_id(page: Page) -> int:
    """The default-language translation of `page`, so that vi and en views add up."""
    default = (
        Page.objects.filter(
            translation_key=page.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .values_list("pk", flat=True)
        .first()
    )
    return default or page.pk


def record_view(page: Page, day: datetime.date | None = None) -> None:
    """Add one view of `page` on `day` (today); safe when two requests count at once."""
    day = day or timezone.localdate()
    product_id = counted_page_id(page)
    counts = ProductViewCount.objects.filter(product_id=product_id, day=day)
    if counts.update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ProductViewCount.objects.create(product_id=product_id, day=day, views=1)
    except IntegrityError:
        # Another request created today's row between our update and insert.
        counts.update(views=F("views") + 1)


def count_product_view(page: Page, request: HttpRequest) -> None:
    """Count a view if it is one; a failure is logged and never breaks the page."""
    if not is_countable_view(request):
        return
    try:
        with transaction.atomic():
            record_view(page)
    except DatabaseError:
        logger.exception("Could not count a view of page %s", page.pk)


def count_cached_view(sender, request: HttpRequest, name: str, value, **kwargs) -> None:
    """A product page served from the page cache is a view as well (core.page_cache's
    `served_from_cache` signal)."""
    if name != PRODUCT_VIEW or not is_countable_view(request):
        return
    page = Page.objects.filter(pk=value).only("pk", "translation_key").first()
    if page is not None:
        count_product_view(page, request)
