"""The public verification page of an OCOP certificate, its QR code and printable label."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from marketplace.certificates import decisions
from marketplace.certificates.models import OcopCertificate
from marketplace.core.page_cache import bump_generation
from tests.factories import make_document, make_producer, make_product
from tests.public_pages_fixtures import translate_page
from tests.test_qr import decode_png, decode_svg

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUED = datetime.date(2024, 3, 1)
EXPIRY = datetime.date(2027, 2, 28)  # 36 months after ISSUED, the last valid day


def at(day: datetime.date, hour: int = 9):
    """Travel to `day` in the town's time zone."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False
    )


def page_url(key, language: str = "vi", name: str = "detail") -> str:
    with translation.override(language):
        return reverse(f"certificates:{name}", kwargs={"key": key})


@pytest.fixture
def producer(site):
    return make_producer(site.producers, "HTX Nước mắm Cửa Đại", email="htx@example.com")


@pytest.fixture
def product(producer):
    return make_product(producer, title="Nước mắm cá cơm", stars=4, certificate_issued=ISSUED)


@pytest.fixture
def certificate(product) -> OcopCertificate:
    certificate = product.ocop_certificates.get()
    assert certificate.expiry_date == EXPIRY
    return certificate


@pytest.fixture
def english(site, producer, product):
    """The producer and product in English; the certificate is copied with the product."""
    translate_page(producer)
    return translate_page(product, title="Anchovy fish sauce")


def get(client, key, language="vi"):
    return client.get(page_url(key, language))


def test_valid_certificate_in_vietnamese(client, certificate, product, producer):
    with at(datetime.date(2025, 6, 1)):
        response = get(client, certificate.translation_key)

    assert response.status_code == 200
    html = response.content.decode()
    assert "certificate-verdict--valid" in html
    assert "Nước mắm cá cơm" in html and product.url in html
    assert "HTX Nước mắm Cửa Đại" in html and producer.url in html
    assert certificate.decision_number in html
    assert "UBND tỉnh Quảng Nam" in html
    assert "★★★★" in html
    assert response.context["found"].status == "valid"
    assert response.context["found"].product == product
    # Public proof: no personal data, no noindex.
    assert "noindex" not in html
    assert "htx@example.com" not in html and producer.phone not in html


def test_valid_certificate_in_english_links_the_english_product(client, certificate, english):
    with at(datetime.date(2025, 6, 1)):
        response = get(client, certificate.translation_key, "en")

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["found"].product.pk == english.pk
    assert "Anchovy fish sauce" in html and english.url in html
    assert 'lang="en"' in html
    # The language switcher leads to the same certificate in Vietnamese.
    assert f'href="{page_url(certificate.translation_key, "vi")}"' in html


def test_english_page_falls_back_to_the_vietnamese_product(client, certificate, product):
    response = get(client, certificate.translation_key, "en")

    assert response.status_code == 200
    assert response.context["found"].product.pk == product.pk


def test_expiring_certificate(client, certificate):
    with at(EXPIRY - datetime.timedelta(days=45)):
        response = get(client, certificate.translation_key)

    assert response.context["found"].status == "expiring"
    assert "certificate-verdict--expiring" in response.content.decode()
    assert response.context["found"].days_left == 45


def test_expired_the_day_after_its_last_valid_day_without_anyone_acting(
    client, certificate, product
):
    with at(EXPIRY, hour=23):
        last_day = get(client, certificate.translation_key)
        product_page = client.get(product.url)
    with at(EXPIRY + datetime.timedelta(days=1), hour=0):
        next_day = get(client, certificate.translation_key)
        product_page_after = client.get(product.url)

    assert last_day.context["found"].status == "expiring"
    assert product_page.context["ocop_certificate"] == certificate
    assert next_day.context["found"].status == "expired"
    assert "certificate-verdict--expired" in next_day.content.decode()
    assert not product_page_after.context["ocop_certificate"]  # lazy: None, once read
    assert 'class="ocop-badge"' not in product_page_after.content.decode()


def test_revoked_certificate_says_so_with_reason_and_date(client, certificate):
    with at(datetime.date(2025, 6, 1)):
        decisions.revoke(certificate, None, "Không đạt khi đánh giá lại năm 2025.")
    with at(datetime.date(2025, 7, 1)):
        vi = get(client, certificate.translation_key)
        en = get(client, certificate.translation_key, "en")

    assert vi.status_code == en.status_code == 200
    assert vi.context["found"].status == "revoked"
    assert vi.context["found"].revoked_on == datetime.date(2025, 6, 1)
    html = en.content.decode()
    assert "certificate-verdict--revoked" in html
    assert "Revoked: this certificate is no longer valid" in html
    assert "Không đạt khi đánh giá lại năm 2025." in html
    assert "June 1, 2025" in html or "1 June 2025" in html


def test_revocation_reason_is_escaped(client, certificate):
    decisions.revoke(certificate, None, "<script>alert(1)</script>")

    html = get(client, certificate.translation_key).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_pending_and_rejected_certificates_have_no_page(client, producer, status):
    product = make_product(producer, stars=3, certificate_status=status)
    key = product.ocop_certificates.get().translation_key

    assert get(client, key).status_code == 404
    assert get(client, key, "en").status_code == 404
    assert client.get(page_url(key, "vi", "qr_png")).status_code == 404
    assert client.get(page_url(key, "vi", "label")).status_code == 404


def test_unknown_and_malformed_keys_are_404(client, certificate):
    assert get(client, uuid.uuid4()).status_code == 404
    for path in (
        "/vi/chung-nhan/not-a-uuid/",
        "/en/certificates/12345/",
        f"/vi/chung-nhan/{certificate.translation_key}x/",
        "/vi/chung-nhan/%00/",
    ):
        assert client.get(path).status_code == 404, path


def test_certificate_of_an_unpublished_product_has_no_page(client, certificate, product):
    product.unpublish()

    assert get(client, certificate.translation_key).status_code == 404


def test_scanned_decision_only_when_the_office_allows_it(client, producer):
    product = make_product(producer, stars=3, certificate_status="pending")
    certificate = product.ocop_certificates.get()
    document = make_document()
    OcopCertificate.objects.filter(pk=certificate.pk).update(document=document)
    certificate.refresh_from_db()
    decisions.verify(certificate, None, show_document=False)

    hidden = get(client, certificate.translation_key).content.decode()
    hidden_on_product = client.get(product.url).content.decode()
    certificate.refresh_from_db()
    OcopCertificate.objects.filter(pk=certificate.pk).update(document_public=True)
    bump_generation()  # a bare UPDATE, which no code of the site makes: pages kept are stale
    shown = get(client, certificate.translation_key).content.decode()
    shown_on_product = client.get(product.url).content.decode()

    assert document.url not in hidden and document.url not in hidden_on_product
    assert document.url in shown and document.url in shown_on_product


def test_product_page_links_its_certificates_to_their_verification_pages(
    client, certificate, product, english
):
    vi = client.get(product.url).content.decode()
    en = client.get(english.url).content.decode()

    assert f'href="{page_url(certificate.translation_key, "vi")}"' in vi
    assert f'href="{page_url(certificate.translation_key, "vi", "label")}"' in vi
    assert f'href="{page_url(certificate.translation_key, "en")}"' in en


def test_product_page_marks_a_revoked_certificate(client, certificate, product):
    decisions.revoke(certificate, None, "Không đạt.")

    html = client.get(product.url).content.decode()

    assert "status--expired" in html
    assert f'href="{page_url(certificate.translation_key, "vi")}"' in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_qr_codes_encode_the_absolute_url_of_the_page(
    client, certificate, language, public_address
):
    key = certificate.translation_key
    expected = public_address + page_url(key, language)

    png = client.get(page_url(key, language, "qr_png"))
    svg = client.get(page_url(key, language, "qr_svg"))

    assert png.status_code == svg.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert svg["Content-Type"] == "image/svg+xml"
    assert png["Content-Disposition"].startswith("inline;")
    assert decode_png(png.content) == [expected]
    assert decode_svg(svg.content.decode()) == [expected]


def test_printable_label_shows_the_qr_code_stars_and_decision(client, certificate):
    key = certificate.translation_key

    response = client.get(page_url(key, "vi", "label"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'src="{page_url(key, "vi", "qr_svg")}"' in html
    assert "★★★★" in html
    assert certificate.decision_number in html
    assert "@media print" not in html  # the print rules live in the stylesheet
    assert "certificates/certificate.css" in html
