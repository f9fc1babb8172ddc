"""The office's curation of the public pages: featured collections (themed selections of
products and producers) and the home page blocks (hero slides, producer of the month, a
highlighted craft village)."""

import datetime
import itertools

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from marketplace.core import rendition_specs as specs
from marketplace.core.admin_search import FoldedSearchMixin
from marketplace.core.text import slug_from
from marketplace.curation.admin_forms import SameLanguagePagesForm, check_same_locale
from marketplace.curation.panels import HiddenItemsPanel
from products.models import ProductPage


class ShownQuerySet(models.QuerySet):
    """Entries shown between their `starts_on` and (optional) `ends_on` dates."""

    def active(self, on: datetime.date | None = None) -> "ShownQuerySet":
        """Shown on a date (today): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )

    def not_ended(self, on: datetime.date | None = None) -> "ShownQuerySet":
        """Shown on a date (today) or later: what the office still has to care about."""
        on = on or timezone.localdate()
        return self.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on))


class ShownBetween(models.Model):
    """A start date and an optional end date: the days the public sees an entry."""

    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Leave empty to show it until removed.")
    )

    objects = ShownQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


def check_unique_in_locale(instance: models.Model, field_name: str, message: str) -> None:
    """Refuse a value another entry of the same language has.

    The admin's forms skip unique_together checks with "locale" (not one of their fields,
    Wagtail sets it), which would end in an IntegrityError.
    """
    value = getattr(instance, field_name)
    if not value or instance.locale_id is None:
        return
    others = type(instance)._default_manager.filter(
        **{field_name: value}, locale_id=instance.locale_id
    )
    if others.exclude(pk=instance.pk).exists():
        raise ValidationError({field_name: message})


def page_drop_reason(page: Page | None) -> str:
    """Why the public cannot be sent to a chosen page, or "" when it can."""
    if page is None:
        return _("Page deleted")
    if not page.live:
        return _("Not published")
    return ""


class FeaturedCollection(
    FoldedSearchMixin, TranslatableMixin, ShownBetween, index.Indexed, ClusterableModel
):
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(
        _("slug"),
        max_length=150,
        blank=True,
        help_text=_(
            "The collection's address: letters without diacritics, digits and hyphens."
            " Left empty, it is made from the title."
        ),
    )
    intro = models.TextField(_("introduction"), blank=True)
    image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first on the home page.")
    )

    panels = [
        # Fills the slug from the title as it is typed, as on pages.
        TitleFieldPanel("title", placeholder=False),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Shown")),
        FieldPanel("sort_order"),
        HiddenItemsPanel(),
        InlinePanel("items", heading=_("Items"), label=_("item")),
    ]
    base_form_class = SameLanguagePagesForm
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("featured collection")
        verbose_name_plural = _("featured collections")
        ordering = ["sort_order", "starts_on", "pk"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.fill_slug()
        super().save(*args, **kwargs)

    def rendition_plan(self) -> list[tuple]:
        """The banner, on the home page and the collection's page."""
        return [(self.image, (specs.BANNER,))]

    def clean(self) -> None:
        super().clean()
        self.fill_slug()
        check_unique_in_locale(self, "slug", _("Another collection has this slug."))

    def fill_slug(self) -> None:
        """Without a slug, one from the folded title, free in the collection's language."""
        if self.slug or not self.title:
            return
        base = slug_from(self.title, max_length=140) or "collection"
        others = FeaturedCollection.objects.exclude(pk=self.pk)
        if self.locale_id is not None:
            others = others.filter(locale_id=self.locale_id)
        taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
        self.slug = next(
            slug
            for slug in itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
            if slug not in taken
        )

    def get_url(self) -> str:
        """The collection page, under the collection's own language prefix."""
        with translation.override(self.locale.language_code):
            return reverse("curation:collection", kwargs={"slug": self.slug})

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
        if reason := page_drop_reason(self.chosen_page):
            return reason
        if (
            self.product is not None
            and self.product.availability == ProductPage.Availability.OUT_OF_STOCK
        ):
            return _("Out of stock")
        return ""


class HeroSlide(TranslatableMixin, ShownBetween):
    """A slide of the home page's hero: a campaign or a page the office puts first."""

    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=300, blank=True)
    image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # SET_NULL: a deleted page hides the slide and the office is warned, the slide stays.
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("links to"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    button_label = models.CharField(
        _("button label"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty for “Find out more”."),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("The lowest number is the first slide.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("image"),
        PageChooserPanel("link_page"),
        FieldPanel("button_label"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Shown")),
        FieldPanel("sort_order"),
        HiddenItemsPanel(
            hidden_text=_("The public does not see this slide until its page is published:"),
            shown_text=_("The public sees this slide on the days it is shown."),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("hero slide")
        verbose_name_plural = _("hero slides")
        ordering = ["sort_order", "starts_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        check_same_locale(self.link_page, self.locale_id, "link_page")

    def rendition_plan(self) -> list[tuple]:
        """The home page's hero and the slides' cards."""
        return [(self.image, (specs.WIDE, specs.CARD))]

    @property
    def chosen_page(self) -> Page | None:
        return self.link_page

    def drop_reason(self) -> str:
        return page_drop_reason(self.link_page)

    def dropped_items(self) -> list["HeroSlide"]:
        return [self] if self.drop_reason() else []


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def this_month() -> datetime.date:
    return first_of_month(timezone.localdate())


class ProducerOfTheMonth(TranslatableMixin, models.Model):
    """One producer the home page puts forward for a calendar month."""

    producer = models.ForeignKey(
        "producers.ProducerPage",
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(
        _("month"),
        default=this_month,
        help_text=_("Any day of the month: the producer is shown for that whole month."),
    )
    note = models.TextField(
        _("note"), max_length=400, blank=True, help_text=_("Why the office chose them.")
    )

    panels = [
        PageChooserPanel("producer", "producers.ProducerPage"),
        FieldPanel("month"),
        FieldPanel("note"),
        HiddenItemsPanel(
            hidden_text=_("The public does not see this producer until their page is published:"),
            shown_text=_("The public sees this producer on the home page during the month."),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("producer of the month")
        verbose_name_plural = _("producers of the month")
        ordering = ["-month", "pk"]
        unique_together = [("translation_key", "locale"), ("month", "locale")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}: {self.producer}" if self.producer_id else ""

    def save(self, *args, **kwargs) -> None:
        self.month = first_of_month(self.month)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.month:
            self.month = first_of_month(self.month)
        check_unique_in_locale(
            self, "month", _("There is already a producer of the month for this month.")
        )

    @property
    def chosen_page(self) -> Page:
        return self.producer

    def drop_reason(self) -> str:
        return page_drop_reason(self.producer)

    def dropped_items(self) -> list["ProducerOfTheMonth"]:
        return [self] if self.drop_reason() else []


class CraftVillageHighlight(TranslatableMixin, ShownBetween):
    """A craft village the home page puts forward for a while."""

    craft_village = models.ForeignKey(
        "producers.CraftVillage",
        verbose_name=_("craft village"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.TextField(_("note"), max_length=400, blank=True)

    panels = [
        FieldPanel("craft_village"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Shown")),
        FieldPanel("note"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("highlighted craft village")
        verbose_name_plural = _("highlighted craft villages")
        # The latest started highlight wins when several overlap.
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return str(self.craft_village) if self.craft_village_id else ""
