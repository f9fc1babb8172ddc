import datetime

from django.db.models import QuerySet
from wagtail import hooks

from marketplace.base.models import HomePageFeaturedProduct


@hooks.register("featured_product_keys")
def products_chosen_for_a_home_page(on: datetime.date) -> QuerySet:
    """Search ranks the products the office chose for a home page higher, every day."""
    return HomePageFeaturedProduct.objects.values_list("product__translation_key", flat=True)
