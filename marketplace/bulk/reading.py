"""Opening an uploaded file as sheets of rows, whatever the office sends.

An .xlsx workbook holds a "producers" and/or a "products" sheet. A CSV file holds one
kind: named by the caller, or recognised by its header (products have a
producer_external_id column). CSV may be UTF-8 (with or without BOM) or Windows-1258.
Anything else is refused with a message, never an exception.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from marketplace.bulk.cells import clean_text

PRODUCERS, PRODUCTS = "producers", "products"
KINDS = (PRODUCERS, PRODUCTS)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls
MAX_ROWS = 50_000


@dataclass
class Problem:
    """One message for the office: where (sheet, row, column) and what."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    external_id: str = ""


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it, header = 1
    cells: dict[str, object]  # column name → value; empty cells left out


@dataclass
class Sheet:
    kind: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


class UnreadableFile(Exception):
    """The file as a whole cannot be read: its message says why."""


def header_name(value: object) -> str:
    return clean_text(value).lower().replace(" ", "_") if value is not None else ""


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(kind: str, header: list, rows, problems: list[Problem]) -> Sheet:
    """Rows as column → value; formulas refused cell by cell."""
    columns = [header_name(value) for value in header]
    sheet = Sheet(kind, columns)
    for number, values in rows:
        cells = {}
        for name, value in zip(columns, values, strict=False):
            if isinstance(value, str) and value.startswith("=") and len(value) > 1:
                problems.append(
                    Problem(
                        _(
                            "Formulas are not imported: replace “%(formula)s” by its value "
                            "(copy, then paste values)."
                        )
                        % {"formula": value[:40]},
                        kind,
                        number,
                        name,
                    )
                )
            elif name and not _is_empty(value):
                cells[name] = value
        if cells or any(not _is_empty(value) for value in values):
            sheet.rows.append(Row(number, cells))
        if len(sheet.rows) > MAX_ROWS:
            raise UnreadableFile(_("A sheet may hold at most %(max)s rows.") % {"max": MAX_ROWS})
    return sheet


def read_xlsx(content: bytes, problems: list[Problem]) -> list[Sheet]:
    try:
        # data_only=False: a formula reads as its text ("=B2*2"), so it can be refused.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise UnreadableFile(_("This is not an Excel workbook (.xlsx) that can be read.")) from None
    try:
        sheets = []
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        for kind in KINDS:
            if kind not in names:
                continue
            rows = workbook[names[kind]].iter_rows(values_only=True)
            header = next(rows, None) or ()
            numbered = ((number, list(values)) for number, values in enumerate(rows, start=2))
            sheets.append(_sheet(kind, list(header), numbered, problems))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("This is not an Excel workbook (.xlsx) that can be read.")) from None
    finally:
        workbook.close()
    if not sheets:
        raise UnreadableFile(_("The workbook has no sheet named “producers” or “products”."))
    return sheets


def decode_text(content: bytes) -> str:
    """UTF-8 (a BOM is dropped) or else Windows-1258; refuses binary files."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError:
            raise UnreadableFile(_("This file is not a spreadsheet or a CSV text file.")) from None
    if any(ch < " " and ch not in "\t\r\n" for ch in text):
        raise UnreadableFile(_("This file is not a spreadsheet or a CSV text file."))
    return text


def guess_kind(columns: list[str]) -> str | None:
    if "producer_external_id" in columns:
        return PRODUCTS
    if "external_id" in columns:
        return PRODUCERS
    return None


def read_csv(content: bytes, kind: str | None, problems: list[Problem]) -> list[Sheet]:
    text = decode_text(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(rows, [])
        kind = kind or guess_kind([header_name(value) for value in header])
        if kind is None:
            raise UnreadableFile(
                _(
                    "The first row must name the columns (external_id, …): "
                    "this does not look like a producers or products file."
                )
            )
        numbered = ((number, values) for number, values in enumerate(rows, start=2))
        return [_sheet(kind, header, numbered, problems)]
    except csv.Error:
        raise UnreadableFile(_("This CSV file cannot be read.")) from None


def read_file(
    content: bytes, filename: str = "", kind: str | None = None
) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of the file and the problems found in its cells; raises UnreadableFile."""
    if not content.strip():
        raise UnreadableFile(_("The file is empty."))
    problems: list[Problem] = []
    if content.startswith(OLE_MAGIC):
        raise UnreadableFile(_("Old Excel files (.xls) are not read: save the file as .xlsx."))
    if content.startswith(ZIP_MAGIC):
        sheets = read_xlsx(content, problems)
        if kind:
            sheets = [sheet for sheet in sheets if sheet.kind == kind]
        return sheets, problems
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_("This is not an Excel workbook (.xlsx) that can be read."))
    return read_csv(content, kind, problems), problems
