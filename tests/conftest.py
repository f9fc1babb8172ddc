import os

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.utils import translation

from marketplace.base.structure import SiteStructure, ensure_site_structure
from marketplace.core import write_buffer
from marketplace.core.models import CustomRendition
from search.service import SEARCH_BREAKER
from search.tasks import INDEXING_BREAKER
from tests.site_address_helpers import PUBLIC_ADDRESS, serve_at

# reports_fixtures is also imported by its tests for its helpers: loading it here first
# lets pytest rewrite its asserts.
pytest_plugins = ["tests.elasticsearch_service", "tests.stripe_service", "tests.reports_fixtures"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the page tree once per test database; each test's transaction rolls back to it."""
    with django_db_blocker.unblock():
        ensure_site_structure()
        # live_server tests restore this snapshot: it must include the tree.
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def site(db) -> SiteStructure:
    """Home, product index and producer index pages, in Vietnamese and English.

    Transactional tests empty the database when they finish; ensure_site_structure
    then builds the tree again.
    """
    return ensure_site_structure()


@pytest.fixture
def public_address(settings, site) -> str:
    """The site served at https://cho-ocop.example.org, not at the test client's host:
    PUBLIC_BASE_URL set, and Wagtail's Site record moved there."""
    return serve_at(settings, PUBLIC_ADDRESS)


@pytest.fixture
def live_site(live_server, settings, site) -> str:
    """The live server's address as the public address, so that the links a browser
    follows (absolute ones too, such as the tracking links) lead back to that server."""
    return serve_at(settings, live_server.url)


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    """Each test starts with empty caches: search vocabularies, and renditions (Wagtail
    caches them by image id; rolled-back images' ids come back). Rate-limit counters are
    rows in the database, rolled back with each test; kept pages too, as rolled-back
    content would not bump the page cache's generation."""
    cache.clear()
    caches["pages"].clear()
    CustomRendition.cache_backend.clear()
    # Failures of another test's Elasticsearch must not have it skipped in this one.
    SEARCH_BREAKER.reset()
    INDEXING_BREAKER.reset()


@pytest.fixture
def no_page_cache(settings) -> None:
    """Every request renders its page: for tests that count the queries of a rendering
    (a page served from the page cache makes none)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_write_buffers():
    """Views and searches a test left waiting (a failed flush keeps them) reach neither
    the next test nor, at exit, a database."""
    write_buffer.discard_all()
    yield
    write_buffer.discard_all()


@pytest.fixture
def buffered_writes(settings) -> None:
    """Production's buffering: views and searches wait for a flush instead of being written
    when each request ends (the test settings' choice); no timer thread."""
    settings.WRITE_BUFFER_SECONDS = 30
    settings.WRITE_BUFFER_ENTRIES = 500


@pytest.fixture(autouse=True)
def default_language() -> None:
    """Each test starts in the site's default language: a request of an earlier test
    (an /en/ page) leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def postgresql() -> None:
    """Tests of concurrent transactions: SQLite serialises every writer (and its in-memory
    test database refuses concurrent ones), so they skip there, except in CI (.ci/run sets
    CI and runs PostgreSQL), where a skip would hide a failure."""
    if connection.vendor != "postgresql":
        reason = f"needs PostgreSQL (DATABASE_URL=postgres://…), not {connection.vendor}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test must restore the snapshot (serialized_rollback): without it,
    its closing flush recreates the content types under new ids and drops the page tree,
    and every later transactional test fails at its set-up."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: django_db(transaction=True) needs serialized_rollback=True"
            )
