"""The OCOP programme's rules for certificates (Decisions 148/QĐ-TTg 2023 and 1489/QĐ-TTg
2025): stars, scores, issuing levels and validity.

Kept apart from the models so forms, imports and the demo loader share one copy. The six
product groups of Decision 148/2023 classify product categories: they are products'
(products.models.PRODUCT_GROUP_CHOICES).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Only 3★–5★ products are certified OCOP products.
CERTIFIED_STARS = (3, 4, 5)

# A recognition is valid for 36 months from signing.
VALIDITY_MONTHS = 36

# From 1 July 2025 there is no district level: the province certifies 3★ and 4★.
DISTRICT_LEVEL_ABOLISHED = datetime.date(2025, 7, 1)

# Score bands out of 100 → stars.
STAR_BANDS = [(90, 5), (70, 4), (50, 3), (30, 2), (0, 1)]


def stars_for_score(score: int) -> int:
    for minimum, stars in STAR_BANDS:
        if score >= minimum:
            return stars
    return 1


def default_expiry(issue_date: datetime.date) -> datetime.date:
    """36 months after issue (the last valid day is the day before the anniversary)."""
    month_index = issue_date.month - 1 + VALIDITY_MONTHS
    year = issue_date.year + month_index // 12
    month = month_index % 12 + 1
    day = issue_date.day
    while True:
        try:
            return datetime.date(year, month, day) - datetime.timedelta(days=1)
        except ValueError:  # 29–31 in a shorter month
            day -= 1


def certificate_errors(
    *,
    stars: int | None,
    score: int | None,
    issuing_level: str | None,
    issue_date: datetime.date | None,
    expiry_date: datetime.date | None,
) -> dict[str, str]:
    """Field name → message for every rule the certificate breaks."""
    errors: dict[str, str] = {}
    if stars is not None and stars not in CERTIFIED_STARS:
        errors["stars"] = _("Only 3, 4 and 5-star products are certified OCOP products.")
    if score is not None and stars in CERTIFIED_STARS and stars_for_score(score) != stars:
        errors["score"] = _("A score of %(score)s gives %(band)s stars, not %(stars)s.") % {
            "score": score,
            "band": stars_for_score(score),
            "stars": stars,
        }
    if stars == 5 and issuing_level and issuing_level != "central":
        errors["issuing_level"] = _("5-star products are certified at the central level.")
    elif issuing_level == "central" and stars in (3, 4):
        errors["issuing_level"] = _("The central level certifies 5-star products only.")
    elif issuing_level == "district":
        if stars and stars != 3:
            errors["issuing_level"] = _("The district level certified 3-star products only.")
        elif issue_date and issue_date >= DISTRICT_LEVEL_ABOLISHED:
            errors["issuing_level"] = _(
                "There is no district level after July 2025: choose province or central."
            )
    if issue_date and expiry_date and expiry_date <= issue_date:
        errors["expiry_date"] = _("The expiry date must be after the issue date.")
    if issue_date and issue_date > timezone.localdate() + datetime.timedelta(days=1):
        errors["issue_date"] = _("The issue date cannot be in the future.")
    return errors
