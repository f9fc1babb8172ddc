"""Opening an uploaded file as sheets of rows, whatever the office sends.

An .xlsx workbook holds a "producers" and/or a "products" sheet. A CSV file holds one
kind: named by the caller, or recognised by its header (products have a
producer_external_id column). CSV may be UTF-8 (with or without BOM) or Windows-1258.
Anything else is refused with a message, never an exception.

No file may make the import run for long or fill the memory: a 5 KB workbook can claim
a million rows and columns, or unpack to gigabytes. So a workbook's packed parts are
measured before anything is unpacked, its claimed size is ignored, and both formats
are read row by row within the limits below, the file refused at the first one passed.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from marketplace.core.spreadsheet_safety import is_formula_like
from marketplace.office.bulk.cells import clean_text
from marketplace.office.bulk.columns import COLUMNS

PRODUCERS, PRODUCTS = "producers", "products"
KINDS = (PRODUCERS, PRODUCTS)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls

MAX_ROWS = 50_000  # filled rows below the header
MAX_COLUMNS = 100  # the import knows 27: cells further right are not read
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
# A CSV record: at most csv's own field limit, so that this message comes first.
MAX_ROW_CHARS = 131_072
# A workbook of MAX_ROWS full product rows unpacks to about 50 MB.
MAX_UNPACKED_BYTES = 100 * 2**20
# Spreadsheets pack 5 to 20 times smaller; a zip bomb about 1,000 times. Parts under
# 1 MB are harmless whatever their ratio.
MAX_PACKING_RATIO = 100
PACKING_CHECKED_FROM = 2**20
LAST_SHEET_ROW = 1_048_576  # Excel's last row: a claimed row further down is not read

NOT_A_WORKBOOK = _("This is not an Excel workbook (.xlsx) that can be read.")


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


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


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        _(
            "A sheet may hold at most %(max)s filled rows below its header: "
            "split the file into several smaller ones."
        )
        % {"max": _number(MAX_ROWS)}
    )


def _within_columns(number: int, values: Sequence) -> Sequence:
    """The row's first MAX_COLUMNS values; refused when it has a value further right."""
    if len(values) > MAX_COLUMNS and not all(_is_empty(value) for value in values[MAX_COLUMNS:]):
        raise UnreadableFile(
            _(
                "Row %(row)s has a value right of column %(column)s: a sheet may have at "
                "most %(max)s columns. Delete the columns the import does not use."
            )
            % {"row": number, "column": get_column_letter(MAX_COLUMNS), "max": MAX_COLUMNS}
        )
    return values[:MAX_COLUMNS]


def _cell_problem(value: object, is_text: bool) -> str | None:
    """Why the cell cannot be imported as it is: a formula, text a spreadsheet would
    run as one (in a text column: it would be published, then exported), or too long a
    text."""
    if not isinstance(value, str):
        return None
    text = value.strip()  # as it would be imported
    if text.startswith("=") and len(text) > 1:
        return _(
            "Formulas are not imported: replace “%(formula)s” by its value "
            "(copy, then paste values)."
        ) % {"formula": text[:40]}
    if is_text and is_formula_like(text):
        return _(
            "Text may not begin with “%(sign)s”: spreadsheet programs would run “%(text)s” "
            "as a formula. Remove the sign, or begin with a letter or a digit."
        ) % {"sign": text[0], "text": text[:40]}
    if len(value) > MAX_CELL_CHARS:
        return _(
            "This cell holds %(length)s characters; a cell may hold at most %(max)s: shorten it."
        ) % {
            "length": _number(len(value)),
            "max": _number(MAX_CELL_CHARS),
        }
    return None


def _sheet(
    kind: str, header: Sequence, rows: Iterable[tuple[int, Sequence]], problems: list[Problem]
) -> Sheet:
    """Rows as column → value; formulas, formula-like text and overlong cells refused
    cell by cell."""
    columns = [header_name(value) for value in _within_columns(1, header)]
    numbers_and_choices = {column.name for column in COLUMNS[kind] if not column.is_text}
    sheet = Sheet(kind, columns)
    for number, row_values in rows:
        values = _within_columns(number, row_values)
        cells = {}
        for name, value in zip(columns, values, strict=False):
            if message := _cell_problem(value, name not in numbers_and_choices):
                problems.append(Problem(message, kind, number, name))
            elif name and not _is_empty(value):
                cells[name] = value
        if cells or any(not _is_empty(value) for value in values):
            sheet.rows.append(Row(number, cells))
        if len(sheet.rows) > MAX_ROWS:
            raise _too_many_rows()
    return sheet


def check_packing(content: bytes) -> None:
    """Refuse a workbook that would unpack to too much, before anything is unpacked.

    The sizes are those the archive declares: Python's zipfile never unpacks more than
    a part declares (it stops there, and the part fails its checksum).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(NOT_A_WORKBOOK) from None
    # Workbooks are stored or deflated; other methods unpack without a bound per read.
    if any(part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for part in parts):
        raise UnreadableFile(NOT_A_WORKBOOK)
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            _(
                "This workbook unpacks to more than %(size)s MB: split it into smaller "
                "files, or save it as CSV."
            )
            % {"size": MAX_UNPACKED_BYTES // 2**20}
        )
    for part in parts:
        if (
            part.file_size > PACKING_CHECKED_FROM
            and part.file_size > MAX_PACKING_RATIO * part.compress_size
        ):
            raise UnreadableFile(
                _(
                    "This workbook unpacks to more than %(ratio)s times its size, which "
                    "spreadsheets never do: open it in your spreadsheet program and save "
                    "it again, or save it as CSV."
                )
                % {"ratio": MAX_PACKING_RATIO}
            )


def _xlsx_rows(worksheet) -> Iterator[tuple[int, Sequence]]:
    """The sheet's rows with their numbers, header first; empty rows below it left out.

    The size the file claims for the sheet ("A1:XFD1048576") is not trusted: openpyxl
    would pad every row to it. Rows are as wide as MAX_COLUMNS + 1 (to see a value
    beyond the limit), and end at Excel's last row.
    """
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(max_row=LAST_SHEET_ROW, max_col=MAX_COLUMNS + 1, values_only=True)
    empty = None  # openpyxl gives every missing row (up to a million) as one same tuple
    for number, values in enumerate(rows, start=1):
        if number == 1:
            yield number, values
        elif values is not empty:
            if values.count(None) != len(values):
                yield number, values
            else:
                empty = values


def read_xlsx(content: bytes, problems: list[Problem]) -> list[Sheet]:
    check_packing(content)
    try:
        # data_only=False: a formula reads as its text ("=B2*2"), so it can be refused.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise UnreadableFile(NOT_A_WORKBOOK) from None
    try:
        sheets = []
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        for kind in KINDS:
            if kind not in names:
                continue
            rows = _xlsx_rows(workbook[names[kind]])
            header = next(rows, (1, ()))[1]
            sheets.append(_sheet(kind, header, rows, problems))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(NOT_A_WORKBOOK) from None
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


class _Lines:
    """The text's lines for csv.reader, refusing a record longer than MAX_ROW_CHARS
    before csv splits it (a line of two million commas is two million cells)."""

    def __init__(self, text: str) -> None:
        self.text = io.StringIO(text, newline="")
        self.record = 0  # the number of the record being read
        self.record_chars = 0

    def start_record(self, number: int) -> None:
        self.record, self.record_chars = number, 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.text.readline(MAX_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.record_chars += len(line)
        if self.record_chars > MAX_ROW_CHARS:
            raise UnreadableFile(
                _(
                    "Row %(row)s is longer than %(max)s characters: shorten its cells, or "
                    "check that the file is a CSV file of producers or products."
                )
                % {"row": self.record, "max": _number(MAX_ROW_CHARS)}
            )
        return line


def _csv_rows(text: str, dialect) -> Iterator[tuple[int, list[str]]]:
    """The file's records with their numbers, header first, within the limits."""
    lines = _Lines(text)
    reader = csv.reader(lines, dialect)
    number = 1
    while True:
        lines.start_record(number)
        values = next(reader, None)
        if values is None:
            return
        if number > LAST_SHEET_ROW:
            raise _too_many_rows()
        if number == 1 or any(values):
            yield number, values
        number += 1


def read_csv(content: bytes, kind: str | None, problems: list[Problem]) -> list[Sheet]:
    text = decode_text(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = _csv_rows(text, dialect)
    try:
        header = next(rows, (1, []))[1]
        kind = kind or guess_kind([header_name(value) for value in header[:MAX_COLUMNS]])
        if kind is None:
            raise UnreadableFile(
                _(
                    "The first row must name the columns (external_id, …): "
                    "this does not look like a producers or products file."
                )
            )
        return [_sheet(kind, header, rows, problems)]
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
        raise UnreadableFile(NOT_A_WORKBOOK)
    return read_csv(content, kind, problems), problems
