from wagtail import hooks

from marketplace.core.admin_search import in_requested_locale


@hooks.register("construct_page_chooser_queryset")
def chooser_in_requested_locale(pages, request):
    return in_requested_locale(pages, request)
