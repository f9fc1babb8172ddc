"""The Elasticsearch backend of the catalogue search, against a real local node."""

import datetime
import threading
import time

import pytest
from django.core.management import call_command
from elasticsearch import ConnectionError as ElasticsearchConnectionError

from products.models import ProductCertification, ProductPage
from search import service
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.backends.elasticsearch.documents import best_stars_periods
from search.catalogue import CertificateWindow
from search.query import ProductQuery
from tests.factories import category, make_craft_village, make_locality, make_producer, make_product

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]

pytest_plugins = ["tests.search_indexing_fixtures"]

backend = ElasticsearchBackend()


@pytest.fixture
def small_catalogue(site, es_settings) -> dict[str, ProductPage]:
    """A few products, indexed."""
    dien_duong = make_locality("Điện Dương", "dien-duong")
    dien_phuong = make_locality("Điện Phương", "dien-phuong")
    village = make_craft_village("Làng gốm Thanh Hà", "gom-thanh-ha", locality=dien_phuong)
    producer = make_producer(site.producers, "HTX Túy Loan", locality=dien_duong)
    potter = make_producer(
        site.producers, "Cơ sở gốm Ngọc", locality=dien_phuong, craft_village=village
    )
    products = {
        "banh": make_product(producer, "Bánh tráng mè", stars=4, price_vnd=40_000),
        "banh_grave": make_product(producer, "Bành tráng nướng", price_vnd=45_000),
        "nuoc_mam": make_product(
            producer,
            "Nước mắm Cửa Đại",
            stars=5,
            price_vnd=120_000,
            category=category("do-uong"),
        ),
        "expired": make_product(
            producer,
            "Mắm tôm chua",
            stars=3,
            certificate_issued=datetime.date(2019, 1, 1),
            price_vnd=60_000,
        ),
        "vase": make_product(
            potter,
            "Bình gốm men lam",
            stars=3,
            price_vnd=350_000,
            category=category("thu-cong-my-nghe"),
            availability=ProductPage.Availability.OUT_OF_STOCK,
        ),
    }
    ProductCertification.objects.create(page=products["banh"], kind="vietgap")
    indexing.rebuild()
    return products


def search(**fields) -> list[str]:
    return [hit.title for hit in backend.search_products(ProductQuery(**fields)).hits]


def facet(results, name: str) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


def test_exact_diacritics_rank_above_folded_matches(small_catalogue) -> None:
    assert search(q="bánh")[:2] == ["Bánh tráng mè", "Bành tráng nướng"]
    assert search(q="bành")[:2] == ["Bành tráng nướng", "Bánh tráng mè"]


def test_folded_query_finds_accented_products(small_catalogue) -> None:
    assert search(q="nuoc mam") == ["Nước mắm Cửa Đại"]
    assert set(search(q="banh trang")) == {"Bánh tráng mè", "Bành tráng nướng"}
    assert "Bình gốm men lam" in search(q="gom thanh ha")


def test_typos_are_forgiven(small_catalogue) -> None:
    assert search(q="nuoc mma")[0] == "Nước mắm Cửa Đại"
    assert search(q="nước mắn")[0] == "Nước mắm Cửa Đại"


def test_query_syntax_is_plain_text(small_catalogue) -> None:
    for q in ['"nuoc', "title:banh", "banh AND (", "*", "\\", "mắm~2 OR /x/"]:
        backend.search_products(ProductQuery(q=q))


def test_sorts_are_stable(small_catalogue) -> None:
    prices = [h.price for h in backend.search_products(ProductQuery(sort="price_asc")).hits]
    assert prices == sorted(prices)
    assert search(sort="price_desc")[0] == "Bình gốm men lam"
    # Only valid certificates count: the expired 3-star one sorts with the unstarred.
    assert search(sort="stars")[:3] == ["Nước mắm Cửa Đại", "Bánh tráng mè", "Bình gốm men lam"]
    pages = [search(page=n, page_size=2) for n in (1, 2, 3)]
    assert sum(len(page) for page in pages) == 5
    assert len({title for page in pages for title in page}) == 5


def test_page_past_the_end_shows_the_last_page(small_catalogue) -> None:
    results = backend.search_products(ProductQuery(page=99, page_size=2))
    assert (results.page, results.pages, len(results.hits)) == (3, 3, 1)


def test_facet_counts_match_the_database(small_catalogue) -> None:
    results = backend.search_products(ProductQuery())
    live = ProductPage.objects.live().filter(locale__language_code="vi")
    assert (
        facet(results, "category")["thuc-pham"] == live.filter(category__slug="thuc-pham").count()
    )
    assert facet(results, "locality") == {
        slug: live.filter(path__startswith=p.path).count()
        for slug, p in [
            ("dien-duong", small_catalogue["banh"].get_parent()),
            ("dien-phuong", small_catalogue["vase"].get_parent()),
        ]
    }
    assert facet(results, "stars") == {"5": 1, "4": 1, "3": 1}
    assert facet(results, "certification") == {"vietgap": 1}
    assert facet(results, "availability") == {"in_stock": 4, "out_of_stock": 1}
    assert facet(results, "price") == {
        "under-50k": 2,
        "50k-100k": 1,
        "100k-200k": 1,
        "200k-500k": 1,
    }
    labels = {value.value: value.label for value in results.facets["locality"]}
    assert labels["dien-phuong"] == "Điện Phương"


def test_selection_filters_hits_but_keeps_its_facet_counts(small_catalogue) -> None:
    results = backend.search_products(ProductQuery(stars=(4, 5), availability=("in_stock",)))
    assert {hit.title for hit in results.hits} == {"Bánh tráng mè", "Nước mắm Cửa Đại"}
    # OR within a facet: the other stars stay countable; AND across facets.
    assert facet(results, "stars") == {"5": 1, "4": 1}
    assert facet(results, "availability") == {"in_stock": 2}
    assert [v.value for v in results.facets["stars"] if v.selected] == ["5", "4"]
    assert facet(results, "category") == {"thuc-pham": 1, "do-uong": 1}


def test_category_group_includes_sub_categories_and_price_bounds(small_catalogue) -> None:
    assert search(category=("thu-cong-my-nghe",)) == ["Bình gốm men lam"]
    assert set(search(price_min=45_000, price_max=120_000)) == {
        "Bành tráng nướng",
        "Nước mắm Cửa Đại",
        "Mắm tôm chua",
    }


def test_did_you_mean_on_zero_results(small_catalogue) -> None:
    # Two typos in a short word: beyond fuzzy matching, within the suggester's reach.
    results = backend.search_products(ProductQuery(q="nước mắmxx"))
    assert (results.total, results.did_you_mean) == (0, "nuoc mam")
    assert search(q=results.did_you_mean) == ["Nước mắm Cửa Đại"]
    assert backend.search_products(ProductQuery(q="qqqqwww")).did_you_mean == ""
    assert backend.search_products(ProductQuery(q="mắm")).did_you_mean == ""


def test_a_search_that_finds_something_asks_the_node_once(small_catalogue, monkeypatch) -> None:
    """The typo and "did you mean" hints are asked only when nothing was found."""
    client = connection.get_client()
    bodies = []
    ask = client.search

    def counted(**kwargs):
        bodies.append(kwargs)
        return ask(**kwargs)

    monkeypatch.setattr(client, "search", counted)
    assert backend.search_products(ProductQuery(q="nước mắm")).total == 1
    assert [("suggest" in body, body["size"]) for body in bodies] == [(False, 24)]

    bodies.clear()
    results = backend.search_products(ProductQuery(q="nuoc mma"))  # a typo: forgiven
    assert [hit.title for hit in results.hits] == ["Nước mắm Cửa Đại"]
    assert [("suggest" in body, body["size"]) for body in bodies] == [
        (False, 24),
        (True, 0),
        (False, 24),
    ]


def test_suggestions(small_catalogue) -> None:
    suggestions = backend.suggest("nuoc", "vi")
    assert ("Nước mắm Cửa Đại", "product") in [(s.text, s.type) for s in suggestions]
    assert suggestions[0].url == small_catalogue["nuoc_mam"].url
    kinds = {(s.text, s.type) for s in backend.suggest("gốm", "vi")}
    assert {("Làng gốm Thanh Hà", "craft_village"), ("Bình gốm men lam", "product")} <= kinds
    assert ("Cơ sở gốm Ngọc", "producer") in kinds
    assert ("Thủ công mỹ nghệ", "category") in {
        (s.text, s.type) for s in backend.suggest("thu cong", "vi")
    }
    assert backend.suggest("", "vi") == []
    assert len(backend.suggest("b", "vi")) <= 8


def test_index_follows_updates_and_deletes(small_catalogue) -> None:
    product = small_catalogue["nuoc_mam"]
    product.title = "Nước mắm nhĩ"
    product.save_revision().publish()
    indexing.update_documents([product.pk], refresh=True)
    assert search(q="mam nhi") == ["Nước mắm nhĩ"]
    product.unpublish()
    indexing.update_documents([product.pk], refresh=True)
    assert search(q="mam nhi") == []
    indexing.delete_documents([small_catalogue["vase"].pk], refresh=True)
    assert search(q="binh gom") == []
    assert "Bình gốm men lam" not in [s.text for s in backend.suggest("binh", "vi")]


def test_status_counts_documents_and_database(small_catalogue, es_prefix: str) -> None:
    rows = {row.alias: row for row in indexing.status()}
    vi = rows[f"{es_prefix}-products-vi"]
    assert (vi.documents, vi.database) == (5, 5)
    assert vi.indices[0].startswith(f"{es_prefix}-products-vi-")
    indexing.delete_documents([small_catalogue["banh"].pk], refresh=True)
    assert {row.alias: row.documents for row in indexing.status()}[vi.alias] == 4


def test_status_command(small_catalogue, capsys, es_prefix: str) -> None:
    call_command("search_index", "status")
    assert f"{es_prefix}-products-vi -> {es_prefix}-products-vi-" in capsys.readouterr().out


def test_rebuild_swaps_aliases_while_searches_answer(small_catalogue) -> None:
    client = connection.get_client()
    alias = connection.alias("products", "vi")
    old = indexing.status()[0].indices
    errors, totals, done = [], [], threading.Event()

    def keep_searching() -> None:
        while not done.is_set():
            try:
                totals.append(client.count(index=alias)["count"])
            except Exception as error:  # every failure is the finding
                errors.append(error)

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        call_command("search_index", "rebuild")
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert totals and set(totals) == {5}
    new = indexing.status()[0].indices
    assert new != old
    assert not client.indices.exists(index=old[0])


def test_best_stars_periods_do_not_overlap() -> None:
    day = datetime.date
    windows = [
        CertificateWindow(3, day(2024, 1, 1), day(2026, 12, 31)),
        CertificateWindow(4, day(2025, 1, 1), day(2025, 6, 30)),
    ]
    assert best_stars_periods(windows) == [
        (3, day(2024, 1, 1), day(2024, 12, 31)),
        (4, day(2025, 1, 1), day(2025, 6, 30)),
        (3, day(2025, 7, 1), day(2026, 12, 31)),
    ]


def test_unreachable_node_fails_fast(site, settings) -> None:
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    started = time.monotonic()
    with pytest.raises(ElasticsearchConnectionError):
        backend.search_products(ProductQuery(q="mắm"))
    assert time.monotonic() - started < 3


def test_service_falls_back_to_the_database(site, settings) -> None:
    producer = make_producer(site.producers)
    make_product(producer, "Nước mắm Cửa Đại")
    DatabaseBackend().rebuild()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    results = service.search_products(ProductQuery(q="nuoc mam"))
    assert results.backend == "database"
    assert [hit.title for hit in results.hits] == ["Nước mắm Cửa Đại"]
