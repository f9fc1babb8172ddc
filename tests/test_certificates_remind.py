"""`manage.py certificates remind`: expiry reminders, each sent once, caught up when late."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from wagtail.users.models import UserProfile

from marketplace.certificates import decisions
from marketplace.certificates.models import CertificateReminder
from marketplace.certificates.reminders import LATE_DAYS, due_threshold
from marketplace.core.office import OFFICE_GROUP
from producers.accounts import create_producer_account
from tests.factories import make_producer, make_product
from tests.public_pages_fixtures import translate_page

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUED = datetime.date(2024, 3, 1)
EXPIRY = datetime.date(2027, 2, 28)  # 36 months after ISSUED, the last valid day
DAY = datetime.timedelta(days=1)


def remind(on: datetime.date, hour: int = 6) -> str:
    out = io.StringIO()
    moment = datetime.datetime(on.year, on.month, on.day, hour, tzinfo=TZ)
    with time_machine.travel(moment, tick=False):
        call_command("certificates", "remind", stdout=out)
    return out.getvalue()


def reminders() -> list[tuple[int, datetime.date]]:
    return sorted(CertificateReminder.objects.values_list("threshold", "expiry_date"), reverse=True)


def make_user(email: str, *, office: bool = False, language: str = "", **fields):
    username = fields.pop("username", email)
    user = get_user_model().objects.create_user(username, email, **fields)
    if office:
        user.groups.add(Group.objects.get(name=OFFICE_GROUP))
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return user


@pytest.fixture
def office(db):
    make_user("office@example.com", office=True)
    make_user("office-en@example.com", office=True, language="en")
    make_user("", office=True, username="no-address")  # no address: nobody to email
    make_user("retired@example.com", office=True, is_active=False)
    make_user("root@example.com", is_superuser=True)  # not a member of the office


@pytest.fixture
def producer(site):
    page = make_producer(site.producers, "HTX Nước mắm Cửa Đại", email="htx@example.com")
    create_producer_account(page, "manager@example.com")
    return page


@pytest.fixture
def product(producer):
    return make_product(producer, title="Nước mắm <ngon> & rẻ", stars=4, certificate_issued=ISSUED)


@pytest.fixture
def certificate(product):
    certificate = product.ocop_certificates.get()
    assert certificate.expiry_date == EXPIRY
    return certificate


def to_producer():
    return [m for m in mail.outbox if "htx@example.com" in m.to]


def to_office():
    return [m for m in mail.outbox if "office@example.com" in m.to]


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [
        (61, None),
        (60, 60),
        (31, 60),
        (30, 30),
        (1, 30),
        (0, 0),
        (-LATE_DAYS, 0),
        (-LATE_DAYS - 1, None),
    ],
)
def test_reminder_windows(days_left, threshold):
    assert due_threshold(EXPIRY, EXPIRY - datetime.timedelta(days=days_left)) == threshold


def test_each_reminder_is_sent_once_running_twice_a_day(office, certificate):
    sent_on = {}
    day = EXPIRY - 62 * DAY
    while day <= EXPIRY + 10 * DAY:
        before = len(to_producer())
        remind(day, hour=6)
        remind(day, hour=18)
        if len(to_producer()) > before:
            sent_on[day] = len(to_producer()) - before
        day += DAY

    assert sent_on == {EXPIRY - 60 * DAY: 1, EXPIRY - 30 * DAY: 1, EXPIRY: 1}
    assert len(to_office()) == 3
    assert reminders() == [(60, EXPIRY), (30, EXPIRY), (0, EXPIRY)]


def test_a_late_run_catches_up_and_the_30_day_reminder_replaces_the_60_day_one(office, certificate):
    remind(EXPIRY - 45 * DAY)  # the 60-day reminder, 15 days late
    assert reminders() == [(60, EXPIRY)]

    remind(EXPIRY - 10 * DAY)  # nothing ran on the 30th day
    remind(EXPIRY - 9 * DAY)
    assert reminders() == [(60, EXPIRY), (30, EXPIRY)]

    remind(EXPIRY + 3 * DAY)  # the expiry-day reminder, 3 days late
    remind(EXPIRY + 4 * DAY)
    assert reminders() == [(60, EXPIRY), (30, EXPIRY), (0, EXPIRY)]
    assert len(to_producer()) == 3
    office_en = [m for m in mail.outbox if m.to == ["office-en@example.com"]]
    assert "has expired" in office_en[-1].subject


def test_a_first_run_within_30_days_sends_only_the_30_day_reminder(office, certificate):
    remind(EXPIRY - 20 * DAY)
    remind(EXPIRY - 19 * DAY)

    assert reminders() == [(30, EXPIRY)]
    assert len(to_producer()) == 1
    # Producers read Vietnamese.
    assert "hết hạn sau 20 ngày" in to_producer()[0].subject


def test_no_reminder_long_after_expiry(office, certificate):
    remind(EXPIRY + (LATE_DAYS + 1) * DAY)

    assert reminders() == []
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["pending", "rejected", "revoked"])
def test_no_reminder_for_certificates_that_are_not_verified(office, producer, status):
    make_product(producer, stars=3, certificate_issued=ISSUED, certificate_status=status)

    for days_left in (60, 30, 0):
        remind(EXPIRY - days_left * DAY)

    assert reminders() == []
    assert mail.outbox == []


def test_no_reminder_after_revocation(office, certificate):
    remind(EXPIRY - 60 * DAY)
    decisions.revoke(certificate, None, "Không đạt khi đánh giá lại.")
    remind(EXPIRY - 30 * DAY)
    remind(EXPIRY)

    assert reminders() == [(60, EXPIRY)]


def test_no_reminder_for_unpublished_products(office, certificate, product):
    product.unpublish()

    remind(EXPIRY - 30 * DAY)

    assert mail.outbox == []


def test_one_reminder_per_certificate_in_every_language(office, producer, product, certificate):
    translate_page(producer)
    english = translate_page(product, title="Anchovy fish sauce")
    assert english.ocop_certificates.get().translation_key == certificate.translation_key

    remind(EXPIRY - 30 * DAY)

    assert reminders() == [(30, EXPIRY)]
    assert len(to_producer()) == 1
    # The English-speaking office member reads the English product name.
    [english_office] = [m for m in mail.outbox if m.to == ["office-en@example.com"]]
    assert "Anchovy fish sauce" in english_office.subject


def test_recipients_and_languages(office, producer, certificate):
    make_user("manager-en@example.com", language="en").groups.add(producer.account_group)

    remind(EXPIRY - 60 * DAY)

    by_recipients = {tuple(sorted(m.to)): m for m in mail.outbox}
    assert set(by_recipients) == {
        ("htx@example.com", "manager@example.com"),
        ("manager-en@example.com",),
        ("office@example.com",),
        ("office-en@example.com",),
    }
    vietnamese = by_recipients[("htx@example.com", "manager@example.com")]
    english = by_recipients[("manager-en@example.com",)]
    html_vi = vietnamese.alternatives[0][0]
    assert '<html lang="vi">' in html_vi
    assert '<html lang="en">' in english.alternatives[0][0]
    assert "expires in 60 days" in english.subject
    assert "/vi/chung-nhan/" in html_vi
    assert f"/en/certificates/{certificate.translation_key}/" in english.body
    recorded = CertificateReminder.objects.get().recipients
    assert "manager-en@example.com" in recorded and "office@example.com" in recorded


def test_producer_without_address_the_office_is_told(office, site):
    producer = make_producer(site.producers, "Hộ kinh doanh Bà Năm", email="")
    make_product(producer, stars=3, certificate_issued=ISSUED)

    remind(EXPIRY)

    assert {tuple(m.to) for m in mail.outbox} == {
        ("office@example.com",),
        ("office-en@example.com",),
    }
    [english] = [m for m in mail.outbox if m.to == ["office-en@example.com"]]
    assert "expires today" in english.subject
    assert "The producer has no email address" in english.body


def test_nobody_to_email_is_not_recorded_and_sent_once_somebody_is(site, producer, certificate):
    producer.email = ""
    producer.save_revision().publish()
    producer.account_group.user_set.clear()

    output = remind(EXPIRY - 30 * DAY)
    assert "nobody to email 1" in output
    assert reminders() == []

    make_user("office@example.com", office=True)
    remind(EXPIRY - 29 * DAY)
    assert reminders() == [(30, EXPIRY)]
    assert [m.to for m in mail.outbox] == [["office@example.com"]]


def test_email_content_is_escaped_and_complete(office, certificate, product):
    remind(EXPIRY - 30 * DAY)

    [english] = [m for m in mail.outbox if m.to == ["office-en@example.com"]]
    html = english.alternatives[0][0]
    assert english.subject == (
        f"OCOP certificate {certificate.decision_number} of Nước mắm <ngon> & rẻ "
        "expires in 30 days – Chợ OCOP"
    )
    assert "Nước mắm &lt;ngon&gt; &amp; rẻ" in html and "<ngon>" not in html
    assert "Nước mắm <ngon> & rẻ" in english.body
    assert "HTX Nước mắm Cửa Đại" in english.body
    assert "4 stars" in english.body and certificate.decision_number in english.body
    assert f"/admin/pages/{product.pk}/edit/" in english.body
    assert "The producer has been sent this reminder too." in english.body
    assert english.alternatives[0][1] == "text/html"


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,  # nothing listens: the connection is refused
    EMAIL_USE_TLS=False,
    EMAIL_TIMEOUT=5,
)
def test_a_failed_send_is_not_recorded_and_retried_by_the_next_run(office, certificate):
    output = remind(EXPIRY - 60 * DAY)

    assert "failed 1" in output
    assert reminders() == []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        remind(EXPIRY - 59 * DAY)
    assert reminders() == [(60, EXPIRY)]
    assert len(to_producer()) == 1


def test_summary_and_dry_run(office, certificate):
    dry = io.StringIO()
    moment = datetime.datetime(2027, 1, 29, 6, tzinfo=TZ)  # 30 days before EXPIRY
    with time_machine.travel(moment, tick=False):
        call_command("certificates", "remind", "--dry-run", stdout=dry)
    assert "Would send 1 (60 days: 0, 30 days: 1, expiry day: 0)" in dry.getvalue()
    assert mail.outbox == [] and reminders() == []

    first = remind(EXPIRY - 30 * DAY)
    second = remind(EXPIRY - 30 * DAY, hour=20)

    assert "Certificate reminders on 2027-01-29: Sent 1 (60 days: 0, 30 days: 1" in first
    assert "Sent 0" in second and "already sent 1" in second


def test_a_renewed_certificate_is_reminded_of_again(office, certificate, product):
    remind(EXPIRY - 30 * DAY)
    renewed = datetime.date(2027, 3, 1)
    new_expiry = datetime.date(2030, 2, 28)
    certificate.issue_date, certificate.expiry_date = renewed, new_expiry
    certificate.decision_number = "88/QĐ-UBND"
    certificate.save()  # changed facts: pending until the office verifies them
    decisions.verify(certificate, None)

    remind(new_expiry - 30 * DAY)

    assert reminders() == [(30, new_expiry), (30, EXPIRY)]
