"""The Elasticsearch connection and index names of the catalogue search.

ELASTICSEARCH_URL names one node, or several of one cluster separated by commas. The
client sends each request to one of them in turn; a node that refuses the connection is
set aside for a while (up to 30 s, elastic_transport's backoff) and the request goes to
the next one at once, so one node down costs no search and no update.

Searches fail fast (short timeout, no retry after a timeout): the service then answers
from the database. Page updates, which may run while an editor publishes, wait a little
longer and are retried later when they fail (indexing.defer). A rebuild may take longer
still, and retries.

Requests and answers are JSON through orjson (the client's OrjsonSerializer): with the
standard library's json, a search's call to the client took half as much CPU again.
"""

import functools
import os

from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

SEARCH_TIMEOUT = 2  # seconds
UPDATE_TIMEOUT = 10
INDEXING_TIMEOUT = 60


def node_urls() -> tuple[str, ...]:
    """The nodes of settings.ELASTICSEARCH_URL: "http://a:9200,http://b:9200" gives two."""
    url = getattr(settings, "ELASTICSEARCH_URL", "") or ""
    return tuple(part.strip() for part in url.split(",") if part.strip())


def is_configured() -> bool:
    return bool(node_urls())


@functools.lru_cache(maxsize=8)
def _client(
    urls: tuple[str, ...], api_key: str, timeout: float, retries: int, retry_on_timeout: bool
) -> Elasticsearch:
    return Elasticsearch(
        list(urls),
        api_key=api_key or None,
        request_timeout=timeout,
        max_retries=retries,
        retry_on_timeout=retry_on_timeout,
        serializer=OrjsonSerializer(),
    )


def get_client(indexing: bool = False, updating: bool = False) -> Elasticsearch:
    """A client for the nodes of settings.ELASTICSEARCH_URL.

    `indexing` (rebuilds, status) allows slow requests and retries; `updating` (page
    updates) a moderate wait. Searches and updates go to another node at once when one
    cannot be reached (a stopped node) or says it is unavailable (429, 502-504); after a
    timeout (a hung node) they fail, as with one node, rather than make the visitor or
    the editor wait again.
    """
    urls = node_urls()
    if not urls:
        raise ConnectionError("ELASTICSEARCH_URL is not set")
    api_key = getattr(settings, "ELASTICSEARCH_API_KEY", "") or os.environ.get(
        "ELASTICSEARCH_API_KEY", ""
    )
    other_nodes = len(urls) - 1
    if indexing:
        return _client(urls, api_key, INDEXING_TIMEOUT, max(3, other_nodes), True)
    if updating:
        return _client(urls, api_key, UPDATE_TIMEOUT, other_nodes, False)
    return _client(urls, api_key, SEARCH_TIMEOUT, other_nodes, False)


def index_prefix() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "chocop"


def alias(kind: str, language: str) -> str:
    """The alias searches use, e.g. "chocop-products-vi"; `kind` is "products",
    "producers" or "suggest"."""
    return f"{index_prefix()}-{kind}-{language}"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]
