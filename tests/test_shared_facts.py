"""What is not language is one fact for every translation of a product or producer.

A producer changes facts on the Vietnamese page through the real admin, the office
approves them through the workflow, and from the next request on the English page,
the search API in both languages and a new inquiry from the English page show what was
published. Every other path that writes a translation keeps them too.
"""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from wagtail_localize.models import Translation, TranslationSource

from marketplace.certificates import decisions
from marketplace.certificates.models import OcopCertificate
from marketplace.inquiries.models import InquiryItem
from producers.models import ProducerPage
from products.models import ProductCategory, ProductImage, ProductPage
from search.backends.elasticsearch import connection, indexing
from tests.factories import en, make_craft_village, make_image, make_locality, vi
from tests.inquiry_helpers import add, form_key, request_data, url
from tests.producer_accounts_helpers import edit_form_data, edit_url
from tests.public_pages_fixtures import translate_page, translate_snippet, url_of

pytest_plugins = [
    "tests.producer_accounts_fixtures",
    "tests.inquiry_fixtures",
    "tests.search_indexing_fixtures",
]

API = "/api/search/products"


@pytest.fixture
def english(producer_a):
    """producer_a's producer page and product with English translations (and its place)."""
    translate_snippet(producer_a.page.locality, name="Dien Duong ward")
    producer_en = translate_page(producer_a.page, title="Fish sauce co-op A", slug="co-op-a")
    product_en = translate_page(producer_a.product, title="Fish sauce A", slug="fish-sauce-a")
    return producer_en, product_en


def submit_and_approve(producer, office_client: Client, page, **changes) -> None:
    """The producer submits `changes` to the office's workflow; the office approves."""
    data = edit_form_data(producer.client, page, **changes, **{"action-submit": "1"})
    response = producer.client.post(edit_url(page), data)
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert page.workflow_in_progress
    state = page.current_workflow_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    assert office_client.post(approve, {"comment": "Đã kiểm tra."}).status_code == 302
    page.refresh_from_db()
    assert not page.workflow_in_progress and not page.has_unpublished_changes


def new_rows(prefix: str, rows: list[dict]) -> dict:
    """Form data adding `rows` to an empty inline formset."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
        data |= {f"{prefix}-{index}-id": "", f"{prefix}-{index}-ORDER": str(index + 1)}
    return data


def image_stem(image) -> str:
    return Path(image.file.name).stem


def api_hit(client: Client, language: str, page) -> dict:
    data = client.get(API, {"q": "", "lang": language}).json()
    hits = [hit for hit in data["results"] if hit["url"] == url_of(page)]
    assert len(hits) == 1, data["results"]
    return hits[0]


PRODUCT_FACTS = {
    "price_vnd": 98000,
    "availability": "made_to_order",
    "minimum_order_quantity": 3,
    "lead_time_days": 7,
    "traceability_code": "TXNG-2026-0042",
}


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request):
    """The catalogue search answering the API: the database, or a real Elasticsearch node
    (its indices built first, then kept up to date by publishing, as in production)."""
    if request.param == "elasticsearch":
        request.getfixturevalue("es_settings")
        indexing.rebuild()
    return request.param


def settle(search_backend: str) -> None:
    """Make Elasticsearch's updates searchable now rather than within its refresh second."""
    if search_backend == "elasticsearch":
        connection.get_client(indexing=True).indices.refresh(index=f"{connection.index_prefix()}-*")


def test_product_facts_published_in_vietnamese_show_in_every_language(
    producer_a, english, office_client, search_backend, django_capture_on_commit_callbacks
):
    product, product_en = producer_a.product, english[1]
    # In the producer's own collection: a producer may choose no other image.
    new_image = make_image(
        "Ảnh mới", colour=(20, 160, 60), collection=producer_a.account.collection
    )
    old_image = product.gallery_images.get().image
    other_category = (
        ProductCategory.objects.filter(locale=vi(), parent=None)
        .exclude(pk=product.category_id)
        .first()
    )
    issued = datetime.date.today() - datetime.timedelta(days=10)
    changes = {
        **{name: str(value) for name, value in PRODUCT_FACTS.items()},
        "category": str(other_category.pk),
        "gallery_images-0-image": str(new_image.pk),
        **new_rows(
            "ocop_certificates",
            [
                {
                    "stars": "4",
                    "decision_number": "88/QĐ-UBND",
                    "product_group": "Thực phẩm",
                    "issuing_level": "province",
                    "issuing_body": "UBND thành phố Đà Nẵng",
                    "issue_date": issued.isoformat(),
                }
            ],
        ),
        **new_rows("certifications", [{"kind": "vietgap", "number": "VG-123"}]),
    }

    with django_capture_on_commit_callbacks(execute=True):
        submit_and_approve(producer_a, office_client, product, **changes)

    # One fact in the database: the English row is the Vietnamese row's facts.
    product_en = ProductPage.objects.get(pk=product_en.pk)
    for name, value in PRODUCT_FACTS.items():
        assert getattr(product_en, name) == value, name
    assert product_en.category == other_category.get_translation(en())
    assert [row.image for row in product_en.gallery_images.all()] == [new_image]
    certificate_en = product_en.ocop_certificates.get()
    assert (certificate_en.stars, certificate_en.decision_number) == (4, "88/QĐ-UBND")
    assert certificate_en.locale == en()
    assert certificate_en.translation_key == product.ocop_certificates.get().translation_key
    assert list(product_en.certifications.values_list("kind", "number")) == [("vietgap", "VG-123")]

    # Both pages, from the next request on.
    client = Client()
    for page, price, old_price in (
        (product, "98.000 ₫", "120.000 ₫"),
        (product_en, "₫98,000", "₫120,000"),
    ):
        html = client.get(url_of(page)).content.decode()
        assert price in html and old_price not in html
        assert image_stem(new_image) in html and image_stem(old_image) not in html
        offer = re.search(r'"price": "(\d+)"', html)
        assert offer and offer.group(1) == "98000"

    # The search in both languages.
    settle(search_backend)
    for language, page in (("vi", product), ("en", product_en)):
        hit = api_hit(client, language, page)
        assert hit["price"] == 98000
        assert image_stem(new_image) in hit["thumbnail"] or hit["thumbnail"] == ""

    # An inquiry sent from the English page records the published price.
    add(client, product_en, "3", language="en")
    shop_like = type("Shop", (), {"locality": product.producer.locality})
    response = client.post(url("send", "en"), request_data(form_key(client, "en"), shop_like))
    assert response.status_code == 302
    item = InquiryItem.objects.get()
    assert (item.unit_price_vnd, item.quantity) == (98000, 3)


def test_producer_facts_published_in_vietnamese_show_in_every_language(
    producer_a, english, office_client, django_capture_on_commit_callbacks
):
    producer, producer_en = producer_a.page, english[0]
    elsewhere = make_locality("Điện Nam Bắc", "dien-nam-bac")
    elsewhere_en = translate_snippet(elsewhere, name="Dien Nam Bac ward")
    logo = make_image("Logo mới", colour=(200, 20, 20), collection=producer_a.account.collection)
    changes = {
        "locality": str(elsewhere.pk),
        "latitude": "15.891234",
        "longitude": "108.254321",
        "phone": "0235 3867 123",
        "zalo_phone": "0905 111 222",
        "whatsapp_phone": "+84 905 333 444",
        "email": "htx-a@example.vn",
        "website": "https://htx-a.example.vn",
        "founded_year": "1998",
        "logo": str(logo.pk),
        "accepts_card_payment": "on",
        "bank_bin": "970436",
        "bank_account_number": "0071000123456",
        "bank_account_holder": "HTX NUOC MAM A",
    }

    with django_capture_on_commit_callbacks(execute=True):
        submit_and_approve(producer_a, office_client, producer, **changes)

    producer_en = ProducerPage.objects.get(pk=producer_en.pk)
    assert producer_en.locality == elsewhere_en
    assert (str(producer_en.latitude), str(producer_en.longitude)) == ("15.891234", "108.254321")
    assert (producer_en.phone, producer_en.zalo_phone) == ("+842353867123", "+84905111222")
    assert producer_en.whatsapp_phone == "+84905333444"
    assert producer_en.email == "htx-a@example.vn"
    assert producer_en.website == "https://htx-a.example.vn"
    assert producer_en.founded_year == 1998
    assert producer_en.logo == logo
    assert producer_en.accepts_card_payment
    assert producer_en.bank_account_number == "0071000123456"
    # The English page says so, and its products' search records carry the new place.
    html = Client().get(url_of(producer_en)).content.decode()
    assert "Dien Nam Bac ward" in html and image_stem(logo) in html
    hit = api_hit(Client(), "en", english[1])
    assert hit["locality"] == "Dien Nam Bac ward"


def test_a_translation_published_later_cannot_bring_back_an_old_price(
    producer_a, english, office_client
):
    """An English draft made before the price changed is published afterwards: the page
    keeps the published Vietnamese price; only its text changes."""
    product, product_en = producer_a.product, english[1]
    product_en.title = "Fish sauce A, 40° N"
    draft = product_en.save_revision()
    product.price_vnd = 77000
    product.save_revision().publish()

    draft.publish()

    product_en.refresh_from_db()
    assert (product_en.title, product_en.price_vnd) == ("Fish sauce A, 40° N", 77000)


def test_wagtail_localize_sync_keeps_text_and_takes_facts(producer_a, english, office_client):
    """Translating with wagtail-localize (its source snapshot older than the page) keeps
    the translated text and the current facts."""
    product, product_en = producer_a.product, english[1]
    source, _ = TranslationSource.get_or_create_from_instance(product)
    translation = Translation.objects.create(source=source, target_locale=en(), enabled=True)
    translation.save_target(publish=True)
    product.price_vnd = 66000
    product.availability = "out_of_stock"
    product.save_revision().publish()

    translation.save_target(publish=True)  # from the snapshot taken before the change

    product_en = ProductPage.objects.get(pk=product_en.pk)
    assert (product_en.price_vnd, product_en.availability) == (66000, "out_of_stock")


def test_a_new_picture_is_used_by_every_translation(producer_a, english):
    """Wagtail's usage count (its reference index) follows the shared pictures."""
    product, product_en = producer_a.product, english[1]
    picture = make_image("Ảnh mới")
    row = product.gallery_images.get()
    row.image = picture
    product.gallery_images = [row]
    product.save_revision().publish()

    assert {usage[0].pk for usage in picture.get_usage()} == {product.pk, product_en.pk}


def test_english_captions_and_certificate_text_stay_english(producer_a, english):
    product, product_en = producer_a.product, english[1]
    row = product_en.gallery_images.get()
    ProductImage.objects.filter(pk=row.pk).update(caption="Bottle, front")
    second = make_image("Mặt sau")
    product.gallery_images.add(ProductImage(image=second, caption="Mặt sau", sort_order=1))
    product.save_revision().publish()

    captions = list(
        ProductPage.objects.get(pk=product_en.pk)
        .gallery_images.order_by("sort_order")
        .values_list("caption", "image")
    )
    assert captions == [("Bottle, front", row.image_id), ("Mặt sau", second.pk)]


def test_the_english_editor_shows_facts_it_cannot_change(producer_a, english, office_client):
    product_en = english[1]
    response = office_client.get(edit_url(product_en))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<input[^>]*name="price_vnd"[^>]*disabled', html)
    assert "are the same in every language" in html
    assert edit_url(producer_a.product) in html
    assert 'name="gallery_images-TOTAL_FORMS"' not in html

    data = edit_form_data(office_client, product_en, **{"action-publish": "1"})
    data["price_vnd"] = ["1"]
    data["title"] = ["Fish sauce A (new label)"]
    response = office_client.post(edit_url(product_en), data)

    assert response.status_code == 302
    product_en.refresh_from_db()
    assert (product_en.title, product_en.price_vnd) == ("Fish sauce A (new label)", 120000)
    assert product_en.gallery_images.count() == 1


def test_the_vietnamese_editor_is_unchanged(producer_a, english, office_client):
    html = office_client.get(edit_url(producer_a.product)).content.decode()
    assert not re.search(r'<input[^>]*name="price_vnd"[^>]*disabled', html)
    assert 'name="gallery_images-TOTAL_FORMS"' in html
    assert "are the same in every language" not in html


def test_an_office_decision_and_its_certificate_facts_are_one(producer_a, english):
    product, product_en = producer_a.product, english[1]
    product.ocop_certificates.add(
        OcopCertificate(
            stars=3,
            decision_number="12/QĐ-UBND",
            issuing_level="province",
            issuing_body="UBND tỉnh Quảng Nam",
            issue_date=datetime.date.today() - datetime.timedelta(days=40),
        )
    )
    product.save_revision().publish()
    english_row = ProductPage.objects.get(pk=product_en.pk).ocop_certificates.get()
    OcopCertificate.objects.filter(pk=english_row.pk).update(product_group="Food")
    product = ProductPage.objects.get(pk=product.pk)
    decisions.verify(product.ocop_certificates.get(), None)
    assert english_row.status == OcopCertificate.Status.PENDING
    english_row.refresh_from_db()
    assert english_row.status == OcopCertificate.Status.VERIFIED  # one decision
    product = ProductPage.objects.get(pk=product.pk)
    certificate = product.ocop_certificates.get()
    certificate.stars = 4
    product.ocop_certificates = [certificate]
    product.save_revision().publish()
    certificate.refresh_from_db()

    english_row = ProductPage.objects.get(pk=product_en.pk).ocop_certificates.get()
    assert (english_row.stars, english_row.product_group) == (4, "Food")
    # A changed fact needs the office's check again, in every language.
    assert english_row.status == certificate.status == OcopCertificate.Status.PENDING


class LiveModels:
    """The live models, under the names the data migration knew them by: OCOP
    certificates were products' then (see tests/test_model_moves.py for the move)."""

    def get_model(self, app_label: str, model_name: str):
        if (app_label, model_name) == ("products", "OcopCertificate"):
            return OcopCertificate
        return apps.get_model(app_label, model_name)


def test_existing_translations_are_migrated_to_the_vietnamese_facts(producer_a, english):
    """The data migration: English pages that drifted take the Vietnamese facts."""
    product, product_en = producer_a.product, english[1]
    producer_en = english[0]
    ProductPage.objects.filter(pk=product_en.pk).update(price_vnd=1, availability="seasonal")
    ProductImage.objects.filter(page=product_en).update(caption="Front")
    ProducerPage.objects.filter(pk=producer_en.pk).update(phone="", bank_bin="970436")
    migrations = {
        "products": "products.migrations.0004_share_facts_across_translations",
        "producers": "producers.migrations.0003_share_facts_across_translations",
    }
    for module in migrations.values():
        __import__(module, fromlist=["share_facts"]).share_facts(LiveModels(), None)

    product_en = ProductPage.objects.get(pk=product_en.pk)
    assert (product_en.price_vnd, product_en.availability) == (120000, "in_stock")
    assert list(product_en.gallery_images.values_list("image", "caption")) == [
        (product.gallery_images.get().image_id, "Front")
    ]
    producer_en = ProducerPage.objects.get(pk=producer_en.pk)
    assert (producer_en.phone, producer_en.bank_bin) == (producer_a.page.phone, "")


def test_shared_facts_are_declared_for_wagtail_localize():
    """Translators see facts in wagtail-localize's editor but cannot override them."""
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields

    for model in (ProductPage, ProducerPage, OcopCertificate):
        fields = {field.field_name: field for field in get_translatable_fields(model)}
        for name in model.shared_fields:
            if name == "sort_order":
                continue
            assert isinstance(fields[name], SynchronizedField), (model, name)
            assert not fields[name].overridable, (model, name)


def test_json_ld_of_both_languages_agree(producer_a, english):
    pages = [producer_a.product, english[1]]
    offers = []
    for page in pages:
        html = Client().get(url_of(page)).content.decode()
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        )
        graph = data.get("@graph", [data])
        offers.append(next(item["offers"] for item in graph if item.get("@type") == "Product"))
    assert offers[0]["price"] == offers[1]["price"]


def test_places_and_categories_share_their_facts(site):
    """Snippets too: a craft village's locality and image, a locality's order and active
    flag, a category's parent and group are set once, in Vietnamese."""
    locality = make_locality("Điện Phương", "dien-phuong")
    locality_en = translate_snippet(locality, name="Dien Phuong ward")
    elsewhere = make_locality("Điện Minh", "dien-minh")
    elsewhere_en = translate_snippet(elsewhere, name="Dien Minh ward")
    village = make_craft_village("Làng gốm Thanh Hà", "gom-thanh-ha", locality=locality)
    village_en = translate_snippet(village, name="Thanh Ha pottery village")
    assert village_en.locality == locality_en  # the copy's Vietnamese locality, translated

    picture = make_image("Làng gốm")
    village.locality, village.image = elsewhere, picture
    village.save()
    locality.active, locality.display_order = False, 9
    locality.save()

    village_en.refresh_from_db()
    locality_en.refresh_from_db()
    assert (village_en.locality, village_en.image, village_en.name) == (
        elsewhere_en,
        picture,
        "Thanh Ha pottery village",
    )
    assert (locality_en.active, locality_en.display_order) == (False, 9)

    group = ProductCategory.objects.get(slug="thu-cong-my-nghe", locale=vi())
    mats = ProductCategory.objects.create(
        name="Chiếu", slug="chieu", parent=group, ocop_group=4, locale=vi()
    )
    mats_en = translate_snippet(mats, name="Mats")
    assert mats_en.parent == group.get_translation(en())


def test_the_english_snippet_editor_shows_facts_it_cannot_change(site, office_client):
    locality = make_locality("Điện Phương", "dien-phuong")
    locality_en = translate_snippet(locality, name="Dien Phuong ward")
    url = reverse("wagtailsnippets_producers_locality:edit", args=[locality_en.pk])

    html = office_client.get(url).content.decode()

    assert re.search(r'<input[^>]*name="display_order"[^>]*disabled', html)
    assert "are the same in every language" in html
    response = office_client.post(
        url, {"name": "Dien Phuong", "slug": "dien-phuong", "kind": "commune", "display_order": 5}
    )
    assert response.status_code == 302
    locality_en.refresh_from_db()
    assert (locality_en.name, locality_en.kind, locality_en.active) == (
        "Dien Phuong",
        locality.kind,
        True,
    )
