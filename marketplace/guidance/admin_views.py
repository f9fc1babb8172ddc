"""The guides for producers and the office, and the office's "Act for a producer"."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Locale

from marketplace.core.office import OfficeOnlyMixin, is_office_user
from marketplace.guidance import acting
from marketplace.guidance.guides import OFFICE_GUIDE, PRODUCER_GUIDE
from producers.models import ProducerPage


class TitledMixin:
    """The page's title as the header's last breadcrumb (the admin's slim header)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class GuideView(TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "guidance/guide.html"
    header_icon = "help"
    sections = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = self.sections
        context["is_office"] = is_office_user(self.request.user)
        return context


class ProducerGuideView(GuideView):
    """For producers; the office reads it too, to help them."""

    page_title = _("Guide for producers")
    sections = PRODUCER_GUIDE


class OfficeGuideView(OfficeOnlyMixin, GuideView):
    page_title = _("Guide for the office")
    sections = OFFICE_GUIDE


def producer_choices():
    """The producers in the default language, by name: the pages their accounts edit."""
    return ProducerPage.objects.filter(locale=Locale.get_default()).order_by("title")


class ActForProducerForm(forms.Form):
    producer = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=ProducerPage.objects.none(),
        empty_label=_("Choose a producer"),
        help_text=_("The producer you are helping at the desk."),
        error_messages={"invalid_choice": _("Choose a producer from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producer_choices()


class ActForProducerView(OfficeOnlyMixin, TitledMixin, WagtailAdminTemplateMixin, TemplateView):
    """Choose the producer the office acts for, or stop. POST `action=start|stop`."""

    template_name = "guidance/act_for_producer.html"
    page_title = _("Act for a producer")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form", ActForProducerForm(initial={"producer": self.request.GET.get("producer")})
        )
        context["acting_for"] = acting.acting_producer(self.request)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "stop":
            producer = acting.acting_producer(request)
            acting.stop_acting(request)
            if producer is not None:
                messages.success(
                    request,
                    gettext("You no longer act for %(producer)s.") % {"producer": producer},
                )
            return redirect("guidance_act_for_producer")
        form = ActForProducerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        producer = form.cleaned_data["producer"]
        acting.start_acting(request, producer)
        messages.success(
            request,
            gettext(
                "You are acting for %(producer)s: your changes to its pages, photos and "
                "documents are recorded on its behalf."
            )
            % {"producer": producer},
        )
        return redirect(reverse("wagtailadmin_explore", args=[producer.pk]))
