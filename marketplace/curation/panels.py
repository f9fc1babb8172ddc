from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class HiddenItemsPanel(Panel):
    """Read-only warning on the edit form: the items the public no longer sees, and why."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Hidden items"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "curation/panels/hidden_items_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            collection = self.instance
            context["dropped_items"] = collection.dropped_items() if collection.pk else []
            return context
