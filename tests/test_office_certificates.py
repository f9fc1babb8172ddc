"""The office's certificate tools (issue 14): verifying needs the scanned decision or a
stated check, recorded and shown; pending certificates that have expired or expire soon
are flagged and listed first."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.documents.models import Document

from marketplace.certificates import decisions
from marketplace.certificates.decisions import CertificateStatusError
from marketplace.certificates.models import OcopCertificate
from tests.certificates_fixtures import set_expiry

pytest_plugins = ["tests.producer_accounts_fixtures", "tests.certificates_fixtures"]

CHECKED = "Đối chiếu danh sách quyết định OCOP tỉnh công bố năm 2024; không có bản quét."
TODAY = timezone.localdate()


def detail_url(certificate: OcopCertificate) -> str:
    return reverse("certificates_admin:detail", args=[certificate.pk])


def verify(client, certificate: OcopCertificate, **fields):
    data = {"decision": "verified", **{f"verified-{k}": v for k, v in fields.items()}}
    return client.post(detail_url(certificate), data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def day(date: datetime.date) -> str:
    """A date as the (English, in tests) admin shows it."""
    with translation.override("en"):
        return date_format(date, "SHORT_DATE_FORMAT")


def status_of(certificate: OcopCertificate) -> str:
    return OcopCertificate.objects.get(pk=certificate.pk).status


# Verifying without the scan --------------------------------------------------------------


def test_one_click_verify_without_a_scan_is_refused_with_a_message(office_client, certified):
    pending = certified["pending"]
    assert pending.document_id is None

    response = verify(office_client, pending)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The certificate has not been changed: see the errors below." in messages_of(response)
    assert "No scanned decision is uploaded" in html
    assert status_of(pending) == "pending"


def test_the_service_refuses_it_too(certified, office_user):
    with pytest.raises(CertificateStatusError) as refused:
        decisions.verify(certified["pending"], office_user, reason="   ")

    assert refused.value.code == "no_scan"
    assert status_of(certified["pending"]) == "pending"


def test_verify_without_a_scan_records_how_who_and_when(office_client, office_user, certified):
    pending = certified["pending"]

    response = verify(office_client, pending, reason=CHECKED)

    assert messages_of(response) == [f"{pending} is now “Verified”."]
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == ("verified", CHECKED)
    assert pending.status_changed_by == office_user
    assert pending.status_changed_at is not None
    html = office_client.get(detail_url(pending)).content.decode()
    assert "Checked without the scanned decision" in html
    assert CHECKED in html
    assert office_user.get_username() in html


def test_with_a_scan_no_reason_is_asked(office_client, certified):
    pending = certified["pending"]
    document = Document.objects.create(
        title="Quyết định 3/QĐ-UBND", file=ContentFile(b"%PDF-1.4 scan", name="qd.pdf")
    )
    OcopCertificate.objects.filter(pk=pending.pk).update(document=document)

    html = office_client.get(detail_url(pending)).content.decode()
    response = verify(office_client, pending)

    assert 'name="verified-reason"' not in html
    assert status_of(pending) == "verified"
    assert messages_of(response) == [f"{pending} is now “Verified”."]


# Expired and expiring pending certificates ------------------------------------------------


@pytest.fixture
def pending_by_date(certify, hoa_tien):
    """Pending certificates: one long expired, one expiring in 20 days, one valid for years."""
    expired = set_expiry(
        certify(hoa_tien, "Nước mắm cốt", status="pending", issued=datetime.date(2019, 5, 2)),
        datetime.date(2022, 5, 1),
    )
    expiring = set_expiry(
        certify(hoa_tien, "Bánh tráng", status="pending"), TODAY + datetime.timedelta(days=20)
    )
    fresh = certify(hoa_tien, "Chiếu cói", status="pending")
    return expired, expiring, fresh


def test_pending_list_flags_and_sorts_expired_then_expiring(office_client, pending_by_date):
    expired, expiring, fresh = pending_by_date

    html = office_client.get(reverse("certificates_admin:index"), {"status": "pending"}).text

    positions = [html.index(c.page.title) for c in (expired, expiring, fresh)]
    assert positions == sorted(positions)
    assert f"Expired on {day(datetime.date(2022, 5, 1))}" in html
    assert f"Expires on {day(TODAY + datetime.timedelta(days=20))}" in html
    assert html.count("w-status--label") >= 2


def test_dashboard_puts_expired_and_expiring_first_and_explains(office_client, pending_by_date):
    expired, expiring, fresh = pending_by_date

    html = office_client.get(reverse("wagtailadmin_home")).content.decode()

    panel = html[html.index("Certificates awaiting verification") :]
    positions = [panel.index(c.page.title) for c in (expired, expiring, fresh)]
    assert positions == sorted(positions)
    assert f"Expired on {day(datetime.date(2022, 5, 1))}" in panel
    assert f"within {decisions.EXPIRING_DAYS} days" in panel


def test_validity_by_dates_alone(pending_by_date):
    assert [decisions.validity(c) for c in pending_by_date] == ["expired", "expiring", "valid"]
    assert decisions.public_status(pending_by_date[0]) == "pending"
