"""The search service, JSON API, HTML page, query log, promotions, index updates, report."""

import pytest
from django.contrib.auth.models import Group, User
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from marketplace.certificates import decisions
from marketplace.certificates.models import OcopCertificate
from products.models import ProductPage
from search import service
from search.models import ProductSearchEntry, SearchQueryLog
from search.query import FACETS, ProductQuery
from tests.factories import make_product

pytest_plugins = ["tests.search_fixtures"]

API = "/api/search/products"


@pytest.fixture
def cat(catalogue, db) -> dict:
    return catalogue


def test_api_returns_results_and_facets(client, cat):
    response = client.get(API, {"q": "nuoc mam", "sort": "price_asc"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 4
    assert (data["page"], data["pages"]) == (1, 1)
    first = data["results"][0]
    assert set(first) == {
        "title",
        "url",
        "price",
        "unit",
        "stars",
        "producer",
        "locality",
        "thumbnail",
        "availability",
    }
    assert first["title"] == "Mắm nêm pha sẵn"
    assert first["availability"] in ProductPage.Availability.values
    assert first["producer"] == "Cơ sở nước mắm Cửa Đại"
    assert first["thumbnail"]
    assert set(data["facets"]) == set(FACETS)
    assert {"value", "label", "count", "selected"} == set(data["facets"]["category"][0])


def test_api_filters_and_ignores_unknown_values(client, cat):
    data = client.get(
        API, {"category": ["do-uong", "no-such-group"], "stars": ["4", "9", "x"], "lang": "vi"}
    ).json()
    assert {r["title"] for r in data["results"]} == {"Trà sen Điện Hồng", "Rượu nếp cái hoa vàng"}
    selected = [v["value"] for v in data["facets"]["category"] if v["selected"]]
    assert selected == ["do-uong"]


def test_api_in_english(client, cat):
    data = client.get(API, {"q": "rice paper", "lang": "en"}).json()
    assert [r["title"] for r in data["results"]] == ["Black sesame rice paper"]
    assert data["results"][0]["url"].startswith("/en/")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"price_min": "abc"}, "The lowest price must be a whole number of đồng."),
        ({"price_max": "-5"}, "The highest price must be a whole number of đồng."),
        ({"page": "0"}, "The page must be a whole number from 1."),
        ({"price_min": "9" * 40}, "The lowest price must be a whole number of đồng."),
        ({"page": "9" * 40}, "The page must be a whole number from 1."),
        # More digits than Python converts to an int.
        ({"price_max": "9" * 5000}, "The highest price must be a whole number of đồng."),
        ({"page": "abc"}, "The page must be a whole number from 1."),
        ({"sort": "random"}, "Unknown sort"),
        ({"q": "a" * 201}, "The search text is too long: at most 200 characters."),
    ],
)
def test_api_bad_input_is_a_400_with_a_message(client, cat, params, message):
    response = client.get(API, {"lang": "en", **params})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_api_unknown_language_is_a_400_in_the_default_language(client, cat):
    response = client.get(API, {"lang": "xx"})
    assert response.status_code == 400
    assert response.json()["error"] == "Ngôn ngữ không hợp lệ: dùng “vi” hoặc “en”."


def test_api_errors_in_vietnamese(client, cat):
    response = client.get(API, {"page": "abc", "lang": "vi"})
    assert response.status_code == 400
    assert "trang" in response.json()["error"].lower()


@pytest.mark.parametrize("q", ['"*:\\{}', "'; DROP TABLE search_productsearchentry; --", "🙂"])
def test_api_treats_any_characters_as_text(client, cat, q):
    response = client.get(API, {"q": q})
    assert response.status_code == 200
    assert ProductSearchEntry.objects.exists()


def test_suggest_api(client, cat):
    data = client.get("/api/search/suggest", {"q": "gôm", "lang": "vi"}).json()
    assert {"text", "type", "url"} == set(data["suggestions"][0])
    assert "Bình gốm men lam" in [s["text"] for s in data["suggestions"]]
    assert client.get("/api/search/suggest", {"q": ""}).json() == {"suggestions": []}
    assert client.get("/api/search/suggest", {"q": "x", "lang": "xx"}).status_code == 400
    assert not SearchQueryLog.objects.exists()  # suggestions are not logged


def test_api_answers_name_the_backend_in_a_header(client, cat):
    """X-Search-Backend: which backend answered (tests/test_search_fallback.py checks
    "elasticsearch", and "database" when it stands in for a node that went away)."""
    assert client.get(API, {"q": "gốm"})["X-Search-Backend"] == "database"
    assert client.get(API, {"lang": "en"})["X-Search-Backend"] == "database"
    suggest = client.get("/api/search/suggest", {"q": "gôm", "lang": "vi"})
    assert suggest["X-Search-Backend"] == "database"
    # No search, no backend: an empty suggestion query, bad input.
    assert not client.get("/api/search/suggest", {"q": " "}).has_header("X-Search-Backend")
    assert not client.get(API, {"page": "abc"}).has_header("X-Search-Backend")


def test_an_unreachable_elasticsearch_is_named_in_the_header_as_the_database(client, cat, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    assert client.get(API, {"q": "gốm"})["X-Search-Backend"] == "database"
    assert client.get("/api/search/suggest", {"q": "gom"})["X-Search-Backend"] == "database"


def test_searches_are_logged_without_personal_data(client, cat):
    client.get(API, {"q": "  Nước   MẮM ", "category": "thuc-pham"})
    client.get("/vi/tim-kiem/", {"q": "xyzxyz"})
    api_log, page_log = SearchQueryLog.objects.order_by("pk")
    assert (api_log.query, api_log.language, api_log.backend) == ("nước mắm", "vi", "database")
    assert api_log.filters == {"category": ["thuc-pham"]}
    assert api_log.result_count == 4
    assert (page_log.query, page_log.result_count) == ("xyzxyz", 0)


def test_promoted_products_come_first_on_page_one(cat):
    query = Query.get("gốm")
    SearchPromotion.objects.create(query=query, page=cat["hop_go"], sort_order=0)
    results = service.search_products(ProductQuery(q="Gốm"))
    assert results.hits[0].title == "Hộp gỗ đựng trà"
    assert [h.title for h in results.hits].count("Hộp gỗ đựng trà") == 1
    second_page = service.search_products(ProductQuery(q="gốm", page=2, page_size=2))
    assert "Hộp gỗ đựng trà" not in [h.title for h in second_page.hits]
    # Promoted pages appear in their language only.
    english = service.search_products(ProductQuery(q="gốm", language="en")).hits
    assert english and "Hộp gỗ đựng trà" not in [h.title for h in english]


def test_html_search_page_works_without_javascript(client, cat):
    response = client.get("/vi/tim-kiem/", {"q": "banh trang", "category": "thuc-pham"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form class="filters" method="get" action="/vi/tim-kiem/"' in html
    assert 'type="checkbox" name="category" value="thuc-pham" checked' in html
    assert "Bánh tráng nướng mè đen" in html
    assert 'name="sort"' in html
    assert 'id="site-search-q"' in html  # the header's search box
    assert "Sắp xếp theo" in html and "Áp dụng bộ lọc" in html


def test_html_search_page_in_english(client, cat):
    response = client.get("/en/search/", {"q": "fish sauce"})
    assert response.status_code == 200
    assert "Cua Dai anchovy fish sauce" in response.content.decode()
    assert 'action="/en/search/"' in response.content.decode()


def test_html_search_page_pagination_keeps_parameters(client, cat):
    html = client.get("/vi/tim-kiem/", {"sort": "price_asc"}).content.decode()
    assert 'href="?sort=price_asc&amp;page=2"' in html
    last = client.get("/vi/tim-kiem/", {"sort": "price_asc", "page": "9"}).content.decode()
    assert '<span aria-current="page">2</span>' in last  # beyond the last: the last page


def test_html_page_tolerates_bad_input(client, cat):
    bad = ({"page": "abc"}, {"price_min": "9" * 40}, {"q": "a" * 500}, {"sort": "zzz"})
    for params in bad:
        assert client.get("/vi/tim-kiem/", params).status_code == 200


def test_did_you_mean_link_and_empty_state(client, cat):
    html = client.get("/vi/tim-kiem/", {"q": "banh trangg"}).content.decode()
    assert 'href="?q=b%C3%A1nh%20tr%C3%A1ng"' in html
    assert 'class="empty"' in html


def _entry_ids() -> set[int]:
    return set(ProductSearchEntry.objects.values_list("page_id", flat=True))


def test_index_follows_publish_unpublish_and_delete(cat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(cat["producer_gom"], "Đĩa gốm vẽ tay")
    assert product.pk in _entry_ids()
    assert "Đĩa gốm vẽ tay" in [
        h.title for h in service.search_products(ProductQuery(q="dia gom")).hits
    ]

    with django_capture_on_commit_callbacks(execute=True):
        product.unpublish()
    assert product.pk not in _entry_ids()

    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()
    assert product.pk in _entry_ids()

    with django_capture_on_commit_callbacks(execute=True):
        ProductPage.objects.get(pk=product.pk).delete()
    assert product.pk not in _entry_ids()


def test_producer_changes_update_its_products(cat, django_capture_on_commit_callbacks):
    producer = cat["producer_moc"]
    producer.display_name = "Xưởng mộc Ông Ba"
    with django_capture_on_commit_callbacks(execute=True):
        producer.save_revision().publish()
    hits = service.search_products(ProductQuery(q="xuong moc ong ba")).hits
    assert {h.title for h in hits} == {"Tượng gỗ mỹ nghệ", "Hộp gỗ đựng trà"}


def test_certificate_changes_update_stars(cat, django_capture_on_commit_callbacks):
    certificate = OcopCertificate.objects.get(page=cat["binh_gom"])
    certificate.stars = 5
    with django_capture_on_commit_callbacks(execute=True):
        certificate.save()
    # A changed certificate waits for the office's check again: no stars meanwhile.
    hit = service.search_products(ProductQuery(q="bình gốm")).hits[0]
    assert (hit.title, hit.stars) == ("Bình gốm men lam", None)

    with django_capture_on_commit_callbacks(execute=True):
        decisions.verify(certificate, None)
    hit = service.search_products(ProductQuery(q="bình gốm")).hits[0]
    assert (hit.title, hit.stars) == ("Bình gốm men lam", 5)


def test_search_report_for_the_office(client, cat):
    client.get(API, {"q": "gốm"})
    client.get(API, {"q": "gốm"})
    client.get(API, {"q": "không có gì"})
    office = User.objects.create_user("office", password="x")
    office.groups.add(Group.objects.get(name="Agriculture office"))
    client.force_login(office)
    response = client.get("/admin/reports/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "gốm" in html and "không có gì" in html

    producer = User.objects.create_user("producer", password="x")
    client.force_login(producer)
    assert client.get("/admin/reports/search/").status_code in (302, 403)


def test_an_unreachable_elasticsearch_falls_back_to_the_database(cat, settings, caplog):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    results = service.search_products(ProductQuery(q="gốm"))
    assert results.backend == "database"
    assert "Bình gốm men lam" in [hit.title for hit in results.hits]
    assert service.suggest("gom", "vi")
    assert "Elasticsearch unavailable" in caplog.text


def test_index_updates_survive_an_unreachable_elasticsearch(
    cat, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(cat["producer_gom"], "Chén gốm men rạn")
    assert product.pk in _entry_ids()
    assert "Elasticsearch update_documents failed" in caplog.text


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_404_not_a_redirect_to_a_page(client):
    response = client.get("/api/search/nope")
    assert response.status_code == 404
