"""Database queries per search API call on a warm cache, and the caches staying right.

Thumbnails and promotions are kept in the process once warm; the query log waits in the
process's buffer and is written in bulk later (marketplace.core.write_buffer), so a
search writes nothing. These counts keep it so: raise one only for a reason worth a
query on every search.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from marketplace.core import write_buffer
from marketplace.core.models import CustomRendition
from search.models import SearchQueryLog
from search.thumbnails import THUMBNAIL_SPEC

pytest_plugins = ["tests.search_fixtures"]

SEARCH = "/api/search/products"
SUGGEST = "/api/search/suggest"
PARAMS = {"q": "nuoc mam", "lang": "vi"}
# Facet labels are kept in the process when warm (search/labels.py).
LABEL_QUERIES = 0


@pytest.fixture
def cat(catalogue, db, buffered_writes) -> dict:
    return catalogue


def warm_queries(client, path: str, params: dict) -> list[str]:
    """The SQL of the second of two calls of the same search, each a new address for the
    page cache (it would answer with no query): the queries of a rendering in a warm
    process, which keeps what only a content change alters."""
    assert client.get(path, {**params, "call": "1"}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {**params, "call": "2"})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def assert_no_write_and_no_lookups(sql: list[str]) -> None:
    assert not [q for q in sql if q.startswith(("INSERT", "UPDATE", "DELETE"))]
    for table in ("base_customimage", "base_customrendition", "wagtailsearchpromotions"):
        assert not [q for q in sql if table in q], table


def test_warm_search_on_the_database(client, cat):
    sql = warm_queries(client, SEARCH, PARAMS)
    assert_no_write_and_no_lookups(sql)
    # The entries' version (the rows are held in memory), the labels, the hits.
    assert len(sql) == 1 + LABEL_QUERIES + 1


def test_warm_suggest_on_the_database(client, cat):
    # The entries' version, then the suggested products' names and addresses: the rows
    # matched are held in memory, as are producers and places.
    sql = warm_queries(client, SUGGEST, {"q": "nuoc", "lang": "vi"})
    assert_no_write_and_no_lookups(sql)
    assert len(sql) == 2


@pytest.mark.elasticsearch
def test_warm_search_on_elasticsearch(client, catalogue_index, cat):
    sql = warm_queries(client, SEARCH, PARAMS)
    assert_no_write_and_no_lookups(sql)
    assert len(sql) == LABEL_QUERIES


@pytest.mark.elasticsearch
def test_warm_suggest_on_elasticsearch(client, catalogue_index, cat):
    assert warm_queries(client, SUGGEST, {"q": "nuoc", "lang": "vi"}) == []


def test_the_log_is_written_by_a_flush(client, cat):
    response = client.get(SEARCH, PARAMS)
    assert not SearchQueryLog.objects.exists()
    write_buffer.flush_all()
    log = SearchQueryLog.objects.get()
    assert (log.query, log.result_count) == ("nuoc mam", response.json()["total"])


def test_a_new_promotion_shows_at_once(client, cat):
    assert client.get(SEARCH, PARAMS).json()["results"][0]["title"] != "Hộp gỗ đựng trà"
    SearchPromotion.objects.create(query=Query.get("nuoc mam"), page=cat["hop_go"], sort_order=0)
    assert client.get(SEARCH, PARAMS).json()["results"][0]["title"] == "Hộp gỗ đựng trà"
    SearchPromotion.objects.all().delete()
    assert client.get(SEARCH, PARAMS).json()["results"][0]["title"] != "Hộp gỗ đựng trà"


def test_a_deleted_thumbnail_is_made_again(client, cat):
    first = client.get(SEARCH, PARAMS).json()["results"][0]["thumbnail"]
    CustomRendition.objects.filter(filter_spec=THUMBNAIL_SPEC).delete()
    again = client.get(SEARCH, PARAMS).json()["results"][0]["thumbnail"]
    assert first.startswith(settings.MEDIA_URL) and again.startswith(settings.MEDIA_URL)
    # Not the cached URL of the deleted rendition: one that exists.
    assert CustomRendition.objects.filter(file=again.removeprefix(settings.MEDIA_URL)).exists()


def test_a_renamed_category_shows_its_new_label_at_once(client, cat):
    from products.models import ProductCategory

    def label(slug: str) -> str:
        facets = client.get(SEARCH, {"lang": "vi"}).json()["facets"]["category"]
        return next(v["label"] for v in facets if v["value"] == slug)

    category = ProductCategory.objects.filter(locale__language_code="vi", parent=None).first()
    assert label(category.slug) == category.name
    category.name = "Nhóm đổi tên"
    category.save()
    assert label(category.slug) == "Nhóm đổi tên"
