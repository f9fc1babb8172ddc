"""Featured collections feed the search's "featured" signal, with their dates.

A product in a collection shown today ranks above an equal one; editing a collection
re-indexes its products at once, and `search_index featured` catches collections that
start or end with the date. Checked on the database entries and on a real
Elasticsearch node.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from marketplace.curation.models import FeaturedCollection, FeaturedCollectionItem
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.catalogue import featured_product_keys
from search.featured import stale_featured_pages
from search.models import ProductSearchEntry
from search.query import ProductQuery
from tests.factories import make_producer, make_product, vi

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.search_indexing_fixtures"]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as the admin does: search updates run when its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def vases(site, commit):
    """Two equal products: only the office's choice tells them apart."""
    with commit():
        producer = make_producer(site.producers, "HTX Gốm Thanh Hà")
        return (
            make_product(producer, "Bình gốm men lam", slug="binh-lam"),
            make_product(producer, "Bình gốm men nâu", slug="binh-nau"),
        )


def collect(product, starts_on: datetime.date, ends_on: datetime.date | None = None):
    collection = FeaturedCollection.objects.create(
        title="Quà Tết OCOP", slug="qua-tet", locale=vi(), starts_on=starts_on, ends_on=ends_on
    )
    item = FeaturedCollectionItem.objects.create(collection=collection, product=product)
    return collection, item


def featured(product) -> bool:
    return ProductSearchEntry.objects.get(page=product).featured


def call_search(q: str) -> list[str]:
    return [hit.title for hit in DatabaseBackend().search_products(ProductQuery(q=q)).hits]


def test_a_product_in_todays_collection_is_featured_and_ranks_first(vases, commit) -> None:
    plain, chosen = vases
    today = timezone.localdate()
    with commit():
        collect(chosen, today - DAY)

    assert featured(chosen) and not featured(plain)
    assert featured_product_keys() == {chosen.translation_key}
    hits = call_search("binh gom")
    assert hits[:2] == [chosen.title, plain.title]


def test_removing_the_item_or_the_collection_takes_the_signal_away_at_once(vases, commit) -> None:
    _, chosen = vases
    today = timezone.localdate()
    with commit():
        collection, item = collect(chosen, today)
    assert featured(chosen)

    with commit():
        item.delete()
    assert not featured(chosen)

    with commit():
        FeaturedCollectionItem.objects.create(collection=collection, product=chosen)
    assert featured(chosen)
    with commit():
        collection.delete()
    assert not featured(chosen)


def test_dates_move_the_signal_through_the_daily_command(vases, commit, capsys) -> None:
    _, chosen = vases
    start = timezone.localdate() + 3 * DAY
    end = start + 6 * DAY
    with commit():
        collect(chosen, start, end)
    assert not featured(chosen)

    with time_machine.travel(start, tick=False):
        assert stale_featured_pages() == [chosen.pk]
        with commit():
            call_command("search_index", "featured")
        assert featured(chosen)
        assert "Re-indexed 1 products" in capsys.readouterr().out
        # Run again the same day: nothing left to do.
        call_command("search_index", "featured")
        assert "Re-indexed 0 products" in capsys.readouterr().out

    with time_machine.travel(end, tick=False):
        call_command("search_index", "featured")
        assert featured(chosen)  # the last day still counts
    with time_machine.travel(end + DAY, tick=False):
        with commit():
            call_command("search_index", "featured")
        assert not featured(chosen)


def test_changing_the_dates_reindexes_at_once(vases, commit) -> None:
    _, chosen = vases
    today = timezone.localdate()
    with commit():
        collection, _ = collect(chosen, today + 10 * DAY)
    assert not featured(chosen)
    collection.starts_on = today
    with commit():
        collection.save()
    assert featured(chosen)


@pytest.mark.elasticsearch
def test_elasticsearch_documents_follow_the_collection(vases, es_settings, commit) -> None:
    plain, chosen = vases
    indexing.rebuild()
    with commit():
        collect(chosen, timezone.localdate())

    client = connection.get_client(indexing=True)
    client.indices.refresh(index=f"{connection.index_prefix()}-*")
    source = client.get(index=connection.alias("products", "vi"), id=str(chosen.pk))["_source"]
    assert source["featured"] is True
    hits = ElasticsearchBackend().search_products(ProductQuery(q="binh gom")).hits
    assert [hit.title for hit in hits][:2] == [chosen.title, plain.title]
