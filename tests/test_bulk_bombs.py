"""Small files that would make the import run for minutes or fill the memory: each is
refused (or read) quickly, with a message that says the limit and what to do.

Every import runs inside `bounded()`: without the limits, these tests fail by running
out of time or memory there, rather than hanging.
"""

import io
import re
import zipfile
from collections.abc import Callable
from typing import IO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from marketplace.office.bulk.importing import run_import
from marketplace.office.bulk.models import PendingImport
from producers.models import ProducerPage
from products.models import ProductPage
from tests.bulk_fixtures import (  # noqa: F401 - places_fixture: the `places` fixture
    bounded,
    csv_text,
    places_fixture,
    producer_row,
    product_row,
    workbook_bytes,
    xlsx,
    xlsx_workbook,
)

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.producer_accounts_fixtures"]

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
TYPES = "[Content_Types].xml"
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 2**20


def import_in_english(content: bytes, filename: str):
    with translation.override("en"):
        return run_import(content, filename)


def refused(report) -> str:
    assert not report.ok and not report.written
    assert not ProducerPage.objects.exists()
    return " ".join(str(problem.message) for problem in report.problems)


Writer = Callable[[IO[bytes]], None]


def with_parts(content: bytes, parts: dict[str, Writer]) -> bytes:
    """The workbook with these parts written (replaced or added) by their writers,
    streamed: a bomb's content never sits in memory whole, even while it is made."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for name in source.namelist():
            if name not in parts:
                target.writestr(name, source.read(name))
        for name, write in parts.items():
            with target.open(name, "w", force_zip64=True) as part:
                write(part)
    return buffer.getvalue()


def part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def claiming(content: bytes, dimension: str) -> bytes:
    """The workbook with its sheet claiming another size than it has."""
    sheet = part(content, SHEET)
    claimed = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), sheet)
    assert claimed != sheet
    return with_parts(content, {SHEET: lambda out: out.write(claimed)})


def with_shared_string(content: bytes, text: str, write_string: Writer) -> bytes:
    """The workbook with the cell holding `text` turned into a reference to the only
    shared string, written by `write_string` (openpyxl writes cells inline; Excel
    shares its strings)."""
    inline = f'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>{text}</t></is></c>'.encode()
    sheet = re.sub(inline, rb'<c r="\1" t="s"><v>0</v></c>', part(content, SHEET))
    types = part(content, TYPES).replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )

    def write_strings(out: IO[bytes]) -> None:
        out.write(b'<sst xmlns="%s" count="1" uniqueCount="1"><si><t>' % MAIN)
        write_string(out)
        out.write(b"</t></si></sst>")

    return with_parts(
        content,
        {
            SHEET: lambda out: out.write(sheet),
            TYPES: lambda out: out.write(types),
            STRINGS: write_strings,
        },
    )


def shared_string_bomb(megabytes: int) -> bytes:
    """A producers workbook whose title cell is one shared string of that many MB of "A"."""

    def write(out: IO[bytes]) -> None:
        for _ in range(megabytes):
            out.write(b"A" * MB)

    return with_shared_string(xlsx([producer_row(title="BOMB")]), "BOMB", write)


def test_a_sheet_claiming_every_row_and_column_is_read_as_what_it_holds(places):
    # Rows left blank but present (a space typed in column A), as in a sheet that was
    # cleared rather than deleted; the sheet claims to be as large as Excel allows.
    workbook = xlsx_workbook([producer_row("P1"), producer_row("P2")])
    for number in range(4, 5_004):
        workbook["producers"].cell(number, 1, " ")
    content = claiming(workbook_bytes(workbook), "A1:XFD1048576")
    assert len(content) < 100_000

    with bounded(seconds=5):
        report = run_import(content, "claims.xlsx")

    assert report.ok, report.problems
    assert report.summary["created"] == 2


def test_a_cell_placed_far_out_is_not_read_and_costs_nothing(places):
    # Excel's last cell: openpyxl itself then declares the sheet A1:XFD1048576.
    workbook = xlsx_workbook([producer_row("P1")])
    workbook["producers"]["XFD1048576"] = "x"
    content = workbook_bytes(workbook)

    with bounded(seconds=5):
        report = run_import(content, "far.xlsx")

    assert report.ok, report.problems
    assert ProducerPage.objects.get().title == producer_row("P1")["title"]


def test_a_value_beyond_the_columns_read_refuses_the_sheet(places):
    workbook = xlsx_workbook([producer_row("P1")])
    workbook["producers"]["CW2"] = "ghi chú"  # column 101
    content = workbook_bytes(workbook)

    with bounded(seconds=5):
        message = refused(import_in_english(content, "wide.xlsx"))

    assert "Row 2 has a value right of column CV" in message
    assert "at most 100 columns" in message


@pytest.mark.parametrize(
    ("megabytes", "expected"),
    [
        (200, "This workbook unpacks to more than 100 MB: split it into smaller files"),
        (20, "This workbook unpacks to more than 100 times its size, which spreadsheets never do"),
    ],
)
def test_a_shared_string_zip_bomb_is_refused_before_it_is_unpacked(places, megabytes, expected):
    content = shared_string_bomb(megabytes)
    assert len(content) < MB

    with bounded(seconds=5, megabytes=5):
        message = refused(import_in_english(content, "bomb.xlsx"))

    assert expected in message


def test_the_office_uploading_a_bomb_is_told_why_on_the_page(office_client, places):
    upload = SimpleUploadedFile("catalogue.xlsx", shared_string_bomb(20))

    with bounded(seconds=5):
        response = office_client.post(reverse("bulk:import"), {"file": upload})

    assert response.status_code == 200
    assert "unpacks to more than 100 times its size" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_shared_string_reads_as_its_text(places):
    # The bombs' shared string, without the bomb: the cell imports.
    content = with_shared_string(
        xlsx([producer_row(title="BOMB")]), "BOMB", lambda out: out.write("HTX Gốm".encode())
    )
    assert run_import(content, "shared.xlsx").ok
    assert ProducerPage.objects.get().title == "HTX Gốm"


def test_an_xml_entity_bomb_is_refused(places):
    # A billion "ha": refused by defusedxml, which openpyxl uses when it is installed.
    entities = b'<!ENTITY a0 "ha">' + b"".join(
        b'<!ENTITY a%d "%s">' % (n, b"&a%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    content = xlsx([producer_row(title="BOMB")])
    strings = b"<!DOCTYPE sst [" + entities + b"]>"
    content = with_shared_string(content, "BOMB", lambda out: out.write(b"&a9;"))
    content = with_parts(
        content, {STRINGS: lambda out: out.write(strings + part(content, STRINGS))}
    )

    with bounded(seconds=5, megabytes=50):
        assert refused(run_import(content, "laughs.xlsx"))


def test_a_csv_file_with_two_million_columns_is_refused_at_its_first_row(places):
    header = csv_text("producers", []).strip()  # named columns: the kind is recognised
    content = (header + ",x" * 2_000_000 + "\r\n" + "P1" + "," * 2_000_000).encode()
    assert len(content) < 10 * MB

    with bounded(seconds=5, megabytes=50):
        message = refused(import_in_english(content, "wide.csv"))

    assert "Row 1 is longer than 131,072 characters" in message


def test_a_csv_row_with_more_columns_than_read_is_refused(places):
    text = csv_text("producers", [producer_row()])
    header, row, _ = text.split("\r\n")
    content = "\r\n".join([header, row + ",x" * 90, ""]).encode()  # 16 + 90 columns

    with bounded(seconds=5):
        message = refused(import_in_english(content, "wide.csv"))

    assert "Row 2 has a value right of column CV: a sheet may have at most 100 columns" in message


def overlong_products(filename: str) -> bytes:
    """A product whose ingredients (which have no length limit of their own) run to
    35,000 characters; openpyxl would cut them at 32,767, so they are shared."""
    ingredients = "Cá cơm, muối. " * 2_500
    if filename.endswith(".csv"):
        return csv_text("products", [product_row(ingredients=ingredients)]).encode()
    content = xlsx(products=[product_row(ingredients="LONG")])
    return with_shared_string(content, "LONG", lambda out: out.write(ingredients.encode()))


@pytest.mark.parametrize("filename", ["products.xlsx", "products.csv"])
def test_an_overlong_cell_is_named_and_nothing_is_written(places, filename):
    assert run_import(xlsx([producer_row()]), "producers.xlsx").written
    content = overlong_products(filename)

    with bounded(seconds=5):
        report = import_in_english(content, filename)

    assert not report.written
    assert not ProductPage.objects.exists()
    assert [(p.row, p.column) for p in report.problems] == [(2, "ingredients")]
    assert (
        "holds 35,000 characters; a cell may hold at most 32,767: shorten it"
        in report.problems[0].message
    )
