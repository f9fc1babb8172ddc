from django.contrib import messages
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.widgets import Button

from marketplace.core.office import OfficeMenuItem, is_office_user
from marketplace.guidance import acting
from marketplace.guidance.admin_views import (
    ActForProducerView,
    OfficeGuideView,
    ProducerGuideView,
)
from marketplace.guidance.checklist import onboarding_checklist, own_producer
from marketplace.guidance.panels import OnboardingChecklistPanel
from producers.models import ProducerPage


@hooks.register("register_admin_urls")
def register_guidance_urls():
    return [
        path("guide/producers/", ProducerGuideView.as_view(), name="guidance_producer_guide"),
        path("guide/office/", OfficeGuideView.as_view(), name="guidance_office_guide"),
        path("act-for/", ActForProducerView.as_view(), name="guidance_act_for_producer"),
    ]


class ProducerGuideMenuItem(MenuItem):
    """The producers' guide, for everyone but the office (which has its own)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return not is_office_user(request.user)


class ActForProducerMenuItem(OfficeMenuItem):
    """ "Act for a producer", or, while acting, "Acting for X" (the way to stop)."""

    def render_component(self, request: HttpRequest) -> LinkMenuItem:
        producer = acting.acting_producer(request)
        label = self.label
        if producer is not None:
            label = gettext("Acting for %(producer)s") % {"producer": producer}
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_menu_item")
def register_guide_menu_item():
    return ProducerGuideMenuItem(
        _("Guide"), reverse("guidance_producer_guide"), icon_name="help", order=10000
    )


@hooks.register("register_admin_menu_item")
def register_office_guide_menu_item():
    return OfficeMenuItem(
        _("Office guide"), reverse("guidance_office_guide"), icon_name="help", order=10000
    )


@hooks.register("register_admin_menu_item")
def register_act_for_menu_item():
    # Near the top: the help desk's official sees at a glance whom they act for.
    return ActForProducerMenuItem(
        _("Act for a producer"), reverse("guidance_act_for_producer"), icon_name="user", order=105
    )


@hooks.register("construct_homepage_panels")
def add_onboarding_checklist(request: HttpRequest, panels: list) -> None:
    producer = acting.acting_producer(request)
    if producer is not None:
        panels.append(OnboardingChecklistPanel(onboarding_checklist(producer), acting=True))
        return
    if is_office_user(request.user):
        return
    producer = own_producer(request.user)
    if producer is not None:
        panels.append(OnboardingChecklistPanel(onboarding_checklist(producer)))


def act_for_button(page, user, priority: int):
    """The office's "Act for this producer", on producer pages only."""
    if page.specific_class is ProducerPage and is_office_user(user):
        yield Button(
            _("Act for this producer"),
            f"{reverse('guidance_act_for_producer')}?producer={page.pk}",
            icon_name="user",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def act_for_header_button(page, user, view_name, next_url=None):
    yield from act_for_button(page, user, priority=91)


@hooks.register("register_page_listing_more_buttons")
def act_for_listing_button(page, user, next_url=None):
    yield from act_for_button(page, user, priority=91)


def remind_acting(request: HttpRequest, page) -> None:
    """Says in the editor whether the changes will be recorded on the producer's behalf."""
    producer = acting.acting_producer(request)
    if producer is None or request.method != "GET":
        return
    if acting.acting_for(producer).covers(page.pk):
        messages.info(
            request,
            gettext("You are acting for %(producer)s: this change is recorded on its behalf.")
            % {"producer": producer},
        )
    else:
        messages.warning(
            request,
            gettext(
                "You are acting for %(producer)s, but this page is not theirs: this change "
                "is recorded as your own."
            )
            % {"producer": producer},
        )


@hooks.register("before_edit_page")
def remind_acting_on_edit(request: HttpRequest, page):
    remind_acting(request, page)


@hooks.register("before_create_page")
def remind_acting_on_create(request: HttpRequest, parent_page, page_class):
    remind_acting(request, parent_page)
