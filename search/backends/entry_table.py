"""The database backend's entries as each process holds them: one table per language.

Searching filters, counts every facet and sorts these rows in Python, in one pass,
where SQL scanned the entries once per facet (0.4–1 s at 20,000 products). A table is
read again when the entries changed: their version (search.models.SearchEntriesVersion,
written in the transaction that writes them) or their number differs, or the day did
(the stars valid today are part of a row).
"""

import datetime
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Max
from django.utils import timezone

from products.facets import price_range_of
from search.models import OcopWindow, ProductSearchEntry, SearchEntriesVersion
from search.ranking import RANKING

T = TypeVar("T")
EPOCH = datetime.datetime.min.replace(tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(slots=True)
class Row:
    """What matching, counting and sorting need of an entry; a result page's hits are
    read from the database (search.backends.database.entries_by_id)."""

    pk: int
    title: str
    url: str
    title_normalised: str
    title_folded: str
    text_normalised: str
    text_folded: str
    categories: tuple[str, ...]
    certifications: tuple[str, ...]
    locality_slug: str
    craft_village_slug: str
    availability: str
    price: int | None
    price_range: str | None
    featured: bool
    published: int  # microseconds since year 1: sorts "newest" as the datetimes would
    valid_stars: int | None
    standing: float  # the query-independent part of relevance (stars, stock, featured)


FIELDS = (
    "pk",
    "title",
    "url",
    "title_normalised",
    "title_folded",
    "text_normalised",
    "text_folded",
    "category_slugs",
    "certification_kinds",
    "locality_slug",
    "craft_village_slug",
    "availability",
    "price",
    "featured",
    "published_at",
)


def standing(valid_stars: int | None, availability: str, featured: bool) -> float:
    """What relevance adds for the product itself, whatever the query (search.ranking)."""
    score = (valid_stars or 0) * RANKING["per_star"]
    if availability == "in_stock":
        score += RANKING["in_stock"]
    if featured:
        score += RANKING["featured"]
    return score


def _values(piped: str) -> tuple[str, ...]:
    """The values of a "|a|b|" field; shared strings, as thousands of rows repeat them."""
    return tuple(sys.intern(value) for value in piped.split("|") if value)


def stars_valid_on(day: datetime.date, language: str) -> dict[int, int]:
    """Each entry's most stars among its certificates valid on `day`."""
    windows = (
        OcopWindow.objects.filter(
            entry__language=language, valid_from__lte=day, valid_until__gte=day
        )
        .values_list("entry_id")
        .annotate(stars=Max("stars"))
        .order_by()
    )
    return dict(windows)


def read_rows(language: str) -> list[Row]:
    """The language's entries as rows, with the stars valid today."""
    stars = stars_valid_on(timezone.localdate(), language)
    entries = ProductSearchEntry.objects.filter(language=language).order_by("pk")
    rows = []
    for (
        pk,
        title,
        url,
        title_normalised,
        title_folded,
        text_normalised,
        text_folded,
        category_slugs,
        certification_kinds,
        locality_slug,
        craft_village_slug,
        availability,
        price,
        featured,
        published_at,
    ) in entries.values_list(*FIELDS).iterator(chunk_size=2000):
        valid_stars = stars.get(pk)
        rows.append(
            Row(
                pk=pk,
                title=title,
                url=url,
                title_normalised=title_normalised,
                title_folded=title_folded,
                # One string when they are alike (English), not two.
                text_normalised=text_folded if text_normalised == text_folded else text_normalised,
                text_folded=text_folded,
                categories=_values(category_slugs),
                certifications=_values(certification_kinds),
                locality_slug=sys.intern(locality_slug),
                craft_village_slug=sys.intern(craft_village_slug),
                availability=sys.intern(availability),
                price=price,
                price_range=price_range_of(price),
                featured=featured,
                published=((published_at or EPOCH) - EPOCH) // MICROSECOND,
                valid_stars=valid_stars,
                standing=standing(valid_stars, availability, featured),
            )
        )
    return rows


def entries_version(language: str) -> tuple:
    """What changes when the language's entries or the stars valid today may have.

    The token first: rows read after it are at least as new, so a table is never kept
    under a version newer than its rows.
    """
    token = SearchEntriesVersion.objects.values_list("token", flat=True).first()
    count = ProductSearchEntry.objects.filter(language=language).count()
    return token, count, timezone.localdate()


def entries_changed() -> None:
    """A new version for the entries: call in the transaction that writes them."""
    SearchEntriesVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


# (what, language) → (its version, what was built)
_kept: dict[tuple[str, str], tuple[object, object]] = {}


def kept(what: str, language: str, build: Callable[[str], T], version: object = None) -> T:
    """build(language), kept in this process while `version` is unchanged: by default the
    language's entries' (entries_version)."""
    if version is None:
        version = entries_version(language)
    held = _kept.get((what, language))
    if held is not None and held[0] == version:
        return held[1]
    built = build(language)
    _kept[(what, language)] = (version, built)
    return built


def rows_of(language: str) -> list[Row]:
    """The language's rows, read again only when the entries changed."""
    return kept("rows", language, read_rows)
