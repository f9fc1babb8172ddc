"""Keep the search index in step with products, their producers and certificates."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from producers.models import ProducerPage
from products.models import OcopCertificate, ProductPage
from search.tasks import remove_from_search_index, update_search_index


def _update(page_ids: list[int]) -> None:
    if page_ids:
        transaction.on_commit(lambda: update_search_index.enqueue(page_ids))


def _products_under(page) -> list[int]:
    return list(
        ProductPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )


def page_changed(sender, instance, **kwargs) -> None:
    """A product, or a page above products (a producer: its name and place are searched)."""
    _update(_products_under(instance))


def product_deleted(sender, instance, **kwargs) -> None:
    page_ids = [instance.pk]
    transaction.on_commit(lambda: remove_from_search_index.enqueue(page_ids))


def certificate_changed(sender, instance, **kwargs) -> None:
    if instance.page_id:
        _update([instance.page_id])


def connect() -> None:
    for model in (ProductPage, ProducerPage):
        page_published.connect(
            page_changed, sender=model, dispatch_uid=f"search-pub-{model.__name__}"
        )
        page_unpublished.connect(
            page_changed, sender=model, dispatch_uid=f"search-unpub-{model.__name__}"
        )
        page_slug_changed.connect(
            page_changed, sender=model, dispatch_uid=f"search-slug-{model.__name__}"
        )
    post_page_move.connect(page_changed, dispatch_uid="search-move")
    post_delete.connect(product_deleted, sender=ProductPage, dispatch_uid="search-delete")
    for signal in (post_save, post_delete):
        signal.connect(
            certificate_changed, sender=OcopCertificate, dispatch_uid=f"search-ocop-{signal}"
        )
