"""Elasticsearch documents of the catalogue search: products, producers and suggestions.

One index of each per language. The test distribution of Elasticsearch has only the
built-in analysis (no analysis-common: no asciifolding, no stemmers, no `english`
analyzer), so Vietnamese folding happens in Python (marketplace.core.text) before indexing and
for every query, and text fields use `standard`.

The Document classes are the mappings (the indexing module creates the indices from
them) and say how each field is read from a record: `prepare_<field>(record)` when defined,
else the record's attribute of the same name. Bulk loads send those values as plain
dicts, which costs a fraction of building Document instances.
"""

import datetime
import functools
import itertools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    InnerDoc,
    Integer,
    Keyword,
    Long,
    MetaField,
    Nested,
    Text,
)
from wagtail.models import Locale

from marketplace.core.text import fold
from producers.models import CraftVillage, ProducerIndexPage
from products.models import ProductCategory, ProductIndexPage
from search.catalogue import CertificateWindow, ProducerRecord, ProductRecord

SUGGEST_WORDS = 4  # a name also completes from its 2nd…4th word ("mắm" → "nước mắm")

# One replica of each shard as soon as the cluster has two data nodes (none on a single
# node, which then stays green): a node can be lost without losing a product.
INDEX_SETTINGS = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}


def phrase_text() -> Text:
    # index_phrases indexes two-word shingles: phrase queries stay fast.
    return Text(analyzer="standard", index_phrases=True)


def stored() -> Keyword:
    """Returned with hits, never searched."""
    return Keyword(index=False, doc_values=False)


class SourceDocument(Document):
    """A document whose source is prepared from a record, field by field."""

    @classmethod
    def source(cls, record: object) -> dict:
        """The `_source` of `record`: one value per field of the mapping."""
        return {name: prepare(record) for name, prepare in _preparers(cls)}


@functools.cache
def _preparers(document: type[SourceDocument]) -> list[tuple[str, Callable]]:
    return [
        (name, getattr(document, f"prepare_{name}", None) or operator.attrgetter(name))
        for name in document._doc_type.mapping
    ]


# Products ----------------------------------------------------------------------------


class OcopPeriod(InnerDoc):
    """Days with the same best valid OCOP stars: see best_stars_periods()."""

    stars = Integer()
    valid_from = Date()
    valid_until = Date()


class ProductDocument(SourceDocument):
    page_id = Integer()
    title = Text(analyzer="standard", fields={"exact": Keyword()})
    title_normalised = phrase_text()
    title_folded = phrase_text()
    text_normalised = phrase_text()
    text_folded = phrase_text()
    url = stored()
    producer_name = stored()
    locality_name = stored()
    unit = stored()
    image_id = Integer(index=False)
    category_slugs = Keyword()
    locality_slug = Keyword()
    craft_village_slug = Keyword()
    certification_kinds = Keyword()
    availability = Keyword()
    price = Long()
    featured = Boolean()
    published_at = Date()
    ocop = Nested(OcopPeriod)

    class Meta:
        dynamic = MetaField("strict")

    @staticmethod
    def prepare_locality_slug(record: ProductRecord) -> str | None:
        return record.locality_slug or None

    @staticmethod
    def prepare_craft_village_slug(record: ProductRecord) -> str | None:
        return record.craft_village_slug or None

    @staticmethod
    def prepare_published_at(record: ProductRecord) -> str | None:
        return record.published_at.isoformat() if record.published_at else None

    @staticmethod
    def prepare_ocop(record: ProductRecord) -> list[dict]:
        return [
            {"stars": stars, "valid_from": start.isoformat(), "valid_until": end.isoformat()}
            for stars, start, end in best_stars_periods(record.ocop)
        ]


def best_stars_periods(
    windows: list[CertificateWindow],
) -> list[tuple[int, datetime.date, datetime.date]]:
    """(stars, first day, last day): periods without overlap, each with the best stars then.

    A product counts once under its best valid certificate on any day, as in the
    database backend, because at most one period contains that day.
    """
    if len(windows) == 1:  # most certified products: no overlap to resolve
        w = windows[0]
        return [(w.stars, w.valid_from, w.valid_until)] if w.valid_from <= w.valid_until else []
    edges = sorted(
        {w.valid_from for w in windows} | {w.valid_until + datetime.timedelta(1) for w in windows}
    )
    periods: list[tuple[int, datetime.date, datetime.date]] = []
    for start, following in itertools.pairwise(edges):
        end = following - datetime.timedelta(1)
        best = max((w.stars for w in windows if w.valid_from <= start <= w.valid_until), default=0)
        if not best:
            continue
        if periods and periods[-1][0] == best and periods[-1][2] == start - datetime.timedelta(1):
            periods[-1] = (best, periods[-1][1], end)
        else:
            periods.append((best, start, end))
    return periods


# Producers ---------------------------------------------------------------------------


class ProducerDocument(SourceDocument):
    page_id = Integer()
    name = Text(analyzer="standard", fields={"exact": Keyword()})
    display_name = stored()
    # Title and display name; the text adds legal form, places and summary.
    name_normalised = phrase_text()
    name_folded = phrase_text()
    text_normalised = phrase_text()
    text_folded = phrase_text()
    url = stored()
    legal_form = Keyword()
    locality_slug = Keyword()
    locality_name = stored()
    craft_village_slug = Keyword()
    craft_village_name = stored()
    logo_id = Integer(index=False)
    product_count = Integer()

    class Meta:
        dynamic = MetaField("strict")

    @staticmethod
    def prepare_locality_slug(record: ProducerRecord) -> str | None:
        return record.locality_slug or None

    @staticmethod
    def prepare_craft_village_slug(record: ProducerRecord) -> str | None:
        return record.craft_village_slug or None


# Suggestions -------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionRecord:
    text: str  # the name shown
    type: str  # "product", "producer", "craft_village" or "category"
    url: str
    weight: int = 1  # higher completes first
    folded: str = ""  # fold(text), when the record has it already


class SuggestionDocument(SourceDocument):
    # Inputs are folded: queries are folded too, so "nuoc" and "nước" complete alike.
    suggest = Completion(
        analyzer="simple",
        preserve_separators=True,
        # Products and the rest are asked for separately, so neither crowds out the other.
        contexts=[{"name": "type", "type": "category", "path": "type"}],
    )
    text = stored()
    type = Keyword()
    url = stored()

    class Meta:
        dynamic = MetaField("strict")

    @staticmethod
    def prepare_suggest(record: SuggestionRecord) -> dict:
        return {"input": suggest_inputs(record.text, record.folded), "weight": record.weight}


def suggest_inputs(name: str, folded: str = "") -> list[str]:
    """The folded name and its tails: completion matches from the start of an input."""
    words = (folded or fold(name)).split()
    return [" ".join(words[i:]) for i in range(min(len(words), SUGGEST_WORDS))]


def product_suggestion(record: ProductRecord) -> SuggestionRecord:
    # Featured and certified products complete first.
    weight = 1 + 2 * record.featured + len(record.ocop)
    return SuggestionRecord(record.title, "product", record.url, weight, record.title_folded)


def producer_suggestion(record: ProducerRecord) -> SuggestionRecord:
    return SuggestionRecord(record.display_name, "producer", record.url, 3)


def place_suggestions(language: str) -> Iterator[tuple[str, SuggestionRecord]]:
    """(id, suggestion) of the craft villages and categories in `language`."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return
    producer_index = ProducerIndexPage.objects.live().filter(locale=locale).first()
    if producer_index:
        for village in CraftVillage.objects.filter(locale=locale):
            url = producer_index.url + producer_index.reverse_subpage(
                "craft_village", args=[village.slug]
            )
            yield f"village-{village.pk}", SuggestionRecord(village.name, "craft_village", url, 4)
    product_index = ProductIndexPage.objects.live().filter(locale=locale).first()
    if product_index:
        for category in ProductCategory.objects.filter(locale=locale):
            url = product_index.url + product_index.reverse_subpage(
                "category", args=[category.slug]
            )
            yield f"category-{category.pk}", SuggestionRecord(category.name, "category", url, 5)
