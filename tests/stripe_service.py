"""A pytest plugin: Stripe's mock server for tests, the `stripe_mock` marker and two fixtures.

`stripe_mock_url` (session): STRIPE_MOCK_URL set: that server is used and must answer.
Unset: scripts/stripe-mock starts a local one (installing it with Go the first time); the
session that started it stops it at the end, unless another session still uses it. Without
Go the tests are skipped, except in CI, where they fail.

`stripe_api`: the settings of a test Stripe account whose API is that server, and the
project's client for it.
"""

import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe

from marketplace.payments.stripe_client import get_stripe_client
from tests.local_services import shared_service

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "stripe-mock"
# Each test session using the local server holds this lock shared, so that the session that
# started the server does not stop it under another session (the checkout may be shared).
SESSIONS_LOCK = REPO / "var" / "stripe-mock-sessions.lock"
# `scripts/stripe-mock start` exits with this when it would need Go and finds none.
NO_GO = 4
NEEDS = "Go 1.22.1 or later is needed to install stripe-mock (scripts/stripe-mock)"

TEST_SECRET_KEY = "sk_test_123"
TEST_PUBLISHABLE_KEY = "pk_test_123"
TEST_WEBHOOK_SECRET = "whsec_test_secret"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stripe_mock: needs Stripe's mock server (see scripts/stripe-mock)"
    )


def server_answers(url: str) -> bool:
    """Whether a Stripe API answers at `url` to the test key."""
    request = urllib.request.Request(
        f"{url.rstrip('/')}/v1/balance", headers={"Authorization": f"Bearer {TEST_SECRET_KEY}"}
    )
    # The server is usually on 127.0.0.1: no proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def run_script(command: str) -> subprocess.CompletedProcess[str]:
    # The first start downloads and builds stripe-mock: about two minutes on two cores.
    return subprocess.run(
        [str(SCRIPT), command], capture_output=True, text=True, check=False, timeout=600
    )


def start_local_server() -> bool:
    """Start the local server and wait for it; False when it was already running."""
    started = run_script("start")
    if started.returncode == NO_GO:
        if os.environ.get("CI"):
            pytest.fail(f"Stripe tests cannot run in CI: {NEEDS}")
        pytest.skip(f"Stripe tests skipped: {NEEDS}")
    if started.returncode != 0:
        pytest.fail(f"scripts/stripe-mock start failed:\n{started.stdout}{started.stderr}")
    # Asked of `start` itself, which takes a lock: a `status` first would race with another
    # session starting the server at the same moment.
    return "already runs" not in started.stdout


@pytest.fixture(scope="session")
def stripe_mock_url() -> Iterator[str]:
    url = os.environ.get("STRIPE_MOCK_URL", "")
    if url:
        if not server_answers(url):
            pytest.fail(f"STRIPE_MOCK_URL={url}: no Stripe API answers there")
        yield url
        return
    with shared_service(SESSIONS_LOCK, start_local_server, lambda: run_script("stop")):
        yield run_script("url").stdout.strip()


@pytest.fixture
def stripe_api(settings, stripe_mock_url: str) -> stripe.StripeClient:
    """Test keys in the settings, the API at stripe-mock, and the client they give."""
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = TEST_PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_mock_url
    return get_stripe_client()
