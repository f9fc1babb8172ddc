from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from producers.models import CraftVillage, Locality


class LocalityViewSet(SnippetViewSet):
    model = Locality
    icon = "site"
    menu_label = _("Localities")
    list_display = ["name", "kind", "display_order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


class CraftVillageViewSet(SnippetViewSet):
    model = CraftVillage
    icon = "group"
    menu_label = _("Craft villages")
    list_display = ["name", "locality", "main_crafts"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 310


register_snippet(LocalityViewSet)
register_snippet(CraftVillageViewSet)
