"""The catalogue search on a three-node Elasticsearch cluster survives losing a node.

`ES_NODES=3 scripts/elasticsearch` runs the cluster on 127.0.0.1:9201-9203 (transport
9301-9303), beside the single node of the other tests. The catalogue is indexed with one
replica; the node holding the Vietnamese products' primary shard is stopped, and the
site's search (search.service, with ELASTICSEARCH_URL naming the three nodes) must
answer as before, from Elasticsearch, not from the database (which would give the same
results); the cluster must be yellow, not red, and green again once the node is back.

One test, so that pytest-xdist never splits the scenario between processes; sessions
take turns (a lock), as one session's stopped node would fail another's searches.
"""

import fcntl
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import ApiError, Elasticsearch

from products.models import ProductPage
from search import service
from search.backends.elasticsearch import connection, indexing
from search.catalogue import indexable_products
from search.query import ProductQuery
from tests.elasticsearch_service import NEEDS, SCRIPT

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]
pytest_plugins = ["tests.search_fixtures"]

REPO = Path(__file__).resolve().parent.parent
CLUSTER = {"ES_NODES": "3", "ES_PORT": "9201", "ES_TRANSPORT_PORT": "9301"}
# Held for the whole module: one session at a time stops and starts the cluster's nodes.
LOCK = REPO / "var" / "elasticsearch-cluster.lock"
HEAP = 512 * 1024 * 1024
GREEN_WITHIN = 60  # seconds, once the node is back
QUERIES = [
    ProductQuery(),
    ProductQuery(q="bánh tráng"),
    ProductQuery(q="nuoc mam", sort="price_asc"),
    ProductQuery(category=("thu-cong-my-nghe",)),
    ProductQuery(stars=(4, 5)),
    ProductQuery(language="en"),
    ProductQuery(q="gom", language="en"),
]


def cluster_script(*arguments: str, timeout: float = 300) -> str:
    """Run `ES_NODES=3 scripts/elasticsearch …`; its output. Fails the test if it fails."""
    done = subprocess.run(
        [str(SCRIPT), *arguments],
        env={**os.environ, **CLUSTER},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(f"scripts/elasticsearch {' '.join(arguments)}:\n{done.stdout}{done.stderr}")
    return done.stdout


class Cluster:
    """The cluster, started in the background while the catalogue is built."""

    def __init__(self) -> None:
        self.starting = subprocess.Popen(
            [str(SCRIPT), "start"],
            env={**os.environ, **CLUSTER},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = ""
        self.failed = False
        self.started_here = False
        self.urls: list[str] = []

    def _started(self) -> str:
        """The output of `start`, once it finished; whether it started nodes is known then."""
        if self.starting is not None:
            self.output, _ = self.starting.communicate(timeout=300)
            self.failed = self.starting.returncode != 0
            self.starting = None
            # A cluster that already ran is left running, as the single node is.
            self.started_here = "already runs" not in self.output
        return self.output

    def wait(self) -> list[str]:
        """The nodes' URLs, once every node runs."""
        if not self.urls:
            output = self._started()
            if self.failed:
                pytest.fail(f"ES_NODES=3 scripts/elasticsearch start:\n{output}")
            self.urls = cluster_script("url").strip().split(",")
        return self.urls

    def node(self, name: str) -> int:
        """The number of the node named `name` (cho-ocop-cluster-9201-<n>)."""
        return int(name.rsplit("-", 1)[1])

    def close(self) -> None:
        self._started()
        if self.started_here:
            cluster_script("stop")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not (shutil.which("java") and shutil.which("mvn")):
        if os.environ.get("CI"):
            pytest.fail(f"The Elasticsearch cluster test cannot run in CI: {NEEDS}")
        pytest.skip(f"Elasticsearch cluster test skipped: {NEEDS}")
    LOCK.parent.mkdir(exist_ok=True)
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cluster = Cluster()
        try:
            yield cluster
        finally:
            cluster.close()


@pytest.fixture
def admin(cluster: Cluster) -> Iterator[Elasticsearch]:
    """A client of every node, for what the site never asks: health, shards, nodes."""
    with Elasticsearch(cluster.wait(), request_timeout=60, max_retries=3) as client:
        yield client


@pytest.fixture
def cluster_settings(settings, cluster: Cluster, admin: Elasticsearch):
    """The site's settings pointed at the cluster, under this test's own index prefix."""
    settings.ELASTICSEARCH_URL = ",".join(cluster.wait())
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-cluster-{uuid.uuid4().hex[:12]}"
    yield settings
    names = list(admin.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"))
    if names:
        admin.indices.delete(index=names)


def health(admin: Elasticsearch, within: int, **wanted: str) -> dict:
    """The cluster's health once it is as `wanted` (wait_for_status=…, wait_for_nodes=…)."""
    try:
        return admin.cluster.health(
            **{f"wait_for_{k}": v for k, v in wanted.items()}, timeout=f"{within}s"
        )
    except ApiError as error:
        if error.meta.status != 408:
            raise
        pytest.fail(f"the cluster was not {wanted} within {within} s: {error.body}")


def answers() -> list:
    """What the site's search service answers, and which backend answered."""
    results = []
    for query in QUERIES:
        found = service.search_products(query, log=False)
        hits = [(hit.page_id, hit.title, hit.price) for hit in found.hits]
        results.append((found.backend, found.total, hits, found.facets))
    for q in ("banh", "gom"):
        suggestions, backend = service.suggest_from_backend(q, "vi")
        results.append((backend, [(s.text, s.type) for s in suggestions]))
    return results


def test_search_survives_losing_a_node(
    cluster: Cluster, catalogue, admin: Elasticsearch, cluster_settings, caplog
) -> None:
    # Three nodes of one cluster, each on its own ports, data folder and 512 MB heap.
    nodes = admin.nodes.info(metric="http,transport,settings,jvm")["nodes"].values()
    assert len(nodes) == 3
    assert len({node["http"]["publish_address"] for node in nodes}) == 3
    assert len({node["transport"]["publish_address"] for node in nodes}) == 3
    assert len({tuple(node["settings"]["path"]["data"]) for node in nodes}) == 3
    assert {node["jvm"]["mem"]["heap_max_in_bytes"] for node in nodes} == {HEAP}

    indexing.rebuild()
    products_vi = indexing.status()[0].indices[0]
    assert products_vi.startswith(connection.alias("products", "vi"))
    replicas = admin.indices.get_settings(index=products_vi, name="index.number_of_replicas")
    assert replicas[products_vi]["settings"]["index"]["number_of_replicas"] == "1"
    assert health(admin, 30, status="green")["status"] == "green"

    before = answers()
    in_catalogue = indexable_products().filter(locale__language_code="vi").count()
    assert before[0][:2] == ("elasticsearch", in_catalogue)
    assert {answer[0] for answer in before} == {"elasticsearch"}

    # The node with the products' primary shard goes. The site's client (a new one: a
    # new list of nodes) asks the nodes in turn.
    shards = admin.cat.shards(index=products_vi, format="json", h="prirep,node")
    (victim,) = [cluster.node(shard["node"]) for shard in shards if shard["prirep"] == "p"]
    urls = cluster.wait()
    cluster_settings.ELASTICSEARCH_URL = ",".join(
        [urls[victim - 1], *(url for n, url in enumerate(urls, 1) if n != victim)]
    )
    cluster_script("stop-node", str(victim))
    try:
        two = health(admin, 60, nodes="2")
        # Yellow: every primary is there (the replica took over), a replica is missing.
        assert (two["number_of_nodes"], two["status"]) == (2, "yellow")
        assert two["unassigned_primary_shards"] == 0

        # The same answers, from Elasticsearch, twice over: each node is asked in turn.
        assert answers() == before
        assert answers() == before
        assert "Retrying request after failure" in caplog.text  # the stopped node was tried

        # Updates go on too.
        product = catalogue["ruou_nep"]
        ProductPage.objects.filter(pk=product.pk).update(title="Rượu cập nhật khi thiếu một nút")
        indexing.update_documents([product.pk], refresh=True)
        found = service.search_products(ProductQuery(q="cap nhat khi thieu mot nut"), log=False)
        assert found.backend == "elasticsearch"
        assert found.hits[0].title == "Rượu cập nhật khi thiếu một nút"
    finally:
        cluster_script("start-node", str(victim))

    back = time.monotonic()
    three = health(admin, GREEN_WITHIN, status="green", nodes="3")
    assert (three["status"], three["number_of_nodes"]) == ("green", 3)
    assert time.monotonic() - back < GREEN_WITHIN
