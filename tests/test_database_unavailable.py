"""While the database is out of reach (PostgreSQL restarting), visitors get a friendly 503
in their language, made without the database, and the site recovers by itself.

The site's connections reach PostgreSQL through tests.tcp_proxy, which the tests stop (kept
connections reset, port closed: a restart as the site sees it) and start again; the shared
server itself keeps running. Requests go through Django's WSGI handler from one thread
that keeps its connection between requests, as a gunicorn thread does (the test client
would neither close a broken connection after its request nor share the test's
transaction with another thread).
"""

import io
import json
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

import marketplace.urls
from marketplace.base.views import RETRY_AFTER_SECONDS
from marketplace.core import write_buffer
from tests.tcp_proxy import TcpProxy

TEXTS = {
    "vi": ("Trang web tạm thời gián đoạn", "Vui lòng thử lại sau giây lát."),
    "en": ("The site is briefly unavailable", "Please try again in a moment."),
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


class GunicornThread:
    """One thread serving requests with the site's WSGI handler, as a gunicorn worker's
    thread does: its database connection is kept between requests (CONN_MAX_AGE) and
    Django's request_started/request_finished handling of it runs."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.executor = ThreadPoolExecutor(max_workers=1)

    def get(self, path: str, query: str = "") -> Answer:
        return self.executor.submit(self._get, path, query).result(timeout=30)

    def _get(self, path: str, query: str) -> Answer:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        started: dict = {}

        def start_response(status: str, headers: list, exc_info=None) -> None:
            started["status"], started["headers"] = int(status.split()[0]), dict(headers)

        body = self.handler(environ, start_response)
        try:
            content = b"".join(body)
        finally:
            body.close()  # request_finished: Django closes a broken connection here
        return Answer(started["status"], started["headers"], content.decode())

    def stop(self) -> None:
        self.executor.submit(connections.close_all).result(timeout=30)
        self.executor.shutdown()


@pytest.fixture
def postgres_proxy(postgresql, site) -> Iterator[TcpProxy]:
    """New connections of the site go through a proxy in front of the test database."""
    settings_dict = connection.settings_dict  # shared by every thread's connection
    saved = settings_dict["HOST"], settings_dict["PORT"]
    proxy = TcpProxy(f"tcp://{saved[0] or '127.0.0.1'}:{saved[1] or 5432}")
    proxy.start()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", proxy.port
    try:
        yield proxy
    finally:
        settings_dict["HOST"], settings_dict["PORT"] = saved
        proxy.stop()


@pytest.fixture
def server() -> Iterator[GunicornThread]:
    thread = GunicornThread()
    yield thread
    thread.stop()


def assert_friendly_503(answer: Answer, language: str) -> None:
    assert answer.status == 503, answer.text[:500]
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in answer.headers["Cache-Control"]
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in answer.text
    for text in TEXTS[language]:
        assert text in answer.text
    assert f'href="/{language}/"' in answer.text
    # Made like every answer: the policy header, no inline code (tests/test_csp.py).
    assert "Content-Security-Policy" in answer.headers
    assert "<style" not in answer.text and "<script" not in answer.text


# Transactional: the server thread's own connection commits what it writes (the footer
# setting the first page view creates), which the flush at the end removes for the tests after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restart_answers_503_in_the_visitors_language_then_the_site_recovers(
    postgres_proxy, server
):
    assert server.get("/vi/").status == 200  # a connection kept by the thread

    postgres_proxy.stop()  # the kept connection reset, the port closed
    home_en = server.get("/en/")
    products_vi = server.get("/vi/san-pham/")
    no_prefix = server.get("/")  # Vietnamese, the default
    api = server.get("/api/search/products", "q=tra&lang=en")
    api_default = server.get("/api/search/products", "q=tra")
    # Searches the database refused, buffered: not to be written after the test.
    write_buffer.discard_all()

    assert_friendly_503(home_en, "en")
    assert_friendly_503(products_vi, "vi")
    assert_friendly_503(no_prefix, "vi")
    for answer, language, message in (
        (api, "en", "The service is briefly unavailable. Please try again in a moment."),
        (api_default, "vi", "Dịch vụ tạm thời gián đoạn. Vui lòng thử lại sau giây lát."),
    ):
        assert answer.status == 503
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.headers["Content-Language"] == language
        assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert "no-store" in answer.headers["Cache-Control"]
        assert json.loads(answer.text) == {"error": message}

    postgres_proxy.start()  # the database is back, on the same address
    # The same thread, no restart: the broken connection was closed after its request.
    # The page cache kept no 503: each page is rendered again.
    for address, language in (("/en/", "en"), ("/vi/san-pham/", "vi")):
        answer = server.get(address)
        assert answer.status == 200
        assert f'<html lang="{language}"' in answer.text


# Transactional: the server thread's own connection commits what it writes (the footer
# setting the first page view creates), which the flush at the end removes for the tests after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_dropped_while_idle_is_replaced_without_an_error(postgres_proxy, server):
    """CONN_HEALTH_CHECKS: a thread that served nothing during the restart finds its kept
    connection dead at its next request; it connects again instead of answering 503."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert server.get("/vi/").status == 200

    postgres_proxy.stop()
    postgres_proxy.start()

    answer = server.get("/en/")
    assert answer.status == 200, answer.text[:300]
    assert '<html lang="en"' in answer.text


# Which errors are the database out of reach: views of this module's URLconf raise them.


def raises(error: BaseException) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        raise error

    return view


def raises_while_handling(
    first: BaseException, second: BaseException
) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        try:
            raise first
        except type(first):
            raise second  # noqa: B904 - the implicit context is what is looked at

    return view


urlpatterns = [
    path("vi/refused/", raises(OperationalError("connection refused"))),
    path("en/closed/", raises(InterfaceError("connection already closed"))),
    path(
        "en/rollback-failed/",
        raises_while_handling(OperationalError("server closed"), RuntimeError("rollback")),
    ),
    # Django's answer to a session it could not save: SessionInterrupted, a 400.
    path(
        "vi/session-not-saved/",
        raises_while_handling(OperationalError("server closed"), SessionInterrupted("lost")),
    ),
    path("en/session-deleted/", raises(SessionInterrupted("deleted by a concurrent logout"))),
    path("api/search/refused", raises(OperationalError("connection refused"))),
    path("vi/bug/", raises(ValueError("a bug"))),
    *marketplace.urls.urlpatterns,
]
handler400 = marketplace.urls.handler400
handler404 = marketplace.urls.handler404
handler500 = marketplace.urls.handler500


@pytest.mark.urls("tests.test_database_unavailable")
@pytest.mark.parametrize(
    "address, status, language",
    [
        ("/vi/refused/", 503, "vi"),
        ("/en/closed/", 503, "en"),
        ("/en/rollback-failed/", 503, "en"),
        ("/vi/session-not-saved/", 503, "vi"),
        ("/en/session-deleted/", 400, "en"),
        ("/vi/bug/", 500, "vi"),
    ],
)
def test_only_database_errors_answer_503(address, status, language):
    # No `db` fixture: the error page must make no query.
    response = Client(raise_request_exception=False).get(address)

    assert response.status_code == status
    assert f'<html lang="{language}">' in response.text
    if status == 503:
        assert TEXTS[language][0] in response.text
        assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    else:
        assert "Retry-After" not in response
        assert TEXTS[language][0] not in response.text


@pytest.mark.urls("tests.test_database_unavailable")
def test_the_api_answers_json_in_its_language():
    response = Client(raise_request_exception=False).get("/api/search/refused?lang=en")

    assert response.status_code == 503
    assert response.json() == {
        "error": "The service is briefly unavailable. Please try again in a moment."
    }
