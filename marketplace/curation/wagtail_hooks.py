import datetime

from django.db.models import QuerySet
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from marketplace.core.office import is_office_user
from marketplace.curation.admin_views import CurationViewSetGroup, DroppedItemsPanel
from marketplace.curation.dropouts import dropped_items
from marketplace.curation.models import FeaturedCollection, FeaturedCollectionItem

register_snippet(CurationViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_dropped_items_panel(request, panels: list) -> None:
    if is_office_user(request.user) and (items := dropped_items()):
        panels.append(DroppedItemsPanel(items))


@hooks.register("featured_product_keys")
def products_in_collections_shown(on: datetime.date) -> QuerySet:
    """Search ranks the products of the featured collections shown on the date higher."""
    return FeaturedCollectionItem.objects.filter(
        collection__in=FeaturedCollection.objects.active(on), product__isnull=False
    ).values_list("product__translation_key", flat=True)
