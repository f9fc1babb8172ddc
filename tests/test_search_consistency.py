"""Every path that changes pages in bulk or renames what they name leaves the catalogue
search consistent: renamed localities, craft villages and categories, moves, wagtail-
localize's translation sync and the spreadsheet import, on both backends."""

import pytest
from django.test import Client
from wagtail_localize.models import Translation, TranslationSource

from marketplace.office.bulk.importing import run_import
from products.models import ProductCategory, ProductPage
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from tests.bulk_fixtures import places_fixture, producer_row, product_row, xlsx  # noqa: F401
from tests.factories import en, make_craft_village, make_locality, make_producer, make_product
from tests.public_pages_fixtures import translate_page, translate_snippet, url_of

pytest_plugins = ["tests.search_indexing_fixtures"]

API = "/api/search/products"


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, site):
    """Which backend answers; for Elasticsearch, the test's own indices on the real node."""
    if request.param == "elasticsearch":
        request.getfixturevalue("es_settings")
    return request.param


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (the search updates) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def start(backend: str) -> None:
    """Index what exists, as a deployment's first `search_index rebuild` does."""
    if backend == "elasticsearch":
        indexing.rebuild()


def refresh(backend: str) -> None:
    if backend == "elasticsearch":
        connection.get_client(indexing=True).indices.refresh(index=f"{connection.index_prefix()}-*")


def results(backend: str, q: str = "", language: str = "vi", **params) -> list[dict]:
    refresh(backend)
    response = Client().get(API, {"q": q, "lang": language, **params})
    assert response.status_code == 200
    assert response.headers.get("X-Search-Backend", backend) == backend
    return response.json()["results"]


def titles(backend: str, q: str, language: str = "vi") -> list[str]:
    return [hit["title"] for hit in results(backend, q, language)]


def test_a_renamed_locality_is_searchable_under_its_new_name(site, backend, commit):
    locality = make_locality("Điện Dương", "dien-duong")
    producer = make_producer(site.producers, "HTX Nước mắm Cửa Đại", locality=locality)
    make_product(producer, "Nước mắm nhĩ")
    start(backend)
    assert titles(backend, "hoa quy") == []

    with commit():
        locality.name = "Hòa Quý"
        locality.save()

    assert titles(backend, "hoa quy") == ["Nước mắm nhĩ"]
    assert [hit["locality"] for hit in results(backend, "nuoc mam nhi")] == ["Hòa Quý"]


def test_a_renamed_craft_village_is_searchable_and_suggested(site, backend, commit):
    village = make_craft_village("Làng gốm Thanh Hà", "gom-thanh-ha")
    producer = make_producer(site.producers, "HTX Gốm", craft_village=village)
    make_product(producer, "Bình gốm men lam")
    start(backend)

    with commit():
        village.name = "Làng nghề Phước Kiều"
        village.save()

    assert titles(backend, "phuoc kieu") == ["Bình gốm men lam"]
    if backend == "elasticsearch":
        suggested = [s.text for s in ElasticsearchBackend().suggest("lang", "vi")]
        assert "Làng nghề Phước Kiều" in suggested
        assert "Làng gốm Thanh Hà" not in suggested


def test_a_renamed_product_group_is_searchable_through_its_sub_categories(site, backend, commit):
    group = ProductCategory.objects.get(slug="thu-cong-my-nghe", locale__language_code="vi")
    mats = ProductCategory.objects.create(
        name="Chiếu", slug="chieu", parent=group, ocop_group=group.ocop_group, locale=group.locale
    )
    producer = make_producer(site.producers, "HTX Chiếu cói Bàn Thạch")
    make_product(producer, "Chiếu cói hoa", category=mats)
    start(backend)

    with commit():
        group.name = "Đồ thủ công truyền thống"
        group.save()

    assert titles(backend, "do thu cong truyen thong") == ["Chiếu cói hoa"]


def test_a_moved_product_carries_its_new_producer(site, backend, commit):
    first = make_producer(site.producers, "HTX Rượu Gò Nổi")
    second = make_producer(site.producers, "Cơ sở rượu Bàu Đá")
    product = make_product(first, "Rượu nếp cái")
    start(backend)

    with commit():
        ProductPage.objects.get(pk=product.pk).move(second, pos="last-child")

    assert [hit["producer"] for hit in results(backend, "ruou nep")] == ["Cơ sở rượu Bàu Đá"]
    assert titles(backend, "bau da") == ["Rượu nếp cái"]


def test_wagtail_localize_translations_are_searchable_and_follow_the_source(site, backend, commit):
    locality = make_locality()
    translate_snippet(locality, name="Dien Duong ward")
    producer = make_producer(site.producers, "HTX Nước mắm Cửa Đại", locality=locality)
    translate_page(producer, title="Cua Dai fish sauce co-op", slug="cua-dai")
    product = make_product(producer, "Nước mắm nhĩ", price_vnd=90000)
    start(backend)

    with commit():
        source, _created = TranslationSource.get_or_create_from_instance(product)
        translation = Translation.objects.create(source=source, target_locale=en())
        translation.save_target(publish=True)
    english = product.get_translation(en())
    assert [hit["url"] for hit in results(backend, "nuoc mam nhi", "en")] == [url_of(english)]

    with commit():
        product.price_vnd = 95000
        product.save_revision().publish()
    assert [hit["price"] for hit in results(backend, "nuoc mam nhi", "en")] == [95000]


def test_a_spreadsheet_price_change_reaches_every_language(places, backend, commit):
    assert run_import(xlsx([producer_row("P1")], [product_row("SP1", "P1")]), "a.xlsx").ok
    product = ProductPage.objects.get(title="Nước mắm cá cơm SP1")
    translate_page(product.get_parent().specific, title="P1 co-op", slug="p1-co-op")
    translate_page(product, title="Anchovy fish sauce SP1", slug="anchovy-sp1")
    start(backend)

    with commit():
        report = run_import(xlsx(products=[product_row("SP1", "P1", price_vnd=135000)]), "b.xlsx")
    assert report.ok and report.summary["updated"] == 1

    assert [hit["price"] for hit in results(backend, "anchovy", "en")] == [135000]
    assert [hit["price"] for hit in results(backend, "ca com SP1", "vi")] == [135000]


@pytest.mark.elasticsearch
def test_places_saved_before_the_first_rebuild_log_no_error(site, es_settings, commit, caplog):
    """The demo loader creates its places before any index exists: nothing to update."""
    with commit():
        make_craft_village("Làng mộc Kim Bồng", "moc-kim-bong")
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
