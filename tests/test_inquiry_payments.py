"""Paying a confirmed inquiry: the producer's payment settings, what the tracking page
offers (VietQR, card, cash), and Stripe Checkout sessions made against stripe-mock."""

import logging
import re
import time
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile
from wagtail_localize.fields import SynchronizedField, get_translatable_fields

from marketplace.guidance.checklist import payments_tab_url
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.payments import bank_transfer, payment_options
from marketplace.inquiries.status import change_status
from marketplace.payments.vietqr import parse_tlv, transfer_note, vietqr_payload
from producers.models import PAYMENT_FIELDS, ProducerPage
from tests.inquiry_payment_helpers import (
    ACCOUNT_HOLDER,
    ACCOUNT_NUMBER,
    AMOUNT_VND,
    BANK_BIN,
)
from tests.producer_accounts_helpers import edit_form_data, edit_url
from tests.tcp_proxy import TcpProxy
from tests.test_qr import decode_png, decode_svg

pytest_plugins = ["tests.inquiry_payment_fixtures", "tests.producer_accounts_fixtures"]

Status = Inquiry.Status
Method = Inquiry.PaymentMethod
INLINE_SVG = re.compile(r'<svg class="vietqr__code".*?</svg>', re.DOTALL)


def methods(inquiry: Inquiry) -> list[str]:
    return [option.method for option in payment_options(inquiry)]


def url(name: str, inquiry: Inquiry, language: str = "vi") -> str:
    with translation.override(language):
        return reverse(f"inquiries:{name}", kwargs={"token": inquiry.token})


def set_producer(producer: ProducerPage, **fields) -> None:
    for name, value in fields.items():
        setattr(producer, name, value)
    producer.save()


# Producer payment settings


def test_bank_details_are_written_as_banks_print_them(producer):
    producer.bank_account_number = "0071 000.123-456"
    producer.bank_account_holder = "  Hợp tác xã  Nước mắm Điện Dương "

    producer.full_clean()

    assert producer.bank_account_number == "0071000123456"
    assert producer.bank_account_holder == "HOP TAC XA NUOC MAM DIEN DUONG"


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"bank_bin": "123456"}, "bank_bin"),
        ({"bank_bin": ""}, "bank_bin"),
        ({"bank_account_number": ""}, "bank_account_number"),
        ({"bank_account_holder": ""}, "bank_account_holder"),
        ({"bank_account_number": "0071/000123"}, "bank_account_number"),
        ({"bank_account_holder": "<script>alert(1)</script>"}, "bank_account_holder"),
    ],
)
def test_bad_or_partial_bank_details_are_refused(producer, fields, field_in_error):
    for name, value in fields.items():
        setattr(producer, name, value)

    with pytest.raises(ValidationError) as error:
        producer.full_clean()

    assert field_in_error in error.value.message_dict


def test_no_bank_details_at_all_is_fine(producer):
    producer.bank_bin = producer.bank_account_number = producer.bank_account_holder = ""

    producer.full_clean()

    assert not producer.has_bank_details


def test_payment_settings_follow_the_vietnamese_page_in_every_translation():
    fields = {field.field_name: field for field in get_translatable_fields(ProducerPage)}

    for name in PAYMENT_FIELDS:
        assert isinstance(fields[name], SynchronizedField), name
        # A translator cannot send the payments to another account.
        assert not fields[name].overridable, name


def test_the_payments_tab_has_one_address_whoever_opened_the_editor_first(producer_a):
    # Wagtail names tabs once per process, in the language of the first editor opened.
    ProducerPage.get_edit_handler.cache_clear()
    profile = UserProfile.get_for_user(producer_a.account.user)
    pages = {}
    for language in ("vi", "en"):
        profile.preferred_language = language
        profile.save()
        pages[language] = producer_a.client.get(edit_url(producer_a.page)).content.decode()

    assert "Thanh toán" in pages["vi"] and "Payments" in pages["en"]
    for page in pages.values():
        assert 'id="tab-label-payments" href="#tab-payments"' in page
    assert payments_tab_url(producer_a.page).endswith("#tab-payments")


def test_a_producer_sets_payments_in_their_own_tab(producer_a):
    page = producer_a.page
    response = producer_a.client.get(edit_url(page))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="tab-label-payments"' in content
    assert "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam" in content

    data = edit_form_data(
        producer_a.client,
        page,
        accepts_card_payment="on",
        accepts_cash_on_delivery="on",
        bank_bin=BANK_BIN,
        bank_account_number="0071 000 123 456",
        bank_account_holder="Nguyễn Văn An",
        **{"action-submit": "1"},
    )
    response = producer_a.client.post(edit_url(page), data)

    assert response.status_code == 302
    # Producers submit for moderation: the office approves new bank details first.
    page.refresh_from_db()
    assert page.bank_bin == ""
    submitted = page.get_latest_revision_as_object()
    assert submitted.accepts_card_payment
    assert submitted.accepts_cash_on_delivery
    assert submitted.bank_bin == BANK_BIN
    assert submitted.bank_account_number == "0071000123456"
    assert submitted.bank_account_holder == "NGUYEN VAN AN"


def test_the_admin_form_says_what_is_missing(producer_a):
    page = producer_a.page
    revision_id = page.latest_revision_id
    data = edit_form_data(producer_a.client, page, bank_bin=BANK_BIN, **{"action-submit": "1"})

    response = producer_a.client.post(edit_url(page), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"bank_account_number", "bank_account_holder"}
    assert "Fill in the bank, account number and holder, or none." in response.content.decode()
    page.refresh_from_db()
    assert page.latest_revision_id == revision_id


# What the tracking page offers


@pytest.mark.parametrize("status", [Status.NEW, Status.CONTACTED])
def test_nothing_to_pay_before_the_amount_is_confirmed(stripe_keys, make_inquiry, status):
    inquiry = make_inquiry(confirmed=False)
    if status != Status.NEW:
        change_status(inquiry, status)

    assert payment_options(inquiry) == []
    assert bank_transfer(inquiry) is None


def test_a_confirmed_inquiry_offers_what_the_producer_accepts(stripe_keys, inquiry):
    assert methods(inquiry) == [Method.BANK_TRANSFER, Method.CARD, Method.CASH]


def test_without_stripe_keys_card_payment_is_hidden(inquiry):
    assert methods(inquiry) == [Method.BANK_TRANSFER, Method.CASH]


@pytest.mark.parametrize(
    ("settings_off", "expected"),
    [
        ({"accepts_card_payment": False}, [Method.BANK_TRANSFER, Method.CASH]),
        ({"accepts_cash_on_delivery": False}, [Method.BANK_TRANSFER, Method.CARD]),
        (
            {"bank_bin": "", "bank_account_number": "", "bank_account_holder": ""},
            [Method.CARD, Method.CASH],
        ),
        (
            {
                "accepts_card_payment": False,
                "accepts_cash_on_delivery": False,
                "bank_bin": "",
                "bank_account_number": "",
                "bank_account_holder": "",
            },
            [],
        ),
    ],
)
def test_options_follow_the_producer_settings(
    stripe_keys, producer, inquiry, settings_off, expected
):
    set_producer(producer, **settings_off)
    inquiry.refresh_from_db()

    assert methods(inquiry) == expected


def test_a_paid_inquiry_offers_nothing_more(stripe_keys, inquiry):
    change_status(inquiry, Status.PAID, payment_method=Method.BANK_TRANSFER)

    assert payment_options(inquiry) == []


def test_tracking_page_shows_the_vietqr_code_and_its_details(client, inquiry):
    response = client.get(inquiry.get_tracking_url())

    assert response.status_code == 200
    content = response.content.decode()
    expected_note = transfer_note(inquiry.reference)
    assert expected_note == inquiry.reference.replace("-", " ")
    for text in (
        "Cách thanh toán",  # "How to pay"
        "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam",
        ACCOUNT_NUMBER,
        ACCOUNT_HOLDER,
        "1.250.000 ₫",
        expected_note,
        "Trả tiền mặt khi nhận hàng.",  # cash on delivery
    ):
        assert text in content, text
    assert url("pay_card", inquiry) not in content  # no Stripe keys: no card button

    [svg] = INLINE_SVG.findall(content)
    assert 'role="img"' in svg
    [payload] = decode_svg(svg)
    assert payload == vietqr_payload(BANK_BIN, ACCOUNT_NUMBER, AMOUNT_VND, inquiry.reference)
    fields = parse_tlv(payload)
    assert fields["54"] == str(AMOUNT_VND)
    assert parse_tlv(fields["62"])["08"] == expected_note
    assert parse_tlv(parse_tlv(fields["38"])["01"]) == {"00": BANK_BIN, "01": ACCOUNT_NUMBER}
    assert url("vietqr_png", inquiry) in content


def test_tracking_page_in_english_offers_card_payment(stripe_keys, client, make_inquiry):
    inquiry = make_inquiry(language="en", delivery="pick_up")

    content = client.get(inquiry.get_tracking_url()).content.decode()

    assert "How to pay" in content
    assert f'action="{url("pay_card", inquiry, "en")}"' in content
    assert "Pay ₫1,250,000 by card" in content
    assert "Pay in cash when you pick up your order." in content


def test_the_vietqr_png_decodes_to_the_inquirys_payload(client, inquiry):
    response = client.get(url("vietqr_png", inquiry))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert f'filename="vietqr-{inquiry.reference}.png"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert decode_png(response.content) == [
        vietqr_payload(BANK_BIN, ACCOUNT_NUMBER, AMOUNT_VND, inquiry.reference)
    ]


def test_no_vietqr_png_before_confirmation_without_bank_details_or_token(
    client, producer, make_inquiry
):
    assert client.get(url("vietqr_png", make_inquiry(confirmed=False))).status_code == 404

    inquiry = make_inquiry()
    set_producer(producer, bank_bin="", bank_account_number="", bank_account_holder="")
    assert client.get(url("vietqr_png", inquiry)).status_code == 404

    wrong = reverse("inquiries:vietqr_png", kwargs={"token": "not-a-token"})
    assert client.get(wrong).status_code == 404


# Card payment: Checkout sessions against stripe-mock


def sent_params(caplog: pytest.LogCaptureFixture) -> list[dict[str, list[str]]]:
    """The form bodies of the requests stripe-python sent, from its debug log."""
    return [parse_qs(body) for body in re.findall(r"post_data=(\S*)", caplog.text)]


@pytest.fixture
def stripe_log(caplog) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="stripe")
    return caplog


@pytest.mark.stripe_mock
def test_pay_by_card_sends_the_confirmed_amount_in_dong(
    stripe_api, stripe_log, client, inquiry, public_address
):
    response = client.post(url("pay_card", inquiry))

    assert response.status_code == 303
    assert response.url.startswith("https://checkout.stripe.com/")
    [sent] = sent_params(stripe_log)
    # In đồng as confirmed, not × 100: VND is zero-decimal at Stripe.
    assert sent["line_items[0][price_data][unit_amount]"] == ["1250000"]
    assert sent["line_items[0][price_data][currency]"] == ["vnd"]
    assert sent["line_items[0][quantity]"] == ["1"]
    assert sent["line_items[0][price_data][product_data][name]"] == [
        f"Đơn hàng {inquiry.reference}"
    ]
    assert sent["mode"] == ["payment"]
    assert sent["client_reference_id"] == [inquiry.reference]
    assert sent["metadata[inquiry_reference]"] == [inquiry.reference]
    assert sent["metadata[inquiry_id]"] == [str(inquiry.pk)]
    assert sent["payment_intent_data[metadata][inquiry_reference]"] == [inquiry.reference]
    assert sent["customer_email"] == ["lan@example.com"]
    assert sent["locale"] == ["vi"]
    # Stripe sends the consumer back to the public address, not to the request's host.
    assert sent["success_url"] == [
        f"{public_address}{url('pay_return', inquiry)}?session_id={{CHECKOUT_SESSION_ID}}"
    ]
    assert sent["cancel_url"] == [f"{public_address}{url('pay_cancel', inquiry)}"]
    inquiry.refresh_from_db()
    session_id = inquiry.card_payments.get().checkout_session
    assert session_id.startswith("cs_test_")
    # Only the webhook marks it paid.
    assert inquiry.status == Status.CONFIRMED


@pytest.mark.stripe_mock
def test_the_browser_cannot_set_the_amount(stripe_api, stripe_log, client, inquiry):
    forged = {
        "amount": "1000",
        "amount_vnd": "1000",
        "unit_amount": "1000",
        "currency": "usd",
        "line_items[0][price_data][unit_amount]": "1000",
        "client_reference_id": "DB-2026-999999",
    }

    response = client.post(url("pay_card", inquiry), forged)

    assert response.status_code == 303
    [sent] = sent_params(stripe_log)
    assert sent["line_items[0][price_data][unit_amount]"] == ["1250000"]
    assert sent["line_items[0][price_data][currency]"] == ["vnd"]
    assert sent["client_reference_id"] == [inquiry.reference]


@pytest.mark.stripe_mock
def test_an_english_inquiry_pays_on_an_english_checkout(
    stripe_api, stripe_log, client, make_inquiry
):
    inquiry = make_inquiry(language="en", email="")

    client.post(url("pay_card", inquiry, "en"))

    [sent] = sent_params(stripe_log)
    assert sent["locale"] == ["en"]
    assert sent["line_items[0][price_data][product_data][name]"] == [f"Order {inquiry.reference}"]
    assert sent["success_url"][0].startswith(f"http://testserver/en/inquiry/{inquiry.token}/")
    assert "customer_email" not in sent


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        pytest.param(
            lambda inquiry, producer: change_status(inquiry, Status.CONTACTED),
            "Bạn có thể thanh toán khi nhà sản xuất đã xác nhận số tiền.",
            id="not confirmed",
        ),
        pytest.param(
            lambda inquiry, producer: change_status(
                inquiry, Status.PAID, payment_method=Method.BANK_TRANSFER
            ),
            "Yêu cầu này đã được thanh toán.",
            id="already paid",
        ),
        pytest.param(
            lambda inquiry, producer: set_producer(producer, accepts_card_payment=False),
            "Nhà sản xuất này không nhận thanh toán bằng thẻ.",
            id="cards not accepted",
        ),
    ],
)
def test_card_payment_is_refused_without_calling_stripe(
    stripe_keys, stripe_log, client, producer, inquiry, prepare, message
):
    prepare(inquiry, producer)

    response = client.post(url("pay_card", inquiry), follow=True)

    assert response.redirect_chain == [(url("track", inquiry), 303)]
    assert message in response.content.decode()
    assert sent_params(stripe_log) == []
    inquiry.refresh_from_db()
    assert not inquiry.card_payments.exists()


def test_without_stripe_keys_pay_by_card_is_refused(stripe_log, client, inquiry):
    response = client.post(url("pay_card", inquiry), follow=True)

    assert response.redirect_chain == [(url("track", inquiry), 303)]
    assert "Nhà sản xuất này không nhận thanh toán bằng thẻ." in response.content.decode()
    assert sent_params(stripe_log) == []


def test_stripe_unreachable_is_a_message_not_an_error(stripe_keys, client, inquiry):
    # A closed port: the connection is refused.
    stripe_keys.STRIPE_API_BASE = "http://127.0.0.1:9"

    response = client.post(url("pay_card", inquiry), follow=True)

    assert response.redirect_chain == [(url("track", inquiry), 303)]
    assert "Hiện chưa thể thanh toán bằng thẻ" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONFIRMED


def test_a_hung_stripe_costs_the_visitor_its_timeout_then_a_message(stripe_keys, client, inquiry):
    # A port that accepts and never answers: without a timeout, stripe-python waits 80 s.
    stripe_keys.STRIPE_TIMEOUT = 0.5
    hung = TcpProxy("http://127.0.0.1:9", hang=True)
    hung.start()
    stripe_keys.STRIPE_API_BASE = hung.url
    try:
        started = time.monotonic()
        response = client.post(url("pay_card", inquiry), follow=True)
        elapsed = time.monotonic() - started
    finally:
        hung.stop()

    assert "Hiện chưa thể thanh toán bằng thẻ" in response.content.decode()
    # Two attempts (STRIPE_NETWORK_RETRIES) of 0.5 s and stripe-python's back-off between.
    assert 2 * 0.5 <= elapsed < 5, elapsed
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONFIRMED


def test_pay_by_card_needs_a_post_with_a_csrf_token(stripe_keys, inquiry):
    client = Client(enforce_csrf_checks=True)

    assert client.get(url("pay_card", inquiry)).status_code == 405
    assert client.post(url("pay_card", inquiry)).status_code == 403


def test_pay_by_card_with_a_wrong_token_is_404(db, stripe_keys, client):
    wrong = reverse("inquiries:pay_card", kwargs={"token": "not-a-token"})

    assert client.post(wrong).status_code == 404


# Back from Checkout


def test_the_return_page_waits_for_the_webhook(client, inquiry):
    # Anyone can open the return URL with any session id: it proves nothing.
    response = client.get(url("pay_return", inquiry), {"session_id": "cs_test_forged"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Đang chờ đơn vị xử lý thẻ xác nhận" in content
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CONFIRMED


def test_the_return_page_says_received_once_paid(client, make_inquiry):
    inquiry = make_inquiry(language="en")
    change_status(inquiry, Status.PAID, payment_method=Method.CARD, source="stripe")

    response = client.get(url("pay_return", inquiry, "en"))

    assert "Payment received" in response.content.decode()


def test_the_cancel_page_says_nothing_was_charged(client, make_inquiry):
    inquiry = make_inquiry(language="en")

    response = client.get(url("pay_cancel", inquiry, "en"))

    assert response.status_code == 200
    assert "nothing was charged" in response.content.decode()
    assert client.get(url("pay_cancel", inquiry)).status_code == 200


def test_return_and_cancel_pages_with_a_wrong_token_are_404(db, client):
    for name in ("pay_return", "pay_cancel"):
        wrong = reverse(f"inquiries:{name}", kwargs={"token": "not-a-token"})
        assert client.get(wrong).status_code == 404


def test_a_producer_taking_no_payment_here_says_they_will_tell(client, producer, inquiry):
    set_producer(
        producer,
        accepts_cash_on_delivery=False,
        bank_bin="",
        bank_account_number="",
        bank_account_holder="",
    )

    content = client.get(inquiry.get_tracking_url()).content.decode()

    assert "Nhà sản xuất sẽ cho bạn biết cách thanh toán." in content
    assert "Cách thanh toán" not in content
