"""The public catalogue search: what callers ask and what they get back.

Views and the API build a `ProductQuery`, call `search_products()` or `suggest()`,
and render the result. The backend (Elasticsearch, or the database when
ELASTICSEARCH_URL is unset or the node is unreachable) is chosen here, and both
backends return the same types.
"""

import logging
import time
from dataclasses import dataclass, field

from search.text import normalise

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


def _call(function_name: str, *args):
    """Call the configured backend; on Elasticsearch failure, answer from the database."""
    from search.backends import database, get_backend

    backend = get_backend()
    try:
        return getattr(backend, function_name)(*args)
    except _elasticsearch_errors() as error:
        if backend is database:
            raise
        logger.warning("Elasticsearch unavailable, searching the database: %s", error)
        return getattr(database, function_name)(*args)


def selected_filters(query: ProductQuery) -> dict:
    """The query's facet selections and price bounds, for the log (no personal data)."""
    filters = {name: list(getattr(query, name)) for name in FACETS if getattr(query, name)}
    for bound in ("price_min", "price_max"):
        if getattr(query, bound) is not None:
            filters[bound] = getattr(query, bound)
    return filters


def promoted_page_ids(q: str) -> list[int]:
    """Pages editors promoted for this query (Wagtail's search promotions), in order."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    if not q.strip():
        return []
    # Editors type queries as they like: match them as typed and normalised.
    strings = {normalise_query_string(q), normalise_query_string(normalise(q))}
    return list(
        SearchPromotion.objects.filter(query__query_string__in=strings, page__isnull=False)
        .order_by("sort_order")
        .values_list("page_id", flat=True)
    )


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


def search_products(query: ProductQuery) -> ProductResults:
    """Search the catalogue, promoted products first, and log the query."""
    from search.models import SearchQueryLog

    started = time.monotonic()
    results = _with_promotions(_call("search_products", query), query)
    SearchQueryLog.objects.create(
        query=normalise(query.q)[:MAX_QUERY_LENGTH],
        language=query.language,
        filters=selected_filters(query),
        result_count=results.total,
        duration_ms=round((time.monotonic() - started) * 1000),
        backend=results.backend,
    )
    return results


def suggest(q: str, language: str) -> list[Suggestion]:
    """Up to MAX_SUGGESTIONS completions of `q` (not logged)."""
    return _call("suggest", q[:MAX_QUERY_LENGTH], language)


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
