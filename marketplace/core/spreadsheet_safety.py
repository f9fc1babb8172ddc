"""Text that a spreadsheet program would run as a formula (CSV or formula injection).

Visitors, producers and editors type text that ends up in the office's spreadsheets:
names, search queries, reasons, form answers. A cell starting with =, +, - or @ (or a
tab or carriage return, which some programs skip first) is read as a formula when the
file is opened, and a formula can fetch addresses or run commands. One rule for all of
it: `is_formula_like()`, which the import uses to refuse such text and every export uses
(through `neutralise_formula()`) to turn it into plain text, the OWASP way: a leading
single quote. Real numbers (and text that is only a number, such as "-5") stay as they
are.

`protect_spreadsheet_exports()` applies the rule to every CSV export of the Wagtail admin
(its reports, listings and form submissions); it runs once, when the app registry is
ready.
"""

import re
from typing import Any

FORMULA_SIGNS = ("=", "+", "-", "@")
# Some spreadsheet programs skip these before looking for a sign.
CONTROL_STARTS = ("\t", "\r")
# A number written as text ("-5", "+84905123456", "-2,5"): a spreadsheet reads it as
# that number, never as a formula.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet could read this value as a formula.

    Text starting with a tab or carriage return, or whose first visible character is
    =, +, - or @ followed by anything, unless the text is only a number. A sign alone
    ("-" for "none") is text to every spreadsheet program. Values that are not text
    (numbers, dates, None) never are.
    """
    if not isinstance(value, str):
        return False
    if value.startswith(CONTROL_STARTS):
        return True
    text = value.lstrip()
    return len(text) > 1 and text.startswith(FORMULA_SIGNS) and not PLAIN_NUMBER.fullmatch(value)


def neutralise_formula(value: Any) -> Any:
    """The value as a spreadsheet cell that is never run: formula-like text gets a
    leading single quote (shown as text, not as part of the value); anything else is
    returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def protect_spreadsheet_exports() -> None:
    """Neutralise formulas in every export of Wagtail's SpreadsheetExportMixin.

    The mixin (reports such as aging pages, site history and workflows, listing views
    with list_export, form submissions, and our own reports) writes CSV values as they
    are. Its XLSX export already stores formula-like values as text. Patched here,
    rather than in each view, so that views added later (by Wagtail or by us) are
    covered too:

    - CSV values pass through neutralise_formula() after the view's own preprocessing;
    - column headings (form field labels are typed by editors) pass through it in both
      formats, as openpyxl would write a heading starting with "=" as a formula.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "formulas_neutralised", False):
        return
    preprocess_field_value = SpreadsheetExportMixin.preprocess_field_value
    get_heading = SpreadsheetExportMixin.get_heading

    def safe_preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = preprocess_field_value(self, field, value, export_format)
        return neutralise_formula(value) if export_format == self.FORMAT_CSV else value

    def safe_get_heading(self, queryset, field: str) -> str:
        return neutralise_formula(get_heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = safe_preprocess_field_value
    SpreadsheetExportMixin.get_heading = safe_get_heading
    SpreadsheetExportMixin.formulas_neutralised = True
