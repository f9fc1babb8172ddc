"""The tracking page: status, items, the producer's messages, for whoever has the link."""

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from marketplace.inquiries.models import Inquiry, StatusChange
from marketplace.inquiries.status import change_status
from producers.models import ProducerPage
from tests.inquiry_builders import group, submit
from tests.inquiry_helpers import url

pytest_plugins = ["tests.inquiry_fixtures"]

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def inquiry(shop) -> Inquiry:
    """A's inquiry for 2 bottles of rice wine and a mat priced on request."""
    result = submit(
        group(shop.producer_a, (shop.rice_wine, 2), (shop.mat, 1)),
        message=f"Giao trước Tết nhé {SCRIPT}",
        delivery_province_code=48,
        delivery_province_name="Thành phố Đà Nẵng",
        delivery_ward_code=20579,
        delivery_ward_name="Phường Điện Bàn Đông",
    )
    return result.submission.inquiries.get()


def html(response) -> str:
    return response.content.decode()


def test_the_tracking_page_shows_the_inquiry(inquiry, client):
    response = client.get(url("track", token=inquiry.token))

    assert response.status_code == 200
    page = html(response)
    assert f"Yêu cầu đặt hàng {inquiry.reference}" in page
    assert "Gửi HTX Rượu Gò Nổi" in page
    assert "Nhà sản xuất đã nhận được yêu cầu của bạn và sẽ sớm liên hệ" in page
    assert f'<a href="{inquiry.items.first().product.url}">Rượu nếp Gò Nổi</a>' in page
    assert "2 × chai" in page
    assert "240.000 ₫" in page
    assert "Giá liên hệ" in page
    assert "Phường Điện Bàn Đông, Thành phố Đà Nẵng" in page


def test_the_tracking_page_is_private(inquiry, client):
    # The producer's own number is shown (tap to call): not the consumer's.
    ProducerPage.objects.filter(pk=inquiry.producer_id).update(phone="+842353867123")
    response = client.get(url("track", token=inquiry.token))

    assert '<meta name="robots" content="noindex">' in html(response)
    assert response["X-Robots-Tag"] == "noindex"
    # The token never leaves for another site; the page's own forms still carry an Origin.
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    # Nothing the consumer did not write themselves beyond what it needs: no phone, no name.
    assert "0905" not in html(response)
    assert "+84905123456" not in html(response)
    assert "Nguyễn Thị Lan" not in html(response)


@pytest.mark.parametrize("token", ["wrong", "x" * 500, "%20"])
def test_a_wrong_token_is_not_found(inquiry, client, token):
    assert client.get(f"/vi/yeu-cau/{token}/").status_code == 404


def test_html_in_the_message_and_notes_is_shown_as_text(inquiry, client):
    change_status(inquiry, Inquiry.Status.CONTACTED, note=f"Đã gọi {SCRIPT}")

    page = html(client.get(url("track", token=inquiry.token)))

    assert SCRIPT not in page
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 2


def test_the_producers_messages_form_a_timeline(inquiry, client):
    change_status(inquiry, Inquiry.Status.CONTACTED, note="Đã gọi điện cho chị.")
    change_status(
        inquiry,
        Inquiry.Status.CONFIRMED,
        note="Giao ngày 20, phí ship 30.000 ₫.",
        amount_vnd=300000,
    )
    StatusChange.objects.create(
        inquiry=inquiry,
        from_status="confirmed",
        to_status="confirmed",
        note="Internal: check stock",
        visible_to_consumer=False,
    )

    page = html(client.get(url("track", token=inquiry.token)))

    timeline = page.split('id="timeline-heading"')[1]
    assert timeline.index("Đã gọi điện cho chị.") < timeline.index("Giao ngày 20, phí ship")
    assert "Internal: check stock" not in page
    assert 'Số tiền cần thanh toán: <span class="price">300.000 ₫</span>' in page
    assert "Nhà sản xuất đã xác nhận đơn hàng và số tiền cuối cùng." in page


def test_a_confirmed_amount_renegotiated_is_no_longer_shown(inquiry, client):
    change_status(inquiry, Inquiry.Status.CONFIRMED, note="300.000 ₫", amount_vnd=300000)
    change_status(inquiry, Inquiry.Status.CONTACTED, note="Đổi số lượng.")

    page = html(client.get(url("track", token=inquiry.token)))

    assert "Số tiền cần thanh toán" not in page


def test_a_declined_inquiry_explains_itself(inquiry, client):
    change_status(inquiry, Inquiry.Status.DECLINED, note="Hết hàng đến tháng sau.")

    page = html(client.get(url("track", token=inquiry.token)))

    assert "Nhà sản xuất không thể nhận đơn hàng này." in page
    assert "Hết hàng đến tháng sau." in page


def test_the_english_tracking_page(shop_en, client):
    result = submit(group(shop_en.producer_a, (shop_en.rice_wine, 1)), language="en")
    inquiry = result.submission.inquiries.get()

    page = html(client.get(url("track", "en", token=inquiry.token)))

    assert f"Order inquiry {inquiry.reference}" in page
    assert "To HTX Rượu Gò Nổi EN" in page
    assert "The producer has received your inquiry" in page


def test_an_anonymised_inquiry_shows_no_personal_details(inquiry, client):
    Inquiry.objects.filter(pk=inquiry.pk).update(
        anonymised_at=timezone.now(), message="", delivery_address=""
    )

    page = html(client.get(url("track", token=inquiry.token)))

    assert "Thông tin cá nhân của bạn trong yêu cầu này đã được xóa" in page
    assert "Giao trước Tết" not in page


def test_anyone_with_the_link_can_follow_it(inquiry):
    assert Client().get(url("track", token=inquiry.token)).status_code == 200


@pytest.mark.parametrize(
    ("language", "text"),
    [("vi", "sẽ được xóa sau 24 tháng"), ("en", "are deleted 24 months later")],
)
def test_the_privacy_notice(site, client, language, text):
    response = client.get(url("privacy", language))

    assert response.status_code == 200
    assert text in html(response)


def test_the_producer_can_be_called_and_written_to(inquiry, client):
    ProducerPage.objects.filter(pk=inquiry.producer_id).update(
        phone="+842353867123", zalo_phone="", whatsapp_phone="+84905111222", email="a@example.com"
    )

    page = html(client.get(url("track", token=inquiry.token)))

    assert 'href="tel:+842353867123"' in page
    assert "0235 3867 123" in page
    # No Zalo number given: Zalo is tried on the phone number.
    assert 'href="https://zalo.me/842353867123"' in page
    assert 'href="https://wa.me/84905111222"' in page
    assert f'href="mailto:a@example.com?subject={inquiry.reference}"' in page


def test_whatsapp_only_where_the_producer_gives_a_number(inquiry, client):
    ProducerPage.objects.filter(pk=inquiry.producer_id).update(zalo_phone="+84905111333")

    page = html(client.get(url("track", token=inquiry.token)))

    assert 'href="https://zalo.me/84905111333"' in page
    assert "wa.me" not in page


def test_the_products_link_to_their_pages_in_the_inquirys_language(shop_en, client):
    result = submit(
        group(shop_en.producer_a, (shop_en.rice_wine, 1), (shop_en.mat, 1)), language="en"
    )
    inquiry = result.submission.inquiries.get()
    rice_wine_en = shop_en.rice_wine.get_translation(Locale.objects.get(language_code="en"))

    page = html(client.get(url("track", "en", token=inquiry.token)))

    assert f'<a href="{rice_wine_en.url}">' in page
    # The mat has no English page: no link, its name as sent.
    assert "Chiếu cói</th>" in page


def test_an_unpublished_product_is_no_longer_linked(inquiry, shop, client):
    product_url = shop.rice_wine.url
    shop.rice_wine.unpublish()

    page = html(client.get(url("track", token=inquiry.token)))

    assert "Rượu nếp Gò Nổi</th>" in page
    assert f'href="{product_url}"' not in page


def test_each_cell_says_what_it_is_on_a_phone(inquiry, client):
    page = html(client.get(url("track", "en", token=inquiry.token)))

    assert '<td class="number" data-label="Quantity">2 × chai</td>' in page
    assert 'data-label="Estimated"' in page
