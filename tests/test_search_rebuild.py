"""Index rebuilds lose no update made while they run (search.backends.elasticsearch.indexing).

Each test changes pages through the rebuild's `before_swap` hook: after the rebuild has
read every page into its new indices, before it swaps the aliases. The update then goes
where updates go (the live aliases, still on the old indices) and must reach the new
indices all the same.
"""

import datetime
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from producers.models import CraftVillage
from products.models import ProductPage
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.query import ProductQuery
from tests.factories import make_craft_village, make_producer, make_product
from tests.worker_process import database_url

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]
pytest_plugins = ["tests.search_indexing_fixtures"]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def products(site, es_settings) -> dict[str, ProductPage]:
    """Three products of one producer, indexed."""
    village = make_craft_village("Làng nước mắm Cửa Đại", "nuoc-mam-cua-dai")
    producer = make_producer(site.producers, "Cơ sở nước mắm Cửa Đại", craft_village=village)
    built = {
        "nuoc_mam": make_product(producer, "Nước mắm cá cơm", price_vnd=150_000),
        "mam_nem": make_product(producer, "Mắm nêm pha sẵn", price_vnd=40_000),
        "mam_ruoc": make_product(producer, "Mắm ruốc", price_vnd=50_000),
    }
    indexing.rebuild()
    return built


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run a block as the admin does: the search update tasks run when it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def refresh() -> None:
    connection.get_client(indexing=True).indices.refresh(index=f"{connection.index_prefix()}-*")


def prices() -> dict[str, int | None]:
    """Title and price of every product in the index, through the Elasticsearch backend."""
    refresh()
    hits = ElasticsearchBackend().search_products(ProductQuery()).hits
    return {hit.title: hit.price for hit in hits}


def live_indices() -> list[str]:
    return [index for row in indexing.status() for index in row.indices]


def rebuild_changing(change: Callable[[], None]) -> list[str]:
    """Rebuild, calling `change` just before the swap; checks the swap happened and
    returns the indices behind the aliases after it."""
    before = live_indices()
    indexing.rebuild(before_swap=change)
    after = live_indices()
    assert not set(before) & set(after), "the rebuild swapped in new indices"
    return after


def journal_open() -> bool:
    client = connection.get_client(indexing=True)
    return bool(client.indices.exists_alias(name=indexing.journal_alias()))


def test_a_price_change_during_a_rebuild_reaches_the_new_index(products, publish) -> None:
    product = products["nuoc_mam"]

    def change_price() -> None:
        # The rebuild indexes updates made since it began, and only them.
        assert journal_open()
        with publish():
            product.price_vnd = 175_000
            product.save_revision().publish()

    rebuild_changing(change_price)
    assert prices() == {"Nước mắm cá cơm": 175_000, "Mắm nêm pha sẵn": 40_000, "Mắm ruốc": 50_000}
    # Closed with the swap: updates now record nothing.
    assert not journal_open()
    assert indexing.running_rebuild() == ""


def test_removals_during_a_rebuild_stay_removed(products, publish) -> None:
    def remove() -> None:
        with publish():
            products["mam_nem"].unpublish()
        with publish():
            products["mam_ruoc"].delete()

    rebuild_changing(remove)
    assert prices() == {"Nước mắm cá cơm": 150_000}
    suggestions = ElasticsearchBackend().suggest("mam", "vi")
    assert {s.text for s in suggestions if s.type == "product"} == {"Nước mắm cá cơm"}


def test_a_renamed_place_during_a_rebuild_reaches_the_new_suggestions(products, publish) -> None:
    def rename() -> None:
        with publish():
            village = CraftVillage.objects.get(slug="nuoc-mam-cua-dai")
            village.name = "Làng nghề nước mắm Cửa Đại"
            village.save()

    rebuild_changing(rename)
    refresh()
    suggestions = ElasticsearchBackend().suggest("lang", "vi")
    assert {s.text for s in suggestions if s.type == "craft_village"} == {
        "Làng nghề nước mắm Cửa Đại"
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_update_from_another_process_during_a_rebuild(products, postgresql, es_settings) -> None:
    """The rebuild runs here; a web server or task worker updates the index meanwhile."""
    product = products["nuoc_mam"]

    def update_elsewhere() -> None:
        # Committed (a transactional test), without this process's signals: only the
        # other process tells Elasticsearch.
        ProductPage.objects.filter(pk=product.pk).update(price_vnd=99_000)
        code = (
            "from django.conf import settings\n"
            "from search.backends.elasticsearch import indexing\n"
            f"settings.ELASTICSEARCH_URL = {es_settings.ELASTICSEARCH_URL!r}\n"
            f"settings.ELASTICSEARCH_INDEX_PREFIX = {es_settings.ELASTICSEARCH_INDEX_PREFIX!r}\n"
            f"indexing.update_documents([{product.pk}])\n"
        )
        other = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=REPO,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
                "DATABASE_URL": database_url(),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert other.returncode == 0, other.stdout + other.stderr

    rebuild_changing(update_elsewhere)
    assert prices() == {"Nước mắm cá cơm": 99_000, "Mắm nêm pha sẵn": 40_000, "Mắm ruốc": 50_000}


def test_a_second_rebuild_waits_for_the_first(products, capsys) -> None:
    def rebuild_again() -> None:
        with pytest.raises(indexing.RebuildInProgress, match="another search index rebuild"):
            indexing.rebuild()
        with pytest.raises(CommandError, match="another search index rebuild is running"):
            call_command("search_index", "rebuild")
        call_command("search_index", "status")
        assert "A rebuild is running" in capsys.readouterr().out

    rebuild_changing(rebuild_again)
    # The first one released its lease: the next rebuild may run.
    assert indexing.running_rebuild() == ""
    rebuild_changing(lambda: None)


def test_a_rebuild_that_died_is_taken_over(products, publish, caplog) -> None:
    """A rebuild killed mid-way leaves its lease, its open journal and its records."""
    client = connection.get_client(indexing=True)
    silent_since = timezone.now() - datetime.timedelta(seconds=indexing.LEASE_SECONDS + 1)
    client.index(
        index=indexing.journal_index(),
        id=indexing.LEASE_ID,
        document={"owner": "gone:1:dead", "heartbeat": silent_since.isoformat()},
    )
    client.indices.put_alias(index=indexing.journal_index(), name=indexing.journal_alias())
    with publish():
        products["mam_nem"].unpublish()  # recorded in the dead rebuild's journal
    assert indexing.running_rebuild().startswith("gone:1:dead")

    def change_price() -> None:
        with publish():
            products["nuoc_mam"].price_vnd = 160_000
            products["nuoc_mam"].save_revision().publish()

    rebuild_changing(change_price)
    assert "Taking over the search rebuild lease of gone:1:dead" in caplog.text
    assert prices() == {"Nước mắm cá cơm": 160_000, "Mắm ruốc": 50_000}
    assert not journal_open()
    assert indexing.running_rebuild() == ""


def test_rebuilt_indices_have_a_replica_when_the_cluster_has_room(products) -> None:
    """One replica per index on a cluster; none on a single node, which stays green."""
    client = connection.get_client(indexing=True)
    data_nodes = client.cluster.health()["number_of_data_nodes"]
    indices = live_indices()
    for name, found in client.indices.get_settings(index=indices).items():
        assert found["settings"]["index"]["auto_expand_replicas"] == "0-1", name
        assert found["settings"]["index"]["number_of_replicas"] == str(min(1, data_nodes - 1))
    assert client.cluster.health(index=indices)["status"] == "green"
