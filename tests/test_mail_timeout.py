"""A mail server that accepts connections and never answers must not hold the visitor's
request: the inquiry is saved, the request answers within about one EMAIL_TIMEOUT, and
the failed emails are logged and recorded for `inquiries retry-emails`."""

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from marketplace.inquiries.models import EmailDelivery, Inquiry
from producers.models import ProducerPage
from tests.inquiry_helpers import fill, form_key, request_data, url

pytest_plugins = ["tests.inquiry_fixtures"]

BASE_DIR = Path(__file__).resolve().parent.parent
# The silent server gives up after this, so that a request without a timeout ends too
# (and fails the test) instead of hanging the suite.
SILENT_FOR = 20


class SilentSmtpServer:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word, like a
    hung mail server; it closes everything after SILENT_FOR seconds or when stopped."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        connections = []
        deadline = time.monotonic() + SILENT_FOR
        while not self.stopped.is_set() and time.monotonic() < deadline:
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            connections.append(connection)  # kept open, never written to
            self.accepted += 1
        for connection in connections:
            connection.close()
        self.listener.close()

    def __enter__(self) -> "SilentSmtpServer":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


@pytest.fixture
def silent_mail_server(settings) -> Iterator[SilentSmtpServer]:
    with SilentSmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        yield server


# The emails are sent after commit, inside the request: the test commits, as a server does.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hung_mail_server_does_not_hold_the_request(shop, silent_mail_server, caplog):
    for producer in (shop.producer_a, shop.producer_b):
        ProducerPage.objects.filter(pk=producer.pk).update(email=f"{producer.pk}@example.com")
    client = Client()
    fill(client, (shop.rice_wine, 1), (shop.fish_sauce, 5))
    key = form_key(client)

    with caplog.at_level(logging.WARNING, logger="marketplace.inquiries.emails"):
        started = time.monotonic()
        response = client.post(url("send"), request_data(key, shop))
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert response.url == url("sent", key=key)
    # One wait for the server, not one per email (two producers and the consumer).
    assert elapsed < 2 * settings.EMAIL_TIMEOUT, elapsed
    assert silent_mail_server.accepted == 1
    assert Inquiry.objects.filter(submission__key=key).count() == 2
    deliveries = EmailDelivery.objects.all()
    assert deliveries.count() == 3
    assert {delivery.state for delivery in deliveries} == {EmailDelivery.State.FAILED}
    assert all("timed out" in delivery.last_error for delivery in deliveries)
    assert "Mail server unavailable" in caplog.text and "timed out" in caplog.text


def settings_value(name: str, **env: str) -> str:
    """A setting as the production settings read it from the environment."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("EMAIL_TIMEOUT", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.base", SECRET_KEY="x" * 50, **env
    )
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_mail_timeout_is_bounded_and_set_from_the_environment():
    assert settings_value("EMAIL_TIMEOUT") == "10"
    assert settings_value("EMAIL_TIMEOUT", EMAIL_TIMEOUT="4") == "4"
