"""Model fields shared by several apps."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

INVALID_PHONE = _(
    "Enter a Vietnamese phone number (0905 123 456) or an international one starting "
    "with + and the country code (+44 7700 900123)."
)


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


def normalise_phone(value: str) -> str:
    """A Vietnamese number (strictly, as `normalise_vietnamese_phone`) or, starting with +
    or 00, a foreign one (a visitor's "+44 7700 900123"): in E.164 form, or ValidationError.

    Whether a foreign number may be used is the caller's decision (`is_vietnamese_phone`).
    """
    raw = (value or "").strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not raw.startswith("+") or digits.startswith("84"):
        return normalise_vietnamese_phone(value)
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from error
    # Foreign numbers are checked for their country's length only: the site never calls
    # them (email or WhatsApp), and a stricter check refuses numbers visitors do use
    # (the metadata lags new ranges; the UK's +44 7700 900… is kept for examples).
    if phonenumbers.region_code_for_country_code(number.country_code) == "ZZ" or not (
        phonenumbers.is_possible_number(number)
    ):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_vietnamese_phone(e164: str) -> bool:
    return e164.startswith("+84")


def format_vietnamese_phone(e164: str) -> str:
    """Display form of a stored number: as Vietnamese people write theirs (0905 123 456),
    a foreign one in international form (+44 7700 900123)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 84
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def whatsapp_url(e164: str) -> str:
    """WhatsApp's chat link takes the digits with the country code: wa.me/447700900123."""
    digits = "".join(ch for ch in e164 or "" if ch.isdigit())
    return f"https://wa.me/{digits}" if digits else ""


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


class PhoneField(models.CharField):
    """A phone number, Vietnamese or foreign (`normalise_phone`), stored in E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in (None, ""):
            return value
        return normalise_phone(value)
