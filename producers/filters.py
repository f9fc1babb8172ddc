"""GET filter forms of the public producer listings, and the base every listing shares.

Filters come from URLs people edit and share: a value that does not validate is
dropped, never an error page.
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from producers.models import CraftVillage, Locality, ProducerPage


class ListingFilterForm(forms.Form):
    """Filters both listings share: the locality (phường/xã) of the producer."""

    use_required_attribute = False

    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All localities"),
    )

    def __init__(self, data=None, *, locale: Locale, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.fields["locality"].queryset = active_localities(locale)

    def filters(self) -> dict[str, Any]:
        """The fields that validated and are not empty, by name."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", [], ())
        }

    def chosen_values(self) -> str:
        """The form's own values in the query string, in a fixed order: with the content
        and the language, all its rendering depends on (its kept fragment's key)."""
        if not self.is_bound:
            return ""
        return urlencode(
            sorted((name, value) for name in self.fields for value in self.data.getlist(name))
        )

    def active_count(self) -> int:
        """How many filter values are chosen (each ticked box counts), for the folded panel."""
        return sum(
            len(value) if isinstance(value, list | tuple) else 1
            for value in self.filters().values()
        )


def active_localities(locale: Locale) -> Any:
    return Locality.objects.filter(locale=locale, active=True)


class ProducerFilterForm(ListingFilterForm):
    legal_form = forms.ChoiceField(
        label=_("Type of producer"),
        choices=[("", _("All types")), *ProducerPage.LegalForm.choices],
        required=False,
    )
    craft_village = forms.ModelChoiceField(
        label=_("Craft village"),
        queryset=CraftVillage.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All craft villages"),
    )

    def __init__(self, data=None, *, locale: Locale, **kwargs):
        super().__init__(data, locale=locale, **kwargs)
        self.fields["craft_village"].queryset = CraftVillage.objects.filter(locale=locale)
