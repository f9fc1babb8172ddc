"""Search index updates, queued on commit and run by the task worker.

One task per change for both indexes: the database entries always, Elasticsearch
documents when ELASTICSEARCH_URL is set. Each writes the pages' current state, so a task
that runs twice (a retry, a reclaimed task) changes nothing more. A failed Elasticsearch
update is logged and remembered (search.models.PendingIndexUpdate), not raised: the
next successful update retries it, as do the scheduled `retry_pending_updates`,
`search_index retry` and a rebuild. While the node keeps failing (INDEXING_BREAKER),
updates are remembered without asking it, so that a hung node does not hold the task
workers.
"""

import logging

from circuitbreaker import CircuitBreaker, CircuitBreakerError
from django_tasks import task

from marketplace.core.page_cache import bump_generation
from search.backends import database_backend
from search.backends.elasticsearch import connection

logger = logging.getLogger(__name__)


def _is_unavailable(_thrown_type: type, thrown: BaseException) -> bool:
    from search.backends.elasticsearch.backend import ElasticsearchBackend

    return isinstance(thrown, ElasticsearchBackend.unavailable_errors)


# After BREAKER_FAILURES index writes in a row found Elasticsearch unavailable (each
# holding a task worker for the client's timeout when the node hangs), updates are
# remembered as pending at once for BREAKER_SECONDS; then one write tries the node again.
# Per process, like the searches' breaker (search.service).
BREAKER_FAILURES = 3
BREAKER_SECONDS = 30
INDEXING_BREAKER = CircuitBreaker(
    failure_threshold=BREAKER_FAILURES,
    recovery_timeout=BREAKER_SECONDS,
    expected_exception=_is_unavailable,
    name="search index updates",
)


@INDEXING_BREAKER
def _write(function_name: str, *args):
    from search.backends.elasticsearch import indexing

    return getattr(indexing, function_name)(*args)


def _elasticsearch(function_name: str, page_ids: list[int]) -> None:
    if not connection.is_configured():
        return
    try:
        _write(function_name, page_ids)
    except CircuitBreakerError as error:  # failing lately: remember it without waiting
        _defer(page_ids, error)
        return
    except Exception as error:  # any failure: log it, keep it, and keep publishing working
        logger.warning(
            "Elasticsearch %s failed for pages %s", function_name, page_ids, exc_info=True
        )
        _defer(page_ids, error)
        return
    from search.backends.elasticsearch.indexing import RETRY_BATCH

    _retry_pending(limit=RETRY_BATCH)


def _defer(page_ids: list[int], error: Exception) -> None:
    from search.backends.elasticsearch import indexing

    try:
        indexing.defer(page_ids, error)
    except Exception:
        logger.exception("Could not remember the failed search index update of %s", page_ids)


def _retry_pending(limit: int | None = None) -> int:
    """Catch up with the updates that failed (the node answers again), `limit` at most;
    how many were written. A failure is logged: they stay pending."""
    from search.backends.elasticsearch import indexing

    try:
        if indexing.pending_count():
            return _write("retry_pending", limit)
    except CircuitBreakerError:
        pass
    except Exception:
        logger.warning("Retrying failed search index updates failed again", exc_info=True)
    return 0


@task()
def update_search_index(page_ids: list[int]) -> None:
    """Re-index these pages: products, and producers (pages no longer live leave the index)."""
    database_backend().update(page_ids)
    _elasticsearch("update_documents", page_ids)
    # Search pages kept since the publication (on its commit, before this ran) are stale.
    bump_generation()


@task()
def update_place_suggestions() -> None:
    """Suggestions of craft villages and categories, after one was added, renamed or
    removed (the database backend reads them from their tables when suggesting)."""
    if not connection.is_configured():
        return
    from search.backends.elasticsearch import indexing

    try:
        indexing.update_place_suggestions()
        bump_generation()
    except Exception:  # a rebuild brings them back; publishing must not fail for them
        logger.warning("Could not update the place suggestions", exc_info=True)


@task()
def retry_pending_updates() -> int:
    """Scheduled: write the page updates Elasticsearch missed (it was down); how many."""
    if not connection.is_configured():
        return 0
    retried = _retry_pending()
    if retried:
        bump_generation()
    return retried


@task()
def remove_from_search_index(page_ids: list[int]) -> None:
    database_backend().delete(page_ids)
    _elasticsearch("delete_documents", page_ids)
    bump_generation()
