"""The public catalogue search: what callers ask and what they get back.

Views and the API build a `ProductQuery` (search.query), call `search_products()` or
`suggest()`, and render the result. The backend (Elasticsearch, or the database when
ELASTICSEARCH_URL is unset or the node is unreachable) comes from search.backends, and
both backends implement search.backends.base.SearchBackend and return the same types.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.core.text import normalise
from search.backends import database_backend, get_backend
from search.query import (
    FACETS,
    MAX_QUERY_LENGTH,
    SORTS,
    ProducerHit,
    ProductQuery,
    ProductResults,
    Suggestion,
)

MAX_PRODUCERS = 4  # producers shown above the products
# What an API answer kept in the page cache replays when served (log_cached_search).
LOG_REPLAY = "search_log"
PROMOTION_MODEL = "wagtailsearchpromotions.SearchPromotion"
PROMOTIONS_CACHE_KEY = "search-promotions"
# Promotions are cached per process by default: this bounds how long other processes
# keep promoting what an editor changed.
PROMOTIONS_CACHE_TIMEOUT = 60


# Fallback, promotions and the query log. ------------------------------------------------

logger = logging.getLogger(__name__)


def _answer(method_name: str, *args) -> tuple:
    """Ask the configured backend; when it is unavailable (Elasticsearch failing), the
    database backend.

    Returns the answer and the name of the backend that gave it.
    """
    backend = get_backend()
    try:
        return getattr(backend, method_name)(*args), backend.name
    except backend.unavailable_errors as error:
        logger.warning("Elasticsearch unavailable, searching the database: %s", error)
        fallback = database_backend()
        return getattr(fallback, method_name)(*args), fallback.name


def _call(method_name: str, *args):
    return _answer(method_name, *args)[0]


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
    """Promoted products first on the first page, from the database entries whichever
    backend answered (they are written with Elasticsearch's documents)."""
    page_ids = promoted_page_ids(query.q)
    if not page_ids:
        return results
    promoted = database_backend().hits_by_id(page_ids, query.language)
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
    write_log(log_fields(query, results, search_id))


def log_fields(
    query: ProductQuery, results: ProductResults, search_id: uuid.UUID | None = None
) -> dict:
    """The query log row of this search, as plain values (kept with a cached answer)."""
    return {
        "query": normalise(query.q)[:MAX_QUERY_LENGTH],
        "language": query.language,
        "filters": selected_filters(query),
        "result_count": results.total,
        "duration_ms": results.duration_ms,
        "backend": results.backend,
        "search_id": search_id,
    }


def write_log(fields: dict) -> None:
    from search.models import SearchQueryLog

    try:
        SearchQueryLog.objects.create(**fields)
    except DatabaseError:
        logger.warning("Could not log the search %r", fields["query"], exc_info=True)


def log_cached_search(sender, request, name: str, value, **kwargs) -> None:
    """An API answer served from the page cache is a search as well: logged again, as it
    was when it was made (core.page_cache's `served_from_cache`)."""
    if name == LOG_REPLAY:
        write_log(value)


def suggest(q: str, language: str) -> list[Suggestion]:
    """Up to MAX_SUGGESTIONS completions of `q` (not logged)."""
    return suggest_from_backend(q, language)[0]


def suggest_from_backend(q: str, language: str) -> tuple[list[Suggestion], str]:
    """suggest(), and the name of the backend that answered ("elasticsearch", "database")."""
    return _answer("suggest", q[:MAX_QUERY_LENGTH], language)


def sort_choices() -> list[tuple[str, str]]:
    """The search's sorts, labelled: the catalogue's (products.facets), as the listing's."""
    from products.facets import sort_choices as catalogue_sort_choices

    return catalogue_sort_choices(SORTS)


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
# have every word of the query (folded), names matching first (search.ranking).


def search_producers(q: str, language: str, limit: int = MAX_PRODUCERS) -> list[ProducerHit]:
    """Up to `limit` producers matching every word of `q`, best first (not logged)."""
    if not q.strip() or limit < 1:
        return []
    return _call("search_producers", q[:MAX_QUERY_LENGTH], language, limit)
