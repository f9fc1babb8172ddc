"""Products, the OCOP product groups they belong to, and their other certifications.

A product's OCOP certificates (ProductPage.ocop_certificates) are the model of
marketplace.certificates, a layer above products: products reaches them only through
that relation, never by importing them.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from marketplace.core import rendition_specs as specs
from marketplace.core.admin_search import FoldedSearchMixin
from marketplace.core.blocks import StoryBlock, story_rendition_plan
from marketplace.core.shared_facts import SharedFactsMixin, not_overridable
from marketplace.core.shared_facts_admin import (
    SharedFactsModelForm,
    SharedFactsNotice,
    SharedFactsPageForm,
    SharedInlinePanel,
)
from marketplace.core.url_segments import LocalizedRoutesMixin, localized_route
from products.qr import product_qr_response

MAX_PRICE_VND = 1_000_000_000
MAX_ORDER_QUANTITY = 100_000

# Labels are built lazily so each request sees them in its own language.
_month_label = lazy(lambda month: gettext("Month %(month)s") % {"month": month}, str)
MONTH_CHOICES = [(month, _month_label(month)) for month in range(1, 13)]

# The six product groups of Decision 148/2023.
PRODUCT_GROUP_CHOICES = [
    (1, _("Food")),
    (2, _("Beverages")),
    (3, _("Medicinal herbs and herbal products")),
    (4, _("Handicrafts")),
    (5, _("Ornamental plants and animals")),
    (6, _("Community and eco-tourism services and destinations")),
]
# Group 6's products are visits (tours, homestays): asked for by date and party size.
EXPERIENCE_GROUP = 6

# Sales units that price a visit per person (normalised: lower case, single spaces), so
# that its estimate is the price times the party; any other unit of a visit ("room per
# night", "table for 4") needs the producer's answer.
PER_PERSON_UNITS = frozenset(
    {"người", "khách", "1 người", "mỗi người", "người/lượt", "lượt khách"}
    | {"person", "per person", "1 person", "people", "guest", "per guest", "pax", "per pax"}
)


class MonthsField(models.JSONField):
    """A list of months (1–12), edited as twelve checkboxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=MONTH_CHOICES,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class ProductCategory(
    FoldedSearchMixin, SharedFactsMixin, TranslatableMixin, index.Indexed, models.Model
):
    """An OCOP product group (Decision 148/2023) or a sub-category under one."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcategories",
        help_text=_("Leave empty for one of the six OCOP product groups."),
    )
    ocop_group = models.PositiveSmallIntegerField(
        _("OCOP group"),
        choices=PRODUCT_GROUP_CHOICES,
        null=True,
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    # The same in every language (see marketplace.core.shared_facts); the rest is text.
    shared_fields = ("parent", "ocop_group", "display_order")
    override_translatable_fields = not_overridable(shared_fields)
    base_form_class = SharedFactsModelForm

    panels = [
        SharedFactsNotice(facts=_("The parent category, OCOP group and order")),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("ocop_group"),
        FieldPanel("description"),
        FieldPanel("display_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["display_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent} › {self.name}"
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Sub-categories can only be one level deep.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})


class ProductIndexPage(FoldedSearchMixin, LocalizedRoutesMixin, Page):
    """The whole catalogue, filterable; products of one category at category/<slug>/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["base.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    route_slug_models = {"category": ProductCategory}

    class Meta:
        verbose_name = _("product index page")

    @path("")
    def product_list(self, request):
        from products.views import product_list

        return product_list(request, self)

    @path(localized_route("category/<slug:slug>/"))
    def category(self, request, slug):
        from products.views import product_list

        return product_list(request, self, category_slug=slug)


class ProductTag(TaggedItemBase):
    content_object = ParentalKey(
        "products.ProductPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ProductPage(FoldedSearchMixin, SharedFactsMixin, LocalizedRoutesMixin, Page):
    class Availability(models.TextChoices):
        IN_STOCK = "in_stock", _("In stock")
        SEASONAL = "seasonal", _("Seasonal")
        MADE_TO_ORDER = "made_to_order", _("Made to order")
        OUT_OF_STOCK = "out_of_stock", _("Out of stock")

    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    # Help on the fields producers find hard, each with an example (the town's training).
    short_description = models.TextField(
        _("short description"),
        max_length=300,
        help_text=_(
            "One or two sentences: what it is and where it comes from. E.g. “Anchovy fish "
            "sauce aged 12 months in wooden barrels in Điện Dương.”"
        ),
    )
    body = StreamField(
        StoryBlock(),
        verbose_name=_("description"),
        blank=True,
        help_text=_(
            "Short paragraphs with photos: ingredients, how it is made, how to use or keep it."
        ),
    )
    price_vnd = models.PositiveBigIntegerField(
        _("price (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PRICE_VND)],
        help_text=_("Whole đồng, e.g. 120000."),
    )
    price_on_request = models.BooleanField(
        _("price on request"),
        default=False,
        help_text=_(
            "Tick it when the price depends on the order, e.g. gift boxes made to order, and "
            "leave the price empty."
        ),
    )
    unit = models.CharField(
        _("sales unit"),
        max_length=100,
        help_text=_("What one price buys, e.g. “500 ml bottle”, “kg”, “box of 10 packs”."),
    )
    minimum_order_quantity = models.PositiveIntegerField(
        _("minimum order quantity"),
        default=1,
        help_text=_("The fewest units sold at once, e.g. 6 when you sell by the case of 6."),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ORDER_QUANTITY)],
    )
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.IN_STOCK,
        help_text=_(
            "Seasonal: sold in some months only (tick them below). Made to order: give the "
            "lead time."
        ),
    )
    season_months = MonthsField(
        _("season months"),
        default=list,
        blank=True,
        help_text=_(
            "For seasonal products: the months it is available, e.g. 5 to 8 for a summer fruit."
        ),
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("Days from the customer’s confirmation to delivery, e.g. 7."),
    )
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    ingredients = models.TextField(_("ingredients or materials"), blank=True)
    storage_advice = models.TextField(_("storage advice"), blank=True)
    traceability_code = models.CharField(_("traceability code"), max_length=100, blank=True)
    traceability_url = models.URLField(
        _("traceability record"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_(
            "The web address of the product’s record in the province’s or the national "
            "traceability system: the address the QR code on the package opens."
        ),
    )
    tags = ClusterTaggableManager(through=ProductTag, blank=True, verbose_name=_("tags"))

    # Facts, the same in every language (see marketplace.core.shared_facts); the rest is
    # text, translated.
    shared_fields = (
        "category",
        "price_vnd",
        "price_on_request",
        "minimum_order_quantity",
        "availability",
        "season_months",
        "lead_time_days",
        "traceability_code",
        "traceability_url",
    )
    shared_child_relations = ("gallery_images", "ocop_certificates", "certifications")
    base_form_class = SharedFactsPageForm

    content_panels = Page.content_panels + [
        SharedFactsNotice(facts=_("The category, price, availability, images and certificates")),
        FieldPanel("category"),
        FieldPanel("short_description"),
        SharedInlinePanel("gallery_images", label=_("Images"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("price_vnd"), FieldPanel("price_on_request")]),
                FieldRowPanel([FieldPanel("unit"), FieldPanel("minimum_order_quantity")]),
                FieldPanel("availability"),
                FieldPanel("season_months"),
                FieldPanel("lead_time_days"),
            ],
            heading=_("Price and availability"),
        ),
        SharedInlinePanel("ocop_certificates", label=_("OCOP certificates")),
        SharedInlinePanel("certifications", label=_("Other certifications")),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("shelf_life"),
                FieldPanel("ingredients"),
                FieldPanel("storage_advice"),
                FieldPanel("traceability_code"),
                FieldPanel("traceability_url"),
                FieldPanel("tags"),
            ],
            heading=_("Details"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("short_description"),
        index.FilterField("availability"),
    ]

    # The gallery's rows have no translation key: wagtail-localize copies it whole.
    override_translatable_fields = not_overridable((*shared_fields, "gallery_images"))

    parent_page_types = ["producers.ProducerPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.price_on_request and self.price_vnd is not None:
            errors["price_vnd"] = _("Leave the price empty when it is “on request”.")
        elif not self.price_on_request and self.price_vnd is None:
            errors["price_vnd"] = _("Enter a price in đồng, or tick “price on request”.")
        if self.availability == self.Availability.SEASONAL and not self.season_months:
            errors["season_months"] = _("Choose the months of the season.")
        if self.availability != self.Availability.SEASONAL:
            self.season_months = []
        if errors:
            raise ValidationError(errors)

    @cached_property
    def ocop_group(self) -> int | None:
        """The OCOP product group: its category's, else the group the category is under.

        Card querysets annotate it (products.queries.with_card_data), saving the queries.
        """
        category = self.category
        if category.ocop_group is None and category.parent_id:
            return category.parent.ocop_group
        return category.ocop_group

    @property
    def takes_visit_request(self) -> bool:
        """Whether the list asks for a visit (date, party, language) instead of a quantity:
        the experiences of OCOP group 6, decided by the category alone."""
        return self.ocop_group == EXPERIENCE_GROUP

    @property
    def priced_per_person(self) -> bool:
        """Whether the price is for one person (a visit's estimate is then price × party)."""
        return " ".join(self.unit.lower().split()) in PER_PERSON_UNITS

    @property
    def producer(self):
        """The ProducerPage this product belongs to (its parent)."""
        return self.get_parent().specific

    def rendition_plan(self) -> list[tuple]:
        """The renditions this product's images are shown in (marketplace.core.renditions_ahead):
        the first image is the card's, the search's and the office list's thumbnail."""
        images = [item.image for item in self.gallery_images.select_related("image")]
        first = (
            [(images[0], (specs.CARD, specs.SEARCH_THUMBNAIL, specs.OFFICE_THUMBNAIL))]
            if images
            else []
        )
        gallery = [(image, (specs.GALLERY, specs.SHARE)) for image in images]
        return first + gallery + story_rendition_plan(self.body)

    @classmethod
    def ocop_certificate_model(cls) -> type[models.Model]:
        """The model of `ocop_certificates` (marketplace.certificates.models.OcopCertificate),
        reached through the relation: certificates sit above products, never imported here."""
        return cls._meta.get_field("ocop_certificates").related_model

    def valid_ocop_certificate(self, on: datetime.date | None = None):
        """The best certificate valid today (or on a date), or None."""
        on = on or timezone.localdate()
        valid = [cert for cert in self.ocop_certificates.all() if cert.is_valid(on)]
        return max(valid, key=lambda cert: (cert.stars, cert.expiry_date), default=None)

    def get_context(self, request, *args, **kwargs):
        from products.queries import product_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(product_page_context(self))
        return context

    @path("")
    def product_detail(self, request):
        return self.render(request)

    @path("qr-png/")
    def qr_png(self, request):
        return product_qr_response(self, request, "png")

    @path("qr-svg/")
    def qr_svg(self, request):
        return product_qr_response(self, request, "svg")


class ProductImage(Orderable):
    page = ParentalKey(ProductPage, related_name="gallery_images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    # The picture is a fact of the product; the caption is text. Rows have no
    # translation key: each language's row of a picture is found by the image.
    shared_fields = ("image", "sort_order")
    translation_match_field = "image"

    class Meta(Orderable.Meta):
        verbose_name = _("product image")


class ProductCertification(TranslatableMixin, Orderable):
    """Other certifications: VietGAP, organic, HACCP, geographical indication…"""

    class Kind(models.TextChoices):
        VIETGAP = "vietgap", "VietGAP"
        GLOBALGAP = "globalgap", "GlobalG.A.P."
        ORGANIC = "organic", _("Organic")
        HACCP = "haccp", "HACCP"
        ISO22000 = "iso22000", "ISO 22000"
        GEOGRAPHICAL_INDICATION = "gi", _("Geographical indication")
        # The food-safety papers a food product needs (Law on Food Safety 2010, Decree
        # 15/2018/NĐ-CP): the facility's certificate, valid 3 years, and the product's
        # self-declaration, which does not expire.
        FOOD_SAFETY_FACILITY = "food_safety", _("Food-safety facility certificate")
        SELF_DECLARATION = "self_declaration", _("Product self-declaration")
        OTHER = "other", _("Other")

    # Years a food-safety facility certificate is valid from its issue.
    FOOD_SAFETY_VALIDITY_YEARS = 3

    page = ParentalKey(ProductPage, related_name="certifications", on_delete=models.CASCADE)
    kind = models.CharField(_("certification"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("Needed when the kind is “Other”.")
    )
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("The issue date; for a self-declaration, the date it was declared."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "Empty for a self-declaration; for a food-safety certificate, 3 years after "
            "issue when left empty."
        ),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The name and issuer are text; the rest is the same in every language.
    shared_fields = ("sort_order", "kind", "number", "valid_from", "valid_until", "document")
    override_translatable_fields = not_overridable(shared_fields)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("issuer")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("document"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.OTHER and self.name:
            return self.name
        return str(self.get_kind_display())

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.OTHER and not self.name:
            errors["name"] = _("Name the certification.")
        if self.kind == self.Kind.FOOD_SAFETY_FACILITY:
            if not self.number:
                errors["number"] = _("Enter the certificate’s number.")
            if not self.valid_from:
                errors["valid_from"] = _("Enter the date the certificate was issued.")
            elif not self.valid_until:
                self.valid_until = food_safety_expiry(self.valid_from)
        if self.kind == self.Kind.SELF_DECLARATION:
            if not self.valid_from:
                errors["valid_from"] = _("Enter the date the product was declared.")
            if self.valid_until:
                errors["valid_until"] = _(
                    "A self-declaration does not expire: leave the end of validity empty."
                )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end of validity must be after its start.")
        if errors:
            raise ValidationError(errors)

    def is_valid(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_until and on > self.valid_until)


def food_safety_expiry(issued: datetime.date) -> datetime.date:
    """The last valid day of a food-safety facility certificate: 3 years after issue."""
    years = ProductCertification.FOOD_SAFETY_VALIDITY_YEARS
    try:
        end = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        end = issued.replace(year=issued.year + years, day=28)
    return end - datetime.timedelta(days=1)
