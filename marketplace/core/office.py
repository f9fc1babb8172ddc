"""The office's role: who it is, the admin views and menu items only it sees.

The office (or a superuser) verifies certificates, moderates listings, curates collections
and reads reports. Every office-only view and menu item checks `is_office_user`.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from wagtail.admin.menu import MenuItem

# The auth group's name (an identifier kept by migrations; users see the office's name).
OFFICE_GROUP = "Agriculture office"


def default_office_name() -> str:
    """The office's Vietnamese name until it is edited in the site settings."""
    return settings.OFFICE_NAME


def default_office_name_en() -> str:
    """The office's English name until it is edited in the site settings."""
    return settings.OFFICE_NAME_EN


def is_office_user(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The office, or a superuser."""
    if not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists()


class OfficeOnlyMixin:
    """Only the office (or a superuser) opens the view; the admin sends anyone
    else back to the dashboard with Wagtail's "permission denied" message."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_office_user(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeMenuItem(MenuItem):
    """An admin menu item shown only to the office."""

    def is_shown(self, request: HttpRequest) -> bool:
        return is_office_user(request.user)
