"""The backend behaviour suite of tests/test_search_database.py, run on Elasticsearch.

The shared fixed catalogue is indexed once for the module under its own aliases.
"""

import uuid
from collections.abc import Iterator

import pytest
from django.test import override_settings
from elasticsearch import Elasticsearch

from search import indexing
from search.backends import elasticsearch as elasticsearch_backend
from tests import test_search_database as suite

pytestmark = pytest.mark.elasticsearch
pytest_plugins = ["tests.search_fixtures"]

PREFIX = f"test-suite-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def suite_index(catalogue, elasticsearch_url, django_db_blocker) -> Iterator[None]:
    with (
        override_settings(ELASTICSEARCH_URL=elasticsearch_url, ELASTICSEARCH_INDEX_PREFIX=PREFIX),
        django_db_blocker.unblock(),
    ):
        indexing.rebuild()
        yield
    with Elasticsearch(elasticsearch_url, request_timeout=30) as client:
        names = list(client.indices.get(index=f"{PREFIX}-*"))
        if names:
            client.indices.delete(index=names)


@pytest.fixture
def backend(suite_index, db):
    return elasticsearch_backend


globals().update({name: test for name, test in vars(suite).items() if name.startswith("test_")})


def test_did_you_mean_on_zero_results(backend):
    """Replaces the suite's test: Elasticsearch forgives typos, so "banh trangg" finds
    products here; a query beyond typo reach gets a suggestion instead."""
    assert suite.search(backend, "banh trangg").total > 0
    results = suite.search(backend, "nuoc mamxx")
    assert (results.total, results.did_you_mean) == (0, "nuoc mam")
    assert suite.search(backend, "bánh tráng").did_you_mean == ""
