"""The public catalogue search: what callers ask and what they get back.

Views and the API build a `ProductQuery` (search.query), call `search_products()` or
`suggest()`, and render the result. The backend (Elasticsearch, or the database when
ELASTICSEARCH_URL is unset or the node is unreachable) comes from search.backends, and
both backends implement search.backends.base.SearchBackend and return the same types.
"""

import datetime
import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from circuitbreaker import CircuitBreaker, CircuitBreakerError
from django.conf import settings
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.utils import timezone

from marketplace.core.page_cache import fill_on_serve, kept_while_unchanged
from marketplace.core.text import normalise
from marketplace.core.write_buffer import WriteBuffer
from search.backends import database_backend, get_backend
from search.backends.base import SearchBackend
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


# Fallback and promotions. ----------------------------------------------------------------

logger = logging.getLogger(__name__)


def _is_unavailable(_thrown_type: type, thrown: BaseException) -> bool:
    return isinstance(thrown, get_backend().unavailable_errors)


# After BREAKER_FAILURES failures in a row (each costing up to the search timeout when
# the node hangs), the backend is not asked for BREAKER_SECONDS: searches answer from the
# database at once; then one search tries it again. Per process, like the client.
BREAKER_FAILURES = 3
BREAKER_SECONDS = 30
SEARCH_BREAKER = CircuitBreaker(
    failure_threshold=BREAKER_FAILURES,
    recovery_timeout=BREAKER_SECONDS,
    expected_exception=_is_unavailable,
    name="search backend",
)


@SEARCH_BREAKER
def _ask(backend: SearchBackend, method_name: str, *args):
    return getattr(backend, method_name)(*args)


def _answer(method_name: str, *args) -> tuple:
    """Ask the configured backend; when it is unavailable (Elasticsearch failing, or
    failing so often lately that SEARCH_BREAKER is open), the database backend.

    Returns the answer and the name of the backend that gave it.
    """
    backend = get_backend()
    try:
        return _ask(backend, method_name, *args), backend.name
    except (CircuitBreakerError, *backend.unavailable_errors) as error:
        if not isinstance(error, CircuitBreakerError):  # once per failure, not per search
            logger.warning("Elasticsearch unavailable, searching the database: %s", error)
        fallback = database_backend()
        return getattr(fallback, method_name)(*args), fallback.name


@dataclass(frozen=True)
class SearchState:
    """Whether the configured backend answers now (else searches answer from the
    database), for the site's readiness check."""

    backend: str
    available: bool
    detail: str


def search_state() -> SearchState:
    """The backend asked now, whatever SEARCH_BREAKER says; whose state is told too."""
    backend = get_backend()
    breaker = ""
    if SEARCH_BREAKER.opened:
        breaker = f"; searches answer from the database for {SEARCH_BREAKER.open_remaining} s"
    try:
        return SearchState(backend.name, True, backend.check() + breaker)
    except backend.unavailable_errors as error:
        return SearchState(backend.name, False, str(error)[:300] + breaker)


def stood_in(backend_name: str) -> bool:
    """Whether the database answered in place of the configured Elasticsearch node."""
    return backend_name != get_backend().name


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
    handful of queries, so all of them are one query, kept per process until the content
    changes (a promotion saved or deleted is a content change, as its pages are)."""
    return kept_while_unchanged("search-promotions", _read_promotions)


def _read_promotions() -> dict[str, list[tuple[int, int]]]:
    from wagtail.contrib.search_promotions.models import SearchPromotion

    promotions: dict[str, list[tuple[int, int]]] = {}
    rows = SearchPromotion.objects.filter(page__isnull=False).values_list(
        "query__query_string", "sort_order", "page_id"
    )
    for query_string, sort_order, page_id in rows:
        promotions.setdefault(query_string, []).append((sort_order, page_id))
    return promotions


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


def _finished(results: ProductResults, query: ProductQuery, started: float) -> ProductResults:
    """The backend's results with the promoted products, timed from `started`."""
    results = _with_promotions(results, query)
    results.duration_ms = round((time.monotonic() - started) * 1000)
    return results


def search_products(query: ProductQuery, log: bool = True) -> ProductResults:
    """Search the catalogue, promoted products first, and log the query.

    With `log=False` the caller logs it with `log_search()`, e.g. with a search id.
    """
    started = time.monotonic()
    results = _finished(_call("search_products", query), query, started)
    if log:
        log_search(query, results)
    return results


def search_page(query: ProductQuery) -> tuple[ProductResults, list[ProducerHit]]:
    """The search page's products, as search_products(query, log=False), and on its first
    page the producers matching its words, from the backend that answered the products:
    Elasticsearch answers both in one request, and when the database stands in for it, it
    answers both (asking the node that just failed again would make the page wait twice)."""
    producers = MAX_PRODUCERS if query.page <= 1 and query.q.strip() else 0
    started = time.monotonic()
    results, makers = _call("search_page", query, producers)
    results = _finished(results, query, started)
    if results.page == 1 and not producers and query.q.strip():  # a page past the end
        makers = search_producers(query.q, query.language, beside=results.backend)
    return results, makers


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


# The query log. -------------------------------------------------------------------------
# Searches and clicks wait in this process's buffer (marketplace.core.write_buffer) and a
# flush writes them in one transaction: the searches in one INSERT, then the clicks in
# one UPDATE. A click may come before its search is written: its search page was served
# by another process, which still holds the row (at most WRITE_BUFFER_SECONDS). Such a
# click waits for later flushes, for click_wait() at most; then its search is unknown.

# A click counts for its search only this long after the search: a result link that is
# bookmarked or shared later says nothing about that search.
CLICK_WINDOW = datetime.timedelta(days=1)


@dataclass(frozen=True)
class LoggedSearch:
    """The fields of a SearchQueryLog row, taken when the search was made."""

    query: str
    language: str
    filters: dict
    result_count: int
    duration_ms: int
    backend: str
    search_id: uuid.UUID | None
    created_at: datetime.datetime


@dataclass(frozen=True)
class Click:
    search_id: uuid.UUID
    clicked_at: datetime.datetime


def click_wait() -> datetime.timedelta:
    """How long a click waits for its search's row: long enough for every process to
    have flushed what it held when the click came."""
    return datetime.timedelta(seconds=2 * settings.WRITE_BUFFER_SECONDS + 60)


def write_search_log(entries: list) -> list[Click]:
    """Write the searches, then count the clicks; returns the clicks still waiting."""
    from search.models import SearchQueryLog

    # Not asdict(): it deep-copies every value, a third of a flush's time.
    names = [field.name for field in dataclass_fields(LoggedSearch)]
    searches = [entry for entry in entries if isinstance(entry, LoggedSearch)]
    SearchQueryLog.objects.bulk_create(
        SearchQueryLog(**{name: getattr(entry, name) for name in names}) for entry in searches
    )
    return count_clicks([entry for entry in entries if isinstance(entry, Click)])


def count_clicks(clicks: list[Click]) -> list[Click]:
    """Add each search's clicks in one UPDATE; the clicks whose search is not written yet
    are returned, to wait for a later flush (until click_wait() has passed)."""
    from search.models import SearchQueryLog

    if not clicks:
        return []
    known = set(
        SearchQueryLog.objects.filter(
            search_id__in={click.search_id for click in clicks}
        ).values_list("search_id", flat=True)
    )
    counted = [click for click in clicks if click.search_id in known]
    if counted:
        SearchQueryLog.objects.filter(search_id__in=known, result_count__gt=0).update(
            clicks=F("clicks") + clicks_in_window(counted)
        )
    waited_since = timezone.now() - click_wait()
    return [c for c in clicks if c.search_id not in known and c.clicked_at > waited_since]


def clicks_in_window(clicks: list[Click]) -> Case:
    """Per search, how many of its clicks came within CLICK_WINDOW of it, as SQL.

    A search's clicks, latest first, give thresholds: if the search was made after its
    latest click's threshold, all its clicks count; else after the next one's, all but
    the latest; and so on. The first condition that holds gives the count.
    """
    times: dict[uuid.UUID, list[datetime.datetime]] = defaultdict(list)
    for click in clicks:
        times[click.search_id].append(click.clicked_at)
    conditions = []
    for search_id, clicked in times.items():
        clicked.sort(reverse=True)
        for index, clicked_at in enumerate(clicked):
            conditions.append(
                When(
                    search_id=search_id,
                    created_at__gte=clicked_at - CLICK_WINDOW,
                    then=Value(len(clicked) - index),
                )
            )
    return Case(*conditions, default=Value(0), output_field=PositiveIntegerField())


SEARCH_LOG = WriteBuffer("search log", write_search_log)
# Where the search page's text has its search id: each answer, rendered or from the page
# cache, gets its own in its place (core.page_cache.fill_on_serve).
SEARCH_ID_SLOT = uuid.UUID("5ea4c41d-0000-4000-8000-000000000000")


def log_search(
    query: ProductQuery, results: ProductResults, search_id: uuid.UUID | None = None
) -> None:
    """One row in the query log, at the next flush (no database access now).

    `search_id` is the id the search page's result links carry, to count their clicks.
    """
    SEARCH_LOG.add(LoggedSearch(**log_fields(query, results, search_id), created_at=timezone.now()))


def log_fields(
    query: ProductQuery, results: ProductResults, search_id: uuid.UUID | None = None
) -> dict:
    """The query log row of this search but its time, as plain values (kept with a cached
    answer, to be logged again each time it is served)."""
    return {
        "query": normalise(query.q)[:MAX_QUERY_LENGTH],
        "language": query.language,
        "filters": selected_filters(query),
        "result_count": results.total,
        "duration_ms": results.duration_ms,
        "backend": results.backend,
        "search_id": search_id,
    }


def log_cached_search(sender, request, name: str, value, **kwargs) -> None:
    """An answer served from the page cache is a search as well: logged again, as it was
    when it was made, at the time it is served (core.page_cache's `served_from_cache`).
    A search page's gets a new search id, which its result links carry (SEARCH_ID_SLOT)."""
    if name == LOG_REPLAY:
        fields = dict(value)
        if fields.get("search_id") == SEARCH_ID_SLOT:
            fields["search_id"] = uuid.uuid4()
            fill_on_serve(request, SEARCH_ID_SLOT.hex, fields["search_id"].hex)
        SEARCH_LOG.add(LoggedSearch(**fields, created_at=timezone.now()))


def log_click(search_id: uuid.UUID) -> None:
    """One more click on the search `search_id`, at the next flush, if that search was
    made within CLICK_WINDOW before now and found something."""
    SEARCH_LOG.add(Click(search_id, timezone.now()))


# Producers ---------------------------------------------------------------------------
# Shown above the product results: producers whose name, legal form, places or summary
# have every word of the query (folded), names matching first (search.ranking).


def search_producers(
    q: str, language: str, limit: int = MAX_PRODUCERS, beside: str = ""
) -> list[ProducerHit]:
    """Up to `limit` producers matching every word of `q`, best first (not logged).

    `beside`: the backend that answered the products shown with them. When the database
    stood in, it answers for the producers too: the node just failed, and asking it again
    (the breaker lets it, until BREAKER_FAILURES) would make the page wait twice as long.
    """
    if not q.strip() or limit < 1:
        return []
    arguments = (q[:MAX_QUERY_LENGTH], language, limit)
    if beside and stood_in(beside):
        return database_backend().search_producers(*arguments)
    return _call("search_producers", *arguments)
