"""HTTP benchmark of every anonymous page against a ceiling (issue 15).

    DATABASE_URL=postgres://chocop:chocop@127.0.0.1:5432/chocop \\
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/http/run.py

Builds the demo (`load_demo`, `--products N`) in a temporary PostgreSQL database beside
DATABASE_URL's (the role needs CREATEDB) with a temporary MEDIA_ROOT and Elasticsearch
index prefix, collects the static files, and serves the site with gunicorn and the
production settings (`marketplace.settings.production`). The same gunicorn command line
serves bench/http/ceiling, a Django project with one view answering "hello": the ceiling.
Then, for each page, `wrk` after a warm-up: the same URL again and again ("hit": from
the page cache when the site has one) and a new query string on each request ("miss":
the page rendered, its shared fragments kept as for a filter or a visitor with a list).
The pages that ask Elasticsearch are measured once the node is warm: rounds of their
misses first, until each page's rate is within 10% of the round before.
Beside the rates: SQL queries of the page on a miss and on a hit, counted in this
process with Django's test client under the same settings; the response's size; the
search and suggest APIs' p95 over varied queries, one at a time; the first request of a
product page after its new price is published; gunicorn's worker memory (RSS) after the
run. Prints PASS or FAIL against issue 15's targets; exits 1 when one fails, 2 when
the benchmark could not run. Everything listens on 127.0.0.1 and stops at the end, on
Ctrl-C and on failure; the temporary database, media and indices are dropped.

Without ELASTICSEARCH_URL the Elasticsearch rows are left out. Options: --duration S,
--connections N, --workers N, --worker-class, --threads, --products N, --no-renditions,
--es-warm-up-rounds N, --skip-load (use DATABASE_URL, MEDIA_ROOT and
ELASTICSEARCH_INDEX_PREFIX as they are, e.g. kept by --keep), --keep, --pages NAME...,
--json. See bench/README.md.
"""

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import (  # noqa: E402
    SEARCH,
    SUGGEST,
    free_port,
    fresh_postgres_database,
    is_postgres,
    make_thumbnails,
    percentiles,
    search_params,
    stop_process,
    suggest_params,
    timed_json_requests,
)

LUA = HERE / "wrk_report.lua"
CEILING_APP = "ceiling.wsgi:application"  # served from HERE
SITE_APP = "marketplace.wsgi:application"  # served from BASE_DIR
HOST = "127.0.0.1"
# What the production proxy says of every request: without it the production settings
# redirect each one to https://.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
MISS_PARAMETER = "bench-miss"  # a new value on each request: no cache can answer it
SEARCH_TEXT, SUGGEST_TEXT = "nước mắm", "nuoc"  # the demo's fish sauce
LATENCY_WARM_UP = 20  # requests before the API's p95 is measured
# Pages that ask Elasticsearch. A node just started answers them at a fraction of its
# later rate while its JIT compiles (a third at first, for minutes): before they are
# measured it is warmed by rounds of their misses until two rounds agree.
ELASTICSEARCH_PAGES = ("search", "search-api-es", "suggest-es")
ES_WARM_UP_SECONDS = 5  # of each page, per round
ES_WARM_UP_MIN_ROUNDS = 4  # its rates creep up for a minute before they plateau
ES_STEADY = 0.1  # each page's rate within 10% of the round before: the node is warm

# name: (server, target of the p95 in ms). Pages are served by the main server (with
# Elasticsearch when ELASTICSEARCH_URL is set); "db" rows by a second one without it.
PAGES: dict[str, tuple[str, float | None]] = {
    "home": ("main", None),
    "listing": ("main", None),
    "category": ("main", None),
    "producer": ("main", None),
    "product": ("main", None),
    "search": ("main", None),
    "search-api-es": ("es", 50),
    "search-api-db": ("db", 100),
    "suggest-es": ("es", 20),
    "suggest-db": ("db", 20),
    "craft-villages": ("main", None),
    "collection": ("main", None),
    "certificate": ("main", None),
}
# Issue 15's figures before its work (2 sync workers, SQLite, wrk -t2 -c16 -d15s);
# Elasticsearch's search API measured 93-133: the higher, so "twice" is not flattered.
TODAY_RPS = {
    "home": 15,
    "listing": 38,
    "category": 46,
    "producer": 28,
    "product": 26,
    "search": 52,
    "search-api-db": 88,
    "search-api-es": 133,
    "suggest-db": 182,
    "suggest-es": 610,
}
CACHED_SHARE = 0.5  # of the ceiling's rate, served from the page cache
MISS_SPEEDUP = 2  # times today's rate on a cache miss
MAX_QUERIES = 15  # SQL queries of a page on a miss
PUBLISH_MS = 300  # first request of a page after its publication
MAX_RSS_MB = 200  # a gunicorn worker after the run


@dataclass
class Rate:
    """One wrk run."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # connection errors, timeouts and answers other than 2xx/3xx

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Page:
    name: str
    path: str
    server: str  # "main", "es" or "db" (PAGES)
    queries_miss: int | None = None
    queries_hit: int | None = None
    status: int | None = None
    body_bytes: int | None = None
    hit: Rate | None = None  # the same URL again and again
    miss: Rate | None = None  # a new query string each time
    p95_ms: float | None = None  # APIs: varied queries, one at a time
    latency_failures: int = 0
    hit_header: str = ""  # a response header saying it came from a cache, e.g. X-Cache: HIT

    @property
    def from_cache(self) -> bool | None:
        """Whether a cache answered the hit: it made no SQL query while the miss did, or
        said so in a header. None when neither made a query (Elasticsearch's suggestions)
        and no header says: the queries cannot tell."""
        if self.hit_header or (self.queries_hit == 0 and self.queries_miss):
            return True
        return None if self.queries_hit == self.queries_miss == 0 else False


@dataclass
class Check:
    passed: bool
    text: str


@dataclass
class Results:
    settings: dict
    ceiling: Rate | None = None
    # The ceiling's view plus one round trip to Elasticsearch (the suggestions' question).
    elasticsearch_ceiling: Rate | None = None
    pages: list[Page] = field(default_factory=list)
    publish_ms: float | None = None
    publish_shows_price: bool | None = None
    worker_rss_mb: dict[str, list[float]] = field(default_factory=dict)  # server: per worker
    notes: list[str] = field(default_factory=list)


def seconds(text: str) -> int:
    """A duration as wrk writes it, "15s", or a number of seconds."""
    try:
        return int(text.removesuffix("s"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/http/run.py",
        description=__doc__.splitlines()[0],
        epilog="Needs DATABASE_URL (PostgreSQL); ELASTICSEARCH_URL for the Elasticsearch rows.",
    )
    parser.add_argument(
        "--duration", type=seconds, default=15, help="seconds per wrk run: 15 or 15s (15)"
    )
    parser.add_argument(
        "--warm-up", type=seconds, default=3, help="seconds of wrk before each run (3)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn's (sync)")
    parser.add_argument("--threads", type=int, default=1, help="per worker, gthread only (1)")
    parser.add_argument("--products", type=int, help="products to load (load_demo's default: 200)")
    parser.add_argument(
        "--no-renditions",
        action="store_true",
        help="load without making every rendition (hours at 20 000 products): each "
        "measured page makes its own during the warm-up",
    )
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="use DATABASE_URL as it is (loaded before, e.g. kept by --keep)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database, media, indices")
    parser.add_argument(
        "--pages", nargs="+", choices=list(PAGES), metavar="NAME", help=", ".join(PAGES)
    )
    parser.add_argument(
        "--latency-queries", type=int, default=200, help="varied API queries for the p95 (200)"
    )
    parser.add_argument(
        "--es-warm-up-rounds",
        type=int,
        default=12,
        help=f"at most, of {ES_WARM_UP_SECONDS} s misses on each Elasticsearch page before "
        "they are measured; 0: none (12)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.warm_up < 0 or args.es_warm_up_rounds < 0:
        parser.error("--warm-up and --es-warm-up-rounds cannot be negative")
    if args.connections < 1 or args.duration < 1 or args.workers < 1:
        parser.error("--connections, --duration and --workers must be at least 1")
    return args


# Paths --------------------------------------------------------------------------------


def with_query(path: str, **params: str) -> str:
    """`path` with `params` added to its query string."""
    separator = "&" if "?" in path else "?"
    return path + separator + urllib.parse.urlencode(params)


def page_paths() -> dict[str, str]:
    """The Vietnamese path of each page in PAGES that the loaded site has: a product with
    a category, its producer, a craft village list, an active collection, a certificate."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import Locale

    from marketplace.certificates.public import public_certificates, verification_path
    from marketplace.curation.queries import active_collections
    from producers.queries import producer_index_page
    from products.queries import category_url, product_index_page

    locale = Locale.objects.get(language_code="vi")
    paths = {"home": "/vi/"}
    with translation.override("vi"):
        paths["search"] = with_query(reverse("search:search"), q=SEARCH_TEXT)
    for backend in ("es", "db"):
        paths[f"search-api-{backend}"] = with_query(SEARCH, q=SEARCH_TEXT, lang="vi")
        paths[f"suggest-{backend}"] = with_query(SUGGEST, q=SUGGEST_TEXT, lang="vi")
    if index := product_index_page(locale):
        paths["listing"] = index.url
    product = sample_product(locale)
    if index and product:
        paths["category"] = category_url(index, product.category)
    if product:
        paths["product"] = product.url
        paths["producer"] = product.get_parent().url
    if producers := producer_index_page(locale):
        paths["craft-villages"] = producers.url + producers.reverse_subpage("craft_village_list")
    if collections := active_collections(locale):
        paths["collection"] = collections[0].get_url()
    certificate = public_certificates().filter(page__locale=locale).order_by("pk").first()
    if certificate:
        paths["certificate"] = verification_path(certificate.translation_key, "vi")
    return paths


def sample_product(locale):
    """The first live Vietnamese product with a category: the demo's, whatever its size."""
    from products.models import ProductPage

    products = ProductPage.objects.live().public().filter(locale=locale, category__isnull=False)
    return products.order_by("pk").first()


# SQL queries, in this process -----------------------------------------------------------


def anonymous_get(path: str):
    """A GET as a new visitor sends it (no cookie), through the whole middleware."""
    from django.test import Client

    headers = {"host": HOST, **{k.lower(): v for k, v in PROXY_HEADERS.items()}}
    return Client(headers=headers).get(path)


def count_queries(page: Page) -> None:
    """SQL queries of the page on a cache miss and on a hit, its status and size. The
    first requests warm this process (URL resolvers, the site, locales, what it keeps in
    memory) and fill the page cache when there is one; the miss has a query string no
    cache has seen."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    # The "db" rows' server has no Elasticsearch: neither has this count.
    backend = override_settings(ELASTICSEARCH_URL="") if page.server == "db" else nullcontext()
    with backend:
        for _ in range(settings.PAGE_CACHE_KEEP_AFTER):  # kept on its Nth request
            anonymous_get(page.path)
        # A miss too: a page served from the cache would leave this process's own memory
        # (the suggestions' names, the navigation) cold, as no warm worker is.
        # Its own: the "es" and "db" rows share addresses and the page cache.
        anonymous_get(with_query(page.path, **{MISS_PARAMETER: secrets.token_hex(4)}))
        with CaptureQueriesContext(connection) as miss:
            miss_path = with_query(page.path, **{MISS_PARAMETER: secrets.token_hex(4)})
            response = anonymous_get(miss_path)
        with CaptureQueriesContext(connection) as hit:
            hit_response = anonymous_get(page.path)
    page.queries_miss, page.queries_hit = len(miss), len(hit)
    page.status, page.body_bytes = response.status_code, len(response.content)
    page.hit_header = cache_hit_header(hit_response)


def cache_hit_header(response) -> str:
    """A header of `response` saying a cache answered it (X-Cache: HIT, Age: 12…), or "".
    The page cache's own header is not known here: any of these is taken."""
    for name, value in response.headers.items():
        cache_says_hit = "cache" in name.lower() and "hit" in value.lower()
        if cache_says_hit or name.lower() == "age":
            return f"{name}: {value}"
    return ""


# gunicorn ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen


def gunicorn_command(app: str, port: int, args: argparse.Namespace) -> list[str]:
    """One command line for the site and the ceiling: only the application differs."""
    return [
        *(sys.executable, "-m", "gunicorn", app, "--bind", f"{HOST}:{port}"),
        *("--workers", str(args.workers), "--worker-class", args.worker_class),
        *("--threads", str(args.threads), "--log-level", "warning", "--timeout", "120"),
    ]


def answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("GET", "/", headers=PROXY_HEADERS)
        return connection.getresponse().status < 500
    except OSError:
        return False


@contextlib.contextmanager
def serving(
    name: str, app: str, cwd: Path, env: dict, args: argparse.Namespace, log_dir: Path
) -> Iterator[Server]:
    """gunicorn serving `app` on a free port until the block ends, however it ends."""
    port = free_port()
    log_path = log_dir / f"gunicorn-{name}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            gunicorn_command(app, port, args), cwd=cwd, env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 60
            while not answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn ({name}) did not start:\n{last_lines(log_path)}")
                time.sleep(0.2)
            yield Server(name, port, process)
        finally:
            stop_process(process)


def last_lines(path: Path, count: int = 15) -> str:
    """The end of a log, for an error message: the log goes with the scratch directory."""
    return "\n".join(path.read_text(errors="replace").splitlines()[-count:])


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each worker of the gunicorn master `master_pid`, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)  # kB
    return sizes


# wrk ---------------------------------------------------------------------------------


def wrk_command(port: int, path: str, seconds: int, connections: int, mode: str) -> list[str]:
    headers = [item for name, value in PROXY_HEADERS.items() for item in ("-H", f"{name}: {value}")]
    return [
        *("wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"),
        *("--timeout", "30s", "-s", str(LUA), *headers, f"http://{HOST}:{port}{path}"),
        *("--", mode, secrets.token_hex(4)),  # the script's arguments: mode, run's nonce
    ]


def parse_wrk(output: str) -> Rate:
    """The JSON line wrk_report.lua prints when wrk is done."""
    line = next(line for line in output.splitlines() if line.startswith("{"))
    data = json.loads(line)
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Rate(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
    )


def wrk(port: int, path: str, seconds: int, connections: int, mode: str = "hit") -> Rate:
    command = wrk_command(port, path, seconds, connections, mode)
    run = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if run.returncode:
        raise RuntimeError(f"wrk failed on {path}: {run.stderr.strip()}")
    return parse_wrk(run.stdout)


def measure(port: int, path: str, args: argparse.Namespace, mode: str = "hit") -> Rate:
    """A warm-up, then the measured run, each followed by a wait for the server's queue."""
    if args.warm_up:
        wrk(port, path, args.warm_up, args.connections, mode)
        settle(port, path)
    rate = wrk(port, path, args.duration, args.connections, mode)
    settle(port, path)
    return rate


def settle(port: int, path: str) -> None:
    """Wait for the requests wrk left queued when it stopped: sync workers still serve
    them, and a slow page's next run would count none of its own (one more request, put
    behind them, answers when they are done)."""
    fetch(port, path)


def steady(before: list[float], now: list[float], tolerance: float = ES_STEADY) -> bool:
    """Whether each rate of this round is within `tolerance` of the round before's."""
    return bool(before) and all(
        abs(rate - previous) <= tolerance * previous
        for previous, rate in zip(before, now, strict=True)
    )


@dataclass
class WarmUp:
    """Rounds of misses on the pages that ask Elasticsearch, before they are measured."""

    pages: list[str]
    seconds: int  # of each page, per round
    rates: list[list[float]] = field(default_factory=list)  # req/s, per round and page
    settled: bool = False

    def note(self) -> str:
        rounds = " → ".join("/".join(f"{rate:.0f}" for rate in rates) for rates in self.rates)
        return (
            f"Elasticsearch warmed by {len(self.rates)} rounds of {self.seconds} s misses "
            f"({'settled' if self.settled else 'unsettled'}), req/s of "
            f"{'/'.join(self.pages)}: {rounds}"
        )


def warm_up_elasticsearch(
    port: int,
    pages: list[Page],
    connections: int,
    rounds: int,
    seconds: int = ES_WARM_UP_SECONDS,
    tolerance: float = ES_STEADY,
) -> WarmUp:
    """Rounds of misses on `pages` until their rates settle (steady()) after
    ES_WARM_UP_MIN_ROUNDS, or `rounds` at most."""
    warm_up = WarmUp([page.name for page in pages], seconds)
    for _ in range(rounds):
        rates = [wrk(port, page.path, seconds, connections, "miss").rps for page in pages]
        settle(port, pages[-1].path)
        warm_up.rates.append(rates)
        if len(warm_up.rates) >= ES_WARM_UP_MIN_ROUNDS:
            warm_up.settled = steady(warm_up.rates[-2], rates, tolerance)
            if warm_up.settled:
                break
    return warm_up


def measure_latency(port: int, page: Page, queries: list[dict]) -> None:
    """The API's p95 over varied queries sent one at a time, after a warm-up."""
    path = page.path.split("?")[0]
    timed_json_requests(port, path, queries[:LATENCY_WARM_UP], PROXY_HEADERS)
    seconds, page.latency_failures = timed_json_requests(
        port, path, queries[LATENCY_WARM_UP:], PROXY_HEADERS
    )
    page.p95_ms = percentiles(seconds)[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers=PROXY_HEADERS)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def time_publish(port: int, path: str) -> tuple[float, bool]:
    """Publish a new price of the sample product as a quick edit does (a revision of the
    live page, published), then time the first GET of its page: milliseconds, and whether
    it shows the new price. The page is fetched just before, so a cache holds it."""
    from django.db import transaction
    from wagtail.models import Locale

    from marketplace.core.fact_updates import update_facts
    from marketplace.core.money import vnd

    product = sample_product(Locale.objects.get(language_code="vi"))
    fetch(port, path)
    price = (product.price_vnd or 0) + 1000
    with transaction.atomic():
        update_facts(product, {"price_vnd": price}, user=None)
    started = time.perf_counter()
    _status, body = fetch(port, path)
    return (time.perf_counter() - started) * 1000, vnd(price, "vi") in body


# The run -------------------------------------------------------------------------------


def site_environment(
    database_url: str, scratch: Path, index_prefix: str, reuse: bool
) -> dict[str, str]:
    """What the production settings need, on 127.0.0.1, in the scratch directory; the
    media of the environment when a loaded database is reused (`reuse`)."""
    media = os.environ.get("MEDIA_ROOT") if reuse else None
    private = os.environ.get("PRIVATE_MEDIA_ROOT") if reuse else None
    return {
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "PUBLIC_BASE_URL": f"http://{HOST}",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(scratch),
        "MEDIA_ROOT": media or str(scratch / "media"),
        "PRIVATE_MEDIA_ROOT": private or str(scratch / "private"),
        "STATIC_ROOT": str(scratch / "static"),
        "ELASTICSEARCH_INDEX_PREFIX": index_prefix,
        "LOG_LEVEL": "WARNING",
        "EMAIL_HOST": "",  # no mail leaves the machine
        "STRIPE_SECRET_KEY": "",
        # The loading and the timed publish write the search indexes in this process, as
        # a task worker would just after: the pages measured are those of a full index.
        "TASKS_BACKEND": "immediate",
    }


def prepare_site(args: argparse.Namespace, notes: list[str]) -> int:
    """Migrate, load the demo (unless --skip-load), translations, static files and
    thumbnails, in this process (its settings are the site's). Returns the products."""
    import django

    django.setup()
    from django.core.management import call_command

    from products.models import ProductPage

    # The cache table first: migrate's post_migrate moves Wagtail's Site and clears its
    # cache, which production keeps in that table (on a fresh database, migrate fails).
    call_command("createcachetable", verbosity=0)
    call_command("migrate", verbosity=0)
    if not args.skip_load:
        started = time.monotonic()
        options = {"products": args.products} if args.products else {}
        if args.no_renditions:
            options["renditions"] = False
        call_command("load_demo", **options, stdout=sys.stderr)  # stdout: the report
        notes.append(f"load_demo: {time.monotonic() - started:.0f} s")
    subprocess.run(
        [sys.executable, "scripts/compile_messages.py"],
        cwd=BASE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    call_command("collectstatic", interactive=False, verbosity=0)
    created, seconds = make_thumbnails()
    notes.append(f"search thumbnails made before measuring: {created} in {seconds:.1f} s")
    return ProductPage.objects.filter(locale__language_code="vi").count()


def close_connections() -> None:
    from django.apps import apps

    if apps.ready:
        from django.db import connections

        connections.close_all()


def delete_search_indices() -> None:
    """The indices of this run's prefix, by name (Elasticsearch refuses a wildcard)."""
    from django.apps import apps

    if not apps.ready:
        return
    from search.backends.elasticsearch import connection

    try:
        client = connection.get_client()
        names = list(client.indices.get(index=f"{connection.index_prefix()}-*"))
        if names:
            client.indices.delete(index=names)
    except Exception as error:  # a cleanup must not hide the run's error
        print(f"warning: {connection.index_prefix()}-* not deleted: {error}", file=sys.stderr)


def chosen_pages(args: argparse.Namespace, paths: dict[str, str], elasticsearch: bool):
    pages, notes = [], []
    for name in args.pages or PAGES:
        server = PAGES[name][0]
        if server == "es" and not elasticsearch:
            notes.append(f"{name}: left out, ELASTICSEARCH_URL is not set")
        elif name not in paths:
            notes.append(f"{name}: left out, the loaded site has none")
        else:
            pages.append(Page(name, paths[name], server))
    return pages, notes


def run_server(server: Server, pages: list[Page], args: argparse.Namespace, latency) -> None:
    """Every page of this server: its rates on a hit and a miss, and the APIs' p95."""
    for page in pages:
        print(f"  {page.name} {page.path}", file=sys.stderr, flush=True)
        page.hit = measure(server.port, page.path, args)
        page.miss = measure(server.port, page.path, args, mode="miss")
        if page.name.startswith(("search-api", "suggest")):
            measure_latency(server.port, page, latency[page.name.split("-")[0]])


def benchmark(args: argparse.Namespace, env: dict, results: Results, log_dir: Path) -> None:
    elasticsearch = bool(os.environ.get("ELASTICSEARCH_URL"))
    paths = page_paths()
    results.pages, notes = chosen_pages(args, paths, elasticsearch)
    results.notes += notes
    for page in results.pages:
        count_queries(page)
    rng = random.Random(2026)
    count = args.latency_queries + LATENCY_WARM_UP
    latency = {"search": search_params(rng, count), "suggest": suggest_params(rng, count)}

    print("Ceiling", file=sys.stderr, flush=True)
    ceiling_env = {**env, "DJANGO_SETTINGS_MODULE": "ceiling.settings"}
    with serving("ceiling", CEILING_APP, HERE, ceiling_env, args, log_dir) as server:
        results.ceiling = measure(server.port, "/", args)

    # Without Elasticsearch the main server searches the database: it serves "db" too.
    groups = {"main": ["main", "es"] if elasticsearch else ["main", "db"]}
    if elasticsearch:
        groups["db"] = ["db"]
    for name, kinds in groups.items():
        pages = [page for page in results.pages if page.server in kinds]
        publish = name == "main" and any(page.name == "product" for page in results.pages)
        if not pages and not publish:
            continue
        server_env = env if name == "main" else {**env, "ELASTICSEARCH_URL": ""}
        print(f"Site ({name})", file=sys.stderr, flush=True)
        with serving(name, SITE_APP, BASE_DIR, server_env, args, log_dir) as server:
            warmed = [page for page in pages if page.name in ELASTICSEARCH_PAGES]
            if warmed and args.es_warm_up_rounds:
                print("  warming Elasticsearch", file=sys.stderr, flush=True)
                warm_up = warm_up_elasticsearch(
                    server.port, warmed, args.connections, args.es_warm_up_rounds
                )
                results.notes.append(warm_up.note())
            run_server(server, pages, args, latency)
            if publish:
                results.publish_ms, results.publish_shows_price = time_publish(
                    server.port, paths["product"]
                )
            results.worker_rss_mb[name] = worker_rss_mb(server.process.pid)

    if any(page.name in ELASTICSEARCH_PAGES for page in results.pages):
        # After the site's pages, so the node is as warm as when they were measured.
        print("Ceiling with one Elasticsearch question", file=sys.stderr, flush=True)
        node_env = {**ceiling_env, **elasticsearch_ceiling_env()}
        with serving("ceiling-es", CEILING_APP, HERE, node_env, args, log_dir) as server:
            results.elasticsearch_ceiling = measure(server.port, "/elasticsearch", args, "miss")


def elasticsearch_ceiling_env() -> dict[str, str]:
    """What the ceiling's /elasticsearch view asks: the suggestions' request for the
    suggest-es page's text, sent to the first node as the site sends it."""
    from marketplace.core.text import fold
    from search.backends.elasticsearch import connection
    from search.backends.elasticsearch.backend import completion_body

    search = f"{connection.node_urls()[0]}/{connection.alias('suggest', 'vi')}/_search"
    body = json.dumps(completion_body(fold(SUGGEST_TEXT)))
    return {"CEILING_ELASTICSEARCH_SEARCH": search, "CEILING_ELASTICSEARCH_BODY": body}


# Report --------------------------------------------------------------------------------


def checks(results: Results) -> list[Check]:
    """Issue 15's targets, one line each."""
    found = []
    ceiling = results.ceiling.rps if results.ceiling else 0
    for page in results.pages:
        if page.hit and ceiling:
            share = page.hit.rps / ceiling
            seen = {
                True: "from the page cache",
                False: "no page cache seen",
                None: "no SQL query on a miss either",
            }[page.from_cache]
            found.append(
                Check(
                    share >= CACHED_SHARE and page.from_cache is not False and not page.hit.errors,
                    f"{page.name}: {share:.0%} of the ceiling's rate, {seen} "
                    f"(target >= {CACHED_SHARE:.0%} from the cache)",
                )
            )
        if page.miss and page.name in TODAY_RPS:
            today = TODAY_RPS[page.name]
            found.append(
                Check(
                    page.miss.rps >= MISS_SPEEDUP * today and not page.miss.errors,
                    f"{page.name}: {page.miss.rps / today:.1f}x today's {today} req/s on a "
                    f"miss (target >= {MISS_SPEEDUP}x)",
                )
            )
        if page.queries_miss is not None:
            found.append(
                Check(
                    page.queries_miss <= MAX_QUERIES and page.status == 200,
                    f"{page.name}: {page.queries_miss} SQL queries on a miss, answer "
                    f"{page.status} (target <= {MAX_QUERIES}, 200)",
                )
            )
        target = PAGES[page.name][1]
        if page.p95_ms is not None and target is not None:
            found.append(
                Check(
                    page.p95_ms <= target and not page.latency_failures,
                    f"{page.name}: p95 {page.p95_ms:.1f} ms over varied queries, "
                    f"{page.latency_failures} failed (target <= {target:g} ms)",
                )
            )
    if results.publish_ms is not None:
        found.append(
            Check(
                results.publish_ms <= PUBLISH_MS and bool(results.publish_shows_price),
                f"product: first request after a publish {results.publish_ms:.0f} ms, new price "
                f"{'shown' if results.publish_shows_price else 'NOT shown'} "
                f"(target <= {PUBLISH_MS} ms)",
            )
        )
    for server, sizes in results.worker_rss_mb.items():
        if sizes:
            found.append(
                Check(
                    max(sizes) <= MAX_RSS_MB,
                    f"gunicorn ({server}) workers after the run: "
                    f"{', '.join(f'{size:.0f}' for size in sizes)} MB "
                    f"(target <= {MAX_RSS_MB} MB)",
                )
            )
    return found


def number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(results: Results) -> list[str]:
    ceiling = results.ceiling.rps if results.ceiling else None
    heads = ("page", "hit r/s", "p50 ms", "p99 ms", "ceiling", "miss r/s", "p50 ms", "p99 ms")
    heads += ("today", "SQL miss/hit", "bytes", "API p95")
    rows = [heads]
    for page in results.pages:
        # A run in which no request ended has no latency to show.
        hit = page.hit if page.hit and page.hit.requests else None
        miss = page.miss if page.miss and page.miss.requests else None
        rows.append(
            (
                page.name,
                number(hit and hit.rps),
                number(hit and hit.p50_ms, 1),
                number(hit and hit.p99_ms, 1),
                f"{page.hit.rps / ceiling:.0%}" if page.hit and ceiling else "-",
                number(miss and miss.rps),
                number(miss and miss.p50_ms, 1),
                number(miss and miss.p99_ms, 1),
                number(TODAY_RPS.get(page.name)),
                f"{number(page.queries_miss)}/{number(page.queries_hit)}",
                number(page.body_bytes),
                number(page.p95_ms, 1),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(heads))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def report(results: Results, found: list[Check]) -> str:
    settings = results.settings
    lines = [
        f"{settings['products']} products (vi), PostgreSQL, gunicorn {settings['workers']} "
        f"{settings['worker_class']} workers, wrk {settings['connections']} connections "
        f"{settings['duration']} s after {settings['warm_up']} s of warm-up",
    ]
    if results.ceiling:
        c = results.ceiling
        lines.append(
            f'Ceiling (a Django view answering "hello"): {c.rps:,.0f} req/s, '
            f"p50 {c.p50_ms:.1f} ms, p99 {c.p99_ms:.1f} ms"
        )
    if results.elasticsearch_ceiling:
        c = results.elasticsearch_ceiling
        lines.append(
            "Ceiling with one Elasticsearch question (the same view, plus the suggestions' "
            f"request to the node): {c.rps:,.0f} req/s, p50 {c.p50_ms:.1f} ms, "
            f"p99 {c.p99_ms:.1f} ms"
        )
    lines += ["", *table(results), ""]
    for page in results.pages:
        lines.append(f"  {page.name}: {page.path}")
        for label, rate in (("hit", page.hit), ("miss", page.miss)):
            if rate and rate.errors:
                lines.append(f"    {rate.errors} errors or non-2xx/3xx answers ({label})")
        if page.hit_header:
            lines.append(f"    the hit said: {page.hit_header}")
    lines.append("")
    lines += [f"{'PASS' if check.passed else 'FAIL'}  {check.text}" for check in found]
    passed = sum(check.passed for check in found)
    lines += ["", f"{passed} PASS, {len(found) - passed} FAIL", *results.notes]
    return "\n".join(lines)


def as_json(results: Results, found: list[Check]) -> str:
    data = dataclasses.asdict(results)
    for page, rates in zip(results.pages, data["pages"], strict=True):
        for label in ("hit", "miss"):
            if rate := getattr(page, label):
                rates[label]["rps"] = rate.rps
    for name in ("ceiling", "elasticsearch_ceiling"):
        if rate := getattr(results, name):
            data[name]["rps"] = rate.rps
    data["checks"] = [dataclasses.asdict(check) for check in found]
    return json.dumps(data, indent=2, ensure_ascii=False)


# Main ----------------------------------------------------------------------------------


def missing_tools() -> str | None:
    if not shutil.which("wrk"):
        return "wrk is not installed: apt-get install -y wrk (Debian, Ubuntu)."
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "gunicorn is not installed: pip install -r requirements.txt."
    if not is_postgres(os.environ.get("DATABASE_URL", "")):
        return (
            "Set DATABASE_URL to a PostgreSQL server (the production settings need it; "
            "the role needs CREATEDB unless --skip-load), e.g. "
            "DATABASE_URL=postgres://chocop:chocop@127.0.0.1:5432/chocop."
        )
    return None


def stop_on_sigterm() -> None:
    """A SIGTERM ends the run as Ctrl-C does: the servers stop, the database is dropped."""

    def handler(signum, frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if problem := missing_tools():
        print(problem, file=sys.stderr)
        return 2
    stop_on_sigterm()
    results = Results(settings={k: v for k, v in vars(args).items() if k != "pages"})
    with contextlib.ExitStack() as cleanup:
        scratch = Path(tempfile.mkdtemp(prefix="chocop-bench-http-"))
        if not args.keep:
            cleanup.callback(shutil.rmtree, scratch, ignore_errors=True)
        url = os.environ["DATABASE_URL"]
        prefix = os.environ.get("ELASTICSEARCH_INDEX_PREFIX") or "chocop"
        if not args.skip_load:
            url, drop = fresh_postgres_database(url)
            prefix = f"bench{os.getpid()}"
            if not args.keep:
                cleanup.callback(drop)
                if os.environ.get("ELASTICSEARCH_URL"):
                    cleanup.callback(delete_search_indices)
        cleanup.callback(close_connections)  # before the database is dropped
        env = site_environment(url, scratch, prefix, reuse=args.skip_load)
        os.environ.update(env)
        try:
            print("Preparing the site...", file=sys.stderr, flush=True)
            results.settings["products"] = prepare_site(args, results.notes)
            benchmark(args, {**os.environ}, results, scratch)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        if args.keep:
            print(
                f"Kept: DATABASE_URL={url} MEDIA_ROOT={env['MEDIA_ROOT']} "
                f"ELASTICSEARCH_INDEX_PREFIX={prefix} (use them with --skip-load); "
                f"logs in {scratch}",
                file=sys.stderr,
            )
    results.notes.append(
        "load average (1, 5, 15 min) at the end: "
        + " ".join(f"{value:.1f}" for value in os.getloadavg())
    )
    found = checks(results)
    print(as_json(results, found) if args.json else report(results, found))
    return 0 if all(check.passed for check in found) else 1


if __name__ == "__main__":
    sys.exit(main())
