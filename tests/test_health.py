"""The health endpoints a load balancer probes: /health/live and /health/ready."""

import time

import pytest

from search.backends.elasticsearch import connection
from tests.tcp_proxy import proxy_to

READY = "/health/ready"


def ready(client) -> tuple[int, dict]:
    response = client.get(READY)
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    return response.status_code, response.json()


def test_live_answers_without_the_database_or_a_cache(client):
    response = client.get("/health/live")  # no django_db mark: a query would raise

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/health/live").status_code == 405


@pytest.mark.django_db
def test_ready_checks_the_database_and_every_cache_each_time(client, settings):
    status, body = ready(client)

    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "search"} | {f"cache:{a}" for a in settings.CACHES}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["search"]["detail"] == "database: ok"
    # Never kept: an anonymous GET of a public page would be, and the next probe would
    # see the old answer.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/dev/null/cannot-be-a-folder",
        },
    }
    status, body = ready(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache:default"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_ready_shows_elasticsearch_and_only_degrades_when_it_hangs(
    client, settings, elasticsearch_url
):
    settings.ELASTICSEARCH_URL = elasticsearch_url
    connection._client.cache_clear()
    status, body = ready(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["search"]["ok"] is True
    assert body["checks"]["search"]["detail"].startswith("elasticsearch: ")
    assert body["checks"]["search"]["detail"].endswith(" nodes")

    for _hung in proxy_to(elasticsearch_url, settings, hang=True):
        started = time.monotonic()
        status, body = ready(client)
        elapsed = time.monotonic() - started
        # Searches answer from the database meanwhile: the server stays in the pool.
        assert status == 200
        assert body["status"] == "degraded"
        assert body["checks"]["search"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True
        assert elapsed < connection.SEARCH_TIMEOUT + 1.5
