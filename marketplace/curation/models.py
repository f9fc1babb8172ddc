"""Featured collections: the office's themed selections of products and producers."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, PageChooserPanel
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index

from marketplace.curation.panels import HiddenItemsPanel
from products.models import ProductPage


class FeaturedCollectionQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "FeaturedCollectionQuerySet":
        """Collections shown on a date (today): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )


class FeaturedCollection(TranslatableMixin, index.Indexed, ClusterableModel):
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150)
    intro = models.TextField(_("introduction"), blank=True)
    image = models.ForeignKey(
        "base.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Leave empty to show it until removed.")
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first on the home page.")
    )

    objects = FeaturedCollectionQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Shown")),
        FieldPanel("sort_order"),
        HiddenItemsPanel(),
        InlinePanel("items", heading=_("Items"), label=_("item")),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("featured collection")
        verbose_name_plural = _("featured collections")
        ordering = ["sort_order", "starts_on", "pk"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})

    def get_url(self) -> str:
        """The collection page, under the collection's own language prefix."""
        with translation.override(self.locale.language_code):
            return reverse("curation:collection", kwargs={"slug": self.slug})

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)

    def visible_items(self, limit: int | None = None) -> list["FeaturedCollectionItem"]:
        """The items the public sees, each with `shown_page` in the active language."""
        from marketplace.curation.queries import visible_items

        return visible_items(self, Locale.get_active().pk, limit)

    def dropped_items(self) -> list["FeaturedCollectionItem"]:
        """Items left out automatically: the office is warned about these in the admin."""
        items = self.items.select_related("product", "producer").order_by("sort_order", "pk")
        return [item for item in items if item.drop_reason()]


class FeaturedCollectionItem(Orderable):
    collection = ParentalKey(FeaturedCollection, related_name="items", on_delete=models.CASCADE)
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    producer = models.ForeignKey(
        "producers.ProducerPage",
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [
        PageChooserPanel("product", "products.ProductPage"),
        PageChooserPanel("producer", "producers.ProducerPage"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(product__isnull=False, producer__isnull=True)
                    | models.Q(product__isnull=True, producer__isnull=False)
                ),
                name="curation_item_product_xor_producer",
            )
        ]

    def __str__(self) -> str:
        return str(self.chosen_page or "")

    def clean(self) -> None:
        super().clean()
        if (self.product_id is None) == (self.producer_id is None):
            raise ValidationError(_("Choose either a product or a producer."))

    @property
    def chosen_page(self) -> Page | None:
        return self.product or self.producer

    def drop_reason(self) -> str:
        """Why the public does not see this item, or "" when it does."""
        page = self.chosen_page
        if not page.live:
            return _("Not published")
        if (
            self.product is not None
            and self.product.availability == ProductPage.Availability.OUT_OF_STOCK
        ):
            return _("Out of stock")
        return ""
