from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search import reports


def search_report(request: HttpRequest) -> HttpResponse:
    if not reports.can_view_report(request.user):
        raise PermissionDenied
    return render(
        request,
        "search/admin/search_report.html",
        {
            "days": reports.REPORT_DAYS,
            "top_queries": reports.top_queries(),
            "zero_result_queries": reports.zero_result_queries(),
        },
    )


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return reports.can_view_report(request.user)


@hooks.register("register_admin_urls")
def register_search_report_url():
    return [path("reports/search/", search_report, name="search_report")]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return SearchReportMenuItem(
        _("Catalogue searches"), reverse("search_report"), icon_name="search", order=900
    )
