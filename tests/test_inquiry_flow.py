"""Issue 4 end to end, in both languages: a consumer's inquiry list becomes one inquiry per
producer, the producer answers it in the admin, and the consumer pays it by card through
Stripe Checkout (stripe-mock) and the signed webhook.

Everything goes through the real pages with Django's test client, as a browser without
JavaScript would: only the webhook is sent by the test, signed as Stripe signs it.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailTestUtils
from wagtail.users.models import UserProfile

from marketplace.inquiries.models import Inquiry, InquiryItem
from marketplace.payments.vietqr import transfer_note
from producers.accounts import create_producer_account
from producers.models import ProducerPage
from tests.inquiry_admin_helpers import detail_url
from tests.inquiry_helpers import form_key, request_data, url
from tests.inquiry_payment_helpers import (
    ACCOUNT_HOLDER,
    ACCOUNT_NUMBER,
    AMOUNT_VND,
    PAYMENT_SETTINGS,
    completed_session,
    event,
    post_event,
)
from tests.site_address_helpers import PUBLIC_ADDRESS

if TYPE_CHECKING:
    # Only for the annotation: a plugin module imported here could not be rewritten.
    from tests.inquiry_fixtures import Shop

pytest_plugins = ["tests.inquiry_fixtures"]

pytestmark = [pytest.mark.django_db, pytest.mark.stripe_mock]

Status = Inquiry.Status

CONSUMER_EMAIL = "lan@example.com"
AMOUNT = "1.250.000 ₫"
AMOUNT_EN = "₫1,250,000"
NOTE = "10 chai, giao thứ Bảy."

# What the consumer's pages and emails say, in each language (locale/vi/…/django.po).
TEXTS = {
    "vi": {
        "added": "Đã thêm 10 × Rượu nếp Gò Nổi vào danh sách hỏi mua.",
        "sent": "Cảm ơn bạn: yêu cầu đã được gửi",
        "submitted": "Yêu cầu đặt hàng {references} của bạn đã được gửi",
        "follow": "Theo dõi yêu cầu này",
        "status": 'Trạng thái: <span class="inquiry-status__label">{status}</span>',
        "new": "Mới",
        "contacted": "Đã liên hệ",
        "confirmed": "Đã xác nhận",
        "paid": "Đã thanh toán",
        "status_subject": "Yêu cầu đặt hàng {reference} của bạn: {status}",
        "confirmed_heading": "Nhà sản xuất đã xác nhận",
        "amount": f'Số tiền cần thanh toán: <span class="price">{AMOUNT}</span>',
        "how_to_pay": "Cách thanh toán",
        "bank_transfer": "Chuyển khoản ngân hàng (VietQR)",
        "cash": "Tiền mặt khi nhận hàng",
        "pay_button": f"Thanh toán {AMOUNT} bằng thẻ",
        "waiting": "Đang chờ xác nhận thanh toán",
        "received": "Đã nhận thanh toán",
        "paid_note": "Đã thanh toán bằng thẻ.",
    },
    "en": {
        "added": "Added 10 × Go Noi rice wine to your inquiry list.",
        "sent": "Thank you: your request has been sent",
        "submitted": "Your order inquiries {references} have been sent",
        "follow": "Follow this inquiry",
        "status": 'Status: <span class="inquiry-status__label">{status}</span>',
        "new": "New",
        "contacted": "Contacted",
        "confirmed": "Confirmed",
        "paid": "Paid",
        "status_subject": "Your order inquiry {reference}: {status}",
        "confirmed_heading": "Confirmed by the producer",
        "amount": f'Amount to pay: <span class="price">{AMOUNT_EN}</span>',
        "how_to_pay": "How to pay",
        "bank_transfer": "Bank transfer (VietQR)",
        "cash": "Cash on delivery",
        "pay_button": f"Pay {AMOUNT_EN} by card",
        "waiting": "Waiting for confirmation of your payment",
        "received": "Payment received",
        "paid_note": "Paid by card.",
    },
}


@dataclass
class Producer:
    page: ProducerPage
    email: str
    password: str


@dataclass
class Market:
    shop: "Shop"
    a: Producer  # takes cards, VietQR and cash
    b: Producer


@pytest.fixture(params=["vi", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def market(request, language) -> Market:
    """The inquiry shop, in English too when needed, with producer accounts and A's
    payment settings published as an editor would."""
    shop = request.getfixturevalue("shop_en" if language == "en" else "shop")
    producer_a = shop.producer_a
    for name, value in PAYMENT_SETTINGS.items():
        setattr(producer_a, name, value)
    producer_a.save_revision().publish()
    accounts = [
        create_producer_account(shop.producer_a, "a@example.com"),
        create_producer_account(shop.producer_b, "b@example.com"),
    ]
    a, b = (
        Producer(page, account.user.email, account.password)
        for page, account in zip((shop.producer_a, shop.producer_b), accounts, strict=True)
    )
    return Market(shop, a, b)


# The consumer's browser


def html(response) -> str:
    return response.content.decode()


def in_language(page: Page, language: str) -> Page:
    """The translation of `page` a visitor browsing in `language` sees."""
    return page.specific.get_translation(Locale.objects.get(language_code=language))


def add_from_product_page(client: Client, product: Page, quantity: int, language: str) -> str:
    """Fill in and post the product page's "Add to inquiry list" form; the page after."""
    product_url = in_language(product, language).url
    product_page = client.get(product_url)
    assert product_page.status_code == 200
    form = WagtailTestUtils.get_soup(html(product_page)).select_one("form.add-to-list")
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field["name"] != "csrfmiddlewaretoken"
    }
    data["quantity"] = str(quantity)
    response = client.post(form["action"], data, follow=True)
    # Back at the form, which shows the outcome (without JavaScript).
    assert response.redirect_chain == [(f"{product_url}#{form['id']}", 302)]
    return html(response)


def snapshot(item: InquiryItem) -> tuple:
    """What an inquiry item keeps of its product when sent."""
    return item.product, item.product_title, item.unit, item.unit_price_vnd, item.quantity


def tracking_page(client: Client, inquiry: Inquiry) -> str:
    response = client.get(inquiry.get_tracking_url())
    assert response.status_code == 200
    return html(response)


# The producer in the admin


def admin_login(producer: Producer) -> Client:
    """Log in through the admin's login form, with the admin in Vietnamese."""
    user = producer.page.managers.get()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": producer.email, "password": producer.password},
    )
    assert response.status_code == 302, "the producer could not log in"
    return client


def change_status(client: Client, inquiry: Inquiry, to_status: str, **fields) -> str:
    data = {"to_status": to_status, "amount_vnd": "", "payment_method": "", "note": ""}
    data.update(fields)
    response = client.post(detail_url(inquiry), data, follow=True)
    assert response.status_code == 200
    return html(response)


# Emails


def absolute(path: str) -> str:
    """`path` on the public address the test serves the site at (never testserver)."""
    return PUBLIC_ADDRESS + path


def messages_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def html_part(message) -> str:
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return content


def test_the_whole_flow(
    market, language, client, django_capture_on_commit_callbacks, stripe_api, public_address
):
    texts = TEXTS[language]
    shop = market.shop

    # 1. The consumer adds products of two producers from their product pages.
    added = add_from_product_page(client, shop.rice_wine, 10, language)
    assert texts["added"] in added
    add_from_product_page(client, shop.fish_sauce, 6, language)

    # 2. …and sends the request form.
    key = form_key(client, language)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send", language), request_data(key, shop), follow=True)
    assert response.redirect_chain == [(url("sent", language, key=key), 302)]
    assert texts["sent"] in html(response)

    # 3. One inquiry per producer, with a snapshot of each item as the consumer saw it.
    inquiries = list(Inquiry.objects.order_by("pk"))
    assert len(inquiries) == 2
    inquiry_a, inquiry_b = inquiries
    assert (inquiry_a.producer, inquiry_b.producer) == (shop.producer_a, shop.producer_b)
    for inquiry in inquiries:
        assert inquiry.status == Status.NEW
        assert inquiry.language == language
        assert inquiry.phone == "+84905123456"
        assert inquiry.reference in html(response)
        assert f'href="{absolute(inquiry.get_tracking_url())}"' in html(response)
    assert [(item.inquiry, *snapshot(item)) for item in InquiryItem.objects.order_by("pk")] == [
        (inquiry, product, product.title, "chai", price, quantity)
        for inquiry, product, price, quantity in (
            (inquiry_a, in_language(shop.rice_wine, language), 120_000, 10),
            (inquiry_b, in_language(shop.fish_sauce, language), 50_000, 6),
        )
    ]

    # 4. Each producer is told in Vietnamese, with a link to the inquiry in the admin; the
    # consumer in their language, with both tracking links.
    assert len(mail.outbox) == 3
    for producer, inquiry in ((market.a, inquiry_a), (market.b, inquiry_b)):
        (message,) = messages_to(producer.email)
        assert message.subject == (
            f"Yêu cầu đặt hàng mới {inquiry.reference} – {settings.WAGTAIL_SITE_NAME}"
        )
        assert f"Mở yêu cầu: {absolute(detail_url(inquiry))}" in message.body
        assert absolute(detail_url(inquiry)) in html_part(message)
        assert message.reply_to == [CONSUMER_EMAIL]
    # A producer reads their own name for the product beside the one the consumer saw.
    (to_a,) = messages_to(market.a.email)
    seen = "Rượu nếp Gò Nổi" if language == "vi" else "Go Noi rice wine (Rượu nếp Gò Nổi)"
    assert f"10 × {seen} (chai)" in to_a.body
    (sent,) = messages_to(CONSUMER_EMAIL)
    references = f"{inquiry_a.reference}, {inquiry_b.reference}"
    assert sent.subject.startswith(texts["submitted"].format(references=references))
    for inquiry in inquiries:
        tracking_url = absolute(inquiry.get_tracking_url())
        assert tracking_url.startswith(f"{absolute('')}/{language}/")
        assert f"{texts['follow']}: {tracking_url}" in sent.body
        assert f'href="{tracking_url}"' in html_part(sent)
    mail.outbox.clear()

    tracking = tracking_page(client, inquiry_a)
    assert texts["status"].format(status=texts["new"]) in tracking
    assert texts["how_to_pay"] not in tracking

    # 5. Producer A answers in the admin: contacted, then confirmed with amount and note.
    admin_a = admin_login(market.a)
    with django_capture_on_commit_callbacks(execute=True):
        answered = change_status(admin_a, inquiry_a, Status.CONTACTED, note="Đã gọi Zalo.")
    assert f"{inquiry_a.reference} đã chuyển sang “Đã liên hệ”." in answered
    with django_capture_on_commit_callbacks(execute=True):
        answered = change_status(
            admin_a, inquiry_a, Status.CONFIRMED, amount_vnd="1.250.000", note=NOTE
        )
    assert f"{inquiry_a.reference} đã chuyển sang “Đã xác nhận”." in answered
    inquiry_a.refresh_from_db()
    assert inquiry_a.status == Status.CONFIRMED
    assert inquiry_a.confirmed_amount_vnd == AMOUNT_VND
    assert inquiry_a.confirmation_note == NOTE

    # 6. The tracking page shows it, and how to pay: VietQR, card and cash.
    tracking = tracking_page(client, inquiry_a)
    assert texts["status"].format(status=texts["confirmed"]) in tracking
    assert texts["confirmed_heading"] in tracking
    assert texts["amount"] in tracking
    assert NOTE in tracking
    assert "Đã gọi Zalo." in tracking  # the producer's message on the timeline
    assert texts["how_to_pay"] in tracking
    assert texts["bank_transfer"] in tracking
    assert "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam" in tracking
    assert f'class="copy-value__text">{ACCOUNT_NUMBER}</code>' in tracking
    assert ACCOUNT_HOLDER in tracking
    assert f'class="copy-value__text">{transfer_note(inquiry_a.reference)}</code>' in tracking
    assert '<svg class="vietqr__code"' in tracking
    assert texts["cash"] in tracking
    assert texts["pay_button"] in tracking
    with translation.override(language):
        pay_url = reverse("inquiries:pay_card", kwargs={"token": inquiry_a.token})
        return_url = reverse("inquiries:pay_return", kwargs={"token": inquiry_a.token})
    assert f'action="{pay_url}"' in tracking

    # 7. "Pay by card": a Checkout session is made at stripe-mock, and the browser sent there.
    checkout = client.post(pay_url)
    assert checkout.status_code == 303
    assert checkout.url.startswith("https://checkout.stripe.com/")
    inquiry_a.refresh_from_db()
    session_id = inquiry_a.card_payments.get().checkout_session
    assert session_id.startswith("cs_test_")
    waiting = client.get(return_url, {"session_id": session_id})
    assert texts["waiting"] in html(waiting)
    assert inquiry_a.status == Status.CONFIRMED

    # 8. Stripe's signed webhook: the session completed for the confirmed amount in VND.
    session = completed_session(inquiry_a)
    assert (session["amount_total"], session["currency"]) == (AMOUNT_VND, "vnd")
    assert session["client_reference_id"] == inquiry_a.reference
    with django_capture_on_commit_callbacks(execute=True):
        paid = post_event(client, event("checkout.session.completed", session, "evt_flow"))
    assert paid.status_code == 200
    assert paid.json() == {"outcome": "paid"}

    # 9. Paid, and the consumer's pages say so.
    inquiry_a.refresh_from_db()
    assert inquiry_a.status == Status.PAID
    assert inquiry_a.payment_method == Inquiry.PaymentMethod.CARD
    assert texts["received"] in html(client.get(return_url))
    tracking = tracking_page(client, inquiry_a)
    assert texts["status"].format(status=texts["paid"]) in tracking
    assert texts["paid_note"] in tracking
    assert pay_url not in tracking
    assert texts["how_to_pay"] not in tracking

    # 10. One email to the consumer for each change, in their language.
    assert [message.subject for message in mail.outbox] == [
        texts["status_subject"].format(reference=inquiry_a.reference, status=texts[status])
        + f" – {settings.WAGTAIL_SITE_NAME}"
        for status in ("contacted", "confirmed", "paid")
    ]
    assert all(message.to == [CONSUMER_EMAIL] for message in mail.outbox)
    assert absolute(inquiry_a.get_tracking_url()) in mail.outbox[-1].body

    # 11. Producer B's inquiry is untouched, and B cannot open A's in the admin.
    inquiry_b.refresh_from_db()
    assert inquiry_b.status == Status.NEW
    assert not inquiry_b.changes.exists()
    assert texts["status"].format(status=texts["new"]) in tracking_page(client, inquiry_b)
    admin_b = admin_login(market.b)
    assert admin_b.get(detail_url(inquiry_a)).status_code == 404
    assert admin_b.post(detail_url(inquiry_a), {"to_status": Status.FULFILLED}).status_code == 404
    assert admin_b.get(detail_url(inquiry_b)).status_code == 200
    inquiry_a.refresh_from_db()
    assert inquiry_a.status == Status.PAID
