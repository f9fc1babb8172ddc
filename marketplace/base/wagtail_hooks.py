import copy
import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.staticfiles import versioned_static
from wagtail.utils.version import get_main_version

from marketplace.base.admin_names import WORKFLOW_LOG_ACTIONS, TranslatedNamesLogFormatter
from marketplace.base.models import HomePageFeaturedProduct


@hooks.register("featured_product_keys")
def products_chosen_for_a_home_page(on: datetime.date) -> QuerySet:
    """Search ranks the products the office chose for a home page higher, every day."""
    return HomePageFeaturedProduct.objects.values_list("product__translation_key", flat=True)


# After Wagtail's own (order 0): its workflow formatters, wrapped.
@hooks.register("register_log_actions", order=100)
def translate_workflow_names_in_history(actions) -> None:
    """The history and reports show a workflow's and task's name as logged: the stable
    English name. Shown in the reader's language instead."""
    for action in WORKFLOW_LOG_ACTIONS:
        formatter = actions.formatters.get(action)
        if formatter is not None:
            actions.formatters[action] = TranslatedNamesLogFormatter(formatter)


# Wagtail 8.0.1 ("What's new in Wagtail …") and wagtail-localize 1.14.5 ("Translations")
# translate these menu labels once, when the menu is first built, in the language of that
# request: they are translated again for each request, on a copy of the shared item.
def fresh_menu_label(item: MenuItem) -> str | None:
    if item.name.startswith("whats-new-in-wagtail-"):
        return gettext("What's new in Wagtail %(version)s") % {
            "version": get_main_version(include_patch=False)
        }
    if item.url == reverse("wagtail_localize:translations_report"):
        return gettext("Translations")
    return None


def translate_frozen_menu_labels(request, menu_items: list[MenuItem]) -> None:
    for index, item in enumerate(menu_items):
        label = fresh_menu_label(item)
        if label is not None:
            menu_items[index] = copy.copy(item)
            menu_items[index].label = label


hooks.register("construct_help_menu", translate_frozen_menu_labels)
hooks.register("construct_reports_menu", translate_frozen_menu_labels)


@hooks.register("insert_editor_js")
def translation_editor_js() -> str:
    """wagtail-localize 1.14.5's translation editor writes two texts in English in its
    React bundle, outside gettext (the heading of its segments and "More actions"): the
    script translates them with the admin's JavaScript catalogue. Editors print this hook
    before their scripts; the translation editor's own are translated by djangojs.po."""
    return format_html('<script src="{}"></script>', versioned_static("js/translation-editor.js"))
