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
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import (  # noqa: E402
    SEARCH,
    SUGGEST,
    free_port,
    make_thumbnails,
    percentiles,
    search_params,
    suggest_params,
    timed_json_requests,
)

WARM_UP = 20  # requests before measuring: each worker loads its URLconf and connections
SERVER_ENV = {"DJANGO_SETTINGS_MODULE": "marketplace.settings.dev", "DEBUG": "0"}
WORKERS, THREADS = 2, 4


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


# The server and its clients -------------------------------------------------------------


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


def run_clients(port: int, path: str, queries: list[dict], clients: int) -> tuple[list, int]:
    results = [([], 0)] * clients

    def work(index: int) -> None:
        results[index] = timed_json_requests(port, path, queries[index::clients])

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
                timed_json_requests(port, path, queries[:WARM_UP])
                seconds, failures = run_clients(port, path, queries[WARM_UP:], clients)
                measures.append(Measure(label, seconds, failures, target_ms))
        finally:
            server.terminate()
            server.wait()
    return measures


# Report -------------------------------------------------------------------------------


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
