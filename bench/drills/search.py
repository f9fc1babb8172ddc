#!/usr/bin/env python
"""Drill 2: Elasticsearch stopped, then hung, under search load; then back.

Visitors, each an OS process of its own, search without pause — the search API, the
suggest API and the search page, with varied queries (bench.common) — while the site's
Elasticsearch goes through these phases, through the TCP proxy the site reaches it by:

- normal: the node answers;
- stopped: the proxy's port is closed and its connections reset (a node that died);
- back: the proxy forwards again, until searches answer from the node again (every web
  process's circuit breaker closed: the hang then meets searches that wait for it);
- hung: a proxy on the same port accepts connections and never answers (a hung node),
  for longer than the breaker stays open;
- recovered: the proxy forwards again, until searches answer from the node and the
  index is complete.

No answer may be ≥ 500, and while the node is away every answer comes from the database
within the search timeout (SEARCH_TIMEOUT, plus a margin for this machine). While it is
stopped and while it hangs, products are changed as the office does (a new price through
core.fact_updates, a product unpublished); no update task may hold a task worker longer
than an update waits for the node. Once it is back, with no help (no `search_index retry`:
the worker retries the updates it missed, every minute on its schedule and after the next
update that succeeds), the index must hold exactly what the database says — every
document compared with what a rebuild would write — and `search_index status` must show
exact counts and no pending update.

Every request carries a parameter of its own, so the page cache never answers: each one
reaches the search backend (the cached answers a real outage would also serve are not
what is drilled).

    DATABASE_URL=postgres://… ELASTICSEARCH_URL=http://127.0.0.1:9200 \\
        python bench/drills/search.py [--visitors 8]
"""

import json
import multiprocessing
import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.common import percentiles
from bench.drills.harness import BASE_DIR, run_alone, visitor_session

NAME = "2. Elasticsearch stopped, then hung, under search load"
PHASES = ("normal", "stopped", "back", "hung", "recovered")
ACROSS = "across a change"  # requests in flight when the node changed
# search.backends.elasticsearch.connection's timeouts and search.service's breaker
# (Django is not imported here: the site's production settings would refuse this machine).
SEARCH_TIMEOUT = 2.0
UPDATE_TIMEOUT = 10  # connection.UPDATE_TIMEOUT: what a page update waits at most
BREAKER_SECONDS = 30
# A loaded 2-core machine runs the site, its database, Elasticsearch and the visitors.
MARGIN = 1.5
# Hung: longer than the breaker, so that each web process tries the hung node again.
PHASE_SECONDS = {"normal": 8, "stopped": 10, "hung": BREAKER_SECONDS + 2}
# Back and recovered last until no answer came from the database for QUIET_SECONDS;
# recovered also until the index is complete: within twice the retry schedule's minute.
QUIET_SECONDS = 3
RECOVERY_BOUND = 120
REQUEST_TIMEOUT = 30
KINDS = {"search": 0.65, "suggest": 0.15, "page": 0.20}
PENDING_TABLE = "search_pendingindexupdate"
SEARCH_TASKS = ("search.tasks.update_search_index", "search.tasks.remove_from_search_index")


# What a rebuild would write now: every document of the products' and producers' aliases,
# serialised as the client sends it (Elasticsearch keeps `_source` as sent; the serialiser
# gives bytes) and printed in ASCII (manage_python reads one line: no raw U+2028).
EXPECTED_DOCUMENTS = """
import json
from elasticsearch.serializer import JsonSerializer
from search.backends.elasticsearch import connection
from search.backends.elasticsearch.documents import ProducerDocument, ProductDocument
from search.catalogue import (RecordBuilder, indexable_producers, indexable_products,
    producer_records, product_records)
builder = RecordBuilder()
docs = {connection.alias(kind, language): {}
        for kind in ('products', 'producers') for language in connection.languages()}
for record in product_records(indexable_products(), builder):
    docs[connection.alias('products', record.language)][str(record.page_id)] = (
        ProductDocument.source(record))
for record in producer_records(indexable_producers(), builder):
    docs[connection.alias('producers', record.language)][str(record.page_id)] = (
        ProducerDocument.source(record))
docs = json.loads(JsonSerializer().dumps(docs))
"""
EXPECTED = EXPECTED_DOCUMENTS + "print(json.dumps(docs))\n"

SETUP = (
    EXPECTED_DOCUMENTS
    + """
import random
from django.urls import reverse
from django.utils import translation
from bench.common import search_params, suggest_params
from products.models import ProductPage
rng = random.Random(2)
pages = {}
for language in ('vi', 'en'):
    with translation.override(language):
        pages[language] = reverse('search:search')
products = ProductPage.objects.live().filter(
    locale__language_code='vi', price_on_request=False, price_vnd__isnull=False
).order_by('-pk')
print(json.dumps({
    'search': search_params(rng, 400),
    'suggest': suggest_params(rng, 200),
    'pages': pages,
    'products': {p.pk: p.price_vnd for p in products},
    'expected': docs,
}))
"""
)

# As the office does: a new price published at once (translations follow), an unpublish.
CHANGE = """
import json
from marketplace.core.fact_updates import update_facts
from products.models import ProductPage
prices, unpublish = json.loads({arguments!r})
for pk, price in prices.items():
    update_facts(ProductPage.objects.get(pk=int(pk)), {{'price_vnd': price}}, None)
for pk in unpublish:
    ProductPage.objects.get(pk=pk).unpublish()
print(json.dumps(True))
"""

REPUBLISH = """
import json
from products.models import ProductPage
for pk in json.loads({arguments!r}):
    ProductPage.objects.get(pk=pk).save_revision().publish()
print(json.dumps(True))
"""

TIMED_OUT = re.compile(
    r"\[([0-9a-f]{32})\] search\.service: Elasticsearch unavailable, searching the "
    r"database: Connection timed out"
)
STATUS_LINE = re.compile(r"^(\S+) -> (.*): (\S+) documents, (\d+) in the database")


# The visitors ---------------------------------------------------------------------------


class Outcome(NamedTuple):
    phase: int  # when the request was sent
    phase_end: int  # when its answer came (another one: it was in flight at a change)
    kind: str
    status: int | str  # the HTTP status, or the error when there was no answer
    seconds: float
    backend: str  # "elasticsearch", "database", or "" when the answer does not say
    duplicated: bool
    started: float  # time.monotonic(), the same clock in every process

    @property
    def failed(self) -> bool:
        return not isinstance(self.status, int) or self.status >= 500


def request_for(rng: random.Random, shared: dict, number: int, count: int) -> tuple[str, str]:
    """(kind, path with query) of one request, with a parameter of its own (no page cache)."""
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    miss = {"drill": f"{number}-{count}"}
    if kind == "suggest":
        return kind, "/api/search/suggest?" + urllib.parse.urlencode(
            {**rng.choice(shared["suggest"]), **miss}
        )
    params = dict(rng.choice(shared["search"]))
    if kind == "search":
        return kind, "/api/search/products?" + urllib.parse.urlencode({**params, **miss})
    path = shared["pages"][params.pop("lang")]
    return kind, path + "?" + urllib.parse.urlencode({**params, **miss})


def backend_of(kind: str, response) -> str:
    """Who answered: the APIs say so (X-Search-Backend); the search page is kept by no
    cache when the database stood in (search.views), so its Cache-Control says it."""
    if kind != "page":
        return response.headers.get("X-Search-Backend", "")
    if response.status_code != 200:
        return ""
    no_store = "no-store" in response.headers.get("Cache-Control", "")
    return "database" if no_store else "elasticsearch"


def duplicated(kind: str, response) -> bool:
    """Whether an API answer lists a product twice."""
    if kind != "search" or response.status_code != 200:
        return False
    urls = [hit["url"] for hit in response.json()["results"]]
    return len(urls) != len(set(urls))


def visitor(number: int, shared: dict, phase, last_database, stop, results) -> None:
    """Searches until `stop`; puts its outcomes in `results` (Outcome's fields, as plain
    tuples: a spawned child's classes do not unpickle in the parent) and notes the time
    of each answer from the database in `last_database`."""
    rng = random.Random(number)
    session = visitor_session(f"10.2.{number % 250}.{number // 250 + 1}", shared["origin"])
    outcomes = []
    count = 0
    while not stop.is_set():
        count += 1
        kind, path = request_for(rng, shared, number, count)
        sent = phase.value
        started = time.monotonic()
        try:
            response = session.get(
                shared["url"] + path, allow_redirects=False, timeout=REQUEST_TIMEOUT
            )
            status, backend = response.status_code, backend_of(kind, response)
            twice = duplicated(kind, response)
        except Exception as error:  # counted as an error, like a 5xx
            status, backend, twice = f"{type(error).__name__}: {error}"[:200], "", False
        seconds = time.monotonic() - started
        if backend == "database":
            last_database.value = time.monotonic()
        outcomes.append((sent, phase.value, kind, status, seconds, backend, twice, started))
    results.put(outcomes)


class Load:
    """The visitors, as processes, searching until stopped; `phase` is shared with them."""

    def __init__(self, shared: dict, visitors: int) -> None:
        # Not forked: a child would keep the proxy's listening socket open, and the port
        # would go on accepting (as a hung node does) once the drill stops the proxy.
        context = multiprocessing.get_context("spawn")
        self.phase = context.Value("i", 0)
        self.last_database = context.Value("d", 0.0)
        self.stop_event = context.Event()
        self.results = context.Queue()
        arguments = (shared, self.phase, self.last_database, self.stop_event, self.results)
        self.processes = [
            context.Process(target=visitor, args=(n, *arguments)) for n in range(visitors)
        ]
        self.phase_started: dict[str, float] = {}

    def start(self) -> None:
        self.enter(PHASES[0])
        for process in self.processes:
            process.start()

    def enter(self, name: str) -> None:
        self.phase.value = PHASES.index(name)
        self.phase_started[name] = time.monotonic()

    def elapsed(self, name: str) -> float:
        return time.monotonic() - self.phase_started[name]

    def from_elasticsearch(self) -> bool:
        """Whether every answer for a while came from Elasticsearch (each web process's
        breaker let searches through again)."""
        return time.monotonic() - self.last_database.value > QUIET_SECONDS

    def stop(self) -> list[Outcome]:
        self.stop_event.set()
        outcomes = []
        for _process in self.processes:
            outcomes.extend(self.results.get(timeout=REQUEST_TIMEOUT + 60))
        for process in self.processes:
            process.join(timeout=30)
        return [Outcome(*outcome) for outcome in outcomes]


# Elasticsearch, the index and the site's own view of it --------------------------------


class Node:
    """The site's Elasticsearch as the drill sees it: the proxy in front (stopped, hung,
    forwarding) and the node itself, read directly."""

    def __init__(self, site) -> None:
        from tests.tcp_proxy import TcpProxy

        self.proxy = site.elasticsearch_proxy
        self.hanging = TcpProxy(self.proxy.url, hang=True)
        self.url = os.environ["ELASTICSEARCH_URL"].split(",")[0].rstrip("/")
        self.state = "forwarding"

    def stop(self) -> None:
        self.proxy.stop()
        self.state = "stopped"

    def hang(self) -> None:
        if self.state == "forwarding":
            # Pooled connections are reset (requests in flight fail at once): the new
            # ones meet the hang.
            self.stop()
        self.hanging.port = self.proxy.port  # the address the site knows
        self.hanging.start()
        self.state = "hung"

    def recover(self) -> None:
        if self.state == "hung":
            self.hanging.stop()
        if self.state != "forwarding":
            self.proxy.start()
        self.state = "forwarding"

    def behaves(self) -> str:
        """What the site's Elasticsearch address does now, seen from outside ("stopped":
        refuses connections, "hung": accepts and never answers, "forwarding": answers),
        so that a phase is what it claims to be."""
        try:
            with socket.create_connection(("127.0.0.1", self.proxy.port), timeout=5) as sock:
                sock.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                sock.settimeout(1)
                answer = sock.recv(16)
        except ConnectionRefusedError:
            return "stopped"
        except TimeoutError:
            return "hung"
        return "forwarding" if answer.startswith(b"HTTP/") else f"answered {answer!r}"

    def documents(self, aliases) -> dict[str, dict[str, dict]]:
        """Every document behind these aliases, by id (what searches see: no refresh)."""
        import requests

        found = {}
        for alias in aliases:
            answer = requests.post(
                f"{self.url}/{alias}/_search",
                json={"size": 10_000, "query": {"match_all": {}}},
                timeout=30,
            )
            answer.raise_for_status()
            found[alias] = {hit["_id"]: hit["_source"] for hit in answer.json()["hits"]["hits"]}
        return found


def differences(expected: dict, found: dict) -> set[tuple[str, str]]:
    """(alias, id) of the documents that are missing, left over or different."""
    return {
        (alias, doc_id)
        for alias, documents in expected.items()
        for doc_id in set(documents) | set(found.get(alias, {}))
        if documents.get(doc_id) != found.get(alias, {}).get(doc_id)
    }


def search_index(
    site, command: str, timeout: int, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """`manage.py search_index <command>` as the office runs it, on the drill's site."""
    return subprocess.run(
        [sys.executable, "manage.py", "search_index", command],
        cwd=BASE_DIR,
        env=site.env,
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


def index_status(site) -> tuple[list[str], list[str]]:
    """`manage.py search_index status` as the office runs it: its lines, and what in them
    is not exact (counts differing, a missing alias, pending updates, a rebuild)."""
    run = search_index(site, "status", timeout=120)
    lines = run.stdout.strip().splitlines()
    problems = [] if run.returncode == 0 else [f"exit {run.returncode}: {run.stderr[-500:]}"]
    for line in lines:
        match = STATUS_LINE.match(line)
        if not match or match[3] != match[4]:
            problems.append(line)
    if not any(STATUS_LINE.match(line) for line in lines):
        problems.append("no index in the status")
    return lines, problems


def rebuild(site) -> None:
    search_index(site, "rebuild", timeout=300, check=True)


def search_tasks(site, since: float, until: float) -> dict:
    """The search update tasks enqueued between these times (time.time()): how many, how
    many are not finished, and the longest run and wait-and-run of those finished, in
    seconds (a worker held by a hung node shows in the run)."""
    count, unfinished, run, total = site.sql(
        "SELECT count(*), count(*) FILTER (WHERE finished_at IS NULL), "
        "coalesce(max(extract(epoch FROM finished_at - started_at)), 0), "
        "coalesce(max(extract(epoch FROM finished_at - enqueued_at)), 0) "
        "FROM django_tasks_database_dbtaskresult WHERE task_path = ANY(%s) "
        "AND enqueued_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)",
        list(SEARCH_TASKS),
        since,
        until,
    )[0]
    return {"count": count, "unfinished": unfinished, "run": float(run), "total": float(total)}


def timeouts_by_request(site) -> Counter:
    """Per request id, how many times a search waited for the node until the timeout
    (search.service logs each failure it falls back from, with the request's id)."""
    text = (site.scratch / "gunicorn.log").read_text(errors="replace")
    return Counter(TIMED_OUT.findall(text))


def pending_updates(site) -> int:
    return site.scalar(f"SELECT count(*) FROM {PENDING_TABLE}")


# The figures -----------------------------------------------------------------------------


def phase_figures(outcomes: list[Outcome], name: str, limit: float) -> tuple[dict, list[str]]:
    """Figures of the requests sent and answered in phase `name` (ACROSS: those in
    flight at a change), and what failed: errors, answers over `limit` seconds while the
    node is away."""
    if name == ACROSS:
        mine = [o for o in outcomes if o.phase != o.phase_end]
    else:
        mine = [o for o in outcomes if o.phase == o.phase_end == PHASES.index(name)]
    errors = [o for o in mine if o.failed]
    answered = [o for o in mine if not o.failed]
    backends: dict[str, int] = {}
    for o in answered:
        backends[o.backend or "not said"] = backends.get(o.backend or "not said", 0) + 1
    p50, p95, _p99 = percentiles([o.seconds for o in answered])
    slowest = {
        kind: max((o.seconds for o in answered if o.kind == kind), default=0.0) * 1000
        for kind in KINDS
    }
    figures = {
        f"{name}: requests": len(mine),
        f"{name}: errors (≥ 500 or no answer)": len(errors),
        f"{name}: answered by": backends,
        f"{name}: p50 / p95 / max ms": f"{p50:.0f} / {p95:.0f} / {max(slowest.values()):.0f}",
        f"{name}: max ms (search API / suggest / page)": " / ".join(
            f"{slowest[kind]:.0f}" for kind in KINDS
        ),
    }
    failures = []
    if errors:
        sample = [(o.kind, o.status) for o in errors[:3]]
        failures.append(f"{name}: {len(errors)} errors, e.g. {sample}")
    if any(o.duplicated for o in mine):
        count = sum(o.duplicated for o in mine)
        failures.append(f"{name}: {count} answers listing a product twice")
    if name in ("stopped", "hung", ACROSS):
        slow = [o for o in answered if o.seconds > limit]
        if slow:
            worst = max(slow, key=lambda o: o.seconds)
            failures.append(
                f"{name}: {len(slow)} answers over {limit:.1f} s, the slowest "
                f"{worst.seconds:.1f} s ({worst.kind})"
            )
    return figures, failures


def back_to_elasticsearch(outcomes: list[Outcome], since: float, until: float) -> str:
    """After the node came back at `since`: seconds to the first answer from it and to
    the last answer from the database, of the searches sent until `until`."""
    after = [o for o in outcomes if since <= o.started < until]
    first = min((o.started for o in after if o.backend == "elasticsearch"), default=None)
    last = max((o.started for o in after if o.backend == "database"), default=None)
    first_text = "never" if first is None else f"{first - since:.1f}"
    last_text = "none" if last is None else f"{last - since:.1f}"
    return f"first from Elasticsearch {first_text}, last from the database {last_text}"


# The drill -------------------------------------------------------------------------------


def change(site, prices: dict[int, int], unpublish: list[int]) -> None:
    arguments = json.dumps([{str(pk): price for pk, price in prices.items()}, unpublish])
    site.manage_python(CHANGE.format(arguments=arguments))


def outage(site, node: "Node", load: Load, name: str, prices: dict, unpublish: list) -> dict:
    """Phase `name` ("stopped", "hung"): the node goes away, products change meanwhile;
    it lasts PHASE_SECONDS, and until the update tasks have met the node away (else
    they might run once it is back and not be retried at all). What it changed."""
    getattr(node, "stop" if name == "stopped" else "hang")()
    load.enter(name)
    behaves = node.behaves()
    started = time.time()
    change(site, prices, unpublish)
    changed = time.time()
    while load.elapsed(name) < PHASE_SECONDS[name] or (
        search_tasks(site, started, changed)["unfinished"] and load.elapsed(name) < 90
    ):
        time.sleep(0.5)
    return {"behaves": behaves, "since": started, "until": changed}


def back(site, load: Load, name: str, deadline: float, until_complete=None) -> dict:
    """Wait, in phase `name` after the node came back, until every search answers from
    Elasticsearch again and (with `until_complete`, a function) the index is complete;
    at most `deadline` seconds. The seconds it took each, None if not within it."""
    waited = {"elasticsearch": None, "no pending": None, "complete": None}
    while load.elapsed(name) < deadline:
        now = load.elapsed(name)
        if waited["elasticsearch"] is None and load.from_elasticsearch():
            waited["elasticsearch"] = now
        if waited["no pending"] is None and not pending_updates(site):
            waited["no pending"] = now
        if until_complete is None:
            if waited["elasticsearch"] is not None:
                break
        elif waited["no pending"] is not None and waited["complete"] is None and until_complete():
            waited["complete"] = now
        if None not in waited.values():
            break
        time.sleep(0.5)
    return waited


def run(site, visitors: int = 8) -> tuple[dict, list[str]]:
    """The drill on a running site: its figures and what failed."""
    if site.elasticsearch_proxy is None:
        return {}, ["the search drill needs ELASTICSEARCH_URL"]
    failures: list[str] = []
    figures: dict[str, object] = {}
    node = Node(site)

    # The index is complete before anything happens, every document as the database says
    # (stricter than `search_index status`, and one Django start fewer): the demo loader
    # built it; else (a demo loaded without Elasticsearch) a rebuild does.
    shared = site.manage_python(SETUP)
    expected = shared.pop("expected")
    before = node.documents(expected)
    figures["indices at the start"] = "complete"
    if differences(expected, before):
        figures["indices at the start"] = f"rebuilt ({len(differences(expected, before))} differed)"
        rebuild(site)
        before = node.documents(expected)
        if differences(expected, before):
            wrong = sorted(differences(expected, before))[:10]
            return figures, [f"the index differs from the database after a rebuild: {wrong}"]
    shared.update({"url": site.url, "origin": f"https://127.0.0.1:{site.port}"})
    products = [int(pk) for pk in shared["products"]]
    if len(products) < 5:
        return {}, [f"the drill needs 5 priced products, the site has {len(products)}"]
    price = {pk: shared["products"][str(pk)] for pk in products}
    # The last products: the other drills use the first ones.
    stopped_prices = {pk: price[pk] + 1000 for pk in products[:2]}
    hung_prices = {pk: price[pk] + 2000 for pk in products[2:4]}
    unpublished = [products[4]]

    load = Load(shared, visitors)
    load.start()
    changes: dict[str, dict] = {}
    waits: dict[str, dict] = {}
    try:
        time.sleep(PHASE_SECONDS["normal"])
        changes["stopped"] = outage(site, node, load, "stopped", stopped_prices, unpublished)
        node.recover()
        load.enter("back")
        back_at = time.monotonic()
        # Every web process's breaker closed again, so that the hang meets the worst case:
        # searches that wait for the node, not a breaker that already sends them away.
        waits["back"] = back(site, load, "back", BREAKER_SECONDS + 20)
        changes["hung"] = outage(site, node, load, "hung", hung_prices, [])
        node.recover()
        load.enter("recovered")
        recovered_at = time.monotonic()
        expected = site.manage_python(EXPECTED)

        def complete() -> bool:
            return not differences(expected, node.documents(expected))

        waits["recovered"] = back(site, load, "recovered", RECOVERY_BOUND, complete)
    finally:
        try:
            outcomes = load.stop()
        finally:
            node.recover()
    end = time.monotonic()

    # While the node is away, an answer waits for it once at most: the search timeout,
    # plus what an answer takes when nothing fails, at worst (this machine's stalls
    # under load are not the node's doing). Waiting twice shows in the log in any case.
    usual = max(
        (o.seconds for o in outcomes if o.phase == o.phase_end == 0 and not o.failed),
        default=0.0,
    )
    limit = SEARCH_TIMEOUT + max(MARGIN, usual)
    figures["limit while the node is away, s"] = f"{limit:.1f}"
    for name in (*PHASES, ACROSS):
        phase, phase_failures = phase_figures(outcomes, name, limit)
        figures.update(phase)
        failures.extend(phase_failures)
    timeouts = timeouts_by_request(site)
    twice = sum(1 for count in timeouts.values() if count > 1)
    figures["requests that waited for the hung node (twice or more)"] = f"{len(timeouts)} ({twice})"
    if twice:
        failures.append(f"{twice} requests waited for the hung node more than once")
    for name, moment, until in (
        ("back", back_at, load.phase_started["hung"]),
        ("recovered", recovered_at, end),
    ):
        figures[f"{name}: s after the node came back"] = back_to_elasticsearch(
            outcomes, moment, until
        )
        if waits[name]["elasticsearch"] is None:
            failures.append(f"{name}: searches still answered from the database at the end")
    for name, made in changes.items():
        if made["behaves"] != name:
            failures.append(f"{name}: the Elasticsearch address was {made['behaves']}")
        tasks = search_tasks(site, made["since"], made["until"] + 1)
        figures[f"{name}: search update tasks, longest run / wait and run s"] = (
            f"{tasks['count']}, {tasks['run']:.1f} / {tasks['total']:.1f}"
        )
        if tasks["run"] > UPDATE_TIMEOUT + MARGIN:
            failures.append(
                f"{name}: a search update task ran {tasks['run']:.1f} s, over the "
                f"{UPDATE_TIMEOUT} s an update waits for the node"
            )
        if tasks["unfinished"]:
            failures.append(f"{name}: {tasks['unfinished']} search update tasks not finished")

    after = node.documents(expected)
    changed = differences(expected, before)
    wrong = differences(expected, after)
    figures["updates made during the outage (pages)"] = (
        f"{len(stopped_prices) + len(hung_prices)} new prices, {len(unpublished)} unpublished"
    )
    figures["documents they changed (both languages, producers)"] = len(changed)
    figures["lost (changed documents not as in the database)"] = len(changed & wrong)
    figures["other documents not as in the database"] = len(wrong - changed)
    figures["duplicated (documents of no live page)"] = sum(
        len(set(after[alias]) - set(documents)) for alias, documents in expected.items()
    )
    cleared = waits["back"]["no pending"]
    figures["back: s to no pending update"] = (
        "not before the hang" if cleared is None else f"{cleared:.1f}"
    )
    recovery = waits["recovered"]["complete"]
    figures["recovery s (node back to index complete, no pending)"] = (
        f"not within {RECOVERY_BOUND} s" if recovery is None else f"{recovery:.1f}"
    )
    if recovery is None:
        failures.append(f"the index was not complete {RECOVERY_BOUND} s after recovery")
    if wrong:
        failures.append(f"documents not as in the database: {sorted(wrong)[:10]}")

    lines, problems = index_status(site)
    figures["search_index status"] = "exact" if not problems else problems
    if problems:
        failures.append(f"search_index status is not exact: {lines}")
    figures["pending updates at the end"] = pending_updates(site)

    # The catalogue as it was for the drills that follow, but prices a little higher.
    site.manage_python(REPUBLISH.format(arguments=json.dumps(unpublished)))
    try:
        site.wait_for_tasks(60)
    except TimeoutError as error:
        failures.append(f"after the drill: {error}")
    return figures, failures


def main(argv: list[str] | None = None) -> int:
    return run_alone(__doc__, NAME, run, {"visitors": 8}, needs="ELASTICSEARCH_URL", argv=argv)


if __name__ == "__main__":
    sys.exit(main())
