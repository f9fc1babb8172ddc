"""What the benchmarks share: a scratch PostgreSQL database, free ports, percentiles, the
catalogue search's varied queries and a client that times them one at a time.

Import it as `bench.common` with the checkout's root on sys.path (each script puts it
there). Django is imported inside the functions that need it: the scripts choose their
settings first.
"""

import http.client
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

SORTS = ("relevance", "price_asc", "price_desc", "newest", "stars")
SEARCH, SUGGEST = "/api/search/products", "/api/search/suggest"


# Databases and ports ------------------------------------------------------------------


def fresh_postgres_database(url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on the server of `url`, and a function that drops it.

    Created from the server's maintenance database, "postgres", as Django's test runner
    does: the database `url` names need not exist."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"chocop_bench_{os.getpid()}"
    connect = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return url.rsplit("/", 1)[0] + f"/{name}", drop


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def scratch_database(scratch: Path) -> tuple[str, Callable[[], None] | None]:
    """A fresh database and how to drop it: beside DATABASE_URL's PostgreSQL, or
    DATABASE_URL's other database as it is, or SQLite in `scratch` (dropped with it)."""
    url = os.environ.get("DATABASE_URL", "")
    if is_postgres(url):
        return fresh_postgres_database(url)
    return url or f"sqlite:///{scratch / 'db.sqlite3'}", None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Statistics ---------------------------------------------------------------------------


def stop_process(process, seconds: float = 30) -> None:
    """SIGTERM, then SIGKILL if it has not ended within `seconds`; waits for the end."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    if len(seconds) < 2:
        return (seconds[0] * 1000,) * 3 if seconds else (float("nan"),) * 3
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


# The catalogue search's queries (they read the loaded database) -------------------------


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
    """Varied search API queries: words and phrases of product titles, with and without
    diacritics, some misspelt, empty ones, facet filters, sorts, later pages, both languages."""
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
    """Varied suggest API queries: prefixes of title words, half without diacritics."""
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


def make_thumbnails(batch: int = 200) -> tuple[int, float]:
    """Thumbnails created for the search results' images, and the seconds it took: a live
    site made each once, on its first view, long ago; the API is measured in that state."""
    from marketplace.core.models import CustomRendition
    from search.models import ProductSearchEntry
    from search.thumbnails import THUMBNAIL_SPEC, thumbnail_urls

    renditions = CustomRendition.objects.filter(filter_spec=THUMBNAIL_SPEC)
    before, started = renditions.count(), time.monotonic()
    ids = sorted(set(ProductSearchEntry.objects.values_list("image_id", flat=True)) - {None})
    for start in range(0, len(ids), batch):
        thumbnail_urls(ids[start : start + batch])
    return renditions.count() - before, time.monotonic() - started


# A client timing JSON requests one at a time --------------------------------------------


def timed_json_requests(
    port: int, path: str, queries: list[dict], headers: dict[str, str] | None = None
) -> tuple[list[float], int]:
    """Seconds per successful request, one at a time on a kept-alive connection, and the
    number of failures."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seconds, failures = [], 0
    for params in queries:
        started = time.perf_counter()
        try:
            url = f"{path}?{urllib.parse.urlencode(params)}"
            connection.request("GET", url, headers=headers or {})
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
