"""The Elasticsearch connection and index names of the catalogue search.

Searches fail fast (short timeout, no retries): the service then answers from the
database. Index management may take longer and retries.
"""

import functools
import os

from django.conf import settings
from elasticsearch import Elasticsearch

SEARCH_TIMEOUT = 2  # seconds
INDEXING_TIMEOUT = 60


def is_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


@functools.lru_cache(maxsize=8)
def _client(url: str, api_key: str, timeout: float, retries: int) -> Elasticsearch:
    return Elasticsearch(
        url,
        api_key=api_key or None,
        request_timeout=timeout,
        max_retries=retries,
        retry_on_timeout=bool(retries),
    )


def get_client(indexing: bool = False) -> Elasticsearch:
    """A client for settings.ELASTICSEARCH_URL; `indexing` allows slow requests and retries."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        raise ConnectionError("ELASTICSEARCH_URL is not set")
    api_key = getattr(settings, "ELASTICSEARCH_API_KEY", "") or os.environ.get(
        "ELASTICSEARCH_API_KEY", ""
    )
    if indexing:
        return _client(url, api_key, INDEXING_TIMEOUT, 3)
    return _client(url, api_key, SEARCH_TIMEOUT, 0)


def index_prefix() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "chocop"


def alias(kind: str, language: str) -> str:
    """The alias searches use, e.g. "chocop-products-vi"; `kind` is "products" or "suggest"."""
    return f"{index_prefix()}-{kind}-{language}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]
