"""Search index updates, run through Django's tasks framework (immediate by default).

One task per change for both indexes: the database entries always, Elasticsearch
documents when ELASTICSEARCH_URL is set. A failed Elasticsearch update is logged,
not raised, so publishing never fails because of search; a rebuild repairs gaps.
"""

import logging

from django.conf import settings
from django_tasks import task

from search.backends import database

logger = logging.getLogger(__name__)


def _elasticsearch(function_name: str, page_ids: list[int]) -> None:
    if not settings.ELASTICSEARCH_URL:
        return
    try:
        from search import indexing

        getattr(indexing, function_name)(page_ids)
    except Exception:  # any failure: log it and keep publishing working
        logger.warning(
            "Elasticsearch %s failed for pages %s", function_name, page_ids, exc_info=True
        )


@task()
def update_search_index(page_ids: list[int]) -> None:
    """Re-index these products (those no longer live leave the index)."""
    database.update_entries(page_ids)
    _elasticsearch("update_documents", page_ids)


@task()
def remove_from_search_index(page_ids: list[int]) -> None:
    database.delete_entries(page_ids)
    _elasticsearch("delete_documents", page_ids)
