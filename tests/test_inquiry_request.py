"""The request form: one inquiry per producer on submit, and every way it can go wrong."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from marketplace.inquiries.models import Inquiry, InquiryItem, Submission
from tests.inquiry_helpers import fill, form_key, list_quantities, messages_of, request_data, url

pytest_plugins = ["tests.inquiry_fixtures"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_list(shop, client):
    """Two products of producer A (one priced on request) and one of producer B."""
    fill(client, (shop.rice_wine, 2), (shop.mat, 1), (shop.fish_sauce, 5))
    return shop


def html(response) -> str:
    return response.content.decode()


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def nothing_stored() -> bool:
    return not Submission.objects.exists() and not Inquiry.objects.exists()


# The form page


def test_an_empty_list_has_no_form(site, client):
    response = client.get(url("send"))

    assert response.url == url("list")
    assert messages_of(client.get(response.url)) == [
        "Danh sách hỏi mua của bạn đang trống: hãy thêm sản phẩm trước."
    ]


def test_the_form_says_what_goes_to_whom(full_list, client):
    response = client.get(url("send"))

    assert response.status_code == 200
    page = html(response)
    assert "Yêu cầu của bạn được gửi đến 2 nhà sản xuất" in page
    assert "Gửi HTX Rượu Gò Nổi" in page
    assert "Gửi Cơ sở Nước mắm Cửa Đại" in page
    assert '2 × chai — Rượu nếp Gò Nổi: <span class="price">240.000 ₫</span>' in page
    assert "1 × chiếc — Chiếu cói: Giá liên hệ" in page
    assert f'href="{url("privacy")}"' in page
    assert '<meta name="robots" content="noindex">' in page
    # The honeypot is out of sight and out of reach of the keyboard and screen readers.
    assert re.search(r'<div class="form-trap" aria-hidden="true">', page)
    assert 'name="website" autocomplete="off" tabindex="-1"' in page


# Submitting


def test_submitting_makes_one_inquiry_per_producer(
    full_list, client, django_capture_on_commit_callbacks
):
    shop = full_list
    key = form_key(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send"), request_data(key, shop))

    assert response.status_code == 302
    assert response.url == url("sent", key=key)
    submission = Submission.objects.get(key=key)
    first, second = submission.inquiries.order_by("pk")
    assert (first.producer, second.producer) == (shop.producer_a, shop.producer_b)
    assert re.fullmatch(rf"DB-{timezone.localdate().year}-\d{{6}}", first.reference)
    assert first.reference != second.reference
    assert first.token != second.token
    for inquiry in (first, second):
        assert inquiry.status == Inquiry.Status.NEW
        assert inquiry.language == "vi"
        assert inquiry.name == "Nguyễn Thị Lan"
        assert inquiry.phone == "+84905123456"
        assert inquiry.channel == Inquiry.Channel.ZALO
        assert (inquiry.delivery_province_code, inquiry.delivery_ward_code) == (48, 20587)
        assert inquiry.full_delivery_address == "12 Trần Phú, Xã Gò Nổi, Thành phố Đà Nẵng"
        assert inquiry.consent_at is not None
    assert [
        (item.product, item.product_title, item.unit, item.unit_price_vnd, item.quantity)
        for item in InquiryItem.objects.filter(inquiry__submission=submission).order_by("pk")
    ] == [
        (shop.rice_wine, "Rượu nếp Gò Nổi", "chai", 120000, 2),
        (shop.mat, "Chiếu cói", "chiếc", None, 1),
        (shop.fish_sauce, "Nước mắm nhĩ", "chai", 50000, 5),
    ]
    # The list is done with; the producers and the consumer are told.
    assert list_quantities(client) == {}
    recipients = [address for message in mail.outbox for address in message.to]
    assert "lan@example.com" in recipients


def test_the_confirmation_lists_the_references_with_their_tracking_links(full_list, client):
    key = form_key(client)
    response = client.post(url("send"), request_data(key, full_list), follow=True)

    page = html(response)
    assert "Cảm ơn bạn: yêu cầu đã được gửi" in page
    for inquiry in Inquiry.objects.all():
        assert f"<strong>{inquiry.reference}</strong>" in page
        assert f'href="http://testserver{url("track", token=inquiry.token)}"' in page
    assert "Chúng tôi cũng đã gửi các đường dẫn này đến lan@example.com." in page
    assert response["X-Robots-Tag"] == "noindex"


def test_items_keep_the_price_they_were_sent_with(full_list, client):
    client.post(url("send"), request_data(form_key(client), full_list))

    full_list.rice_wine.price_vnd = 150000
    full_list.rice_wine.save_revision().publish()

    item = InquiryItem.objects.get(product_title="Rượu nếp Gò Nổi")
    assert item.unit_price_vnd == 120000


def test_sending_the_same_form_twice_sends_it_once(full_list, client):
    key = form_key(client)
    data = request_data(key, full_list)

    first = client.post(url("send"), data)
    second = client.post(url("send"), data)

    assert first.url == second.url == url("sent", key=key)
    assert Submission.objects.count() == 1
    assert Inquiry.objects.count() == 2
    assert client.get(second.url).status_code == 200


def test_a_form_key_from_another_session_is_refused(full_list, client):
    other = Client()
    fill(other, (full_list.rice_wine, 1))
    foreign_key = form_key(other)

    response = client.post(url("send"), request_data(foreign_key, full_list))

    assert response.status_code == 200
    assert errors_of(response) == {
        "key": [
            "Biểu mẫu này đã hết hạn nên chưa có gì được gửi. Vui lòng kiểm tra lại thông tin "
            "và gửi lại biểu mẫu."
        ]
    }
    assert nothing_stored()
    # The form comes back filled in, with a key of this session: sending it again works.
    new_key = response.context["form_key"]
    assert new_key != foreign_key
    assert 'value="Nguyễn Thị Lan"' in html(response)
    assert client.post(url("send"), request_data(new_key, full_list)).status_code == 302
    assert Inquiry.objects.count() == 2


def test_a_made_up_form_key_is_refused(full_list, client):
    response = client.post(url("send"), request_data("made-up", full_list))

    assert "key" in errors_of(response)
    assert nothing_stored()


def test_the_honeypot_stores_nothing_but_looks_normal(full_list, client):
    response = client.post(
        url("send"), request_data(form_key(client), full_list, website="http://spam.example")
    )

    assert response.status_code == 200
    assert "Cảm ơn bạn: yêu cầu đã được gửi" in html(response)
    assert nothing_stored()
    assert mail.outbox == []


def test_pick_up_needs_no_address_and_keeps_none(full_list, client):
    data = request_data(
        form_key(client), full_list, delivery="pick_up", delivery_ward="", delivery_address="x"
    )

    client.post(url("send"), data)

    inquiry = Inquiry.objects.first()
    assert (inquiry.delivery, inquiry.delivery_ward_code, inquiry.delivery_address) == (
        "pick_up",
        None,
        "",
    )
    assert inquiry.delivery_province_code is None


def test_a_wished_for_date_today_or_later(full_list, client):
    today = timezone.localdate()
    client.post(url("send"), request_data(form_key(client), full_list, wished_date=today))

    assert Inquiry.objects.first().wished_date == today


def test_phone_numbers_as_people_type_them(full_list, client):
    client.post(url("send"), request_data(form_key(client), full_list, phone="+84 905.123.456"))

    assert Inquiry.objects.first().phone == "+84905123456"


TOMORROW_LAST_YEAR = (timezone.localdate() - datetime.timedelta(days=364)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"name": "   "}, {"name": ["Vui lòng nhập họ và tên."]}),
        ({"phone": ""}, {"phone": ["Vui lòng nhập số điện thoại."]}),
        ({"name": "L" * 101}, {"name": ["Vui lòng rút gọn còn tối đa 100 ký tự (hiện có 101)."]}),
        (
            {"message": "x" * 2001},
            {"message": ["Vui lòng rút gọn còn tối đa 2000 ký tự (hiện có 2001)."]},
        ),
        (
            {"delivery_address": "x" * 256},
            {"delivery_address": ["Vui lòng rút gọn còn tối đa 255 ký tự (hiện có 256)."]},
        ),
        (
            {"phone": "12345"},
            {"phone": ["Nhập số điện thoại Việt Nam, ví dụ 0905 123 456."]},
        ),
        (
            {"phone": "+84 123"},
            {"phone": ["Nhập số điện thoại Việt Nam, ví dụ 0905 123 456."]},
        ),
        (
            {"channel": "email", "email": ""},
            {"email": ["Vui lòng nhập địa chỉ email để được liên hệ qua email."]},
        ),
        (
            {"channel": "pigeon"},
            {
                "channel": [
                    "Hãy chọn một lựa chọn hợp lệ. "
                    "pigeon không phải là một trong các lựa chọn khả thi."
                ]
            },
        ),
        (
            {"delivery_ward": "", "delivery_address": ""},
            {
                "delivery_ward": ["Vui lòng chọn phường hoặc xã giao hàng."],
                "delivery_address": ["Vui lòng nhập địa chỉ giao hàng."],
            },
        ),
        (
            {"wished_date": TOMORROW_LAST_YEAR},
            {"wished_date": ["Vui lòng chọn hôm nay hoặc một ngày sau đó."]},
        ),
        (
            {"wished_date": "2999-01-01"},
            {"wished_date": ["Vui lòng chọn một ngày trong vòng mười hai tháng tới."]},
        ),
        ({"wished_date": "tomorrow"}, {"wished_date": ["Nhập một ngày hợp lệ."]}),
        (
            {"consent": ""},
            {
                "consent": [
                    "Vui lòng đồng ý chia sẻ thông tin: "
                    "nhà sản xuất cần thông tin này để trả lời bạn."
                ]
            },
        ),
    ],
)
def test_bad_input_is_refused_with_clear_messages(full_list, client, overrides, errors):
    response = client.post(url("send"), request_data(form_key(client), full_list, **overrides))

    assert response.status_code == 200
    assert errors_of(response) == errors
    assert nothing_stored()
    assert "Vui lòng kiểm tra lại biểu mẫu" in html(response)
    assert list_quantities(client)


def test_a_ward_code_of_no_ward_is_refused(full_list, client):
    data = request_data(form_key(client), full_list, delivery_ward="99999")

    response = client.post(url("send"), data)

    assert list(errors_of(response)) == ["delivery_ward"]
    assert nothing_stored()


def test_a_product_whose_minimum_rose_meanwhile_goes_back_to_the_list(full_list, client):
    key = form_key(client)
    full_list.rice_wine.minimum_order_quantity = 10
    full_list.rice_wine.save_revision().publish()

    response = client.post(url("send"), request_data(key, full_list))

    assert response.url == url("list")
    assert messages_of(client.get(response.url)) == [
        "Rượu nếp Gò Nổi được bán từ 10 đơn vị (chai) trở lên."
    ]
    assert nothing_stored()


def test_the_list_emptied_in_another_tab(full_list, client):
    key = form_key(client)
    for product in (full_list.rice_wine, full_list.mat, full_list.fish_sauce):
        client.post(url("remove"), {"product": product.pk})

    response = client.post(url("send"), request_data(key, full_list))

    assert response.url == url("list")
    assert nothing_stored()


def test_english_form(shop_en, client):
    fill(client, (shop_en.rice_wine, 1))
    page = client.get(url("send", "en"))
    assert "Your request goes to 1 producer" in html(page)
    assert "To HTX Rượu Gò Nổi EN" in html(page)

    bad = client.post(
        url("send", "en"), request_data(form_key(client, "en"), shop_en, channel="email", email="")
    )
    assert errors_of(bad) == {"email": ["Enter your email address to be contacted by email."]}

    response = client.post(url("send", "en"), request_data(form_key(client, "en"), shop_en))
    assert response.url == url("sent", "en", key=Submission.objects.get().key)
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "en"
    # Accounts and payment settings are on the producer's Vietnamese page.
    assert inquiry.producer == shop_en.producer_a
    assert "Thank you: your request has been sent" in html(client.get(response.url))


# The confirmation page belongs to the session that sent the form


def test_the_confirmation_page_of_another_session_is_not_found(full_list, client):
    key = form_key(client)
    client.post(url("send"), request_data(key, full_list))

    assert Client().get(url("sent", key=key)).status_code == 404
    assert client.get(url("sent", key="unknown")).status_code == 404


# Rate limits


@override_settings(INQUIRY_RATE_LIMITS={"submit": (2, 600)})
def test_too_many_requests_from_one_session(shop, client):
    for _ in range(2):
        fill(client, (shop.rice_wine, 1))
        assert client.post(url("send"), request_data(form_key(client), shop)).status_code == 302
    fill(client, (shop.rice_wine, 1))
    key = form_key(client)

    # From another address: the session still counts.
    response = client.post(url("send"), request_data(key, shop), REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
    assert "Bạn đã gửi nhiều yêu cầu trong thời gian ngắn" in html(response)
    assert "vui lòng chờ 10 phút rồi thử lại" in html(response)
    assert Submission.objects.count() == 2
    assert list_quantities(client)


@override_settings(INQUIRY_RATE_LIMITS={"submit": (2, 600)})
def test_too_many_requests_from_one_address(shop):
    for _ in range(2):
        visitor = Client()
        fill(visitor, (shop.rice_wine, 1))
        visitor.post(url("send"), request_data(form_key(visitor), shop))
    visitor = Client()
    fill(visitor, (shop.rice_wine, 1))

    response = visitor.post(url("send", "en"), request_data(form_key(visitor), shop))

    assert response.status_code == 429
    assert "please wait 10 minutes and try again" in html(response)
    assert Submission.objects.count() == 2


@override_settings(INQUIRY_RATE_LIMITS={"submit": (1, 600)})
def test_forms_with_mistakes_do_not_count(shop, client):
    fill(client, (shop.rice_wine, 1))
    for _ in range(3):
        client.post(url("send"), request_data(form_key(client), shop, phone="12"))

    response = client.post(url("send"), request_data(form_key(client), shop))

    assert response.status_code == 302
    assert Submission.objects.count() == 1
