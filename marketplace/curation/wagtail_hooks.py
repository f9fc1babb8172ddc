from wagtail import hooks
from wagtail.snippets.models import register_snippet

from marketplace.core.office import is_office_user
from marketplace.curation.admin_views import CurationViewSetGroup, DroppedItemsPanel
from marketplace.curation.dropouts import dropped_items

register_snippet(CurationViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_dropped_items_panel(request, panels: list) -> None:
    if is_office_user(request.user) and (items := dropped_items()):
        panels.append(DroppedItemsPanel(items))
