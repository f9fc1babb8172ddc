"""The database backend's entries as each process holds them: one table per language.

Searching filters, counts every facet and sorts these rows in Python, in one pass,
where SQL scanned the entries once per facet (0.4–1 s at 20,000 products). A table is
read again when the entries changed: their version (search.models.SearchEntriesVersion,
written in the transaction that writes them) differs, or the day did (the stars valid
today are part of a row).
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


def padded(words: list[str]) -> tuple[bytes, ...]:
    """Query words as rows hold words: " word ", UTF-8."""
    return tuple(f" {word} ".encode() for word in words)


@dataclass(slots=True)
class Row:
    """What matching, counting and sorting need of an entry; a result page's hits and the
    products suggested are read from the database (search.backends.database).

    Words are padded UTF-8 bytes (b" nước mắm "), not str: every test of them is a
    substring test, and Python stores a str with one "ắ" at two bytes a letter. With each
    text word kept once (text_words), a table takes half the memory it took as str.
    """

    pk: int
    title_normalised: bytes
    title_folded: bytes
    text_folded: bytes
    text_accented: bytes
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

    def has_words_as_written(self, words: tuple[bytes, ...]) -> bool:
        """Whether the text has every one of the padded words, diacritics and all."""
        plain_end = self.text_folded.find(PLAIN_END) + 1
        for word in words:
            if word.isascii():
                if self.text_folded.find(word, 0, plain_end) < 0:
                    return False
            elif word not in self.text_accented:
                return False
        return True


FIELDS = (
    "pk",
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


PLAIN_END = b" | "  # in text_folded, after the words that have no diacritics as written


def text_words(normalised: str, folded: str) -> tuple[bytes, bytes]:
    """A row's (text_folded, text_accented) from its entry's padded texts.

    text_folded: every word folded, each once, those without diacritics as written first,
    then PLAIN_END: " htx ocop | nuoc mam ". text_accented: the words with diacritics, as
    written: " nước mắm ". So a word typed without diacritics is found as written before
    PLAIN_END, any other in text_accented (Row.has_words_as_written).
    """
    written = dict.fromkeys(normalised.split())
    plain: list[str] = []
    accented: list[str] = []
    for word in written:
        (plain if word.isascii() else accented).append(word)
    rest = [word for word in dict.fromkeys(folded.split()) if word not in written]
    return (
        f" {' '.join(plain)}{PLAIN_END.decode()}{' '.join(rest)} ".encode(),
        f" {' '.join(accented)} ".encode(),
    )


def _values(piped: str, shared: dict) -> tuple[str, ...]:
    """The values of a "|a|b|" field; shared strings and tuples, as thousands of rows
    repeat them."""
    values = tuple(sys.intern(value) for value in piped.split("|") if value)
    return shared.setdefault(values, values)


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
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    # Read in small chunks: the texts read are dropped for shorter ones, and a big chunk
    # of them leaves the process that much larger for good.
    for (
        pk,
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
    ) in entries.values_list(*FIELDS).iterator(chunk_size=250):
        valid_stars = stars.get(pk)
        text_folded, text_accented = text_words(text_normalised, text_folded)
        title_folded = title_folded.encode()
        # One object when alike (most English titles), not two.
        title_normalised = title_normalised.encode()
        if title_normalised == title_folded:
            title_normalised = title_folded
        rows.append(
            Row(
                pk=pk,
                title_normalised=title_normalised,
                title_folded=title_folded,
                text_folded=text_folded,
                text_accented=text_accented,
                categories=_values(category_slugs, shared),
                certifications=_values(certification_kinds, shared),
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

    Every write of the entries changes the token in its transaction (entries_changed),
    the cascade of a deleted product page too (search.signals.page_deleted). Rows read
    after the token are at least as new, so a table is never kept under a version newer
    than its rows.
    """
    token = SearchEntriesVersion.objects.values_list("token", flat=True).first()
    return token, timezone.localdate()


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
    # Let go of the old before building the new: a process holds one table, not two.
    held = _kept.pop((what, language), None)
    del held
    built = build(language)
    _kept[(what, language)] = (version, built)
    return built


def rows_of(language: str) -> list[Row]:
    """The language's rows, read again only when the entries changed."""
    return kept("rows", language, read_rows)
