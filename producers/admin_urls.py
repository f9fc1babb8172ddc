"""Wagtail admin addresses served by the scoped views of producers.admin_scope_views.

Included before Wagtail's admin URLs (marketplace/urls.py), so these win; the paths are
Wagtail's, and they have no names, so Wagtail's own names still reverse to them.
"""

from django.urls import path
from wagtail.admin.auth import require_admin_access

from producers import admin_scope_views as views

urlpatterns = [
    path(
        "choose-page/<int:parent_page_id>/",
        require_admin_access(views.ScopedBrowseView.as_view()),
    ),
    path(
        "choose-page/chosen-multiple/",
        require_admin_access(views.ScopedChosenMultipleView.as_view()),
    ),
    path(
        "reports/page-types-usage/",
        require_admin_access(views.ScopedPageTypesUsageReportView.as_view()),
    ),
    path(
        "reports/page-types-usage/results/",
        require_admin_access(views.ScopedPageTypesUsageReportView.as_view(results_only=True)),
    ),
    path(
        "bulk/<str:app_label>/<str:model_name>/<str:action>/",
        require_admin_access(views.bulk_action),
    ),
]
