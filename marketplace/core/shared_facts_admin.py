"""The editor of a translation whose facts follow the source (see shared_facts).

Its shared fields are shown disabled, so nobody types a price that would not stick,
and its shared inline rows (pictures, certificates) are left out of the form and the
page; a notice at the top says where to change them, with a link to the source.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel, Panel

from marketplace.core.chooser_scope import ChooserScopeFormMixin
from marketplace.core.shared_facts import facts_source

SHARED_HELP = _("The same in every language.")


class SharedFactsFormMixin:
    """Shared facts are read-only on translations."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page or snippet the facts follow (SharedFactsNotice links to it), if any.
        self.facts_source = facts_source(self.instance) if self.instance.pk else None
        if self.facts_source is None:
            return
        model = type(self.instance)
        for name in model.shared_fields:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = SHARED_HELP
        for relation in model.shared_child_relations:
            self.formsets.pop(relation, None)


# Both also accept only the images, documents and pages the user may choose (see
# chooser_scope): every page and snippet a producer edits has one of these forms.
class SharedFactsPageForm(SharedFactsFormMixin, ChooserScopeFormMixin, WagtailAdminPageForm):
    pass


class SharedFactsModelForm(SharedFactsFormMixin, ChooserScopeFormMixin, WagtailAdminModelForm):
    """For snippets."""


class SharedInlinePanel(InlinePanel):
    """An InlinePanel of shared rows: not shown where the form has no formset for them."""

    class BoundPanel(InlinePanel.BoundPanel):
        def __init__(self, **kwargs):
            form = kwargs["form"]
            if form is not None and kwargs["panel"].relation_name not in form.formsets:
                Panel.BoundPanel.__init__(self, **kwargs)
                self.label = self.panel.label
                self.formset = None
                self.children = []
                return
            super().__init__(**kwargs)

        def is_shown(self) -> bool:
            if self.form is not None and self.formset is None:
                return False
            return super().is_shown()


class SharedFactsNotice(Panel):
    """On a translation: which facts follow the source, with a link to edit it there."""

    def __init__(self, facts: str = "", **kwargs):
        super().__init__(**kwargs)
        self.facts = facts

    def clone_kwargs(self) -> dict:
        return {**super().clone_kwargs(), "facts": self.facts}

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/panels/shared_facts_notice.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.source = getattr(self.form, "facts_source", None)

        def is_shown(self) -> bool:
            return self.source is not None

        def get_context_data(self, parent_context=None) -> dict:
            context = super().get_context_data(parent_context)
            context["facts"] = self.panel.facts
            context["source"] = self.source
            if self.source is not None:
                context["source_edit_url"] = AdminURLFinder(self.request.user).get_edit_url(
                    self.source
                )
            return context
