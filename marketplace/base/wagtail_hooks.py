import datetime

from django.db.models import QuerySet
from wagtail import hooks

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
