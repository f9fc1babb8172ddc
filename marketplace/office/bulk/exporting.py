"""Writing the catalogue, or an empty template, as an .xlsx workbook.

The export has the import's columns and values, so it imports back unchanged. Each
sheet's header is followed by the rows; a "help" sheet explains the columns in the
user's language (the import reads only the producers and products sheets).

Text a spreadsheet would run as a formula ("=…", "+…", "-…", "@…") is written as a text
cell with Excel's quote prefix: what a leading ' does when typed, without changing the
value. Opening the file, or editing the cell, never runs it; the import then names it.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from wagtail.models import Page

from marketplace.core.spreadsheet_safety import is_formula_like
from marketplace.office.bulk.catalogue import (
    Catalogue,
    current_version,
    ensure_external_ids,
    latest_certificate,
    page_values,
)
from marketplace.office.bulk.columns import COLUMNS
from marketplace.office.bulk.reading import PRODUCERS, PRODUCTS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(sheet: Worksheet, kind: str) -> None:
    sheet.append([column.name for column in COLUMNS[kind]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _append(sheet: Worksheet, kind: str, values: dict) -> None:
    sheet.append([column.format(values[column.name]) for column in COLUMNS[kind]])
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"  # openpyxl takes text starting with "=" for a formula
            cell.quotePrefix = True


def _help_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("help")
    sheet.append([_("Sheet"), _("Column"), _("Required"), _("What to write")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for kind in (PRODUCERS, PRODUCTS):
        for column in COLUMNS[kind]:
            sheet.append([kind, column.name, _("yes") if column.required else "", str(column.help)])
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["D"].width = 90


def _workbook() -> tuple[Workbook, Worksheet, Worksheet]:
    workbook = Workbook()
    producers = workbook.active
    producers.title = PRODUCERS
    products = workbook.create_sheet(PRODUCTS)
    _header(producers, PRODUCERS)
    _header(products, PRODUCTS)
    _help_sheet(workbook)
    return workbook, producers, products


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty sheets with their headers, and the help sheet."""
    return _bytes(_workbook()[0])


def export_workbook() -> bytes:
    """Every producer and product in the default language, as the import reads them.

    Pages without an external id are given one first, so the file re-imports onto them.
    """
    catalogue = Catalogue()
    workbook, producer_sheet, product_sheet = _workbook()
    producers = sorted(catalogue.pages(PRODUCERS).values(), key=lambda page: page.path)
    products = sorted(catalogue.pages(PRODUCTS).values(), key=lambda page: page.path)
    ensure_external_ids(PRODUCERS, producers, catalogue)
    ensure_external_ids(PRODUCTS, products, catalogue)
    producer_keys = {page.path: page.translation_key for page in producers}
    for page in producers:
        _append(producer_sheet, PRODUCERS, page_values(PRODUCERS, current_version(page), catalogue))
    for page in products:
        version = current_version(page)
        parent_key = producer_keys.get(page.path[: -Page.steplen])
        values = page_values(PRODUCTS, version, catalogue, parent_key, latest_certificate(version))
        _append(product_sheet, PRODUCTS, values)
    return _bytes(workbook)
