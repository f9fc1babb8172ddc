"""Index updates that fail are kept and retried; publishing never fails because of them.

The node is made unreachable by pointing ELASTICSEARCH_URL at a closed port, then
reachable again: retries go to the real node.
"""

import pytest
from django.core.management import call_command

from search import tasks as search_tasks
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.models import PendingIndexUpdate, ProductSearchEntry
from search.query import ProductQuery
from tests.factories import make_producer, make_product

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]
pytest_plugins = ["tests.search_indexing_fixtures"]


@pytest.fixture
def producer(site, es_settings):
    """A producer, indexed with the rest of the (empty) catalogue."""
    producer = make_producer(site.producers, "HTX Nước mắm Hà My")
    indexing.rebuild()
    return producer


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run a block as the admin does: search updates run when its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def titles(q: str) -> list[str]:
    connection.get_client(indexing=True).indices.refresh(index=f"{connection.index_prefix()}-*")
    return [hit.title for hit in ElasticsearchBackend().search_products(ProductQuery(q=q)).hits]


def pending() -> dict[int, PendingIndexUpdate]:
    return {row.page_id: row for row in PendingIndexUpdate.objects.all()}


def test_failed_update_is_kept_then_retried_by_the_command(
    producer, es_settings, closed_url, publish, caplog
) -> None:
    elasticsearch_url = es_settings.ELASTICSEARCH_URL
    es_settings.ELASTICSEARCH_URL = closed_url
    with publish():
        product = make_product(producer, "Nước mắm nhĩ Hà My")
    # Published all the same, and in the database backend's index.
    assert ProductSearchEntry.objects.filter(page=product).exists()
    assert "Elasticsearch update_documents failed" in caplog.text
    rows = pending()
    assert set(rows) == {product.pk, producer.pk}  # the producer counts its products
    assert rows[product.pk].attempts == 1
    assert "ConnectionError" in rows[product.pk].last_error

    es_settings.ELASTICSEARCH_URL = elasticsearch_url
    call_command("search_index", "status")
    call_command("search_index", "retry")
    assert pending() == {}
    assert titles("nuoc mam nhi") == ["Nước mắm nhĩ Hà My"]


def test_next_successful_update_retries_the_pending_ones(
    producer, es_settings, closed_url, publish
) -> None:
    elasticsearch_url = es_settings.ELASTICSEARCH_URL
    es_settings.ELASTICSEARCH_URL = closed_url
    with publish():
        missed = make_product(producer, "Nước mắm nhĩ Hà My")
    with publish():
        missed.title = "Nước mắm nhĩ cá cơm Hà My"
        missed.save_revision().publish()
    assert pending()[missed.pk].attempts == 2

    es_settings.ELASTICSEARCH_URL = elasticsearch_url
    with publish():
        make_product(producer, "Mắm nêm Hà My")
    assert pending() == {}
    assert set(titles("ha my")) == {"Nước mắm nhĩ cá cơm Hà My", "Mắm nêm Hà My"}


def test_failed_removal_is_retried(producer, es_settings, closed_url, publish) -> None:
    with publish():
        product = make_product(producer, "Nước mắm nhĩ Hà My")
    assert titles("nuoc mam nhi") == ["Nước mắm nhĩ Hà My"]
    elasticsearch_url = es_settings.ELASTICSEARCH_URL
    es_settings.ELASTICSEARCH_URL = closed_url
    with publish():
        product.delete()
    assert product.pk not in ProductSearchEntry.objects.values_list("page_id", flat=True)
    assert product.pk in pending()

    es_settings.ELASTICSEARCH_URL = elasticsearch_url
    assert indexing.retry_pending() == 2  # the product, and its producer's count
    assert titles("nuoc mam nhi") == []


def test_retry_while_the_node_is_still_down_keeps_them(producer, es_settings, closed_url) -> None:
    indexing.defer([producer.pk], ConnectionError("refused"))
    es_settings.ELASTICSEARCH_URL = closed_url
    with pytest.raises(Exception, match="Connection"):
        indexing.retry_pending()
    assert pending()[producer.pk].attempts == 2


def test_rebuild_clears_pending_updates(producer, publish, es_settings, closed_url) -> None:
    elasticsearch_url = es_settings.ELASTICSEARCH_URL
    es_settings.ELASTICSEARCH_URL = closed_url
    with publish():
        make_product(producer, "Nước mắm nhĩ Hà My")
    assert pending()
    es_settings.ELASTICSEARCH_URL = elasticsearch_url
    call_command("search_index", "rebuild")
    assert pending() == {}
    assert titles("nuoc mam nhi") == ["Nước mắm nhĩ Hà My"]


def test_updates_stop_asking_a_failing_node_until_the_breaker_lets_one_try(
    producer, es_settings, closed_url, publish
) -> None:
    """After BREAKER_FAILURES failed writes (on a hung node each holds a task worker for
    the client's timeout), updates are remembered without asking the node; the scheduled
    retry waits too, and writes them all once the breaker lets it try the node again."""
    elasticsearch_url = es_settings.ELASTICSEARCH_URL
    es_settings.ELASTICSEARCH_URL = closed_url
    for number in range(search_tasks.BREAKER_FAILURES):
        with publish():
            make_product(producer, f"Nước mắm số {number}")
    with publish():
        last = make_product(producer, "Nước mắm nhĩ Hà My")
    assert "CircuitBreakerError" in pending()[last.pk].last_error  # the node was not asked

    es_settings.ELASTICSEARCH_URL = elasticsearch_url
    assert search_tasks.retry_pending_updates.call() == 0  # not yet
    assert last.pk in pending()
    # BREAKER_SECONDS pass.
    search_tasks.INDEXING_BREAKER._opened -= search_tasks.BREAKER_SECONDS
    assert search_tasks.retry_pending_updates.call() == search_tasks.BREAKER_FAILURES + 2
    assert pending() == {}
    assert titles("nuoc mam nhi") == ["Nước mắm nhĩ Hà My"]


def test_the_scheduled_retry_on_a_node_still_down_logs_and_keeps_them(
    producer, es_settings, closed_url, caplog
) -> None:
    indexing.defer([producer.pk], ConnectionError("refused"))
    es_settings.ELASTICSEARCH_URL = closed_url
    assert search_tasks.retry_pending_updates.call() == 0  # not a failed task to retry
    assert "Retrying failed search index updates failed again" in caplog.text
    assert pending()[producer.pk].attempts == 2
