"""Elasticsearch documents of the catalogue search: products, and suggestions.

One products index and one suggest index per language. The test distribution of
Elasticsearch has only the built-in analysis (no analysis-common: no asciifolding, no
stemmers, no `english` analyzer), so Vietnamese folding happens in Python
(search.text) before indexing and for every query, and text fields use `standard`.
"""

import datetime
import itertools
from collections.abc import Iterator

from wagtail.models import Locale

from producers.models import CraftVillage, ProducerIndexPage, ProducerPage
from products.models import ProductCategory, ProductIndexPage
from search.catalogue import CertificateWindow, ProductRecord
from search.text import fold

SUGGEST_WORDS = 4  # a name also completes from its 2nd…4th word ("mắm" → "nước mắm")

INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}

TEXT = {"type": "text", "analyzer": "standard"}
# index_phrases indexes two-word shingles: phrase queries stay fast.
PHRASE_TEXT = {**TEXT, "index_phrases": True}
KEYWORD = {"type": "keyword"}
STORED = {"type": "keyword", "index": False, "doc_values": False}

PRODUCT_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "page_id": {"type": "integer"},
        "title": {**TEXT, "fields": {"exact": KEYWORD}},
        "title_normalised": PHRASE_TEXT,
        "title_folded": PHRASE_TEXT,
        "text_normalised": PHRASE_TEXT,
        "text_folded": PHRASE_TEXT,
        "url": STORED,
        "producer_name": STORED,
        "locality_name": STORED,
        "unit": STORED,
        "image_id": {"type": "integer", "index": False},
        "category_slugs": KEYWORD,
        "locality_slug": KEYWORD,
        "craft_village_slug": KEYWORD,
        "certification_kinds": KEYWORD,
        "availability": KEYWORD,
        "price": {"type": "long"},
        "featured": {"type": "boolean"},
        "published_at": {"type": "date"},
        "ocop": {
            "type": "nested",
            "properties": {
                "stars": {"type": "integer"},
                "valid_from": {"type": "date"},
                "valid_until": {"type": "date"},
            },
        },
    },
}

SUGGEST_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        # Inputs are folded: queries are folded too, so "nuoc" and "nước" complete alike.
        "suggest": {
            "type": "completion",
            "analyzer": "simple",
            "preserve_separators": True,
            # Products and the rest are asked for separately, so neither crowds out the other.
            "contexts": [{"name": "type", "type": "category", "path": "type"}],
        },
        "text": STORED,
        "type": KEYWORD,
        "url": STORED,
    },
}


def best_stars_periods(
    windows: list[CertificateWindow],
) -> list[tuple[int, datetime.date, datetime.date]]:
    """(stars, first day, last day): periods without overlap, each with the best stars then.

    A product counts once under its best valid certificate on any day, as in the
    database backend, because at most one period contains that day.
    """
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


def product_document(record: ProductRecord) -> dict:
    return {
        "page_id": record.page_id,
        "title": record.title,
        "title_normalised": record.title_normalised,
        "title_folded": record.title_folded,
        "text_normalised": record.text_normalised,
        "text_folded": record.text_folded,
        "url": record.url,
        "producer_name": record.producer_name,
        "locality_name": record.locality_name,
        "unit": record.unit,
        "image_id": record.image_id,
        "category_slugs": record.category_slugs,
        "locality_slug": record.locality_slug or None,
        "craft_village_slug": record.craft_village_slug or None,
        "certification_kinds": record.certification_kinds,
        "availability": record.availability,
        "price": record.price,
        "featured": record.featured,
        "published_at": record.published_at.isoformat() if record.published_at else None,
        "ocop": [
            {
                "stars": stars,
                "valid_from": start.isoformat(),
                "valid_until": end.isoformat(),
            }
            for stars, start, end in best_stars_periods(record.ocop)
        ],
    }


def suggest_inputs(name: str) -> list[str]:
    """The folded name and its tails: completion matches from the start of an input."""
    words = fold(name).split()
    return [" ".join(words[i:]) for i in range(min(len(words), SUGGEST_WORDS))]


def suggestion(name: str, kind: str, url: str, weight: int = 1) -> dict:
    return {
        "suggest": {"input": suggest_inputs(name), "weight": weight},
        "text": name,
        "type": kind,
        "url": url,
    }


def product_suggestion(record: ProductRecord) -> dict:
    # Featured and certified products complete first.
    weight = 1 + 2 * record.featured + len(record.ocop)
    return suggestion(record.title, "product", record.url, weight)


def other_suggestions(language: str) -> Iterator[tuple[str, dict]]:
    """(id, document) of the producers, craft villages and categories in `language`."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return
    producers = ProducerPage.objects.live().public().filter(locale=locale)
    for producer in producers.only("id", "title", "display_name", "url_path"):
        name = producer.display_name or producer.title
        yield f"producer-{producer.pk}", suggestion(name, "producer", producer.url or "", 3)
    producer_index = ProducerIndexPage.objects.live().filter(locale=locale).first()
    if producer_index:
        for village in CraftVillage.objects.filter(locale=locale):
            url = producer_index.url + producer_index.reverse_subpage(
                "craft_village", args=[village.slug]
            )
            yield f"village-{village.pk}", suggestion(village.name, "craft_village", url, 4)
    product_index = ProductIndexPage.objects.live().filter(locale=locale).first()
    if product_index:
        for category in ProductCategory.objects.filter(locale=locale):
            url = product_index.url + product_index.reverse_subpage(
                "category", args=[category.slug]
            )
            yield f"category-{category.pk}", suggestion(category.name, "category", url, 5)
