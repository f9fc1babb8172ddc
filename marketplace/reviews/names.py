"""The reviewer's shown name: a first name, never the full name, phone or email."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.reviews.models import MAX_NAME_LENGTH

# Vietnamese names are written family name first ("Nguyễn Thị Lan"): the given name is
# the last word. Most other languages write the given name first ("Emma Clarke").
FAMILY_NAME_FIRST = frozenset({"vi", "zh", "ja", "ko"})
NOT_A_NAME = re.compile(r"[\d@/:]")
MAX_WORDS = 2


def first_name(full_name: str, language: str) -> str:
    """The given name of `full_name` as people of `language` write names."""
    words = full_name.split()
    if not words or full_name.strip() == "—":  # "—": an anonymised inquiry
        return ""
    word = words[-1] if language.split("-")[0] in FAMILY_NAME_FIRST else words[0]
    return word[:MAX_NAME_LENGTH]


def validate_shown_name(name: str, full_name: str) -> str:
    """The name as it will be shown, or ValidationError when it could identify the person
    more than a first name does (the full name, a number, an address)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Enter the first name to show with your review."))
    if NOT_A_NAME.search(name):
        raise ValidationError(
            _("Enter only a first name: no phone number, email or web address."),
            code="not_a_name",
        )
    words = name.split()
    whole = full_name.split()
    if len(words) > MAX_WORDS or (
        len(whole) > 1 and [w.casefold() for w in words] == [w.casefold() for w in whole]
    ):
        raise ValidationError(
            _("Enter only your first name, not your full name."), code="full_name"
        )
    return name
