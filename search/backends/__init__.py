"""Backend choice: Elasticsearch when ELASTICSEARCH_URL is set, else the database."""

import logging
from types import ModuleType

from django.conf import settings

logger = logging.getLogger(__name__)


def get_backend() -> ModuleType:
    """The backend module; each has `NAME`, `search_products()` and `suggest()`.

    search.service also falls back to the database when Elasticsearch fails.
    """
    if settings.ELASTICSEARCH_URL:
        try:
            from search.backends import elasticsearch

            return elasticsearch
        except ImportError as error:
            logger.warning("Elasticsearch backend unavailable, using the database: %s", error)
    from search.backends import database

    return database
