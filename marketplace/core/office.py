"""The agriculture office's role: who it is, the admin views and menu items only it sees.

The office (or a superuser) verifies certificates, moderates listings, curates collections
and reads reports. Every office-only view and menu item checks `is_office_user`.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from wagtail.admin.menu import MenuItem

OFFICE_GROUP = "Agriculture office"


def is_office_user(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The agriculture office, or a superuser."""
    if not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists()


class OfficeOnlyMixin:
    """Only the agriculture office (or a superuser) opens the view; the admin sends anyone
    else back to the dashboard with Wagtail's "permission denied" message."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_office_user(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeMenuItem(MenuItem):
    """An admin menu item shown only to the office."""

    def is_shown(self, request: HttpRequest) -> bool:
        return is_office_user(request.user)
