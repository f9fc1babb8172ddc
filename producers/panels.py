from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ManagersPanel(Panel):
    """Read-only list of the accounts that manage a producer (set by create_producer_account)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Accounts that manage this producer"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "producers/panels/managers_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["managers"] = list(page.managers) if page.pk else []
            return context
