"""The Elasticsearch backend of the catalogue search: same answers as the database one.

Queries are folded and normalised in Python (marketplace.core.text) and sent as match queries,
never as query syntax. Exact-diacritic matches score above folded ones, folded above
fuzzy ones; OCOP stars valid today, stock and featuring order equally relevant products
(weights from search.ranking). Facet counts use the other facets' selections only.
"""

import dataclasses
import datetime
import math
from collections.abc import Collection, Iterable

from django.utils import timezone
from django.utils.translation import override
from elasticsearch import exceptions

from marketplace.core.text import WORD, fold, normalise
from search.backends.base import Progress, SearchBackend
from search.backends.elasticsearch import connection, indexing
from search.backends.shared import (
    PRODUCT_SUGGESTIONS,
    facet_values,
    max_edits,
    producer_hits,
    query_words,
)
from search.query import (
    FACETS,
    MAX_QUERY_LENGTH,
    MAX_SUGGESTIONS,
    PRICE_RANGES,
    FacetValue,
    ProducerHit,
    ProductHit,
    ProductQuery,
    ProductResults,
    Suggestion,
)
from search.ranking import PRODUCER_RANKING, RANKING
from search.thumbnails import thumbnail_urls

MAX_WINDOW = 10_000  # Elasticsearch's max_result_window
FACET_SIZE = 100
PHRASE_SLOP = 2
FUZZY = {"fuzziness": "AUTO", "prefix_length": 1}
WORD_COUNTS = "word_counts"  # the aggregation telling which query words the index has
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
    "availability",
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


def text_query(q: str, typos: Collection[str] = ()) -> dict:
    """Every word must be a word of the text, folded; a word in `typos` (folded words the
    index lacks) may be within a typo or two of one.

    Whole words, as in the database backend: Vietnamese words are syllables, and "gỗ"
    must not find "gốm". Evidence scores as in the database backend: exact diacritics,
    title matches and phrases (constant scores from search.ranking), then `_title_focus`.
    The text itself only filters: its term frequencies counted the category's name,
    so "nghệ" preferred "Tượng gỗ mỹ nghệ" (category "Thủ công mỹ nghệ") to turmeric.
    Misspelt words are fuzzy in every clause, so that a typo keeps the title evidence
    ("banh trangg": "Tour làng bánh tráng" before a product of "HTX Bánh tráng…").
    """
    exact, folded = query_words(q)
    if not folded:  # only symbols: nothing matches, as in the database backend
        return {"match_none": {}}
    fuzzy = [word in typos for word in folded]
    should = [
        _all_words("title_normalised", exact, fuzzy, RANKING["title_exact"]),
        _all_words("text_normalised", exact, fuzzy, RANKING["text_exact"]),
        _all_words("title_folded", folded, fuzzy, RANKING["title_folded"]),
        _title_focus(folded, fuzzy),
    ]
    if not any(fuzzy):  # phrase queries take no fuzziness
        should += [
            _phrase("title_folded", folded, RANKING["title_phrase"]),
            _phrase("title_normalised", exact, RANKING["title_phrase"]),
            _phrase("text_normalised", exact, RANKING["text_exact"]),
        ]
    return {"bool": {"filter": _words("text_folded", folded, fuzzy), "should": should}}


def _words(field: str, words: list[str], fuzzy: list[bool]) -> dict:
    """Each word in `field`, those marked fuzzy within AUTO edits (none below 3 letters)."""
    return {
        "bool": {
            "must": [
                {"match": {field: {"query": word, "operator": "and", **(FUZZY if typo else {})}}}
                for word, typo in zip(words, fuzzy, strict=True)
            ]
        }
    }


def _all_words(field: str, words: list[str], fuzzy: list[bool], boost: float) -> dict:
    # constant_score: evidence counts once, whatever the term frequencies.
    return {"constant_score": {"filter": _words(field, words, fuzzy), "boost": boost}}


def _title_focus(words: list[str], fuzzy: list[bool]) -> dict:
    """BM25 over the title (folded): among titles with every word, the shortest (the
    one most about them) first. "Tinh bột nghệ" before "Tượng gỗ mỹ nghệ", for "nghệ"."""
    focus = _words("title_folded", words, fuzzy)
    focus["bool"]["boost"] = RANKING["title_focus"]
    return focus


def _phrase(field: str, words: list[str], boost: float) -> dict:
    text = " ".join(words)
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


def base_query(query: ProductQuery, today: datetime.date, typos: Collection[str] = ()) -> dict:
    filters = []
    if query.price_min is not None or query.price_max is not None:
        bounds = {}
        if query.price_min is not None:
            bounds["gte"] = query.price_min
        if query.price_max is not None:
            bounds["lte"] = query.price_max
        filters.append({"range": {"price": bounds}})
    q = normalise(query.q[:MAX_QUERY_LENGTH])
    text = text_query(q, typos) if q else {"match_all": {}}
    return {
        "function_score": {
            "query": {"bool": {"must": text, "filter": filters}},
            "functions": rank_functions(today),
            "score_mode": "sum",
            "boost_mode": "sum",
        }
    }


def aggregations(filters: dict[str, dict], today: datetime.date) -> dict:
    """One aggregation per facet, filtered by every OTHER facet's selection. A facet with
    no other selection to apply is not wrapped in a filter: that wrapper, matching all,
    made the node's answer to a search without selections a quarter slower."""
    aggs = {}
    for facet in FACETS:
        others = [f for name, f in filters.items() if name != facet]
        if others:
            aggs[facet] = {
                "filter": {"bool": {"filter": others}},
                "aggs": {"values": _facet_agg(facet, today)},
            }
        else:
            aggs[facet] = _facet_agg(facet, today)
    return aggs


def _facet_result(agg: dict) -> dict:
    """A facet's values from its aggregation, filtered ("values" inside) or not."""
    return agg.get("values", agg)


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


def word_counts(words: list[str]) -> dict:
    """How many products of the whole index (global: whatever the query) have each word."""
    filters = {
        word: {"match": {"text_folded": {"query": word, "operator": "and"}}} for word in words
    }
    return {"global": {}, "aggs": {"words": {"filters": {"filters": filters}}}}


def search_body(query: ProductQuery, today: datetime.date, typos: Collection[str] = ()) -> dict:
    filters = facet_filters(query, today)
    size = max(1, query.page_size)
    page = min(max(1, query.page), max(1, (MAX_WINDOW - size) // size + 1))
    return {
        "query": base_query(query, today, typos),
        "post_filter": {"bool": {"filter": list(filters.values())}},
        "aggs": aggregations(filters, today),
        "sort": sort_clause(query.sort, today),
        "from": (page - 1) * size,
        "size": size,
        "track_total_hits": True,
        "_source": SOURCE_FIELDS,
    }


def hints_body(query: ProductQuery) -> dict | None:
    """What a search that found nothing asks next: which of its words the index has (the
    typos to forgive) and the term suggester's "did you mean". Not part of every search:
    they cost a fifth of its time on the node, and most searches find something."""
    folded = fold(query.q[:MAX_QUERY_LENGTH])
    _, words = query_words(query.q[:MAX_QUERY_LENGTH])  # as text_query's words
    if not folded:
        return None
    body: dict = {"size": 0, "track_total_hits": False}
    if words:
        body["aggs"] = {WORD_COUNTS: word_counts(words)}
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


def _total(response: dict) -> int:
    return response["hits"]["total"]["value"]


def _search(
    query: ProductQuery, today: datetime.date, typos: Collection[str] = ()
) -> tuple[dict, int]:
    body = search_body(query, today, typos)
    response = connection.get_client().search(
        index=connection.alias("products", query.language), **body
    )
    return response, _page_of(body)


def _page_of(body: dict) -> int:
    return body["from"] // body["size"] + 1


def _searches(*searches: tuple[str, dict]) -> list[dict]:
    """Several searches in one request (msearch), as (index, body); an error in any one
    is raised, as a search alone would raise it."""
    lines = []
    for index, body in searches:
        lines += [{"index": index}, body]
    responses = connection.get_client().msearch(searches=lines)["responses"]
    for response in responses:
        if "error" in response:
            raise exceptions.TransportError(f"msearch: {response['error']}")
    return responses


def _hints(query: ProductQuery) -> dict:
    body = hints_body(query)
    if body is None:
        return {}
    return connection.get_client().search(
        index=connection.alias("products", query.language), **body
    )


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
            availability=s.get("availability", ""),
        )
        for s in sources
    ]


def possible_typos(response: dict) -> frozenset[str]:
    """The query's (folded) words that no product of the index has, long enough for
    AUTO fuzziness to forgive a typo (as the database backend's "did you mean")."""
    aggregations = response.get("aggregations", {})
    buckets = aggregations.get(WORD_COUNTS, {}).get("words", {}).get("buckets", {})
    return frozenset(
        word for word, bucket in buckets.items() if not bucket["doc_count"] and max_edits(word)
    )


def did_you_mean(response: dict, folded: str) -> str:
    """The folded query with its unknown words corrected by the term suggester, or ""."""
    entries = response.get("suggest", {}).get("did_you_mean", [])
    corrected = {
        entry["text"]: entry["options"][0]["text"] for entry in entries if entry["options"]
    }
    words = WORD.findall(folded)
    if not corrected.keys() & set(words):
        return ""
    return " ".join(corrected.get(word, word) for word in words)


def facets_of(query: ProductQuery, aggs: dict) -> dict[str, list[FacetValue]]:
    """Facet values as the database backend lists them: same labels, same order."""
    with override(query.language):
        return {
            facet: facet_values(facet, bucket_counts(facet, _facet_result(aggs[facet])), query)
            for facet in FACETS
        }


def bucket_counts(facet: str, values: dict) -> dict[str, int]:
    if facet == "stars":
        buckets = values["valid"]["stars"]["buckets"]
        return {str(b["key"]): b["products"]["doc_count"] for b in buckets}
    if facet == "price":
        return {key: b["doc_count"] for key, b in values["buckets"].items()}
    return {b["key"]: b["doc_count"] for b in values["buckets"]}


# Suggestions -------------------------------------------------------------------------


def completion_body(prefix: str, fuzzy: dict | None = None) -> dict:
    """The request for the suggestions completing `prefix` (folded)."""

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

    return {
        "suggest": {
            "products": completion(["product"], PRODUCT_SUGGESTIONS),
            "others": completion(["producer", "craft_village", "category"], MAX_SUGGESTIONS),
        },
        "_source": ["text", "type", "url"],
    }


def _completions(prefix: str, language: str, fuzzy: dict | None = None) -> list[dict]:
    response = connection.get_client().search(
        index=connection.alias("suggest", language), **completion_body(prefix, fuzzy)
    )
    suggest = response["suggest"]
    return suggest["products"][0]["options"] + suggest["others"][0]["options"]


# Producers -----------------------------------------------------------------------------


def producer_query(q: str) -> dict:
    """Every word in the producer's text, folded; scored as the database backend does."""
    weights = PRODUCER_RANKING
    exact, folded = normalise(q), fold(q)

    def scored(query: dict, boost: float) -> dict:
        return {"constant_score": {"filter": query, "boost": boost}}

    def all_words(field: str, text: str) -> dict:
        return {"match": {field: {"query": text, "operator": "and"}}}

    return {
        "bool": {
            "filter": all_words("text_folded", folded),
            "should": [
                scored(all_words("name_normalised", exact), weights["name_exact"]),
                scored(all_words("name_folded", folded), weights["name_folded"]),
                scored({"match_phrase": {"name_folded": folded}}, weights["name_phrase"]),
                scored(all_words("text_normalised", exact), weights["text_exact"]),
            ],
        }
    }


def producers_body(q: str, limit: int) -> dict:
    return {
        "query": producer_query(q),
        "sort": ["_score", {"product_count": "desc"}, {"page_id": "asc"}],
        "size": limit,
        "_source": [
            "page_id",
            "display_name",
            "url",
            "legal_form",
            "locality_name",
            "craft_village_name",
            "product_count",
            "logo_id",
        ],
    }


# The backend -----------------------------------------------------------------------------


class ElasticsearchBackend(SearchBackend):
    """The indices of search.backends.elasticsearch.indexing, behind their aliases."""

    name = "elasticsearch"
    # ApiError: the node answered with an error (e.g. no index yet).
    unavailable_errors = (
        ImportError,
        exceptions.ConnectionError,
        exceptions.TransportError,
        exceptions.ApiError,
    )

    def check(self) -> str:
        """The cluster's health, asked with the searches' short timeout; red (a primary
        shard missing: searches would miss products) counts as unavailable."""
        health = connection.get_client().cluster.health()
        status, nodes = health["status"], health["number_of_nodes"]
        if status == "red":
            raise exceptions.ConnectionError(f"cluster red, {nodes} nodes")
        return f"{status}, {nodes} nodes"

    def update(self, page_ids: Iterable[int]) -> None:
        indexing.update_documents(page_ids)

    def delete(self, page_ids: Iterable[int]) -> None:
        indexing.delete_documents(page_ids)

    def rebuild(self, progress: Progress | None = None) -> int:
        return indexing.rebuild(progress)

    def search_products(self, query: ProductQuery) -> ProductResults:
        """Search the products index of the query's language (raises on connection errors).

        Typos are forgiven only when the words as typed match nothing, and only in the
        words the index lacks, so that a fuzzy match never crowds out real ones: "gom"
        must not find "go", nor "gỗ gốm" (two real words, no product has both) the wood.
        """
        today = timezone.localdate()
        return self._products(query, today, *_search(query, today))

    def search_page(
        self, query: ProductQuery, producers: int
    ) -> tuple[ProductResults, list[ProducerHit]]:
        """The products and the producers in one request to the node (msearch)."""
        q = query.q[:MAX_QUERY_LENGTH]
        if producers < 1 or not WORD.search(normalise(q)):
            return super().search_page(query, producers)
        today = timezone.localdate()
        body = search_body(query, today)
        found, makers = _searches(
            (connection.alias("products", query.language), body),
            (connection.alias("producers", query.language), producers_body(q, producers)),
        )
        results = self._products(query, today, found, _page_of(body))
        sources = [hit["_source"] for hit in makers["hits"]["hits"]]
        return results, producer_hits(sources, query.language)

    def _products(
        self, query: ProductQuery, today: datetime.date, response: dict, page: int
    ) -> ProductResults:
        """The results of `query` from the node's first answer, `response`, asking again
        for typos and "did you mean" when it found nothing, or for the last page."""
        hints = _hints(query) if _total(response) == 0 else {}
        typos = possible_typos(hints)
        if typos:
            response, page = _search(query, today, typos)
        total = _total(response)
        pages = max(1, math.ceil(total / query.page_size))
        if page > pages:  # past the end: show the last page, as the database backend does
            response, page = _search(dataclasses.replace(query, page=pages), today, typos)
        sources = [hit["_source"] for hit in response["hits"]["hits"]]
        return ProductResults(
            hits=product_hits(sources, today),
            total=total,
            page=page,
            pages=pages,
            facets=facets_of(query, response["aggregations"]),
            did_you_mean="" if total else did_you_mean(hints, fold(query.q[:MAX_QUERY_LENGTH])),
            backend=self.name,
        )

    def suggest(self, q: str, language: str) -> list[Suggestion]:
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
            Suggestion(o["_source"]["text"], o["_source"]["type"], o["_source"]["url"])
            for o in options
        ][:MAX_SUGGESTIONS]

    def search_producers(self, q: str, language: str, limit: int) -> list[ProducerHit]:
        """Search the producers index of `language` (raises on connection errors)."""
        if not WORD.search(normalise(q)):
            return []
        response = connection.get_client().search(
            index=connection.alias("producers", language), **producers_body(q, limit)
        )
        return producer_hits([hit["_source"] for hit in response["hits"]["hits"]], language)
