"""The office's certificate admin: the list, its filters and exports, the decisions, the
dashboard and the producer's read-only view of the status in the product editor."""

import csv
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document

from marketplace.certificates.models import OcopCertificate
from producers.models import Locality
from tests.producer_accounts_helpers import edit_url, is_denied

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.producer_accounts_fixtures", "tests.certificates_fixtures"]

INDEX = reverse("certificates_admin:index")


def detail_url(certificate: OcopCertificate) -> str:
    return reverse("certificates_admin:detail", args=[certificate.pk])


def csv_rows(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"{INDEX}?export=csv&{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def listed(client: Client, query: str = "") -> set[str]:
    """The products whose certificates the list shows, with this query string."""
    return {row["Product"] for row in csv_rows(client, query)}


def titles(certified: dict, *names: str) -> set[str]:
    return {certified[name].page.title for name in names}


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def status_of(certificate: OcopCertificate) -> str:
    return OcopCertificate.objects.get(pk=certificate.pk).status


# The list. ----------------------------------------------------------------------------


def test_the_list_shows_every_certificate_once_with_its_status(
    office_client, certified, translate_product
):
    translate_product(certified["valid"].page)  # an English copy: still one row
    response = office_client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for certificate in certified.values():
        assert certificate.page.title in html
        assert certificate.decision_number in html
    assert "(EN)" not in html
    for label in ("Awaiting verification", "Verified, valid", "Verified, expiring soon"):
        assert label in html
    assert "Không đạt khi đánh giá lại." in html  # the reason of the revocation
    assert listed(office_client) == titles(certified, *certified)
    assert len(csv_rows(office_client)) == len(certified)


def test_only_the_office_sees_the_list(producer_a, certified):
    assert is_denied(producer_a.client.get(INDEX))
    assert is_denied(producer_a.client.get(f"{INDEX}?export=csv"))
    assert is_denied(producer_a.client.get(detail_url(certified["pending"])))
    response = Client().get(INDEX)
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", {"pending"}),
        ("status=valid", {"valid", "expiring"}),
        ("status=expired", {"expired"}),
        ("status=rejected", {"rejected"}),
        ("status=revoked", {"revoked"}),
        ("stars=3", {"valid"}),
        ("stars=5", {"revoked"}),
        ("expiring_within=30", {"expiring"}),
        ("expiring_within=19", set()),
        ("expiring_within=20", {"expiring"}),
        ("status=valid&expiring_within=60", {"expiring"}),
        ("stars=4&status=pending", {"pending"}),
        ("q=mắm", {"pending", "valid"}),
        ("q=Hà My", {"rejected", "revoked", "expiring"}),
    ],
)
def test_filters(office_client, certified, query, expected):
    assert listed(office_client, query) == titles(certified, *expected)
    assert office_client.get(f"{INDEX}?{query}").status_code == 200


def test_locality_filter_is_the_producers(office_client, certified):
    dien_phuong = Locality.objects.get(slug="dien-phuong")
    expected = titles(certified, "pending", "valid", "expired")
    assert listed(office_client, f"locality={dien_phuong.pk}") == expected
    assert listed(office_client, f"locality={dien_phuong.pk}&stars=3") == titles(certified, "valid")


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "stars=7",
        "stars=abc",
        "expiring_within=-5",
        "expiring_within=abc",
        "expiring_within=99999999999999999999",
        "locality=999999",
        "locality=abc",
        "ordering=nonsense",
        "p=999",
    ],
)
def test_bad_filter_values_never_fail(office_client, certified, query):
    assert office_client.get(f"{INDEX}?{query}").status_code == 200
    assert office_client.get(f"{INDEX}?{query}&export=xlsx").status_code == 200


@pytest.mark.parametrize(
    "ordering",
    ["page__title", "-producer_name", "stars", "-expiry_date", "status", "locality_name"],
)
def test_every_column_sorts(office_client, certified, ordering):
    response = office_client.get(f"{INDEX}?ordering={ordering}")
    assert response.status_code == 200


def test_csv_export(office_client, certified):
    rows = {row["Product"]: row for row in csv_rows(office_client, "status=revoked")}
    revoked = certified["revoked"]
    assert list(rows) == [revoked.page.title]
    row = rows[revoked.page.title]
    assert row == {
        "Certificate ID": str(revoked.pk),
        "Product": "Bánh tráng",
        "Producer": "HTX Hà My",
        "Locality": "Điện Dương",
        "Stars": "5",
        "Decision number": revoked.decision_number,
        "Issuing level": "Central",
        "Issuing body": "UBND tỉnh Quảng Nam",
        "Issue date": revoked.issue_date.isoformat(),
        "Expiry date": revoked.expiry_date.isoformat(),
        "Status": "Revoked",
        "Reason": "Không đạt khi đánh giá lại.",
        "Status changed at": row["Status changed at"],
    }
    assert row["Status changed at"].startswith(revoked.status_changed_at.date().isoformat())


def test_csv_export_in_the_users_language(office_user, certified):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(office_user)
    profile.preferred_language = "vi"
    profile.save()
    client = Client()
    client.force_login(office_user)
    response = client.get(f"{INDEX}?export=csv&status=revoked")
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header.split(",")[1] == "Sản phẩm"


def test_xlsx_export_matches_the_csv(office_client, certified):
    response = office_client.get(f"{INDEX}?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    csv_export = csv_rows(office_client)
    assert header == list(csv_export[0])
    assert [row[1] for row in rows] == [row["Product"] for row in csv_export]
    assert {row[header.index("Status")] for row in rows} == {row["Status"] for row in csv_export}


# Decisions. ---------------------------------------------------------------------------


def decide(client: Client, certificate: OcopCertificate, decision: str, **fields):
    data = {"decision": decision, **{f"{decision}-{k}": v for k, v in fields.items()}}
    return client.post(detail_url(certificate), data, follow=True)


def test_detail_offers_only_the_allowed_decisions(office_client, certified):
    html = office_client.get(detail_url(certified["pending"])).content.decode()
    assert 'value="verified"' in html and 'value="rejected"' in html
    assert 'value="revoked"' not in html
    assert edit_url(certified["pending"].page) in html
    html = office_client.get(detail_url(certified["valid"])).content.decode()
    assert 'value="revoked"' in html and 'value="verified"' not in html
    html = office_client.get(detail_url(certified["revoked"])).content.decode()
    assert 'name="decision"' not in html


def test_verify_and_show_the_scanned_decision(office_client, office_user, certified):
    pending = certified["pending"]
    document = Document.objects.create(
        title="Quyết định 3/QĐ-UBND", file=ContentFile(b"%PDF-1.4 scan", name="qd.pdf")
    )
    OcopCertificate.objects.filter(pk=pending.pk).update(document=document)
    html = office_client.get(detail_url(pending)).content.decode()
    assert document.url in html
    response = decide(office_client, pending, "verified", show_document="on")
    assert messages_of(response) == [f"{pending} is now “Verified”."]
    pending.refresh_from_db()
    assert pending.status == "verified"
    assert pending.document_public is True
    assert pending.status_changed_by == office_user


def test_reject_needs_a_reason(office_client, certified):
    pending = certified["pending"]
    response = decide(office_client, pending, "rejected", reason="   ")
    assert response.status_code == 200
    assert "Give the reason for this decision." in response.content.decode()
    assert status_of(pending) == "pending"
    decide(office_client, pending, "rejected", reason="Số quyết định không có trong sổ.")
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == (
        "rejected",
        "Số quyết định không có trong sổ.",
    )


def test_revoke_with_a_reason(office_client, certified):
    valid = certified["valid"]
    response = decide(office_client, valid, "revoked", reason="QĐ 55/QĐ-UBND thu hồi.")
    assert messages_of(response) == [f"{valid} is now “Revoked”."]
    valid.refresh_from_db()
    assert (valid.status, valid.status_reason) == ("revoked", "QĐ 55/QĐ-UBND thu hồi.")


@pytest.mark.parametrize(
    ("name", "decision"),
    [("pending", "revoked"), ("revoked", "verified"), ("valid", "rejected"), ("valid", "verified")],
)
def test_a_forged_decision_is_refused_with_a_message(office_client, certified, name, decision):
    certificate = certified[name]
    before = status_of(certificate)
    response = decide(office_client, certificate, decision, reason="Giả mạo")
    [message] = messages_of(response)
    assert message.startswith("The certificate has not been changed: A certificate that is")
    assert status_of(certificate) == before


def test_an_unknown_decision_is_refused(office_client, certified):
    response = office_client.post(
        detail_url(certified["pending"]), {"decision": "approved"}, follow=True
    )
    assert messages_of(response) == ["The certificate has not been changed: unknown decision."]
    assert status_of(certified["pending"]) == "pending"


def test_a_producer_cannot_decide_by_forging_a_post(producer_a, certify):
    certificate = certify(producer_a.page, "Nước mắm A nhĩ", status="pending")
    for decision in ("verified", "rejected", "revoked"):
        data = {"decision": decision, f"{decision}-reason": "Tự duyệt"}
        assert is_denied(producer_a.client.post(detail_url(certificate), data))
    assert status_of(certificate) == "pending"


def test_decisions_need_a_post_with_csrf(office_user, certified):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    response = client.post(detail_url(certified["pending"]), {"decision": "verified"})
    assert response.status_code == 403
    assert status_of(certified["pending"]) == "pending"


def test_missing_certificate_is_404(office_client, db):
    assert office_client.get(reverse("certificates_admin:detail", args=[999999])).status_code == 404


# Dashboard, menu, product editor. -----------------------------------------------------


def test_dashboard_and_menu_show_the_office_what_awaits_verification(
    office_client, producer_a, certified
):
    html = office_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Certificates awaiting verification" in html
    assert "1 OCOP certificate is awaiting verification" in html
    assert detail_url(certified["pending"]) in html
    assert "OCOP certificates (1 pending)" in html
    html = producer_a.client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Certificates awaiting verification" not in html
    assert "OCOP certificates" not in html


def test_the_producer_reads_the_status_in_the_product_editor(producer_a, certify):
    pending = certify(producer_a.page, "Nước mắm A nhĩ", status="pending")
    rejected = certify(producer_a.page, "Mắm nêm A", status="rejected")
    html = producer_a.client.get(edit_url(pending.page)).content.decode()
    assert f"OCOP certificate {pending} is awaiting the office’s verification" in html
    html = producer_a.client.get(edit_url(rejected.page)).content.decode()
    assert (
        f"OCOP certificate {rejected} was rejected by the office: Số quyết định không khớp." in html
    )
    # Read-only: the editor has no status field.
    assert "ocop_certificates-0-status" not in html
