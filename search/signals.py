"""Keep the search index in step with products, producers, their places, categories and
certificates, and with the facts their translations share."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from marketplace.certificates.decisions import certificate_status_changed
from marketplace.certificates.models import OcopCertificate
from marketplace.core.shared_facts import shared_facts_changed
from marketplace.tasks.queueing import enqueue_with_transaction
from producers.models import CraftVillage, Locality, ProducerPage
from products.models import ProductCategory, ProductPage
from products.queries import products_of_producers
from search import featured
from search.backends.entry_table import entries_changed
from search.tasks import (
    remove_from_search_index,
    update_place_suggestions,
    update_search_index,
)

# While set (see batched_updates), page ids to update are collected, not queued.
_batch: ContextVar[set[int] | None] = ContextVar("search_update_batch", default=None)


@contextmanager
def batched_updates() -> Iterator[None]:
    """Within: the search updates of this thread are collected, then queued as one task
    (on commit) at the end, instead of one per page: for imports of many pages."""
    collected: set[int] = set()
    token = _batch.set(collected)
    try:
        yield
    finally:
        _batch.reset(token)
    _update(collected)


def _update(page_ids: set[int]) -> None:
    if (batch := _batch.get()) is not None:
        batch.update(page_ids)
        return
    if page_ids:
        page_ids = sorted(page_ids)
        enqueue_with_transaction(update_search_index, page_ids)


def _affected(page: Page, *parents: Page | None) -> set[int]:
    """The products and producers at or below `page`, and the producers above it.

    Products carry their producer's name and place; producers count their products.
    """
    below = set(
        ProductPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )
    below |= set(
        ProducerPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )
    above = ProducerPage.objects.ancestor_of(page)
    for parent in parents:
        if parent is not None:
            above |= ProducerPage.objects.ancestor_of(parent, inclusive=True)
    return below | set(above.values_list("pk", flat=True))


def _products_of(producers: QuerySet) -> set[int]:
    """The products directly below these producers."""
    products = products_of_producers(ProductPage.objects.all(), producers.values("path"))
    return set(products.values_list("pk", flat=True))


def _naming(instance) -> set[int]:
    """The products and producers whose records carry this place's or category's name."""
    if isinstance(instance, ProductCategory):
        products = ProductPage.objects.filter(category_id=instance.pk) | ProductPage.objects.filter(
            category__parent_id=instance.pk
        )
        return set(products.values_list("pk", flat=True))
    field = "locality" if isinstance(instance, Locality) else "craft_village"
    producers = ProducerPage.objects.filter(**{field: instance.pk})
    return set(producers.values_list("pk", flat=True)) | _products_of(producers)


def place_or_category_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """A locality, craft village or category renamed (or its slug changed): re-index the
    pages that name it, and the place suggestions."""
    if not created:
        _update(_naming(instance))
    enqueue_with_transaction(update_place_suggestions)


def facts_shared(sender, translations: Iterable, **kwargs) -> None:
    """Translations took new facts from their source: price, place, pictures…"""
    page_ids: set[int] = set()
    for translation in translations:
        if isinstance(translation, ProductPage | ProducerPage):
            page_ids |= _affected(translation)
    _update(page_ids)


def page_changed(sender, instance, **kwargs) -> None:
    """Published, unpublished, renamed (slug) or moved: a product, producer or page above."""
    _update(_affected(instance, kwargs.get("parent_page_before")))


def page_deleted(sender, instance, **kwargs) -> None:
    page_ids = [instance.pk]
    if isinstance(instance, ProductPage):
        # Its database search entry went with it (a cascade, in this transaction): the
        # processes holding the entries read them again (entry_table.entries_version).
        entries_changed()
    enqueue_with_transaction(remove_from_search_index, page_ids)
    # The producer above counts one product fewer (if it is not being deleted too).
    producer = ProducerPage.objects.filter(path=instance.path[: -Page.steplen]).first()
    if producer is not None:
        _update({producer.pk})


def certificate_changed(sender, instance, **kwargs) -> None:
    if instance.page_id:
        _update({instance.page_id})


def certificate_decided(sender, page_ids, **kwargs) -> None:
    _update(set(page_ids))


def connect() -> None:
    for model in (ProductPage, ProducerPage):
        name = model.__name__
        page_published.connect(page_changed, sender=model, dispatch_uid=f"search-pub-{name}")
        page_unpublished.connect(page_changed, sender=model, dispatch_uid=f"search-unpub-{name}")
        page_slug_changed.connect(page_changed, sender=model, dispatch_uid=f"search-slug-{name}")
        post_delete.connect(page_deleted, sender=model, dispatch_uid=f"search-delete-{name}")
    post_page_move.connect(page_changed, dispatch_uid="search-move")
    shared_facts_changed.connect(facts_shared, dispatch_uid="search-shared-facts")
    for model in (Locality, CraftVillage, ProductCategory):
        name = model.__name__
        post_save.connect(place_or_category_changed, sender=model, dispatch_uid=f"search-{name}")
        post_delete.connect(
            place_or_category_changed, sender=model, dispatch_uid=f"search-delete-{name}"
        )
    certificate_status_changed.connect(certificate_decided, dispatch_uid="search-ocop-decision")
    featured.connect()
    for signal in (post_save, post_delete):
        signal.connect(
            certificate_changed, sender=OcopCertificate, dispatch_uid=f"search-ocop-{signal}"
        )
