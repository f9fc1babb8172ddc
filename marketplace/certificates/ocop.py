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

# Decision 148/QĐ-TTg (24 February 2023) brought district-level 3★ certification; before
# it, Quảng Nam's recognitions came from the province (5★ from the central level).
DECISION_148_SIGNED = datetime.date(2023, 2, 24)

# From 1 July 2025 there is no district level: the province certifies 3★ and 4★.
DISTRICT_LEVEL_ABOLISHED = datetime.date(2025, 7, 1)

# The product sub-groups (nhóm) of the six groups of Decision 148/2023's appendix, coded
# "group.subgroup"; certificates issued under the 2019 criteria (Decision 1048) may have
# none. Sources: docs/local-facts.md.
PRODUCT_SUBGROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        _("1. Food"),
        [
            ("1.1", _("1.1 Fresh food")),
            ("1.2", _("1.2 Raw and pre-processed food")),
            ("1.3", _("1.3 Processed food")),
            ("1.4", _("1.4 Condiments")),
            ("1.5", _("1.5 Tea")),
            ("1.6", _("1.6 Coffee and cocoa")),
        ],
    ),
    (
        _("2. Beverages"),
        [
            ("2.1", _("2.1 Alcoholic beverages")),
            ("2.2", _("2.2 Non-alcoholic beverages")),
        ],
    ),
    (
        _("3. Medicinal herbs and herbal products"),
        [
            ("3.1", _("3.1 Functional foods, herbal and traditional medicines")),
            ("3.2", _("3.2 Cosmetics with herbal ingredients")),
            ("3.3", _("3.3 Essential oils and other herbal products")),
        ],
    ),
    (
        _("4. Handicrafts"),
        [
            ("4.1", _("4.1 Household and decorative handicrafts")),
            ("4.2", _("4.2 Textiles and garments")),
        ],
    ),
    (
        _("5. Ornamental plants and animals"),
        [
            ("5.1", _("5.1 Flowers")),
            ("5.2", _("5.2 Ornamental plants")),
            ("5.3", _("5.3 Ornamental animals")),
        ],
    ),
    (
        _("6. Community and eco-tourism services and destinations"),
        [("6.1", _("6.1 Community and eco-tourism services and destinations"))],
    ),
]


def subgroup_group(code: str) -> int | None:
    """The OCOP group (1–6) a sub-group code belongs to: "1.5" → 1."""
    head = code.split(".", 1)[0]
    return int(head) if head.isdigit() else None


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
    product_subgroup: str = "",
    ocop_group: int | None = None,
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
        elif issue_date and issue_date < DECISION_148_SIGNED:
            errors["issuing_level"] = _(
                "Before Decision 148/2023 (24 February 2023) OCOP recognitions were issued "
                "by the province: choose province."
            )
        elif issue_date and issue_date >= DISTRICT_LEVEL_ABOLISHED:
            errors["issuing_level"] = _(
                "There is no district level after July 2025: choose province or central."
            )
    if product_subgroup and ocop_group and subgroup_group(product_subgroup) != ocop_group:
        errors["product_subgroup"] = _(
            "This sub-group belongs to another OCOP group than the product’s category."
        )
    if issue_date and expiry_date and expiry_date <= issue_date:
        errors["expiry_date"] = _("The expiry date must be after the issue date.")
    if issue_date and issue_date > timezone.localdate() + datetime.timedelta(days=1):
        errors["issue_date"] = _("The issue date cannot be in the future.")
    return errors
