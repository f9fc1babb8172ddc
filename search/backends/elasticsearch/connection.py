"""The Elasticsearch connection and index names of the catalogue search.

Searches fail fast (short timeout, no retries): the service then answers from the
database. Page updates, which run while an editor publishes, wait a little longer and
are retried later when they fail (indexing.defer). A rebuild may take longer still,
and retries.
"""

import functools
import os

from django.conf import settings
from elasticsearch import Elasticsearch

SEARCH_TIMEOUT = 2  # seconds
UPDATE_TIMEOUT = 10
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


def get_client(indexing: bool = False, updating: bool = False) -> Elasticsearch:
    """A client for settings.ELASTICSEARCH_URL.

    `indexing` (rebuilds, status) allows slow requests and retries; `updating` (page
    updates) a moderate wait and no retry.
    """
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        raise ConnectionError("ELASTICSEARCH_URL is not set")
    api_key = getattr(settings, "ELASTICSEARCH_API_KEY", "") or os.environ.get(
        "ELASTICSEARCH_API_KEY", ""
    )
    if indexing:
        return _client(url, api_key, INDEXING_TIMEOUT, 3)
    if updating:
        return _client(url, api_key, UPDATE_TIMEOUT, 0)
    return _client(url, api_key, SEARCH_TIMEOUT, 0)


def index_prefix() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "chocop"


def alias(kind: str, language: str) -> str:
    """The alias searches use, e.g. "chocop-products-vi"; `kind` is "products",
    "producers" or "suggest"."""
    return f"{index_prefix()}-{kind}-{language}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]
