"""bench/http/run.py's parts that need no loaded catalogue: its options, wrk's report,
the ceiling served by the script's gunicorn command line, SQL queries counted in process,
and the PASS/FAIL lines. The benchmark itself is run by hand (bench/README.md)."""

import http.client
import json
import shutil
import sys

import pytest

from bench.http import run as bench_http
from tests.factories import make_producer, make_product


def test_options_default_to_issue_15s_figures():
    args = bench_http.parse_args([])
    assert (args.workers, args.worker_class, args.connections, args.duration) == (2, "sync", 16, 15)
    assert not args.skip_load and not args.json and args.pages is None


def test_options_take_wrk_style_durations_and_a_subset_of_pages():
    args = bench_http.parse_args(["--duration", "5s", "--pages", "home", "product"])
    assert args.duration == 5
    assert args.pages == ["home", "product"]
    with pytest.raises(SystemExit):
        bench_http.parse_args(["--pages", "nowhere"])
    with pytest.raises(SystemExit):
        bench_http.parse_args(["--duration", "soon"])


def test_wrk_report_line_is_read_in_milliseconds():
    output = (
        "Running 5s test @ http://127.0.0.1:8000/\n"
        '{"requests": 500, "duration_us": 5000000, "bytes": 9000, "connect": 0, "read": 1, '
        '"write": 0, "status": 2, "timeout": 0, "p50_us": 1500, "p99_us": 20000}\n'
    )
    rate = bench_http.parse_wrk(output)
    assert rate.rps == 100
    assert (rate.p50_ms, rate.p99_ms, rate.errors) == (1.5, 20, 3)


def results_of(queries_hit: int) -> bench_http.Results:
    page = bench_http.Page("home", "/vi/", "main", queries_miss=12, queries_hit=queries_hit)
    page.status, page.body_bytes = 200, 40_000
    page.hit = bench_http.Rate(30_000, 10, 1.0, 5.0, 0)  # 3,000 req/s
    page.miss = bench_http.Rate(400, 10, 30.0, 90.0, 0)  # 40 req/s
    api = bench_http.Page("suggest-db", "/api/search/suggest?q=nuoc", "db", 5, 5, 200, 900)
    api.p95_ms = 25.0
    return bench_http.Results(
        settings={
            "products": 200,
            "workers": 2,
            "worker_class": "sync",
            "connections": 16,
            "duration": 15,
            "warm_up": 3,
        },
        ceiling=bench_http.Rate(50_000, 10, 0.5, 2.0, 0),  # 5,000 req/s
        pages=[page, api],
        publish_ms=120.0,
        publish_shows_price=True,
        worker_rss_mb={"main": [150.0, 210.0]},
    )


def test_checks_hold_each_page_to_issue_15s_targets():
    lines = [
        f"{'PASS' if check.passed else 'FAIL'} {check.text}"
        for check in bench_http.checks(results_of(queries_hit=0))
    ]
    assert lines == [
        "PASS home: 60% of the ceiling's rate, from the page cache (target >= 50% from the cache)",
        "PASS home: 2.7x today's 15 req/s on a miss (target >= 2x)",
        "PASS home: 12 SQL queries on a miss, answer 200 (target <= 15, 200)",
        "PASS suggest-db: 5 SQL queries on a miss, answer 200 (target <= 15, 200)",
        "FAIL suggest-db: p95 25.0 ms over varied queries, 0 failed (target <= 20 ms)",
        "PASS product: first request after a publish 120 ms, new price shown (target <= 300 ms)",
        "FAIL gunicorn (main) workers after the run: 150, 210 MB (target <= 200 MB)",
    ]


def test_a_fast_page_without_a_page_cache_fails_the_cached_target():
    first = bench_http.checks(results_of(queries_hit=3))[0]
    assert not first.passed
    assert "no page cache seen" in first.text


def test_a_page_without_sql_is_judged_by_its_rate_alone():
    results = results_of(queries_hit=0)
    results.pages[0].queries_miss = 0
    first = bench_http.checks(results)[0]
    assert first.passed
    assert "no SQL query on a miss either" in first.text


def test_a_cache_header_says_hit():
    from django.http import HttpResponse

    response = HttpResponse("x", headers={"X-Page-Cache": "HIT"})
    assert bench_http.cache_hit_header(response) == "X-Page-Cache: HIT"
    assert bench_http.cache_hit_header(HttpResponse("x")) == ""


def test_report_prints_the_table_and_a_summary():
    results = results_of(queries_hit=0)
    text = bench_http.report(results, bench_http.checks(results))
    assert 'Ceiling (a Django view answering "hello"): 5,000 req/s' in text
    home_row = next(line for line in text.splitlines() if line.startswith("home "))
    assert home_row.split()[:5] == ["home", "3,000", "1.0", "5.0", "60%"]
    assert "12/0" in home_row
    assert text.splitlines()[-1] == "5 PASS, 2 FAIL"
    data = bench_http.as_json(results, bench_http.checks(results))
    assert '"rps": 3000.0' in data


@pytest.fixture
def ceiling(tmp_path):
    args = bench_http.parse_args(["--workers", "1"])
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "ceiling.settings"}
    with bench_http.serving(
        "ceiling", bench_http.CEILING_APP, bench_http.HERE, env, args, tmp_path
    ) as server:
        yield server


def test_the_ceiling_answers_hello_under_the_scripts_gunicorn_command(ceiling):
    connection = http.client.HTTPConnection("127.0.0.1", ceiling.port, timeout=10)
    connection.request("GET", "/", headers=bench_http.PROXY_HEADERS)
    response = connection.getresponse()
    assert (response.status, response.read()) == (200, b"hello")
    assert ceiling.process.args[:4] == [
        sys.executable,
        "-m",
        "gunicorn",
        "ceiling.wsgi:application",
    ]
    sizes = bench_http.worker_rss_mb(ceiling.process.pid)
    assert len(sizes) == 1 and 5 < sizes[0] < 500


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)")
@pytest.mark.parametrize("mode", ["hit", "miss"])
def test_wrk_measures_the_ceiling_through_the_report_script(ceiling, mode):
    rate = bench_http.wrk(ceiling.port, "/", seconds=1, connections=2, mode=mode)
    assert rate.requests > 10 and rate.errors == 0
    assert 0 < rate.p50_ms <= rate.p99_ms


def test_rates_are_steady_when_each_is_within_a_tenth_of_the_round_before():
    assert bench_http.steady([100, 500], [109, 460])
    assert not bench_http.steady([100, 500], [115, 500])  # one page still climbing
    assert not bench_http.steady([100, 500], [100, 440])
    assert not bench_http.steady([], [100, 500])  # a first round has nothing to agree with


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)")
def test_the_warm_up_stops_once_rates_settle_and_says_so(ceiling):
    pages = [bench_http.Page("suggest-es", "/", "es"), bench_http.Page("search", "/?q=a", "main")]

    def warm_up(tolerance: float) -> bench_http.WarmUp:
        return bench_http.warm_up_elasticsearch(
            ceiling.port, pages, connections=2, rounds=6, seconds=1, tolerance=tolerance
        )

    # Any two rounds agree within 100%: it stops at its fewest rounds, not at the most.
    settled = warm_up(tolerance=1.0)
    assert settled.settled and len(settled.rates) == bench_http.ES_WARM_UP_MIN_ROUNDS < 6
    assert all(len(rates) == 2 and min(rates) > 10 for rates in settled.rates)
    assert settled.note().startswith(
        f"Elasticsearch warmed by {bench_http.ES_WARM_UP_MIN_ROUNDS} rounds of 1 s misses "
        "(settled), req/s of suggest-es/search: "
    )
    # None agree exactly: it goes on to the most, and says it did not settle.
    unsettled = warm_up(tolerance=0)
    assert not unsettled.settled and len(unsettled.rates) == 6
    assert "(unsettled)" in unsettled.note()


def test_the_ceilings_second_view_passes_one_elasticsearch_answer_through(
    tmp_path, elasticsearch_url
):
    args = bench_http.parse_args(["--workers", "1"])
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "ceiling.settings",
        "CEILING_ELASTICSEARCH_SEARCH": f"{elasticsearch_url.split(',')[0]}/_search",
        "CEILING_ELASTICSEARCH_BODY": '{"size": 0, "track_total_hits": false}',
    }
    with bench_http.serving(
        "ceiling-es", bench_http.CEILING_APP, bench_http.HERE, env, args, tmp_path
    ) as server:
        for _ in range(3):  # on the connection it keeps open
            status, body = bench_http.fetch(server.port, "/elasticsearch?bench-miss=1")
            answer = json.loads(body)
            assert status == 200 and answer["hits"]["hits"] == [] and "took" in answer


def test_the_ceiling_asks_the_node_what_the_suggestions_ask(settings):
    from search.backends.elasticsearch import connection
    from search.backends.elasticsearch.backend import completion_body

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200,http://127.0.0.1:9201"
    env = bench_http.elasticsearch_ceiling_env()
    assert env["CEILING_ELASTICSEARCH_SEARCH"] == (
        f"http://127.0.0.1:9200/{connection.alias('suggest', 'vi')}/_search"
    )
    assert json.loads(env["CEILING_ELASTICSEARCH_BODY"]) == completion_body("nuoc")


def test_the_server_stops_when_the_block_fails(tmp_path):
    args = bench_http.parse_args(["--workers", "1"])
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "ceiling.settings"}
    with pytest.raises(KeyboardInterrupt):
        with bench_http.serving(
            "ceiling", bench_http.CEILING_APP, bench_http.HERE, env, args, tmp_path
        ) as server:
            raise KeyboardInterrupt
    assert server.process.poll() is not None


def test_queries_are_counted_on_a_miss_and_on_a_hit(site):
    # The listing reads its products on every miss; the rest of it is kept (README).
    make_product(make_producer(site.producers, "HTX Gốm Bàu Trúc"), "Chén gốm")
    page = bench_http.Page("listing", site.products.url, "main")
    bench_http.count_queries(page)
    assert page.status == 200
    assert page.body_bytes > 1000
    assert 0 < page.queries_miss <= bench_http.MAX_QUERIES
    assert page.queries_hit is not None
