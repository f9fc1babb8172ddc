"""The columns of the producers and products sheets: how each is read, written and shown.

One list serves the import, the export and the template, so an exported file imports
back unchanged. Rules about the values (required fields, lengths, prices, OCOP rules)
stay in the models: the importer sets the values and runs the models' validation.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from marketplace.certificates import ocop
from marketplace.certificates.models import OcopCertificate
from marketplace.core.fields import format_vietnamese_phone, normalise_vietnamese_phone
from marketplace.office.bulk.cells import (
    CellError,
    clean_text,
    format_boolean,
    format_date,
    format_months,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_months,
    parse_text,
)
from producers.models import ProducerPage
from products.models import ProductPage


def parse_phone(value: object) -> str:
    try:
        return normalise_vietnamese_phone(clean_text(value))
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def choice_parser(choices: type[models.TextChoices]) -> Callable[[object], str]:
    """A choice by its value ("cooperative") or its label in the user's language."""

    def parse(value: object) -> str:
        text = clean_text(value).lower()
        for choice in choices:
            if text in (choice.value.lower(), str(choice.label).lower()):
                return choice.value
        raise CellError(_("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)})

    return parse


def parse_subgroup(value: object) -> str:
    """A sub-group of Decision 148/2023 by its code ("1.5") or label ("1.5 Tea")."""
    text = clean_text(value).lower()
    for _group, subgroups in ocop.PRODUCT_SUBGROUPS:
        for code, label in subgroups:
            if text in (code, str(label).lower()):
                return code
    raise CellError(_("Write the sub-group’s code, e.g. 1.5 for tea."))


def parse_stars(value: object) -> int:
    return parse_integer(value)


def _plain(value: object) -> object:
    return "" if value is None else value


def _number(value: object) -> object:
    """Decimals as numbers in the sheet; None as an empty cell."""
    return "" if value is None else float(value)


@dataclass(frozen=True)
class Column:
    name: str
    help: Promise
    parse: Callable[[object], object] = parse_text
    # The model field it fills directly; None for the columns the importer resolves
    # (external ids, slugs of related objects, the certificate).
    attribute: str | None = None
    required: bool = False  # in the header, and filled on every new row
    empty: object = ""  # the value of an empty cell
    format: Callable[[object], object] = _plain

    @property
    def is_text(self) -> bool:
        """Free text, which may not look like a formula ("+1+2", "@SUM(A1)"): numbers,
        phones, dates and choices have parsers of their own ("-5", "+84 905 123 456")."""
        return self.parse is parse_text


def field(name: str, help: Promise, **options) -> Column:
    return Column(name, help, attribute=options.pop("attribute", name), **options)


EXTERNAL_ID = Column(
    "external_id",
    _("Your identifier for the row, unique in its sheet; it links the row to its page."),
    required=True,
)

PRODUCER_COLUMNS = [
    EXTERNAL_ID,
    field("title", _("The page title."), required=True),
    field("display_name", _("The name shoppers see (the title when empty).")),
    field("slug", _("The web address part; made from the title when empty.")),
    field(
        "legal_form",
        _("cooperative, cooperative_group, company or household."),
        parse=choice_parser(ProducerPage.LegalForm),
        required=True,
    ),
    Column("locality", _("The locality's slug, e.g. dien-duong."), required=True),
    Column("craft_village", _("The craft village's slug, if any.")),
    field("address", _("Street address."), required=True),
    field(
        "latitude",
        _("Decimal degrees, e.g. 15.8801."),
        parse=parse_decimal,
        empty=None,
        format=_number,
    ),
    field(
        "longitude",
        _("Decimal degrees, e.g. 108.2512."),
        parse=parse_decimal,
        empty=None,
        format=_number,
    ),
    field("phone", _("e.g. 0905 123 456."), parse=parse_phone, format=format_vietnamese_phone),
    field(
        "zalo_phone",
        _("The number registered with Zalo."),
        parse=parse_phone,
        format=format_vietnamese_phone,
    ),
    field("email", _("Contact email address.")),
    field("website", _("Web address, with https://.")),
    field("founded_year", _("e.g. 2015."), parse=parse_integer, empty=None),
    field("summary", _("One or two sentences.")),
]

CERTIFICATE_COLUMNS = [
    field(
        "ocop_stars",
        _(
            "OCOP stars: 3, 4 or 5. Leave the OCOP columns empty when "
            "the product has no certificate."
        ),
        attribute="stars",
        parse=parse_stars,
        empty=None,
    ),
    field(
        "ocop_score",
        _("Evaluation score out of 100, if known."),
        attribute="score",
        parse=parse_integer,
        empty=None,
    ),
    field(
        "ocop_decision_number",
        _("The decision number, e.g. 1032/QĐ-UBND."),
        attribute="decision_number",
    ),
    field(
        "ocop_product_group",
        _("The product group as written on the certificate."),
        attribute="product_group",
    ),
    field(
        "ocop_product_subgroup",
        _("The sub-group of Decision 148/2023, e.g. 1.5; empty for older certificates."),
        attribute="product_subgroup",
        parse=parse_subgroup,
    ),
    field(
        "ocop_issuing_level",
        _("district, province or central."),
        attribute="issuing_level",
        parse=choice_parser(OcopCertificate.IssuingLevel),
    ),
    field("ocop_issuing_body", _("e.g. UBND tỉnh Quảng Nam."), attribute="issuing_body"),
    field(
        "ocop_issue_date",
        _("dd/mm/yyyy."),
        attribute="issue_date",
        parse=parse_date,
        empty=None,
        format=format_date,
    ),
    field(
        "ocop_expiry_date",
        _("dd/mm/yyyy; 36 months after issue when empty."),
        attribute="expiry_date",
        parse=parse_date,
        empty=None,
        format=format_date,
    ),
]

PRODUCT_COLUMNS = [
    EXTERNAL_ID,
    Column("producer_external_id", _("The external id of the product's producer."), required=True),
    field("title", _("The product's name."), required=True),
    field("slug", _("The web address part; made from the title when empty.")),
    Column("category", _("The category's slug, e.g. thuc-pham."), required=True),
    field("short_description", _("One or two sentences."), required=True),
    field(
        "price_vnd",
        _("Whole đồng, e.g. 120000; empty when the price is on request."),
        parse=parse_integer,
        empty=None,
    ),
    field(
        "price_on_request", _("yes or no."), parse=parse_boolean, empty=False, format=format_boolean
    ),
    field("unit", _("The sales unit, e.g. chai 500 ml."), required=True),
    field("minimum_order_quantity", _("At least 1."), parse=parse_integer, empty=1),
    field(
        "availability",
        _("in_stock, seasonal, made_to_order or out_of_stock."),
        parse=choice_parser(ProductPage.Availability),
        empty=ProductPage.Availability.IN_STOCK,
    ),
    field(
        "season_months",
        _("For seasonal products, e.g. 6, 7, 8."),
        parse=parse_months,
        empty=[],
        format=format_months,
    ),
    field("lead_time_days", _("Days to prepare an order."), parse=parse_integer, empty=None),
    field("shelf_life", _("e.g. 12 months.")),
    field("ingredients", _("Ingredients or materials.")),
    field("storage_advice", _("How to store it.")),
    field("traceability_code", _("Traceability code, if any.")),
    field(
        "traceability_url",
        _("Web address of the product’s traceability record, with https://, if any."),
    ),
    *CERTIFICATE_COLUMNS,
]

COLUMNS = {"producers": PRODUCER_COLUMNS, "products": PRODUCT_COLUMNS}
