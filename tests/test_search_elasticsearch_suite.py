"""The backend behaviour suite of tests/test_search_database.py, run on Elasticsearch.

The shared fixed catalogue is indexed once for the module under its own aliases.
"""

import pytest

from search.backends.elasticsearch.backend import ElasticsearchBackend
from tests import test_search_database as suite

pytestmark = pytest.mark.elasticsearch
pytest_plugins = ["tests.search_fixtures"]


@pytest.fixture
def backend(catalogue_index, db):
    return ElasticsearchBackend()


globals().update({name: test for name, test in vars(suite).items() if name.startswith("test_")})


def test_did_you_mean_on_zero_results(backend):
    """Replaces the suite's test: Elasticsearch forgives typos, so "banh trangg" finds
    products here; a query beyond typo reach gets a suggestion instead."""
    assert suite.search(backend, "banh trangg").total > 0
    results = suite.search(backend, "nuoc mamxx")
    assert (results.total, results.did_you_mean) == (0, "nuoc mam")
    assert suite.search(backend, "bánh tráng").did_you_mean == ""
