"""Wagtail admin views with no hook to scope them, narrowed by producers.admin_scope.

Each is Wagtail's own view with what it lists passed through the rules of admin_scope;
producers/admin_urls.py serves them at Wagtail's addresses, and the admin API endpoints
are swapped in by the construct_admin_api hook (producers/wagtail_hooks.py).
"""

from functools import cache

from django.apps import apps
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page

from producers.admin_scope import is_scoped, scope_queryset, visible_pages


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """/admin/api/main/images/: only the images the user may choose."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.request.user)


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """/admin/api/main/documents/: only the documents the user may choose."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.request.user)


class ScopedBrowseView(BrowseView):
    """The page chooser, browsing under a page: the hook narrows the children listed,
    but the parent page itself (its draft title) is shown whatever it is."""

    def get(self, request: HttpRequest, parent_page_id: int | None = None) -> HttpResponse:
        if parent_page_id is not None:
            parent = Page.objects.filter(pk=parent_page_id)
            if not scope_queryset(parent, request.user).exists():
                raise Http404
        return super().get(request, parent_page_id)


class ScopedChosenMultipleView(ChosenMultipleView):
    """The page chooser's answer for several pages: their titles, for the ids asked."""

    def get(self, request: HttpRequest) -> HttpResponse:
        asked = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        pages = scope_queryset(Page.objects.filter(pk__in=asked), request.user)
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in pages.values_list("pk", flat=True)])
        return super().get(request)


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """The page types report names each type's last edited page: the last the user may see."""

    def decorate_paginated_queryset(self, page_types):
        if is_scoped(self.request.user):
            for page_type in page_types:
                page_type.last_edited_page_id = self.last_visible_page_id(page_type)
        return super().decorate_paginated_queryset(page_types)

    def last_visible_page_id(self, content_type) -> int | None:
        # The same filters and order as Wagtail's report, over the visible pages only.
        pages = visible_pages(self.request.user).filter(content_type=content_type)
        filters = self.filters.form.cleaned_data
        if filters.get("page_locale"):
            pages = pages.filter(locale__language_code=filters["page_locale"])
        if filters.get("site"):
            pages = pages.filter(path__startswith=filters["site"])
        latest = pages.order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return latest.values_list("pk", flat=True).first()


class ScopedBulkActionMixin:
    """A bulk action's confirmation lists the chosen objects the user may not act on:
    only those the user may see are named, the others are left out as if not asked."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra["items_with_no_access"]
        if refused:
            asked = self.model.objects.filter(pk__in=[item.pk for item in refused])
            visible = set(scope_queryset(asked, self.request.user).values_list("pk", flat=True))
            extra["items_with_no_access"] = [item for item in refused if item.pk in visible]
        return objects, extra


@cache
def scoped_bulk_action(action_class: type[BulkAction]) -> type[BulkAction]:
    return type(f"Scoped{action_class.__name__}", (ScopedBulkActionMixin, action_class), {})


def bulk_action(request: HttpRequest, app_label: str, model_name: str, action: str):
    """Wagtail's bulk action dispatcher, running the scoped version of each action."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    return scoped_bulk_action(action_class)(request, model).dispatch(request)
