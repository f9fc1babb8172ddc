"""Benchmark the catalogue search on a loaded database and a running Elasticsearch node.

    DATABASE_URL=sqlite:////tmp/es20k.sqlite3 MEDIA_ROOT=/tmp/es20k-media \\
    ELASTICSEARCH_URL=http://127.0.0.1:9200 ELASTICSEARCH_INDEX_PREFIX=bench \\
    .venv/bin/python bench/search.py

Issue 3's targets, with 20 000 products: search API p95 <= 50 ms and suggest API p95
<= 20 ms over 1 000 varied queries from a client on the same machine, the database
backend's search p95 reported beside them.

Steps: (a) time `manage.py search_index rebuild`; (b) make the thumbnails the results
show that do not exist yet (a live site makes each once, on its first view: the API is
measured in that steady state); (c) serve the site with gunicorn (gthread workers,
DEBUG off, the process caches cold) and send the queries one at a time per client:
words and phrases of product titles, with and without diacritics, some misspelt, empty
searches (browsing), facet filters, sorts, pages 2 to 5, in Vietnamese and English;
(d) the same against the database backend. Prints p50/p95/p99 with PASS or FAIL.

Options: --queries N (1000), --database-queries N (200), --clients N (1),
--skip-rebuild, --skip-database.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SORTS = ("relevance", "price_asc", "price_desc", "newest", "stars")
WARM_UP = 20  # requests before measuring: each worker loads its URLconf and connections
SERVER_ENV = {"DJANGO_SETTINGS_MODULE": "marketplace.settings.dev", "DEBUG": "0"}
WORKERS, THREADS = 2, 4
SEARCH, SUGGEST = "/api/search/products", "/api/search/suggest"


@dataclass
class Measure:
    label: str
    seconds: list[float]
    failures: int
    target_ms: float | None  # None: reported, no target


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--database-queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--skip-database", action="store_true")
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    os.environ.setdefault("DEBUG", "0")  # no query log in this process
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


# Set-up steps -------------------------------------------------------------------------


def time_rebuild() -> float:
    """Seconds `manage.py search_index rebuild` takes, Django's start-up included."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "search_index", "rebuild"],
        cwd=BASE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def make_thumbnails(batch: int = 200) -> tuple[int, float]:
    """Thumbnails created for the products' images, and the seconds it took."""
    from marketplace.core.models import CustomRendition
    from search.models import ProductSearchEntry
    from search.thumbnails import THUMBNAIL_SPEC, thumbnail_urls

    renditions = CustomRendition.objects.filter(filter_spec=THUMBNAIL_SPEC)
    before, started = renditions.count(), time.monotonic()
    ids = sorted(set(ProductSearchEntry.objects.values_list("image_id", flat=True)) - {None})
    for start in range(0, len(ids), batch):
        thumbnail_urls(ids[start : start + batch])
    return renditions.count() - before, time.monotonic() - started


# Queries ------------------------------------------------------------------------------


def title_words(rng: random.Random, language: str) -> tuple[list[str], list[str]]:
    """Words and two-word phrases of a sample of the product titles in `language`."""
    from marketplace.core.text import WORD, normalise
    from search.catalogue import indexable_products

    titles = list(
        indexable_products().filter(locale__language_code=language).values_list("title", flat=True)
    )
    words, phrases = set(), set()
    for title in rng.sample(titles, min(len(titles), 2000)):
        found = [w for w in WORD.findall(normalise(title)) if len(w) > 1]
        words.update(found)
        phrases.update(" ".join(pair) for pair in itertools.pairwise(found))
    return sorted(words), sorted(phrases)


def misspelt(rng: random.Random, text: str) -> str:
    """`text` with one letter dropped, doubled or swapped with the next."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return rng.choice(
        (
            text[:i] + text[i + 1 :],
            text[:i] + text[i] + text[i:],
            text[:i] + text[i + 1] + text[i] + text[i + 2 :],
        )
    )


def search_params(rng: random.Random, count: int) -> list[dict]:
    from marketplace.core.text import fold
    from producers.models import Locality
    from products.models import ProductCategory
    from search.query import PRICE_RANGES

    vocabulary = {language: title_words(rng, language) for language in ("vi", "en")}
    categories = sorted(set(ProductCategory.objects.values_list("slug", flat=True)))
    localities = sorted(set(Locality.objects.values_list("slug", flat=True)))
    queries = []
    for _ in range(count):
        language = "en" if rng.random() < 0.2 else "vi"
        words, phrases = vocabulary[language]
        roll = rng.random()
        q = "" if roll < 0.1 else rng.choice(phrases) if roll < 0.45 else rng.choice(words)
        if language == "vi" and rng.random() < 0.5:
            q = fold(q)  # typed without diacritics
        if rng.random() < 0.1:
            q = misspelt(rng, q)
        params = {"q": q, "lang": language, "sort": rng.choice(SORTS)}
        page = rng.choices((1, 2, 3, 4, 5), weights=(70, 12, 8, 5, 5))[0]
        if page > 1:
            params["page"] = page
        for name, values, share in (
            ("category", categories, 0.3),
            ("locality", localities, 0.1),
            ("stars", ("3", "4", "5"), 0.2),
            ("availability", ("in_stock",), 0.1),
            ("price", [key for key, _low, _high in PRICE_RANGES], 0.1),
        ):
            if rng.random() < share:
                params[name] = rng.choice(values)
        queries.append(params)
    return queries


def suggest_params(rng: random.Random, count: int) -> list[dict]:
    from marketplace.core.text import fold

    vocabulary = {language: title_words(rng, language)[0] for language in ("vi", "en")}
    queries = []
    for _ in range(count):
        language = "en" if rng.random() < 0.2 else "vi"
        prefix = rng.choice(vocabulary[language])[: rng.randint(2, 6)]
        if language == "vi" and rng.random() < 0.5:
            prefix = fold(prefix)
        queries.append({"q": prefix, "lang": language})
    return queries


# The server and its clients -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", f"{SUGGEST}?q=a")
        return connection.getresponse().status == 200
    except OSError:
        return False


def start_server(env: dict, log) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the site on a free port, its errors written to `log`."""
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "marketplace.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
            *("--workers", str(WORKERS), "--threads", str(THREADS), "--log-level", "warning"),
        ],
        cwd=BASE_DIR,
        env={**os.environ, **SERVER_ENV, **env},
        stdout=log,
        stderr=log,
    )
    for _ in range(150):
        if server.poll() is None and answers(port):
            return server, port
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start: see {log.name}")


def client(port: int, path: str, queries: list[dict]) -> tuple[list[float], int]:
    """Seconds per successful request, one at a time on a kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seconds, failures = [], 0
    for params in queries:
        started = time.perf_counter()
        try:
            connection.request("GET", f"{path}?{urllib.parse.urlencode(params)}")
            response = connection.getresponse()
            json.loads(response.read())
            ok = response.status == 200
        except (OSError, http.client.HTTPException, ValueError):
            connection.close()  # reconnects on the next request
            ok = False
        if ok:
            seconds.append(time.perf_counter() - started)
        else:
            failures += 1
    connection.close()
    return seconds, failures


def run_clients(port: int, path: str, queries: list[dict], clients: int) -> tuple[list, int]:
    results = [([], 0)] * clients

    def work(index: int) -> None:
        results[index] = client(port, path, queries[index::clients])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [s for seconds, _f in results for s in seconds], sum(f for _s, f in results)


def measure(env: dict, jobs: list[tuple[str, str, list[dict], float | None]], clients: int):
    """Each (label, path, queries, target) against one fresh server; WARM_UP queries first."""
    measures = []
    with tempfile.NamedTemporaryFile("w", prefix="bench-gunicorn-", suffix=".log") as log:
        server, port = start_server(env, log)
        try:
            for label, path, queries, target_ms in jobs:
                client(port, path, queries[:WARM_UP])
                seconds, failures = run_clients(port, path, queries[WARM_UP:], clients)
                measures.append(Measure(label, seconds, failures, target_ms))
        finally:
            server.terminate()
            server.wait()
    return measures


# Report -------------------------------------------------------------------------------


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    if len(seconds) < 2:
        return (seconds[0] * 1000,) * 3 if seconds else (float("nan"),) * 3
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def print_report(measures: list[Measure], notes: list[str]) -> bool:
    """The table; True when every target is met."""
    width = max(len(m.label) for m in measures)
    print(f"\n{'':<{width}}  requests  failed    p50 ms    p95 ms    p99 ms  target    result")
    all_pass = True
    for m in measures:
        p50, p95, p99 = percentiles(m.seconds)
        if m.target_ms is None:
            target, result = "-", "reported"
        else:
            passed = m.failures == 0 and p95 <= m.target_ms
            all_pass &= passed
            target, result = f"p95<={m.target_ms:.0f}", "PASS" if passed else "FAIL"
        print(
            f"{m.label:<{width}}  {len(m.seconds) + m.failures:>8}  {m.failures:>6}"
            f"  {p50:>8.1f}  {p95:>8.1f}  {p99:>8.1f}  {target:<8}  {result}"
        )
    print()
    for note in notes:
        print(note)
    return all_pass


def main() -> int:
    args = parse_args()
    if not os.environ.get("ELASTICSEARCH_URL"):
        print("Set ELASTICSEARCH_URL (and DATABASE_URL, MEDIA_ROOT for the loaded data).")
        return 2
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        print("Install gunicorn (requirements.txt): the site is measured under it.")
        return 2
    setup_django()
    from django.core.management import call_command

    # A database loaded by an older checkout lacks the newer tables.
    call_command("migrate", verbosity=0)
    from search.backends import database_backend
    from search.catalogue import indexable_products
    from search.models import ProductSearchEntry

    products = indexable_products().count()
    notes = [
        f"{products} indexable products (all languages); gunicorn {WORKERS} workers x "
        f"{THREADS} threads, {args.clients} client(s) one request at a time, "
        f"after {WARM_UP} warm-up requests."
    ]
    if not args.skip_rebuild:
        elapsed = time_rebuild()
        notes.append(
            f"search_index rebuild: {products} products in {elapsed:.1f} s "
            f"({products / elapsed:.0f}/s)"
        )
    if ProductSearchEntry.objects.count() < products:
        database_backend().rebuild()
    created, elapsed = make_thumbnails()
    notes.append(f"thumbnails made before measuring: {created} in {elapsed:.1f} s")

    rng = random.Random(2026)
    searches = search_params(rng, args.queries + WARM_UP)
    suggestions = suggest_params(rng, args.queries + WARM_UP)
    measures = measure(
        {},
        [
            ("search API (Elasticsearch)", SEARCH, searches, 50),
            ("suggest API (Elasticsearch)", SUGGEST, suggestions, 20),
        ],
        args.clients,
    )
    if not args.skip_database:
        count = WARM_UP + args.database_queries
        measures += measure(
            {"ELASTICSEARCH_URL": ""},
            [
                ("search API (database)", SEARCH, searches[:count], None),
                ("suggest API (database)", SUGGEST, suggestions[:count], None),
            ],
            args.clients,
        )
    # The machine may be shared: a busy one explains slow percentiles.
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    notes.append(f"load average (1, 5, 15 min) at the end: {load}")
    return 0 if print_report(measures, notes) else 1


if __name__ == "__main__":
    sys.exit(main())
