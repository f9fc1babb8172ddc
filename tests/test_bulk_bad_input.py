"""Files the import must refuse, or read correctly, without writing anything wrong."""

import datetime
import io
import os
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import Workbook
from PIL import Image

from marketplace.certificates.models import OcopCertificate
from marketplace.office.bulk.cells import CellError, parse_date
from marketplace.office.bulk.importing import run_import
from producers.models import ProducerPage
from products.models import ProductPage
from tests.bulk_fixtures import (  # noqa: F401 - places_fixture: the `places` fixture
    csv_text,
    places_fixture,
    producer_row,
    product_row,
    xlsx,
)

pytestmark = pytest.mark.django_db


def refused(report) -> str:
    """The file-level message of a refused file (nothing written)."""
    assert not report.ok and not report.written
    assert not ProducerPage.objects.exists()
    return " ".join(str(p.message) for p in report.problems)


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below


def windows_1258(text: str) -> bytes:
    """As Windows writes it: letters it lacks (ớ, ắ, ạ…) as a base letter + a tone mark."""
    encoded = b""
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = [mark for mark in decomposed if mark in TONE_MARKS]
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            encoded += (base + "".join(tones)).encode("cp1258")
    return encoded


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, filename",
    [
        (os.urandom(2048), "random.xlsx"),
        (os.urandom(2048), "random.csv"),
        (png_bytes(), "picture.xlsx"),
        (png_bytes(), "picture.csv"),
        (b"", "empty.xlsx"),
        (b"   \n", "blank.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old.xls"),
        (b"PK\x03\x04" + os.urandom(300), "broken.xlsx"),
        (b"name,price\nNuoc mam,120000\n", "unknown.csv"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(places, content, filename):
    assert refused(run_import(content, filename))


def test_a_workbook_without_our_sheets_is_refused(places):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "producers" in refused(run_import(buffer.getvalue(), "other.xlsx"))


def test_missing_and_unknown_columns_are_named(places):
    header = ["external_id", "title", "legal_form", "locality", "addres", "colour"]
    content = csv_text("producers", [producer_row()], header).encode()

    report = run_import(content, "producers.csv")

    refused(report)
    assert {(p.row, p.column) for p in report.problems} == {
        (1, "address"),  # missing
        (1, "addres"),  # unknown
        (1, "colour"),
    }


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "cp1258"],
)
def test_csv_in_utf8_with_or_without_bom_and_windows_1258(places, encoding):
    name = "HTX Nước mắm Điện Dương"
    text = csv_text("producers", [producer_row(title=name, address="Thôn Hà Quảng")])
    if encoding == "cp1258":
        content = windows_1258(text)
        assert "\u0301".encode("cp1258") in content  # a combining acute: "ớ", "ắ"…
    else:
        content = text.encode(encoding)

    report = run_import(content, "producers.csv")

    assert report.ok, report.problems
    page = ProducerPage.objects.get()
    assert page.title == name
    assert unicodedata.is_normalized("NFC", page.title)
    assert page.address == "Thôn Hà Quảng"


def test_csv_products_are_recognised_by_their_header_or_named(places):
    run_import(csv_text("producers", [producer_row()]).encode(), "producers.csv")
    products = csv_text("products", [product_row()]).encode()

    assert run_import(products, "products.csv").summary["created"] == 1
    semicolons = products.replace(b",", b";")
    assert run_import(semicolons, "p.csv", kind="products").summary["unchanged"] == 1


def test_formulas_are_refused_cell_by_cell(places):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "producers"
    row = producer_row()
    sheet.append(list(row))
    sheet.append(list(row.values()))
    sheet["B2"] = '=CONCAT("HTX ", "A")'
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run_import(buffer.getvalue(), "formula.xlsx")

    assert {(p.row, p.column) for p in report.problems} == {(2, "title")}
    assert "CONCAT" in str(report.problems[0].message)
    assert not ProducerPage.objects.exists()


def test_formulas_in_csv_are_refused_too(places):
    text = csv_text("producers", [producer_row(summary='=HYPERLINK("http://x")')])
    report = run_import(text.encode(), "producers.csv")
    assert {p.column for p in report.problems} == {"summary"}


FORMULA_LIKE = [
    "+1+2",
    "-1+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+2",  # a tab, a carriage return or spaces before the sign
    "\r-1+2",
    '  =HYPERLINK("http://evil.example")',
    " +84 gọi ngay",
]


@pytest.mark.parametrize("text", FORMULA_LIKE)
@pytest.mark.parametrize("filename", ["producers.csv", "producers.xlsx"])
def test_text_a_spreadsheet_would_run_is_refused_like_a_formula(places, text, filename):
    row = producer_row(summary=text)
    content = csv_text("producers", [row]).encode() if filename.endswith(".csv") else xlsx([row])

    report = run_import(content, filename)

    assert {(p.row, p.column) for p in report.problems} == {(2, "summary")}
    assert text.strip()[:10] in str(report.problems[0].message)
    assert not ProducerPage.objects.exists()


def test_every_formula_like_cell_is_named_at_once(places):
    content = xlsx([producer_row(title="+HTX", address="@Thôn 1", summary="=1+1")])

    report = run_import(content, "producers.xlsx")

    assert {(p.row, p.column) for p in report.problems} == {
        (2, "title"),
        (2, "address"),
        (2, "summary"),
    }


def test_signs_still_import_where_numbers_are_meant(places):
    row = producer_row(
        phone="+84 905 123 456",
        zalo_phone="+84905123456",
        latitude="+15.8801",
        longitude="108.2512",
        summary="-",  # a sign alone is text: "none"
    )

    report = run_import(csv_text("producers", [row]).encode(), "producers.csv")

    assert report.ok, report.problems
    page = ProducerPage.objects.get()
    assert (page.phone, page.zalo_phone) == ("+84905123456", "+84905123456")
    assert page.latitude == Decimal("15.8801")
    assert page.summary == "-"


def test_a_negative_price_is_a_wrong_number_not_a_formula(places):
    run_import(csv_text("producers", [producer_row()]).encode(), "producers.csv")
    content = csv_text("products", [product_row(price_vnd="-5")]).encode()

    report = run_import(content, "products.csv")

    assert [(p.row, p.column) for p in report.problems] == [(2, "price_vnd")]
    assert "formula" not in str(report.problems[0].message)


def test_duplicate_external_ids(places):
    content = xlsx([producer_row("P1"), producer_row("P2"), producer_row("P1")])

    report = run_import(content, "dup.xlsx")

    assert {(p.row, p.column) for p in report.problems} == {(4, "external_id")}
    assert not ProducerPage.objects.exists()


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("15/03/2024", datetime.date(2024, 3, 15)),
        ("5/3/2024", datetime.date(2024, 3, 5)),
        ("5-3-2024", datetime.date(2024, 3, 5)),
        ("05.03.2024", datetime.date(2024, 3, 5)),
        ("2024-03-15", datetime.date(2024, 3, 15)),
        (datetime.datetime(2024, 3, 15), datetime.date(2024, 3, 15)),
        (datetime.date(2024, 3, 15), datetime.date(2024, 3, 15)),
    ],
)
def test_dates_in_the_accepted_formats(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell", ["03/04/24", "2024/03/15", "31/02/2024", "15/13/2024", "March 5, 2024", 45366, "0"]
)
def test_ambiguous_or_invalid_dates_are_refused(cell):
    with pytest.raises(CellError):
        parse_date(cell)


def test_an_excel_date_cell_imports(places):
    content = xlsx([producer_row()], [product_row(ocop_issue_date=datetime.datetime(2024, 3, 15))])
    assert run_import(content, "dates.xlsx").ok
    assert OcopCertificate.objects.get().issue_date == datetime.date(2024, 3, 15)


def test_bad_dates_are_reported_per_row(places):
    content = xlsx(
        [producer_row()],
        [
            product_row("SP1", ocop_issue_date="03/04/24"),
            product_row("SP2", ocop_issue_date="2024-02-30"),
            product_row("SP3", ocop_issue_date=45366),
            product_row("SP4", ocop_issue_date="2099-01-01"),  # in the future
        ],
    )

    report = run_import(content, "dates.xlsx")

    assert {(p.row, p.column) for p in report.problems} == {
        (2, "ocop_issue_date"),
        (3, "ocop_issue_date"),
        (4, "ocop_issue_date"),
        (5, "ocop_issue_date"),
    }
    assert not ProductPage.objects.exists()
