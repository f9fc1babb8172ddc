"""The search's "featured" signal, kept in step with the office's curation.

A product is featured while it is chosen for a home page or sits in a featured
collection shown that day (search.catalogue.featured_product_keys). Editing a
collection re-indexes its products at once; collections starting or ending with the
date are caught by `refresh_featured_products`, which the task worker queues daily, or
`search_index featured` (both harmless to run often).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from marketplace.curation.models import FeaturedCollection, FeaturedCollectionItem
from products.models import ProductPage
from search.catalogue import featured_product_keys
from search.models import ProductSearchEntry
from search.tasks import update_search_index


def _reindex_translations(translation_keys: set) -> None:
    """Re-index the products with these keys, in every language, after the commit."""
    if not translation_keys:
        return

    def reindex() -> None:
        page_ids = sorted(
            ProductPage.objects.filter(translation_key__in=translation_keys).values_list(
                "pk", flat=True
            )
        )
        if page_ids:
            update_search_index.enqueue(page_ids)

    transaction.on_commit(reindex)


def collection_changed(sender, instance: FeaturedCollection, **kwargs) -> None:
    """Dates changed or the collection went: its products may gain or lose the signal."""
    _reindex_translations(
        set(
            FeaturedCollectionItem.objects.filter(
                collection_id=instance.pk, product__isnull=False
            ).values_list("product__translation_key", flat=True)
        )
    )


def item_changed(sender, instance: FeaturedCollectionItem, **kwargs) -> None:
    if instance.product_id:
        key = (
            ProductPage.objects.filter(pk=instance.product_id)
            .values_list("translation_key", flat=True)
            .first()
        )
        _reindex_translations({key} if key else set())


def stale_featured_pages() -> list[int]:
    """Products whose indexed "featured" flag is not today's (the database entries and the
    Elasticsearch documents are written together, so the entries tell for both)."""
    keys = featured_product_keys()
    entries = ProductSearchEntry.objects.values_list("page_id", "page__translation_key", "featured")
    return sorted(page_id for page_id, key, featured in entries if featured != (key in keys))


def refresh_featured() -> int:
    """Re-index the products whose featured state changed with the date; returns how many."""
    page_ids = stale_featured_pages()
    if page_ids:
        update_search_index.enqueue(page_ids)
    return len(page_ids)


@task()
def refresh_featured_products() -> int:
    """Scheduled daily (settings.TASK_SCHEDULE): refresh_featured() in the task worker."""
    return refresh_featured()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            collection_changed, sender=FeaturedCollection, dispatch_uid=f"search-fc-{signal}"
        )
        signal.connect(
            item_changed, sender=FeaturedCollectionItem, dispatch_uid=f"search-fci-{signal}"
        )
