"""The producer's onboarding checklist: the six things a new producer does first, each
done or not, with the link to the place where it is done.

Decisions (the town's training, built in):
- The producer page is judged on its latest changes (the draft the producer just
  submitted counts: the checklist follows what the producer did, the office approves it
  apart); "first product published" needs a live product.
- Profile: a summary or a story, and a phone, Zalo number or email (locality and address
  are required by the form). Photos: a logo or cover image, and a photo on every product.
- Certificate: at least one OCOP certificate entered on a product (verified or not: the
  office verifies it, the producer's step is to enter it).
- Payments: a VietQR bank account or card payment. Cash on delivery is on by default,
  so it proves no choice was made; bank transfer is how most customers pay.
- English: the producer page and every live product have a live English translation (an
  alias shows the Vietnamese text, so it does not count).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from producers.models import PAYMENTS_TAB, ProducerPage
from products.models import ProductImage, ProductPage

ENGLISH = "en"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: Promise
    # What to do, shown while the item is not done.
    todo: Promise
    done: bool
    url: str


@dataclass(frozen=True)
class Checklist:
    producer: ProducerPage
    items: Sequence[ChecklistItem]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_product_url(producer: ProducerPage) -> str:
    return reverse("wagtailadmin_pages:add", args=("products", "productpage", producer.pk))


def payments_tab_url(producer: ProducerPage) -> str:
    """The producer editor opened on its Payments tab."""
    return f"{edit_url(producer)}#tab-{PAYMENTS_TAB}"


def english_translation(page: Page) -> Page | None:
    """The page's English translation (not an alias), live or not."""
    return (
        Page.objects.filter(
            translation_key=page.translation_key,
            locale__language_code=ENGLISH,
            alias_of__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def translation_url(page: Page) -> str:
    """Where the English text of `page` is written: its English page's editor, or the
    guide's section on translation when nobody has started one yet (the office does)."""
    translation = english_translation(page)
    if translation is not None:
        return edit_url(translation)
    return f"{reverse('guidance_producer_guide')}#translation"


def products_of(producer: ProducerPage) -> QuerySet[ProductPage]:
    return ProductPage.objects.child_of(producer).order_by("path")


def _has_text(value: str | None) -> bool:
    return bool(value and value.strip())


def profile_complete(producer: ProducerPage) -> bool:
    has_description = _has_text(producer.summary) or bool(producer.story)
    has_contact = any(
        _has_text(getattr(producer, name)) for name in ("phone", "zalo_phone", "email")
    )
    has_place = bool(producer.locality_id and _has_text(producer.address))
    return has_description and has_contact and has_place


def product_without_photo(producer: ProducerPage) -> ProductPage | None:
    photos = ProductImage.objects.filter(page=OuterRef("pk"))
    return products_of(producer).filter(~Exists(photos)).first()


def product_without_english(producer: ProducerPage) -> ProductPage | None:
    english = Page.objects.filter(
        translation_key=OuterRef("translation_key"),
        locale__language_code=ENGLISH,
        alias_of__isnull=True,
        live=True,
    )
    return products_of(producer).live().filter(~Exists(english)).first()


def has_live_english(page: Page) -> bool:
    translation = english_translation(page)
    return translation is not None and translation.live


def default_language_page(producer: ProducerPage) -> ProducerPage:
    """The producer's page in the default language: the one its account edits."""
    original = producer.get_translation_or_none(Locale.get_default())
    return original.specific if original is not None else producer


def onboarding_checklist(producer: ProducerPage) -> Checklist:
    """The six onboarding steps of `producer` (any translation of it), in their order."""
    producer = default_language_page(producer)
    latest = producer.get_latest_revision_as_object()
    products = products_of(producer)
    first_product = products.live().first() or products.first()

    missing_photo = product_without_photo(producer)
    has_page_image = bool(latest.logo_id or latest.cover_image_id)
    photos_url = edit_url(missing_photo if has_page_image and missing_photo else producer)

    untranslated_product = product_without_english(producer)
    producer_in_english = has_live_english(producer)
    english_url = translation_url(
        untranslated_product if producer_in_english and untranslated_product else producer
    )

    return Checklist(
        producer=producer,
        items=[
            ChecklistItem(
                "profile",
                _("Profile complete"),
                _("Write a summary, and give a phone, Zalo number or email."),
                profile_complete(latest),
                edit_url(producer),
            ),
            ChecklistItem(
                "photos",
                _("Photos uploaded"),
                _("Add a logo or cover image, and a photo to every product."),
                has_page_image and missing_photo is None,
                photos_url,
            ),
            ChecklistItem(
                "product",
                _("First product published"),
                _("Add a product and submit it: it is published once the office approves it."),
                products.live().exists(),
                edit_url(first_product) if first_product else add_product_url(producer),
            ),
            ChecklistItem(
                "certificate",
                _("OCOP certificate entered"),
                _("Enter your OCOP certificate on the product it was given to."),
                products.filter(ocop_certificates__isnull=False).exists(),
                edit_url(first_product) if first_product else add_product_url(producer),
            ),
            ChecklistItem(
                "payments",
                _("Payment methods set"),
                _("Give your bank account for VietQR transfers, or accept card payment."),
                latest.has_bank_details or latest.accepts_card_payment,
                payments_tab_url(producer),
            ),
            ChecklistItem(
                "english",
                _("English text"),
                _("Have your page and products translated into English for foreign visitors."),
                producer_in_english and untranslated_product is None,
                english_url,
            ),
        ],
    )


def own_producer(user) -> ProducerPage | None:
    """The producer whose account group `user` belongs to (its default-language page)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return ProducerPage.objects.filter(account_group__user=user).order_by("pk").first()
