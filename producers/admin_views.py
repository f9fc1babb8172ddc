"""The producers' admin views: the office's view that gives a producer a login, and the
snippet viewsets of localities and craft villages (registered by wagtail_hooks)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.snippets.views.snippets import SnippetViewSet

from marketplace.core.office import is_office_user
from producers.accounts import account_page, create_producer_account
from producers.admin_forms import ProducerAccountForm
from producers.models import CraftVillage, Locality, ProducerPage


class CreateProducerAccountView(WagtailAdminTemplateMixin, FormView):
    form_class = ProducerAccountForm
    template_name = "producers/admin/create_account.html"
    result_template_name = "producers/admin/account_created.html"
    page_title = _("Create producer account")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, page_id: int) -> HttpResponse:
        if not is_office_user(request.user):
            return permission_denied(request)
        self.object = get_object_or_404(ProducerPage, pk=page_id)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self) -> str:
        return get_latest_str(self.object)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *get_breadcrumbs_items_for_page(self.object, self.request.user),
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.object,
            managers=account_page(self.object).managers.order_by("username"),
            action_url=self.request.path,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.object.pk]),
            submit_button_label=_("Create account"),
            submit_button_active_label=_("Creating…"),
        )
        return context

    def form_valid(self, form: ProducerAccountForm) -> HttpResponse:
        try:
            account = create_producer_account(self.object, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        # Rendered, not redirected to: the temporary password is shown this once only.
        return self.response_class(
            request=self.request,
            template=self.result_template_name,
            context=self.get_context_data(form=form, account=account),
        )


def permission_denied(request: HttpRequest) -> HttpResponse:
    # A real 403: the admin would turn PermissionDenied into a redirect to the dashboard.
    return TemplateResponse(
        request,
        "producers/admin/permission_denied.html",
        {"page_title": _("Permission denied")},
        status=403,
    )


class LocalityViewSet(SnippetViewSet):
    model = Locality
    icon = "site"
    menu_label = _("Localities")
    # A BooleanColumn: a tick or a cross, where a plain column would print True/False.
    list_display = ["name", "kind", "display_order", BooleanColumn("active", label=_("active"))]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


class CraftVillageViewSet(SnippetViewSet):
    model = CraftVillage
    icon = "group"
    menu_label = _("Craft villages")
    list_display = ["name", "locality", "main_crafts"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 310
