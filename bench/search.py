"""Benchmark the catalogue search on a loaded database and a running Elasticsearch node.

    DATABASE_URL=sqlite:////tmp/es20k.sqlite3 MEDIA_ROOT=/tmp/es20k-media \\
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search.py

Measures (a) a full `search_index` rebuild in products/s, (b) the JSON search API's
p95 over varied queries, (c) the suggest API's p95, both on Elasticsearch, and (d) the
database backend's search p95 on the same data. The API runs under `manage.py
runserver --noreload` on 127.0.0.1, started here; the client is on the same machine.
Options: --queries N (default 1000), --database-queries N (default 200), --skip-rebuild,
--skip-database.
"""

import argparse
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SORTS = ("relevance", "price_asc", "price_desc", "newest", "stars")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--database-queries", type=int, default=200)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--skip-database", action="store_true")
    return parser.parse_args()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    os.environ.setdefault("DEBUG", "0")  # no query log in the server
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def rebuild_rate() -> tuple[int, float]:
    from search import indexing

    started = time.monotonic()
    count = indexing.rebuild()
    return count, time.monotonic() - started


def catalogue_words(rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Words and two-word phrases of product titles, and the category slugs."""
    from products.models import ProductCategory
    from search.catalogue import indexable_products
    from search.text import WORD, normalise

    titles = list(
        indexable_products().filter(locale__language_code="vi").values_list("title", flat=True)
    )
    sample = rng.sample(titles, min(len(titles), 2000))
    words, phrases = set(), set()
    for title in sample:
        title_words = [w for w in WORD.findall(normalise(title)) if len(w) > 1]
        words.update(title_words)
        phrases.update(" ".join(pair) for pair in itertools.pairwise(title_words))
    slugs = list(ProductCategory.objects.values_list("slug", flat=True).distinct())
    return sorted(words), sorted(phrases), slugs


def search_params(rng: random.Random, count: int) -> list[dict]:
    """Varied searches: words and phrases, with and without diacritics, facets, sorts."""
    from search.text import fold

    words, phrases, slugs = catalogue_words(rng)
    queries = []
    for _ in range(count):
        q = rng.choice(phrases) if rng.random() < 0.4 else rng.choice(words)
        if rng.random() < 0.5:
            q = fold(q)
        params = {"q": q, "lang": "vi", "sort": rng.choice(SORTS), "page": rng.choice((1, 1, 2))}
        if rng.random() < 0.3:
            params["category"] = rng.choice(slugs)
        if rng.random() < 0.2:
            params["stars"] = rng.choice(("3", "4", "5"))
        if rng.random() < 0.1:
            params["availability"] = "in_stock"
        if rng.random() < 0.05:
            params["q"] = ""
        queries.append(params)
    return queries


def suggest_params(rng: random.Random, count: int) -> list[dict]:
    words, _phrases, _slugs = catalogue_words(rng)
    return [{"q": rng.choice(words)[: rng.randint(2, 6)], "lang": "vi"} for _ in range(count)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/api/search/suggest?q=a", timeout=5).read()
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


def timings(url: str, path: str, queries: list[dict]) -> tuple[list[float], int]:
    """Seconds per request, and how many failed (non-200)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    seconds, failures = [], 0
    for params in queries:
        started = time.perf_counter()
        try:
            with opener.open(f"{url}{path}?{urllib.parse.urlencode(params)}", timeout=30) as r:
                json.loads(r.read())
        except OSError:
            failures += 1
        seconds.append(time.perf_counter() - started)
    return seconds, failures


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]


def measure(env: dict, path: str, queries: list[dict]) -> tuple[list[float], int]:
    server, url = start_server(env)
    try:
        timings(url, path, queries[:20])  # warm up caches and renditions
        return timings(url, path, queries)
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    args = parse_args()
    if not os.environ.get("ELASTICSEARCH_URL"):
        print("Set ELASTICSEARCH_URL (and DATABASE_URL, MEDIA_ROOT for the loaded data).")
        return 2
    setup_django()
    from search.backends import database
    from search.catalogue import indexable_products
    from search.models import ProductSearchEntry

    rng = random.Random(2026)
    rows = []
    products = indexable_products().count()
    if not args.skip_rebuild:
        count, elapsed = rebuild_rate()
        rows.append(("rebuild (Elasticsearch)", f"{count} products", f"{count / elapsed:.0f}/s"))
    searches = search_params(rng, args.queries)
    suggestions = suggest_params(rng, args.queries)
    for label, env, path, queries in [
        ("search API p95 (Elasticsearch)", {}, "/api/search/products", searches),
        ("suggest API p95 (Elasticsearch)", {}, "/api/search/suggest", suggestions),
    ]:
        seconds, failures = measure(env, path, queries)
        rows.append(
            (label, f"{len(seconds)} requests, {failures} failed", f"{p95(seconds) * 1000:.0f} ms")
        )
    if args.skip_database:
        args.database_queries = 0
    elif ProductSearchEntry.objects.count() < products:
        database.rebuild_entries()
    no_elasticsearch = {"ELASTICSEARCH_URL": ""}
    for label, path, queries in [
        ("search API p95 (database)", "/api/search/products", searches[: args.database_queries]),
        ("suggest API p95 (database)", "/api/search/suggest", suggestions[: args.database_queries]),
    ]:
        if not queries:
            continue
        seconds, failures = measure(no_elasticsearch, path, queries)
        rows.append(
            (label, f"{len(seconds)} requests, {failures} failed", f"{p95(seconds) * 1000:.0f} ms")
        )
    print(f"\n{products} indexable products (all languages)\n")
    width = max(len(row[0]) for row in rows)
    for name, detail, value in rows:
        print(f"{name:<{width}}  {value:>10}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
