"""The inquiry list: products a visitor wants to ask about, kept in their session.

No account is needed. The session holds {product translation key: quantity}, so a product
added on a Vietnamese page and again on its English page is one line, shown in the
visitor's language. Products are read fresh on each use: one unpublished meanwhile
simply drops out of the list.

Experiences (OCOP group 6: tours, homestays) are asked for as a visit instead: a date, a
party and a language, kept beside the quantities under VISITS_KEY; their quantity is the
party size.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from wagtail.models import Locale

from marketplace.inquiries.visits import MAX_PARTY_SIZE, Visit, VisitLanguage
from producers.models import ProducerPage
from products.models import MAX_ORDER_QUANTITY, ProductPage

SESSION_KEY = "inquiry_list"
VISITS_KEY = "inquiry_visits"  # {product translation key: {"date", "party_size", "language"}}

# How far ahead a wished-for or visit date may be: further is surely a typing mistake.
MAX_DAYS_AHEAD = 366


def priced_total(subtotals: Iterable[int | None]) -> int | None:
    """The sum of the priced subtotals; None when none has a price ("price on request")."""
    prices = [subtotal for subtotal in subtotals if subtotal is not None]
    return sum(prices) if prices else None


@dataclass
class Line:
    product: ProductPage  # in the visitor's language when a translation exists
    quantity: int  # for a visit, its party size
    visit: Visit | None = None  # None for goods, or a visit whose details are missing

    @property
    def is_visit(self) -> bool:
        return self.product.takes_visit_request

    @property
    def estimated(self) -> bool:
        """Whether the line's price makes an estimate: a visit's only when per person (a
        room per night depends on rooms and nights, which the producer agrees)."""
        if self.product.price_on_request or self.product.price_vnd is None:
            return False
        return not self.is_visit or (self.visit is not None and self.product.priced_per_person)

    @property
    def units(self) -> int:
        """What the estimate counts, and the item's quantity when sent: a visit's party
        when priced per person, else one booking."""
        if not self.is_visit:
            return self.quantity
        return self.visit.party_size if self.estimated else 1

    @property
    def unit_price_vnd(self) -> int | None:
        return self.product.price_vnd if self.estimated else None

    @property
    def subtotal_vnd(self) -> int | None:
        price = self.unit_price_vnd
        return None if price is None else price * self.units

    def problems(self) -> list[str]:
        """Why the line cannot be sent as it is (a minimum raised since it was added, a
        visit date now past), each message naming the product; empty when it can."""
        try:
            if self.is_visit:
                check_visit(self.product, self.visit)
            else:
                check_minimum(self.product, self.quantity)
        except ValidationError as error:
            return [
                _("%(product)s: %(problem)s") % {"product": self.product.title, "problem": message}
                if self.is_visit
                else message
                for message in error.messages
            ]
        return []


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

    @property
    def has_price_to_agree(self) -> bool:
        """Whether a visit's price waits for the producer (not per person)."""
        return any(line.is_visit and line.subtotal_vnd is None for line in self.lines)


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


def check_visit_date(date: datetime.date) -> None:
    today = timezone.localdate()
    if date < today:
        raise ValidationError(_("Choose today or a later date for your visit."))
    if date > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("Choose a visit date within the next twelve months."))


def parse_party_size(value: object) -> int:
    """A number of people from user input, or ValidationError with a message for them."""
    try:
        party = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("Enter the number of people as a whole number.")) from None
    if party < 1:
        raise ValidationError(_("A visit is for at least 1 person."))
    if party > MAX_PARTY_SIZE:
        raise ValidationError(
            _("For groups of more than %(max)s people, please contact the producer directly.")
            % {"max": MAX_PARTY_SIZE}
        )
    return party


def check_party_minimum(product: ProductPage, party_size: int) -> None:
    """A visit priced per person takes the product's minimum as the smallest party."""
    minimum = product.minimum_order_quantity
    if product.priced_per_person and party_size < minimum:
        raise ValidationError(
            ngettext(
                "This visit is for groups of at least %(minimum)s person.",
                "This visit is for groups of at least %(minimum)s people.",
                minimum,
            )
            % {"minimum": minimum}
        )


def check_visit(product: ProductPage, visit: Visit | None) -> None:
    """Whether a visit can be asked for as it is: all its details, still valid."""
    if visit is None:
        raise ValidationError(_("Choose the date of your visit and the number of people."))
    check_visit_date(visit.date)
    parse_party_size(visit.party_size)
    check_party_minimum(product, visit.party_size)


def visit_from_session(value: object) -> Visit | None:
    """A visit as the session keeps it, or None when it is not one (an older list)."""
    try:
        return Visit(
            datetime.date.fromisoformat(value["date"]),
            int(value["party_size"]),
            value["language"] if value["language"] in VisitLanguage.values else "",
        )
    except (TypeError, KeyError, ValueError):
        return None


def visit_for_session(visit: Visit) -> dict:
    return {
        "date": visit.date.isoformat(),
        "party_size": visit.party_size,
        "language": visit.language,
    }


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

    @property
    def _visits(self) -> dict[str, dict]:
        return self.session.get(VISITS_KEY, {})

    def _save(self, quantities: dict[str, int], visits: dict[str, dict] | None = None) -> None:
        """Keep the quantities, and the visits of the products still listed."""
        visits = self._visits if visits is None else visits
        self.session[SESSION_KEY] = quantities
        self.session[VISITS_KEY] = {k: v for k, v in visits.items() if k in quantities}
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

    def visit_of(self, product: ProductPage) -> Visit | None:
        return visit_from_session(self._visits.get(str(product.translation_key)))

    def add_visit(self, product: ProductPage, visit: Visit) -> Visit:
        """Ask to visit a live experience; a second request for it replaces the first."""
        if not orderable_products().filter(pk=product.pk).exists():
            raise ValidationError(_("This product is no longer offered."))
        self._store_visit(product, visit)
        return visit

    def set_visit(self, product: ProductPage, visit: Visit) -> None:
        if str(product.translation_key) not in self._quantities:
            raise ValidationError(_("This product is not in your list."))
        self._store_visit(product, visit)

    def _store_visit(self, product: ProductPage, visit: Visit) -> None:
        check_visit(product, visit)
        key = str(product.translation_key)
        self._save(
            {**self._quantities, key: visit.party_size},
            {**self._visits, key: visit_for_session(visit)},
        )

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
        visits = self._visits
        return [
            Line(
                shown[key],
                quantity,
                visit_from_session(visits.get(key)) if shown[key].takes_visit_request else None,
            )
            for key, quantity in quantities.items()
            if key in shown
        ]

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
