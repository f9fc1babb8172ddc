#!/usr/bin/env python3.11
"""Smoke run of the README: `make run` as a newcomer runs it, checked from outside over HTTP.

    scripts/smoke_readme.py                        # a clone of this repository's HEAD
    scripts/smoke_readme.py --elasticsearch http://127.0.0.1:9200
    scripts/smoke_readme.py --here                 # this checkout, uncommitted changes too
    scripts/smoke_readme.py --url http://127.0.0.1:8000   # only check a running site

By default it `git clone`s the repository it lives in (HEAD; `--repo PATH` for another)
into a temporary folder and runs `make run PORT=<port>` there, exactly as the README says:
default settings, SQLite in a fresh `var/`, and an environment cleaned of every variable
the settings read (.env.example's, DJANGO_*, VAR_DIR, ...), so the developer's shell does
not leak in. The first run creates `.venv` and pip-installs `requirements.txt`: allow
several minutes. With `--here` it runs `make run` in the checkout itself (its `.venv`,
translations and working tree as they are) with a temporary `VAR_DIR` instead of cloning.

Once `http://127.0.0.1:<port>/` answers, it checks, with a few threads:

- sitemap: every <loc> of /sitemap.xml and every hreflang alternate answers 200;
- absolute URLs: every one the site gives out (sitemap, canonical, og:url, og:image,
  hreflang, JSON-LD) starts with http://127.0.0.1:<port>/, the address it serves;
- prices: each product (the pages with a JSON-LD Product) has the same price (offers.price,
  or none when on request) on its Vietnamese and English pages, and shows it;
- search: each product is in the top 3 of /api/search/products?q=<its title>&lang=<its
  language>, and of the same query without diacritics, in both languages, with the
  page's price, answered by the expected backend (the X-Search-Backend header);
- admin login: /admin/login/ answers 200 with a login form.

With `--elasticsearch URL` (or SMOKE_ELASTICSEARCH_URL) it then stops the server, starts
`make run` again on a fresh var/ with ELASTICSEARCH_URL=URL and a unique
ELASTICSEARCH_INDEX_PREFIX, repeats the search check, checks that the products aliases
hold one document per product, and deletes that prefix's indices at the end.

It prints each check with counts and timings and, for a failed one, the first examples.
Exit status: 0 when every check passed, 1 otherwise. The server is always stopped (its
process group), and the temporary folder removed unless `--keep`.

Python 3.11 standard library only: it never imports the project.
"""

import argparse
import concurrent.futures
import contextlib
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SCRIPT_REPO = Path(__file__).resolve().parent.parent
WORKERS = 4  # runserver is threaded; more only queues on the GIL
HTTP_TIMEOUT = 60  # seconds per request
START_TIMEOUT = 20 * 60  # the first `make run` creates .venv and pip-installs
STOP_TIMEOUT = 15
EXAMPLES = 10  # failures shown per check
TOP = 3
LANGUAGES = ("vi", "en")
SEARCH_API = "/api/search/products"
BACKEND_HEADER = "X-Search-Backend"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
# Variables that change what `make run` does, besides those .env.example lists.
LEAKY_VARIABLES = {
    "DATABASE_URL",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_INDEX_PREFIX",
    "ELASTICSEARCH_API_KEY",
    "VAR_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PUBLIC_BASE_URL",
    "WAGTAILADMIN_BASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "PORT",
    "PYTHON",
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEFILES",
    "SMOKE_ELASTICSEARCH_URL",
}
LEAKY_PREFIXES = ("DJANGO_", "ELASTICSEARCH_", "STRIPE_", "EMAIL_", "DATABASE_")
# JSON-LD keys whose values are links to the site (not "sameAs": producers' own websites).
JSON_LD_LINK_KEYS = {"url", "@id", "item", "image", "logo"}
# The price a product page shows (templates/products/product_page.html).
SHOWN_PRICE = re.compile(r'class="product__price"[^>]*>\s*<span class="price">([^<]*)<')


class SmokeError(Exception):
    """The run cannot go on (no server, no clone): reported, then exit status 1."""


# Output -------------------------------------------------------------------------------


def say(message: str = "") -> None:
    print(message, flush=True)


def seconds(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


@dataclass
class Check:
    """One check's outcome: what it looked at, and what was wrong."""

    name: str
    failures: list[str] = field(default_factory=list)
    summary: str = ""
    started: float = field(default_factory=time.monotonic)
    duration: str = ""

    def fail(self, message: str) -> None:
        self.failures.append(message)

    @property
    def ok(self) -> bool:
        return not self.failures

    def done(self, summary: str) -> "Check":
        self.summary, self.duration = summary, seconds(self.started)
        status = "ok  " if self.ok else "FAIL"
        say(f"{status} {self.name}: {summary} ({self.duration})")
        for message in self.failures[:EXAMPLES]:
            say(f"       - {message}")
        if len(self.failures) > EXAMPLES:
            say(f"       ... and {len(self.failures) - EXAMPLES} more")
        return self


# HTTP ---------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to report, not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


# A robot says so: the site does not count its page views (marketplace/office/reports/counting.py).
HEADERS = {"User-Agent": "chocop-smoke-readme/1 (bot)", "Accept-Language": "vi,en"}
# No proxy: the server is on this machine, whatever http_proxy says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


@dataclass
class Answer:
    url: str
    status: int  # 0 when nothing answered
    headers: dict[str, str]
    body: bytes
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def describe(self) -> str:
        if self.status == 0:
            return f"no answer ({self.error})"
        location = self.headers.get("location")
        return f"{self.status}" + (f" → {location}" if location else "")


def request(url: str, method: str = "GET", timeout: float = HTTP_TIMEOUT) -> Answer:
    req = urllib.request.Request(url, method=method, headers=HEADERS)
    try:
        with OPENER.open(req, timeout=timeout) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Answer(url, response.status, headers, response.read())
    except urllib.error.HTTPError as error:
        headers = {k.lower(): v for k, v in (error.headers or {}).items()}
        return Answer(url, error.code, headers, error.read() if error.fp else b"")
    except (OSError, ValueError) as error:  # URLError, timeouts, resets
        return Answer(url, 0, {}, b"", error=str(getattr(error, "reason", error)))


def fetch_all(urls: Iterable[str]) -> dict[str, Answer]:
    urls = list(urls)
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        return dict(zip(urls, pool.map(request, urls), strict=True))


def path_of(url: str) -> str:
    """The site-relative part of a URL: path and query."""
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Vietnamese without diacritics, as marketplace.core.text.fold does: NFD, no marks, đ → d.


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


# The server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def clean_environment(checkout: Path) -> dict[str, str]:
    """os.environ without what would make `make run` differ from a newcomer's."""
    leaky = set(LEAKY_VARIABLES)
    example = checkout / ".env.example"
    if example.exists():
        for line in example.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*#?\s*([A-Z][A-Z0-9_]*)=", line)
            if match:
                leaky.add(match.group(1))
    return {
        name: value
        for name, value in os.environ.items()
        if name not in leaky and not name.startswith(LEAKY_PREFIXES)
    }


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


class Server:
    """`make run PORT=<port>` in `checkout`, in its own process group, output to `log`."""

    def __init__(self, checkout: Path, port: int, env: dict[str, str], log: Path) -> None:
        self.checkout, self.port, self.env, self.log = checkout, port, env, log
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if port_in_use(self.port):
            raise SmokeError(f"something already answers on port {self.port}: choose --port")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                ["make", "run", f"PORT={self.port}"],
                cwd=self.checkout,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, to stop all of it
            )

    def wait(self, timeout: float) -> float:
        """Seconds until / answers; SmokeError with the log's tail if make ends or times out."""
        started = time.monotonic()
        next_note = started + 60
        while True:
            if self.process.poll() is not None:
                raise SmokeError(
                    f"`make run` exited with status {self.process.returncode} before the"
                    f" site answered; last lines of {self.log}:\n{tail(self.log)}"
                )
            if request(self.base + "/", timeout=10).status:
                return time.monotonic() - started
            now = time.monotonic()
            if now - started > timeout:
                raise SmokeError(
                    f"{self.base}/ did not answer within {timeout:.0f} s; last lines of"
                    f" {self.log}:\n{tail(self.log)}"
                )
            if now >= next_note:
                last = tail(self.log, 1).strip()[:120]
                say(f"     ... still waiting after {now - started:.0f} s; log: {last}")
                next_note = now + 60
            time.sleep(1)

    def stop(self) -> None:
        """SIGTERM to the process group (make, runserver and its reloader), then SIGKILL."""
        if self.process is None:
            return
        group = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            self.process.poll()
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None


@contextlib.contextmanager
def running(server: Server, timeout: float, label: str) -> Iterator[Server]:
    started = time.monotonic()
    say(f"\n== {label}: make run PORT={server.port} (log {server.log})")
    server.start()
    try:
        waited = server.wait(timeout)
        say(f"     the site answered at {server.base}/ after {waited:.1f} s")
        yield server
    finally:
        server.stop()
        say(f"     server stopped ({seconds(started)} in all)")


# What the pages say -------------------------------------------------------------------


class HeadParser(HTMLParser):
    """The <html lang>, canonical, hreflang alternates, og:url/og:image, JSON-LD, forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.links: list[tuple[str, str]] = []  # (what, absolute URL) to check
        self.alternates: dict[str, str] = {}  # hreflang → URL
        self.json_ld: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.inputs: list[dict[str, str]] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {name: value or "" for name, value in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and "canonical" in rel:
            self.links.append(("canonical", a.get("href", "")))
        elif tag == "link" and "alternate" in rel and a.get("hreflang"):
            self.links.append((f"hreflang={a['hreflang']}", a.get("href", "")))
            self.alternates[a["hreflang"]] = a.get("href", "")
        elif tag == "meta" and a.get("property") in ("og:url", "og:image"):
            self.links.append((a["property"], a.get("content", "")))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._script = []
        elif tag == "form":
            self.forms.append(a)
        elif tag == "input":
            self.inputs.append(a)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.json_ld.append("".join(self._script))
            self._script = None


def json_ld_items(data) -> Iterator[dict]:
    """Every object of a JSON-LD document, nested ones and @graph members included."""
    if isinstance(data, list):
        for item in data:
            yield from json_ld_items(item)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from json_ld_items(value)


def json_ld_links(data, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        if key in JSON_LD_LINK_KEYS and data.startswith(("http://", "https://")):
            yield f"JSON-LD {key}", data
    elif isinstance(data, list):
        for item in data:
            yield from json_ld_links(item, key)
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from json_ld_links(value, name)


def types_of(item: dict) -> set[str]:
    kind = item.get("@type", [])
    return {kind} if isinstance(kind, str) else set(kind)


@dataclass
class Product:
    path: str
    language: str
    title: str
    price: int | None  # đồng, the JSON-LD's offers.price; None when on request
    alternates: dict[str, str]  # language → path
    shown: str  # the price as the page shows it (".product__price .price"), or ""


def parse_price(value) -> int | None:
    if value in (None, ""):
        return None
    number = float(str(value).replace(",", ""))
    return int(number) if number.is_integer() else number


@dataclass
class Page:
    path: str
    language: str
    links: list[tuple[str, str]]
    alternates: dict[str, str]  # language → path (x-default left out)
    product: Product | None
    problems: list[str]


def read_page(path: str, answer: Answer) -> Page:
    parser = HeadParser()
    parser.feed(answer.text)
    problems = []
    links = list(parser.links)
    product = None
    language = parser.lang or path.strip("/").split("/", 1)[0]
    alternates = {
        lang: path_of(url) for lang, url in parser.alternates.items() if lang != "x-default"
    }
    for text in parser.json_ld:
        try:
            data = json.loads(text)
        except ValueError as error:
            problems.append(f"{path}: JSON-LD that is not JSON ({error})")
            continue
        links.extend(json_ld_links(data))
        for item in json_ld_items(data):
            if "Product" not in types_of(item) or product is not None:
                continue
            offers = item.get("offers") or {}
            offer = offers[0] if isinstance(offers, list) and offers else offers
            try:
                price = parse_price(offer.get("price") if isinstance(offer, dict) else None)
            except ValueError:
                problems.append(f"{path}: JSON-LD price {offer.get('price')!r} is not a number")
                price = None
            shown = SHOWN_PRICE.search(answer.text)
            product = Product(
                path,
                language,
                str(item.get("name", "")),
                price,
                alternates,
                html.unescape(shown.group(1)).strip() if shown else "",
            )
    return Page(path, language, links, alternates, product, problems)


# The checks ---------------------------------------------------------------------------


def sitemap_urls(base: str, check: Check) -> tuple[list[str], list[tuple[str, str]]]:
    """The <loc>s of /sitemap.xml (following a sitemap index) and (what, URL) of every
    absolute URL in it."""
    locs, seen = [], []
    queue, visited = [base + "/sitemap.xml"], set()
    while queue:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        answer = request(url)
        if answer.status != 200:
            check.fail(f"GET {path_of(url)} → {answer.describe()}")
            continue
        try:
            root = ET.fromstring(answer.body)
        except ET.ParseError as error:
            check.fail(f"{path_of(url)} is not XML: {error}")
            continue
        if root.tag == f"{SITEMAP_NS}sitemapindex":
            for loc in root.iter(f"{SITEMAP_NS}loc"):
                seen.append(("sitemap index <loc>", loc.text.strip()))
                queue.append(base + path_of(loc.text.strip()))
            continue
        for entry in root.iter(f"{SITEMAP_NS}url"):
            loc = entry.findtext(f"{SITEMAP_NS}loc", "").strip()
            locs.append(loc)
            seen.append(("sitemap <loc>", loc))
            for link in entry.iter(f"{XHTML_NS}link"):
                href = link.get("href", "")
                locs.append(href)
                seen.append((f"sitemap hreflang={link.get('hreflang')}", href))
    return locs, seen


def crawl(
    base: str, check: Check, skip: frozenset[str] = frozenset()
) -> tuple[dict[str, Page], list[tuple[str, str]]]:
    """Every page of the sitemap and their hreflang alternates but those in `skip`, fetched
    at `base` (whatever host the URLs name) and read, and the sitemap's (what, URL) links;
    failures to `check`."""
    locs, seen = sitemap_urls(base, check)
    pages: dict[str, Page] = {}
    wanted = list(dict.fromkeys(path_of(url) for url in locs if url and path_of(url) not in skip))
    while wanted:
        answers = fetch_all(base + path for path in wanted)
        for path in wanted:
            answer = answers[base + path]
            if answer.status != 200:
                check.fail(f"GET {path} → {answer.describe()}")
                pages[path] = Page(path, "", [], {}, None, [])
                continue
            page = pages[path] = read_page(path, answer)
            for problem in page.problems:
                check.fail(problem)
        # Alternates that the sitemap did not list are pages to answer too.
        wanted = list(
            dict.fromkeys(
                alternate
                for page in pages.values()
                for alternate in page.alternates.values()
                if alternate not in pages and alternate not in skip
            )
        )
    return pages, seen


def check_origins(
    base: str, pages: dict[str, Page], sitemap: list[tuple[str, str]], check: Check
) -> int:
    """Every absolute URL under `base`/; one failure per kind of link, with an example.
    Returns how many links were looked at."""
    links = [("/sitemap.xml", what, url) for what, url in sitemap]
    links += [(page.path, what, url) for page in pages.values() for what, url in page.links]
    wrong: dict[str, list[tuple[str, str]]] = {}
    for where, what, url in links:
        if not (url == base or url.startswith(base + "/")):
            kind = what.split("=")[0]  # hreflang=vi and hreflang=en together
            wrong.setdefault(kind, []).append((where, url))
    totals = Counter(what.split("=")[0] for _where, what, _url in links)
    for kind, examples in wrong.items():
        where, url = examples[0]
        check.fail(
            f"{kind}: {len(examples)} of {totals[kind]} elsewhere, e.g. {url or '(empty)'}"
            f" in {where}"
        )
    return len(links)


def products_of(pages: dict[str, Page]) -> list[Product]:
    return [page.product for page in pages.values() if page.product is not None]


def shown_amount(shown: str) -> int | None:
    """55.000 ₫ → 55000; None for "Price on request" and the like (no digit)."""
    digits = re.sub(r"\D", "", shown)
    return int(digits) if digits else None


def check_prices(products: list[Product], check: Check) -> None:
    """The price shown matches the JSON-LD's, and is the same in both languages."""
    by_path = {product.path: product for product in products}
    for product in products:
        if not product.shown:
            check.fail(f"{product.path} «{product.title}» shows no price (.product__price)")
        elif shown_amount(product.shown) != product.price:
            check.fail(
                f"{product.path} «{product.title}» shows {product.shown!r}, its JSON-LD"
                f" says {show_price(product.price)}"
            )
        for language in LANGUAGES:
            if language == product.language:
                continue
            other_path = product.alternates.get(language)
            other = by_path.get(other_path or "")
            if other_path is None:
                check.fail(f"{product.path} «{product.title}» has no {language} version")
            elif other is None:
                check.fail(f"{other_path}, {language} version of {product.path}: no Product")
            elif product.language == "vi" and other.price != product.price:
                check.fail(
                    f"«{product.title}» costs {show_price(product.price)} in Vietnamese"
                    f" ({product.path}) but {show_price(other.price)} in English ({other.path})"
                )


def show_price(price: int | None) -> str:
    return "on request" if price is None else f"{price:,} ₫".replace(",", ".")


def search_queries(products: list[Product]) -> list[tuple[Product, str, str]]:
    """(product, form, query): its title, and its title without diacritics when different."""
    queries = []
    for product in products:
        queries.append((product, "title", product.title))
        if fold(product.title) != product.title:
            queries.append((product, "folded", fold(product.title)))
    return queries


def check_search(base: str, products: list[Product], backend: str, check: Check) -> int:
    """Each product in the top 3 for its title, folded too; returns the queries sent."""
    queries = search_queries(products)

    def ask(query: tuple[Product, str, str]) -> Answer:
        product, _form, q = query
        params = urllib.parse.urlencode({"q": q, "lang": product.language})
        return request(f"{base}{SEARCH_API}?{params}")

    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(ask, queries))
    backends: Counter = Counter()
    for (product, form, q), answer in zip(queries, answers, strict=True):
        label = f"{product.language} «{q}»" + (" (folded)" if form == "folded" else "")
        backends[answer.headers.get(BACKEND_HEADER.lower(), "(no header)")] += 1
        if answer.status != 200:
            check.fail(f"{label}: GET {path_of(answer.url)} → {answer.describe()}")
            continue
        try:
            data = json.loads(answer.body)
            hits = data["results"]
        except (ValueError, KeyError, TypeError):
            check.fail(f"{label}: the answer is not the API's JSON: {answer.text[:200]!r}")
            continue
        top = hits[:TOP]
        found = next((hit for hit in top if path_of(hit.get("url", "")) == product.path), None)
        if found is None:
            titles = "; ".join(f"«{hit.get('title')}»" for hit in top) or "nothing"
            check.fail(
                f"{label}: {product.path} not in the top {TOP} of {data.get('total')}"
                f" results (top: {titles})"
            )
        elif found.get("price") != product.price:
            check.fail(
                f"{label}: the API says {show_price(found.get('price'))},"
                f" the page {show_price(product.price)} ({product.path})"
            )
    for name, count in sorted(backends.items()):
        if name != backend:
            check.failures.insert(
                0,
                f"{BACKEND_HEADER}: {name!r} on {count} of {len(queries)} answers, not {backend!r}",
            )
    return len(queries)


def search_summary(products: list[Product], queries: int, check: Check) -> str:
    by_language = Counter(product.language for product in products)
    counts = " + ".join(f"{by_language[lang]} {lang}" for lang in LANGUAGES)
    verdict = f"all in the top {TOP}" if check.ok else f"{len(check.failures)} problems"
    return f"{queries} queries for {counts} products, title and without diacritics: {verdict}"


def check_admin_login(base: str, check: Check) -> None:
    answer = request(base + "/admin/login/")
    if answer.status != 200:
        check.fail(f"GET /admin/login/ → {answer.describe()}")
        return
    parser = HeadParser()
    parser.feed(answer.text)
    names = {field.get("name") for field in parser.inputs}
    if not parser.forms or not {"username", "password"} <= names:
        check.fail(f"/admin/login/ has no login form (inputs: {sorted(filter(None, names))})")


def check_site(base: str, checks: list[Check]) -> tuple[list[Product], frozenset[str]]:
    """Checks a to d against the site at `base`; returns its products and the paths of
    the other pages."""
    sitemap = Check("sitemap")
    pages, sitemap_links = crawl(base, sitemap)
    products = products_of(pages)
    if not products:
        sitemap.fail("no page with a JSON-LD Product: no product to check")
    answered = sum(1 for page in pages.values() if page.language)
    checks.append(sitemap.done(f"{len(pages)} URLs and alternates, {answered} answered 200"))

    origins = Check("absolute URLs")
    count = check_origins(base, pages, sitemap_links, origins)
    verdict = f"all under {base}/" if origins.ok else f"not all under {base}/"
    checks.append(origins.done(f"{count} in the sitemap and the pages' heads, {verdict}"))

    prices = Check("prices")
    check_prices(products, prices)
    by_language = Counter(product.language for product in products)
    checks.append(
        prices.done(
            f"{by_language['vi']} Vietnamese and {by_language['en']} English product pages"
            + (", the same price in both languages" if prices.ok else "")
        )
    )

    search = Check("search (database)")
    queries = check_search(base, products, "database", search)
    checks.append(search.done(search_summary(products, queries, search)))

    admin = Check("admin login")
    check_admin_login(base, admin)
    checks.append(admin.done("/admin/login/ answers 200 with a login form" if admin.ok else ""))
    return products, frozenset(path for path, page in pages.items() if page.product is None)


# Elasticsearch ------------------------------------------------------------------------


def es_request(url: str, method: str = "GET") -> Answer:
    return request(url, method=method, timeout=30)


def check_es_counts(es_url: str, prefix: str, products: list[Product], check: Check) -> str:
    by_language = Counter(product.language for product in products)
    found = []
    for language in LANGUAGES:
        alias = f"{prefix}-products-{language}"
        es_request(f"{es_url}/{alias}/_refresh", method="POST")
        answer = es_request(f"{es_url}/{alias}/_count")
        if answer.status != 200:
            check.fail(f"Elasticsearch: GET /{alias}/_count → {answer.describe()} (no index?)")
            continue
        count = json.loads(answer.body).get("count")
        found.append(f"{alias} {count}")
        if count != by_language[language]:
            check.fail(
                f"Elasticsearch: {alias} holds {count} documents for"
                f" {by_language[language]} {language} products"
            )
    return ", ".join(found) or "no alias"


def delete_indices(es_url: str, prefix: str) -> str:
    """Delete the indices named <prefix>-*, by name."""
    answer = es_request(f"{es_url}/_cat/indices/{prefix}-*?format=json&h=index")
    if answer.status != 200:
        return f"could not list {prefix}-* ({answer.describe()})"
    names = sorted(row["index"] for row in json.loads(answer.body))
    names = [name for name in names if name.startswith(prefix + "-")]
    if not names:
        return f"no index named {prefix}-*"
    deleted = es_request(f"{es_url}/{','.join(names)}", method="DELETE")
    if deleted.status != 200:
        return f"could not delete {len(names)} indices: {deleted.describe()} {deleted.text[:200]}"
    return f"deleted {len(names)} indices {prefix}-*"


def run_elasticsearch_phase(
    make_server: Callable[[dict[str, str]], Server],
    es_url: str,
    timeout: float,
    first_run: tuple[list[Product], frozenset[str]],
) -> list[Check]:
    """The search check again, on a fresh var/ with Elasticsearch. The product pages are
    read again (the same demo, a new database); the first run's other pages are not."""
    checks: list[Check] = []
    es_url = es_url.rstrip("/")
    # Not GET /: the test distribution of scripts/elasticsearch does not serve it.
    answer = es_request(es_url + "/_cluster/health")
    if answer.status != 200:
        check = Check("elasticsearch")
        check.fail(f"nothing usable answers at {es_url}: {answer.describe()}")
        return [check.done("not reachable")]
    prefix = f"smoke-{os.getpid()}-{os.urandom(3).hex()}"
    server = make_server({"ELASTICSEARCH_URL": es_url, "ELASTICSEARCH_INDEX_PREFIX": prefix})
    try:
        with running(server, timeout, f"elasticsearch run (prefix {prefix})"):
            base = server.base
            catalogue = Check("catalogue (elasticsearch run)")
            products = products_of(crawl(base, catalogue, skip=first_run[1])[0])
            if not products:
                catalogue.fail("no page with a JSON-LD Product: no product to check")
            missing = {p.path for p in first_run[0]} - {p.path for p in products}
            for path in sorted(missing):
                catalogue.fail(f"{path}, a product of the first run, is not in this sitemap")
            by_language = Counter(product.language for product in products)
            checks.append(
                catalogue.done(
                    f"{by_language['vi']} vi + {by_language['en']} en product pages read again"
                )
            )
            index = Check("search index")
            checks.append(index.done(check_es_counts(es_url, prefix, products, index)))
            search = Check("search (elasticsearch)")
            queries = check_search(base, products, "elasticsearch", search)
            checks.append(search.done(search_summary(products, queries, search)))
    finally:
        say(f"     {delete_indices(es_url, prefix)}")
    return checks


# The run ------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repo", type=Path, default=SCRIPT_REPO, help="the repository to clone (default: this one)"
    )
    parser.add_argument(
        "--here",
        action="store_true",
        help="run `make run` in --repo itself, with a temporary VAR_DIR, instead of a clone",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--elasticsearch",
        metavar="URL",
        default=os.environ.get("SMOKE_ELASTICSEARCH_URL", ""),
        help="also run with ELASTICSEARCH_URL=URL (default: $SMOKE_ELASTICSEARCH_URL)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--timeout",
        type=float,
        default=START_TIMEOUT,
        help=f"seconds to wait for each start (default {START_TIMEOUT})",
    )
    parser.add_argument(
        "--url", help="only check the site already running at this address; start nothing"
    )
    return parser.parse_args(argv)


def clone(repo: Path, target: Path) -> str:
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(
        ["git", "clone", "--quiet", "--no-checkout", str(repo), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    subprocess.run(
        ["git", "-C", str(target), "checkout", "--quiet", "--detach", commit],
        check=True,
        capture_output=True,
        text=True,
    )
    return commit


def raise_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run(args: argparse.Namespace, workdir: Path, checks: list[Check]) -> None:
    if args.url:
        check_site(args.url.rstrip("/"), checks)
        return

    repo = args.repo.resolve()
    started = time.monotonic()
    if args.here:
        checkout = repo
        say(f"checkout: {checkout} as it is, VAR_DIR under {workdir}")
    else:
        checkout = workdir / "clone"
        try:
            commit = clone(repo, checkout)
        except subprocess.CalledProcessError as error:
            raise SmokeError(f"git failed: {' '.join(error.cmd)}\n{error.stderr}") from error
        say(f"checkout: clone of {repo} at {commit[:12]} in {checkout} ({seconds(started)})")
    env = clean_environment(checkout)
    port = args.port or free_port()

    def make_server(extra: dict[str, str], run_name: str) -> Server:
        run_env = dict(env, **extra)
        if args.here:
            run_env["VAR_DIR"] = str(workdir / f"var-{run_name}")
        else:
            shutil.rmtree(checkout / "var", ignore_errors=True)  # a fresh var/, as cloned
        return Server(checkout, port, run_env, workdir / f"make-run-{run_name}.log")

    with running(make_server({}, "database"), args.timeout, "default run (SQLite, no ES)") as s:
        first_run = check_site(s.base, checks)

    if args.elasticsearch:
        checks += run_elasticsearch_phase(
            lambda extra: make_server(extra, "elasticsearch"),
            args.elasticsearch,
            args.timeout,
            first_run,
        )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, raise_on_sigterm)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="smoke-readme-"))
    checks: list[Check] = []
    try:
        run(args, workdir, checks)
    except SmokeError as error:
        check = Check("make run")
        check.fail(str(error))
        checks.append(check.done("could not run"))
    except KeyboardInterrupt:
        say("\ninterrupted")
        return 1
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = [check.name for check in checks if not check.ok]
    say()
    if failed:
        say(f"smoke run FAILED ({seconds(started)}): {', '.join(failed)}")
    else:
        say(f"smoke run passed ({seconds(started)})")
    say(f"smoke_readme: {len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
