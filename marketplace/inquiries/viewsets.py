"""The "Inquiries" section of the admin: its menu item, URLs and views."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSet

from marketplace.core.admin_menu import CountingMenuItem
from marketplace.inquiries.admin_views import (
    InquiryDetailView,
    InquiryIndexView,
    NewInquiriesPanel,
    payment_decision,
)
from marketplace.inquiries.permissions import has_inquiry_access, new_inquiries_for


class InquiriesMenuItem(CountingMenuItem):
    """Shown to the office and producers only, with the number of new inquiries."""

    def is_shown(self, request) -> bool:
        return has_inquiry_access(request.user)

    def count(self, request) -> int:
        return new_inquiries_for(request.user).count()

    def counted_label(self, count: int) -> str:
        return _("%(label)s (%(count)s new)") % {"label": self.label, "count": count}


class InquiryViewSet(ViewSet):
    # Not "inquiries": that is the namespace of the public pages (inquiry list, tracking).
    name = "inquiries_admin"
    url_prefix = "inquiries"
    icon = "mail"
    menu_label = gettext_lazy("Inquiries")
    menu_name = "inquiries"
    menu_order = 150  # after Pages: answering customers is the producers' daily work
    add_to_admin_menu = True
    menu_item_class = InquiriesMenuItem

    def get_common_view_kwargs(self, **kwargs) -> dict:
        return super().get_common_view_kwargs(
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            detail_url_name=self.get_url_name("detail"),
            header_icon=self.icon,
            **kwargs,
        )

    @property
    def index_view(self):
        return self.construct_view(InquiryIndexView)

    @property
    def index_results_view(self):
        return self.construct_view(InquiryIndexView, results_only=True)

    @property
    def detail_view(self):
        return self.construct_view(
            InquiryDetailView, payment_decision_url_name=self.get_url_name("payment_decision")
        )

    def get_urlpatterns(self) -> list:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.detail_view, name="detail"),
            path(
                "<int:pk>/payments/<int:payment_pk>/decision/",
                payment_decision,
                name="payment_decision",
            ),
        ]

    def new_inquiries_panel(self, user) -> NewInquiriesPanel:
        return NewInquiriesPanel(
            user,
            index_url=reverse(self.get_url_name("index")),
            detail_url_name=self.get_url_name("detail"),
        )
