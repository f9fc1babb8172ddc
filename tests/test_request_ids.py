"""Each request's id (X-Request-ID) in its answer, its log lines and its error reports."""

import io
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from search.backends.elasticsearch import connection

REPO = Path(__file__).resolve().parent.parent
HEADER = "X-Request-ID"


def is_new_id(value: str) -> bool:
    return len(value) == 32 and uuid.UUID(hex=value).hex == value


@pytest.mark.django_db
def test_every_answer_carries_its_own_id_cached_pages_too(client, site):
    first, second = client.get("/vi/"), client.get("/vi/")

    assert first.status_code == second.status_code == 200
    assert second["Cache-Control"].startswith("max-age")  # the kept page, served again
    assert is_new_id(first[HEADER]) and is_new_id(second[HEADER])
    assert first[HEADER] != second[HEADER]
    assert is_new_id(client.get("/")[HEADER])  # a redirect too


@pytest.mark.django_db
def test_a_proxys_id_is_kept_and_a_made_up_one_replaced(client, site):
    sent = uuid.uuid4().hex
    assert client.get("/health/live", headers={HEADER: sent})[HEADER] == sent

    for bad in ("<script>alert(1)</script>", "x" * 500, "1; DROP TABLE"):
        answered = client.get("/health/live", headers={HEADER: bad})[HEADER]
        assert is_new_id(answered)


@pytest.fixture
def console_lines() -> io.StringIO:
    """What the settings' console handler writes (LOGGING), in a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_requests_log_lines_carry_its_id(client, site, settings, console_lines):
    # A search with Elasticsearch unreachable logs a warning, and answers from the database.
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # the discard port: refused
    connection._client.cache_clear()

    response = client.get("/vi/tim-kiem/?q=tr%C3%A0")

    assert response.status_code == 200
    fallback = [line for line in console_lines.getvalue().splitlines() if "searching" in line]
    assert fallback, console_lines.getvalue()
    assert all(f"[{response[HEADER]}] search.service:" in line for line in fallback)


class Envelopes(BaseHTTPRequestHandler):
    """Sentry's ingestion endpoint, as far as the SDK talks to it: envelopes posted."""

    received: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        for line in body.splitlines():
            try:
                self.received.append(json.loads(line))
            except ValueError:
                pass
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def run_site_code(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`code` in a new process with the test settings and these environment variables."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", **environment}
    env.pop("DATABASE_URL", None)  # no database is read
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_json_log_lines_for_a_collector():
    code = (
        "import logging\n"
        "from django_guid import set_guid\n"
        "set_guid('0123456789abcdef0123456789abcdef')\n"
        "logging.getLogger('marketplace.drill').warning('stock %s', 'low')\n"
    )
    lines = run_site_code(code, LOG_FORMAT="json").stderr.strip().splitlines()

    record = json.loads(lines[-1])
    assert record["level"] == "WARNING"
    assert record["logger"] == "marketplace.drill"
    assert record["message"] == "stock low"
    assert record["request_id"] == "0123456789abcdef0123456789abcdef"
    assert record["time"].endswith("+00:00")


def test_errors_reach_sentry_with_the_request_id_when_its_dsn_is_set():
    Envelopes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
    code = (
        "import logging, sentry_sdk\n"
        "from django_guid import set_guid\n"
        "set_guid('fedcba9876543210fedcba9876543210')\n"
        "logging.getLogger('marketplace.drill').error('payment webhook failed')\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    try:
        run_site_code(code, SENTRY_DSN=dsn)
        run_site_code(code.replace("error(", "warning("), SENTRY_DSN=dsn)
    finally:
        server.shutdown()

    events = [item for item in Envelopes.received if item.get("level") == "error"]
    assert len(events) == 1
    assert events[0]["logentry"]["message"] == "payment webhook failed"
    assert events[0]["tags"]["request_id"] == "fedcba9876543210fedcba9876543210"
    assert not [item for item in Envelopes.received if item.get("level") == "warning"]
