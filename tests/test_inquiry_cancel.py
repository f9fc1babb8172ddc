"""The consumer cancels their inquiry on the tracking page, with a reason, until the
producer confirms it; the producer is told by email."""

import pytest
from django.core import mail
from django.test import Client

from marketplace.inquiries.models import EmailDelivery, Inquiry, StatusChange
from marketplace.inquiries.status import change_status
from producers.accounts import create_producer_account
from tests.inquiry_builders import group, submit
from tests.inquiry_helpers import messages_of, url

pytest_plugins = ["tests.inquiry_fixtures"]

pytestmark = pytest.mark.django_db

Status = Inquiry.Status


@pytest.fixture
def inquiry(shop) -> Inquiry:
    create_producer_account(shop.producer_a, "quanly@example.com")
    result = submit(group(shop.producer_a, (shop.rice_wine, 2)))
    return result.submission.inquiries.get()


@pytest.fixture
def cancel(client, django_capture_on_commit_callbacks):
    """POST the cancel form as the page sends it, running the emails after commit."""

    def cancel(inquiry, language="vi", **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url("cancel", language, token=inquiry.token), data)

    return cancel


def page(client, inquiry, language="vi") -> str:
    return client.get(url("track", language, token=inquiry.token)).content.decode()


@pytest.mark.parametrize("status", [Status.NEW, Status.CONTACTED])
def test_an_unconfirmed_inquiry_offers_to_cancel(inquiry, client, status):
    if status != Status.NEW:
        change_status(inquiry, status, note="Đã gọi.")

    html = page(client, inquiry)

    assert f'action="{url("cancel", token=inquiry.token)}#cancel"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'type="radio" name="reason"' in html


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.DECLINED])
def test_no_cancel_button_once_the_producer_has_decided(inquiry, client, status):
    change_status(inquiry, status, note="Ghi chú.", amount_vnd=100000)

    assert url("cancel", token=inquiry.token) not in page(client, inquiry)


def test_cancelling_records_the_reason_and_tells_the_producer(inquiry, client, cancel):
    response = cancel(inquiry, reason="elsewhere", details="Mua ở chợ rồi.")

    assert response.status_code == 302
    assert response["Location"] == url("track", token=inquiry.token)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CANCELLED
    change = StatusChange.objects.get(inquiry=inquiry)
    assert (change.from_status, change.to_status, change.source) == ("new", "cancelled", "consumer")
    assert change.note.endswith(": Mua ở chợ rồi.")
    assert change.user is None
    # The producer (Vietnamese) and the consumer (a receipt) are emailed.
    to_producer = next(m for m in mail.outbox if "quanly@example.com" in m.to)
    assert inquiry.reference in to_producer.subject
    assert "Mua ở chợ rồi." in to_producer.body
    assert to_producer.reply_to == ["lan@example.com"]
    to_consumer = next(m for m in mail.outbox if m.to == ["lan@example.com"])
    assert "Mua ở chợ rồi." in to_consumer.body
    assert {d.kind for d in EmailDelivery.objects.filter(status_change=change)} == {
        "producer_cancelled",
        "consumer_status",
    }
    # Back on the page: said so, the reason on the timeline as the consumer's, no button.
    html = page(client, inquiry)
    assert url("cancel", token=inquiry.token) not in html
    assert "inquiry-status--cancelled" in html
    timeline = html.split('id="timeline-heading"')[1]
    assert "Mua ở chợ rồi." in timeline
    assert "HTX Rượu Gò Nổi</footer>" not in timeline


def test_the_success_message(inquiry, client, cancel):
    response = cancel(inquiry, reason="changed_mind")

    messages = messages_of(client.get(response["Location"]))
    assert any(inquiry.reference in message for message in messages)
    change = StatusChange.objects.get(inquiry=inquiry)
    assert change.note  # the reason's label, in the page's language


def test_an_english_cancellation_is_written_in_english(shop_en, client, cancel):
    inquiry = submit(group(shop_en.producer_a, (shop_en.rice_wine, 1)), language="en")
    inquiry = inquiry.submission.inquiries.get()

    cancel(inquiry, "en", reason="mistake")

    assert StatusChange.objects.get(inquiry=inquiry).note == "I made a mistake in my request"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "reason"),
        ({"reason": "bogus"}, "reason"),
        ({"reason": "other", "details": "   "}, "details"),
        ({"reason": "other", "details": "x" * 501}, "details"),
    ],
)
def test_a_bad_form_changes_nothing_and_says_why(inquiry, cancel, data, field):
    response = cancel(inquiry, **data)

    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="inquiry-cancel__details" id="cancel" open>' in html
    assert 'class="error-summary"' in html
    assert f'href="#cancel-{field}' in html
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW
    assert not StatusChange.objects.exists()
    assert not mail.outbox


def test_a_nul_character_is_refused(inquiry, cancel):
    response = cancel(inquiry, reason="elsewhere", details="a\x00b")

    assert response.status_code == 400
    assert Inquiry.objects.get(pk=inquiry.pk).status == Status.NEW


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.CONFIRMED, "The producer has already confirmed this request"),
        (Status.CANCELLED, "This request is already cancelled."),
        (Status.DECLINED, "This request is closed"),
    ],
)
def test_too_late_to_cancel(inquiry, client, cancel, status, message):
    change_status(inquiry, status, note="Ghi chú.", amount_vnd=100000)

    response = cancel(inquiry, "en", reason="elsewhere")

    assert response.status_code == 302
    assert any(message in text for text in messages_of(client.get(response["Location"])))
    inquiry.refresh_from_db()
    assert inquiry.status == status
    assert StatusChange.objects.filter(inquiry=inquiry).count() == 1
    assert not mail.outbox


def test_a_confirmation_that_came_first_wins(inquiry, client, cancel):
    """The page was loaded before the producer confirmed: the POST is refused."""
    html = page(client, inquiry)
    assert url("cancel", token=inquiry.token) in html
    change_status(inquiry, Status.CONFIRMED, note="OK", amount_vnd=240000)

    cancel(inquiry, reason="elsewhere")

    assert Inquiry.objects.get(pk=inquiry.pk).status == Status.CONFIRMED


def test_the_form_needs_its_csrf_token(inquiry):
    client = Client(enforce_csrf_checks=True)

    response = client.post(url("cancel", token=inquiry.token), {"reason": "elsewhere"})

    assert response.status_code == 403
    assert Inquiry.objects.get(pk=inquiry.pk).status == Status.NEW


def test_only_post(inquiry, client):
    assert client.get(url("cancel", token=inquiry.token)).status_code == 405


def test_a_wrong_token_is_not_found(inquiry, client):
    assert client.post(url("cancel", token="wrong"), {"reason": "elsewhere"}).status_code == 404


def test_cancelling_is_rate_limited(shop, client, cancel, settings):
    settings.INQUIRY_RATE_LIMITS = {"cancel": (1, 600)}
    first, second = (
        submit(group(shop.producer_a, (shop.rice_wine, 1))).submission.inquiries.get()
        for _ in range(2)
    )

    assert cancel(first, reason="elsewhere").status_code == 302
    response = cancel(second, reason="elsewhere")

    assert response.status_code == 429
    assert Inquiry.objects.get(pk=second.pk).status == Status.NEW
