"""Admin texts Wagtail 8.0.1 and wagtail-localize 1.14.5 fix in one language, made to
follow each request's admin language.

- The snippet chooser's buttons ("Choose locality", "Edit this locality") are
  interpolated when the widget is built, once per form class and process, in the
  language of whichever request built it first: they are interpolated when shown.
- The listing's count ("1 translation") puts a model's name after the number without
  translating it; a model without a translated verbose name (wagtail-localize's
  Translation) stays English: the name goes through the catalogue.
- The translations report's locale filters take their labels from field names
  ("Source locale"): they get translatable labels.

Each is applied once, from BaseConfig.ready(); drop one when upstream fixes it.
"""

from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.paginator import WagtailPaginator
from wagtail.snippets.widgets import AdminSnippetChooser

# Wagtail's own msgids, translated by its catalogue and locale_upstream/: under another
# name, so that makemessages leaves them out of ours.
wagtail_text = gettext_lazy


def _interpolate(template: str, name: str) -> str:
    return str(template) % {"object": name}


interpolate_lazy = lazy(_interpolate, str)


def lazy_snippet_chooser_texts() -> None:
    original_init = AdminSnippetChooser.__init__
    if getattr(original_init, "lazy_texts", False):
        return

    def __init__(self, model=None, **kwargs):
        original_init(self, model=model, **kwargs)
        name = self.model._meta.verbose_name
        self.choose_one_text = interpolate_lazy(wagtail_text("Choose %(object)s"), name)
        self.choose_another_text = interpolate_lazy(wagtail_text("Choose another %(object)s"), name)
        self.link_to_chosen_text = interpolate_lazy(wagtail_text("Edit this %(object)s"), name)

    __init__.lazy_texts = True
    AdminSnippetChooser.__init__ = __init__


def items_count_label(self: WagtailPaginator) -> str:
    name = self.verbose_name if self.count == 1 else self.verbose_name_plural
    return f"{self.count} {gettext(str(name))}"


def translated_items_count_label() -> None:
    label = cached_property(items_count_label)
    label.__set_name__(WagtailPaginator, "items_count_label")
    WagtailPaginator.items_count_label = label


def translations_report_filter_labels() -> None:
    from wagtail_localize.views.report import TranslationsReportFilterSet

    filters = TranslationsReportFilterSet.base_filters
    filters["source_locale"].label = gettext_lazy("Source language")
    filters["target_locale"].label = gettext_lazy("Target language")


def apply() -> None:
    lazy_snippet_chooser_texts()
    translated_items_count_label()
    translations_report_filter_labels()
