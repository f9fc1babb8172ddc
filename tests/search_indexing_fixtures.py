"""Fixtures for tests that write to Elasticsearch indices: their own aliases per module."""

import socket
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch


@pytest.fixture(scope="module")
def es_prefix(elasticsearch_url: str) -> Iterator[str]:
    """This module's index prefix; its indices are deleted at the end."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    with Elasticsearch(elasticsearch_url, request_timeout=30) as client:
        # By name: nodes may refuse wildcard deletes (action.destructive_requires_name).
        names = list(client.indices.get(index=f"{prefix}-*"))
        if names:
            client.indices.delete(index=names)


@pytest.fixture
def es_settings(settings, elasticsearch_url: str, es_prefix: str):
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = es_prefix
    return settings


@pytest.fixture
def closed_url() -> str:
    """The URL of a port nothing listens on: a socket bound, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
