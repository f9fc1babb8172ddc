"""Backend choice: Elasticsearch when ELASTICSEARCH_URL is set, else the database.

Each backend is a search.backends.base.SearchBackend: `database.DatabaseBackend`, and
`elasticsearch.backend.ElasticsearchBackend` (its connection, documents and index
management beside it, in search.backends.elasticsearch). Callers get instances here.
"""

import logging
from typing import TYPE_CHECKING

from django.conf import settings

from search.backends.base import SearchBackend

if TYPE_CHECKING:
    from search.backends.database import DatabaseBackend

logger = logging.getLogger(__name__)


def get_backend() -> SearchBackend:
    """The configured backend.

    search.service also falls back to the database when Elasticsearch fails.
    """
    if settings.ELASTICSEARCH_URL:
        try:
            return elasticsearch_backend()
        except ImportError as error:
            logger.warning("Elasticsearch backend unavailable, using the database: %s", error)
    return database_backend()


def database_backend() -> "DatabaseBackend":
    """The database backend: its entries always hold every product, whatever the setting."""
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


def elasticsearch_backend() -> SearchBackend:
    """The Elasticsearch backend (raises ImportError without the elasticsearch client)."""
    from search.backends.elasticsearch.backend import ElasticsearchBackend

    return ElasticsearchBackend()
