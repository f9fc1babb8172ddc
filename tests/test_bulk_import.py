"""Importing producers and products from a spreadsheet: the dry run, the real run, the
round trip through the export, and the moderation rules."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from wagtail.models import ReferenceIndex, Revision

from marketplace.certificates.models import OcopCertificate
from marketplace.office.bulk.exporting import export_workbook, template_workbook
from marketplace.office.bulk.importing import run_import
from marketplace.office.bulk.models import ExternalId
from producers.accounts import create_producer_account
from producers.models import ProducerPage
from products.models import ProductPage
from search.backends.database import DatabaseBackend
from search.models import ProductSearchEntry
from search.query import ProductQuery
from tests.bulk_fixtures import (  # noqa: F401 - places_fixture: the `places` fixture
    places_fixture,
    producer_row,
    product_row,
    xlsx,
)
from tests.factories import make_producer, make_product

pytestmark = pytest.mark.django_db


def problems_at(report) -> set[tuple[str, int | None, str]]:
    return {(p.sheet, p.row, p.column) for p in report.problems}


def good_file() -> bytes:
    return xlsx(
        [producer_row("P1"), producer_row("P2", legal_form="household", phone="")],
        [
            product_row("SP1", "P1"),
            product_row("SP2", "P1", availability="seasonal", season_months="6, 7"),
            product_row(
                "SP3",
                "P2",
                ocop_stars=None,
                ocop_decision_number=None,
                ocop_issuing_level=None,
                ocop_issuing_body=None,
                ocop_issue_date=None,
            ),
        ],
    )


def test_dry_run_reports_every_error_and_writes_nothing(places):
    content = xlsx(
        [
            producer_row("P1", legal_form="sole trader"),  # row 2: not a legal form
            producer_row("P2", latitude=15.9),  # row 3: latitude without longitude
            producer_row("P3", phone="12345"),  # row 4: not a Vietnamese number
            producer_row("P4"),
        ],
        [
            product_row("SP1", "P9"),  # row 2: no such producer
            product_row("SP2", "P4", price_vnd="abc"),  # row 3: not a number
            product_row("SP3", "P4", ocop_issue_date="31/02/2024"),  # row 4: no such day
            product_row("SP4", "P4", ocop_stars=5),  # row 5: 5 stars are central
            product_row("SP4", "P4"),  # row 6: the id again
            product_row("SP5", "P4", price_vnd=None),  # row 7: no price, not on request
            product_row("SP6", "P4", category="rau"),  # row 8: no such category
            product_row("SP7", "P3"),  # row 9: its producer has errors
        ],
    )
    report = run_import(content, "catalogue.xlsx", dry_run=True)

    assert problems_at(report) == {
        ("producers", 2, "legal_form"),
        ("producers", 3, "longitude"),
        ("producers", 4, "phone"),
        ("products", 2, "producer_external_id"),
        ("products", 3, "price_vnd"),
        ("products", 4, "ocop_issue_date"),
        ("products", 5, "ocop_issuing_level"),
        ("products", 6, "external_id"),
        ("products", 7, "price_vnd"),
        ("products", 8, "category"),
        ("products", 9, "producer_external_id"),
    }
    assert all(str(p.message) for p in report.problems)
    assert not report.written
    assert not ProducerPage.objects.exists()
    assert not ProductPage.objects.exists()
    assert not ExternalId.objects.exists()


def test_dry_run_of_a_good_file_writes_nothing(places):
    report = run_import(good_file(), "catalogue.xlsx", dry_run=True)

    assert report.ok
    assert report.summary == {"created": 5, "updated": 0, "unchanged": 0, "errors": 0}
    assert not ProductPage.objects.exists()


def test_a_good_file_is_written_live_with_revisions_and_pending_certificates(places):
    report = run_import(good_file(), "catalogue.xlsx")

    assert report.ok, report.problems
    assert report.written
    assert report.summary == {"created": 5, "updated": 0, "unchanged": 0, "errors": 0}
    producer = ProducerPage.objects.get(title="HTX Nước mắm P1")
    assert producer.live and producer.display_name == "HTX Nước mắm P1"
    assert producer.phone == "+84905123456"
    products = ProductPage.objects.child_of(producer).specific()
    assert {p.title for p in products} == {"Nước mắm cá cơm SP1", "Nước mắm cá cơm SP2"}
    for page in ProductPage.objects.all():
        assert page.live and not page.has_unpublished_changes
        assert page.live_revision_id == page.latest_revision_id
        assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1
    seasonal = ProductPage.objects.get(title="Nước mắm cá cơm SP2")
    assert seasonal.season_months == [6, 7]
    certificate = OcopCertificate.objects.get(decision_number="SP1/QĐ-UBND")
    assert certificate.status == OcopCertificate.Status.PENDING
    assert certificate.issue_date == datetime.date(2024, 3, 15)
    assert certificate.expiry_date == datetime.date(2027, 3, 14)  # 36 months by default
    assert OcopCertificate.objects.count() == 2
    assert ExternalId.objects.filter(kind="products").count() == 3


def test_importing_the_same_file_again_changes_nothing(places):
    run_import(good_file(), "catalogue.xlsx")
    revisions = Revision.objects.count()

    report = run_import(good_file(), "catalogue.xlsx")

    assert report.summary == {"created": 0, "updated": 0, "unchanged": 5, "errors": 0}
    assert Revision.objects.count() == revisions


def test_a_changed_row_makes_one_new_published_revision(places):
    run_import(good_file(), "catalogue.xlsx")
    product = ProductPage.objects.get(title="Nước mắm cá cơm SP1")
    revisions = Revision.page_revisions.filter(object_id=str(product.pk)).count()

    changed = xlsx(products=[product_row("SP1", "P1", price_vnd=135000)])
    report = run_import(changed, "catalogue.xlsx")

    assert report.summary == {"created": 0, "updated": 1, "unchanged": 0, "errors": 0}
    product.refresh_from_db()
    assert product.price_vnd == 135000
    assert Revision.page_revisions.filter(object_id=str(product.pk)).count() == revisions + 1


def test_a_changed_certificate_goes_back_to_pending(places):
    run_import(good_file(), "catalogue.xlsx")
    certificate = OcopCertificate.objects.get(decision_number="SP1/QĐ-UBND")
    OcopCertificate.objects.filter(pk=certificate.pk).update(status="verified")

    run_import(xlsx(products=[product_row("SP1", "P1")]), "same.xlsx")
    assert OcopCertificate.objects.get(pk=certificate.pk).status == "verified"

    report = run_import(xlsx(products=[product_row("SP1", "P1", ocop_stars=3)]), "c.xlsx")
    assert report.summary["updated"] == 1
    certificate = OcopCertificate.objects.get(decision_number="SP1/QĐ-UBND")
    assert (certificate.stars, certificate.status) == (3, "pending")


def test_export_then_import_changes_nothing(site, places):
    producer = make_producer(
        site.producers, "HTX Gốm Thanh Hà", latitude=Decimal("15.88"), longitude=Decimal("108.25")
    )
    make_product(producer, "Bình gốm", stars=4, price_vnd=None, price_on_request=True)
    make_product(producer, "Bát gốm", availability="seasonal", season_months=[1, 12])
    run_import(good_file(), "catalogue.xlsx")
    revisions = Revision.objects.count()

    exported = export_workbook()
    report = run_import(exported, "export.xlsx")

    assert report.ok, report.problems
    assert report.summary == {"created": 0, "updated": 0, "unchanged": 8, "errors": 0}
    assert Revision.objects.count() == revisions
    sheet = load_workbook(io.BytesIO(exported))["products"]
    titles = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"Bình gốm", "Bát gốm", "Nước mắm cá cơm SP3"} <= titles


def test_the_template_has_the_headers_and_imports_as_nothing(places):
    workbook = load_workbook(io.BytesIO(template_workbook()))
    assert {"producers", "products", "help"} <= set(workbook.sheetnames)
    header = [cell.value for cell in workbook["products"][1]]
    assert header[:2] == ["external_id", "producer_external_id"]
    assert "ocop_issue_date" in header

    report = run_import(template_workbook(), "template.xlsx")
    assert report.ok and report.summary["created"] == 0


def test_without_publish_permission_the_changes_go_to_moderation(site, places):
    run_import(good_file(), "catalogue.xlsx")
    producer_page = ProducerPage.objects.get(title="HTX Nước mắm P1")
    account = create_producer_account(producer_page, "p1@example.com")

    changed = xlsx(products=[product_row("SP1", "P1", price_vnd=99000)])
    report = run_import(changed, "catalogue.xlsx", user=account.user)

    assert report.written, report.problems
    product = ProductPage.objects.get(title="Nước mắm cá cơm SP1")
    assert product.price_vnd == 120000  # the live page is unchanged
    assert product.has_unpublished_changes
    assert product.get_latest_revision_as_object().price_vnd == 99000
    assert product.workflow_in_progress


def test_a_user_may_not_import_into_other_producers_pages(site, places):
    run_import(good_file(), "catalogue.xlsx")
    account = create_producer_account(ProducerPage.objects.get(title="HTX Nước mắm P1"), "a@x.vn")

    other = xlsx(products=[product_row("SP3", "P2", price_vnd=1000)])
    report = run_import(other, "catalogue.xlsx", user=account.user)

    assert problems_at(report) == {("products", 2, "external_id")}
    assert ProductPage.objects.get(title="Nước mắm cá cơm SP3").price_vnd == 120000


def test_the_command_dry_run_and_import(places, tmp_path, capsys):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(good_file())

    call_command("catalogue", "import", str(path), "--dry-run")
    assert not ProductPage.objects.exists()
    assert "5" in capsys.readouterr().out

    call_command("catalogue", "import", str(path))
    assert ProductPage.objects.live().count() == 3
    output = capsys.readouterr()
    assert "3/3" not in output.out  # the progress bar goes to stderr
    assert "5/5" in output.err

    export = tmp_path / "export.xlsx"
    call_command("catalogue", "export", str(export))
    call_command("catalogue", "import", str(export))
    assert "0" in capsys.readouterr().out


def test_the_command_fails_on_errors(places, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError):
        call_command("catalogue", "import", str(path))


def test_a_producer_users_new_product_waits_for_the_office(site, places):
    run_import(good_file(), "catalogue.xlsx")
    account = create_producer_account(ProducerPage.objects.get(title="HTX Nước mắm P1"), "a@x.vn")

    report = run_import(xlsx(products=[product_row("SP9", "P1")]), "new.xlsx", user=account.user)

    assert report.written, report.problems
    page = ProductPage.objects.get(title="Nước mắm cá cơm SP9")
    assert not page.live
    assert page.workflow_in_progress


def test_the_id_of_a_deleted_page_can_be_used_again(places):
    run_import(good_file(), "catalogue.xlsx")
    ProductPage.objects.get(title="Nước mắm cá cơm SP1").delete()

    report = run_import(xlsx(products=[product_row("SP1", "P1")]), "again.xlsx")

    assert report.summary["created"] == 1
    assert ProductPage.objects.filter(title="Nước mắm cá cơm SP1").exists()
    assert ExternalId.objects.filter(kind="products", external_id="SP1").count() == 1


def test_imported_pages_are_searchable_once_committed(places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert run_import(good_file(), "catalogue.xlsx").ok
    # One catalogue search update and one Wagtail index update for the whole import,
    # not some for each of the five pages (the search vocabulary follows the entries'
    # version token, so it needs no callback of its own). Not
    # counted: each published page's own images resized after the commit
    # (renditions_ahead, per page) and the page cache's new generation (once per
    # transaction: registered already if the fixture's saves came first).
    others = {"marketplace.core.renditions_ahead", "marketplace.core.page_cache"}
    assert len([c for c in callbacks if c.__module__ not in others]) == 2

    products = ProductPage.objects.all()
    producer = ProducerPage.objects.get(title="HTX Nước mắm P1")
    # The catalogue search (database backend)...
    entries = ProductSearchEntry.objects.filter(page__in=products)
    assert entries.count() == products.count() == 3
    hits = DatabaseBackend().search_products(ProductQuery(q="nuoc mam ca com SP1")).hits
    assert hits[0].title == "Nước mắm cá cơm SP1"
    # ...the admin's page search and the reference index.
    assert producer in ProducerPage.objects.search("HTX Nước mắm P1")
    assert ReferenceIndex.get_references_for_object(products.first()).exists()
