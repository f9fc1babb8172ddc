"""Building and following the Elasticsearch indices of the catalogue search.

`rebuild()` loads fresh, versioned indices (e.g. chocop-products-vi-20261127040000) of
products, producers and suggestions, created from the Document classes of the
`documents` module beside this one, and then moves the aliases that searches use in one
atomic request, so searches keep answering from the old indices until the new ones are
complete.

Updates made while a rebuild runs would go to the old indices only, which the swap
drops: each update first records its pages in the rebuild's journal, and the rebuild
indexes them again, as they are then, before the swap and after it (see "The rebuild's
journal" below). The journal lives in Elasticsearch, so an update from any process or
machine (a web server, a task worker) reaches it.

Updates that fail (the node is down, or refuses) are remembered as
`PendingIndexUpdate` rows and retried by `retry_pending()`; a rebuild makes them moot.
"""

import contextlib
import dataclasses
import datetime
import itertools
import logging
import os
import socket
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from elasticsearch import (
    ApiError,
    BadRequestError,
    ConflictError,
    Elasticsearch,
    NotFoundError,
    TransportError,
)
from elasticsearch.helpers import scan, streaming_bulk
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
RETRY_BATCH = 500  # pages re-indexed at a time (retries, a rebuild's journal)
PLACE_TYPES = ("craft_village", "category")  # suggestions that are not pages
KINDS: dict[str, type[SourceDocument]] = {
    "products": ProductDocument,
    "producers": ProducerDocument,
    "suggest": SuggestionDocument,
}

# While loading: no refreshes (one at the end is much faster), no fsync per request, no
# replica (copied once loaded: cheaper than indexing every document twice).
LOADING_SETTINGS = {
    "refresh_interval": "-1",
    "translog.durability": "async",
    "auto_expand_replicas": "false",
    "number_of_replicas": 0,
}
# Then: the defaults, and the replicas of INDEX_SETTINGS.
LOADED_SETTINGS = {
    "refresh_interval": None,
    "translog.durability": None,
    "auto_expand_replicas": INDEX_SETTINGS["auto_expand_replicas"],
}
REPLICAS_TIMEOUT = "50s"  # waited for before the swap, within INDEXING_TIMEOUT
LEASE_SECONDS = 300  # a rebuild whose journal lease is older than this has died
HEARTBEAT_SECONDS = 30
LEASE_ID = "lease"

logger = logging.getLogger(__name__)

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


def _delete_actions(page_ids: Iterable[int], indices: Indices) -> Iterator[dict]:
    """Remove these pages, products or producers, in every language."""
    for language, page_id in itertools.product(connection.languages(), page_ids):
        for kind in ("products", "producers"):
            yield {"_op_type": "delete", "_index": indices[kind, language], "_id": page_id}
            yield {
                "_op_type": "delete",
                "_index": indices["suggest", language],
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


# The rebuild's journal ---------------------------------------------------------------
#
# One index per prefix, `<prefix>-rebuilds`, holds a lease (one rebuild at a time, renewed
# by a heartbeat, taken over when its rebuild died) and, while a rebuild runs, a record of
# each update made meanwhile. Updates write those records through the alias
# `<prefix>-rebuild-journal` with `require_alias`: the alias exists only while a rebuild
# runs, so otherwise the write is refused (404) and costs that one request. The alias is
# added before the rebuild reads the first page and removed by the very request that
# swaps the aliases: an update either reached the journal before the swap, or writes to
# the new indices. The record is written before the update itself, so the rebuild, which
# reads the journal after the swap, sees every update that went to the old indices.


class RebuildInProgress(TransportError):
    """Another process is rebuilding the indices: its lease is fresh.

    A TransportError so that the callers that report Elasticsearch failures (the
    search_index command, search.completeness) report this one too.
    """


JOURNAL_MAPPINGS = {
    "dynamic": False,
    "properties": {
        "page_ids": {"type": "long"},
        "places": {"type": "boolean"},
        "owner": {"type": "keyword", "index": False},
        "heartbeat": {"type": "date", "index": False},
    },
}
RECORDS = {"bool": {"must_not": {"ids": {"values": [LEASE_ID]}}}}


def journal_index() -> str:
    return f"{connection.index_prefix()}-rebuilds"


def journal_alias() -> str:
    return f"{connection.index_prefix()}-rebuild-journal"


def _record(client: Elasticsearch, page_ids: Iterable[int] = (), places: bool = False) -> None:
    """Record these pages (or a change of places) for the rebuild running now, if any."""
    try:
        client.index(
            index=journal_alias(),
            document={"page_ids": sorted(page_ids), "places": places},
            require_alias=True,
        )
    except NotFoundError:
        pass  # no rebuild runs


@dataclasses.dataclass
class _Lease:
    owner: str
    seq_no: int
    primary_term: int
    lost: bool = False  # another rebuild took it over


def _lease_source(owner: str) -> dict:
    return {"owner": owner, "heartbeat": timezone.now().isoformat()}


def _acquire(client: Elasticsearch) -> _Lease:
    """The rebuild lease; RebuildInProgress when another rebuild holds it and is alive."""
    index = journal_index()
    try:
        client.indices.create(index=index, settings=INDEX_SETTINGS, mappings=JOURNAL_MAPPINGS)
    except BadRequestError as error:
        if error.error != "resource_already_exists_exception":
            raise
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    for _attempt in range(3):
        try:
            answer = client.create(index=index, id=LEASE_ID, document=_lease_source(owner))
            return _Lease(owner, answer["_seq_no"], answer["_primary_term"])
        except ConflictError:
            pass
        try:
            held = client.get(index=index, id=LEASE_ID)
        except NotFoundError:
            continue  # released meanwhile
        holder, beat = held["_source"]["owner"], held["_source"]["heartbeat"]
        silent = (timezone.now() - datetime.datetime.fromisoformat(beat)).total_seconds()
        if silent < LEASE_SECONDS:
            raise RebuildInProgress(
                f"another search index rebuild is running ({holder}, alive {silent:.0f} s ago)"
            )
        logger.warning("Taking over the search rebuild lease of %s (silent %.0f s)", holder, silent)
        try:
            # Conditional: of two processes taking over, one wins.
            answer = client.index(
                index=index,
                id=LEASE_ID,
                document=_lease_source(owner),
                if_seq_no=held["_seq_no"],
                if_primary_term=held["_primary_term"],
            )
        except ConflictError:
            continue
        return _Lease(owner, answer["_seq_no"], answer["_primary_term"])
    raise RebuildInProgress("another search index rebuild just started")


def _renew(client: Elasticsearch, lease: _Lease) -> None:
    try:
        answer = client.index(
            index=journal_index(),
            id=LEASE_ID,
            document=_lease_source(lease.owner),
            if_seq_no=lease.seq_no,
            if_primary_term=lease.primary_term,
        )
    except ConflictError:
        lease.lost = True
        return
    lease.seq_no, lease.primary_term = answer["_seq_no"], answer["_primary_term"]


@contextlib.contextmanager
def _journal(client: Elasticsearch) -> Iterator[_Lease]:
    """Within: this process holds the rebuild lease and updates are recorded."""
    lease = _acquire(client)
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                _renew(client, lease)
            except Exception:  # the next beat may pass; the swap checks `lost`
                logger.warning("Could not renew the search rebuild lease", exc_info=True)

    thread = threading.Thread(target=heartbeat, name="search-rebuild-lease", daemon=True)
    thread.start()
    try:
        _clear_records(client)
        client.indices.put_alias(index=journal_index(), name=journal_alias())
        yield lease
    finally:
        stop.set()
        thread.join()
        _close_journal(client, lease)


def _close_journal(client: Elasticsearch, lease: _Lease) -> None:
    """Stop recording (the swap did, unless the rebuild failed before it) and release
    the lease. Left behind when Elasticsearch fails now: the next rebuild takes over
    once the lease is LEASE_SECONDS old."""
    try:
        with contextlib.suppress(NotFoundError):
            client.indices.delete_alias(index=journal_index(), name=journal_alias())
        with contextlib.suppress(ConflictError, NotFoundError):  # taken over
            client.delete(
                index=journal_index(),
                id=LEASE_ID,
                if_seq_no=lease.seq_no,
                if_primary_term=lease.primary_term,
            )
    except Exception:  # keep the rebuild's own error, if any
        logger.warning("Could not close the search rebuild journal", exc_info=True)


def _clear_records(client: Elasticsearch) -> None:
    """Drop the records of earlier rebuilds: moot, this one reads every page after this.

    One by one: the test distribution has no delete-by-query (no reindex module).
    """
    client.indices.refresh(index=journal_index())
    records = scan(client, index=journal_index(), query={"query": RECORDS}, _source=False)
    actions = (
        {"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]} for hit in records
    )
    list(_bulk(client, actions))


def _recorded(client: Elasticsearch) -> tuple[set[int], bool]:
    """The pages recorded in the journal so far, and whether places changed."""
    client.indices.refresh(index=journal_index())
    page_ids: set[int] = set()
    places = False
    for hit in scan(client, index=journal_index(), query={"query": RECORDS}):
        page_ids.update(hit["_source"]["page_ids"])
        places = places or hit["_source"]["places"]
    return page_ids, places


def _replay(client: Elasticsearch, page_ids: set[int], places: bool, indices: Indices) -> None:
    ordered = sorted(page_ids)
    for start in range(0, len(ordered), RETRY_BATCH):
        _index_pages(client, ordered[start : start + RETRY_BATCH], indices)
    if places:
        _index_places(client, indices, connection.languages())


def running_rebuild() -> str:
    """Who holds the rebuild lease and when it last renewed it; "" when no rebuild runs."""
    client = connection.get_client(indexing=True)
    try:
        held = client.get(index=journal_index(), id=LEASE_ID)["_source"]
    except NotFoundError:
        return ""
    return f"{held['owner']}, alive at {held['heartbeat']}"


# Rebuild -----------------------------------------------------------------------------


def _create_indices(client: Elasticsearch) -> Indices:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    indices = {}
    for language, (kind, document) in itertools.product(connection.languages(), KINDS.items()):
        name = f"{connection.alias(kind, language)}-{stamp}"
        index = Index(name, using=client)
        index.settings(**{**INDEX_SETTINGS, **LOADING_SETTINGS})
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
    """Point every alias at its new index and close the journal, in one request; returns
    the old indices."""
    actions, old = [], []
    for (kind, language), index in indices.items():
        alias = connection.alias(kind, language)
        for previous in _aliased(client, alias):
            actions.append({"remove": {"index": previous, "alias": alias}})
            old.append(previous)
        actions.append({"add": {"index": index, "alias": alias}})
    actions.append({"remove": {"index": journal_index(), "alias": journal_alias()}})
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


def _wait_for_replicas(client: Elasticsearch, names: list[str]) -> None:
    """Let the new indices get their replicas before searches use them (a node lost
    right after the swap then loses no product); go on without after REPLICAS_TIMEOUT."""
    try:
        client.cluster.health(index=names, wait_for_status="green", timeout=REPLICAS_TIMEOUT)
    except ApiError as error:
        if error.meta.status != 408:  # timed out: the cluster has too few nodes now
            raise
        logger.warning("Search indices swapped in before their replicas were allocated")


def rebuild(
    progress: Progress | None = None, before_swap: Callable[[], object] | None = None
) -> int:
    """Index every indexable product and producer in new indices, then swap the aliases.

    Updates made meanwhile (in any process) are recorded in the journal and indexed into
    the new indices too: before the swap, and again after it for the latest. `before_swap`
    runs just before the swap, once the rows are read (tests change pages there).
    Pending updates from before the rebuild are dropped: it read the pages after them.
    Raises RebuildInProgress when another rebuild runs. Returns the number of products
    indexed.
    """
    started = timezone.now()
    client = connection.get_client(indexing=True)
    with _journal(client) as lease:
        total = indexable_products().count()
        indices = _create_indices(client)
        names = list(indices.values())
        builder = RecordBuilder()
        try:
            products = product_records(indexable_products(), builder)
            _load(client, _product_actions(products, indices), progress, total)
            producers = producer_records(indexable_producers(), builder)
            _load(client, _producer_actions(producers, indices))
            _load(client, _place_actions(indices))
            client.indices.put_settings(index=names, settings=LOADED_SETTINGS)
            client.indices.refresh(index=names)
            _wait_for_replicas(client, names)
            # The updates made while loading, so that the swap shows them at once.
            _replay(client, *_recorded(client), indices)
            if before_swap:
                before_swap()
            if lease.lost:
                raise RebuildInProgress("another search index rebuild took this one's lease")
        except Exception:
            client.indices.delete(index=names, ignore_unavailable=True)
            raise
        old = _swap_aliases(client, indices)
        # The updates made until the swap: they went to the old indices only.
        page_ids, places = _recorded(client)
        try:
            _replay(client, page_ids, places, indices)
        except Exception as error:  # live already: retried as any failed update is
            logger.warning("Re-indexing the pages updated during the rebuild failed", exc_info=True)
            defer(page_ids, error)
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


def _index_pages(
    client: Elasticsearch, page_ids: Iterable[int], indices: Indices, **options
) -> None:
    """Index these pages as they are now into `indices`; the others are removed."""
    page_ids = set(page_ids)
    builder = RecordBuilder()
    products = list(product_records(indexable_products().filter(pk__in=page_ids), builder))
    producers = list(producer_records(indexable_producers().filter(pk__in=page_ids), builder))
    actions = itertools.chain(
        _product_actions(products, indices), _producer_actions(producers, indices)
    )
    list(_bulk(client, actions, **options))
    indexed = {record.page_id for record in itertools.chain(products, producers)}
    list(_bulk(client, _delete_actions(page_ids - indexed, indices)))


def update_documents(page_ids: Iterable[int], refresh: bool = False) -> None:
    """Index these pages, products or producers, as they are now; the others are removed."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    client = connection.get_client(updating=True)
    _record(client, page_ids)
    # require_alias: before the first rebuild, never create an index without mappings.
    _index_pages(client, page_ids, _aliases(), require_alias=True)
    if refresh:
        _refresh(client)


def delete_documents(page_ids: Iterable[int], refresh: bool = False) -> None:
    """Remove these pages (products or producers, in any language) and their suggestions."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    client = connection.get_client(updating=True)
    _record(client, page_ids)
    list(_bulk(client, _delete_actions(page_ids, _aliases())))
    if refresh:
        _refresh(client)


def _index_places(client: Elasticsearch, indices: Indices, languages: list[str], **options) -> None:
    """Index the current craft villages and categories as suggestions into the suggestion
    indices of `languages`; drop the others."""
    targets = {indices["suggest", language] for language in languages}
    actions = [action for action in _place_actions(indices) if action["_index"] in targets]
    current = {action["_id"] for action in actions}
    list(_bulk(client, actions, **options))
    for index in targets:
        stale = [
            hit["_id"]
            for hit in client.search(
                index=index,
                query={"terms": {"type": list(PLACE_TYPES)}},
                source=False,
                size=10_000,
            )["hits"]["hits"]
            if hit["_id"] not in current
        ]
        if stale:
            list(_bulk(client, ({"_op_type": "delete", "_index": index, "_id": i} for i in stale)))


def update_place_suggestions() -> None:
    """Index the current craft villages and categories as suggestions; drop the others.

    Before the first rebuild there is no suggestions index: nothing to update, and the
    rebuild indexes the places (the demo loader creates its places before it).
    """
    client = connection.get_client(updating=True)
    _record(client, places=True)
    aliases = _aliases()
    languages = [
        language
        for language in connection.languages()
        if client.indices.exists_alias(name=aliases["suggest", language])
    ]
    if not languages:
        return
    _index_places(client, aliases, languages, require_alias=True)
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
