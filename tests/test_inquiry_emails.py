"""Email about inquiries: producers in Vietnamese, consumers in their language, always sent
after commit, escaped, with absolute links; a failed send is recorded and retried."""

import datetime
import logging
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from marketplace.inquiries import emails
from marketplace.inquiries.models import EmailDelivery, Inquiry, StatusChange
from marketplace.inquiries.status import change_status
from marketplace.inquiries.tasks import send_status_email, send_submission_emails
from producers.accounts import create_producer_account
from tests.factories import make_producer, make_product
from tests.inquiry_builders import group, submit
from tests.site_address_helpers import PUBLIC_ADDRESS

Status = Inquiry.Status
State = EmailDelivery.State


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Refuses the first message it is given, then delivers like the test backend."""

    failures_left = 0

    def send_messages(self, email_messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


def backend(cls: type) -> str:
    """The dotted path of a backend class, as this module was imported by pytest."""
    return f"{cls.__module__}.{cls.__qualname__}"


@pytest.fixture
def fish_sauce(site):
    producer = make_producer(site.producers, "HTX Nước mắm Điện Dương", email="htx@example.com")
    create_producer_account(producer, "quanly@example.com")
    return make_product(producer, "Nước mắm cá cơm", price_vnd=120_000, unit="chai 500 ml")


@pytest.fixture
def pottery(site):
    producer = make_producer(site.producers, "Gốm Thanh Hà")
    create_producer_account(producer, "gom@example.com")
    return make_product(producer, "Bình gốm", price_on_request=True, price_vnd=None, unit="cái")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Submit as the request form does, running what happens after commit (the emails)."""

    def send(*groups, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(*groups, **fields)

    return send


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def confirm(inquiry, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return change_status(inquiry, Status.CONFIRMED, **fields)

    return confirm


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def html_part(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.fixture(autouse=True)
def served_at_the_public_address(public_address):
    """Links in email say the public address, whatever the request's host was."""


def absolute(path: str) -> str:
    return PUBLIC_ADDRESS + path


# After a submission


def test_each_producer_gets_their_inquiry_in_vietnamese(send, fish_sauce, pottery):
    result = send(
        group(fish_sauce.get_parent().specific, (fish_sauce, 2)),
        group(pottery.get_parent().specific, (pottery, 1)),
        language="en",
    )
    fish, vase = result.submission.inquiries.order_by("pk")

    [message] = sent_to("htx@example.com")
    assert message.to == ["htx@example.com", "quanly@example.com"]
    assert message.subject == f"Yêu cầu đặt hàng mới {fish.reference} – Chợ OCOP"
    # A reply goes to the consumer, who gave an email address.
    assert message.reply_to == ["lan@example.com"]
    for part in (message.body, html_part(message)):
        assert "Xin chào HTX Nước mắm Điện Dương" in part
        assert "Nguyễn Thị Lan" in part
        assert "0905 123 456" in part
        assert "12 Trần Phú" in part
        assert "Xin giao trước Tết." in part
        assert "Nước mắm cá cơm" in part
        assert "240.000 ₫" in part
        assert "English" in part  # the consumer's language, to answer in
        assert absolute(f"/admin/inquiries/{fish.pk}/") in part
    assert "Zalo" in message.body
    assert 'href="https://zalo.me/84905123456"' in html_part(message)

    [message] = sent_to("gom@example.com")
    assert vase.reference in message.subject
    assert "giá liên hệ" in message.body  # price on request
    assert "240.000 ₫" not in message.body


def test_the_consumer_gets_all_references_in_their_language(send, fish_sauce, pottery):
    result = send(
        group(fish_sauce.get_parent().specific, (fish_sauce, 2)),
        group(pottery.get_parent().specific, (pottery, 1)),
        language="en",
    )
    fish, vase = result.submission.inquiries.order_by("pk")

    [message] = sent_to("lan@example.com")
    assert message.subject == (
        f"Your order inquiries {fish.reference}, {vase.reference} have been sent – Chợ OCOP"
    )
    html = html_part(message)
    for part in (message.body, html):
        assert "Hello Nguyễn Thị Lan" in part
        assert "Nước mắm cá cơm" in part
        assert "HTX Nước mắm Điện Dương" in part
        for inquiry in (fish, vase):
            assert inquiry.reference in part
            assert absolute(f"/en/inquiry/{inquiry.token}/") in part
    assert f'href="{absolute(f"/en/inquiry/{fish.token}/")}"' in html
    assert '<html lang="en">' in html


def test_a_vietnamese_consumer_reads_vietnamese(send, fish_sauce):
    result = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)), language="vi")
    [inquiry] = result.submission.inquiries.all()

    [message] = sent_to("lan@example.com")
    assert message.subject == f"Yêu cầu đặt hàng {inquiry.reference} của bạn đã được gửi – Chợ OCOP"
    assert "Xin chào Nguyễn Thị Lan" in message.body
    assert absolute(f"/vi/yeu-cau/{inquiry.token}/") in message.body


def test_no_consumer_email_without_an_address(send, fish_sauce):
    send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)), email="")

    assert [message.to for message in mail.outbox] == [["htx@example.com", "quanly@example.com"]]
    assert mail.outbox[0].reply_to == []


def test_a_producer_without_any_address_is_skipped_and_logged(send, site, caplog):
    producer = make_producer(site.producers, "Hộ làm bánh tráng")
    product = make_product(producer, "Bánh tráng")

    with caplog.at_level(logging.WARNING, logger="marketplace.inquiries.emails"):
        result = send(group(producer, (product, 1)))

    [inquiry] = result.submission.inquiries.all()
    assert [message.to for message in mail.outbox] == [["lan@example.com"]]
    assert f"Inquiry {inquiry.reference} not emailed" in caplog.text


def test_html_in_the_message_is_escaped_in_html_and_verbatim_in_text(send, fish_sauce):
    script = "<script>alert('x')</script>"
    send(
        group(fish_sauce.get_parent().specific, (fish_sauce, 1)),
        name="Lan <b>Nguyễn</b>",
        message=f"Giao sớm {script}\nCảm ơn & hẹn gặp",
    )

    for message in mail.outbox:
        html = html_part(message)
        assert "<script>" not in html
        assert "<b>" not in html
        assert "Lan &lt;b&gt;Nguyễn&lt;/b&gt;" in html
        assert "Lan <b>Nguyễn</b>" in message.body
    [producer_message] = sent_to("htx@example.com")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Cảm ơn &amp; hẹn gặp" in (
        html_part(producer_message)
    )
    assert f"Giao sớm {script}\nCảm ơn & hẹn gặp" in producer_message.body


def test_a_second_run_of_the_task_sends_nothing_again(send, fish_sauce):
    result = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)))
    assert len(mail.outbox) == 2

    send_submission_emails.enqueue(result.submission.pk)

    assert len(mail.outbox) == 2
    assert EmailDelivery.objects.filter(state=State.SENT).count() == 2


# After a status change


def test_the_consumer_is_told_of_a_confirmation_in_their_language(send, confirm, fish_sauce):
    result = send(group(fish_sauce.get_parent().specific, (fish_sauce, 3)), language="en")
    [inquiry] = result.submission.inquiries.all()
    mail.outbox.clear()

    confirm(inquiry, amount_vnd=450_000, note="Delivery on Saturday <b>morning</b>.")

    [message] = mail.outbox
    assert message.to == ["lan@example.com"]
    assert message.subject == f"Your order inquiry {inquiry.reference}: Confirmed – Chợ OCOP"
    html = html_part(message)
    for part in (message.body, html):
        assert "HTX Nước mắm Điện Dương has confirmed your order" in part
        assert "₫450,000" in part
        assert "Pay or follow your order" in part
        assert absolute(f"/en/inquiry/{inquiry.token}/") in part
    assert "Delivery on Saturday <b>morning</b>." in message.body
    assert "Delivery on Saturday &lt;b&gt;morning&lt;/b&gt;." in html


def test_every_change_for_the_consumer_is_emailed_in_vietnamese(send, fish_sauce, settings):
    result = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)), language="vi")
    [inquiry] = result.submission.inquiries.all()
    mail.outbox.clear()

    change = change_status(inquiry, Status.DECLINED, note="Hết hàng đến tháng sau.")
    send_status_email.enqueue(change.pk)

    [message] = mail.outbox
    with translation.override("vi"):
        declined = str(Status.DECLINED.label)
    assert message.subject == (
        f"Yêu cầu đặt hàng {inquiry.reference} của bạn: {declined} – Chợ OCOP"
    )
    assert f"Nước mắm Điện Dương không thể nhận đơn hàng {inquiry.reference}" in message.body
    assert "Hết hàng đến tháng sau." in message.body


def test_changes_not_for_the_consumer_send_nothing(send, fish_sauce):
    result = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)))
    [inquiry] = result.submission.inquiries.all()
    mail.outbox.clear()
    internal = StatusChange.objects.create(
        inquiry=inquiry, from_status="new", to_status="contacted", visible_to_consumer=False
    )

    send_status_email.enqueue(internal.pk)

    assert mail.outbox == []


# Failures


def test_a_failing_mail_server_keeps_the_inquiries_and_records_the_failure(
    send, fish_sauce, pottery, settings, caplog
):
    settings.EMAIL_BACKEND = backend(FailingBackend)

    with caplog.at_level(logging.ERROR, logger="marketplace.inquiries.emails"):
        result = send(
            group(fish_sauce.get_parent().specific, (fish_sauce, 1)),
            group(pottery.get_parent().specific, (pottery, 1)),
        )

    assert result.created
    assert result.submission.inquiries.count() == 2
    deliveries = EmailDelivery.objects.order_by("pk")
    assert [delivery.kind for delivery in deliveries] == [
        "producer_new",
        "producer_new",
        "consumer_sent",
    ]
    assert {delivery.state for delivery in deliveries} == {State.FAILED}
    assert deliveries[0].attempts == 1
    assert deliveries[0].last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert "SMTPServerDisconnected" in caplog.text
    assert mail.outbox == []

    # The mail server is back: the office's scheduled retry sends them all, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("inquiries", "retry-emails")
    call_command("inquiries", "retry-emails")

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "gom@example.com",
        "htx@example.com",
        "lan@example.com",
        "quanly@example.com",
    ]
    assert {delivery.state for delivery in deliveries.all()} == {State.SENT}
    assert [delivery.attempts for delivery in deliveries.all()] == [2, 2, 2]


def test_failed_emails_go_out_with_the_next_email_that_is_sent(send, fish_sauce, settings):
    settings.EMAIL_BACKEND = backend(FlakyBackend)
    FlakyBackend.failures_left = 1
    first = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)))
    [failed] = EmailDelivery.objects.filter(state=State.FAILED)
    assert failed.kind == "producer_new"
    assert len(mail.outbox) == 1  # the consumer's

    send(group(fish_sauce.get_parent().specific, (fish_sauce, 2)))

    assert not EmailDelivery.objects.exclude(state=State.SENT).exists()
    [inquiry] = first.submission.inquiries.all()
    assert len([m for m in sent_to("htx@example.com") if inquiry.reference in m.subject]) == 1


def test_retries_stop_after_the_last_attempt(send, fish_sauce, settings):
    settings.EMAIL_BACKEND = backend(FailingBackend)
    send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)), email="")
    [delivery] = EmailDelivery.objects.all()

    for _attempt in range(emails.MAX_ATTEMPTS + 2):
        emails.retry_failed()

    delivery.refresh_from_db()
    assert delivery.state == State.FAILED
    assert delivery.attempts == emails.MAX_ATTEMPTS
    out = StringIO()
    call_command("inquiries", "retry-emails", stdout=out)
    assert "Sent 0, failed 0" in out.getvalue()
    assert "1 emails failed 5 times and are no longer retried" in out.getvalue()


def test_an_email_with_nobody_to_send_to_any_more_is_skipped(send, fish_sauce, settings):
    settings.EMAIL_BACKEND = backend(FailingBackend)
    result = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)))
    # Anonymised meanwhile: the consumer's address is gone.
    result.submission.inquiries.update(email="")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert emails.retry_failed() == emails.RetryResult(sent=1, failed=0, skipped=1, given_up=0)
    assert [message.to for message in mail.outbox] == [["htx@example.com", "quanly@example.com"]]


def test_two_workers_retrying_one_failed_email_send_it_once(send, fish_sauce, settings):
    """A task's retry and another worker's retry_failed() load the same failed message:
    the attempt is claimed in the database, so only the first sends it."""
    settings.EMAIL_BACKEND = backend(FailingBackend)
    send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)), email="")
    first, second = EmailDelivery.objects.get(), EmailDelivery.objects.get()
    assert first.state == second.state == State.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()

    assert emails.deliver(first) == State.SENT
    assert emails.deliver(second) == State.SENT  # read again: sent by the other

    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.get().attempts == 2


def test_a_failed_email_being_sent_again_is_not_taken_by_another_retry(send, fish_sauce, settings):
    """One worker has claimed a failed message and is sending it when another's
    retry_failed() looks for failed messages: it is pending (in flight) from the claim,
    so the other neither sends it nor counts it; once its attempt is older than the lease
    (the sender stopped mid-send), it is retried."""
    settings.EMAIL_BACKEND = backend(FailingBackend)
    send(group(fish_sauce.get_parent().specific, (fish_sauce, 1)), email="")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    sending = EmailDelivery.objects.get()
    assert emails._claim(sending)  # the first worker, mid-send

    assert emails.retry_failed() == emails.RetryResult(sent=0, failed=0, skipped=0, given_up=0)
    assert mail.outbox == []
    assert EmailDelivery.objects.get().state == State.PENDING

    lease = datetime.timedelta(seconds=settings.EMAIL_SENDING_LEASE_SECONDS)
    EmailDelivery.objects.update(last_attempt_at=timezone.now() - lease)
    assert emails.retry_failed().sent == 1
    assert len(mail.outbox) == 1


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_the_database_queue_a_submission_and_its_email_task_commit_together(
    fish_sauce, settings, django_capture_on_commit_callbacks
):
    """The task's row is written in the submission's transaction (drill 3 once stored a
    submission whose task, queued after the commit, was lost with the database): both
    are there, or neither."""
    settings.TASKS = DATABASE_TASKS
    queued = DBTaskResult.objects.filter(task_path=send_submission_emails.module_path)
    producer = fish_sauce.get_parent().specific
    with django_capture_on_commit_callbacks():  # held, not run: nothing is committed
        submission = submit(group(producer, (fish_sauce, 1))).submission
    assert queued.get().args_kwargs["args"] == [submission.pk]

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), transaction.atomic():
        submit(group(producer, (fish_sauce, 1)))
        raise Interrupted
    assert queued.count() == 1  # the rolled-back submission left no task


def test_with_the_immediate_backend_the_emails_wait_for_the_commit(
    fish_sauce, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        submit(group(fish_sauce.get_parent().specific, (fish_sauce, 1)))
        assert mail.outbox == []
    assert len(after_commit) == 1
    for callback in after_commit:
        callback()
    assert len(mail.outbox) == 2  # the producer's and the consumer's


def test_a_task_run_again_after_its_attempt_stopped_mid_send_sends_once_the_lease_is_over(
    send, fish_sauce, settings
):
    """The database went away after the consumer's message was claimed and before its
    outcome was written (drill 3): the task, run again, finds the message pending and
    not its own to send yet, so it raises NotSent for the worker to run it later; after
    the lease, that run sends it."""
    settings.EMAIL_BACKEND = backend(FailingBackend)
    submission = send(group(fish_sauce.get_parent().specific, (fish_sauce, 1))).submission
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    for delivery in EmailDelivery.objects.all():
        assert emails._claim(delivery)  # the interrupted attempt, whose outcome is lost

    with pytest.raises(emails.NotSent):
        send_submission_emails.call(submission.pk)
    assert mail.outbox == []

    lease = datetime.timedelta(seconds=settings.EMAIL_SENDING_LEASE_SECONDS)
    EmailDelivery.objects.update(last_attempt_at=timezone.now() - lease)
    send_submission_emails.call(submission.pk)
    assert len(mail.outbox) == 2
    assert set(EmailDelivery.objects.values_list("state", flat=True)) == {State.SENT}
