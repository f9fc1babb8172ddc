"""Producers and where they are: localities (phường/xã) and craft villages."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.models import Collection, Page, TranslatableMixin
from wagtail.search import index

from marketplace.core import places
from marketplace.core import rendition_specs as specs
from marketplace.core.admin_search import FoldedSearchMixin
from marketplace.core.blocks import StoryBlock, story_rendition_plan
from marketplace.core.fields import VietnamesePhoneField
from marketplace.core.panels import NamedTab
from marketplace.core.shared_facts import SharedFactsMixin, not_overridable
from marketplace.core.shared_facts_admin import (
    SharedFactsModelForm,
    SharedFactsNotice,
    SharedFactsPageForm,
)
from marketplace.core.text import strip_diacritics
from marketplace.core.url_segments import LocalizedRoutesMixin, localized_route
from marketplace.payments.banks import BANK_CHOICES, Bank, bank_by_bin
from marketplace.payments.vietqr import ACCOUNT as ACCOUNT_NUMBER
from producers.panels import ManagersPanel

# The town's bounding box (with a margin): coordinates outside it are a typing mistake.
TOWN_LATITUDE_RANGE = (15.70, 16.10)
TOWN_LONGITUDE_RANGE = (108.00, 108.50)

# Delivery settings: the same on every translation of a producer page.
DELIVERY_FIELDS = ("delivery_area", "delivery_fee", "delivery_fee_vnd")
MAX_DELIVERY_FEE_VND = 10_000_000

# Payment settings: the same on every translation of a producer page.
PAYMENT_FIELDS = (
    "accepts_cash_on_delivery",
    "accepts_card_payment",
    "bank_bin",
    "bank_account_number",
    "bank_account_holder",
)
BANK_FIELDS = ("bank_bin", "bank_account_number", "bank_account_holder")
# The editor's payments tab, at #tab-payments in every admin language (core.panels.NamedTab).
PAYMENTS_TAB = "payments"
# Spaces, dots and dashes people type to group an account number's digits.
ACCOUNT_NUMBER_SEPARATORS = re.compile(r"[\s.\-]+")
# Banks print the holder's name in capitals without diacritics: "HTX NUOC MAM DIEN DUONG".
ACCOUNT_HOLDER = re.compile(r"[A-Z0-9][A-Z0-9 .,&()\-]*")


def home_ward_choices() -> list[tuple[str, str]]:
    """The wards and communes of the town's province, for a locality's 2025 unit."""
    return [("", "---------")] + [
        (str(ward.code), ward.name) for ward in places.wards_of(places.HOME_PROVINCE_CODE)
    ]


def validate_bank_bin(value: str) -> None:
    if bank_by_bin(value) is None:
        raise ValidationError(_("Choose a bank from the list."), code="invalid_bank")


def normalise_account_holder(name: str) -> str:
    """The name as banks print it: "Nguyễn Văn  An" → "NGUYEN VAN AN"."""
    return " ".join(strip_diacritics(name).upper().split())


class Locality(FoldedSearchMixin, SharedFactsMixin, TranslatableMixin, index.Indexed, models.Model):
    """A ward (phường) or commune (xã). Editable data: units are merged and renamed."""

    class Kind(models.TextChoices):
        WARD = "ward", _("Ward (phường)")
        COMMUNE = "commune", _("Commune (xã)")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    # Which unit of the 2025 two-level map (marketplace.core.places) it is part of now:
    # a producer delivering in "its locality" delivers there.
    ward_code = models.PositiveIntegerField(
        _("ward or commune since July 2025"),
        null=True,
        blank=True,
        help_text=_("The ward or commune of Đà Nẵng this locality is part of since 1 July 2025."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive localities (merged or renamed) stay on old records."),
    )

    # The same in every language (see marketplace.core.shared_facts); name and slug are text.
    shared_fields = ("kind", "display_order", "ward_code", "active")
    override_translatable_fields = not_overridable(shared_fields)
    base_form_class = SharedFactsModelForm

    panels = [
        SharedFactsNotice(facts=_("The kind, order and whether it is active")),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("display_order"),
        FieldPanel(
            "ward_code", widget=forms.Select(choices=CallableChoiceIterator(home_ward_choices))
        ),
        FieldPanel("active"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["display_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class CraftVillage(
    FoldedSearchMixin, SharedFactsMixin, TranslatableMixin, index.Indexed, models.Model
):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150)
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        on_delete=models.PROTECT,
        related_name="craft_villages",
    )
    history = models.TextField(_("short history"), blank=True)
    main_crafts = models.CharField(_("main crafts"), max_length=255, blank=True)
    image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    shared_fields = ("locality", "image")
    override_translatable_fields = not_overridable(shared_fields)
    base_form_class = SharedFactsModelForm

    panels = [
        SharedFactsNotice(facts=_("The locality and image")),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("locality"),
        FieldPanel("main_crafts"),
        FieldPanel("history"),
        FieldPanel("image"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name

    def rendition_plan(self) -> list[tuple]:
        """Shown in the villages' list, on its page and in the home page's highlight."""
        return [(self.image, (specs.CARD, specs.WIDE))]

    def get_url(self) -> str:
        from producers.queries import craft_village_url

        return craft_village_url(self)


class ProducerIndexPage(FoldedSearchMixin, LocalizedRoutesMixin, Page):
    """All producers, filterable; also serves each craft village at craft-villages/<slug>/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["base.HomePage"]
    subpage_types = ["producers.ProducerPage"]
    max_count_per_parent = 1
    route_slug_models = {"craft_village": CraftVillage}

    class Meta:
        verbose_name = _("producer index page")

    @path("")
    def producer_list(self, request):
        from producers.views import producer_list

        return producer_list(request, self)

    @path(localized_route("craft-villages/"))
    def craft_village_list(self, request):
        from producers.views import craft_village_list

        return craft_village_list(request, self)

    @path(localized_route("craft-villages/<slug:slug>/"))
    def craft_village(self, request, slug):
        from producers.views import craft_village_detail

        return craft_village_detail(request, self, slug)


class ProducerPage(FoldedSearchMixin, SharedFactsMixin, Page):
    class DeliveryArea(models.TextChoices):
        LOCALITY = "locality", _("Its ward or commune only")
        PROVINCE = "province", _("Its province or city")
        NATIONWIDE = "nationwide", _("All of Vietnam")

    class DeliveryFee(models.TextChoices):
        FREE = "free", _("Free delivery")
        FIXED = "fixed", _("A fixed fee")
        AGREED = "agreed", _("To be agreed with the customer")

    # The forms OCOP admits (doanh nghiệp, hợp tác xã, tổ hợp tác, hộ kinh doanh).
    # "Nghệ nhân" is a title the state confers, not a legal form: see artisan_title.
    class LegalForm(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
        COMPANY = "company", _("Company")
        HOUSEHOLD = "household", _("Household business")

    display_name = models.CharField(
        _("display name"),
        max_length=200,
        help_text=_("The name shoppers see, e.g. “HTX Nước mắm Điện Dương”."),
    )
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    artisan_title = models.BooleanField(
        _("artisan title conferred"),
        default=False,
        help_text=_(
            "Tick if the owner holds the state-conferred title “Nghệ nhân” (artisan), "
            "e.g. Nghệ nhân ưu tú or Nghệ nhân nhân dân."
        ),
    )
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("locality"),
        on_delete=models.PROTECT,
        related_name="producers",
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        verbose_name=_("craft village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="producers",
    )
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = VietnamesePhoneField(_("phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    zalo_phone = VietnamesePhoneField(
        _("Zalo number"), blank=True, help_text=_("The phone number registered with Zalo.")
    )
    # Foreign visitors chat on WhatsApp rather than Zalo.
    whatsapp_phone = VietnamesePhoneField(
        _("WhatsApp number"),
        blank=True,
        help_text=_("The phone number registered with WhatsApp, if you use it."),
    )
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    logo = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences.")
    )
    story = StreamField(StoryBlock(), verbose_name=_("story"), blank=True)

    # How customers may pay a confirmed inquiry. Changes are published after the office's
    # approval, like the rest.
    accepts_cash_on_delivery = models.BooleanField(_("accepts cash on delivery"), default=True)
    accepts_card_payment = models.BooleanField(
        _("accepts card payment"),
        default=False,
        help_text=_(
            "Customers may pay a confirmed inquiry by card (Stripe), "
            "when the site has card payment set up."
        ),
    )
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True, validators=[validate_bank_bin])
    bank_account_number = models.CharField(_("account number"), max_length=19, blank=True)
    bank_account_holder = models.CharField(
        _("account holder"),
        max_length=100,
        blank=True,
        help_text=_("As the bank prints it, e.g. “NGUYEN VAN AN”."),
    )

    # Where the producer usually delivers, and for how much. Customers anywhere may still
    # ask: outside the area, delivery is agreed case by case.
    delivery_area = models.CharField(
        _("delivers to"),
        max_length=20,
        choices=DeliveryArea.choices,
        default=DeliveryArea.LOCALITY,
    )
    delivery_fee = models.CharField(
        _("delivery fee"), max_length=10, choices=DeliveryFee.choices, default=DeliveryFee.AGREED
    )
    delivery_fee_vnd = models.PositiveIntegerField(
        _("fixed delivery fee (VND)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_DELIVERY_FEE_VND)],
        help_text=_("Only for a fixed fee, e.g. 30000."),
    )

    # Set by create_producer_account: who may edit this page, and where their files go.
    account_group = models.OneToOneField(
        Group,
        verbose_name=_("account group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="producer_page",
    )
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("media collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Facts, the same in every language (see marketplace.core.shared_facts); the names,
    # address, summary and story are text, translated.
    shared_fields = (
        "legal_form",
        "artisan_title",
        "locality",
        "craft_village",
        "latitude",
        "longitude",
        "phone",
        "email",
        "zalo_phone",
        "whatsapp_phone",
        "website",
        "founded_year",
        "logo",
        "cover_image",
        *PAYMENT_FIELDS,
        *DELIVERY_FIELDS,
    )
    base_form_class = SharedFactsPageForm

    content_panels = Page.content_panels + [
        SharedFactsNotice(
            facts=_(
                "The place, contact details, delivery and payment settings, logo and cover image"
            )
        ),
        FieldPanel("display_name"),
        FieldRowPanel(
            [FieldPanel("legal_form"), FieldPanel("artisan_title"), FieldPanel("founded_year")]
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("locality"),
                FieldPanel("craft_village"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("phone"), FieldPanel("zalo_phone"), FieldPanel("whatsapp_phone")]
                ),
                FieldPanel("email"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("delivery_area"),
                FieldRowPanel([FieldPanel("delivery_fee"), FieldPanel("delivery_fee_vnd")]),
            ],
            heading=_("Delivery"),
            help_text=_(
                "Shown to customers before they send a request. Customers elsewhere may "
                "still ask: they are told delivery is to be agreed."
            ),
        ),
        FieldRowPanel([FieldPanel("logo"), FieldPanel("cover_image")]),
        FieldPanel("story"),
    ]
    payment_panels = [
        FieldPanel("accepts_cash_on_delivery"),
        FieldPanel("accepts_card_payment"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "bank_bin", widget=forms.Select(choices=[("", "---------"), *BANK_CHOICES])
                ),
                FieldPanel("bank_account_number"),
                FieldPanel("bank_account_holder"),
            ],
            heading=_("Bank transfer (VietQR)"),
            help_text=_(
                "With these details, a customer whose inquiry you confirmed sees a VietQR "
                "code to pay you by bank transfer."
            ),
        ),
    ]
    settings_panels = Page.settings_panels + [ManagersPanel()]
    # Wagtail's tabs, with the payment settings before the page settings.
    edit_handler = TabbedInterface(
        [
            NamedTab(content_panels, heading=_("Content"), name="content"),
            NamedTab(Page.promote_panels, heading=_("Promote"), name="promote"),
            NamedTab(payment_panels, heading=_("Payments"), name=PAYMENTS_TAB),
            NamedTab(settings_panels, heading=_("Settings"), name="settings"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("display_name"),
        index.SearchField("summary"),
    ]

    parent_page_types = ["producers.ProducerIndexPage"]
    subpage_types = ["products.ProductPage"]
    # One account group and collection per producer, held by the Vietnamese page:
    # copies and translations must not claim them (account_group is one-to-one).
    exclude_fields_in_copy = ["account_group", "collection"]
    # Translators must not, say, redirect payments.
    override_translatable_fields = not_overridable(shared_fields)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    @property
    def current_address(self) -> str:
        """The address ending with the 2025 ward or commune and "thành phố Đà Nẵng"
        (marketplace.core.places.current_address): what pages and maps show."""
        locality = self.locality if self.locality_id else None
        if locality is None:
            return self.address
        return places.current_address(self.address, locality.ward_code, locality.name)

    def __str__(self) -> str:
        return self.display_name or self.title

    def clean(self) -> None:
        super().clean()
        errors = {}
        this_year = timezone.localdate().year
        if self.founded_year is not None and not 1800 <= self.founded_year <= this_year:
            errors["founded_year"] = _("Enter a year between 1800 and %(year)s.") % {
                "year": this_year
            }
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Enter both latitude and longitude, or neither."
            )
        elif self.latitude is not None:
            low, high = TOWN_LATITUDE_RANGE
            if not low <= float(self.latitude) <= high:
                errors["latitude"] = _("This latitude is outside the town.")
            low, high = TOWN_LONGITUDE_RANGE
            if not low <= float(self.longitude) <= high:
                errors["longitude"] = _("This longitude is outside the town.")
        errors.update(self.clean_delivery_fee())
        errors.update(self.clean_bank_details())
        if errors:
            raise ValidationError(errors)

    def clean_delivery_fee(self) -> dict:
        """A fixed fee needs its amount; another rule keeps none."""
        if self.delivery_fee != self.DeliveryFee.FIXED:
            self.delivery_fee_vnd = None
            return {}
        if not self.delivery_fee_vnd:
            return {"delivery_fee_vnd": _("Enter the fixed delivery fee in VND, e.g. 30000.")}
        return {}

    def clean_bank_details(self) -> dict:
        """Normalise the bank details as banks write them; their errors by field."""
        self.bank_account_number = ACCOUNT_NUMBER_SEPARATORS.sub("", self.bank_account_number)
        self.bank_account_holder = normalise_account_holder(self.bank_account_holder)
        errors = {}
        filled = [name for name in BANK_FIELDS if getattr(self, name)]
        if filled and len(filled) < len(BANK_FIELDS):
            for name in BANK_FIELDS:
                if name not in filled:
                    errors[name] = _("Fill in the bank, account number and holder, or none.")
        if self.bank_account_number and not ACCOUNT_NUMBER.fullmatch(self.bank_account_number):
            errors["bank_account_number"] = _(
                "An account number is made of letters and digits only, at most 19."
            )
        if self.bank_account_holder and not ACCOUNT_HOLDER.fullmatch(self.bank_account_holder):
            errors["bank_account_holder"] = _(
                "Use letters, digits, spaces and . , & ( ) - only, as the bank prints the name."
            )
        return errors

    def rendition_plan(self) -> list[tuple]:
        """The renditions of the logo and cover (marketplace.core.renditions_ahead): the
        page, the producer's card (cover, else logo), its products' pages, search, shares."""
        card = self.cover_image or self.logo
        return [
            (card, (specs.CARD,)),
            (self.logo, (specs.LOGO, specs.SMALL_LOGO, specs.SEARCH_THUMBNAIL, specs.SHARE)),
            (self.cover_image, (specs.COVER, specs.SHARE)),
            *story_rendition_plan(self.story),
        ]

    def get_context(self, request, *args, **kwargs):
        from producers.maps import producer_map

        context = super().get_context(request, *args, **kwargs)
        context["place_map"] = producer_map(self)
        return context

    def serve(self, request, *args, **kwargs):
        from producers.maps import allow_map_tiles, has_location

        response = super().serve(request, *args, **kwargs)
        # The map's tiles: only a page that draws one may load them.
        return allow_map_tiles(response) if has_location(self) else response

    @property
    def has_bank_details(self) -> bool:
        return all(getattr(self, name) for name in BANK_FIELDS)

    @property
    def bank(self) -> Bank | None:
        return bank_by_bin(self.bank_bin)

    @property
    def managers(self):
        """The user accounts that manage this producer (members of its account group)."""
        if self.account_group_id is None:
            return get_user_model().objects.none()
        return self.account_group.user_set.all()


def legal_form_label(value: str) -> str:
    """The legal form's label in the active language; a value no longer offered (the old
    "artisan", still in search indexes built before it went) shows as the household
    business it became (see migration 0007)."""
    try:
        return str(ProducerPage.LegalForm(value).label)
    except ValueError:
        return str(ProducerPage.LegalForm.HOUSEHOLD.label)
