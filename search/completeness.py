"""Whether the catalogue search holds every product, and making it so.

The database is the source of truth and both indexes are rebuilt from it: the database
backend's entries in one transaction, Elasticsearch's indices behind an alias swap. So
a rebuild never leaves a half-built index, and `complete_indexes()` may run at any time:
after a bulk load (the demo), at start-up (`make run`), or by hand
(`manage.py search_index complete`).
"""

import logging
from dataclasses import dataclass

from search.backends import database_backend, elasticsearch_backend
from search.backends.elasticsearch import connection
from search.catalogue import indexable_products
from search.models import ProductSearchEntry

logger = logging.getLogger(__name__)


class IncompleteSearch(Exception):
    """An index could not be completed (say, Elasticsearch did not answer)."""


@dataclass(frozen=True)
class IndexCheck:
    index: str  # "database" or "elasticsearch"
    products: int  # live, public products in the database
    indexed: int | None  # products the index held after the check; None if unknown
    rebuilt: bool
    error: str = ""  # why the index could not be checked or rebuilt

    @property
    def complete(self) -> bool:
        return not self.error and self.indexed == self.products

    def describe(self) -> str:
        name = {"database": "Database search entries", "elasticsearch": "Elasticsearch"}
        if self.error:
            return f"{name[self.index]}: could not be completed ({self.error})"
        text = f"{name[self.index]}: {self.indexed} of {self.products} products"
        return text + (" (rebuilt)" if self.rebuilt else "")


def _elasticsearch_complete() -> bool:
    """Every products and producers alias holds as many documents as the database has."""
    from search.backends.elasticsearch import indexing

    return all(row.documents == row.database for row in indexing.status())


def check_database(rebuild: bool = False) -> IndexCheck:
    products = indexable_products().count()
    rebuilt = rebuild or ProductSearchEntry.objects.count() != products
    if rebuilt:
        database_backend().rebuild()
    return IndexCheck("database", products, ProductSearchEntry.objects.count(), rebuilt)


def check_elasticsearch(rebuild: bool = False) -> IndexCheck:
    from elasticsearch import ApiError, TransportError

    products = indexable_products().count()
    try:
        rebuilt = rebuild or not _elasticsearch_complete()
        indexed = elasticsearch_backend().rebuild() if rebuilt else products
    except (ApiError, TransportError) as error:
        logger.debug("Could not complete the Elasticsearch indices", exc_info=True)
        message = f"{type(error).__name__}: {error}"
        return IndexCheck("elasticsearch", products, None, False, message[:200])
    return IndexCheck("elasticsearch", products, indexed, rebuilt)


def complete_indexes(rebuild: bool = False) -> list[IndexCheck]:
    """Rebuild each catalogue index that does not hold every product (all of them with
    `rebuild`): the database entries, and Elasticsearch's when ELASTICSEARCH_URL is set."""
    checks = [check_database(rebuild)]
    if connection.is_configured():
        checks.append(check_elasticsearch(rebuild))
    return checks


def require_complete(checks: list[IndexCheck]) -> None:
    """Raise IncompleteSearch naming the indexes that are not complete, if any."""
    incomplete = [check.describe() for check in checks if not check.complete]
    if incomplete:
        raise IncompleteSearch("The catalogue search is incomplete: " + "; ".join(incomplete))
