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
from products.facets import (
    DEFAULT_LISTING_SORT,
    LISTING_SORTS,
    PRICE_RANGE_KEYS,
    price_range_labels,
    sort_choices,
)
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

    # The search's price ranges and sorts (products.facets), under the same names.
    price = forms.MultipleChoiceField(
        label=_("Price"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=(), required=False)

    def __init__(self, data=None, *, locale: Locale, with_category: bool = True, **kwargs):
        super().__init__(data, locale=locale, **kwargs)
        if with_category:
            self.fields["category"].queryset = categories_in_tree_order(locale)
        else:
            # The category/<slug>/ route has chosen the category already.
            del self.fields["category"]
        self.fields["price"].choices = list(price_range_labels().items())
        self.fields["sort"].choices = sort_choices(LISTING_SORTS)

    def sort_order(self) -> str:
        """The sort asked for, or the newest first."""
        self.is_valid()
        return self.cleaned_data.get("sort") or DEFAULT_LISTING_SORT

    def filters(self) -> dict[str, Any]:
        """The filters that validated, without the sort (see sort_order())."""
        filters = super().filters()
        filters.pop("sort", None)
        return filters

    def show_price_counts(self, counts: dict[str, int]) -> None:
        """Label each price range with its number of products, as the search does; ranges
        without products are left out unless chosen (the field has validated already)."""
        chosen = set(self.cleaned_data.get("price") or ()) if self.is_bound else set()
        labels = price_range_labels()
        # A callable: `counts` may be lazy, read only if the field is rendered.
        self.fields["price"].choices = lambda: [
            (key, f"{labels[key]} ({counts.get(key, 0)})")
            for key in PRICE_RANGE_KEYS
            if counts.get(key) or key in chosen
        ]
