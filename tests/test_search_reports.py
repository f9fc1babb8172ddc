"""The office's search reports (top, no results, no click) and the result click counter."""

import csv
import datetime
import io
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.formats import date_format
from openpyxl import load_workbook
from wagtail.models import Locale

from marketplace.core.url_segments import route_in
from products.models import ProductIndexPage
from search import service
from search.models import SearchQueryLog
from search.query import ProductQuery
from tests.producer_accounts_helpers import is_denied

pytest_plugins = ["tests.search_fixtures", "tests.producer_accounts_fixtures"]

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TOP = "/admin/reports/search/"
ZERO = "/admin/reports/search/zero-results/"
NO_CLICK = "/admin/reports/search/no-click/"
REPORTS = (TOP, ZERO, NO_CLICK)


# The query log the report tests read, and counts computed from it independently. --------


@dataclass(frozen=True)
class Row:
    query: str
    language: str = "vi"
    results: int = 3
    clicks: int = 0
    page: bool = True  # made on the search page (it has a search id); False: the API
    days_ago: int = 0


ROWS = [
    Row("nước mắm", results=4, clicks=1),
    Row("nước mắm", results=4),
    Row("nước mắm", results=2, clicks=2),
    Row("nước mắm", results=4, page=False),
    Row("nước mắm", results=5, days_ago=29),  # the first day of the default period
    Row("nước mắm", results=4, clicks=1, days_ago=30),  # the day before it
    Row("gốm", results=3),
    Row("gốm", results=5, clicks=1, days_ago=10),
    Row("gốm", language="en", results=2),
    Row("fish sauce", language="en", results=1, clicks=1),
    Row("fish sauce", language="en", results=1, page=False),
    Row("bánh tráng xyz", results=0),
    Row("bánh tráng xyz", results=0, days_ago=3),
    Row("bánh tráng xyz", results=0, page=False),
    Row("zzz", language="en", results=0),
    Row("zzz", language="en", results=0, days_ago=45),
    Row("", results=30),  # filters only, no words: not a query
]


def write_log(rows: list[Row]) -> None:
    for row in rows:
        with time_machine.travel(NOW - datetime.timedelta(days=row.days_ago), tick=False):
            SearchQueryLog.objects.create(
                query=row.query,
                language=row.language,
                result_count=row.results,
                clicks=row.clicks,
                search_id=uuid.uuid4() if row.page else None,
                duration_ms=5,
                backend="database",
            )


def in_period(rows: list[Row], days: int | None = 30, language: str | None = None) -> list[Row]:
    return [
        row
        for row in rows
        if row.query
        and (days is None or row.days_ago < days)
        and (language is None or row.language == language)
    ]


def grouped(rows: list[Row]) -> dict[tuple[str, str], list[Row]]:
    groups = defaultdict(list)
    for row in rows:
        groups[row.query, row.language].append(row)
    return groups


def average(rows: list[Row]) -> float:
    return round(sum(row.results for row in rows) / len(rows), 1)


def expected_top(rows: list[Row]) -> dict:
    expected = {}
    for key, group in grouped(rows).items():
        found = [row for row in group if row.page and row.results]
        clicked = [row for row in found if row.clicks]
        expected[key] = {
            "Searches": len(group),
            "Average results": average(group),
            "Clicks": sum(row.clicks for row in group if row.page),
            "Searches with results": len(found),
            "Click-through rate (%)": round(100 * len(clicked) / len(found), 1) if found else None,
        }
    return expected


def expected_zero(rows: list[Row]) -> dict:
    return {
        key: {"Searches": len(group)}
        for key, group in grouped([row for row in rows if not row.results]).items()
    }


def expected_no_click(rows: list[Row]) -> dict:
    expected = {}
    for key, group in grouped([row for row in rows if row.page and row.results]).items():
        unclicked = [row for row in group if not row.clicks]
        if unclicked:
            expected[key] = {
                "Searches with no click": len(unclicked),
                "Searches with results": len(group),
                "Average results": average(group),
            }
    return expected


EXPECTED = {TOP: expected_top, ZERO: expected_zero, NO_CLICK: expected_no_click}


def number(value):
    """A CSV or XLSX cell as a number: "" or None is no value."""
    if value in ("", None):
        return None
    return float(value) if "." in str(value) else int(value)


def exported(client, url: str, export: str, **params) -> tuple[list[str], list[list]]:
    response = client.get(url, {**params, "export": export})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export == "csv":
        table = list(csv.reader(io.StringIO(content.decode())))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        table = [list(cells) for cells in sheet.iter_rows(values_only=True)]
    return table[0], table[1:]


def report(client, url: str, export: str = "csv", **params) -> dict:
    """The exported report as {(query, language): {heading: number}}; dates are left out."""
    headings, rows = exported(client, url, export, **params)
    return {
        (row[0], row[1]): {
            heading: number(value)
            for heading, value in zip(headings[2:], row[2:], strict=True)
            if heading != "Last searched"
        }
        for row in rows
    }


def english_date(*date: int) -> str:
    """A date as the office's admin (in English in these tests) shows it."""
    with translation.override("en"):
        return date_format(datetime.date(*date))


@pytest.fixture
def log(db) -> list[Row]:
    write_log(ROWS)
    with time_machine.travel(NOW, tick=False):
        yield ROWS


# The reports' numbers. ------------------------------------------------------------------


@pytest.mark.parametrize("url", REPORTS)
def test_reports_count_the_last_30_days_by_default(office_client, log, url):
    expected = EXPECTED[url](in_period(log))
    assert expected  # each report has rows to compare
    assert report(office_client, url) == expected


def test_top_queries_in_numbers(office_client, log):
    top = report(office_client, TOP)
    # Written out once, so the independent counts above are checked too.
    assert top["nước mắm", "vi"] == {
        "Searches": 5,
        "Average results": 3.8,
        "Clicks": 3,
        "Searches with results": 4,
        "Click-through rate (%)": 50.0,
    }
    assert top["fish sauce", "en"]["Click-through rate (%)"] == 100.0
    assert top["bánh tráng xyz", "vi"]["Click-through rate (%)"] is None  # nothing to open
    assert ("", "vi") not in top


@pytest.mark.parametrize("url", REPORTS)
def test_date_range_and_language_filters(office_client, log, url):
    params = {"created_at_from": "2026-10-01", "created_at_to": "2026-11-17", "language": "vi"}
    window = [row for row in in_period(log, days=None, language="vi") if 3 <= row.days_ago <= 50]
    assert report(office_client, url, **params) == EXPECTED[url](window)


@pytest.mark.parametrize("url", REPORTS)
def test_cleared_dates_mean_the_default_period(office_client, log, url):
    params = {"created_at_from": "", "created_at_to": ""}
    assert report(office_client, url, **params) == EXPECTED[url](in_period(log))
    html = office_client.get(url, params).content.decode()
    assert f"Searches since {english_date(2026, 10, 22)}." in html


@pytest.mark.parametrize("url", REPORTS)
def test_an_early_start_reports_all_time(office_client, log, url):
    params = {"created_at_from": "2000-01-01"}
    assert report(office_client, url, **params) == EXPECTED[url](in_period(log, days=None))


@pytest.mark.parametrize("url", REPORTS)
def test_an_end_date_alone(office_client, log, url):
    params = {"created_at_to": "2026-11-17"}
    expected = EXPECTED[url]([row for row in in_period(log, days=None) if row.days_ago >= 3])
    assert report(office_client, url, **params) == expected
    html = office_client.get(url, params).content.decode()
    assert f"Searches until {english_date(2026, 11, 17)}." in html


@pytest.mark.parametrize("url", REPORTS)
def test_xlsx_export_matches_csv(office_client, log, url):
    csv_headings, csv_rows = exported(office_client, url, "csv")
    xlsx_headings, xlsx_rows = exported(office_client, url, "xlsx")
    assert csv_headings == xlsx_headings
    assert report(office_client, url, "xlsx") == report(office_client, url, "csv")
    assert [row[:2] for row in xlsx_rows] == [row[:2] for row in csv_rows]  # same order


def test_exports_are_ordered_like_the_table(office_client, log):
    _headings, rows = exported(office_client, TOP, "csv")
    searches = [int(row[2]) for row in rows]
    assert searches == sorted(searches, reverse=True)
    _headings, rows = exported(office_client, TOP, "csv", ordering="query")
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)


@pytest.mark.parametrize("url", REPORTS)
def test_report_pages_show_the_table_and_a_chart(office_client, log, url):
    for page in (url, f"{url}results/"):
        response = office_client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<svg class="report-chart" role="img"' in html
        assert "bánh tráng xyz" in html if url == ZERO else "nước mắm" in html
        assert "?export=xlsx" in html or page.endswith("results/")


def test_an_empty_period_says_so(office_client, log):
    response = office_client.get(
        TOP, {"created_at_from": "2020-01-01", "created_at_to": "2020-01-31"}
    )
    assert response.status_code == 200
    assert "No searches in this period." in response.content.decode()


@pytest.mark.parametrize("url", REPORTS)
@pytest.mark.parametrize(
    "params",
    [
        {"created_at_from": "not a date"},
        {"created_at_to": "2026-02-31"},
        {"language": "xx"},
        {"created_at_from": "", "created_at_to": "", "language": "vi"},
        {"created_at_from": "2026-11-30", "created_at_to": "2026-11-01"},
        {"ordering": "nonsense"},
        {"ordering": "-click_through_rate"},
        {"p": "999"},
        {"p": "abc"},
        {"export": "pdf"},
    ],
)
def test_reports_tolerate_bad_input(office_client, log, url, params):
    assert office_client.get(url, params).status_code == 200


# Who may see them. ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [*REPORTS, f"{TOP}results/", f"{NO_CLICK}?export=csv"])
def test_only_the_office_sees_the_reports(client, office_client, producer_a, log, url):
    assert office_client.get(url).status_code == 200
    assert is_denied(producer_a.client.get(url))
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url


def test_the_reports_menu_lists_the_search_reports_for_the_office_only(office_client, producer_a):
    office_home = office_client.get("/admin/").content.decode()
    producer_home = producer_a.client.get("/admin/").content.decode()
    for url in REPORTS:
        assert url in office_home
        assert url not in producer_home


# The search page's links and the click endpoint. ----------------------------------------

LINK = re.compile(
    r'<a href="/(vi)/tim-kiem/chon/\?search=([0-9a-f]{32})&amp;target=(\d+)" rel="nofollow">'
)


@pytest.fixture
def cat(catalogue, db, settings) -> dict:
    settings.ELASTICSEARCH_URL = ""
    return catalogue


def click(client, search_id, target, language: str = "vi"):
    params = {
        "search": getattr(search_id, "hex", search_id),
        "target": getattr(target, "pk", target),
    }
    return client.get(f"/{language}/{route_in('search/click/', language)}", params)


def test_search_page_links_carry_the_search_id(client, cat):
    html = client.get("/vi/tim-kiem/", {"q": "gốm"}).content.decode()
    log = SearchQueryLog.objects.get()
    links = LINK.findall(html)
    assert {(language, search_id) for language, search_id, _target in links} == {
        ("vi", log.search_id.hex)
    }
    targets = {int(target) for _language, _search_id, target in links}
    hits = service.search_products(ProductQuery(q="gốm"), log=False).hits
    producers = service.search_producers("gốm", "vi")
    assert cat["producer_gom"].pk in {producer.page_id for producer in producers}
    assert {hit.page_id for hit in hits} | {producer.page_id for producer in producers} == targets
    assert f'href="{cat["binh_gom"].url}"' not in html  # no result link skips the counter
    assert (log.query, log.result_count, log.clicks) == ("gốm", len(hits), 0)

    client.get("/vi/tim-kiem/", {"q": "gốm"})
    assert SearchQueryLog.objects.exclude(search_id=log.search_id).get().search_id != log.search_id


def test_a_click_is_counted_once_and_leads_to_the_result(client, cat):
    client.get("/vi/tim-kiem/", {"q": "gốm"})
    log = SearchQueryLog.objects.get()
    product = cat["binh_gom"]
    response = click(client, log.search_id, product)
    assert (response.status_code, response.url) == (302, product.url)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    log.refresh_from_db()
    assert log.clicks == 1
    # Back to the results, another result: a second click.
    assert click(client, log.search_id, cat["producer_gom"]).url == cat["producer_gom"].url
    log.refresh_from_db()
    assert log.clicks == 2
    # A plain link, no JavaScript: following it opens the product page.
    params = {"search": log.search_id.hex, "target": product.pk}
    followed = client.get("/vi/tim-kiem/chon/", params, follow=True)
    assert followed.status_code == 200 and product.title in followed.content.decode()
    log.refresh_from_db()
    assert log.clicks == 3


def test_clicks_feed_the_reports(client, cat, office_client):
    client.get("/vi/tim-kiem/", {"q": "gốm"})
    client.get("/vi/tim-kiem/", {"q": "gốm"})
    first = SearchQueryLog.objects.earliest("pk")
    click(client, first.search_id, cat["binh_gom"])
    assert report(office_client, TOP)["gốm", "vi"]["Click-through rate (%)"] == 50.0
    assert report(office_client, NO_CLICK)["gốm", "vi"]["Searches with no click"] == 1


def test_english_results_lead_to_english_pages(client, cat):
    client.get("/en/search/", {"q": "fish sauce"})
    log = SearchQueryLog.objects.get()
    english = cat["nuoc_mam"].get_translation(Locale.objects.get(language_code="en"))
    response = click(client, log.search_id, english, "en")
    assert response.url == english.url and english.url.startswith("/en/")
    log.refresh_from_db()
    assert log.clicks == 1


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/vi/admin/",
        "",
        "abc",
        "-1",
        "1e3",
        "9" * 40,
        "0",
        "999999999",
        "１２",  # full-width digits
    ],
)
def test_anything_but_a_result_page_goes_back_to_the_search(client, cat, target):
    client.get("/vi/tim-kiem/", {"q": "gốm"})
    log = SearchQueryLog.objects.get()
    response = click(client, log.search_id, target)
    assert (response.status_code, response.url) == (302, "/vi/tim-kiem/")
    log.refresh_from_db()
    assert log.clicks == 0


def test_only_live_product_and_producer_pages_are_targets(client, cat):
    client.get("/vi/tim-kiem/", {"q": "gốm"})
    log = SearchQueryLog.objects.get()
    index = ProductIndexPage.objects.first()
    assert click(client, log.search_id, index).url == "/vi/tim-kiem/"
    product = cat["am_tra_gom"]
    product.unpublish()
    assert click(client, log.search_id, product).url == "/vi/tim-kiem/"
    log.refresh_from_db()
    assert log.clicks == 0


@pytest.mark.parametrize(
    "search_id", ["", "zzz", "1" * 31, "g" * 32, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "x" * 5000]
)
def test_an_unknown_search_still_leads_to_the_result_without_a_click(client, cat, search_id):
    client.get("/vi/tim-kiem/", {"q": "gốm"})
    product = cat["binh_gom"]
    response = click(client, search_id, product)
    assert (response.status_code, response.url) == (302, product.url)
    assert SearchQueryLog.objects.get().clicks == 0


def test_missing_parameters_and_other_methods(client, cat):
    assert client.get("/vi/tim-kiem/chon/").url == "/vi/tim-kiem/"
    assert client.post("/vi/tim-kiem/chon/", {"target": cat["binh_gom"].pk}).status_code == 405


def test_old_searches_and_searches_without_results_take_no_clicks(client, cat):
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        client.get("/vi/tim-kiem/", {"q": "gốm"})
    client.get("/vi/tim-kiem/", {"q": "xyzxyz"})
    old, empty = SearchQueryLog.objects.order_by("pk")
    with time_machine.travel(NOW, tick=False):
        click(client, old.search_id, cat["binh_gom"])
        click(client, empty.search_id, cat["binh_gom"])
    assert list(SearchQueryLog.objects.values_list("clicks", flat=True)) == [0, 0]


def test_api_searches_have_no_search_id(client, cat):
    client.get("/api/search/products", {"q": "gốm"})
    assert SearchQueryLog.objects.get().search_id is None
