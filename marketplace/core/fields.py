"""Model fields shared by several apps."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def normalise_vietnamese_phone(value: str) -> str:
    """Return a Vietnamese phone number in E.164 form (+84…), or raise ValidationError.

    Accepts what people type: "0905 123 456", "+84 905.123.456", "84905123456",
    landlines with area code ("0235 3867 123").
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    digits_only = "".join(ch for ch in raw if ch.isdigit())
    if raw.startswith("84") or (digits_only.startswith("84") and not raw.startswith("0")):
        raw = "+" + digits_only
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a Vietnamese phone number, for example 0905 123 456."),
            code="invalid_phone",
        ) from error
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a Vietnamese phone number, for example 0905 123 456."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_vietnamese_phone(e164: str) -> str:
    """Display form of a stored number, as Vietnamese people write it: 0905 123 456."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class VietnamesePhoneField(models.CharField):
    """A phone number validated as Vietnamese and stored normalised to E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in (None, ""):
            return value
        return normalise_vietnamese_phone(value)
