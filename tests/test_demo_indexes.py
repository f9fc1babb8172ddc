"""The demo loader leaves every index complete, even when a load is cut short."""

import pytest

from marketplace.demo import loader
from marketplace.demo.bulk import missing_from_wagtail_indexes
from products.models import ProductPage
from search import indexing, service
from search.backends import elasticsearch as elasticsearch_backend
from search.models import ProductSearchEntry

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
        loader.load_demo(6, batch_size=3, workers=0, log=quiet)
    assert vi_products().count() == 3
    assert ProductSearchEntry.objects.count() == ProductPage.objects.live().count() == 6
    assert missing_from_wagtail_indexes(ProductPage) == []

    monkeypatch.undo()
    result = loader.load_demo(6, batch_size=3, workers=0, log=quiet)
    assert vi_products().count() == 6
    assert [check.complete for check in result.search] == [True]
    assert ProductSearchEntry.objects.count() == 12


@pytest.mark.elasticsearch
def test_the_demo_builds_the_elasticsearch_indices(db, site, es_settings):
    result = loader.load_demo(4, workers=0, log=quiet)

    assert [(check.index, check.complete) for check in result.search] == [
        ("database", True),
        ("elasticsearch", True),
    ]
    assert all(row.documents == row.database > 0 for row in indexing.status())
    product = vi_products().first()
    hits = elasticsearch_backend.search_products(service.ProductQuery(q=product.title)).hits
    assert hits[0].page_id == product.pk
