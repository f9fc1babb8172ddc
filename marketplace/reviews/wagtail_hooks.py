from wagtail import hooks

from marketplace.reviews.admin_views import review_viewset
from marketplace.reviews.queries import review_structured_data


@hooks.register("register_admin_viewset")
def register_review_viewset():
    return review_viewset


@hooks.register("product_structured_data")
def reviews_in_product_structured_data(page, request) -> dict:
    """aggregateRating and review in the product's JSON-LD (marketplace.base.seo)."""
    return review_structured_data(page)
