"""Reading one spreadsheet cell into a Python value, and writing it back.

Parsers take what a cell holds (text from CSV; text, numbers, booleans or dates from
xlsx) and return the value or raise CellError with a message for the office. Empty
cells are None before they reach a parser.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# Day first, as Vietnamese people write dates; ISO for machines. Two-digit years and
# month-first orders are refused: "03/04/24" could be three different days.
DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
TRUE_WORDS = {"1", "x", "yes", "true", "có", "co", "đúng", "dung"}
FALSE_WORDS = {"0", "no", "false", "không", "khong", "sai"}
MONTH_SEPARATORS = re.compile(r"[,;\s]+")


class CellError(ValueError):
    """A cell that cannot be read: its message is shown to the office."""


def clean_text(value: object) -> str:
    """Text as typed, in NFC (Windows-1258 files spell tones as combining marks)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or code typed into a number cell
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_text(value: object) -> str:
    return clean_text(value)


def parse_integer(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Enter a whole number."))
        return int(value)
    # "120.000" and "120 000" are how people group thousands.
    text = re.sub(r"[\s.,]", "", clean_text(value))
    if not re.fullmatch(r"-?\d+", text):
        raise CellError(_("Enter a whole number."))
    return int(text)


def parse_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    text = clean_text(value).replace(",", ".") if isinstance(value, str) else repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Enter a number.")) from None
    if not number.is_finite():
        raise CellError(_("Enter a number."))
    return number


def parse_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = clean_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Enter yes or no."))


def _date(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(text)s” is not a date.") % {"text": text}) from None


def parse_date(value: object) -> datetime.date:
    """An Excel date cell, or text as dd/mm/yyyy, d-m-yyyy, dd.mm.yyyy or yyyy-mm-dd."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        # A bare number is a date cell that lost its format: its day is a guess.
        raise CellError(_("Format the cell as a date, or write the date as dd/mm/yyyy."))
    text = clean_text(value)
    if match := ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return _date(year, month, day, text)
    if match := DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return _date(year, month, day, text)
    raise CellError(
        _("“%(text)s” is not a date: write it as dd/mm/yyyy, e.g. 25/03/2024.") % {"text": text}
    )


def format_date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_months(value: object) -> list[int]:
    """Months of a season as "6, 7, 8" (any of , ; or spaces between)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        parts = [str(int(value))]
    else:
        parts = [part for part in MONTH_SEPARATORS.split(clean_text(value)) if part]
    months = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 12:
            raise CellError(_("List months as numbers from 1 to 12, e.g. “6, 7, 8”."))
        months.append(int(part))
    return sorted(set(months))


def format_months(months: list[int]) -> str:
    return ", ".join(str(month) for month in months)


def format_boolean(value: bool) -> str:
    return "yes" if value else "no"
