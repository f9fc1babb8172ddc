"""The inquiry list: products a visitor wants to ask about, kept in their session.

No account is needed. The session holds {product translation key: quantity}, so a product
added on a Vietnamese page and again on its English page is one line, shown in the
visitor's language. Products are read fresh on each use: one unpublished meanwhile
simply drops out of the list.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from wagtail.models import Locale

from producers.models import ProducerPage
from products.models import MAX_ORDER_QUANTITY, ProductPage

SESSION_KEY = "inquiry_list"


def priced_total(subtotals: Iterable[int | None]) -> int | None:
    """The sum of the priced subtotals; None when none has a price ("price on request")."""
    prices = [subtotal for subtotal in subtotals if subtotal is not None]
    return sum(prices) if prices else None


@dataclass
class Line:
    product: ProductPage  # in the visitor's language when a translation exists
    quantity: int

    @property
    def subtotal_vnd(self) -> int | None:
        if self.product.price_on_request or self.product.price_vnd is None:
            return None
        return self.product.price_vnd * self.quantity


@dataclass
class ProducerGroup:
    """The lines going to one producer: they become one inquiry."""

    producer: ProducerPage  # the page holding the producer's account (default language)
    lines: list[Line]

    @property
    def subtotal_vnd(self) -> int | None:
        """The estimated sum of the priced lines; None when no line has a price."""
        return priced_total(line.subtotal_vnd for line in self.lines)

    @property
    def has_price_on_request(self) -> bool:
        return any(line.subtotal_vnd is None for line in self.lines)


def parse_quantity(value: object) -> int:
    """A whole quantity from user input, or ValidationError with a message for them."""
    try:
        quantity = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Enter the quantity as a whole number.")) from None
    if quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."))
    if quantity > MAX_ORDER_QUANTITY:
        raise ValidationError(
            _("For more than %(max)s units, please contact the producer directly.")
            % {"max": number_format(MAX_ORDER_QUANTITY, force_grouping=True)}
        )
    return quantity


def check_minimum(product: ProductPage, quantity: int) -> None:
    minimum = product.minimum_order_quantity
    if quantity < minimum:
        raise ValidationError(
            ngettext(
                "%(product)s is sold from %(minimum)s unit (%(unit)s).",
                "%(product)s is sold from %(minimum)s units (%(unit)s).",
                minimum,
            )
            % {"product": product.title, "minimum": minimum, "unit": product.unit}
        )


def product_anchor(product_id: object) -> str:
    """The id of a product's add form on a page: the form returns there, without JavaScript,
    and shows the messages tagged with it (templatetags.inquiry_list_tags)."""
    return f"product-{product_id}"


def orderable_products() -> Iterable[ProductPage]:
    return ProductPage.objects.live().public()


def producer_for(product: ProductPage) -> ProducerPage:
    """The producer an inquiry about `product` goes to: its page in the default language.

    Accounts and permissions belong to that page (payment settings and other facts are
    the same on every translation: marketplace.core.shared_facts).
    """
    producer = ProducerPage.objects.parent_of(product).get()
    # Locale.get_default(), not the page's get_default_locale(): that is its parent's.
    default_locale = Locale.get_default()
    if producer.locale_id != default_locale.pk:
        default = producer.get_translation_or_none(default_locale)
        if default is not None:
            return default
    return producer


class InquiryList:
    def __init__(self, session) -> None:
        self.session = session

    @property
    def _quantities(self) -> dict[str, int]:
        return self.session.get(SESSION_KEY, {})

    def _save(self, quantities: dict[str, int]) -> None:
        self.session[SESSION_KEY] = quantities
        self.session.modified = True

    def __len__(self) -> int:
        return len(self._quantities)

    def quantity_of(self, product: ProductPage) -> int:
        return self._quantities.get(str(product.translation_key), 0)

    def add(self, product: ProductPage, quantity: int) -> int:
        """Add `quantity` of a live product; returns its new quantity, or ValidationError."""
        if not orderable_products().filter(pk=product.pk).exists():
            raise ValidationError(_("This product is no longer offered."))
        total = self.quantity_of(product) + quantity
        parse_quantity(total)
        check_minimum(product, total)
        self._save({**self._quantities, str(product.translation_key): total})
        return total

    def set_quantity(self, product: ProductPage, quantity: int) -> None:
        key = str(product.translation_key)
        if key not in self._quantities:
            raise ValidationError(_("This product is not in your list."))
        parse_quantity(quantity)
        check_minimum(product, quantity)
        self._save({**self._quantities, key: quantity})

    def remove(self, product: ProductPage) -> None:
        key = str(product.translation_key)
        self._save({k: q for k, q in self._quantities.items() if k != key})

    def clear(self) -> None:
        self._save({})

    def lines(self) -> list[Line]:
        """The list's live products, in the active language where translated."""
        quantities = self._quantities
        language = get_language()
        # Per product: the copy in the active language, else the first live one (vi).
        shown: dict[str, ProductPage] = {}
        products = orderable_products().filter(translation_key__in=list(quantities))
        for product in products.specific().select_related("locale").order_by("path"):
            key = str(product.translation_key)
            if key not in shown or product.locale.language_code == language:
                shown[key] = product
        return [Line(shown[key], quantity) for key, quantity in quantities.items() if key in shown]

    def prune(self) -> None:
        """Forget products no longer offered, so that counts of the list are right."""
        lines = self.lines()
        if len(lines) < len(self):
            self._save({str(line.product.translation_key): line.quantity for line in lines})

    def groups(self) -> list[ProducerGroup]:
        """The lines by producer, in the order the producers first appear."""
        groups: dict[int, ProducerGroup] = {}
        for line in self.lines():
            producer = producer_for(line.product)
            groups.setdefault(producer.pk, ProducerGroup(producer, [])).lines.append(line)
        return list(groups.values())
