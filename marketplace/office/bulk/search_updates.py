"""One search and reference index update for a whole import instead of several per page.

Saving and publishing a page updates Wagtail's search and reference indexes (on each
save) and queues a catalogue search update (search/signals.py): thousands of small
updates make an import of thousands of rows slow. Within `batched()`, in this thread
only, Wagtail's updates are paused and the catalogue's are collected into one task;
the pages the import changed get their Wagtail indexes updated in bulk after commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from marketplace.core.page_writer import add_to_wagtail_indexes, search_and_reference_index_paused
from producers.models import ProducerPage
from products.models import ProductPage
from search.signals import batched_updates


def update_wagtail_indexes(page_ids: set[int]) -> None:
    """Wagtail's own search index (the admin's page search) and reference index, for these
    pages and their translations (which took their facts, see core.shared_facts)."""
    for model in (ProductPage, ProducerPage):
        keys = model.objects.filter(pk__in=page_ids).values("translation_key")
        pages = model.objects.filter(translation_key__in=keys).values_list("pk", flat=True)
        add_to_wagtail_indexes(model, pages, new=False)


@contextmanager
def batched() -> Iterator[set[int]]:
    """Within: no per-page index updates in this thread. Add the changed pages' ids to
    the set yielded: Wagtail's indexes take them together once the transaction commits
    (the catalogue search gets its collected updates then too)."""
    changed: set[int] = set()
    with batched_updates(), search_and_reference_index_paused():
        yield changed
    if changed:
        transaction.on_commit(lambda: update_wagtail_indexes(changed))
