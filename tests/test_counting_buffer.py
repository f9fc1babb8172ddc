"""Anonymous reads write nothing: product views, searches and result clicks wait in the
process's buffer (marketplace.core.write_buffer) and a flush writes them, with the same
numbers and fields as when each request wrote its own.
"""

import datetime
import re
import uuid
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core import write_buffer
from marketplace.core.url_segments import route_in
from marketplace.office.reports.models import ProductViewCount
from search import service
from search.models import SearchQueryLog
from search.query import ProductQuery
from tests.public_pages_fixtures import url_of
from tests.reports_fixtures import LOCAL, export_csv

pytest_plugins = ["tests.search_fixtures", "tests.producer_accounts_fixtures"]

BROWSER = "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36"
ROBOT = "Googlebot/2.1 (+http://www.google.com/bot.html)"
WRITES = ("INSERT", "UPDATE", "DELETE")
API = "/api/search/products"
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=LOCAL)
LOG_FIELDS = ("query", "language", "filters", "result_count", "backend", "clicks")


@pytest.fixture
def cat(catalogue, db, settings) -> dict:
    settings.ELASTICSEARCH_URL = ""
    return catalogue


def writes_of(client, *requests) -> list[str]:
    """The INSERT, UPDATE and DELETE statements the requests (path, params, headers) ran,
    once warm (a page's first view may make its images' renditions); what the warming
    requests counted is forgotten."""
    for path, params, headers in requests:
        client.get(path, params, headers=headers)
    write_buffer.discard_all()
    with CaptureQueriesContext(connection) as captured:
        for path, params, headers in requests:
            assert client.get(path, params, headers=headers).status_code in (200, 302)
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith(WRITES)]


def views_by_page() -> dict[int, int]:
    return dict(ProductViewCount.objects.values_list("product_id", "views"))


def log_rows() -> list[tuple]:
    rows = [
        tuple(row[name] for name in LOG_FIELDS) + (row["search_id"] is not None,)
        for row in SearchQueryLog.objects.values()
    ]
    return sorted(rows, key=repr)  # filters are dicts, which do not compare


# Product views. -------------------------------------------------------------------------


def test_product_views_write_nothing_until_flushed(client, cat, buffered_writes):
    product, english = cat["nuoc_mam"], cat["nuoc_mam_en"]
    reads = [(url_of(product), {}, {"user-agent": BROWSER})] * 3
    reads += [(url_of(english), {}, {"user-agent": BROWSER})] * 2
    reads += [(url_of(cat["hop_go"]), {}, {"user-agent": ROBOT})]

    assert writes_of(client, *reads) == []
    assert views_by_page() == {}

    write_buffer.flush_all()
    # vi and en add up on the Vietnamese page, as when each view was written; no robot.
    assert views_by_page() == {product.pk: 5}


def test_flushed_views_equal_the_views_written_one_by_one(client, cat, settings):
    reads = [cat["nuoc_mam"], cat["nuoc_mam_en"], cat["hop_go"], cat["nuoc_mam"]]

    for page in reads:
        client.get(url_of(page), headers={"user-agent": BROWSER})
    one_by_one = views_by_page()  # the test settings write when each request ends
    ProductViewCount.objects.all().delete()

    settings.WRITE_BUFFER_SECONDS = 30
    for page in reads:
        client.get(url_of(page), headers={"user-agent": BROWSER})
    write_buffer.flush_all()

    assert views_by_page() == one_by_one == {cat["nuoc_mam"].pk: 3, cat["hop_go"].pk: 1}


def test_previews_are_not_counted(cat, buffered_writes):
    assert cat["nuoc_mam"].make_preview_request().status_code == 200
    write_buffer.flush_all()

    assert views_by_page() == {}


def test_views_of_a_day_add_to_its_count(cat, buffered_writes):
    from marketplace.office.reports.counting import record_view

    product = cat["nuoc_mam"]
    ProductViewCount.objects.create(product=product, day=datetime.date(2026, 6, 1), views=40)
    for day in (1, 1, 2):
        record_view(product, datetime.date(2026, 6, day))
    write_buffer.flush_all()

    assert dict(ProductViewCount.objects.values_list("day", "views")) == {
        datetime.date(2026, 6, 1): 42,
        datetime.date(2026, 6, 2): 1,
    }


def test_the_product_report_shows_this_process_s_recent_views(
    client, cat, office_client, buffered_writes
):
    with time_machine.travel(NOW, tick=False):
        client.get(url_of(cat["nuoc_mam"]), headers={"user-agent": BROWSER})
        rows = export_csv(office_client.get("/admin/activity-reports/products/?export=csv"))

    assert [row[2] for row in rows[1:]] == ["1"]


def test_views_of_a_deleted_product_are_dropped(client, cat, buffered_writes):
    client.get(url_of(cat["nuoc_mam"]), headers={"user-agent": BROWSER})
    client.get(url_of(cat["hop_go"]), headers={"user-agent": BROWSER})
    cat["hop_go"].delete()
    write_buffer.flush_all()

    assert views_by_page() == {cat["nuoc_mam"].pk: 1}


def test_a_refused_flush_keeps_its_views_for_the_next(client, cat, buffered_writes):
    client.get(url_of(cat["nuoc_mam"]), headers={"user-agent": BROWSER})
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT before_rename")
        cursor.execute("ALTER TABLE reports_productviewcount RENAME TO gone")
    write_buffer.flush_all()  # logged, not raised
    with connection.cursor() as cursor:
        cursor.execute("ROLLBACK TO SAVEPOINT before_rename")

    write_buffer.flush_all()

    assert views_by_page() == {cat["nuoc_mam"].pk: 1}


# Searches and clicks. -------------------------------------------------------------------


def search_page(language: str = "vi") -> str:
    return f"/{language}/{route_in('search/', language)}"


def click_path(language: str = "vi") -> str:
    return f"/{language}/{route_in('search/click/', language)}"


SEARCHES = [
    (search_page(), {"q": "gốm"}, {}),
    (search_page(), {"q": "nuoc mam", "stars": "5", "price_max": "200000"}, {}),
    (search_page("en"), {"q": "fish sauce"}, {}),
    (search_page(), {"q": "xyzxyz"}, {}),
    (API, {"q": "gốm", "category": "thu-cong-my-nghe"}, {}),
    (API, {"q": "fish sauce", "lang": "en", "page": "2"}, {}),
]


def test_searches_write_nothing_until_flushed(client, cat, buffered_writes):
    assert writes_of(client, *SEARCHES) == []
    assert not SearchQueryLog.objects.exists()

    write_buffer.flush_all()
    assert len(log_rows()) == len(SEARCHES)


def test_flushed_searches_equal_the_searches_written_one_by_one(client, cat, settings):
    for path, params, _headers in SEARCHES:
        client.get(path, params)
    one_by_one = log_rows()
    SearchQueryLog.objects.all().delete()

    settings.WRITE_BUFFER_SECONDS = 30
    for path, params, _headers in SEARCHES:
        client.get(path, params)
    write_buffer.flush_all()

    assert log_rows() == one_by_one
    assert [row[2] for row in one_by_one if row[2]]  # filters too


def test_a_logged_search_keeps_its_duration_backend_and_time(cat, buffered_writes):
    query = ProductQuery(q="Gốm", category=["thu-cong-my-nghe"])
    with time_machine.travel(NOW, tick=False):
        results = service.search_products(query)
    with time_machine.travel(NOW + datetime.timedelta(seconds=25), tick=False):
        write_buffer.flush_all()

    log = SearchQueryLog.objects.get()
    assert (log.query, log.filters, log.result_count) == (
        "gốm",
        {"category": ["thu-cong-my-nghe"]},
        results.total,
    )
    assert (log.duration_ms, log.backend, log.created_at) == (
        results.duration_ms,
        results.backend,
        NOW,
    )
    assert log.search_id is None


def searched_id(client, q: str = "gốm") -> uuid.UUID:
    """The search id a search page made now gives its result links (nothing is written)."""
    html = client.get(search_page(), {"q": q}).content.decode()
    return uuid.UUID(hex=re.search(r"search=([0-9a-f]{32})", html)[1])


def test_clicks_write_nothing_and_count_on_their_search(client, cat, buffered_writes):
    search_id = searched_id(client)
    write_buffer.flush_all()
    target = {"search": search_id.hex, "target": cat["binh_gom"].pk}

    assert writes_of(client, *[(click_path(), target, {})] * 2) == []
    write_buffer.flush_all()

    assert SearchQueryLog.objects.get(search_id=search_id).clicks == 2


def test_a_click_waits_for_a_search_another_process_holds(client, cat, buffered_writes):
    search_id = searched_id(client)
    other_process = service.SEARCH_LOG.take()  # the search page came from another worker
    client.get(click_path(), {"search": search_id.hex, "target": cat["binh_gom"].pk})

    write_buffer.flush_all()
    assert not SearchQueryLog.objects.exists() and len(service.SEARCH_LOG) == 1

    service.write_search_log(other_process)  # the other worker flushes
    write_buffer.flush_all()
    assert SearchQueryLog.objects.get().clicks == 1
    assert len(service.SEARCH_LOG) == 0


def test_a_click_on_an_unknown_search_is_dropped_after_waiting(client, cat, buffered_writes):
    with time_machine.travel(NOW, tick=False):
        client.get(click_path(), {"search": uuid.uuid4().hex, "target": cat["binh_gom"].pk})
        write_buffer.flush_all()
    assert len(service.SEARCH_LOG) == 1

    later = NOW + service.click_wait() + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        write_buffer.flush_all()
    assert len(service.SEARCH_LOG) == 0


def test_only_clicks_within_a_day_of_the_search_count(client, cat, buffered_writes):
    with time_machine.travel(NOW, tick=False):
        search_id = searched_id(client)
        write_buffer.flush_all()
    target = {"search": search_id.hex, "target": cat["binh_gom"].pk}
    for hours in (1, 23, 25, 26):
        with time_machine.travel(NOW + datetime.timedelta(hours=hours), tick=False):
            client.get(click_path(), target)
    write_buffer.flush_all()

    assert SearchQueryLog.objects.get().clicks == 2


def test_the_search_reports_show_this_process_s_recent_searches(
    client, cat, office_client, buffered_writes
):
    with time_machine.travel(NOW, tick=False):
        client.get(search_page(), {"q": "gốm"})
        client.get(search_page(), {"q": "xyzxyz"})
        zero = export_csv(office_client.get("/admin/reports/search/zero-results/?export=csv"))

    assert [row[:2] for row in zero[1:]] == [["xyzxyz", "vi"]]


def search_ids(page: bytes) -> set[str]:
    return set(re.findall(r"search=([0-9a-f]{32})", page.decode()))


def test_the_search_page_is_shared_and_each_view_has_its_own_search_id(client, cat):
    """Its result links carry a search id, to count their clicks: one per view, logged
    with its search, whether the page was rendered or served from the page cache."""
    client.get(search_page(), {"q": "lụa"})  # the first search reads the entries' version
    with CaptureQueriesContext(connection) as rendered:
        first = client.get(search_page(), {"q": "gốm"})
    with CaptureQueriesContext(connection) as kept:
        second = client.get(search_page(), {"q": "gốm"})

    assert "public" in first["Cache-Control"] and "csrftoken" not in first.cookies
    # The second from the page cache: it reads nothing (it writes its log, when due).
    assert [q for q in kept.captured_queries if q["sql"].startswith("SELECT")] == []
    assert len(rendered) > len(kept)
    ids = search_ids(first.content), search_ids(second.content)
    assert all(len(one) == 1 for one in ids) and ids[0] != ids[1]
    assert first["ETag"] == second["ETag"]  # one page, its slot aside
    link = re.search(r'href="([^"]*search=[0-9a-f]{32}[^"]*)"', second.content.decode())[1]
    assert client.get(unescape(link)).status_code == 302  # a click on the second's result
    write_buffer.flush_all()

    first_id, second_id = (uuid.UUID(hex=one.pop()) for one in ids)
    logged = SearchQueryLog.objects.filter(search_id__in=[first_id, second_id])
    assert sorted((row.created_at, row.search_id, row.clicks) for row in logged) == [
        (logged.get(search_id=first_id).created_at, first_id, 0),
        (logged.get(search_id=second_id).created_at, second_id, 1),
    ]
