"""The demo loader leaves every index complete, even when a load is cut short."""

import pytest
from django.core.management import CommandError, call_command

from marketplace.core.page_writer import missing_from_wagtail_indexes
from marketplace.demo import loader
from products.models import ProductPage
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.completeness import IncompleteSearch
from search.models import ProductSearchEntry
from search.query import ProductQuery

pytest_plugins = ["tests.search_indexing_fixtures"]


def quiet(message: str) -> None:
    pass


def vi_products():
    return ProductPage.objects.filter(locale__language_code="vi")


def test_a_load_cut_short_leaves_no_page_out_of_the_indexes(db, site, monkeypatch):
    """Each batch is written with its index entries: what a failure leaves is searchable,
    and the next run completes the rest."""
    write = loader.ProductWriter.write
    batches = []

    def write_then_fail(self, batch, pictures):
        if batches:
            raise RuntimeError("power cut")
        batches.append(batch)
        write(self, batch, pictures)

    monkeypatch.setattr(loader.ProductWriter, "write", write_then_fail)
    with pytest.raises(RuntimeError):
        loader.load_demo(6, batch_size=3, workers=0, log=quiet, renditions=False)
    assert vi_products().count() == 3
    assert ProductSearchEntry.objects.count() == ProductPage.objects.live().count() == 6
    assert missing_from_wagtail_indexes(ProductPage) == []

    monkeypatch.undo()
    result = loader.load_demo(6, batch_size=3, workers=0, log=quiet, renditions=False)
    assert vi_products().count() == 6
    assert [check.complete for check in result.search] == [True]
    assert ProductSearchEntry.objects.count() == 12


@pytest.mark.elasticsearch
def test_the_demo_builds_the_elasticsearch_indices(db, site, es_settings):
    result = loader.load_demo(4, workers=0, log=quiet, renditions=False)

    assert [(check.index, check.complete) for check in result.search] == [
        ("database", True),
        ("elasticsearch", True),
    ]
    assert all(row.documents == row.database > 0 for row in indexing.status())
    product = vi_products().first()
    hits = ElasticsearchBackend().search_products(ProductQuery(q=product.title)).hits
    assert hits[0].page_id == product.pk


@pytest.mark.elasticsearch
def test_search_index_complete_builds_what_is_missing(db, site, es_settings, capsys):
    """What `make run` runs on an existing database, e.g. once ELASTICSEARCH_URL is set."""
    loader.load_demo(2, workers=0, log=quiet, renditions=False)
    ProductSearchEntry.objects.all()[:1].get().delete()
    client = connection.get_client(indexing=True)
    for name in client.indices.get(index=f"{connection.index_prefix()}-*"):
        client.indices.delete(index=name)

    call_command("search_index", "complete")

    out = capsys.readouterr().out
    assert "Database search entries: 4 of 4 products (rebuilt)." in out
    assert "Elasticsearch: 4 of 4 products (rebuilt)." in out
    assert all(row.documents == row.database for row in indexing.status())


def test_an_unreachable_node_is_reported_not_hidden(db, site, settings, closed_url):
    """The demo is loaded and searchable from the database; the command says what is
    missing and fails, and `make run` (scripts/prepare_demo.py) warns and starts."""
    settings.ELASTICSEARCH_URL = closed_url

    with pytest.raises(CommandError, match="Elasticsearch: could not be completed") as error:
        call_command("load_demo", products=2, verbosity=0, renditions=False)

    assert isinstance(error.value.__cause__, IncompleteSearch)
    assert str(error.value).startswith("The demo data is loaded.")
    assert ProductSearchEntry.objects.count() == ProductPage.objects.live().count() == 4
