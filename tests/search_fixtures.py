"""Fixtures for the catalogue search suites: the fixed catalogue, built once per module."""

import pytest
from django.db import transaction

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


@pytest.fixture(params=BACKENDS)
def backend(request, catalogue, db):
    """The backend module under test, its index holding the catalogue."""
    from search.backends import database

    return {"database": database}[request.param]
