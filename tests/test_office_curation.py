"""The office's collection tools (issue 14): the page chooser keeps to the language of
the collection being edited, and a collection's slug fills from its title."""

import json
import re

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from marketplace.curation.models import FeaturedCollection
from tests.certificates_fixtures import translated_product
from tests.factories import en, make_producer, make_product, vi
from tests.test_curation import admin_url, make_collection

pytest_plugins = ["tests.producer_accounts_fixtures"]


@pytest.fixture
def tea(site):
    return make_product(make_producer(site.producers, "HTX Trà Điện Bàn"), "Trà gạo lứt rang")


@pytest.fixture
def tea_en(tea):
    return translated_product(tea)


def chooser_titles(client, url: str, **params) -> str:
    return client.get(url, params).content.decode()


# The page chooser and the collection's language ------------------------------------------


def test_the_collection_editor_tells_the_chooser_its_language(office_client, tea):
    collection = make_collection("Quà Tết", "qua-tet")

    page = office_client.get(admin_url("edit", collection.pk)).content.decode()

    config = re.search(r'<script id="wagtail-config" type="application/json">(.*?)</script>', page)
    assert json.loads(config.group(1))["ACTIVE_CONTENT_LOCALE"] == "vi"


@pytest.mark.parametrize("q", ["tra gao lut", "Trà gạo lứt"])
def test_chooser_search_in_a_vietnamese_collection_offers_no_english_page(
    office_client, tea, tea_en, q
):
    in_vietnamese = chooser_titles(
        office_client,
        "/admin/choose-page/search/",
        q=q,
        locale="vi",
        page_type="products.productpage",
    )
    in_english = chooser_titles(
        office_client,
        "/admin/choose-page/search/",
        q=q,
        locale="en",
        page_type="products.productpage",
    )

    assert f">{tea.title}<" in in_vietnamese
    assert tea_en.title not in in_vietnamese
    assert tea_en.title in in_english
    assert f">{tea.title}<" not in in_english


def test_chooser_browse_keeps_to_the_collections_language(office_client, site):
    listing = chooser_titles(office_client, "/admin/choose-page/", locale="vi")

    assert f"/admin/choose-page/{site.home.pk}/" in listing
    assert f"/admin/choose-page/{site.home_en.pk}/" not in listing


def test_a_chooser_without_a_language_offers_every_page(office_client, tea, tea_en):
    listing = chooser_titles(office_client, "/admin/choose-page/search/", q="tra gao lut")

    assert tea_en.title in listing


def add_form(client, locale: str, **fields) -> dict:
    url = admin_url("add") + f"?locale={locale}"
    form = querydict_from_html(client.get(url).text, form_id="w-editor-form")
    for name, value in fields.items():
        form[name.replace("__", "-")] = value
    return form


def item_fields(product) -> dict:
    return {
        "items__TOTAL_FORMS": "1",
        "items__0__product": str(product.pk),
        "items__0__producer": "",
        "items__0__ORDER": "1",
        "items__0__id": "",
    }


def test_a_page_of_another_language_is_refused_with_a_message(office_client, tea, tea_en):
    form = add_form(office_client, "vi", title="Quà Tết", slug="qua-tet", **item_fields(tea_en))

    response = office_client.post(admin_url("add") + "?locale=vi", form)

    assert response.status_code == 200
    assert "Choose a page in the language of this entry" in response.content.decode()
    assert not FeaturedCollection.objects.exists()


def test_an_english_collection_takes_english_pages(office_client, tea, tea_en):
    form = add_form(office_client, "en", title="Tết gifts", slug="tet-gifts", **item_fields(tea_en))

    response = office_client.post(admin_url("add") + "?locale=en", form)

    assert response.status_code == 302
    collection = FeaturedCollection.objects.get(locale=en())
    assert [item.product for item in collection.items.all()] == [tea_en]


# The slug from the title ------------------------------------------------------------------


def test_an_empty_slug_is_made_from_the_folded_title(office_client, tea):
    form = add_form(office_client, "vi", title="Quà Tết Điện Bàn", slug="", **item_fields(tea))

    response = office_client.post(admin_url("add") + "?locale=vi", form)

    assert response.status_code == 302
    assert FeaturedCollection.objects.get(locale=vi()).slug == "qua-tet-dien-ban"


def test_a_made_slug_steps_aside_for_a_taken_one(db):
    make_collection("Quà Tết", "qua-tet-dien-ban")

    second = FeaturedCollection.objects.create(title="Quà Tết Điện Bàn", locale=vi())
    english = FeaturedCollection.objects.create(title="Quà Tết Điện Bàn", locale=en())

    assert second.slug == "qua-tet-dien-ban-2"
    assert english.slug == "qua-tet-dien-ban"


def test_a_typed_slug_is_kept(office_client):
    form = add_form(office_client, "vi", title="Quà Tết Điện Bàn", slug="tet-2027")

    assert office_client.post(admin_url("add") + "?locale=vi", form).status_code == 302
    assert FeaturedCollection.objects.get().slug == "tet-2027"


def test_the_title_field_fills_the_slug_as_it_is_typed(office_client):
    page = office_client.get(admin_url("add") + "?locale=vi").content.decode()

    title = re.search(r'<input[^>]*name="title"[^>]*>', page).group()
    assert "w-sync" in title
    assert "#id_slug" in title
