"""Admin menu items shared by the sections of the admin."""

from django.http import HttpRequest
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem


class CountingMenuItem(MenuItem):
    """A menu item whose label says how many things wait, e.g. "Inquiries (3 new)"."""

    def count(self, request: HttpRequest) -> int:
        raise NotImplementedError

    def counted_label(self, count: int) -> str:
        """The label with the count, e.g. "%(label)s (%(count)s new)" translated."""
        raise NotImplementedError

    def render_component(self, request: HttpRequest) -> LinkMenuItem:
        count = self.count(request)
        return LinkMenuItem(
            self.name,
            self.counted_label(count) if count else self.label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )
