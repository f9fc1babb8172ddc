"""The Elasticsearch node that search runs on: version, address, and a real index and search."""

import uuid
from collections.abc import Iterator

import elasticsearch
import pytest
from elasticsearch import Elasticsearch

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def es(elasticsearch_url: str) -> Iterator[Elasticsearch]:
    with Elasticsearch(elasticsearch_url, request_timeout=30) as client:
        yield client


@pytest.fixture
def temporary_index(es: Elasticsearch) -> Iterator[str]:
    name = f"test-node-{uuid.uuid4().hex}"
    es.indices.create(
        index=name,
        mappings={"properties": {"title": {"type": "text", "analyzer": "standard"}}},
    )
    yield name
    es.indices.delete(index=name)


def node_infos(es: Elasticsearch) -> list[dict]:
    return list(es.nodes.info(metric="http,transport")["nodes"].values())


def test_cluster_is_usable(es: Elasticsearch) -> None:
    health = es.cluster.health(wait_for_status="yellow", timeout="30s")
    assert health["status"] in {"green", "yellow"}


def test_version_matches_the_python_client(es: Elasticsearch) -> None:
    # This distribution has no rest-root module, so GET / (es.info()) is missing: ask the nodes.
    versions = {node["version"] for node in node_infos(es)}
    client_major_minor = elasticsearch.__versionstr__.split(".")[:2]
    assert len(versions) == 1
    version = versions.pop()
    assert version.startswith("8.19.")
    assert version.split(".")[:2] == client_major_minor


def test_listens_on_loopback_only(es: Elasticsearch) -> None:
    for node in node_infos(es):
        for layer in ("http", "transport"):
            addresses = [*node[layer]["bound_address"], node[layer]["publish_address"]]
            hosts = {address.rpartition(":")[0] for address in addresses}
            assert hosts == {"127.0.0.1"}, (layer, addresses)


def test_standard_analyzer_keeps_vietnamese_words(es: Elasticsearch) -> None:
    tokens = es.indices.analyze(analyzer="standard", text="Mì Quảng Điện Bàn")["tokens"]
    assert [token["token"] for token in tokens] == ["mì", "quảng", "điện", "bàn"]


def test_indexes_and_searches_a_document(es: Elasticsearch, temporary_index: str) -> None:
    es.index(index=temporary_index, id="1", document={"title": "Bánh tráng Đại Lộc"})
    es.index(index=temporary_index, id="2", document={"title": "Chiếu cói Bàn Thạch"})
    es.indices.refresh(index=temporary_index)

    hits = es.search(index=temporary_index, query={"match": {"title": "bánh tráng"}})["hits"]

    assert [hit["_id"] for hit in hits["hits"]] == ["1"]
    assert hits["hits"][0]["_source"] == {"title": "Bánh tráng Đại Lộc"}
