"""GET filter forms of the public product and producer listings.

Filters come from URLs people edit and share: a value that does not validate is
dropped, never an error page.
"""

from typing import Any

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from producers.models import CraftVillage, Locality, ProducerPage
from products.models import ProductCategory, ProductPage


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


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProductCategory) -> str:
        # Sub-categories follow their group, indented: "str(obj)" would query each parent.
        return f"— {obj.name}" if obj.parent_id else obj.name


def categories_in_tree_order(locale: Locale) -> Any:
    """Each OCOP group followed by its sub-categories."""
    return (
        ProductCategory.objects.filter(locale=locale)
        .annotate(
            group_order=Coalesce("parent__display_order", "display_order"),
            group_id=Coalesce("parent_id", "id"),
        )
        .order_by(
            "group_order", "group_id", F("parent_id").asc(nulls_first=True), "display_order", "name"
        )
    )


def active_localities(locale: Locale) -> Any:
    return Locality.objects.filter(locale=locale, active=True)


class ProductFilterForm(ListingFilterForm):
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=ProductCategory.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    stars = forms.TypedMultipleChoiceField(
        label=_("OCOP stars"),
        choices=ProductPage.ocop_certificate_model()._meta.get_field("stars").choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=[("", _("Any availability")), *ProductPage.Availability.choices],
        required=False,
    )

    def __init__(self, data=None, *, locale: Locale, with_category: bool = True, **kwargs):
        super().__init__(data, locale=locale, **kwargs)
        if with_category:
            self.fields["category"].queryset = categories_in_tree_order(locale)
        else:
            # The category/<slug>/ route has chosen the category already.
            del self.fields["category"]


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
