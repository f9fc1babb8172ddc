from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class HiddenItemsPanel(Panel):
    """Read-only warning on the edit form: the items the public no longer sees, and why.

    The instance gives them with `dropped_items()`, each with `chosen_page` and
    `drop_reason()`.
    """

    def __init__(self, hidden_text=None, shown_text=None, **kwargs):
        kwargs.setdefault("heading", _("Hidden items"))
        super().__init__(**kwargs)
        # `is None`: the truth of a lazy string would translate it while the apps load.
        if hidden_text is None:
            hidden_text = _(
                "These items are hidden from the public until they are published and in stock"
                " again:"
            )
        if shown_text is None:
            shown_text = _("The public sees every item of this collection.")
        self.hidden_text = hidden_text
        self.shown_text = shown_text

    def clone_kwargs(self) -> dict:
        kwargs = super().clone_kwargs()
        kwargs.update(hidden_text=self.hidden_text, shown_text=self.shown_text)
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        template_name = "curation/panels/hidden_items_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["dropped_items"] = self.instance.dropped_items() if self.instance.pk else []
            context["hidden_text"] = self.panel.hidden_text
            context["shown_text"] = self.panel.shown_text
            return context
