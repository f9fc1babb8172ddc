"""What a visit request asks for: experiences of OCOP group 6 (homestays, village tours)
take a date, a party and a language instead of a quantity.

A module of its own: the models and the inquiry list both use it, and the list may not
import the models (they use its priced_total: no cycles, see docs/architecture.md).
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

# The largest party a visit request takes: bigger groups arrange it with the producer.
MAX_PARTY_SIZE = 50


class VisitLanguage(models.TextChoices):
    """The language a visitor would like the visit (the guide, the hosts) in."""

    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Another language")


@dataclass(frozen=True)
class Visit:
    """What a visit request asks for, on a list line (inquiry_list.Line) and as sent
    (InquiryItem.visit): one shape for the templates of both."""

    date: datetime.date
    party_size: int
    language: str  # a VisitLanguage value

    @property
    def language_label(self) -> str:
        return VisitLanguage(self.language).label if self.language in VisitLanguage.values else ""
