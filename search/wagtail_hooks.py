from functools import partial

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from marketplace.core.office import OfficeMenuItem
from search import reports

REPORTS = (
    # (URL path under reports/search/, URL name, view, menu label)
    ("", "top_queries", reports.TopQueriesView, _("Top searches")),
    ("zero-results/", "zero_results", reports.ZeroResultQueriesView, _("Searches with no results")),
    ("no-click/", "no_click", reports.NoClickQueriesView, _("Searches with no click")),
)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    urls = []
    for url_path, name, view, _label in REPORTS:
        urls += [
            path(url_path, view.as_view(), name=name),
            path(f"{url_path}results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    return [path("reports/search/", include((urls, "search_reports")))]


def search_report_menu_item(name: str, label: str, order: int) -> MenuItem:
    return OfficeMenuItem(label, reverse(f"search_reports:{name}"), icon_name="search", order=order)


# One menu item per report, in the Reports menu after Wagtail's own.
for index, (_path, name, _view, label) in enumerate(REPORTS):
    hooks.register(
        "register_reports_menu_item", partial(search_report_menu_item, name, label, 900 + index)
    )
