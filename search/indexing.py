"""Building and following the Elasticsearch indices of the catalogue search.

`rebuild()` loads fresh, versioned indices (e.g. chocop-products-vi-20261127040000)
and then moves the aliases that searches use in one atomic request, so searches keep
answering from the old indices until the new ones are complete.
"""

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from search import es
from search.catalogue import ProductRecord, indexable_products, product_records
from search.documents import (
    INDEX_SETTINGS,
    PRODUCT_MAPPINGS,
    SUGGEST_MAPPINGS,
    other_suggestions,
    product_document,
    product_suggestion,
)

BATCH_SIZE = 1000
IN_FLIGHT = 2  # bulk requests sent while the next batch is built
KINDS = {"products": PRODUCT_MAPPINGS, "suggest": SUGGEST_MAPPINGS}

Progress = Callable[[int, int], None]  # (done, total)


@dataclasses.dataclass(frozen=True)
class IndexStatus:
    alias: str
    indices: list[str]
    documents: int | None  # None when the alias is missing
    database: int


def _batches(ids: list[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _records(page_ids: Iterable[int] | None = None) -> Iterator[ProductRecord]:
    """Records of all indexable products (or of `page_ids`), built a batch at a time."""
    products = indexable_products()
    if page_ids is not None:
        products = products.filter(pk__in=list(page_ids))
    ids = list(products.values_list("pk", flat=True))
    for batch in _batches(ids):
        yield from product_records(products.filter(pk__in=batch))


def _product_actions(records: Iterable[ProductRecord], indices: dict) -> Iterator[dict]:
    """Bulk actions indexing each record and its suggestion; `indices` maps (kind, language)."""
    for record in records:
        products = indices.get(("products", record.language))
        if products is None:
            continue
        yield {"_index": products, "_id": record.page_id, "_source": product_document(record)}
        yield {
            "_index": indices[("suggest", record.language)],
            "_id": f"product-{record.page_id}",
            "_source": product_suggestion(record),
        }


def _other_actions(indices: dict) -> Iterator[dict]:
    for language in es.languages():
        for doc_id, source in other_suggestions(language):
            yield {"_index": indices[("suggest", language)], "_id": doc_id, "_source": source}


def _bulk(client: Elasticsearch, actions: Iterable[dict], **options) -> Iterator[bool]:
    for ok, item in streaming_bulk(
        client, actions, chunk_size=BATCH_SIZE, raise_on_error=False, **options
    ):
        if not ok and next(iter(item.values())).get("status") != 404:
            raise RuntimeError(f"Elasticsearch refused a document: {item}")
        yield ok


def _create_indices(client: Elasticsearch) -> dict[tuple[str, str], str]:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    indices = {}
    for language in es.languages():
        for kind, mappings in KINDS.items():
            name = f"{es.alias(kind, language)}-{stamp}"
            # No refreshes while loading: one at the end is much faster.
            client.indices.create(
                index=name,
                settings={**INDEX_SETTINGS, "refresh_interval": "-1"},
                mappings=mappings,
            )
            indices[(kind, language)] = name
    return indices


def _aliased(client: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def _swap_aliases(client: Elasticsearch, indices: dict[tuple[str, str], str]) -> list[str]:
    """Point every alias at its new index in one request; returns the old indices."""
    actions, old = [], []
    for (kind, language), index in indices.items():
        alias = es.alias(kind, language)
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
    client: Elasticsearch, actions: Iterable[dict], progress: Progress | None, total: int
) -> None:
    """Send `actions` in bulk from other threads while this one reads the database.

    Records are built here: Django's connections belong to their thread.
    """
    done = 0
    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        pending: deque[Future] = deque()
        for chunk in _chunks(actions, BATCH_SIZE):
            pending.append(pool.submit(lambda c: sum(1 for _ in _bulk(client, c)), chunk))
            while len(pending) >= IN_FLIGHT or (pending and pending[0].done()):
                done += pending.popleft().result()
                if progress:
                    progress(min(done // 2, total), total)
        for future in pending:
            future.result()


def rebuild(progress: Progress | None = None) -> int:
    """Index every indexable product in new indices, then swap the aliases; returns the count."""
    client = es.get_client(indexing=True)
    total = indexable_products().count()
    indices = _create_indices(client)
    try:
        _load(client, _product_actions(_records(), indices), progress, total)
        _load(client, _other_actions(indices), None, 0)
        names = list(indices.values())
        client.indices.put_settings(index=names, settings={"refresh_interval": None})
        client.indices.refresh(index=names)
    except Exception:
        client.indices.delete(index=list(indices.values()), ignore_unavailable=True)
        raise
    old = _swap_aliases(client, indices)
    if old:
        client.indices.delete(index=old, ignore_unavailable=True)
    if progress:
        progress(total, total)
    return client.count(index=[indices[("products", lang)] for lang in es.languages()])["count"]


def _alias_indices() -> dict[tuple[str, str], str]:
    return {
        (kind, language): es.alias(kind, language) for kind in KINDS for language in es.languages()
    }


def update_documents(page_ids: Iterable[int], refresh: bool = False) -> None:
    """Index the products `page_ids` as they are now; those no longer live are removed."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    client = es.get_client(indexing=True)
    records = list(_records(page_ids))
    # require_alias: before the first rebuild, never create an index without mappings.
    list(_bulk(client, _product_actions(records, _alias_indices()), require_alias=True))
    gone = page_ids - {record.page_id for record in records}
    delete_documents(gone, refresh=False)
    if refresh:
        client.indices.refresh(index=list(_alias_indices().values()), ignore_unavailable=True)


def delete_documents(page_ids: Iterable[int], refresh: bool = False) -> None:
    """Remove the products `page_ids` (in any language) and their suggestions."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    client = es.get_client(indexing=True)
    actions = []
    for language in es.languages():
        for page_id in page_ids:
            actions.append(
                {"_op_type": "delete", "_index": es.alias("products", language), "_id": page_id}
            )
            actions.append(
                {
                    "_op_type": "delete",
                    "_index": es.alias("suggest", language),
                    "_id": f"product-{page_id}",
                }
            )
    list(_bulk(client, actions))
    if refresh:
        client.indices.refresh(index=list(_alias_indices().values()), ignore_unavailable=True)


def status() -> list[IndexStatus]:
    """Per products alias: the indices behind it and its documents against the database."""
    client = es.get_client(indexing=True)
    rows = []
    for language in es.languages():
        alias = es.alias("products", language)
        indices = _aliased(client, alias)
        documents = client.count(index=alias)["count"] if indices else None
        database = indexable_products().filter(locale__language_code=language).count()
        rows.append(IndexStatus(alias, indices, documents, database))
    return rows
