"""Forms of the public inquiry pages: the list's buttons and the request form.

Every message is for a visitor who may have typed anything: each names what to fix.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.core import places
from marketplace.core.fields import is_vietnamese_phone, normalise_phone
from marketplace.inquiries.inquiry_list import (
    MAX_DAYS_AHEAD,
    InquiryList,
    check_minimum,
    check_party_minimum,
    check_visit_date,
    orderable_products,
    parse_party_size,
    parse_quantity,
)
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.submission import CONTACT_FIELDS
from marketplace.inquiries.visits import MAX_PARTY_SIZE, Visit, VisitLanguage
from products.models import MAX_ORDER_QUANTITY, ProductPage

NOT_OFFERED = _("This product is no longer offered.")
# The largest id a database integer column holds (PostgreSQL's bigint, SQLite's INTEGER).
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


def is_id(value: str) -> bool:
    """Whether `value` is a whole number a database id may be (Python refuses to convert
    strings of thousands of digits, so their length is checked first)."""
    return value.isdecimal() and len(value) <= MAX_ID_DIGITS and int(value) <= MAX_ID


class ProductField(forms.ModelChoiceField):
    """A product id from a hidden input: any bad or stale value means "not offered".

    Forms set the queryset when they are made: `orderable_products()` reads the view
    restrictions at that moment.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            queryset=ProductPage.objects.none(),
            error_messages={"required": NOT_OFFERED, "invalid_choice": NOT_OFFERED},
            **kwargs,
        )

    def to_python(self, value):
        # SQLite raises OverflowError for a larger id (a page's id is a link to Page, which
        # Django's integer range checks skip), and ModelChoiceField lets that through.
        if isinstance(value, str) and value and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class QuantityInput(forms.NumberInput):
    def __init__(self, attrs=None):
        defaults = {"min": 1, "max": MAX_ORDER_QUANTITY, "step": 1, "inputmode": "numeric"}
        super().__init__({**defaults, **(attrs or {})})


class QuantityField(forms.Field):
    """A whole quantity, with inquiry_list.parse_quantity's messages."""

    widget = QuantityInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_quantity(value)


class PartySizeField(forms.Field):
    """A number of people, with inquiry_list.parse_party_size's messages."""

    def __init__(self, **kwargs):
        attrs = {"min": 1, "max": MAX_PARTY_SIZE, "step": 1, "inputmode": "numeric"}
        super().__init__(widget=forms.NumberInput(attrs), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_party_size(value)


class ListLineForm(forms.Form):
    """A product of the visitor's inquiry list: a quantity of goods, or for an experience
    (OCOP group 6) a visit: date, party and language. Which one the product decides."""

    product = ProductField()
    # Required for goods only (clean()): a visit has no quantity.
    quantity = QuantityField(label=_("Quantity"), required=False)
    visit_date = forms.DateField(
        label=_("Date of your visit"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date of your visit as dd/mm/yyyy.")},
    )
    party_size = PartySizeField(label=_("Number of people"), required=False)
    visit_language = forms.ChoiceField(
        label=_("Language of the visit"),
        choices=VisitLanguage.choices,
        required=False,
        help_text=_("Of the guide or hosts. For another language, say which in your message."),
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
    )

    VISIT_REQUIRED = {
        "visit_date": _("Choose the date of your visit."),
        "party_size": _("Enter the number of people."),
        "visit_language": _("Choose the language of the visit."),
    }

    def __init__(self, *args, inquiry_list: InquiryList, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.inquiry_list = inquiry_list
        self.fields["product"].queryset = orderable_products()
        # The browser's date picker offers the days a visit may be asked for.
        today = timezone.localdate()
        self.fields["visit_date"].widget.attrs.update(
            min=today.isoformat(),
            max=(today + datetime.timedelta(days=MAX_DAYS_AHEAD)).isoformat(),
        )

    def for_visit(self) -> "ListLineForm":
        """Mark the visit's inputs required, for the browser's own checks: the form then
        asks for a visit (the fields stay optional here, goods have none)."""
        # Not the language's select: it always has a choice.
        for name in ("visit_date", "party_size"):
            self.fields[name].widget.attrs["required"] = True
        return self

    def clean_visit_date(self) -> datetime.date | None:
        date = self.cleaned_data["visit_date"]
        if date is not None:
            check_visit_date(date)
        return date

    def clean(self):
        cleaned = super().clean()
        product = cleaned.get("product")
        if product is None:
            return cleaned
        if product.takes_visit_request:
            self._clean_visit(product)
        elif "quantity" not in self.errors and cleaned.get("quantity") is None:
            self.add_error("quantity", _("Enter the quantity as a whole number."))
        return cleaned

    def _clean_visit(self, product: ProductPage) -> None:
        for name, message in self.VISIT_REQUIRED.items():
            if name not in self.errors and not self.cleaned_data.get(name):
                self.add_error(name, message)
        if party_size := self.cleaned_data.get("party_size"):
            try:
                check_party_minimum(product, party_size)
            except ValidationError as error:
                self.add_error("party_size", error)

    @property
    def visit(self) -> Visit | None:
        """The visit asked for, once valid; None for goods."""
        cleaned = self.cleaned_data
        if not cleaned["product"].takes_visit_request:
            return None
        return Visit(cleaned["visit_date"], cleaned["party_size"], cleaned["visit_language"])

    def visit_summary(self) -> str:
        visit = self.visit
        return ngettext(
            "%(product)s: a visit on %(date)s for %(count)s person.",
            "%(product)s: a visit on %(date)s for %(count)s people.",
            visit.party_size,
        ) % {
            "product": self.cleaned_data["product"].title,
            "date": date_format(visit.date, "DATE_FORMAT"),
            "count": visit.party_size,
        }


class AddToListForm(ListLineForm):
    """A product and a quantity to add. A search result card sends no quantity (its hit
    does not know the minimum): it adds the product's minimum order quantity."""

    def clean_product(self) -> ProductPage:
        product = self.cleaned_data["product"]
        if product.availability == ProductPage.Availability.OUT_OF_STOCK:
            raise ValidationError(
                _("%(product)s is out of stock: it cannot be added to an inquiry list now.")
                % {"product": product.title}
            )
        return product

    def clean_quantity(self) -> int | None:
        quantity = self.cleaned_data.get("quantity")
        product = self.cleaned_data.get("product")
        # Sent empty, it is refused (ListLineForm.clean); not sent at all, the minimum.
        if quantity is None and product is not None and "quantity" not in self.data:
            return product.minimum_order_quantity
        return quantity

    def clean(self):
        cleaned = super().clean()
        product, quantity = cleaned.get("product"), cleaned.get("quantity")
        if product is not None and quantity is not None and not product.takes_visit_request:
            # What the list will hold: what is in it already plus this.
            total = self.inquiry_list.quantity_of(product) + quantity
            try:
                parse_quantity(total)
                check_minimum(product, total)
            except ValidationError as error:
                self.add_error("quantity", error)
        return cleaned

    def save(self) -> int:
        """Add the line; the list's quantity of the product (a visit's party) after it."""
        product = self.cleaned_data["product"]
        if self.visit is not None:
            return self.inquiry_list.add_visit(product, self.visit).party_size
        return self.inquiry_list.add(product, self.cleaned_data["quantity"])

    def summary(self) -> str:
        """What the list now holds of the product, to confirm the addition (once saved)."""
        product = self.cleaned_data["product"]
        if self.visit is not None:
            return _("%(visit)s It is in your inquiry list.") % {"visit": self.visit_summary()}
        added, total = self.cleaned_data["quantity"], self.inquiry_list.quantity_of(product)
        message = _("Added %(quantity)s × %(product)s to your inquiry list.") % {
            "quantity": added,
            "product": product.title,
        }
        if total != added:
            message += " " + _("In your list now: %(total)s × %(unit)s.") % {
                "total": total,
                "unit": product.unit,
            }
        return message


class UpdateQuantityForm(ListLineForm):
    """One line's quantity, or a visit's details, on the list page."""

    def clean_product(self) -> ProductPage:
        product = self.cleaned_data["product"]
        if not self.inquiry_list.quantity_of(product):
            raise ValidationError(_("This product is not in your list."))
        return product

    def clean(self):
        cleaned = super().clean()
        product, quantity = cleaned.get("product"), cleaned.get("quantity")
        if product is not None and quantity is not None and not product.takes_visit_request:
            try:
                check_minimum(product, quantity)
            except ValidationError as error:
                self.add_error("quantity", error)
        return cleaned

    def save(self) -> None:
        product = self.cleaned_data["product"]
        if self.visit is not None:
            self.inquiry_list.set_visit(product, self.visit)
        else:
            self.inquiry_list.set_quantity(product, self.cleaned_data["quantity"])

    def summary(self) -> str:
        """What changed, to confirm it (once saved)."""
        if self.visit is not None:
            return _("Visit updated. %(visit)s") % {"visit": self.visit_summary()}
        return _("Quantity of %(product)s updated.") % {
            "product": self.cleaned_data["product"].title
        }


class RemoveForm(forms.Form):
    product = ProductField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Also products unpublished since they were added: they can always go.
        self.fields["product"].queryset = ProductPage.objects.all()


def province_choices() -> list[tuple[int, str]]:
    return [(p.code, p.short_name) for p in places.provinces()]


class WardField(forms.TypedChoiceField):
    """A ward or commune by its code. The form lists the wards of one province (the
    chosen one); any ward of the country is a valid value, and RequestForm.clean checks it
    is in the chosen province, to say so in words."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def valid_value(self, value) -> bool:
        return is_id(str(value)) and places.ward(int(value)) is not None

    def list_province(self, province_code: int | None) -> None:
        self.choices = [("", _("Choose…"))] + [
            (ward.code, ward.name) for ward in places.wards_of(province_code)
        ]


class RequestForm(forms.ModelForm):
    """The consumer's details, sent with the inquiry list to each producer concerned."""

    consent = forms.BooleanField(
        label=_("I agree that my details are shared with the producers of my inquiry."),
        error_messages={
            "required": _("Please agree to share your details: the producers need them to answer.")
        },
    )
    # Hidden from people and screen readers: only robots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # The key issued into the session when the form was shown (views.issue_form_key).
    key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    delivery_province = forms.TypedChoiceField(
        label=_("Province or city"),
        choices=CallableChoiceIterator(province_choices),
        coerce=int,
        empty_value=None,
        required=False,
        initial=places.HOME_PROVINCE_CODE,
        error_messages={"invalid_choice": _("Choose a province or city from the list.")},
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    delivery_ward = WardField(
        label=_("Ward or commune"),
        required=False,
        error_messages={"invalid_choice": _("Choose a ward or commune from the list.")},
        widget=forms.Select(attrs={"autocomplete": "address-level2"}),
    )

    class Meta:
        model = Inquiry
        fields = [
            "name",
            "phone",
            "email",
            "channel",
            "delivery",
            "delivery_province",
            "delivery_ward",
            "delivery_address",
            "wished_date",
            "message",
        ]
        labels = {
            "name": _("Your name"),
            "phone": _("Phone number"),
            "email": _("Email (optional)"),
            "channel": _("How should the producers contact you?"),
            "delivery": _("How do you want to receive your order?"),
            "delivery_address": _("Address"),
            "wished_date": _("Wished-for date (optional)"),
            "message": _("Message (optional)"),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "phone": {"required": _("Enter your phone number.")},
        }
        help_texts = {
            "phone": _(
                "A Vietnamese number (0905 123 456) or, from abroad, your number with + and "
                "the country code (+44 7700 900123)."
            ),
            "email": _("Needed for updates by email."),
            "channel": _(
                "Phone calls and Zalo need a Vietnamese number. From abroad, choose WhatsApp "
                "(on the number above) or email."
            ),
            "delivery_address": _("House number, street, village."),
            "message": _("Plain text, up to 2,000 characters."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "channel": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "delivery_address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "wished_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, issued_keys: list[str], language: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.issued_keys = issued_keys
        self.language = language
        self.fields["delivery_ward"].list_province(self.listed_province())
        self.fields["wished_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = _(
                    "Please shorten this to %(limit_value)d characters (it has %(show_value)d)."
                )

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if key not in self.issued_keys:
            raise ValidationError(
                _(
                    "This form has expired, so nothing was sent. Please check your details "
                    "and send the form again."
                ),
                code="expired",
            )
        return key

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def sent_value(self, name: str) -> str:
        """What the visitor sent for a field, unchecked; or its initial value."""
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.get_initial_for_field(self.fields[name], name)
        return "" if value is None else str(value)

    def listed_province(self) -> int | None:
        """The province whose wards the ward select lists: the one sent, when it is one."""
        sent = self.sent_value("delivery_province")
        if is_id(sent) and places.province(int(sent)):
            return int(sent)
        return None if self.is_bound else places.HOME_PROVINCE_CODE

    def chosen_place(self) -> tuple[int | None, int | None]:
        """The (province, ward) codes the visitor has chosen so far, unchecked: the page
        says which producers usually deliver there. Nothing for a pick-up."""
        if self.sent_value("delivery") == Inquiry.Delivery.PICK_UP:
            return None, None
        province = self.listed_province()
        sent = self.sent_value("delivery_ward")
        ward = places.ward(int(sent)) if is_id(sent) else None
        return province, ward.code if ward and ward.province_code == province else None

    def clean_wished_date(self) -> datetime.date | None:
        wished = self.cleaned_data["wished_date"]
        today = timezone.localdate()
        if wished is not None and wished < today:
            raise ValidationError(_("Choose today or a later date."))
        if wished is not None and wished > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(_("Choose a date within the next twelve months."))
        return wished

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == Inquiry.Channel.EMAIL:
            self.require("email", _("Enter your email address to be contacted by email."))
        phone = cleaned.get("phone")
        if (
            phone
            and not is_vietnamese_phone(phone)
            and channel in (Inquiry.Channel.PHONE, Inquiry.Channel.ZALO)
        ):
            self.add_error(
                "channel",
                _(
                    "With a foreign phone number, choose WhatsApp or email: producers call "
                    "and use Zalo with Vietnamese numbers."
                ),
            )
        if cleaned.get("delivery") == Inquiry.Delivery.DELIVER:
            self.require("delivery_province", _("Choose the province or city to deliver to."))
            self.require("delivery_ward", _("Choose the ward or commune to deliver to."))
            self.require("delivery_address", _("Enter the address to deliver to."))
            self.check_ward_in_province()
        else:
            # Picked up: an address typed before switching is not sent.
            cleaned["delivery_province"] = cleaned["delivery_ward"] = None
            cleaned["delivery_address"] = ""
        return cleaned

    def check_ward_in_province(self) -> None:
        province = places.province(self.cleaned_data.get("delivery_province"))
        ward = places.ward(self.cleaned_data.get("delivery_ward"))
        if province and ward and ward.province_code != province.code:
            self.add_error(
                "delivery_ward",
                _(
                    "%(ward)s is not in %(province)s: choose a ward or commune of "
                    "%(province)s, or the province of %(ward)s."
                )
                % {"ward": ward.name, "province": province.short_name},
            )

    def require(self, name: str, message: str) -> None:
        """An error when `name` is empty; one that is already wrong says so already."""
        if name not in self.errors and not self.cleaned_data.get(name):
            self.add_error(name, message)

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def contact(self) -> dict:
        """The consumer's details, as submission.submit_inquiries takes them: the place by
        code and, as a snapshot, by name."""
        details = {
            name: self.cleaned_data[name] for name in CONTACT_FIELDS if name in self.cleaned_data
        }
        province = places.province(self.cleaned_data.get("delivery_province"))
        ward = places.ward(self.cleaned_data.get("delivery_ward"))
        details.update(
            delivery_province_code=province.code if province else None,
            delivery_province_name=province.name if province else "",
            delivery_ward_code=ward.code if ward else None,
            delivery_ward_name=ward.name if ward else "",
        )
        return details
