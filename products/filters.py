"""GET filter forms of the public product listings (the shared base: producers.filters).

Filters come from URLs people edit and share: a value that does not validate is
dropped, never an error page.
"""

from typing import Any

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from producers.filters import ListingFilterForm
from products.models import ProductCategory, ProductPage


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
