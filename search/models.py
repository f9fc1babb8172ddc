"""The database backend's search index, the query log, and index updates to retry.

`ProductSearchEntry` holds one product record (search.catalogue) in columns that
SQLite and PostgreSQL can filter, count and sort on. Multi-valued fields are stored
as "|a|b|" strings so `contains="|a|"` selects one value.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def pipe_joined(values: list[str]) -> str:
    """ "|a|b|" for ["a", "b"]; "" when empty."""
    return f"|{'|'.join(values)}|" if values else ""


class ProductSearchEntry(models.Model):
    page = models.OneToOneField(
        "products.ProductPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    language = models.CharField(max_length=8, db_index=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    # " word word " (words only, space padded) so " word " matches a whole word.
    title_normalised = models.TextField()
    title_folded = models.TextField()
    text_normalised = models.TextField()
    text_folded = models.TextField()
    producer_name = models.CharField(max_length=255, blank=True)
    category_slugs = models.CharField(max_length=500, blank=True)
    locality_slug = models.CharField(max_length=150, blank=True, db_index=True)
    locality_name = models.CharField(max_length=150, blank=True)
    craft_village_slug = models.CharField(max_length=150, blank=True, db_index=True)
    craft_village_name = models.CharField(max_length=255, blank=True)
    certification_kinds = models.CharField(max_length=255, blank=True)
    availability = models.CharField(max_length=20, db_index=True)
    price = models.PositiveBigIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=100, blank=True)
    image_id = models.IntegerField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("product search entry")
        verbose_name_plural = _("product search entries")

    def __str__(self) -> str:
        return self.title


class OcopWindow(models.Model):
    """One OCOP certificate's stars and validity: "valid today" is decided when searching."""

    entry = models.ForeignKey(
        ProductSearchEntry, on_delete=models.CASCADE, related_name="ocop_windows"
    )
    stars = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_until = models.DateField()

    class Meta:
        verbose_name = _("OCOP window")
        verbose_name_plural = _("OCOP windows")

    def __str__(self) -> str:
        return f"{self.stars}★ {self.valid_from}–{self.valid_until}"


class SearchEntriesVersion(models.Model):
    """One row whose token changes with every write of the entries, in the same
    transaction: processes holding the entries in memory (search.backends.entry_table)
    see from it, in one read, that theirs are out of date."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("search entries version")
        verbose_name_plural = _("search entries versions")

    def __str__(self) -> str:
        return str(self.token)


class SearchQueryLog(models.Model):
    """What people searched for, without who: for the office's search reports.

    A search page rendering has a random `search_id` that its result links carry, so a
    click is counted on its search without knowing who clicked. API searches have none.
    """

    query = models.CharField(_("query"), max_length=200, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    result_count = models.PositiveIntegerField(_("results"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    backend = models.CharField(_("backend"), max_length=20)
    # The moment of the search, not of the write: rows are written in bulk later
    # (search.service's query log).
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False, db_index=True
    )
    search_id = models.UUIDField(_("search id"), null=True, blank=True, unique=True, editable=False)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.query


class PendingIndexUpdate(models.Model):
    """A page whose Elasticsearch update failed: retried until it succeeds, or a rebuild.

    One row per page, whatever failed: a retry indexes the page as it is then (and
    removes it from the index when it is no longer live or no longer exists).
    """

    page_id = models.PositiveIntegerField(_("page id"), unique=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending search index update")
        verbose_name_plural = _("pending search index updates")

    def __str__(self) -> str:
        return f"{self.page_id} ({self.attempts})"
