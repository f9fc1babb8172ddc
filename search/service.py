"""The public catalogue search: what callers ask and what they get back.

Views and the API build a `ProductQuery`, call `search_products()` or `suggest()`,
and render the result. The backend (Elasticsearch, or the database when
ELASTICSEARCH_URL is unset or the node is unreachable) is chosen here, and both
backends return the same types.
"""

import logging
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.core.text import normalise

# The facets, named as the query parameters that select their values.
FACETS = (
    "category",
    "stars",
    "locality",
    "craft_village",
    "certification",
    "availability",
    "price",
)
SORTS = ("relevance", "price_asc", "price_desc", "newest", "stars")
PAGE_SIZE = 24
MAX_QUERY_LENGTH = 200
MAX_SUGGESTIONS = 8
PROMOTION_MODEL = "wagtailsearchpromotions.SearchPromotion"
PROMOTIONS_CACHE_KEY = "search-promotions"
# Promotions are cached per process by default: this bounds how long other processes
# keep promoting what an editor changed.
PROMOTIONS_CACHE_TIMEOUT = 60


@dataclass(frozen=True)
class ProductQuery:
    """A validated search: free text plus facet selections (OR within a facet, AND across)."""

    q: str = ""
    language: str = "vi"
    category: tuple[str, ...] = ()  # category slugs (a group includes its sub-categories)
    stars: tuple[int, ...] = ()  # 3, 4, 5: valid, verified certificates only
    locality: tuple[str, ...] = ()  # locality slugs
    craft_village: tuple[str, ...] = ()  # craft village slugs
    certification: tuple[str, ...] = ()  # ProductCertification.Kind values
    availability: tuple[str, ...] = ()  # ProductPage.Availability values
    price: tuple[str, ...] = ()  # price range keys, see PRICE_RANGES
    price_min: int | None = None
    price_max: int | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE


# Price ranges in đồng: (key, lowest included, highest excluded or None).
PRICE_RANGES = (
    ("under-50k", 0, 50_000),
    ("50k-100k", 50_000, 100_000),
    ("100k-200k", 100_000, 200_000),
    ("200k-500k", 200_000, 500_000),
    ("500k-up", 500_000, None),
)


@dataclass(frozen=True)
class FacetValue:
    value: str  # what the query parameter takes
    label: str  # in the query's language
    count: int
    selected: bool = False


@dataclass(frozen=True)
class ProductHit:
    page_id: int
    title: str
    url: str  # the product's public path
    price: int | None  # đồng; None when on request
    unit: str
    stars: int | None  # valid, verified OCOP stars
    producer: str
    locality: str
    thumbnail: str  # URL of a small rendition, or ""


@dataclass
class ProductResults:
    hits: list[ProductHit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    did_you_mean: str = ""  # a corrected query when nothing matched
    backend: str = ""  # "elasticsearch" or "database"
    duration_ms: int = 0  # time taken by search_products(), for the query log


@dataclass(frozen=True)
class Suggestion:
    text: str
    type: str  # "product", "producer", "craft_village" or "category"
    url: str


# The service: backend choice, fallback, promotions and the query log. ----------------

logger = logging.getLogger(__name__)


def _elasticsearch_errors() -> tuple[type[Exception], ...]:
    try:
        from elasticsearch import exceptions
    except ImportError:
        return (ImportError,)
    # ApiError: the node answered with an error (e.g. no index yet).
    return (ImportError, exceptions.ConnectionError, exceptions.TransportError, exceptions.ApiError)


def _answer(function_name: str, *args) -> tuple:
    """Call the configured backend; on Elasticsearch failure, answer from the database.

    Returns the answer and the NAME of the backend that gave it.
    """
    from search.backends import database, get_backend

    backend = get_backend()
    try:
        return getattr(backend, function_name)(*args), backend.NAME
    except _elasticsearch_errors() as error:
        if backend is database:
            raise
        logger.warning("Elasticsearch unavailable, searching the database: %s", error)
        return getattr(database, function_name)(*args), database.NAME


def _call(function_name: str, *args):
    return _answer(function_name, *args)[0]


def selected_filters(query: ProductQuery) -> dict:
    """The query's facet selections and price bounds, for the log (no personal data)."""
    filters = {name: list(getattr(query, name)) for name in FACETS if getattr(query, name)}
    for bound in ("price_min", "price_max"):
        if getattr(query, bound) is not None:
            filters[bound] = getattr(query, bound)
    return filters


def _promotions() -> dict[str, list[tuple[int, int]]]:
    """(sort order, page id) of every promoted page, by query string: editors promote a
    handful of queries, so all of them are one cache entry and one query when cold."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    promotions = cache.get(PROMOTIONS_CACHE_KEY)
    if promotions is None:
        promotions = {}
        rows = SearchPromotion.objects.filter(page__isnull=False).values_list(
            "query__query_string", "sort_order", "page_id"
        )
        for query_string, sort_order, page_id in rows:
            promotions.setdefault(query_string, []).append((sort_order, page_id))
        cache.set(PROMOTIONS_CACHE_KEY, promotions, PROMOTIONS_CACHE_TIMEOUT)
    return promotions


@receiver(post_save, sender=PROMOTION_MODEL, dispatch_uid="search-promotion-saved")
@receiver(post_delete, sender=PROMOTION_MODEL, dispatch_uid="search-promotion-deleted")
def _promotions_changed(**kwargs) -> None:
    cache.delete(PROMOTIONS_CACHE_KEY)


def promoted_page_ids(q: str) -> list[int]:
    """Pages editors promoted for this query (Wagtail's search promotions), in order."""
    from wagtail.search.utils import normalise_query_string

    if not q.strip():
        return []
    # Editors type queries as they like: match them as typed and normalised.
    strings = {normalise_query_string(q), normalise_query_string(normalise(q))}
    promotions = _promotions()
    promoted = sorted(item for string in strings for item in promotions.get(string, []))
    return [page_id for _sort_order, page_id in promoted]


def _with_promotions(results: ProductResults, query: ProductQuery) -> ProductResults:
    from search.backends.database import entries_by_id, hits_for

    page_ids = promoted_page_ids(query.q)
    if not page_ids:
        return results
    promoted = hits_for(entries_by_id(page_ids, query.language))
    promoted_ids = {hit.page_id for hit in promoted}
    results.hits = [hit for hit in results.hits if hit.page_id not in promoted_ids]
    if results.page == 1:
        results.hits = promoted + results.hits
    return results


def search_products(query: ProductQuery, log: bool = True) -> ProductResults:
    """Search the catalogue, promoted products first, and log the query.

    With `log=False` the caller logs it with `log_search()`, e.g. once it has answered.
    """
    started = time.monotonic()
    results = _with_promotions(_call("search_products", query), query)
    results.duration_ms = round((time.monotonic() - started) * 1000)
    if log:
        log_search(query, results)
    return results


def log_search(
    query: ProductQuery, results: ProductResults, search_id: uuid.UUID | None = None
) -> None:
    """One row in the query log; a failure is logged, never raised: search goes on.

    `search_id` is the id the search page's result links carry, to count their clicks.
    """
    from search.models import SearchQueryLog

    try:
        SearchQueryLog.objects.create(
            query=normalise(query.q)[:MAX_QUERY_LENGTH],
            language=query.language,
            filters=selected_filters(query),
            result_count=results.total,
            duration_ms=results.duration_ms,
            backend=results.backend,
            search_id=search_id,
        )
    except DatabaseError:
        logger.warning("Could not log the search %r", query.q, exc_info=True)


def suggest(q: str, language: str) -> list[Suggestion]:
    """Up to MAX_SUGGESTIONS completions of `q` (not logged)."""
    return suggest_from_backend(q, language)[0]


def suggest_from_backend(q: str, language: str) -> tuple[list[Suggestion], str]:
    """suggest(), and the name of the backend that answered ("elasticsearch", "database")."""
    return _answer("suggest", q[:MAX_QUERY_LENGTH], language)


def sort_choices() -> list[tuple[str, str]]:
    from django.utils.translation import gettext

    labels = {
        "relevance": gettext("Best match"),
        "price_asc": gettext("Price: low to high"),
        "price_desc": gettext("Price: high to low"),
        "newest": gettext("Newest"),
        "stars": gettext("Most OCOP stars"),
    }
    return [(sort, labels[sort]) for sort in SORTS]


def facet_titles() -> dict[str, str]:
    from django.utils.translation import gettext

    return {
        "category": gettext("Category"),
        "stars": gettext("OCOP stars"),
        "locality": gettext("Locality"),
        "craft_village": gettext("Craft village"),
        "certification": gettext("Certification"),
        "availability": gettext("Availability"),
        "price": gettext("Price"),
    }


# Producers ---------------------------------------------------------------------------
# Shown above the product results: producers whose name, legal form, places or summary
# have every word of the query (folded), names matching first.

MAX_PRODUCERS = 4
# Both backends score a producer with these, then order by products, then page id.
PRODUCER_RANKING = {
    "name_exact": 3,  # every word in the name, with its diacritics
    "name_folded": 2,  # every word in the name, folded
    "name_phrase": 1,  # the words in a row in the name, folded
    "text_exact": 1,  # every word in the text, with its diacritics
}


@dataclass(frozen=True)
class ProducerHit:
    page_id: int
    name: str  # the display name
    url: str
    legal_form: str  # in the query's language
    locality: str
    craft_village: str
    product_count: int  # live products
    logo: str  # URL of a small rendition of the logo, or ""


def producer_hits(sources: list[dict], language: str) -> list[ProducerHit]:
    """Hits from producer documents' fields (search.documents.ProducerDocument)."""
    from django.utils.translation import override

    from producers.models import ProducerPage
    from search.thumbnails import thumbnail_urls

    logos = thumbnail_urls(source["logo_id"] for source in sources)
    with override(language):
        return [
            ProducerHit(
                page_id=source["page_id"],
                name=source["display_name"],
                url=source["url"],
                legal_form=str(ProducerPage.LegalForm(source["legal_form"]).label),
                locality=source.get("locality_name") or "",
                craft_village=source.get("craft_village_name") or "",
                product_count=source["product_count"],
                logo=logos.get(source["logo_id"], ""),
            )
            for source in sources
        ]


def search_producers(q: str, language: str, limit: int = MAX_PRODUCERS) -> list[ProducerHit]:
    """Up to `limit` producers matching every word of `q`, best first (not logged)."""
    if not q.strip() or limit < 1:
        return []
    return _call("search_producers", q[:MAX_QUERY_LENGTH], language, limit)
