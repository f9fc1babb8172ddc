"""Fixtures for the catalogue search suites: the fixed catalogue, built once per module."""

import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from marketplace.base.structure import ensure_site_structure
from tests.search_catalogue import build_search_catalogue

BACKENDS = ["database"]  # the Elasticsearch suite adds "elasticsearch"


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker) -> dict:
    """The catalogue, built once per module and rolled back after it.

    Each test's own transaction nests inside this one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_search_catalogue(ensure_site_structure())
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def catalogue_index(catalogue, elasticsearch_url, django_db_blocker) -> Iterator[None]:
    """The catalogue indexed into Elasticsearch under the module's own aliases, deleted after."""
    from elasticsearch import Elasticsearch

    from search.backends.elasticsearch import indexing

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    with (
        override_settings(ELASTICSEARCH_URL=elasticsearch_url, ELASTICSEARCH_INDEX_PREFIX=prefix),
        django_db_blocker.unblock(),
    ):
        indexing.rebuild()
        yield
    with Elasticsearch(elasticsearch_url, request_timeout=30) as client:
        names = list(client.indices.get(index=f"{prefix}-*"))
        if names:
            client.indices.delete(index=names)


@pytest.fixture(params=BACKENDS)
def backend(request, catalogue, db):
    """The backend under test, its index holding the catalogue."""
    from search.backends.database import DatabaseBackend

    return {"database": DatabaseBackend}[request.param]()
