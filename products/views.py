"""The catalogue: every product, or one category's, filtered by the GET parameters."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from marketplace.core.navigation import Breadcrumb, filters_key, paginate
from products.filters import ProductFilterForm
from products.models import ProductCategory, ProductIndexPage
from products.queries import (
    catalogue_breadcrumbs,
    category_url,
    filtered_listing,
    live_products,
    product_cards,
    with_card_data,
)

PRODUCTS_PER_PAGE = 24


def product_list(
    request: HttpRequest, index_page: ProductIndexPage, category_slug: str | None = None
) -> TemplateResponse:
    category = None
    if category_slug is not None:
        category = get_object_or_404(
            ProductCategory.objects.select_related("parent"),
            locale_id=index_page.locale_id,
            slug=category_slug,
        )
    form = ProductFilterForm(request.GET, locale=index_page.locale, with_category=category is None)
    filters = form.filters()
    is_filtered = bool(filters)
    if category is not None:
        filters["category"] = category
    products, price_counts = filtered_listing(
        with_card_data(live_products(index_page.locale_id)), filters, form.sort_order()
    )
    form.show_price_counts(price_counts)
    counted_as = ("products", index_page.locale_id, filters_key(filters))
    page_obj = paginate(request, products, PRODUCTS_PER_PAGE, counted_as)
    context = {
        "form": form,
        "is_filtered": is_filtered,
        "category": category,
        "page_obj": page_obj,
        "products": product_cards(page_obj.object_list),
    }
    if category is not None:
        context.update(
            subcategories=[
                (subcategory, category_url(index_page, subcategory))
                for subcategory in category.subcategories.all()
            ],
            # The category is the current page: its crumb is not a link.
            breadcrumbs=[
                *catalogue_breadcrumbs(index_page, category)[:-1],
                Breadcrumb(category.name),
            ],
            seo_title=category.name,
            seo_description=category.description,
        )
    return index_page.render(request, context_overrides=context)
