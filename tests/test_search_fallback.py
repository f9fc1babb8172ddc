"""Elasticsearch stopping, hanging and coming back while the site searches.

Searches reach the node through tests.tcp_proxy, which the tests stop and start again,
or which hangs.
"""

import logging
import socket
import time
from collections.abc import Iterator

import pytest

from search import service
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import connection
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.models import SearchQueryLog
from search.query import SORTS, ProductQuery
from tests.tcp_proxy import TcpProxy, proxy_to

pytestmark = pytest.mark.elasticsearch
pytest_plugins = ["tests.search_fixtures"]

FALLBACK_WARNING = "Elasticsearch unavailable, searching the database"


@pytest.fixture
def proxy(catalogue_index, elasticsearch_url, settings, db) -> Iterator[TcpProxy]:
    yield from proxy_to(elasticsearch_url, settings)


@pytest.fixture
def hung_proxy(catalogue_index, elasticsearch_url, settings, db) -> Iterator[TcpProxy]:
    yield from proxy_to(elasticsearch_url, settings, hang=True)


# Queries whose results both backends order alike: no ties in the sorted field.
QUERIES = [
    ProductQuery(q="gốm", sort="price_asc"),
    ProductQuery(category=("nuoc-cham",), sort="price_desc"),
    ProductQuery(q="fish sauce", language="en"),
]


def answers() -> list[tuple[str, int, list[int]]]:
    """(backend, total, hit ids) of each query, through the service."""
    return [
        (results.backend, results.total, [hit.page_id for hit in results.hits])
        for results in map(service.search_products, QUERIES)
    ]


def logged_backend() -> str:
    return SearchQueryLog.objects.latest("pk").backend


def check_site(client, backend: str) -> None:
    """Suggestions, the API and the HTML page answer, from `backend`."""
    assert "Bình gốm men lam" in [s.text for s in service.suggest("gom", "vi")]
    response = client.get("/api/search/products", {"q": "gốm", "sort": "price_asc"})
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == [
        "Ấm trà gốm Thanh Hà",
        "Tour trải nghiệm làm gốm",
        "Bình gốm men lam",
    ]
    assert logged_backend() == backend
    assert response["X-Search-Backend"] == backend
    # The database standing in for the node is not cached: once back, the node answers.
    assert ("no-store" in response["Cache-Control"]) == (backend == "database")
    suggestions = client.get("/api/search/suggest", {"q": "gom"})
    assert suggestions.status_code == 200
    assert suggestions["X-Search-Backend"] == backend
    assert "Bình gốm men lam" in [s["text"] for s in suggestions.json()["suggestions"]]
    page = client.get("/vi/tim-kiem/", {"q": "gốm"})
    assert page.status_code == 200
    assert "Bình gốm men lam" in page.content.decode()
    assert logged_backend() == backend


def fallback_warnings(caplog) -> list[str]:
    """The service's warnings that it answered from the database."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "search.service"
        and record.levelno == logging.WARNING
        and record.getMessage().startswith(FALLBACK_WARNING)
    ]


def test_node_stopping_mid_test_falls_back_and_comes_back(proxy, client, caplog, monkeypatch):
    live = answers()
    assert {backend for backend, _, _ in live} == {"elasticsearch"}
    assert [total for _, total, _ in live] == [3, 4, 1]
    check_site(client, "elasticsearch")
    assert fallback_warnings(caplog) == []

    proxy.stop()  # the node goes away: pooled connections reset, the port closed
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=1).close()

    fallback = answers()
    assert [backend for backend, _, _ in fallback] == ["database"] * len(QUERIES)
    assert [(total, ids) for _, total, ids in fallback] == [(total, ids) for _, total, ids in live]
    check_site(client, "database")
    assert fallback_warnings(caplog)

    proxy.start()  # the node is back, on the same address
    caplog.clear()
    # Failing searches opened the breaker: the node is asked again once it has waited.
    assert service.SEARCH_BREAKER.opened
    assert [backend for backend, _, _ in answers()] == ["database"] * len(QUERIES)
    monkeypatch.setattr(service.SEARCH_BREAKER, "_recovery_timeout", 0.2)
    time.sleep(0.3)
    assert answers() == live
    check_site(client, "elasticsearch")
    assert fallback_warnings(caplog) == []


def test_a_hung_node_falls_back_within_the_search_timeout(hung_proxy, client, caplog):
    # Under two timeouts: a retry or a second request to the hung node would exceed it.
    bound = connection.SEARCH_TIMEOUT + 1.5
    asks = {
        "search": lambda: service.search_products(QUERIES[0]).backend == "database",
        "suggest": lambda: bool(service.suggest("gom", "vi")),
        "api": lambda: client.get("/api/search/products", {"q": "gốm"}).status_code == 200,
    }
    for name, ask in asks.items():
        started = time.monotonic()
        assert ask(), name
        elapsed = time.monotonic() - started
        assert connection.SEARCH_TIMEOUT * 0.9 <= elapsed < bound, (name, elapsed)
    assert logged_backend() == "database"
    assert len(fallback_warnings(caplog)) == 3
    # Three failures in a row (service.BREAKER_FAILURES): the node is no longer waited for.
    assert service.BREAKER_FAILURES == 3
    for name, ask in asks.items():
        started = time.monotonic()
        assert ask(), name
        assert time.monotonic() - started < 0.5, name
    assert len(fallback_warnings(caplog)) == 3


def test_the_search_page_waits_for_a_hung_node_once(hung_proxy, client, caplog):
    # The page searches products, then producers: once the node failed the first, the
    # second must not wait for it again (the breaker, closed until 3 failures, lets it).
    started = time.monotonic()
    page = client.get("/vi/tim-kiem/", {"q": "gốm"})
    elapsed = time.monotonic() - started
    assert page.status_code == 200
    assert "Bình gốm men lam" in page.content.decode()
    assert 'id="search-producers-heading"' in page.content.decode()  # from the database
    assert logged_backend() == "database"
    assert elapsed < connection.SEARCH_TIMEOUT + 1.5, elapsed
    assert len(fallback_warnings(caplog)) == 1


@pytest.mark.parametrize("sort", SORTS)
def test_the_fallback_keeps_the_order_of_a_browse(catalogue_index, db, sort):
    query = ProductQuery(sort=sort, page_size=100)
    live = ElasticsearchBackend().search_products(query).hits
    fallback = DatabaseBackend().search_products(query).hits
    assert [hit.page_id for hit in fallback] == [hit.page_id for hit in live]
