"""The products' admin views: the snippet viewset of product categories (registered by
wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from products.models import ProductCategory


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "folder-open-inverse"
    menu_label = _("Product categories")
    list_display = ["name", "parent", "ocop_group", "display_order"]
    list_filter = ["ocop_group"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 320
