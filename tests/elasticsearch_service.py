"""A pytest plugin: the `elasticsearch_url` session fixture and the `elasticsearch` marker.

ELASTICSEARCH_URL set: that node is used and must answer. Unset: scripts/elasticsearch
starts a local node (Java and Maven needed); the session that started it stops it at the
end, unless another session still uses it. Without Java or Maven the tests are skipped,
except in CI, where they fail.
"""

import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local_services import shared_service

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "elasticsearch"
# Each test session using the local node holds this lock shared, so that the session that
# started the node does not stop it under another session (the checkout may be shared).
SESSIONS_LOCK = REPO / "var" / "elasticsearch-sessions.lock"
NEEDS = "Java and Maven are needed to run a local node (scripts/elasticsearch)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "elasticsearch: needs an Elasticsearch node (see scripts/elasticsearch)"
    )


def node_answers(url: str) -> bool:
    """Whether the node at `url` answers with a cluster that is at least yellow."""
    health = f"{url.rstrip('/')}/_cluster/health?wait_for_status=yellow&timeout=30s"
    # Like the Elasticsearch client, ignore http_proxy: the node is usually on 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(health, timeout=40) as response:
            return response.status == 200
    except (OSError, ValueError):
        # URLError and HTTPError (e.g. 408 when yellow never comes) are OSErrors.
        return False


def run_script(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), command], capture_output=True, text=True, check=False, timeout=300
    )


def start_local_node() -> bool:
    """Start the local node and wait for it; False when it was already running."""
    started = run_script("start")
    if started.returncode != 0:
        pytest.fail(f"scripts/elasticsearch start failed:\n{started.stdout}{started.stderr}")
    # Asked of `start` itself, which takes a lock: a `status` first would race with another
    # session starting the node at the same moment.
    return "already runs" not in started.stdout


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        if not node_answers(url):
            pytest.fail(f"ELASTICSEARCH_URL={url}: no Elasticsearch node answers there")
        yield url
        return
    if not (shutil.which("java") and shutil.which("mvn")):
        if os.environ.get("CI"):
            pytest.fail(f"Elasticsearch tests cannot run in CI: {NEEDS}")
        pytest.skip(f"Elasticsearch tests skipped: {NEEDS}")
    with shared_service(SESSIONS_LOCK, start_local_node, lambda: run_script("stop")):
        yield run_script("url").stdout.strip()
