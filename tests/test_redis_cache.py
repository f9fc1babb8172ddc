"""The cache app servers share on Redis (REDIS_URL; marketplace/core/redis_cache.py): rate
limits exact across processes, a change made through one app server seen by the next
request to another, and what visitors get while Redis is down or hung.

Against a real redis-server: REDIS_URL's when set, else one this test session starts on a
free port (skipped when redis-server is not installed, failed in CI). Each test keeps its
keys under a prefix of its own, deleted at its end: several test processes may share one
Redis, and nothing here empties it.
"""

import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client
from redis.exceptions import RedisError
from wagtail.models import Site

from bench.common import stop_process
from marketplace.base.models import SiteFooter
from marketplace.core import page_cache, redis_cache
from marketplace.core.redis_cache import FailSoftRedisCache, redis_cache_settings
from marketplace.ratelimits.counter import DatabaseCounter, RedisCounter, counter
from marketplace.ratelimits.models import RateCounter
from tests.factories import make_producer, make_product
from tests.inquiry_helpers import add
from tests.tcp_proxy import TcpProxy
from tests.worker_process import database_url

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "redis"
NEEDS = "redis-server is needed (apt-get install redis-server)"
ROBOT = "Googlebot/2.1"  # product views of robots are not counted: a GET writes nothing
READY = "/health/ready"


# The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def answers(url: str) -> bool:
    try:
        return bool(client_for(url).ping())
    except RedisError:
        return False


def redis_server_or_skip() -> str:
    """The redis-server binary; without it, skip, or fail in CI."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"Redis tests cannot run in CI: {NEEDS}")
        pytest.skip(f"Redis tests skipped: {NEEDS}")
    return binary


@contextmanager
def private_server(binary: str, folder: Path) -> Iterator[str]:
    """A redis-server of this session on a free port of the loopback, stopped at the end."""
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    log = folder / "redis.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--protected-mode", "yes"]
            + ["--save", "", "--appendonly", "no", "--dir", str(folder)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not answers(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}:\n{log.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        stop_process(server, 10)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("REDIS_URL", "")
    if url:
        if not answers(url):
            pytest.fail(f"REDIS_URL={url}: no Redis answers there")
        yield url
        return
    binary = redis_server_or_skip()
    with private_server(binary, tmp_path_factory.mktemp("redis")) as url:
        yield url


def use_redis(settings, url: str) -> dict:
    """The settings' shared cache on Redis at `url` as REDIS_URL sets it (and the page
    cache's generation there), under a key prefix of this test's own; the CACHES entry."""
    entry = {**redis_cache_settings(url), "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": entry}
    settings.PAGE_CACHE_GENERATION_CACHE = "default"
    return entry


def forget_keys(url: str, entry: dict) -> None:
    client = client_for(url)
    keys = list(client.scan_iter(match=f"{entry['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def shared_cache(settings, redis_url: str) -> Iterator[dict]:
    entry = use_redis(settings, redis_url)
    yield entry
    forget_keys(redis_url, entry)


@pytest.fixture
def proxied_cache(settings, redis_url: str, monkeypatch) -> Iterator[TcpProxy]:
    """The shared cache through a TCP proxy to the Redis server, which a test stops (Redis
    down: connections reset, port closed) and starts again. Failures leave Redis alone
    for 0.2 s only, instead of RETRY_SECONDS, so that a test sees it come back soon."""
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    proxy = TcpProxy(redis_url)
    proxy.start()
    entry = use_redis(settings, f"redis://127.0.0.1:{proxy.port}/0")
    try:
        yield proxy
    finally:
        proxy.stop()
        # A generation this process could not read or write is owed to the next cache
        # it reads: paid to this test's Redis, not to the next test's cache.
        time.sleep(0.25)
        proxy.start()
        page_cache.current_generation()
        proxy.stop()
        forget_keys(redis_url, entry)
        redis_cache._resting_until.pop(entry["LOCATION"], None)


@pytest.fixture
def hung_cache(settings) -> Iterator[TcpProxy]:
    """The shared cache at a Redis that accepts connections and never answers."""
    proxy = TcpProxy("redis://127.0.0.1:1", hang=True)
    proxy.start()
    entry = use_redis(settings, f"redis://127.0.0.1:{proxy.port}/0")
    try:
        yield proxy
    finally:
        proxy.stop()
        # Left alone for RETRY_SECONDS: not a later test's proxy on the same port.
        redis_cache._resting_until.pop(entry["LOCATION"], None)


def stored_key(entry: dict, key: str) -> str:
    """A key as the cache stores it in Redis (Django's default KEY_FUNCTION, version 1)."""
    return f"{entry['KEY_PREFIX']}:1:{key}"


# Processes of their own ----------------------------------------------------------------------


# An app server: Django set up with the test settings and, as REDIS_URL sets it, the
# shared cache of argv[1] (a CACHES entry) holding the page cache's generation; its own
# "pages" cache in memory, as each server keeps its own pages. It reads one JSON command
# a line and answers with one JSON line.
SERVER = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Page

override_settings(
    CACHES={**settings.CACHES, "default": json.loads(sys.argv[1])},
    PAGE_CACHE_GENERATION_CACHE="default",
).enable()
anonymous = Client(HTTP_USER_AGENT=sys.argv[2])
with_session = Client(HTTP_USER_AGENT=sys.argv[2])
with_session.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"  # the page's own
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command = json.loads(line)
    if command["do"] == "get":
        client = with_session if command["session"] else anonymous
        with CaptureQueriesContext(connection) as queries:
            response = client.get(command["path"])
        body = response.content.decode()
        answer = {
            "status": response.status_code,
            "queries": len(queries),
            "found": [text for text in command["find"] if text in body],
        }
    elif command["do"] == "publish":
        page = Page.objects.get(pk=command["page"]).specific
        page.title = command["title"]
        page.save_revision().publish()
        answer = {"published": page.title}
    connection.close()
    print(json.dumps(answer), flush=True)
"""

# A process taking rate-limit slots: the rate limits app and the shared cache of argv[1]
# only (no database: were the counter to fall back to it, the process would fail), so
# that it starts in half a second rather than four.
TAKER = r"""
import json, sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["marketplace.ratelimits"],
    CACHES={"default": json.loads(sys.argv[1])},
    USE_TZ=True,
)
django.setup()
from django.core.cache import caches
from marketplace.ratelimits.counter import counter

print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command = json.loads(line)
    taken = sum(
        counter().take(command["key"], command["limit"], command["seconds"])
        for _ in range(command["times"])
    )
    answer = {
        "taken": taken,
        "counter": type(counter()).__name__,
        "resting": caches["default"].resting(),
    }
    print(json.dumps(answer), flush=True)
"""


class Worker:
    def __init__(self, script: str, entry: dict, environment: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, json.dumps(entry), ROBOT],
            cwd=REPO,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test"} | environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def send(self, **command) -> None:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 120) -> dict:
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                pytest.fail(f"a worker process did not answer within {timeout} s")
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            pytest.fail(f"a worker process ended:\n{self.process.stderr.read()[-3000:]}")
        return json.loads(line)

    def ask(self, **command) -> dict:
        self.send(**command)
        return self.answer()

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


@contextmanager
def workers(script: str, count: int, entry: dict, **environment: str) -> Iterator[list[Worker]]:
    started = [Worker(script, entry, environment) for _ in range(count)]
    try:
        for worker in started:  # they set Django up side by side
            assert worker.answer() == {"ready": True}
        yield started
    finally:
        for worker in started:
            worker.stop()


# Settings ----------------------------------------------------------------------------------


SHOW_CACHES = (
    "import json; from django.conf import settings; print(json.dumps({"
    "'default': settings.CACHES['default'], 'pages': settings.CACHES['pages']['BACKEND'],"
    "'generation': settings.PAGE_CACHE_GENERATION_CACHE}))"
)
URL = "redis://:s3cret@10.0.0.5:6379/2"
REDIS_DEFAULT = {
    "BACKEND": "marketplace.core.redis_cache.FailSoftRedisCache",
    "LOCATION": URL,
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "django_cache",
}


@pytest.mark.parametrize(
    ("module", "redis_url_value", "default", "generation"),
    [
        ("production", "", DATABASE_CACHE, "pages"),
        ("production", URL, REDIS_DEFAULT, "default"),
        ("dev", "", LOCMEM, "pages"),
        ("dev", URL, REDIS_DEFAULT, "default"),
        # The tests' own caches whatever REDIS_URL says: the fixtures above bring Redis.
        ("test", URL, LOCMEM, "pages"),
    ],
)
def test_redis_url_puts_the_default_cache_and_the_generation_on_redis(
    tmp_path, module, redis_url_value, default, generation
):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "DEBUG", "VAR_DIR", "STATIC_ROOT", "MEDIA_ROOT"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE=f"marketplace.settings.{module}",
        REDIS_URL=redis_url_value,
        VAR_DIR=str(tmp_path),
        SECRET_KEY="a-test-key-" + "x" * 50,
        ALLOWED_HOSTS="cho-ocop.example.org",
        DATABASE_URL="postgres://chocop:not-used@127.0.0.1:5432/chocop_production",
        PUBLIC_BASE_URL="https://cho-ocop.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CACHES],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    caches_seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert caches_seen["default"] == default
    assert caches_seen["generation"] == generation
    # Each server keeps its own pages either way (the tests: in memory).
    assert caches_seen["pages"] == (
        LOCMEM["BACKEND"] if module == "test" else "marketplace.core.file_cache.PageFileCache"
    )


# Rate limits -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_redis_counter_counts_as_the_database_counter_does(shared_cache, redis_url):
    assert isinstance(counter(), RedisCounter)

    taken = [counter().take("t:a", limit=3, seconds=60) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert counter().used("t:a") == 3
    assert counter().used("t:b") == 0
    counter().give_back("t:a")
    assert counter().used("t:a") == 2
    assert counter().take("t:a", limit=3, seconds=60)
    assert not counter().take("t:a", limit=3, seconds=60)
    assert not counter().take("t:zero", limit=0, seconds=60)
    assert counter().used("t:zero") == 0
    # A slot given back in a window whose count is 0 stays at 0.
    counter().take("t:c", limit=1, seconds=60)
    counter().give_back("t:c")
    counter().give_back("t:c")
    assert counter().used("t:c") == 0
    assert counter().take("t:c", limit=1, seconds=60)
    assert not counter().take("t:c", limit=1, seconds=60)

    # Kept in Redis under the cache's prefix, counted in the window of the first take.
    assert client_for(redis_url).get(stored_key(shared_cache, "t:a")) == b"3"
    assert 50_000 < client_for(redis_url).pttl(stored_key(shared_cache, "t:a")) <= 60_000
    assert not RateCounter.objects.exists()


@pytest.mark.django_db
def test_a_window_lasts_from_its_first_take_and_a_new_one_follows(shared_cache):
    started = time.monotonic()
    assert counter().take("t:w", limit=3, seconds=3)
    time.sleep(1)
    assert counter().take("t:w", limit=3, seconds=3)  # counted in the same window
    assert counter().used("t:w") == 2
    assert time.monotonic() - started < 3, "too slow to tell"
    # Not a sliding window: it ends 3 s after its first take, whatever came later.
    time.sleep(max(0, started + 3.2 - time.monotonic()))

    assert counter().used("t:w") == 0
    assert counter().take("t:w", limit=3, seconds=3)
    assert counter().used("t:w") == 1


def test_a_limit_holds_exactly_for_processes_taking_at_once(settings, redis_url):
    entry = use_redis(settings, redis_url)
    key, window = "inquiries:add:ip:same-visitor", 4
    take = {"key": key, "limit": 100, "seconds": window, "times": 30}
    try:
        with workers(TAKER, 6, entry) as takers:
            for round_number in (1, 2):
                started = time.monotonic()
                for taker in takers:  # all ready and waiting: released together
                    taker.send(**take)
                results = [taker.answer() for taker in takers]
                elapsed = time.monotonic() - started
                assert elapsed < window, "the takes did not end within their window"

                assert sum(result["taken"] for result in results) == 100, results
                assert {result["counter"] for result in results} == {"RedisCounter"}
                assert not any(result["resting"] for result in results)  # none fell back
                assert client_for(redis_url).get(stored_key(entry, key)) == b"100"
                if round_number == 1:
                    # The window ends: the next takes start a new one, with 100 slots again.
                    ttl = client_for(redis_url).pttl(stored_key(entry, key))
                    assert 0 < ttl <= window * 1000
                    time.sleep(ttl / 1000 + 0.1)
                    assert client_for(redis_url).get(stored_key(entry, key)) is None
    finally:
        forget_keys(redis_url, entry)


@pytest.mark.django_db
def test_with_redis_down_the_limits_count_in_the_database(proxied_cache, caplog):
    assert [counter().take("t:d", limit=3, seconds=60) for _ in range(2)] == [True, True]
    assert not RateCounter.objects.exists()

    proxied_cache.stop()
    # No error, and still a limit: the database's counter, a window of its own.
    taken = [counter().take("t:d", limit=3, seconds=60) for _ in range(4)]
    assert taken == [True, True, True, False]
    assert RateCounter.objects.get(key="t:d").count == 3
    assert counter().used("t:d") == 3
    assert f"Redis at 127.0.0.1:{proxied_cache.port}/0 failed" in caplog.text

    # Back: Redis's window again, where it was.
    proxied_cache.start()
    time.sleep(0.3)
    assert counter().used("t:d") == 2
    assert [counter().take("t:d", limit=3, seconds=60) for _ in range(2)] == [True, False]
    assert RateCounter.objects.get(key="t:d").count == 3


@pytest.mark.django_db
def test_a_hung_redis_costs_one_timeout_then_the_database_answers_at_once(hung_cache):
    started = time.monotonic()
    assert counter().take("t:h", limit=1, seconds=60)
    first = time.monotonic() - started
    started = time.monotonic()
    assert not counter().take("t:h", limit=1, seconds=60)
    second = time.monotonic() - started

    assert redis_cache.TIMEOUT_SECONDS <= first < redis_cache.TIMEOUT_SECONDS + 1.5
    assert second < 0.2  # Redis left alone meanwhile
    assert RateCounter.objects.get(key="t:h").count == 1


@pytest.mark.django_db
def test_a_visitor_adding_to_their_list_while_redis_is_down_is_limited_not_failed(
    proxied_cache, settings, site
):
    settings.INQUIRY_RATE_LIMITS = {"add": (2, 600)}
    product = make_product(make_producer(site.producers), "Nước mắm Hà Quảng")
    proxied_cache.stop()

    visitor = Client()
    statuses = [add(visitor, product).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


# The page cache ----------------------------------------------------------------------------


@pytest.fixture
def footer(site) -> SiteFooter:
    """The footer setting, which the first page view would otherwise create (a change)."""
    return SiteFooter.for_site(Site.objects.get(is_default_site=True))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_published_through_one_server_shows_on_the_next_request_to_another(
    postgresql, settings, redis_url, site, footer
):
    entry = use_redis(settings, redis_url)
    producer = make_producer(site.producers, "HTX Gốm Thanh Hà")
    product = make_product(producer, "Bình gốm", stars=4)
    # The titles given later (the first stays in the photo's alt text).
    later = ["Bình gốm men ngọc", "Bình gốm men rạn"]
    listing = site.products.url

    def shown(server: Worker, path: str, session: bool = False) -> tuple[list[str], int]:
        """Which of the later titles the page shows, and the queries it took."""
        answer = server.ask(do="get", path=path, session=session, find=later)
        assert answer["status"] == 200, answer
        return answer["found"], answer["queries"]

    try:
        with workers(SERVER, 2, entry, DATABASE_URL=database_url()) as (first, second):
            # The second server keeps the page (a hit makes no query), its route and
            # the listing's card.
            assert shown(second, product.url)[0] == []
            assert shown(second, product.url) == ([], 0)
            assert shown(second, product.url, session=True)[0] == []
            assert shown(second, listing, session=True)[0] == []

            first.ask(do="publish", page=product.pk, title=later[0])

            assert shown(second, product.url)[0] == [later[0]]
            # Pages with a session are not kept, but their parts are: fresh too.
            assert shown(second, product.url, session=True)[0] == [later[0]]
            assert shown(second, listing, session=True)[0] == [later[0]]

            # And the other way round, on a page the first server keeps.
            assert shown(first, product.url)[0] == [later[0]]
            assert shown(first, product.url) == ([later[0]], 0)
            second.ask(do="publish", page=product.pk, title=later[1])
            assert shown(first, product.url)[0] == [later[1]]
            assert shown(second, product.url)[0] == [later[1]]
    finally:
        forget_keys(redis_url, entry)


def html(client: Client, path: str) -> str:
    response = client.get(path, HTTP_USER_AGENT=ROBOT)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.django_db
def test_pages_are_served_fresh_while_redis_is_down_and_kept_again_when_it_is_back(
    proxied_cache, site, footer, client, django_assert_num_queries, caplog
):
    product = make_product(make_producer(site.producers), "Bình gốm men lam")
    assert "Bình gốm men lam" in html(client, product.url)
    with django_assert_num_queries(0):
        assert "Bình gốm men lam" in html(client, product.url)

    proxied_cache.stop()
    assert "Bình gốm men lam" in html(client, product.url)
    # Published while no generation can be drawn: no error, and no page was kept meanwhile
    # (the one just served would now be out of date).
    product.title = "Bình gốm men ngọc"
    product.save_revision().publish()
    assert "Bình gốm men ngọc" in html(client, product.url)
    assert "Bình gốm men ngọc" in html(client, product.url)
    assert "shared cache keeps nothing" in caplog.text

    # Back, with the generation the page above was kept under: a new one is drawn, so
    # that the change made meanwhile shows, on this server and any other.
    proxied_cache.start()
    time.sleep(0.3)
    assert "Bình gốm men ngọc" in html(client, product.url)
    with django_assert_num_queries(0):
        assert "Bình gốm men ngọc" in html(client, product.url)


# Health ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ready_answers_ok_with_redis_and_degraded_when_it_is_down(proxied_cache, client):
    """Degraded, not 503: every server shares the Redis, and serves without it."""
    response = client.get(READY)
    assert response.status_code == 200, response.content
    check = response.json()["checks"]["cache:default"]
    assert check == {**check, "ok": True, "detail": "FailSoftRedisCache"}

    proxied_cache.stop()
    response = client.get(READY)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache:default"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_ready_answers_degraded_soon_when_redis_hangs(hung_cache, client):
    started = time.monotonic()
    response = client.get(READY)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache:default"]["ok"] is False
    assert time.monotonic() - started < redis_cache.TIMEOUT_SECONDS + 2


# The cache itself --------------------------------------------------------------------------


def test_a_failing_redis_answers_as_an_empty_cache(proxied_cache, settings):
    cache = caches["default"]
    assert isinstance(cache, FailSoftRedisCache)
    cache.set("k", {"a": 1})
    cache.set("n", 1)
    assert cache.get("k") == {"a": 1}

    proxied_cache.stop()

    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k", "n"]) == {}
    assert cache.add("new", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    with pytest.raises(ValueError):
        cache.incr("n")
    cache.set("k", "lost")  # dropped, silently

    proxied_cache.start()
    time.sleep(0.3)
    assert cache.get("k") == {"a": 1}
    assert cache.incr("n") == 2


# scripts/redis -----------------------------------------------------------------------------


def run_script(command: str, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), command],
        env={**os.environ, "REDIS_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scripts_redis_runs_a_server_on_the_loopback_and_stops_it():
    redis_server_or_skip()
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    started = run_script("start", port)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert f"Redis runs at {url}" in started.stdout
        status = run_script("status", port)
        assert status.returncode == 0 and f"runs at {url}" in status.stdout
        assert run_script("url", port).stdout.strip() == url
        server = client_for(url)
        assert server.ping()
        assert server.config_get("bind") == {"bind": "127.0.0.1"}
        assert server.config_get("save") == {"save": ""}  # nothing written to disk
        again = run_script("start", port)
        assert again.returncode == 0 and "already runs" in again.stdout
    finally:
        stopped = run_script("stop", port)
    assert stopped.returncode == 0, stopped.stderr
    assert run_script("status", port).returncode == 3
    assert not answers(url)
    files = status.stdout.rsplit("files in ", 1)[1].rstrip(")\n")
    shutil.rmtree(files, ignore_errors=True)
    Path(files).parent.joinpath(f"start-{port}.lock").unlink(missing_ok=True)


def test_the_default_cache_is_not_redis_without_redis_url():
    # The tests' settings, as every test but these has them.
    assert django_settings.REDIS_URL == ""
    assert isinstance(counter(), DatabaseCounter)
    assert page_cache.generation_cache() is caches["pages"]
