"""The Elasticsearch backend of the catalogue search: same answers as the database one.

Queries are folded and normalised in Python (search.text) and sent as match queries,
never as query syntax. Exact-diacritic matches score above folded ones, folded above
fuzzy ones; OCOP stars valid today, stock and featuring order equally relevant products
(weights from search.ranking). Facet counts use the other facets' selections only.
"""

import dataclasses
import datetime
import math
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import override

from marketplace.base.models import CustomImage
from search import es
from search.backends import database
from search.indexing import delete_documents, update_documents
from search.ranking import RANKING
from search.service import (
    FACETS,
    MAX_QUERY_LENGTH,
    MAX_SUGGESTIONS,
    PRICE_RANGES,
    FacetValue,
    ProductHit,
    ProductQuery,
    ProductResults,
    Suggestion,
)
from search.text import WORD, fold, normalise

# search.tasks follows page changes through these.
__all__ = ["NAME", "delete_documents", "search_products", "suggest", "update_documents"]

NAME = "elasticsearch"
THUMBNAIL_SPEC = "fill-400x300"  # as search.backends.database
PRODUCT_SUGGESTIONS = MAX_SUGGESTIONS - 3  # as search.backends.database
MAX_WINDOW = 10_000  # Elasticsearch's max_result_window
FACET_SIZE = 100
PHRASE_SLOP = 2
SOURCE_FIELDS = [
    "page_id",
    "title",
    "url",
    "price",
    "unit",
    "producer_name",
    "locality_name",
    "image_id",
    "ocop",
]
KEYWORD_FACETS = {
    "category": "category_slugs",
    "locality": "locality_slug",
    "craft_village": "craft_village_slug",
    "certification": "certification_kinds",
    "availability": "availability",
}


# Queries -----------------------------------------------------------------------------


def valid_ocop(today: datetime.date, stars: Iterable[int] = ()) -> dict:
    """Certificates valid today (with one of `stars`), inside the nested `ocop` path."""
    filters = [
        {"range": {"ocop.valid_from": {"lte": today.isoformat()}}},
        {"range": {"ocop.valid_until": {"gte": today.isoformat()}}},
    ]
    stars = list(stars)
    if stars:
        filters.append({"terms": {"ocop.stars": stars}})
    return {"bool": {"filter": filters}}


def text_query(q: str, fuzzy: bool = False) -> dict:
    """Every word must be a word of the text, folded (or, if `fuzzy`, within a typo or two).

    Exact diacritics, title matches and phrases score more. Whole words, as in the
    database backend: Vietnamese words are syllables, and "gỗ" must not find "gốm".
    """
    exact, folded = normalise(q), fold(q)
    words = {"query": folded, "operator": "and"}
    if fuzzy:
        words.update(fuzziness="AUTO", prefix_length=1)
    return {
        "bool": {
            "must": {"match": {"text_folded": words}},
            "should": [
                _all_words("title_normalised", exact, RANKING["title_exact"]),
                _all_words("text_normalised", exact, RANKING["text_exact"]),
                _all_words("title_folded", folded, RANKING["title_folded"]),
                _phrase("title_folded", folded, RANKING["title_phrase"]),
                _phrase("title_normalised", exact, RANKING["title_phrase"]),
                _phrase("text_normalised", exact, RANKING["text_exact"]),
            ],
        }
    }


def _all_words(field: str, text: str, boost: float) -> dict:
    # constant_score: evidence counts once, whatever the term frequencies.
    return {
        "constant_score": {
            "filter": {"match": {field: {"query": text, "operator": "and"}}},
            "boost": boost,
        }
    }


def _phrase(field: str, text: str, boost: float) -> dict:
    return {
        "constant_score": {
            "filter": {"match_phrase": {field: {"query": text, "slop": PHRASE_SLOP}}},
            "boost": boost,
        }
    }


def rank_functions(today: datetime.date) -> list[dict]:
    stars = [
        {
            "filter": {"nested": {"path": "ocop", "query": valid_ocop(today, [n])}},
            "weight": n * RANKING["per_star"],
        }
        for n in (5, 4, 3)
    ]
    return [
        *stars,
        {"filter": {"term": {"availability": "in_stock"}}, "weight": RANKING["in_stock"]},
        {"filter": {"term": {"featured": True}}, "weight": RANKING["featured"]},
    ]


def facet_filters(query: ProductQuery, today: datetime.date) -> dict[str, dict]:
    """The filter of each facet with a selection: OR within the facet."""
    filters = {}
    for facet, field in KEYWORD_FACETS.items():
        values = getattr(query, facet)
        if values:
            filters[facet] = {"terms": {field: list(values)}}
    if query.stars:
        filters["stars"] = {"nested": {"path": "ocop", "query": valid_ocop(today, query.stars)}}
    ranges = [_price_range(key) for key in query.price if _price_range(key)]
    if ranges:
        filters["price"] = {"bool": {"should": [{"range": {"price": r}} for r in ranges]}}
    return filters


def _price_range(key: str) -> dict | None:
    for range_key, low, high in PRICE_RANGES:
        if range_key == key:
            return {"gte": low, **({"lt": high} if high is not None else {})}
    return None


def base_query(query: ProductQuery, today: datetime.date, fuzzy: bool = False) -> dict:
    filters = []
    if query.price_min is not None or query.price_max is not None:
        bounds = {}
        if query.price_min is not None:
            bounds["gte"] = query.price_min
        if query.price_max is not None:
            bounds["lte"] = query.price_max
        filters.append({"range": {"price": bounds}})
    q = normalise(query.q[:MAX_QUERY_LENGTH])
    text = text_query(q, fuzzy) if q else {"match_all": {}}
    return {
        "function_score": {
            "query": {"bool": {"must": text, "filter": filters}},
            "functions": rank_functions(today),
            "score_mode": "sum",
            "boost_mode": "sum",
        }
    }


def aggregations(filters: dict[str, dict], today: datetime.date) -> dict:
    """One filter aggregation per facet, filtered by every OTHER facet's selection."""
    aggs = {}
    for facet in FACETS:
        others = [f for name, f in filters.items() if name != facet]
        aggs[facet] = {
            "filter": {"bool": {"filter": others}},
            "aggs": {"values": _facet_agg(facet, today)},
        }
    return aggs


def _facet_agg(facet: str, today: datetime.date) -> dict:
    if facet == "stars":
        return {
            "nested": {"path": "ocop"},
            "aggs": {
                "valid": {
                    "filter": valid_ocop(today),
                    "aggs": {
                        "stars": {
                            "terms": {"field": "ocop.stars"},
                            "aggs": {"products": {"reverse_nested": {}}},
                        }
                    },
                }
            },
        }
    if facet == "price":
        ranges = [
            {"key": key, "from": low, **({"to": high} if high is not None else {})}
            for key, low, high in PRICE_RANGES
        ]
        return {"range": {"field": "price", "ranges": ranges, "keyed": True}}
    return {"terms": {"field": KEYWORD_FACETS[facet], "size": FACET_SIZE}}


def sort_clause(sort: str, today: datetime.date) -> list:
    tie_break = {"page_id": "asc"}
    if sort == "price_asc":
        return [{"price": {"order": "asc", "missing": "_last"}}, "_score", tie_break]
    if sort == "price_desc":
        return [{"price": {"order": "desc", "missing": "_last"}}, "_score", tie_break]
    if sort == "newest":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, tie_break]
    if sort == "stars":
        stars = {
            "order": "desc",
            "mode": "max",
            "missing": "_last",
            "nested": {"path": "ocop", "filter": valid_ocop(today)},
        }
        return [{"ocop.stars": stars}, "_score", tie_break]
    return ["_score", tie_break]


def search_body(query: ProductQuery, today: datetime.date, fuzzy: bool = False) -> dict:
    filters = facet_filters(query, today)
    size = max(1, query.page_size)
    page = min(max(1, query.page), max(1, (MAX_WINDOW - size) // size + 1))
    body = {
        "query": base_query(query, today, fuzzy),
        "post_filter": {"bool": {"filter": list(filters.values())}},
        "aggs": aggregations(filters, today),
        "sort": sort_clause(query.sort, today),
        "from": (page - 1) * size,
        "size": size,
        "track_total_hits": True,
        "_source": SOURCE_FIELDS,
    }
    folded = fold(query.q[:MAX_QUERY_LENGTH])
    if folded:
        body["suggest"] = {
            "did_you_mean": {
                "text": folded,
                "term": {
                    "field": "text_folded",
                    "suggest_mode": "missing",
                    "string_distance": "levenshtein",
                    "size": 1,
                },
            }
        }
    return body


# Results -----------------------------------------------------------------------------


def search_products(query: ProductQuery) -> ProductResults:
    """Search the products index of the query's language (raises on connection errors).

    Typos are forgiven only when the words as typed match nothing, so that a fuzzy
    match never crowds out real ones ("gom" must not find "go").
    """
    today = timezone.localdate()
    response, page = _search(query, today)
    suggested = did_you_mean(response, fold(query.q[:MAX_QUERY_LENGTH]))
    fuzzy = _total(response) == 0 and bool(query.q.strip())
    if fuzzy:
        response, page = _search(query, today, fuzzy=True)
    total = _total(response)
    pages = max(1, math.ceil(total / query.page_size))
    if page > pages:  # past the end: show the last page, as the database backend does
        response, page = _search(dataclasses.replace(query, page=pages), today, fuzzy)
    sources = [hit["_source"] for hit in response["hits"]["hits"]]
    return ProductResults(
        hits=product_hits(sources, today),
        total=total,
        page=page,
        pages=pages,
        facets=facet_values(query, response["aggregations"]),
        did_you_mean=suggested if total == 0 else "",
        backend=NAME,
    )


def _total(response: dict) -> int:
    return response["hits"]["total"]["value"]


def _search(query: ProductQuery, today: datetime.date, fuzzy: bool = False) -> tuple[dict, int]:
    body = search_body(query, today, fuzzy)
    response = es.get_client().search(index=es.alias("products", query.language), **body)
    return response, body["from"] // body["size"] + 1


def best_stars(ocop: list[dict], today: datetime.date) -> int | None:
    day = today.isoformat()
    valid = [w["stars"] for w in ocop if w["valid_from"] <= day <= w["valid_until"]]
    return max(valid, default=None)


def product_hits(sources: list[dict], today: datetime.date) -> list[ProductHit]:
    thumbnails = thumbnail_urls(s["image_id"] for s in sources if s.get("image_id"))
    return [
        ProductHit(
            page_id=s["page_id"],
            title=s["title"],
            url=s["url"],
            price=s.get("price"),
            unit=s.get("unit", ""),
            stars=best_stars(s.get("ocop", []), today),
            producer=s.get("producer_name", ""),
            locality=s.get("locality_name", ""),
            thumbnail=thumbnails.get(s.get("image_id"), ""),
        )
        for s in sources
    ]


def thumbnail_urls(image_ids: Iterable[int]) -> dict[int, str]:
    """Card thumbnails (the database backend's spec), renditions fetched in one query."""
    images = CustomImage.objects.filter(pk__in=set(image_ids)).prefetch_renditions(THUMBNAIL_SPEC)
    return {image.pk: image.get_rendition(THUMBNAIL_SPEC).url for image in images}


def did_you_mean(response: dict, folded: str) -> str:
    entries = response.get("suggest", {}).get("did_you_mean", [])
    words = folded.split()
    changed = False
    for entry in entries:
        options = entry.get("options")
        if options and entry["text"] in words:
            words[words.index(entry["text"])] = options[0]["text"]
            changed = True
    return " ".join(words) if changed else ""


def facet_values(query: ProductQuery, aggs: dict) -> dict[str, list[FacetValue]]:
    """Facet values as the database backend lists them: same labels, same order."""
    facets = {}
    with override(query.language):
        for facet in FACETS:
            counts = bucket_counts(facet, aggs[facet]["values"])
            selected = {str(value) for value in getattr(query, facet)}
            values = set(counts) | selected
            labels = database.facet_labels(facet, values, query.language)
            if facet == "price":
                order = [key for key in labels if counts.get(key) or key in selected]
            elif facet == "stars":
                order = sorted(values, reverse=True)
            else:
                order = sorted(values, key=lambda v: (-counts.get(v, 0), labels.get(v, v)))
            facets[facet] = [
                FacetValue(v, labels.get(v, v), counts.get(v, 0), v in selected) for v in order
            ]
    return facets


def bucket_counts(facet: str, values: dict) -> dict[str, int]:
    if facet == "stars":
        buckets = values["valid"]["stars"]["buckets"]
        return {str(b["key"]): b["products"]["doc_count"] for b in buckets}
    if facet == "price":
        return {key: b["doc_count"] for key, b in values["buckets"].items()}
    return {b["key"]: b["doc_count"] for b in values["buckets"]}


# Suggestions -------------------------------------------------------------------------


def suggest(q: str, language: str) -> list[Suggestion]:
    """Products, then producers, craft villages and categories, whose name starts like `q`.

    As in the database backend, products take at most PRODUCT_SUGGESTIONS places.
    Typos are forgiven only when nothing starts exactly like `q`.
    """
    prefix = fold(q)[:MAX_QUERY_LENGTH]
    if not WORD.search(prefix):
        return []
    options = _completions(prefix, language)
    if not options and len(prefix) > 3:
        options = _completions(prefix, language, {"fuzziness": "AUTO", "prefix_length": 1})
    return [
        Suggestion(o["_source"]["text"], o["_source"]["type"], o["_source"]["url"]) for o in options
    ][:MAX_SUGGESTIONS]


def _completions(prefix: str, language: str, fuzzy: dict | None = None) -> list[dict]:
    def completion(types: list[str], size: int) -> dict:
        options = {
            "field": "suggest",
            "size": size,
            # Not skip_duplicates: it compares the matched inputs, and a producer and
            # its village often share one ("banh trang phu chiem").
            "contexts": {"type": types},
        }
        if fuzzy:
            options["fuzzy"] = fuzzy
        return {"prefix": prefix, "completion": options}

    response = es.get_client().search(
        index=es.alias("suggest", language),
        suggest={
            "products": completion(["product"], PRODUCT_SUGGESTIONS),
            "others": completion(["producer", "craft_village", "category"], MAX_SUGGESTIONS),
        },
        source=["text", "type", "url"],
    )
    suggest = response["suggest"]
    return suggest["products"][0]["options"] + suggest["others"][0]["options"]
