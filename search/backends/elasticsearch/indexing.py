"""Building and following the Elasticsearch indices of the catalogue search.

`rebuild()` loads fresh, versioned indices (e.g. chocop-products-vi-20261127040000) of
products, producers and suggestions, created from the Document classes of the
`documents` module beside this one, and then moves the aliases that searches use in one
atomic request, so searches keep answering from the old indices until the new ones are
complete.

Updates that fail (the node is down, or refuses) are remembered as
`PendingIndexUpdate` rows and retried by `retry_pending()`; a rebuild makes them moot.
"""

import dataclasses
import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import Index

from search.backends.base import Progress
from search.backends.elasticsearch import connection
from search.backends.elasticsearch.documents import (
    INDEX_SETTINGS,
    ProducerDocument,
    ProductDocument,
    SourceDocument,
    SuggestionDocument,
    place_suggestions,
    producer_suggestion,
    product_suggestion,
)
from search.catalogue import (
    ProducerRecord,
    ProductRecord,
    RecordBuilder,
    indexable_producers,
    indexable_products,
    producer_records,
    product_records,
)
from search.models import PendingIndexUpdate

CHUNK_SIZE = 2000  # actions per bulk request
IN_FLIGHT = 2  # bulk requests sent while the next chunk is built
RETRY_BATCH = 500  # pending pages retried at a time
PLACE_TYPES = ("craft_village", "category")  # suggestions that are not pages
KINDS: dict[str, type[SourceDocument]] = {
    "products": ProductDocument,
    "producers": ProducerDocument,
    "suggest": SuggestionDocument,
}

# While loading: no refreshes (one at the end is much faster), no fsync per request.
LOADING_SETTINGS = {"refresh_interval": "-1", "translog.durability": "async"}

Indices = dict[tuple[str, str], str]  # (kind, language) -> index or alias name


@dataclasses.dataclass(frozen=True)
class IndexStatus:
    alias: str
    indices: list[str]
    documents: int | None  # None when the alias is missing
    database: int


# Bulk actions ------------------------------------------------------------------------


def _product_actions(records: Iterable[ProductRecord], indices: Indices) -> Iterator[dict]:
    """Index each product and its suggestion."""
    for record in records:
        index = indices.get(("products", record.language))
        if index is None:
            continue
        yield {"_index": index, "_id": record.page_id, "_source": ProductDocument.source(record)}
        yield {
            "_index": indices["suggest", record.language],
            "_id": f"product-{record.page_id}",
            "_source": SuggestionDocument.source(product_suggestion(record)),
        }


def _producer_actions(records: Iterable[ProducerRecord], indices: Indices) -> Iterator[dict]:
    """Index each producer and its suggestion."""
    for record in records:
        index = indices.get(("producers", record.language))
        if index is None:
            continue
        yield {"_index": index, "_id": record.page_id, "_source": ProducerDocument.source(record)}
        yield {
            "_index": indices["suggest", record.language],
            "_id": f"producer-{record.page_id}",
            "_source": SuggestionDocument.source(producer_suggestion(record)),
        }


def _place_actions(indices: Indices) -> Iterator[dict]:
    for language in connection.languages():
        for doc_id, suggestion in place_suggestions(language):
            yield {
                "_index": indices["suggest", language],
                "_id": doc_id,
                "_source": SuggestionDocument.source(suggestion),
            }


def _delete_actions(page_ids: Iterable[int]) -> Iterator[dict]:
    """Remove these pages, products or producers, in every language."""
    for language, page_id in itertools.product(connection.languages(), page_ids):
        for kind in ("products", "producers"):
            yield {"_op_type": "delete", "_index": connection.alias(kind, language), "_id": page_id}
            yield {
                "_op_type": "delete",
                "_index": connection.alias("suggest", language),
                "_id": f"{kind.removesuffix('s')}-{page_id}",
            }


def _bulk(client: Elasticsearch, actions: Iterable[dict], **options) -> Iterator[bool]:
    """Send `actions`; a missing document or alias (404) is fine, anything else raises."""
    for ok, item in streaming_bulk(
        client,
        actions,
        chunk_size=CHUNK_SIZE,
        raise_on_error=False,
        # Only what is checked: reading the whole answer costs as much as writing.
        filter_path=["items.*._id", "items.*.status", "items.*.error"],
        **options,
    ):
        if not ok and next(iter(item.values())).get("status") != 404:
            raise RuntimeError(f"Elasticsearch refused a document: {item}")
        yield ok


# Rebuild -----------------------------------------------------------------------------


def _create_indices(client: Elasticsearch) -> Indices:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    indices = {}
    for language, (kind, document) in itertools.product(connection.languages(), KINDS.items()):
        name = f"{connection.alias(kind, language)}-{stamp}"
        index = Index(name, using=client)
        index.settings(**INDEX_SETTINGS, **LOADING_SETTINGS)
        index.document(document)
        index.create()
        indices[kind, language] = name
    return indices


def _aliased(client: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def _swap_aliases(client: Elasticsearch, indices: Indices) -> list[str]:
    """Point every alias at its new index in one request; returns the old indices."""
    actions, old = [], []
    for (kind, language), index in indices.items():
        alias = connection.alias(kind, language)
        for previous in _aliased(client, alias):
            actions.append({"remove": {"index": previous, "alias": alias}})
            old.append(previous)
        actions.append({"add": {"index": index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    return old


def _chunks(actions: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk = []
    for action in actions:
        chunk.append(action)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _load(
    client: Elasticsearch, actions: Iterable[dict], progress: Progress | None = None, total: int = 0
) -> None:
    """Send `actions` in bulk from other threads while this one reads the database.

    Records are built here: Django's connections belong to their thread.
    """
    done = 0

    def send(chunk: list[dict]) -> int:
        return sum(1 for _ in _bulk(client, chunk))

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        pending: deque[Future] = deque()
        for chunk in _chunks(actions, CHUNK_SIZE):
            pending.append(pool.submit(send, chunk))
            while len(pending) >= IN_FLIGHT or (pending and pending[0].done()):
                done += pending.popleft().result()
                if progress:
                    progress(min(done // 2, total), total)  # two actions per product
        for future in pending:
            future.result()


def rebuild(progress: Progress | None = None) -> int:
    """Index every indexable product and producer in new indices, then swap the aliases.

    Pending updates from before the rebuild are dropped: it read the pages after them.
    Returns the number of products indexed.
    """
    started = timezone.now()
    client = connection.get_client(indexing=True)
    total = indexable_products().count()
    indices = _create_indices(client)
    builder = RecordBuilder()
    try:
        products = product_records(indexable_products(), builder)
        _load(client, _product_actions(products, indices), progress, total)
        producers = producer_records(indexable_producers(), builder)
        _load(client, _producer_actions(producers, indices))
        _load(client, _place_actions(indices))
        names = list(indices.values())
        client.indices.put_settings(
            index=names,
            settings=dict.fromkeys(LOADING_SETTINGS),  # back to the defaults
        )
        client.indices.refresh(index=names)
    except Exception:
        client.indices.delete(index=list(indices.values()), ignore_unavailable=True)
        raise
    old = _swap_aliases(client, indices)
    if old:
        client.indices.delete(index=old, ignore_unavailable=True)
    PendingIndexUpdate.objects.filter(updated_at__lt=started).delete()
    if progress:
        progress(total, total)
    products_indices = [indices["products", language] for language in connection.languages()]
    return client.count(index=products_indices)["count"]


# Updates -----------------------------------------------------------------------------


def _aliases() -> Indices:
    return {
        (kind, language): connection.alias(kind, language)
        for kind, language in itertools.product(KINDS, connection.languages())
    }


def _refresh(client: Elasticsearch) -> None:
    client.indices.refresh(index=list(_aliases().values()), ignore_unavailable=True)


def update_documents(page_ids: Iterable[int], refresh: bool = False) -> None:
    """Index these pages, products or producers, as they are now; the others are removed."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    client = connection.get_client(updating=True)
    builder = RecordBuilder()
    products = list(product_records(indexable_products().filter(pk__in=page_ids), builder))
    producers = list(producer_records(indexable_producers().filter(pk__in=page_ids), builder))
    aliases = _aliases()
    actions = itertools.chain(
        _product_actions(products, aliases), _producer_actions(producers, aliases)
    )
    # require_alias: before the first rebuild, never create an index without mappings.
    list(_bulk(client, actions, require_alias=True))
    indexed = {record.page_id for record in itertools.chain(products, producers)}
    delete_documents(page_ids - indexed)
    if refresh:
        _refresh(client)


def delete_documents(page_ids: Iterable[int], refresh: bool = False) -> None:
    """Remove these pages (products or producers, in any language) and their suggestions."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    client = connection.get_client(updating=True)
    list(_bulk(client, _delete_actions(page_ids)))
    if refresh:
        _refresh(client)


def update_place_suggestions() -> None:
    """Index the current craft villages and categories as suggestions; drop the others.

    Before the first rebuild there is no suggestions index: nothing to update, and the
    rebuild indexes the places (the demo loader creates its places before it).
    """
    client = connection.get_client(updating=True)
    aliases = _aliases()
    languages = [
        language
        for language in connection.languages()
        if client.indices.exists_alias(name=aliases["suggest", language])
    ]
    if not languages:
        return
    actions = [
        action
        for action in _place_actions(aliases)
        if action["_index"] in {aliases["suggest", language] for language in languages}
    ]
    current = {action["_id"] for action in actions}
    list(_bulk(client, actions, require_alias=True))
    for language in languages:
        alias = aliases["suggest", language]
        stale = [
            hit["_id"]
            for hit in client.search(
                index=alias,
                query={"terms": {"type": list(PLACE_TYPES)}},
                source=False,
                size=10_000,
            )["hits"]["hits"]
            if hit["_id"] not in current
        ]
        if stale:
            list(_bulk(client, ({"_op_type": "delete", "_index": alias, "_id": i} for i in stale)))
    _refresh(client)


# Failed updates ----------------------------------------------------------------------


def defer(page_ids: Iterable[int], error: Exception) -> None:
    """Remember pages whose update failed: retry_pending() indexes them as they are then."""
    page_ids = set(page_ids)
    message = f"{type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        PendingIndexUpdate.objects.filter(page_id__in=page_ids).update(
            attempts=F("attempts") + 1, last_error=message, updated_at=timezone.now()
        )
        PendingIndexUpdate.objects.bulk_create(
            [PendingIndexUpdate(page_id=page_id, last_error=message) for page_id in page_ids],
            ignore_conflicts=True,
        )


def retry_pending(limit: int | None = None) -> int:
    """Update the pages whose update failed, oldest first; returns how many were retried.

    An update reads the page as it is now, so deleted or unpublished pages leave the
    index. Raises when Elasticsearch fails again; the pages then stay pending.
    """
    started = timezone.now()
    page_ids = list(
        PendingIndexUpdate.objects.order_by("updated_at").values_list("page_id", flat=True)[:limit]
    )
    for start in range(0, len(page_ids), RETRY_BATCH):
        batch = page_ids[start : start + RETRY_BATCH]
        try:
            update_documents(batch)
        except Exception as error:
            defer(batch, error)
            raise
        # Failures recorded meanwhile are newer: those pages stay pending.
        PendingIndexUpdate.objects.filter(page_id__in=batch, updated_at__lte=started).delete()
    return len(page_ids)


# Status ------------------------------------------------------------------------------


def status() -> list[IndexStatus]:
    """Per products and producers alias: the indices behind it and its documents against
    the database."""
    client = connection.get_client(indexing=True)
    counted = {"products": indexable_products, "producers": indexable_producers}
    rows = []
    for kind, language in itertools.product(counted, connection.languages()):
        alias = connection.alias(kind, language)
        indices = _aliased(client, alias)
        documents = client.count(index=alias)["count"] if indices else None
        database = counted[kind]().filter(locale__language_code=language).count()
        rows.append(IndexStatus(alias, indices, documents, database))
    return rows


def pending_count() -> int:
    return PendingIndexUpdate.objects.count()
