from wagtail import hooks

from marketplace.inquiries.admin_views import InquiryViewSet
from marketplace.inquiries.permissions import has_inquiry_access

inquiry_viewset = InquiryViewSet()


@hooks.register("register_admin_viewset")
def register_inquiry_viewset() -> InquiryViewSet:
    return inquiry_viewset


@hooks.register("construct_homepage_panels")
def add_new_inquiries_panel(request, panels: list) -> None:
    if has_inquiry_access(request.user):
        panels.append(inquiry_viewset.new_inquiries_panel(request.user))
