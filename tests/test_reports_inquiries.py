"""The office's inquiries report: numbers, exports, date range and who may see it."""

import datetime
import statistics
from collections import defaultdict

import pytest
from django.urls import reverse

from marketplace.inquiries.models import Inquiry
from tests.factories import en
from tests.reports_fixtures import TODAY, Activity, InquirySpec, export_csv, export_xlsx, table_rows

pytest_plugins = ["tests.producer_accounts_fixtures"]

URL = reverse("reports:inquiries")
S = Inquiry.Status
DEFAULT_START = datetime.date(2025, 7, 1)  # this month and the eleven before it
DEFAULT_END = TODAY.date()


def in_period(spec: InquirySpec, start=DEFAULT_START, end=DEFAULT_END) -> bool:
    return start <= spec.sent.date() <= end


def reached_confirmed(spec: InquirySpec) -> bool:
    return any(change.to_status in (S.CONFIRMED, S.PAID, S.FULFILLED) for change in spec.changes)


def was_paid(spec: InquirySpec) -> bool:
    final = spec.changes[-1].to_status if spec.changes else S.NEW
    return final in (S.PAID, S.FULFILLED) or bool(spec.payment_method)


def reply_hours(spec: InquirySpec) -> float | None:
    """The first change a person made (a Stripe payment is no reply)."""
    people = [change.hours for change in spec.changes if change.source == ""]
    return min(people, default=None)


def expected_rows(specs: list[InquirySpec], key) -> dict[str, list]:
    """label → [inquiries, confirmed %, paid %, median hours], computed from the specs."""
    groups = defaultdict(list)
    for spec in specs:
        for label in key(spec):
            groups[label].append(spec)
    rows = {}
    for label, members in groups.items():
        hours = [h for h in map(reply_hours, members) if h is not None]
        rows[label] = [
            len(members),
            round(100 * sum(map(reached_confirmed, members)) / len(members), 1),
            round(100 * sum(map(was_paid, members)) / len(members), 1),
            round(statistics.median(hours), 2) if hours else None,
        ]
    return rows


def by_producer(spec):
    return [spec.producer.display_name]


def by_locality(spec):
    return [spec.producer.locality.name]


def by_category(spec):
    """The product groups as the (English-speaking) office reads them: in English."""
    names = set()
    for product, _quantity in spec.items:
        group = product.category.parent or product.category
        names.add((group.get_translation_or_none(en()) or group).name)
    return sorted(names)


def by_month(spec):
    return [spec.sent.strftime("%Y-%m")]


def number(value) -> float | None:
    return None if value in ("", None) else float(value)


def csv_numbers(rows: list[list[str]]) -> dict[str, list]:
    return {
        label: [int(count), number(confirmed), number(paid), number(hours)]
        for label, count, confirmed, paid, hours in rows[1:]
    }


@pytest.mark.parametrize(
    "grouping, key",
    [
        ("producer", by_producer),
        ("locality", by_locality),
        ("category", by_category),
        ("month", by_month),
    ],
)
def test_numbers_match_counts_from_the_data(activity: Activity, office_client, grouping, key):
    specs = [spec for spec in activity.inquiries if in_period(spec)]
    expected = expected_rows(specs, key)

    exported = csv_numbers(
        export_csv(office_client.get(URL, {"group_by": grouping, "export": "csv"}))
    )

    if grouping == "month":
        # Every month of the period is listed, the empty ones with zero inquiries.
        assert list(exported) == [f"2025-{m:02d}" for m in range(7, 13)] + [
            f"2026-{m:02d}" for m in range(1, 7)
        ]
        exported = {label: row for label, row in exported.items() if row[0]}
    assert exported == expected


def test_known_values(activity: Activity, office_client):
    """A few numbers worked out by hand, as a check on the test's own arithmetic."""
    rows = csv_numbers(export_csv(office_client.get(URL, {"export": "csv"})))
    # Replies after 2 h and 0.5 h; the third inquiry was never answered.
    assert rows["HTX Nước mắm Cửa Đại"] == [3, 33.3, 33.3, 1.25]
    # Confirmed twice; one paid (cash, later cancelled); replies after 72 h and 10 h.
    assert rows["HTX Rượu Gò Nổi"] == [2, 100.0, 50.0, 41.0]
    # The Stripe change is no reply, the person's after it is: 8 h and 26 h. June 2025 is out.
    assert rows["Cơ sở Chiếu cói <Bàn Thạch>"] == [2, 50.0, 0.0, 17.0]


def test_page_shows_the_exported_numbers(activity: Activity, office_client):
    exported = export_csv(office_client.get(URL, {"group_by": "locality", "export": "csv"}))
    page = table_rows(office_client.get(URL, {"group_by": "locality"}))

    assert [row[0] for row in page] == [row[0] for row in exported[1:]]
    for shown, row in zip(page, exported[1:], strict=True):
        assert shown[1] == row[1]  # inquiries
        assert shown[2] == f"{float(row[2]):.1f} %"
        assert shown[3] == f"{float(row[3]):.1f} %"
    # Median times are shown in words: 17 h for Điện Phương, 6 h for Điện Dương.
    assert {row[0]: row[4] for row in page} == {"Điện Dương": "6 hours", "Điện Phương": "17 hours"}


def test_xlsx_export_matches_csv(activity: Activity, office_client):
    for grouping in ("producer", "month"):
        params = {"group_by": grouping}
        as_csv = export_csv(office_client.get(URL, {**params, "export": "csv"}))
        as_xlsx = export_xlsx(office_client.get(URL, {**params, "export": "xlsx"}))

        assert as_xlsx[0] == as_csv[0]
        assert [[row[0], *map(number, row[1:])] for row in as_xlsx[1:]] == [
            [row[0], *map(number, row[1:])] for row in as_csv[1:]
        ]


def test_date_range(activity: Activity, office_client):
    start, end = datetime.date(2025, 6, 1), datetime.date(2026, 3, 31)
    specs = [spec for spec in activity.inquiries if in_period(spec, start, end)]

    rows = csv_numbers(
        export_csv(
            office_client.get(
                URL, {"date_from": "2025-06-01", "date_to": "2026-03-31", "export": "csv"}
            )
        )
    )

    assert rows == expected_rows(specs, by_producer)
    assert rows["Cơ sở Chiếu cói <Bàn Thạch>"][0] == 1  # June 2025 is in, May 2026 is not


def test_chart_and_period_on_the_page(activity: Activity, office_client):
    html = office_client.get(URL).content.decode()

    assert '<figure class="report-chart-figure"' in html
    assert '<svg class="report-chart" role="img"' in html
    assert "Inquiries by producer" in html
    assert "From 1 Jul 2025 to 15 Jun 2026." in html
    # Names are escaped in the table and the chart alike.
    assert "<Bàn Thạch>" not in html
    assert html.count("&lt;Bàn Thạch&gt;") >= 3  # table cell, bar label, bar tooltip


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not a date"},
        {"date_from": "2026-13-45", "date_to": "yesterday"},
        {"group_by": "<script>"},
        {"date_from": "2026-06-01", "date_to": "2026-01-01"},
        {"ordering": "-median_reply_hours"},
        {"ordering": "nonsense"},
        {"p": "999"},
    ],
)
def test_bad_input_never_fails(activity: Activity, office_client, params):
    assert office_client.get(URL, params).status_code == 200
    assert office_client.get(URL, {**params, "export": "csv"}).status_code == 200


def test_empty_report(site, office_client):
    response = office_client.get(URL)

    assert response.status_code == 200
    assert "No data for this period." in response.content.decode()
    assert export_csv(office_client.get(URL, {"export": "csv"})) == [
        ["Producer", "Inquiries", "Confirmed (%)", "Paid (%)", "Median time to first reply (hours)"]
    ]


def test_producers_are_denied(activity: Activity, producer_a):
    for url in (URL, reverse("reports:inquiries_results"), URL + "?export=csv"):
        response = producer_a.client.get(url)

        # Wagtail's refusal: back to the dashboard with its "permission denied" message.
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_anonymous_visitors_are_sent_to_log_in(site, client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url


def test_only_the_office_sees_the_reports_in_the_menu(site, office_client, producer_a):
    products = reverse("reports:products")
    office_menu = office_client.get(reverse("wagtailadmin_home")).content.decode()
    producer_menu = producer_a.client.get(reverse("wagtailadmin_home")).content.decode()

    assert URL in office_menu and products in office_menu
    assert URL not in producer_menu and products not in producer_menu
