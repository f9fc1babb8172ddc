"""Listing quality (issue 5): the checks, the completeness score, the office's report with
its exports, the dashboard panels and who sees what."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from marketplace.office.quality.checks import (
    MIN_SHORT_DESCRIPTION,
    ProducerQuality,
    completeness_score,
    listing_quality,
)
from producers.models import ProducerPage
from products.models import ProductImage, ProductPage
from tests.factories import en, make_image, make_locality, make_producer, make_product
from tests.producer_accounts_helpers import is_denied
from tests.public_pages_fixtures import translate_page

pytest_plugins = ["tests.producer_accounts_fixtures"]

TODAY = timezone.localdate()
RECENTLY = TODAY - datetime.timedelta(days=30)
LONG_AGO = TODAY - datetime.timedelta(days=5 * 365)
GOOD_SHORT_DESCRIPTION = "Nước mắm cá cơm truyền thống, ủ chượp mười hai tháng trong thùng gỗ mít."
REPORT_URL = "/admin/reports/listing-quality/"

# What a producer needs to pass every producer check (make_producer sets a phone).
COMPLETE_PRODUCER = {"summary": "Hợp tác xã làm nước mắm ở Điện Dương."}


def complete_producer(site, name: str | None = None, **fields) -> ProducerPage:
    fields = {"logo": make_image("Logo"), **COMPLETE_PRODUCER, **fields}
    producer = make_producer(site.producers, name, **fields)
    translate_page(producer, title=f"{producer.title} (EN)")
    return producer


def complete_product(producer: ProducerPage, **fields) -> ProductPage:
    fields.setdefault("short_description", GOOD_SHORT_DESCRIPTION)
    product = make_product(producer, **fields)
    translate_page(product)
    return product


def quality_of(producer: ProducerPage) -> ProducerQuality:
    (quality,) = listing_quality(ProducerPage.objects.filter(pk=producer.pk))
    return quality


def missing(page_quality) -> set[str]:
    return {check.key for check in page_quality.missing}


def product_quality(quality: ProducerQuality, product: ProductPage):
    return next(page for page in quality.products if page.page_id == product.pk)


# Producer checks


@pytest.mark.django_db
def test_a_complete_producer_misses_nothing(site):
    producer = complete_producer(site)
    quality = quality_of(producer)
    assert missing(quality.producer) == set()
    assert quality.producer.applicable == 4
    assert quality.score == 100


@pytest.mark.django_db
def test_producer_image_is_a_logo_or_a_cover_image(site):
    bare = make_producer(site.producers)
    cover = make_producer(site.producers, cover_image=make_image("Cover"))
    assert "image" in missing(quality_of(bare).producer)
    assert "image" not in missing(quality_of(cover).producer)


@pytest.mark.django_db
def test_producer_description_is_a_summary_or_a_story(site):
    blank = make_producer(site.producers, summary="   ")
    story = make_producer(site.producers, story=[("paragraph", "<p>Ba đời làm nước mắm.</p>")])
    summary = make_producer(site.producers, summary="Làm nước mắm từ 1950.")
    assert "description" in missing(quality_of(blank).producer)
    assert "description" not in missing(quality_of(story).producer)
    assert "description" not in missing(quality_of(summary).producer)


@pytest.mark.django_db
def test_producer_contact_is_a_phone_zalo_or_email(site):
    none = make_producer(site.producers, phone="")
    email = make_producer(site.producers, phone="", email="htx@example.com")
    zalo = make_producer(site.producers, phone="", zalo_phone="0905123457")
    assert "contact" in missing(quality_of(none).producer)
    assert "contact" not in missing(quality_of(email).producer)
    assert "contact" not in missing(quality_of(zalo).producer)


@pytest.mark.django_db
def test_producer_english_translation_must_be_live(site):
    producer = make_producer(site.producers)
    assert "english" in missing(quality_of(producer).producer)
    assert quality_of(producer).producer.english_page_id is None

    draft = producer.copy_for_translation(en())
    draft.save_revision()
    quality = quality_of(producer)
    assert "english" in missing(quality.producer)
    assert quality.producer.english_page_id == draft.pk

    draft.get_latest_revision().publish()
    assert "english" not in missing(quality_of(producer).producer)


@pytest.mark.django_db
def test_an_english_alias_is_not_a_translation(site):
    producer = make_producer(site.producers)
    producer.create_alias(parent=site.producers_en, update_locale=en(), update_slug="alias")
    assert "english" in missing(quality_of(producer).producer)


# Product checks


@pytest.mark.django_db
def test_a_complete_product_misses_nothing(site):
    producer = complete_producer(site)
    product = complete_product(producer, stars=4, certificate_issued=RECENTLY)
    page = product_quality(quality_of(producer), product)
    assert missing(page) == set()
    assert page.applicable == 5


@pytest.mark.django_db
def test_product_needs_a_gallery_image(site):
    producer = make_producer(site.producers)
    product = make_product(producer)
    assert "images" not in missing(product_quality(quality_of(producer), product))
    ProductImage.objects.filter(page=product).delete()
    assert "images" in missing(product_quality(quality_of(producer), product))


@pytest.mark.django_db
def test_product_description_is_a_body_or_a_long_enough_short_description(site):
    producer = make_producer(site.producers)
    short = make_product(producer, short_description="x" * (MIN_SHORT_DESCRIPTION - 1))
    # Surrounding spaces do not count.
    padded = make_product(
        producer, short_description=" " * 5 + "x" * (MIN_SHORT_DESCRIPTION - 1) + " " * 5
    )
    enough = make_product(producer, short_description="x" * MIN_SHORT_DESCRIPTION)
    body = make_product(
        producer, short_description="Ngắn.", body=[("paragraph", "<p>Cách làm.</p>")]
    )
    quality = quality_of(producer)
    assert "description" in missing(product_quality(quality, short))
    assert "description" in missing(product_quality(quality, padded))
    assert "description" not in missing(product_quality(quality, enough))
    assert "description" not in missing(product_quality(quality, body))


@pytest.mark.django_db
def test_price_on_request_counts_as_a_missing_price(site):
    producer = make_producer(site.producers)
    priced = make_product(producer)
    on_request = make_product(producer, price_vnd=None, price_on_request=True)
    quality = quality_of(producer)
    assert "price" not in missing(product_quality(quality, priced))
    assert "price" in missing(product_quality(quality, on_request))


@pytest.mark.django_db
def test_product_english_translation_must_be_live(site):
    producer = complete_producer(site)
    untranslated = make_product(producer)
    translated = complete_product(producer)
    quality = quality_of(producer)
    assert "english" in missing(product_quality(quality, untranslated))
    assert "english" not in missing(product_quality(quality, translated))


@pytest.mark.django_db
def test_certificate_check_applies_only_to_products_claiming_ocop(site):
    producer = make_producer(site.producers)
    no_claim = make_product(producer)
    valid = make_product(producer, stars=4, certificate_issued=RECENTLY)
    pending = make_product(
        producer, stars=4, certificate_issued=RECENTLY, certificate_status="pending"
    )
    revoked = make_product(
        producer, stars=3, certificate_issued=RECENTLY, certificate_status="revoked"
    )
    expired = make_product(producer, stars=3, certificate_issued=LONG_AGO)
    quality = quality_of(producer)

    unclaimed = product_quality(quality, no_claim)
    assert "certificate" not in {check.key for check in unclaimed.checked}
    assert unclaimed.applicable == 4
    assert "certificate" not in missing(product_quality(quality, valid))
    for product in (pending, revoked, expired):
        assert "certificate" in missing(product_quality(quality, product))
    assert quality.products_missing("certificate") == 3
    assert quality.products_checked("certificate") == 4


@pytest.mark.django_db
def test_only_live_products_of_the_producer_count(site):
    producer = make_producer(site.producers)
    other = make_producer(site.producers)
    live = make_product(producer)
    make_product(producer, publish=False)
    make_product(other)
    translate_page(producer)
    english = translate_page(live)
    quality = quality_of(producer)
    assert [page.page_id for page in quality.products] == [live.pk]
    assert english.pk not in {page.page_id for page in quality.products}


@pytest.mark.django_db
def test_english_producer_pages_are_not_listed(site):
    producer = complete_producer(site)
    assert [quality.producer.page_id for quality in listing_quality()] == [producer.pk]


# The score


def independent_score(producer: ProducerPage) -> int:
    """Each check computed page by page from the models, as a person would."""
    producer = ProducerPage.objects.get(pk=producer.pk)

    def english_live(page) -> bool:
        translation = page.get_translation_or_none(en())
        return translation is not None and translation.live and translation.alias_of_id is None

    results = [
        bool(producer.logo_id or producer.cover_image_id),
        bool(producer.summary.strip() or producer.story),
        bool(producer.phone or producer.zalo_phone or producer.email),
        english_live(producer),
    ]
    for product in ProductPage.objects.child_of(producer).live():
        results += [
            product.gallery_images.exists(),
            bool(product.body) or len(product.short_description.strip()) >= 60,
            product.price_vnd is not None,
            english_live(product),
        ]
        certificates = list(product.ocop_certificates.all())
        if certificates:
            results.append(product.valid_ocop_certificate() is not None)
    return int(100 * sum(results) / len(results))


@pytest.mark.django_db
def test_score_matches_an_independent_computation(site):
    producer = make_producer(site.producers, logo=make_image("Logo"))
    translate_page(producer)
    complete_product(producer, stars=5, certificate_issued=RECENTLY)
    make_product(producer, price_vnd=None, price_on_request=True)
    make_product(producer, stars=3, certificate_issued=LONG_AGO)
    no_image = make_product(producer, short_description=GOOD_SHORT_DESCRIPTION)
    ProductImage.objects.filter(page=no_image).delete()
    make_product(producer, publish=False)

    quality = quality_of(producer)
    # Producer 3/4 (no description); products 5/5, 1/4, 2/5, 2/4.
    assert quality.score == independent_score(producer) == 100 * 13 // 22
    assert completeness_score(quality) == quality.score


@pytest.mark.django_db
def test_score_of_a_producer_without_products_is_its_own_checks(site):
    producer = make_producer(site.producers, logo=make_image("Logo"))
    assert quality_of(producer).score == independent_score(producer) == 50


@pytest.mark.django_db
def test_query_count_does_not_grow_with_products(site):
    producers = [make_producer(site.producers) for _ in range(2)]
    for producer in producers:
        translate_page(producer)
        make_product(producer, stars=4, certificate_issued=RECENTLY)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            listing_quality()
        return len(context)

    few = queries()
    for producer in producers:
        for _ in range(4):
            complete_product(producer, stars=3, certificate_issued=RECENTLY)
    producers.append(make_producer(site.producers))
    assert queries() == few


# The office's report


@pytest.fixture
def report_catalogue(site):
    """Two localities; producers with known scores."""
    north = make_locality("Điện Nam Bắc", "dien-nam-bac")
    south = make_locality("Điện Nam Trung", "dien-nam-trung")
    complete = complete_producer(site, "A Hoàn chỉnh", locality=north)
    complete_product(complete, stars=4, certificate_issued=RECENTLY)
    weak = make_producer(site.producers, "B Thiếu nhiều", locality=north)
    make_product(weak, price_vnd=None, price_on_request=True)
    make_product(weak, stars=3, certificate_issued=LONG_AGO)
    middle = make_producer(site.producers, "C Ở giữa", locality=south, logo=make_image("L"))
    translate_page(middle)
    complete_product(middle)
    return {"north": north, "south": south, "complete": complete, "weak": weak, "middle": middle}


def expected_row(producer: ProducerPage) -> dict:
    products = list(ProductPage.objects.child_of(producer).live())
    return {
        "score": independent_score(producer),
        "products": len(products),
        "price": sum(product.price_vnd is None for product in products),
        "certificate": sum(
            product.ocop_certificates.exists() and product.valid_ocop_certificate() is None
            for product in products
        ),
        "english": sum(product.get_translation_or_none(en()) is None for product in products),
    }


def report_rows(client, **params) -> list[dict]:
    response = client.get(REPORT_URL, {"export": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


@pytest.mark.django_db
def test_report_lists_producers_worst_first_with_their_numbers(office_client, report_catalogue):
    response = office_client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    for name in ("complete", "weak", "middle"):
        producer = report_catalogue[name]
        assert reverse("wagtailadmin_pages:edit", args=[producer.pk]) in html
        assert reverse("listing_quality_producer", args=[producer.pk]) in html

    rows = report_rows(office_client)
    assert [row["Producer"] for row in rows] == ["B Thiếu nhiều", "C Ở giữa", "A Hoàn chỉnh"]
    for row in rows:
        producer = ProducerPage.objects.get(title=row["Producer"], locale__language_code="vi")
        expected = expected_row(producer)
        assert int(row["Score"]) == expected["score"]
        assert int(row["Live products"]) == expected["products"]
        assert int(row["Products missing: Price"]) == expected["price"]
        assert int(row["Products missing: Valid OCOP certificate"]) == expected["certificate"]
        assert int(row["Products missing: English translation"]) == expected["english"]
    weak = rows[0]
    assert weak["Locality"] == "Điện Nam Bắc"
    assert weak["Missing on the producer page"] == (
        "Logo or cover image, Description, English translation"
    )


@pytest.mark.django_db
def test_report_xlsx_matches_the_csv(office_client, report_catalogue):
    response = office_client.get(REPORT_URL, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    csv_rows = report_rows(office_client)
    assert list(sheet_rows[0]) == list(csv_rows[0])
    # Empty cells read back as None; numbers stay numbers in the workbook.
    assert [["" if value is None else str(value) for value in row] for row in sheet_rows[1:]] == [
        list(row.values()) for row in csv_rows
    ]


@pytest.mark.django_db
def test_report_filters_by_locality_and_score(office_client, report_catalogue):
    south = report_catalogue["south"]
    assert [row["Producer"] for row in report_rows(office_client, locality=south.pk)] == [
        "C Ở giữa"
    ]
    scores = {
        name: independent_score(report_catalogue[name]) for name in ("complete", "weak", "middle")
    }
    below = scores["middle"] + 1
    expected = sorted(name for name, score in scores.items() if score < below)
    rows = report_rows(office_client, score_below=below)
    assert len(rows) == len(expected) == 2
    assert all(int(row["Score"]) < below for row in rows)
    html = office_client.get(REPORT_URL, {"score_below": below}).content.decode()
    assert "A Hoàn chỉnh" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{"score_below": "abc"}, {"score_below": "-4"}, {"locality": "999999"}, {"p": "x"}]
)
def test_report_survives_bad_input(office_client, report_catalogue, params):
    response = office_client.get(REPORT_URL, params)
    assert response.status_code == 200
    response = office_client.get(REPORT_URL + "results/", params)
    assert response.status_code == 200


@pytest.mark.django_db
def test_report_query_count_does_not_grow_with_products(office_client, report_catalogue):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = office_client.get(REPORT_URL, {"export": "csv"})
            b"".join(response.streaming_content)
        return len(context)

    few = queries()
    for _ in range(5):
        make_product(report_catalogue["weak"])
    assert queries() == few


# Who sees what


@pytest.mark.django_db
def test_producer_cannot_open_the_report(producer_a):
    assert is_denied(producer_a.client.get(REPORT_URL))
    assert is_denied(producer_a.client.get(REPORT_URL, {"export": "csv"}))
    assert is_denied(producer_a.client.get(REPORT_URL + "results/"))
    dashboard = producer_a.client.get(reverse("wagtailadmin_home")).content.decode()
    assert REPORT_URL not in dashboard


@pytest.mark.django_db
def test_producer_sees_only_their_own_panel(producer_a, producer_b):
    response = producer_a.client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="listing-quality-section"' in html
    assert 'id="listing-quality-summary-section"' not in html
    assert producer_a.page.title in html
    assert producer_b.page.title not in html
    assert producer_b.product.title not in html

    quality = quality_of(producer_a.page)
    assert f"{quality.score} / 100" in html
    # Each item links to the page that fixes it.
    assert reverse("wagtailadmin_pages:edit", args=[producer_a.product.pk]) in html
    assert "Translate the page into English and publish it." in html


@pytest.mark.django_db
def test_producer_opens_only_their_own_details(producer_a, producer_b):
    own = producer_a.client.get(reverse("listing_quality_producer", args=[producer_a.page.pk]))
    assert own.status_code == 200
    assert producer_a.product.title in own.content.decode()
    other = producer_a.client.get(reverse("listing_quality_producer", args=[producer_b.page.pk]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_office_sees_the_lowest_scores(office_client, report_catalogue):
    html = office_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="listing-quality-summary-section"' in html
    assert 'id="listing-quality-section"' not in html
    assert "B Thiếu nhiều" in html
    assert REPORT_URL in html
    details = office_client.get(
        reverse("listing_quality_producer", args=[report_catalogue["weak"].pk])
    )
    assert details.status_code == 200
    assert "Show a price instead of “price on request”." in details.content.decode()


@pytest.mark.django_db
def test_the_english_fix_links_to_the_translation_when_there_is_one(producer_a, site):
    draft = producer_a.page.copy_for_translation(en())
    draft.save_revision()
    html = producer_a.client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in html
